/**
 * Shopify stock for the sync nodes: as the main store (every variant's "available" quantity per
 * location, summed over the chosen ones; only what changed since a cursor, through the locations'
 * inventory levels filtered by updated_at) and as a channel (its variants as listings at one location,
 * written with inventorySetQuantities in batches, compare-and-set with changeFromQuantity and an
 * idempotency key). Bundle parents (requiresComponents) take no inventory writes: they are reported,
 * not sent, so one of them cannot fail a whole batch.
 */
import { createHash, randomUUID } from 'crypto';
import type { InventoryRecord, ProductStatus } from '../../core/model';
import { PlatformError } from '../errors';
import type { Clock, HttpTransport } from '../http';
import type { ChannelInventory, ChannelListing, InventoryReadOptions, ListingWrite, ListingWriteResult, MainAdjustResult, MainAdjustment, MainInventory, StockLocation } from '../inventory';
import { UnknownOutcomeError } from '../retry';
import { gidType, runBulkQuery } from './bulk';
import type { BulkStats } from './bulk';
import { ShopifyClient } from './client';
import type { Connection } from './client';
import { inventoryAdjust, inventorySetQuantities, locations, productStatus, quoted } from './operations';

/** Quantities per inventorySetQuantities call (Shopify's limit is 250). */
export const SET_BATCH = 250;
/** Identifiers per search query. */
const SEARCH_BATCH = 50;
/** Variants per nodes(ids:) look-up: each costs about 65 points with its levels, under the 1,000-point limit. */
const ID_BATCH = 12;

/** Components read per bundle: Shopify allows at most 30 components per bundle. */
const COMPONENTS_PER_BUNDLE = 30;
/** Bundles per components look-up: 30 components each cost about 31 points, under the 1,000-point limit. */
const BUNDLE_BATCH = 25;

/** Locations read per variant in paged reads; bulk reads (whole catalogues) read every level. */
const LEVELS_PER_VARIANT = 10;

const VARIANT_FIELDS = `id sku barcode title requiresComponents updatedAt
	product { id handle title status }
	inventoryItem { id tracked inventoryLevels(first: ${LEVELS_PER_VARIANT}) { nodes { location { id name } quantities(names: ["available"]) { name quantity } } } }`;

export const VARIANT_STOCK_QUERY = `query VariantStock($first: Int!, $after: String, $query: String) {
	productVariants(first: $first, after: $after, query: $query) { nodes { ${VARIANT_FIELDS} } pageInfo { hasNextPage endCursor } }
}`;

/**
 * Every variant with every inventory level, as one bulk operation (https://shopify.dev/docs/api/usage/bulk-operations/queries):
 * a catalogue of 50,000 variants costs a few requests instead of thousands of pages. Levels come back as
 * lines of their own whose __parentId is the variant.
 */
export const BULK_VARIANTS_QUERY = `{
	productVariants { edges { node { id sku barcode title requiresComponents
		product { id handle title status }
		inventoryItem { id tracked inventoryLevels { edges { node { id location { id name } quantities(names: ["available"]) { name quantity } } } } } } } }
}`;

/** Above this many SKUs, a channel's listings are read in bulk rather than searched 50 at a time. */
export const BULK_SKU_THRESHOLD = 2000;
/** Records per page handed on from a bulk read, so downstream work starts early and memory stays flat. */
const BULK_PAGE = 1000;

export const VARIANTS_BY_ID_QUERY = `query VariantsById($ids: [ID!]!) {
	nodes(ids: $ids) { ... on ProductVariant { ${VARIANT_FIELDS} } }
}`;

export const CHANGED_LEVELS_QUERY = `query ChangedLevels($location: ID!, $first: Int!, $after: String, $query: String) {
	location(id: $location) { inventoryLevels(first: $first, after: $after, query: $query) { nodes { item { variant { id } } } pageInfo { hasNextPage endCursor } } }
}`;

export const BUNDLE_COMPONENTS_QUERY = `query BundleComponents($ids: [ID!]!) {
	nodes(ids: $ids) { ... on ProductVariant { id productVariantComponents(first: ${COMPONENTS_PER_BUNDLE}) { nodes { quantity productVariant { sku } } pageInfo { hasNextPage } } } }
}`;

export const CHANGED_VARIANTS_QUERY = `query ChangedVariants($first: Int!, $after: String, $query: String) {
	productVariants(first: $first, after: $after, query: $query) { nodes { id } pageInfo { hasNextPage endCursor } }
}`;

interface GqlVariant {
	id: string;
	sku: string | null;
	barcode: string | null;
	title: string;
	requiresComponents: boolean;
	product: { id: string; handle: string; title: string; status: string };
	inventoryItem: { id: string; tracked: boolean; inventoryLevels: { nodes: Array<{ location: { id: string; name: string }; quantities: Array<{ name: string; quantity: number }> }> } };
}

const STATUS: Record<string, ProductStatus> = { ACTIVE: 'active', DRAFT: 'draft', ARCHIVED: 'archived' };

function titleOf(v: GqlVariant): string {
	return v.title === 'Default Title' ? v.product.title : `${v.product.title} - ${v.title}`;
}

function available(level: { quantities: Array<{ name: string; quantity: number }> }): number {
	return level.quantities.find((q) => q.name === 'available')?.quantity ?? 0;
}

/**
 * Every variant in one bulk operation, handed on in pages. `download` carries no credential (the file is
 * on a storage host); `stats` receives the operation's figures.
 */
async function* bulkVariants(client: ShopifyClient, download: HttpTransport, clock: Clock, onStats?: (stats: BulkStats) => void): AsyncIterable<GqlVariant[]> {
	const { roots, stats } = await runBulkQuery(client, download, clock, BULK_VARIANTS_QUERY, {
		connectionOf: (child) => (gidType(child.id) === 'InventoryLevel' ? 'inventoryLevels' : undefined),
	});
	onStats?.(stats);
	for (let i = 0; i < roots.length; i += BULK_PAGE) {
		yield roots.slice(i, i + BULK_PAGE).map((root) => {
			// The levels hang off the variant (their __parentId); put them where paged reads have them.
			const { inventoryLevels, ...variant } = root as unknown as GqlVariant & { inventoryLevels?: GqlVariant['inventoryItem']['inventoryLevels'] };
			return { ...variant, inventoryItem: { ...variant.inventoryItem, inventoryLevels: inventoryLevels ?? { nodes: [] } } };
		});
	}
}

/** Variants page by page: all, or by SKU (many per search), or by id. */
async function* variants(client: ShopifyClient, options: { skus: string[]; ids?: string[] }): AsyncIterable<GqlVariant[]> {
	if (options.ids) {
		for (let i = 0; i < options.ids.length; i += ID_BATCH) {
			const data = await client.request<{ nodes: Array<GqlVariant | null> }>(VARIANTS_BY_ID_QUERY, { ids: options.ids.slice(i, i + ID_BATCH) });
			const found = data.nodes.filter((n): n is GqlVariant => n !== null && typeof n === 'object' && 'sku' in n);
			if (found.length > 0) yield found;
		}
		return;
	}
	const select = (d: unknown) => (d as { productVariants: Connection<GqlVariant> }).productVariants;
	if (options.skus.length === 0) {
		yield* client.pages<GqlVariant>(VARIANT_STOCK_QUERY, { first: 10, query: null }, select);
		return;
	}
	const unique = [...new Set(options.skus.filter((s) => s !== ''))];
	for (let i = 0; i < unique.length; i += SEARCH_BATCH) {
		const query = unique.slice(i, i + SEARCH_BATCH).map((s) => `sku:${quoted(s)}`).join(' OR ');
		yield* client.pages<GqlVariant>(VARIANT_STOCK_QUERY, { first: 10, query }, select);
	}
}

async function storeLocations(client: ShopifyClient): Promise<StockLocation[]> {
	return (await locations(client)).map((l) => ({ id: l.id, name: l.name, active: l.isActive }));
}

async function chosenLocations(client: ShopifyClient, names: string[]): Promise<StockLocation[]> {
	const all = await storeLocations(client);
	if (names.length === 0) return all.filter((l) => l.active);
	const wanted = names.map((n) => n.trim().toLowerCase());
	const chosen = all.filter((l) => wanted.includes(l.name.toLowerCase()));
	const missing = names.filter((n) => !all.some((l) => l.name.toLowerCase() === n.trim().toLowerCase()));
	if (missing.length > 0) {
		throw new PlatformError('Shopify', `no location named ${missing.map((m) => `"${m}"`).join(', ')}`, 200, 'LOCATION_NOT_FOUND',
			`The store's locations are: ${all.map((l) => l.name).join(', ')}.`);
	}
	return chosen;
}

/**
 * Fills in the components of the bundle parents among `records` (their stock follows their components:
 * Apply Inventory Rules computes it from them). A component without a SKU cannot be looked up among the
 * items, so its bundle keeps an empty list and a note.
 */
async function fillBundleComponents(client: ShopifyClient, records: InventoryRecord[]): Promise<void> {
	const bundles = records.filter((r) => r.bundleComponents !== null && r.variantId);
	for (let i = 0; i < bundles.length; i += BUNDLE_BATCH) {
		const slice = bundles.slice(i, i + BUNDLE_BATCH);
		type Node = { id: string; productVariantComponents: { nodes: Array<{ quantity: number; productVariant: { sku: string | null } }> } } | null;
		const data = await client.request<{ nodes: Node[] }>(BUNDLE_COMPONENTS_QUERY, { ids: slice.map((r) => r.variantId) });
		for (const node of data.nodes) {
			const record = node && slice.find((r) => r.variantId === node.id);
			if (!record || !node) continue;
			const parts = node.productVariantComponents.nodes;
			record.bundleComponents = parts.every((p) => p.productVariant.sku) ? parts.map((p) => ({ sku: p.productVariant.sku as string, quantity: p.quantity })) : [];
		}
	}
}

/** Changes per inventoryAdjustQuantities call. */
const ADJUST_BATCH = 250;

export class ShopifyMainInventory implements MainInventory {
	readonly platform = 'Shopify';
	readonly client: ShopifyClient;

	/** Figures of the last bulk read, for benchmarks. */
	lastBulk: BulkStats | undefined;

	/** `download`: a transport WITHOUT the store's credential, for bulk result files; without it, full reads are paged. */
	constructor(transport: HttpTransport, private readonly clock: Clock, readonly storeId: string, apiVersion?: string, private readonly download?: HttpTransport) {
		this.client = new ShopifyClient(transport, clock, storeId, apiVersion);
	}

	locations(): Promise<StockLocation[]> {
		return storeLocations(this.client);
	}

	private record(v: GqlVariant, chosen: StockLocation[]): InventoryRecord | null {
		if (!v.sku) return null;
		const levels = v.inventoryItem.inventoryLevels.nodes.filter((l) => chosen.some((c) => c.id === l.location.id));
		const perLocation = levels.map((l) => ({ locationId: l.location.id, locationName: l.location.name, quantity: available(l) }));
		return {
			kind: 'inventory', sku: v.sku, barcode: v.barcode, handle: v.product.handle, title: titleOf(v),
			quantity: perLocation.reduce((s, l) => s + l.quantity, 0), locations: perLocation, stockManaged: v.inventoryItem.tracked,
			productStatus: STATUS[v.product.status] ?? 'draft',
			// A bundle's stock follows its components, read afterwards for the bundles only (fillBundleComponents).
			bundleComponents: v.requiresComponents ? [] : null,
			productId: v.product.id, variantId: v.id, inventoryItemId: v.inventoryItem.id,
		};
	}

	async *read(options: InventoryReadOptions): AsyncIterable<InventoryRecord[]> {
		const chosen = await chosenLocations(this.client, options.locationNames);
		let source: AsyncIterable<GqlVariant[]>;
		if (options.changedSince) {
			// Quantities changed at a chosen location, and variants changed themselves (SKU, status).
			const ids = new Set<string>();
			const filter = `updated_at:>${quoted(options.changedSince)}`;
			for (const location of chosen) {
				type Page = { location: { inventoryLevels: Connection<{ item: { variant: { id: string } | null } }> } | null };
				const select = (d: unknown) => (d as Page).location?.inventoryLevels ?? { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
				for await (const nodes of this.client.pages<{ item: { variant: { id: string } | null } }>(CHANGED_LEVELS_QUERY, { location: location.id, first: 250, query: filter }, select)) {
					for (const n of nodes) if (n.item.variant) ids.add(n.item.variant.id);
				}
			}
			const select = (d: unknown) => (d as { productVariants: Connection<{ id: string }> }).productVariants;
			for await (const nodes of this.client.pages<{ id: string }>(CHANGED_VARIANTS_QUERY, { first: 250, query: filter }, select)) {
				for (const n of nodes) ids.add(n.id);
			}
			source = variants(this.client, { skus: [], ids: [...ids] });
		} else if (options.skus.length === 0 && this.download) {
			source = bulkVariants(this.client, this.download, this.clock, (stats) => (this.lastBulk = stats));
		} else {
			source = variants(this.client, { skus: options.skus });
		}
		const onlySkus = new Set(options.skus);
		for await (const page of source) {
			const records = page.map((v) => this.record(v, chosen)).filter((r): r is InventoryRecord => r !== null && (onlySkus.size === 0 || onlySkus.has(r.sku)));
			await fillBundleComponents(this.client, records);
			if (records.length > 0) yield records;
		}
	}

	/**
	 * inventoryAdjustQuantities ("available", reason correction), 250 changes per call under one idempotency
	 * key made from the changes' own keys: sent again (a retry, a re-run after a lost answer) it is applied
	 * once. A call is all or nothing, so a refusal fails its changes together.
	 */
	async adjust(changes: MainAdjustment[]): Promise<MainAdjustResult[]> {
		const results: MainAdjustResult[] = [];
		for (let i = 0; i < changes.length; i += ADJUST_BATCH) {
			const batch = changes.slice(i, i + ADJUST_BATCH);
			const missing = batch.find((c) => !c.inventoryItemId || !c.locationId);
			if (missing) {
				results.push(...batch.map((c) => (c === missing || !c.inventoryItemId || !c.locationId
					? { ok: false, error: `SKU ${c.sku} has no inventory item at a chosen location in Shopify` }
					: { ok: false, error: 'not sent: another change of its batch could not be' })));
				continue;
			}
			const key = `cs-2w-${createHash('sha256').update(batch.map((c) => c.key).join('|')).digest('hex').slice(0, 32)}`;
			try {
				await inventoryAdjust(this.client, key, batch.map((c) => ({ inventoryItemId: c.inventoryItemId as string, locationId: c.locationId as string, delta: c.delta })), 'correction', 'logistics://commerce-sync/two-way');
				results.push(...batch.map(() => ({ ok: true })));
			} catch (error) {
				const unknown = error instanceof UnknownOutcomeError;
				const message = error instanceof PlatformError ? error.platformMessage : (error as Error).message;
				results.push(...batch.map(() => ({ ok: false, unknown, error: message })));
			}
		}
		return results;
	}
}

export class ShopifyChannelInventory implements ChannelInventory {
	readonly platform = 'Shopify';
	readonly statusLevel = 'product';
	readonly client: ShopifyClient;
	private chosen: Promise<StockLocation[]> | undefined;

	/**
	 * `where`: the location the channel's stock is written at, by name (empty: the first active location);
	 * or, for mapped locations, several names, each listing then being a variant at one of them. Names the
	 * store does not have are an error, or skipped with `skipUnknown` (same-name mapping: the main store's
	 * other locations simply have no counterpart here), as long as one is found.
	 */
	constructor(
		transport: HttpTransport,
		private readonly clock: Clock,
		readonly storeId: string,
		private readonly where: string | { names: string[]; skipUnknown: boolean } = '',
		apiVersion?: string,
		private readonly download?: HttpTransport,
	) {
		this.client = new ShopifyClient(transport, clock, storeId, apiVersion);
	}

	private get mapped(): boolean {
		return typeof this.where !== 'string';
	}

	private writeLocations(): Promise<StockLocation[]> {
		this.chosen ??= (async () => {
			if (typeof this.where === 'string') {
				const all = await chosenLocations(this.client, this.where ? [this.where] : []);
				if (!all[0]) throw new PlatformError('Shopify', 'the store has no active location', 200, undefined);
				return [all[0]];
			}
			if (!this.where.skipUnknown) return chosenLocations(this.client, this.where.names);
			const all = await this.locations();
			const wanted = new Set(this.where.names.map((n) => n.trim().toLowerCase()));
			const found = all.filter((l) => wanted.has(l.name.toLowerCase()));
			if (found.length === 0) {
				throw new PlatformError('Shopify', `no location is named like a main-store location (${this.where.names.join(', ')})`, 200, 'LOCATION_NOT_FOUND',
					`The channel's locations are: ${all.map((l) => l.name).join(', ')}. Rename one, or map locations with a table.`);
			}
			return found;
		})();
		return this.chosen;
	}

	locations(): Promise<StockLocation[]> {
		return storeLocations(this.client);
	}

	private listing(v: GqlVariant, location: StockLocation): ChannelListing {
		const level = v.inventoryItem.inventoryLevels.nodes.find((l) => l.location.id === location.id);
		return {
			listingId: v.id, sku: v.sku, barcode: v.barcode, handle: v.product.handle, title: titleOf(v),
			quantity: level ? available(level) : null, managed: v.inventoryItem.tracked,
			state: v.product.status !== 'ACTIVE' ? 'inactive' : level && available(level) <= 0 ? 'outOfStock' : 'active',
			shown: v.product.status === 'ACTIVE',
			location: this.mapped ? location.name : null,
			parentId: v.product.id,
			notWritable: v.requiresComponents ? 'a bundle parent: Shopify takes no inventory writes for it (its stock follows its components)'
				: !v.inventoryItem.tracked ? 'Shopify does not track this variant\'s inventory; turn on "Track quantity" for it' : null,
			target: { inventoryItemId: v.inventoryItem.id, locationId: location.id },
		};
	}

	async *listings(options: { skus: string[] }): AsyncIterable<ChannelListing[]> {
		const chosen = await this.writeLocations();
		// The whole catalogue, or more SKUs than searching 50 at a time is worth: one bulk read.
		// (Listings of other SKUs come too; matching leaves them alone.)
		const inBulk = this.download && (options.skus.length === 0 || options.skus.length > BULK_SKU_THRESHOLD);
		const source = inBulk && this.download ? bulkVariants(this.client, this.download, this.clock) : variants(this.client, { skus: options.skus });
		for await (const page of source) yield page.flatMap((v) => chosen.map((location) => this.listing(v, location)));
	}

	async refresh(listings: ChannelListing[]): Promise<ChannelListing[]> {
		const chosen = await this.writeLocations();
		const out: ChannelListing[] = [];
		for await (const page of variants(this.client, { skus: [], ids: [...new Set(listings.map((l) => l.listingId))] })) {
			out.push(...page.flatMap((v) => chosen.map((location) => this.listing(v, location))).filter((l) => listings.some((asked) => asked.listingId === l.listingId && asked.location === l.location)));
		}
		return out;
	}

	/**
	 * 250 quantities per call, each compare-and-set against what was read. Shopify applies a call whole
	 * or not at all: a quantity refused as stale is reported (the caller re-reads and writes it again) and
	 * the rest of its call is sent again without it, under a new key.
	 */
	async write(writes: ListingWrite[]): Promise<ListingWriteResult[]> {
		const results = await this.writeQuantities(writes.filter((w) => w.quantity !== null));
		// Shown or hidden is the product's status: set once per product, after its quantities (a listing
		// whose quantity was refused keeps its status until it is written again).
		const products = new Map<string, { show: boolean; writes: ListingWrite[] }>();
		for (const w of writes) {
			if (w.show === undefined || !w.listing.parentId || (results.get(w) && !results.get(w)?.ok)) continue;
			const p = products.get(w.listing.parentId) ?? { show: w.show, writes: [] };
			p.show ||= w.show;
			p.writes.push(w);
			products.set(w.listing.parentId, p);
		}
		for (const [productId, p] of products) {
			let error: string | undefined;
			try {
				await productStatus(this.client, productId, p.show ? 'ACTIVE' : 'DRAFT');
			} catch (e) {
				error = `changing the product's status: ${e instanceof Error ? e.message : String(e)}`;
			}
			for (const w of p.writes) results.set(w, error ? { listingId: w.listing.listingId, ok: false, error } : { listingId: w.listing.listingId, ok: true });
		}
		return writes.map((w) => results.get(w) ?? { listingId: w.listing.listingId, ok: true });
	}

	private async writeQuantities(writes: ListingWrite[]): Promise<Map<ListingWrite, ListingWriteResult>> {
		const results = new Map<ListingWrite, ListingWriteResult>();
		// One key per write call: a resend of the same call is applied once, while the same quantities
		// written by a later run (the channel sold back to the old figure since) are a new write.
		const call = randomUUID();
		for (let i = 0; i < writes.length; i += SET_BATCH) {
			let pending = writes.slice(i, i + SET_BATCH);
			for (let attempt = 0; pending.length > 0 && attempt < 3; attempt++) {
				const quantities = pending.map((w) => ({ inventoryItemId: w.listing.target.inventoryItemId, locationId: w.listing.target.locationId, quantity: w.quantity as number, changeFromQuantity: w.expected }));
				const key = createHash('sha256').update(call).update(JSON.stringify(quantities)).digest('hex').slice(0, 32);
				let errors;
				try {
					errors = await inventorySetQuantities(this.client, `cs-stock-${key}`, quantities, 'correction');
				} catch (error) {
					for (const w of pending) results.set(w, { listingId: w.listing.listingId, ok: false, error: error instanceof Error ? error.message : String(error) });
					pending = [];
					break;
				}
				if (errors.length === 0) {
					for (const w of pending) results.set(w, { listingId: w.listing.listingId, ok: true });
					pending = [];
					break;
				}
				// Which quantities were refused: field paths like ["input", "quantities", "3", "changeFromQuantity"].
				const refused = new Map<number, { message: string; code?: string | null }>();
				for (const e of errors) {
					const index = Number(e.field?.[2]);
					if (e.field?.[1] === 'quantities' && Number.isInteger(index)) refused.set(index, e);
				}
				if (refused.size === 0) {
					const message = errors.map((e) => e.message).join('; ');
					for (const w of pending) results.set(w, { listingId: w.listing.listingId, ok: false, error: message });
					pending = [];
					break;
				}
				for (const [index, e] of refused) {
					const w = pending[index];
					results.set(w, e.code === 'CHANGE_FROM_QUANTITY_STALE'
						? { listingId: w.listing.listingId, ok: false, stale: true, error: e.message }
						: { listingId: w.listing.listingId, ok: false, error: e.message });
				}
				pending = pending.filter((_, index) => !refused.has(index));
			}
			for (const w of pending) results.set(w, { listingId: w.listing.listingId, ok: false, error: 'Shopify kept refusing this batch' });
		}
		return results;
	}
}
