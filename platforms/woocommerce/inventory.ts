/**
 * WooCommerce stock for the sync nodes: as the main store (every product and variation as an inventory
 * record) and as a channel (its products and variations as listings, written through /products/batch
 * and /products/{id}/variations/batch, 100 per request). WooCommerce has one stock figure per item and
 * no locations; its REST API sets absolute quantities and cannot compare-and-set, so the node reads right
 * before it writes and says so.
 */
import type { InventoryRecord, ProductStatus } from '../../core/model';
import type { Clock, HttpTransport } from '../http';
import type { ChannelInventory, ChannelListing, InventoryReadOptions, ListingWrite, ListingWriteResult, MainAdjustResult, MainAdjustment, MainInventory, StockLocation } from '../inventory';
import { PlatformError } from '../errors';
import { UnknownOutcomeError } from '../retry';
import { mapLimit } from '../concurrency';
import { WOO_MAX_BATCH, WooClient } from './client';

interface WooItem {
	id: number;
	parent_id?: number;
	type?: string;
	name: string;
	slug?: string;
	status?: string;
	sku: string;
	manage_stock: boolean | 'parent';
	stock_quantity: number | null;
	stock_status: string;
	attributes?: Array<{ name?: string; option?: string }>;
	variations?: number[];
	date_modified_gmt?: string;
}

/** WooCommerce has no locations: one stock figure per product or variation. */
export const WOO_LOCATION: StockLocation = { id: 'woocommerce', name: 'Store', active: true };

const STATUS: Record<string, ProductStatus> = { publish: 'active', draft: 'draft', pending: 'draft', private: 'archived' };

function wooTime(iso: string): string {
	return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '');
}

/** Requests in flight at once: WooCommerce has no rate limit of its own, and a PHP server takes a few at a time well. */
export const WOO_CONCURRENCY = 4;

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
	const out: T[] = [];
	for await (const page of pages) out.push(...page);
	return out;
}

/**
 * Every product and, for variable products, every variation, page by page (by id, so nothing shifts); or
 * the products and variations carrying the given SKUs, 50 per request. A few requests run at once.
 */
async function* items(client: WooClient, options: { skus: string[]; changedSince?: string }): AsyncIterable<Array<{ item: WooItem; parent: WooItem | null }>> {
	const since = options.changedSince ? { modified_after: wooTime(options.changedSince), dates_are_gmt: true } : {};
	if (options.skus.length > 0) {
		const unique = [...new Set(options.skus.filter((s) => s !== '' && !s.includes(',')))];
		const chunks: string[][] = [];
		for (let i = 0; i < unique.length; i += 50) chunks.push(unique.slice(i, i + 50));
		// A variation found by SKU whose stock is its parent's needs the parent: that is where its stock is.
		const parents = new Map<number, WooItem>();
		for (let g = 0; g < chunks.length; g += WOO_CONCURRENCY) {
			const found = (await mapLimit(chunks.slice(g, g + WOO_CONCURRENCY), WOO_CONCURRENCY, (chunk) => all(client.pages<WooItem>('/products', { sku: chunk.join(','), status: 'any', ...since })))).flat();
			// The missing parents 100 by id per request, not one request each.
			const missing = [...new Set(found.filter((item) => item.parent_id && item.manage_stock === 'parent' && !parents.has(item.parent_id)).map((item) => item.parent_id as number))];
			const groups: number[][] = [];
			for (let j = 0; j < missing.length; j += 100) groups.push(missing.slice(j, j + 100));
			for (const list of await mapLimit(groups, WOO_CONCURRENCY, (ids) => all(client.pages<WooItem>('/products', { include: ids.join(','), status: 'any' })))) {
				for (const p of list) parents.set(p.id, p);
			}
			yield found.map((item) => ({ item, parent: item.parent_id && item.manage_stock === 'parent' ? (parents.get(item.parent_id) ?? null) : null }));
		}
		return;
	}
	for await (const page of client.pages<WooItem>('/products', { status: 'any', orderby: 'id', order: 'asc', ...since })) {
		// A variation's stock change saves its parent too (WC_Product_Variable::sync), so a changed parent
		// is where changed variations are found.
		const variable = page.filter((product) => product.type === 'variable');
		const variations = await mapLimit(variable, WOO_CONCURRENCY, (product) => all(client.pages<WooItem>(`/products/${product.id}/variations`, { orderby: 'id', order: 'asc' })));
		const byParent = new Map(variable.map((product, k) => [product.id, variations[k]]));
		const out: Array<{ item: WooItem; parent: WooItem | null }> = [];
		for (const product of page) {
			if (product.type !== 'variable') {
				out.push({ item: product, parent: null });
				continue;
			}
			// A variation without a SKU of its own answers with its parent's (get_sku in view context): that is not its SKU.
			for (const v of byParent.get(product.id) ?? []) out.push({ item: { ...v, parent_id: product.id, sku: v.sku === product.sku ? '' : v.sku }, parent: product });
		}
		yield out;
	}
}

function stockOf(item: WooItem, parent: WooItem | null): { managed: boolean; quantity: number | null } {
	if (item.manage_stock === true) return { managed: true, quantity: item.stock_quantity };
	if (item.manage_stock === 'parent' && parent?.manage_stock === true) return { managed: true, quantity: parent.stock_quantity };
	return { managed: false, quantity: null };
}

function titleOf(item: WooItem, parent: WooItem | null): string {
	const options = (item.attributes ?? []).map((a) => a.option).filter(Boolean).join(', ');
	return parent ? `${parent.name}${options ? ` - ${options}` : ''}` : item.name;
}

export class WooMainInventory implements MainInventory {
	readonly platform = 'WooCommerce';
	readonly client: WooClient;

	constructor(transport: HttpTransport, clock: Clock, readonly storeId: string) {
		this.client = new WooClient(transport, clock, storeId);
	}

	async locations(): Promise<StockLocation[]> {
		return [WOO_LOCATION];
	}

	async *read(options: InventoryReadOptions): AsyncIterable<InventoryRecord[]> {
		for await (const page of items(this.client, options)) {
			const records: InventoryRecord[] = [];
			for (const { item, parent } of page) {
				if (item.type === 'variable' || item.type === 'grouped' || item.type === 'external' || !item.sku) continue;
				const stock = stockOf(item, parent);
				const quantity = stock.quantity ?? 0;
				records.push({
					kind: 'inventory', sku: item.sku, barcode: null, handle: (parent ?? item).slug ?? null, title: titleOf(item, parent),
					quantity, locations: [{ locationId: WOO_LOCATION.id, locationName: WOO_LOCATION.name, quantity }],
					stockManaged: stock.managed, productStatus: STATUS[(parent ?? item).status ?? 'publish'] ?? 'draft', bundleComponents: null,
					productId: String(parent?.id ?? item.id), variantId: parent ? String(item.id) : null, inventoryItemId: null,
				});
			}
			if (records.length > 0) yield records;
		}
	}

	/**
	 * WooCommerce's `inventory_delta` (the REST products controller adds it to the stock it holds, so a
	 * sale in between is not overwritten), through the product and per-parent variation batch routes, 100
	 * a request. It takes no idempotency key: a lost answer is reported unknown, never sent again here.
	 */
	async adjust(changes: MainAdjustment[]): Promise<MainAdjustResult[]> {
		const results: MainAdjustResult[] = changes.map(() => ({ ok: false, error: 'not sent' }));
		const groups = new Map<string, number[]>();
		changes.forEach((c, i) => {
			const path = c.variantId ? `/products/${Number(c.productId)}/variations/batch` : '/products/batch';
			groups.set(path, [...(groups.get(path) ?? []), i]);
		});
		const jobs: Array<{ path: string; indexes: number[] }> = [];
		for (const [path, indexes] of groups) for (let i = 0; i < indexes.length; i += WOO_MAX_BATCH) jobs.push({ path, indexes: indexes.slice(i, i + WOO_MAX_BATCH) });
		await mapLimit(jobs, 4, async ({ path, indexes }) => {
			const update = indexes.map((i) => ({ id: Number(changes[i].variantId ?? changes[i].productId), inventory_delta: changes[i].delta }));
			try {
				const answer = await this.client.request<{ update?: Array<{ id: number; error?: { message: string } }> }>('POST', path, { body: { update }, write: true });
				indexes.forEach((i, k) => {
					const r = answer.update?.[k];
					results[i] = r && !r.error ? { ok: true } : { ok: false, error: r?.error?.message ?? 'no answer for it in the batch' };
				});
			} catch (error) {
				const unknown = error instanceof UnknownOutcomeError;
				const message = error instanceof PlatformError ? error.platformMessage : (error as Error).message;
				for (const i of indexes) results[i] = { ok: false, unknown, error: message };
			}
		});
		return results;
	}
}

export class WooChannelInventory implements ChannelInventory {
	readonly platform = 'WooCommerce';
	readonly statusLevel = 'listing';
	readonly client: WooClient;

	constructor(transport: HttpTransport, clock: Clock, readonly storeId: string) {
		this.client = new WooClient(transport, clock, storeId);
	}

	private listing(item: WooItem, parent: WooItem | null): ChannelListing {
		const stock = stockOf(item, parent);
		const holderIsParent = item.manage_stock === 'parent' && parent !== null;
		const notWritable = item.type === 'external' ? 'an external product cannot have stock in WooCommerce'
			: item.type === 'grouped' ? 'a grouped product has no stock of its own in WooCommerce'
				: item.type === 'variable' ? 'a variable product\'s stock is on its variations' : null;
		return {
			listingId: String(item.id), sku: item.sku || null, barcode: null, handle: (parent ?? item).slug ?? null, title: titleOf(item, parent),
			quantity: stock.quantity, managed: stock.managed,
			state: (parent ?? item).status !== 'publish' ? 'inactive' : item.stock_status === 'outofstock' ? 'outOfStock' : 'active',
			shown: (item.status ?? 'publish') === 'publish',
			location: null,
			...(holderIsParent ? { stockKey: `product:${parent.id}` } : {}),
			parentId: parent ? String(parent.id) : item.parent_id ? String(item.parent_id) : null, notWritable,
			// A variation whose stock is its parent's is written on the parent; its status is its own.
			target: {
				...(holderIsParent ? { productId: String(parent.id) } : item.parent_id ? { productId: String(item.parent_id), variationId: String(item.id) } : { productId: String(item.id) }),
				...(item.parent_id ? { ownProductId: String(item.parent_id), ownVariationId: String(item.id) } : { ownProductId: String(item.id) }),
			},
		};
	}

	async *listings(options: { skus: string[] }): AsyncIterable<ChannelListing[]> {
		for await (const page of items(this.client, { skus: options.skus })) yield page.map(({ item, parent }) => this.listing(item, parent));
	}

	async refresh(listings: ChannelListing[]): Promise<ChannelListing[]> {
		const out: ChannelListing[] = [];
		for (const l of listings) {
			const path = l.target.variationId ? `/products/${l.target.productId}/variations/${l.target.variationId}` : `/products/${l.target.productId}`;
			const item = await this.client.request<WooItem>('GET', path);
			out.push({ ...this.listing({ ...item, parent_id: l.target.variationId ? Number(l.target.productId) : item.parent_id }, null), listingId: l.listingId, sku: l.sku, title: l.title, target: l.target });
		}
		return out;
	}

	/**
	 * Products through /products/batch, variations through their parent's /variations/batch, 100 a request.
	 * A quantity goes where the stock is held (a variation's parent when it shares the parent's stock); a
	 * status goes on the listing itself: a product is hidden as a draft, a variation as private (WooCommerce's
	 * "Enabled" box), and shown again as published. Two writes to one product or variation are sent as one update.
	 */
	async write(writes: ListingWrite[]): Promise<ListingWriteResult[]> {
		const results = new Map<ListingWrite, ListingWriteResult>();
		const updates = new Map<string, Map<number, { body: Record<string, unknown>; writes: ListingWrite[] }>>();
		const add = (productId: string, variationId: string | undefined, fields: Record<string, unknown>, w: ListingWrite) => {
			const path = variationId ? `/products/${productId}/variations/batch` : '/products/batch';
			const id = Number(variationId ?? productId);
			const byId = updates.get(path) ?? new Map<number, { body: Record<string, unknown>; writes: ListingWrite[] }>();
			updates.set(path, byId);
			const update = byId.get(id) ?? { body: { id }, writes: [] };
			byId.set(id, update);
			Object.assign(update.body, fields);
			if (!update.writes.includes(w)) update.writes.push(w);
		};
		for (const w of writes) {
			const t = w.listing.target;
			if (w.quantity !== null) add(t.productId, t.variationId, { manage_stock: true, stock_quantity: w.quantity }, w);
			if (w.show !== undefined) add(t.ownProductId ?? t.productId, t.ownVariationId, { status: w.show ? 'publish' : t.ownVariationId ? 'private' : 'draft' }, w);
		}
		const fail = (w: ListingWrite, error: string) => results.set(w, { listingId: w.listing.listingId, ok: false, error });
		// Every batch request (100 updates, one path each), a few at a time: they touch different products.
		const batches: Array<{ path: string; slice: Array<{ body: Record<string, unknown>; writes: ListingWrite[] }> }> = [];
		for (const [path, byId] of updates) {
			const list = [...byId.values()];
			for (let i = 0; i < list.length; i += WOO_MAX_BATCH) batches.push({ path, slice: list.slice(i, i + WOO_MAX_BATCH) });
		}
		await mapLimit(batches, WOO_CONCURRENCY, async ({ path, slice }) => {
			try {
				const answer = await this.client.request<{ update?: Array<{ id: number; error?: { code: string; message: string } }> }>('POST', path, { body: { update: slice.map((u) => u.body) } });
				slice.forEach((u, j) => {
					const one = answer.update?.[j];
					for (const w of u.writes) {
						if (!one) fail(w, 'WooCommerce answered the batch without this item');
						else if (one.error) fail(w, `${one.error.message} (${one.error.code})`);
						else if (!results.has(w)) results.set(w, { listingId: w.listing.listingId, ok: true });
					}
				});
			} catch (error) {
				for (const u of slice) for (const w of u.writes) fail(w, error instanceof Error ? error.message : String(error));
			}
		});
		return writes.map((w) => results.get(w) ?? { listingId: w.listing.listingId, ok: true });
	}
}

