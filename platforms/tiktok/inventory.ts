/**
 * TikTok Shop stock for the sync nodes, as a channel: each SKU of each product is a listing of ours.
 *
 * Reading: Inventory Search (POST /product/202309/inventory/search) answers products with their SKUs,
 * each SKU's seller SKU and its quantity per warehouse. Without ids it answers the shop's products;
 * with `sku_ids` (≤ 600) it answers those SKUs, which is how listings are read again.
 *
 * Writing: Update Inventory (POST /product/202309/products/{product_id}/inventory/update) sets absolute
 * quantities for SKUs of ONE product, and every warehouse of a SKU must be listed. So writes are
 * grouped per product, one call each, carrying only the SKUs whose quantity differs from what TikTok
 * has just now (the product is read right before, which also turns a sale in between into a stale
 * write for the caller to decide again, the compare-and-set TikTok does not offer). A SKU in several
 * warehouses gets the new quantity in its first warehouse and keeps the others as they are.
 * An update whose answer was lost is never sent again blindly (a sale may have come in since): the
 * product is read again and each SKU is reported written or not.
 */
import { describeError } from '../errors';
import type { Clock, HttpTransport } from '../http';
import type { ChannelInventory, ChannelListing, ListingWrite, ListingWriteResult } from '../inventory';
import { UnknownOutcomeError } from '../retry';
import { TikTokClient } from './client';
import { INVENTORY_SEARCH_PATH, TIKTOK_MAX_QUANTITY, TIKTOK_MAX_SKU_IDS, TIKTOK_PLATFORM, inventoryUpdatePath, tiktokBaseUrl, tiktokStoreId } from './constants';

export interface TikTokWarehouseStock {
	warehouse_id: string;
	available_quantity?: number;
	committed_quantity?: number;
}

export interface TikTokInventorySku {
	id: string;
	seller_sku?: string;
	total_available_quantity?: number;
	total_committed_quantity?: number;
	warehouse_inventory?: TikTokWarehouseStock[];
}

export interface TikTokInventoryProduct {
	product_id: string;
	skus?: TikTokInventorySku[];
}

interface UpdateAnswer {
	errors?: Array<{ code?: number; message?: string; detail?: { sku_id?: string; extra_errors?: Array<{ warehouse_id?: string; code?: number; message?: string }> } }>;
}

/** The quantity the sync reads and writes: the SKU's first warehouse's available quantity. */
function quantityOf(sku: TikTokInventorySku): number | null {
	const first = sku.warehouse_inventory?.[0];
	if (first) return first.available_quantity ?? 0;
	return sku.total_available_quantity ?? null;
}

export class TikTokChannelInventory implements ChannelInventory {
	readonly platform = TIKTOK_PLATFORM;
	// TikTok shows or hides whole products (activate / deactivate), not SKUs.
	readonly statusLevel = 'product';
	readonly storeId: string;
	readonly client: TikTokClient;

	constructor(transport: HttpTransport, clock: Clock, environment: string, customBaseUrl: string | undefined, shopCipher: string, maxAttempts?: number) {
		this.client = new TikTokClient(transport, clock, tiktokBaseUrl(environment, customBaseUrl), maxAttempts);
		this.storeId = tiktokStoreId(shopCipher);
	}

	private search(body: { product_ids?: string[]; sku_ids?: string[] }): Promise<TikTokInventoryProduct[]> {
		return this.client.request<{ inventory?: TikTokInventoryProduct[] }>('POST', INVENTORY_SEARCH_PATH, { body }).then((d) => d.inventory ?? []);
	}

	private listing(product: TikTokInventoryProduct, sku: TikTokInventorySku): ChannelListing {
		const quantity = quantityOf(sku);
		const warehouses = sku.warehouse_inventory ?? [];
		return {
			listingId: `${product.product_id}/${sku.id}`,
			sku: sku.seller_sku?.trim() || null,
			barcode: null,
			handle: null,
			title: sku.seller_sku || sku.id,
			quantity,
			managed: true,
			state: (quantity ?? 0) > 0 ? 'active' : 'outOfStock',
			// Inventory Search does not say whether the product is live; the write is refused for one that is not.
			shown: true,
			location: warehouses.length > 1 ? (warehouses[0]?.warehouse_id ?? null) : null,
			parentId: product.product_id,
			notWritable: null,
			target: { productId: product.product_id, skuId: sku.id, ...(warehouses[0] ? { warehouseId: warehouses[0].warehouse_id } : {}) },
		};
	}

	async *listings(options: { skus: string[] }): AsyncIterable<ChannelListing[]> {
		const wanted = new Set(options.skus.map((s) => s.trim()).filter(Boolean));
		const products = await this.search({});
		const out = products.flatMap((p) => (p.skus ?? []).map((s) => this.listing(p, s))).filter((l) => wanted.size === 0 || (l.sku !== null && wanted.has(l.sku)));
		for (let i = 0; i < out.length; i += 100) yield out.slice(i, i + 100);
	}

	/** The current SKUs of these listings, read by SKU id (600 a request). */
	private async current(skuIds: string[]): Promise<Map<string, { product: TikTokInventoryProduct; sku: TikTokInventorySku }>> {
		const found = new Map<string, { product: TikTokInventoryProduct; sku: TikTokInventorySku }>();
		const ids = [...new Set(skuIds)];
		for (let i = 0; i < ids.length; i += TIKTOK_MAX_SKU_IDS) {
			for (const product of await this.search({ sku_ids: ids.slice(i, i + TIKTOK_MAX_SKU_IDS) })) {
				for (const sku of product.skus ?? []) found.set(sku.id, { product, sku });
			}
		}
		return found;
	}

	async refresh(listings: ChannelListing[]): Promise<ChannelListing[]> {
		const now = await this.current(listings.map((l) => l.target.skuId));
		return listings.flatMap((l) => {
			const fresh = now.get(l.target.skuId);
			return fresh ? [this.listing(fresh.product, fresh.sku)] : [];
		});
	}

	async write(writes: ListingWrite[]): Promise<ListingWriteResult[]> {
		const results = new Map<ListingWrite, ListingWriteResult>();
		const byProduct = new Map<string, ListingWrite[]>();
		for (const w of writes) {
			const id = w.listing.listingId;
			// A status-only write cannot be carried out; with a quantity, the quantity is written and the status left.
			if (w.show !== undefined && w.quantity === null) results.set(w, { listingId: id, ok: false, error: 'TikTok Shop: showing or hiding a product is not supported; only quantities are written (set 0 to stop sales)' });
			else if (w.quantity === null) results.set(w, { listingId: id, ok: true });
			else if (!Number.isInteger(w.quantity) || w.quantity < 0 || w.quantity > TIKTOK_MAX_QUANTITY) results.set(w, { listingId: id, ok: false, error: `TikTok Shop takes quantities from 0 to ${TIKTOK_MAX_QUANTITY}, not ${w.quantity}` });
			else byProduct.set(w.listing.target.productId, [...(byProduct.get(w.listing.target.productId) ?? []), w]);
		}
		for (const [productId, group] of byProduct) {
			try {
				await this.writeProduct(productId, group, results);
			} catch (error) {
				for (const w of group) if (!results.has(w)) results.set(w, { listingId: w.listing.listingId, ok: false, error: describeError(error) });
			}
		}
		return writes.map((w) => results.get(w) ?? { listingId: w.listing.listingId, ok: false, error: 'not written' });
	}

	/** Read the product's SKUs, keep the writes that still apply and change something, send them in one update. */
	private async writeProduct(productId: string, group: ListingWrite[], results: Map<ListingWrite, ListingWriteResult>): Promise<void> {
		const now = await this.current(group.map((w) => w.listing.target.skuId));
		const send: Array<{ write: ListingWrite; sku: TikTokInventorySku }> = [];
		for (const w of group) {
			const found = now.get(w.listing.target.skuId);
			const listingId = w.listing.listingId;
			if (!found || found.product.product_id !== productId) {
				results.set(w, { listingId, ok: false, stale: true, current: null, error: 'the SKU is no longer in this product on TikTok Shop' });
				continue;
			}
			const current = quantityOf(found.sku);
			if (w.expected !== null && current !== w.expected) {
				// Sold (or counted) on TikTok since it was read: the caller reads again and decides again.
				results.set(w, { listingId, ok: false, stale: true, current });
				continue;
			}
			if (current === w.quantity) results.set(w, { listingId, ok: true });
			else send.push({ write: w, sku: found.sku });
		}
		if (send.length === 0) return;
		const body = {
			skus: send.map(({ write, sku }) => {
				const warehouses = sku.warehouse_inventory ?? [];
				// Every warehouse of the SKU must be listed: the first gets the new quantity, the others keep theirs.
				const inventory = warehouses.length === 0
					? [{ quantity: write.quantity as number }]
					: warehouses.map((wh, k) => ({ warehouse_id: wh.warehouse_id, quantity: k === 0 ? (write.quantity as number) : (wh.available_quantity ?? 0) }));
				return { id: sku.id, inventory };
			}),
		};
		const outcome = await this.client.request<UpdateAnswer>('POST', inventoryUpdatePath(productId), { body, write: true }).then(
			(answer) => answer,
			(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
		);
		if (outcome instanceof UnknownOutcomeError) {
			// The answer was lost: look, never send it again blindly.
			const after = await this.current(send.map((s) => s.sku.id));
			for (const { write } of send) {
				const fresh = after.get(write.listing.target.skuId);
				const quantity = fresh ? quantityOf(fresh.sku) : null;
				results.set(write, quantity === write.quantity
					? { listingId: write.listing.listingId, ok: true }
					: { listingId: write.listing.listingId, ok: false, stale: true, current: quantity, error: 'TikTok Shop did not answer the update and the SKU does not hold the new quantity; it was not sent again blindly' });
			}
			return;
		}
		if (outcome instanceof Error) throw outcome;
		const failed = new Map<string, string>();
		for (const e of outcome.errors ?? []) {
			const sku = e.detail?.sku_id;
			const extra = (e.detail?.extra_errors ?? []).map((x) => `${x.message ?? ''}${x.warehouse_id ? ` (warehouse ${x.warehouse_id})` : ''}${x.code ? ` [${x.code}]` : ''}`).filter(Boolean);
			const text = [`${e.message ?? 'refused'}${e.code ? ` (code ${e.code})` : ''}`, ...extra].join(': ');
			if (sku) failed.set(sku, text);
			else for (const s of send) failed.set(s.sku.id, text);
		}
		for (const { write, sku } of send) {
			const error = failed.get(sku.id);
			results.set(write, error ? { listingId: write.listing.listingId, ok: false, error: `TikTok Shop: ${error}` } : { listingId: write.listing.listingId, ok: true });
		}
	}
}
