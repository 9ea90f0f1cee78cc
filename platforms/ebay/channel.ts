/**
 * An eBay seller account as a sales channel (Fulfillment API getOrders).
 *
 * eBay pages orders only by offset, sorted by its own order (newest created first), not by the time the
 * window filters on, so the key paging the SalesChannel contract prefers is not available. Two things make
 * offset paging lose nothing here:
 *  1. The window is closed: `to` is fixed when the read starts (never open-ended), so no order can enter
 *     the result set while it is read; an order modified meanwhile can only LEAVE it (its new
 *     lastModifiedDate is after `to`) and is read by the next window, which starts at or before `to`.
 *  2. Leaving shifts later orders forward by one offset each, which would skip an unread order. Every page
 *     answers the set's `total`; when it drops by d since the previous page, at most d orders left before
 *     that page was taken, so it is read again from d earlier; pages also overlap by a few orders, for
 *     drops the total hides (one order leaving while a late-indexed one arrives). Orders seen twice are
 *     kept once, by orderId.
 * Because eBay's sort is not the window's time, each slice of the window is read whole, then emitted
 * oldest first (by lastModifiedDate or creationDate, then orderId), as the contract and the trigger's
 * cursor need; long windows are read slice by slice (a week by default) to bound memory.
 */
import { ebayOrderToModel } from './orderMapping';
import type { EbayOrder } from './orderMapping';
import { EBAY_MAX_ORDERS_PER_PAGE, EbayClient, FULFILLMENT_PATH, ebayBaseUrl, ebayStoreId } from './client';
import type { ChannelOrder, OrderWindow, SalesChannel } from '../channel';
import type { Clock, HttpTransport } from '../http';

/** Orders re-read at each page boundary, for drops the `total` does not show. */
const PAGE_OVERLAP = 5;
/** getOrders returns orders up to two years old and refuses wider ranges (error 30830). */
const MAX_RANGE_MS = 2 * 365 * 24 * 3_600_000;
/** Kept off `now`, as eBay refuses an end date in the future (error 30850) and clocks differ a little. */
const CLOCK_MARGIN_MS = 2_000;

export interface EbayOrderPage {
	orders?: EbayOrder[];
	total?: number;
	offset?: number;
	limit?: number;
	next?: string;
	href?: string;
}

export interface EbayChannelOptions {
	/** Orders per request (≤ 200). */
	pageSize?: number;
	/** Longest slice of a window read before it is emitted. */
	sliceMs?: number;
	maxAttempts?: number;
}

export class EbayChannel implements SalesChannel {
	readonly storeId: string;
	readonly client: EbayClient;
	private readonly pageSize: number;
	private readonly sliceMs: number;

	constructor(
		transport: HttpTransport,
		private readonly clock: Clock,
		environment: string,
		customBaseUrl?: string,
		sellerName?: string,
		options: EbayChannelOptions = {},
	) {
		const base = ebayBaseUrl(environment, customBaseUrl);
		this.client = new EbayClient(transport, clock, base, options.maxAttempts);
		this.storeId = ebayStoreId(base, sellerName);
		this.pageSize = Math.max(1, Math.min(options.pageSize ?? EBAY_MAX_ORDERS_PER_PAGE, EBAY_MAX_ORDERS_PER_PAGE));
		this.sliceMs = options.sliceMs ?? 7 * 24 * 3_600_000;
	}

	async *readOrders(window: OrderWindow): AsyncIterable<ChannelOrder[]> {
		const now = this.clock.now() - CLOCK_MARGIN_MS;
		const to = Math.min(window.until ? Date.parse(window.until) : now, now);
		// Older than two years cannot be read; a start before that would only make eBay refuse the range.
		const from = Math.max(Date.parse(window.since), to - MAX_RANGE_MS + 60_000);
		if (!(from <= to)) return;
		const field = window.by === 'created' ? 'creationdate' : 'lastmodifieddate';
		const timeOf = (o: EbayOrder) => Date.parse((window.by === 'created' ? o.creationDate : o.lastModifiedDate) ?? '') || 0;
		for (let start = from; start <= to; start += this.sliceMs + 1) {
			const end = Math.min(to, start + this.sliceMs);
			const orders = await this.readRange(field, start, end);
			orders.sort((a, b) => timeOf(a) - timeOf(b) || a.orderId.localeCompare(b.orderId));
			for (let i = 0; i < orders.length; i += this.pageSize) {
				yield orders.slice(i, i + this.pageSize).map((raw) => ({ order: ebayOrderToModel(raw, this.storeId), raw }));
			}
		}
	}

	/** Every order of the closed range [start..end], each once (see the file comment for why nothing is lost). */
	private async readRange(field: string, start: number, end: number): Promise<EbayOrder[]> {
		const filter = `${field}:[${new Date(start).toISOString()}..${new Date(end).toISOString()}]`;
		const byId = new Map<string, EbayOrder>();
		let offset = 0;
		let lastTotal: number | undefined;
		// Every page must move forward, however small the pages.
		const overlap = Math.min(PAGE_OVERLAP, Math.floor(this.pageSize / 2));
		for (;;) {
			const page = await this.client.request<EbayOrderPage>('GET', `${FULFILLMENT_PATH}/order`, {
				qs: { filter, limit: this.pageSize, offset, fieldGroups: 'TAX_BREAKDOWN' },
			});
			const orders = page.orders ?? [];
			for (const o of orders) byId.set(o.orderId, o);
			const total = page.total ?? offset + orders.length;
			const dropped = lastTotal !== undefined ? Math.max(0, lastTotal - total) : 0;
			lastTotal = total;
			if (dropped > 0) {
				// This page was answered after `dropped` orders left: it started up to that many orders too far
				// on, so it is read again from where it should have started.
				offset = Math.max(0, offset - dropped - overlap);
				continue;
			}
			const nextOffset = offset + orders.length;
			if (orders.length === 0 || nextOffset >= total) return [...byId.values()];
			offset = nextOffset - overlap;
		}
	}

	async recentOrders(count: number): Promise<ChannelOrder[]> {
		// Without a filter eBay answers the last 90 days' orders, newest created first.
		const page = await this.client.request<EbayOrderPage>('GET', `${FULFILLMENT_PATH}/order`, {
			qs: { limit: Math.max(1, Math.min(count, 10)), offset: 0, fieldGroups: 'TAX_BREAKDOWN' },
		});
		return (page.orders ?? []).map((raw) => ({ order: ebayOrderToModel(raw, this.storeId), raw }));
	}
}
