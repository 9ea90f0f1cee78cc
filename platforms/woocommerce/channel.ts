/**
 * A WooCommerce store as a sales channel.
 *
 * WooCommerce pages by number (offset), and offset paging loses orders when the list changes while it is
 * read: an order modified between page 1 and page 2 moves to the end and shifts an unread order back
 * onto page 1. So the read is by key instead: sorted by the time field, each page is asked for "after
 * the last time seen", re-anchored page after page. The filters are exclusive and have one-second
 * resolution, so the anchor is the last time minus one second and the orders already seen in that second
 * are skipped by id. Only when a whole page shares one second (a bulk edit) does the read step through
 * that second by page number, which is stable unless that very second is written again.
 */
import { wooGmtToIso, wooOrderToModel } from './orderMapping';
import type { WooOrder } from './orderMapping';
import { WOO_MAX_PER_PAGE, WooClient } from './client';
import type { ChannelOrder, OrderWindow, SalesChannel } from '../channel';
import type { Clock, HttpTransport } from '../http';

/** WooCommerce wants `YYYY-MM-DDTHH:MM:SS`, read as GMT with `dates_are_gmt=true`. */
export function wooTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19);
}

/** `https://shop.example/store/` → `shop.example/store`. */
export function wooStoreId(siteUrl: string): string {
	const url = new URL(siteUrl.trim());
	return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

export class WooChannel implements SalesChannel {
	readonly storeId: string;
	readonly client: WooClient;

	constructor(transport: HttpTransport, clock: Clock, siteUrl: string, private readonly perPage = WOO_MAX_PER_PAGE) {
		this.client = new WooClient(transport, clock, siteUrl);
		this.storeId = wooStoreId(siteUrl);
	}

	async *readOrders(window: OrderWindow): AsyncIterable<ChannelOrder[]> {
		const byCreated = window.by === 'created';
		const times = new WeakMap<WooOrder, number>();
		const timeOf = (o: WooOrder) => {
			let t = times.get(o);
			if (t === undefined) times.set(o, (t = Date.parse(wooGmtToIso(byCreated ? o.date_created_gmt : o.date_modified_gmt) ?? '') || 0));
			return t;
		};
		const untilMs = window.until ? Math.floor(Date.parse(window.until) / 1000) * 1000 : undefined;
		let anchor = Math.floor(Date.parse(window.since) / 1000) * 1000;
		/** Ids already emitted whose time is `anchor`'s second. */
		let seenAtAnchor = new Set<number>();
		let pageInBand = 1;
		const request = () => {
			const qs: Record<string, string | number | boolean> = {
				per_page: this.perPage,
				page: pageInBand,
				order: 'asc',
				orderby: byCreated ? 'date' : 'modified',
				dates_are_gmt: true,
				status: 'any',
				[byCreated ? 'after' : 'modified_after']: wooTime(anchor - 1000),
			};
			// `before` filters are exclusive too: one second past `until` keeps `until` itself in.
			if (untilMs !== undefined) qs[byCreated ? 'before' : 'modified_before'] = wooTime(untilMs + 1000);
			const page = this.client.page<WooOrder>('/orders', qs);
			page.catch(() => undefined); // awaited below; this only keeps an abandoned prefetch from going unhandled
			return page;
		};
		let pending = request();
		for (;;) {
			const { items } = await pending;
			const fresh = items.filter((o) => timeOf(o) > anchor || (timeOf(o) === anchor && !seenAtAnchor.has(o.id)));
			const last = items.length < this.perPage;
			if (!last) {
				const lastTime = Math.max(...items.map(timeOf));
				if (lastTime === anchor) {
					// The whole page sits in one second: step through that second by page number.
					for (const o of fresh) seenAtAnchor.add(o.id);
					pageInBand++;
				} else {
					seenAtAnchor = new Set(items.filter((o) => timeOf(o) === lastTime).map((o) => o.id));
					anchor = lastTime;
					pageInBand = 1;
				}
				// The next page is known now: ask for it while this one is mapped and used.
				pending = request();
			}
			fresh.sort((a, b) => timeOf(a) - timeOf(b) || a.id - b.id);
			if (fresh.length > 0) yield await this.withRefunds(fresh.map((raw) => ({ order: wooOrderToModel(raw, this.storeId), raw })));
			if (last) return;
		}
	}

	async recentOrders(count: number): Promise<ChannelOrder[]> {
		const { items } = await this.client.page<WooOrder>('/orders', {
			per_page: Math.max(1, Math.min(count, 10)),
			orderby: 'date',
			order: 'desc',
			status: 'any',
		});
		return this.withRefunds(items.map((raw) => ({ order: wooOrderToModel(raw, this.storeId), raw })));
	}

	/**
	 * The refunded units of each line, for the (few) orders with refunds that are still open: the order
	 * answer lists refund totals only, so their refunds are read (one request per such order).
	 */
	private async withRefunds(orders: ChannelOrder[]): Promise<ChannelOrder[]> {
		for (const { order, raw } of orders) {
			const refunds = (raw as WooOrder).refunds ?? [];
			if (refunds.length === 0 || order.status === 'cancelled' || order.financialStatus === 'refunded') continue;
			// Refund lines name the order line in `_refunded_item_id` (shown with all_item_meta); else match by product.
			type RefundLine = { quantity: number; product_id?: number; variation_id?: number; meta_data?: Array<{ key: string; value: unknown }> };
			const units = new Map<string, number>();
			const items = (raw as WooOrder).line_items ?? [];
			for await (const page of this.client.pages<{ line_items?: RefundLine[] }>(`/orders/${order.channelOrderId}/refunds`, { all_item_meta: true })) {
				for (const refund of page) {
					for (const item of refund.line_items ?? []) {
						const named = item.meta_data?.find((m) => m.key === '_refunded_item_id')?.value;
						const of = named !== undefined ? String(named)
							: String(items.find((l) => l.product_id === item.product_id && (l.variation_id ?? 0) === (item.variation_id ?? 0))?.id ?? '');
						if (of) units.set(of, (units.get(of) ?? 0) + Math.abs(Number(item.quantity) || 0));
					}
				}
			}
			for (const line of order.lines) line.refundedQuantity = Math.min(line.quantity, units.get(line.channelLineId) ?? 0);
		}
		return orders;
	}
}
