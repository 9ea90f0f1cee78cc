/**
 * Etsy stock for the sync nodes, as a channel: each product of each listing (a listing without
 * variations has one) is a listing of ours, with the quantity of its offering.
 *
 * Reading: getListingsByShop per state (active, sold_out, inactive), 100 a page, with `includes=Inventory`
 * so the products come with the listing (one request per 100 listings, not one per listing: Etsy's quota
 * is daily); a listing answered without its inventory is read with getListingInventory.
 *
 * Writing: Etsy's updateListingInventory (PUT) replaces every product of the listing: a product left out
 * is deleted, with its price and property values. So a write is read-modify-write of the whole
 * inventory: read it fresh, check each changed product still holds the quantity the sync read
 * (`expected`; a sale in between makes the write stale, reported with the quantity now), change only
 * those quantities, and send every product back exactly as read (sku, property values, price,
 * is_enabled), plus the *_on_property lists. One PUT per listing, carrying all its changes; a listing
 * whose quantities already match is not written.
 *
 * Etsy gives products new ids on every inventory update, so a product is known by its listing and its
 * property values (stable), not by product_id.
 */
import type { Clock, HttpTransport } from '../http';
import type { ChannelInventory, ChannelListing, ListingState, ListingWrite, ListingWriteResult } from '../inventory';
import { describeError } from '../errors';
import { UnknownOutcomeError } from '../retry';
import { ETSY_API_URL, ETSY_MAX_LIMIT, EtsyClient } from './client';
import { etsyShopId } from './channel';
import { etsyMoneyToDecimal } from './orderMapping';
import type { EtsyMoney } from './orderMapping';

export interface EtsyOffering {
	offering_id?: number;
	quantity: number;
	is_enabled: boolean;
	is_deleted?: boolean;
	price: EtsyMoney;
}

export interface EtsyPropertyValue {
	property_id: number;
	property_name?: string | null;
	scale_id?: number | null;
	scale_name?: string | null;
	value_ids: number[];
	values: string[];
}

export interface EtsyProduct {
	product_id: number;
	sku: string;
	is_deleted?: boolean;
	offerings: EtsyOffering[];
	property_values: EtsyPropertyValue[];
}

export interface EtsyInventory {
	products: EtsyProduct[];
	price_on_property?: number[];
	quantity_on_property?: number[];
	sku_on_property?: number[];
}

export interface EtsyListing {
	listing_id: number;
	title: string;
	state: string;
	quantity?: number;
	has_variations?: boolean;
	inventory?: EtsyInventory | null;
}

/** The listing states the sync reads (drafts and expired listings cannot be sold). */
export const ETSY_LISTING_STATES = ['active', 'sold_out', 'inactive'] as const;

const STATE: Record<string, ListingState> = { active: 'active', sold_out: 'outOfStock', inactive: 'inactive' };

/** A product's identity inside its listing: its property values, which survive Etsy's id changes. */
export function productKey(product: Pick<EtsyProduct, 'property_values'>): string {
	return product.property_values
		.map((p) => `${p.property_id}=${[...p.value_ids].sort((a, b) => a - b).join('+')}`)
		.sort()
		.join(';');
}

function liveProducts(inventory: EtsyInventory): EtsyProduct[] {
	return inventory.products.filter((p) => !p.is_deleted);
}

function liveOfferings(product: EtsyProduct): EtsyOffering[] {
	return product.offerings.filter((o) => !o.is_deleted);
}

/** One quantity shared by every product of the listing (Etsy: quantity does not vary by property). */
function sharesQuantity(inventory: EtsyInventory): boolean {
	return liveProducts(inventory).length > 1 && (inventory.quantity_on_property ?? []).length === 0;
}

/** The PUT body: every live product exactly as read, with `quantities` (by product key) applied. */
export function inventoryPutBody(inventory: EtsyInventory, quantities: ReadonlyMap<string, number>): Record<string, unknown> {
	return {
		products: liveProducts(inventory).map((product) => {
			const quantity = quantities.get(productKey(product));
			return {
				sku: product.sku,
				property_values: product.property_values.map((p) => ({
					property_id: p.property_id,
					value_ids: [...p.value_ids],
					// Etsy rejects a property value without its scale when the property has one.
					...(p.scale_id !== undefined && p.scale_id !== null ? { scale_id: p.scale_id } : {}),
					...(p.property_name ? { property_name: p.property_name } : {}),
					values: [...p.values],
				})),
				offerings: liveOfferings(product).map((o) => ({
					price: etsyMoneyToDecimal(o.price),
					quantity: quantity ?? o.quantity,
					is_enabled: o.is_enabled,
				})),
			};
		}),
		price_on_property: [...(inventory.price_on_property ?? [])],
		quantity_on_property: [...(inventory.quantity_on_property ?? [])],
		sku_on_property: [...(inventory.sku_on_property ?? [])],
	};
}

function quantityOf(product: EtsyProduct): number {
	return liveOfferings(product).reduce((sum, o) => sum + o.quantity, 0);
}

export class EtsyChannelInventory implements ChannelInventory {
	readonly platform = 'Etsy';
	/** Etsy shows or hides whole listings (state active / inactive). */
	readonly statusLevel = 'product';
	readonly storeId: string;
	readonly client: EtsyClient;

	constructor(transport: HttpTransport, clock: Clock, shopId: string, apiKey: string, baseUrl: string = ETSY_API_URL) {
		this.storeId = etsyShopId(shopId);
		this.client = new EtsyClient(transport, clock, apiKey, baseUrl);
	}

	private listingsOf(listing: EtsyListing, inventory: EtsyInventory): ChannelListing[] {
		const products = liveProducts(inventory);
		const shared = sharesQuantity(inventory);
		return products.map((product) => {
			const key = productKey(product);
			const options = product.property_values.map((p) => p.values.join(' / ')).filter(Boolean).join(', ');
			const offerings = liveOfferings(product);
			return {
				listingId: key ? `${listing.listing_id}/${key}` : String(listing.listing_id),
				sku: product.sku || null,
				barcode: null,
				handle: null,
				title: options ? `${listing.title} - ${options}` : listing.title,
				quantity: quantityOf(product),
				managed: true,
				state: STATE[listing.state] ?? 'inactive',
				shown: listing.state === 'active' || listing.state === 'sold_out',
				location: null,
				parentId: products.length > 1 ? String(listing.listing_id) : null,
				notWritable: offerings.length === 1 ? null : `the product has ${offerings.length} offerings; Etsy sells a product through one`,
				...(shared ? { stockKey: `listing:${listing.listing_id}` } : {}),
				target: { listingId: String(listing.listing_id), productKey: key },
			};
		});
	}

	private inventory(listingId: string): Promise<EtsyInventory> {
		return this.client.request<EtsyInventory>('GET', `/listings/${listingId}/inventory`);
	}

	async *listings(options: { skus: string[] }): AsyncIterable<ChannelListing[]> {
		const wanted = new Set(options.skus.map((s) => s.trim().toLowerCase()).filter(Boolean));
		for (const state of ETSY_LISTING_STATES) {
			// Listings in one state, ordered by Etsy's default (creation); a listing selling out moves to
			// sold_out while this is read: it may be read twice (dropped by id) or in its new state.
			const seen = new Set<number>();
			for (let offset = 0; ; offset += ETSY_MAX_LIMIT) {
				const page = await this.client.request<{ count: number; results: EtsyListing[] }>('GET', `/shops/${this.storeId}/listings`, {
					qs: { state, limit: ETSY_MAX_LIMIT, offset, includes: 'Inventory' },
				});
				const out: ChannelListing[] = [];
				for (const listing of page.results) {
					if (seen.has(listing.listing_id)) continue;
					seen.add(listing.listing_id);
					const inventory = listing.inventory ?? (await this.inventory(String(listing.listing_id)));
					for (const l of this.listingsOf(listing, inventory)) {
						if (wanted.size === 0 || (l.sku !== null && wanted.has(l.sku.trim().toLowerCase()))) out.push(l);
					}
				}
				if (out.length > 0) yield out;
				if (page.results.length < ETSY_MAX_LIMIT) break;
			}
		}
	}

	async refresh(listings: ChannelListing[]): Promise<ChannelListing[]> {
		const byListing = new Map<string, EtsyInventory>();
		const out: ChannelListing[] = [];
		for (const l of listings) {
			const id = l.target.listingId;
			let inventory = byListing.get(id);
			if (!inventory) {
				inventory = await this.inventory(id);
				byListing.set(id, inventory);
			}
			const fresh = this.listingsOf({ listing_id: Number(id), title: l.title, state: stateName(l.state) }, inventory).find((f) => f.target.productKey === l.target.productKey);
			if (fresh) out.push({ ...fresh, title: l.title, state: l.state, shown: l.shown });
		}
		return out;
	}

	async write(writes: ListingWrite[]): Promise<ListingWriteResult[]> {
		const results = new Map<ListingWrite, ListingWriteResult>();
		const byListing = new Map<string, ListingWrite[]>();
		for (const w of writes) {
			// A status-only write cannot be carried out; with a quantity, the quantity is written and the status left.
			if (w.show !== undefined && w.quantity === null) {
				results.set(w, { listingId: w.listing.listingId, ok: false, error: 'Etsy: showing or hiding a listing is not supported yet; only quantities are written (set 0 to stop sales)' });
				continue;
			}
			if (w.quantity === null) {
				results.set(w, { listingId: w.listing.listingId, ok: true });
				continue;
			}
			const id = w.listing.target.listingId;
			byListing.set(id, [...(byListing.get(id) ?? []), w]);
		}
		// Listings one after another: the client paces them under Etsy's 10 requests per second anyway.
		for (const [listingId, group] of byListing) {
			try {
				await this.writeListing(listingId, group, results);
			} catch (error) {
				for (const w of group) if (!results.has(w)) results.set(w, { listingId: w.listing.listingId, ok: false, error: describeError(error) });
			}
		}
		return writes.map((w) => results.get(w) ?? { listingId: w.listing.listingId, ok: false, error: 'not written' });
	}

	/** Read, compare with what the sync read, change only what differs, PUT the whole inventory once. */
	private async writeListing(listingId: string, group: ListingWrite[], results: Map<ListingWrite, ListingWriteResult>): Promise<void> {
		const inventory = await this.inventory(listingId);
		const products = new Map(liveProducts(inventory).map((p) => [productKey(p), p]));
		const shared = sharesQuantity(inventory);
		const quantities = new Map<string, number>();
		const applied: ListingWrite[] = [];
		for (const w of group) {
			const product = products.get(w.listing.target.productKey);
			if (!product) {
				results.set(w, { listingId: w.listing.listingId, ok: false, stale: true, current: null, error: 'the product is no longer in the listing (its variations changed)' });
				continue;
			}
			const current = quantityOf(product);
			if (w.expected !== null && current !== w.expected) {
				// Sold (or changed) on Etsy since it was read: the caller reads again and decides again.
				results.set(w, { listingId: w.listing.listingId, ok: false, stale: true, current });
				continue;
			}
			if (liveOfferings(product).length !== 1) {
				results.set(w, { listingId: w.listing.listingId, ok: false, error: `the product has ${liveOfferings(product).length} offerings; Etsy sells a product through one` });
				continue;
			}
			const quantity = w.quantity as number;
			if (!Number.isInteger(quantity) || quantity < 0 || quantity > 999) {
				results.set(w, { listingId: w.listing.listingId, ok: false, error: `Etsy takes quantities from 0 to 999, not ${quantity}` });
				continue;
			}
			const keys = shared ? [...products.keys()] : [w.listing.target.productKey];
			// Products sharing one quantity are all set: Etsy refuses them differing.
			if (keys.some((key) => quantities.has(key) && quantities.get(key) !== quantity)) {
				results.set(w, { listingId: w.listing.listingId, ok: false, error: 'another write asks a different quantity for a product of this listing, and its products share one quantity on Etsy' });
				continue;
			}
			for (const key of keys) quantities.set(key, quantity);
			applied.push(w);
		}
		const changes = new Map([...quantities].filter(([key, q]) => quantityOf(products.get(key) as EtsyProduct) !== q));
		if (changes.size > 0) {
			const failure = await this.client.request('PUT', `/listings/${listingId}/inventory`, { body: inventoryPutBody(inventory, changes), write: true }).then(
				() => null,
				(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
			);
			if (failure !== null && !(failure instanceof UnknownOutcomeError)) throw failure;
			if (failure !== null) {
				// The answer was lost: look before deciding, never PUT again blindly (a sale may have come in since).
				const after = new Map(liveProducts(await this.inventory(listingId)).map((p) => [productKey(p), p]));
				for (const w of applied) {
					const product = after.get(w.listing.target.productKey);
					const now = product ? quantityOf(product) : null;
					results.set(w, now === w.quantity
						? { listingId: w.listing.listingId, ok: true }
						: { listingId: w.listing.listingId, ok: false, stale: true, current: now, error: 'Etsy did not answer the write and the listing does not hold the new quantity; read again before writing' });
				}
				return;
			}
		}
		for (const w of applied) results.set(w, { listingId: w.listing.listingId, ok: true });
	}
}

function stateName(state: ListingState): string {
	return state === 'outOfStock' ? 'sold_out' : state;
}
