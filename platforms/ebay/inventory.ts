/**
 * eBay listings and their quantities for the inventory nodes, through the Inventory API: inventory items
 * (keyed by SKU) read with getInventoryItems, quantities written with bulkUpdatePriceQuantity, 25 SKUs a
 * call, each SKU's outcome taken from the answer's per-SKU status.
 *
 * eBay lets a listing be revised at most 250 times a calendar day and then blocks it until the next day,
 * so only changes are sent and every revision is counted per listing and day in a small state object the
 * caller keeps between runs (RevisionLog, e.g. in the workflow's static data); a write past the limit is
 * refused here with the reason, before eBay would block the listing. Listings that share one eBay listing
 * (the variations of an inventory item group) share one count.
 *
 * Only inventory items created through the Inventory API are visible here (listings made on the website
 * or with the Trading API are not, unless migrated with bulkMigrateListing).
 */
import type { Clock, HttpTransport } from '../http';
import type { ChannelInventory, ChannelListing, ListingWrite, ListingWriteResult } from '../inventory';
import { PlatformError, describeError } from '../errors';
import { UnknownOutcomeError } from '../retry';
import { EBAY_MAX_BULK, EBAY_MAX_ITEMS_PER_PAGE, EbayClient, INVENTORY_PATH, ebayBaseUrl, ebayStoreId } from './client';
import type { EbayError } from './client';

/** eBay's documented revision limit per listing and calendar day. */
export const EBAY_DAILY_REVISIONS = 250;

/** Revisions sent per listing on one UTC day; the caller keeps it between runs (plain JSON). */
export interface RevisionLog {
	/** The UTC day the counts are for (YYYY-MM-DD); another day starts from zero. */
	day: string;
	counts: Record<string, number>;
}

export interface EbayInventoryItem {
	sku: string;
	locale?: string;
	condition?: string;
	groupIds?: string[];
	inventoryItemGroupKeys?: string[];
	product?: { title?: string; upc?: string[]; ean?: string[]; isbn?: string[]; epid?: string };
	availability?: { shipToLocationAvailability?: { quantity?: number } };
}

interface InventoryItemsPage {
	inventoryItems?: EbayInventoryItem[];
	total?: number;
	next?: string;
	limit?: number;
	size?: number;
}

interface BulkAnswer {
	responses?: Array<{ sku?: string; offerId?: string; statusCode?: number; errors?: EbayError[]; warnings?: EbayError[] }>;
}

export function utcDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** The revision key of a listing: its group (a multi-variation listing is one listing), else its SKU. */
export function revisionKey(listing: ChannelListing): string {
	return listing.target.group ? `group:${listing.target.group}` : `sku:${listing.target.sku ?? listing.sku ?? listing.listingId}`;
}

export interface EbayInventoryOptions {
	maxAttempts?: number;
	/** Revisions already sent today (what the caller kept from earlier runs). */
	revisions?: RevisionLog;
	/** Stop this many revisions short of eBay's 250, for edits made elsewhere (Seller Hub, other tools). */
	reserve?: number;
}

export class EbayChannelInventory implements ChannelInventory {
	readonly platform = 'eBay';
	readonly statusLevel = 'listing';
	readonly storeId: string;
	readonly client: EbayClient;
	private log: RevisionLog;
	private readonly limit: number;

	constructor(
		transport: HttpTransport,
		private readonly clock: Clock,
		environment: string,
		customBaseUrl?: string,
		sellerName?: string,
		options: EbayInventoryOptions = {},
	) {
		const base = ebayBaseUrl(environment, customBaseUrl);
		this.client = new EbayClient(transport, clock, base, options.maxAttempts);
		this.storeId = ebayStoreId(base, sellerName);
		this.log = options.revisions ? { day: options.revisions.day, counts: { ...options.revisions.counts } } : { day: utcDay(clock.now()), counts: {} };
		this.limit = EBAY_DAILY_REVISIONS - Math.max(0, options.reserve ?? 0);
	}

	/** The revision counts after this run's writes, for the caller to keep. */
	get revisions(): RevisionLog {
		this.rollDay();
		return { day: this.log.day, counts: { ...this.log.counts } };
	}

	private rollDay(): void {
		const today = utcDay(this.clock.now());
		if (this.log.day !== today) this.log = { day: today, counts: {} };
	}

	private listing(item: EbayInventoryItem): ChannelListing {
		const quantity = item.availability?.shipToLocationAvailability?.quantity;
		const group = item.inventoryItemGroupKeys?.[0];
		return {
			listingId: item.sku,
			sku: item.sku,
			barcode: item.product?.upc?.[0] ?? item.product?.ean?.[0] ?? item.product?.isbn?.[0] ?? null,
			handle: null,
			title: item.product?.title ?? item.sku,
			quantity: quantity ?? null,
			managed: true,
			state: (quantity ?? 0) > 0 ? 'active' : 'outOfStock',
			// Whether an offer is published is the offer's business (getOffers); the item itself is always listed here.
			shown: true,
			location: null,
			parentId: group ?? null,
			notWritable: null,
			target: group ? { sku: item.sku, group } : { sku: item.sku },
		};
	}

	/** Every inventory item, following eBay's `next` link (which carries eBay's own offset meaning), or only those with the given SKUs. */
	async *listings(options: { skus: string[] }): AsyncIterable<ChannelListing[]> {
		const wanted = new Set(options.skus.filter((s) => s !== ''));
		let path: string | undefined = `${INVENTORY_PATH}/inventory_item`;
		let qs: Record<string, number> | undefined = { limit: EBAY_MAX_ITEMS_PER_PAGE, offset: 0 };
		while (path) {
			const page: InventoryItemsPage = await this.client.request<InventoryItemsPage>('GET', path, { qs });
			const items = (page.inventoryItems ?? []).filter((i) => wanted.size === 0 || wanted.has(i.sku));
			if (items.length > 0) yield items.map((i) => this.listing(i));
			path = page.next && (page.inventoryItems ?? []).length > 0 ? page.next : undefined;
			qs = undefined;
		}
	}

	async refresh(listings: ChannelListing[]): Promise<ChannelListing[]> {
		const out: ChannelListing[] = [];
		for (const l of listings) {
			const sku = l.target.sku ?? l.listingId;
			const item = await this.client.request<EbayInventoryItem>('GET', `${INVENTORY_PATH}/inventory_item/${encodeURIComponent(sku)}`);
			out.push(this.listing({ ...item, sku }));
		}
		return out;
	}

	/**
	 * Sends the quantities that differ from what the listing has, 25 SKUs a call. A quantity the listing
	 * already has is not sent (it would spend a revision for nothing); a listing at its daily revision limit
	 * is refused with the reason; a call whose answer was lost is looked up (the items read again) and never
	 * sent twice blindly.
	 */
	async write(writes: ListingWrite[]): Promise<ListingWriteResult[]> {
		this.rollDay();
		const results = new Map<ListingWrite, ListingWriteResult>();
		const ok = (w: ListingWrite) => results.set(w, { listingId: w.listing.listingId, ok: true });
		const fail = (w: ListingWrite, error: string) => results.set(w, { listingId: w.listing.listingId, ok: false, error });
		const toSend: ListingWrite[] = [];
		const bySku = new Map<string, ListingWrite>();
		for (const w of writes) {
			if (w.show !== undefined && w.quantity === null) {
				fail(w, 'eBay shows and ends listings through their offers (publish or withdraw), which this node does not change; set a quantity of 0 to stop sales');
				continue;
			}
			if (w.quantity === null || w.quantity === w.listing.quantity) {
				ok(w);
				continue;
			}
			if (!Number.isInteger(w.quantity) || w.quantity < 0) {
				fail(w, `${w.quantity} is not a quantity eBay takes (a whole number, 0 or more)`);
				continue;
			}
			const sku = w.listing.target.sku ?? w.listing.listingId;
			const earlier = bySku.get(sku);
			if (earlier) results.set(earlier, { listingId: earlier.listing.listingId, ok: false, error: `replaced by a later write of SKU ${sku} in the same run` });
			bySku.set(sku, w);
		}
		for (const w of bySku.values()) {
			const key = revisionKey(w.listing);
			const used = this.log.counts[key] ?? 0;
			if (used >= this.limit) {
				fail(w, `eBay allows ${EBAY_DAILY_REVISIONS} revisions of a listing per day and this listing has had ${used} today (UTC${this.limit < EBAY_DAILY_REVISIONS ? `, ${EBAY_DAILY_REVISIONS - this.limit} kept in reserve` : ''}); its quantity is written after midnight UTC`);
				continue;
			}
			// Counted before sending: a call that may have landed has spent the revision.
			this.log.counts[key] = used + 1;
			toSend.push(w);
		}
		for (let i = 0; i < toSend.length; i += EBAY_MAX_BULK) {
			const batch = toSend.slice(i, i + EBAY_MAX_BULK);
			const requests = batch.map((w) => ({ sku: w.listing.target.sku ?? w.listing.listingId, shipToLocationAvailability: { quantity: w.quantity as number } }));
			try {
				const answer = await this.client.request<BulkAnswer>('POST', `${INVENTORY_PATH}/bulk_update_price_quantity`, { body: { requests }, write: true });
				const bySkuAnswer = new Map((answer.responses ?? []).map((r) => [r.sku ?? '', r]));
				batch.forEach((w, k) => {
					const r = bySkuAnswer.get(requests[k].sku);
					if (!r) fail(w, 'eBay answered the batch without this SKU');
					else if (r.statusCode !== undefined && r.statusCode >= 200 && r.statusCode < 300) ok(w);
					else fail(w, (r.errors ?? []).map((e) => e.message).filter(Boolean).join('; ') || `eBay answered status ${String(r.statusCode)} for this SKU`);
				});
			} catch (error) {
				if (error instanceof UnknownOutcomeError) {
					await this.lookUp(batch, ok, fail);
					continue;
				}
				// Errors for the whole call (a 400 for the request): every SKU of it fails with eBay's words.
				const message = error instanceof PlatformError ? describeError(error) : (error as Error).message;
				for (const w of batch) fail(w, message);
			}
		}
		return writes.map((w) => results.get(w) ?? { listingId: w.listing.listingId, ok: false, error: 'not written' });
	}

	/** After a lost answer: the quantities that are there now landed; the others are reported, not re-sent. */
	private async lookUp(batch: ListingWrite[], ok: (w: ListingWrite) => void, fail: (w: ListingWrite, error: string) => void): Promise<void> {
		let now: ChannelListing[];
		try {
			now = await this.refresh(batch.map((w) => w.listing));
		} catch (error) {
			for (const w of batch) fail(w, `eBay did not answer the write and the listing could not be read again (${describeError(error)}); the next run looks before writing`);
			return;
		}
		batch.forEach((w, k) => {
			if (now[k].quantity === w.quantity) ok(w);
			else fail(w, 'eBay did not answer the write and the listing does not have the quantity yet; it was not sent again blindly, the next run writes it');
		});
	}
}
