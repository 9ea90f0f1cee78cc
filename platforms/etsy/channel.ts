/**
 * An Etsy shop as a sales channel: its receipts, read with getShopReceipts.
 *
 * Etsy pages receipts by offset only, and offset paging loses receipts when the list changes while it
 * is read. How this reader keeps every receipt:
 *  1. The window's upper bound is closed when the read starts (`max_last_modified`, or `max_created`,
 *     = now unless the caller gave an earlier `until`). Receipts placed or changed after that fall outside
 *     it; the next window, which starts at or before this one's end, reads them.
 *  2. The list is sorted by creation (`sort_on=created`, ascending), not by modification: a receipt
 *     changed during the read keeps its place (when its change stays inside the window) or leaves the
 *     list (when it moves past the upper bound). New receipts can only join at the end. So the only
 *     thing that shifts unread receipts is a removal before the read position, which moves them toward
 *     the start of the list.
 *  3. Each page after the first starts a few receipts before where the last one ended (OVERLAP) and is
 *     accepted only if its first receipt is one already read: then nothing between the pages was skipped.
 *     When more receipts than the overlap left the list, the reader steps back a page and tries again.
 *     Receipts read twice are dropped by `receipt_id`.
 * The overlap costs a few receipts per page, not extra requests, which matters under Etsy's daily quota.
 */
import type { ChannelOrder, OrderWindow, SalesChannel } from '../channel';
import type { Clock, HttpTransport } from '../http';
import { PlatformError } from '../errors';
import { ETSY_API_URL, ETSY_MAX_LIMIT, EtsyClient } from './client';
import { etsyReceiptToModel } from './orderMapping';
import type { EtsyReceipt } from './orderMapping';

/** Receipts each page re-reads of the previous one: removals up to this many cost no extra request. */
export const ETSY_PAGE_OVERLAP = 5;
/** Etsy's timestamp filters take epoch seconds from 2000-01-01 on (the spec's minimum). */
const ETSY_EPOCH = 946_684_800;

export interface ReceiptPage {
	count: number;
	results: EtsyReceipt[];
}

/** The shop id as typed in the credential, checked: Etsy's ids are positive integers. */
export function etsyShopId(shopId: string | number): string {
	const text = String(shopId ?? '').trim();
	if (!/^[1-9]\d*$/.test(text)) {
		throw new PlatformError('Etsy', `"${text}" is not an Etsy shop id`, undefined, 'ETSY_SHOP_ID',
			'Put the numeric Shop ID in the credential (Etsy shows it in the Shop Manager URL and in getMe\'s shop_id).');
	}
	return text;
}

export class EtsyChannel implements SalesChannel {
	readonly storeId: string;
	readonly client: EtsyClient;

	constructor(transport: HttpTransport, private readonly clock: Clock, shopId: string, apiKey: string, baseUrl: string = ETSY_API_URL, private readonly limit = ETSY_MAX_LIMIT) {
		this.storeId = etsyShopId(shopId);
		this.client = new EtsyClient(transport, clock, apiKey, baseUrl);
	}

	private page(qs: Record<string, string | number | boolean>): Promise<ReceiptPage> {
		return this.client.request<ReceiptPage>('GET', `/shops/${this.storeId}/receipts`, { qs });
	}

	async *readOrders(window: OrderWindow): AsyncIterable<ChannelOrder[]> {
		const byCreated = window.by === 'created';
		const nowSeconds = Math.floor(this.clock.now() / 1000);
		const since = Math.max(ETSY_EPOCH, Math.floor(Date.parse(window.since) / 1000));
		const until = window.until ? Math.min(nowSeconds, Math.floor(Date.parse(window.until) / 1000)) : nowSeconds;
		if (until < since) return;
		const base = {
			[byCreated ? 'min_created' : 'min_last_modified']: since,
			[byCreated ? 'max_created' : 'max_last_modified']: until,
			sort_on: 'created',
			sort_order: 'asc',
			limit: this.limit,
		};
		const seen = new Set<number>();
		// Less than half a page, so each page brings new receipts.
		const overlap = Math.min(ETSY_PAGE_OVERLAP, Math.floor(this.limit / 2));
		let offset = 0;
		for (;;) {
			let start = offset === 0 ? 0 : Math.max(0, offset - overlap);
			let page = await this.page({ ...base, offset: start });
			// Accept a later page only when it begins at a receipt already read: nothing between was skipped.
			while (start > 0 && !(page.results.length > 0 && seen.has(page.results[0].receipt_id))) {
				start = Math.max(0, start - this.limit);
				page = await this.page({ ...base, offset: start });
			}
			const fresh = page.results.filter((r) => !seen.has(r.receipt_id));
			for (const r of fresh) seen.add(r.receipt_id);
			if (fresh.length > 0) yield fresh.map((raw) => ({ order: etsyReceiptToModel(raw, this.storeId), raw }));
			if (page.results.length < this.limit) return;
			offset = start + page.results.length;
		}
	}

	async recentOrders(count: number): Promise<ChannelOrder[]> {
		const page = await this.page({ limit: Math.max(1, Math.min(count, 10)), sort_on: 'created', sort_order: 'desc' });
		return page.results.map((raw) => ({ order: etsyReceiptToModel(raw, this.storeId), raw }));
	}
}
