/**
 * A TikTok Shop as a sales channel: Get Order List (POST /order/202309/orders/search), which answers
 * whole orders, filtered by update (or create) time, sorted by that time, paged by an opaque
 * `page_token`.
 *
 * TikTok does not say whether a page token is a position (an offset) or a key. Offset-like tokens lose
 * orders when the list changes under them (an order updated during the read leaves the window and every
 * unread order moves up one place, so one is skipped). So the reader pages by its own key instead:
 *  1. The window is closed when the read starts: `update_time_lt` is fixed at most `now` (TikTok's
 *     times are seconds). An order changed during the read gets an update time after that, so it leaves
 *     this window and is read by the next one, which starts where this one ended.
 *  2. Every request is the FIRST page of "from the last update time read, to the window's end", sorted
 *     ascending: nothing that leaves can shift an unread order past a token. Orders of the boundary
 *     second are asked again and kept once (by id).
 *  3. When one second holds more orders than a page, that second is read whole by its page tokens, and
 *     read again if `total_count` fell meanwhile (an order left it, so a token may have skipped one).
 * The same holds by create time (which never changes; new orders are after the window's end).
 */
import type { ChannelOrder, OrderWindow, SalesChannel } from '../channel';
import type { Clock, HttpTransport } from '../http';
import { TikTokClient } from './client';
import { ORDER_SEARCH_PATH, TIKTOK_MAX_PAGE_SIZE, tiktokBaseUrl, tiktokStoreId } from './constants';
import { tiktokOrderToModel } from './orderMapping';
import type { TikTokOrder } from './orderMapping';

export interface TikTokOrderPage {
	orders?: TikTokOrder[];
	next_page_token?: string;
	total_count?: number;
}

export interface TikTokChannelOptions {
	/** Orders per request (1–100). */
	pageSize?: number;
	maxAttempts?: number;
}

export class TikTokChannel implements SalesChannel {
	readonly storeId: string;
	readonly client: TikTokClient;
	private readonly pageSize: number;

	constructor(transport: HttpTransport, private readonly clock: Clock, environment: string, customBaseUrl: string | undefined, shopCipher: string, options: TikTokChannelOptions = {}) {
		this.client = new TikTokClient(transport, clock, tiktokBaseUrl(environment, customBaseUrl), options.maxAttempts);
		this.storeId = tiktokStoreId(shopCipher);
		this.pageSize = Math.max(1, Math.min(options.pageSize ?? TIKTOK_MAX_PAGE_SIZE, TIKTOK_MAX_PAGE_SIZE));
	}

	private search(field: 'update_time' | 'create_time', from: number, to: number, pageToken?: string): Promise<TikTokOrderPage> {
		return this.client.request<TikTokOrderPage>('POST', ORDER_SEARCH_PATH, {
			qs: { page_size: this.pageSize, sort_field: field, sort_order: 'ASC', page_token: pageToken },
			body: { [`${field}_ge`]: from, [`${field}_lt`]: to },
		});
	}

	async *readOrders(window: OrderWindow): AsyncIterable<ChannelOrder[]> {
		const field = window.by === 'created' ? 'create_time' : 'update_time';
		const nowSeconds = Math.floor(this.clock.now() / 1000);
		// Our window's end is inclusive, TikTok's `_lt` exclusive: one second on, but never past now.
		const end = Math.min(nowSeconds, window.until ? Math.floor(Date.parse(window.until) / 1000) + 1 : nowSeconds);
		let from = Math.max(0, Math.floor(Date.parse(window.since) / 1000));
		if (!(from < end)) return;
		const seen = new Set<string>();
		const timeOf = (o: TikTokOrder) => (field === 'create_time' ? o.create_time : o.update_time) ?? 0;
		for (;;) {
			const page = await this.search(field, from, end);
			const orders = page.orders ?? [];
			const fresh = orders.filter((o) => !seen.has(o.id));
			const last = orders.length > 0 ? timeOf(orders[orders.length - 1]) : from;
			if (orders.length >= this.pageSize && timeOf(orders[0]) === last) {
				// A whole page of one second: read that second by its tokens, then move past it.
				const crowded = await this.readSecond(field, last);
				const rest = crowded.filter((o) => !seen.has(o.id));
				for (const o of rest) seen.add(o.id);
				if (rest.length > 0) yield rest.map((raw) => ({ order: tiktokOrderToModel(raw, this.storeId), raw }));
				from = last + 1;
				if (from >= end) return;
				continue;
			}
			for (const o of fresh) seen.add(o.id);
			if (fresh.length > 0) yield fresh.map((raw) => ({ order: tiktokOrderToModel(raw, this.storeId), raw }));
			// A short page is the end of the window.
			if (orders.length < this.pageSize || !page.next_page_token) return;
			// The next request starts at the last second read (its orders are asked again, kept once).
			from = last;
		}
	}

	/** Every order of one second, by page tokens; read again when an order left it meanwhile. */
	private async readSecond(field: 'update_time' | 'create_time', second: number): Promise<TikTokOrder[]> {
		const byId = new Map<string, TikTokOrder>();
		for (let attempt = 0; attempt < 3; attempt++) {
			let token: string | undefined;
			let firstTotal: number | undefined;
			let lastTotal: number | undefined;
			do {
				const page = await this.search(field, second, second + 1, token);
				for (const o of page.orders ?? []) byId.set(o.id, o);
				firstTotal ??= page.total_count;
				lastTotal = page.total_count;
				token = (page.orders ?? []).length > 0 ? page.next_page_token || undefined : undefined;
			} while (token);
			if (firstTotal === undefined || lastTotal === undefined || lastTotal >= firstTotal) break;
		}
		return [...byId.values()];
	}

	async recentOrders(count: number): Promise<ChannelOrder[]> {
		const page = await this.client.request<TikTokOrderPage>('POST', ORDER_SEARCH_PATH, {
			qs: { page_size: Math.max(1, Math.min(count, 10)), sort_field: 'create_time', sort_order: 'DESC' },
			body: {},
		});
		return (page.orders ?? []).map((raw) => ({ order: tiktokOrderToModel(raw, this.storeId), raw }));
	}
}
