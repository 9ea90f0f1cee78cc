/**
 * An Amazon seller account as a sales channel: Orders API 2026-01-01 searchOrders, by lastUpdatedAfter /
 * lastUpdatedBefore (or createdAfter / createdBefore), 100 orders a page, following `pagination.nextToken`
 * with every other parameter repeated (as the spec asks), with the datasets the mapping needs in
 * `includedData`, so no order needs a getOrder of its own (getOrder is 0.5 requests per second).
 *
 * Why no order is lost while orders change during paging:
 *  1. The window is closed before the first page: lastUpdatedBefore (createdBefore) is fixed when the read
 *     starts, at most `until` and always more than two minutes before now (Amazon refuses a later bound,
 *     and orders reach the API with a delay). Nothing can enter the result set while it is paged.
 *  2. An order updated while the pages are read gets a lastUpdatedTime after that bound: it leaves the set
 *     (wherever it sat, read or not), and the next window, which starts at or before this one's end (the
 *     trigger re-reads from its watermark minus an overlap), reads its new version. So a change never costs
 *     an order, it only moves it to the next read.
 *  3. The pagination token is Amazon's cursor into that fixed query (it expires after 24 hours and must be
 *     sent with the same parameters). Amazon does not document how it orders results; orders seen twice are
 *     kept once (the later lastUpdatedTime wins), and the read is sorted oldest first before it is emitted,
 *     as the SalesChannel contract and the trigger's cursor want.
 * The rate limit of searchOrders (0.0056 requests per second after a burst of 20) is the real cost of a
 * read: the client paces it and stops with a clear error when a page would wait past its limit.
 */
import type { ChannelOrder, OrderWindow, SalesChannel } from '../channel';
import type { Clock, HttpTransport } from '../http';
import { AMAZON_MAX_ORDERS_PER_PAGE, AmazonClient, ORDERS_PATH, amazonBaseUrl, amazonMarketplaceIds, amazonStoreId } from './client';
import type { AmazonClientOptions, AmazonConnection } from './client';
import { amazonOrderToModel } from './orderMapping';
import type { AmazonOrder } from './orderMapping';

/** What the mapping reads; EXPENSE and PAYMENT are not needed, FULFILLMENT_ORDERS only for EasyShip. */
export const ORDER_DATASETS = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX'];
/** Amazon refuses a `...Before` bound less than two minutes before the request; a little more for clock skew. */
export const AMAZON_LATEST_MARGIN_MS = 2 * 60_000 + 15_000;

export interface SearchOrdersPage {
	orders?: AmazonOrder[];
	pagination?: { nextToken?: string };
	lastUpdatedBefore?: string;
	createdBefore?: string;
}

export interface AmazonChannelOptions extends AmazonClientOptions {
	/** Orders per page (1–100). */
	pageSize?: number;
}

export class AmazonChannel implements SalesChannel {
	readonly storeId: string;
	readonly client: AmazonClient;
	readonly marketplaceIds: string[];
	private readonly pageSize: number;

	constructor(transport: HttpTransport, private readonly clock: Clock, connection: AmazonConnection, options: AmazonChannelOptions = {}) {
		const base = amazonBaseUrl(connection.region, connection.baseUrl);
		this.client = new AmazonClient(transport, clock, base, options);
		this.marketplaceIds = amazonMarketplaceIds(connection.marketplaceIds);
		this.storeId = amazonStoreId(base, connection.sellerId);
		this.pageSize = Math.max(1, Math.min(options.pageSize ?? AMAZON_MAX_ORDERS_PER_PAGE, AMAZON_MAX_ORDERS_PER_PAGE));
	}

	/** Every order of one fixed query, each once, following the pagination token. */
	private async search(query: Record<string, string | number>): Promise<AmazonOrder[]> {
		const byId = new Map<string, AmazonOrder>();
		let token: string | undefined;
		do {
			const page = await this.client.request<SearchOrdersPage>('searchOrders', 'GET', ORDERS_PATH, { qs: { ...query, ...(token ? { paginationToken: token } : {}) } });
			for (const order of page.orders ?? []) {
				const earlier = byId.get(order.orderId);
				if (!earlier || Date.parse(order.lastUpdatedTime) >= Date.parse(earlier.lastUpdatedTime)) byId.set(order.orderId, order);
			}
			token = page.pagination?.nextToken || undefined;
		} while (token);
		return [...byId.values()];
	}

	private baseQuery(): Record<string, string | number> {
		return { marketplaceIds: this.marketplaceIds.join(','), includedData: ORDER_DATASETS.join(','), maxResultsPerPage: this.pageSize };
	}

	async *readOrders(window: OrderWindow): AsyncIterable<ChannelOrder[]> {
		const latest = this.clock.now() - AMAZON_LATEST_MARGIN_MS;
		const to = Math.min(window.until ? Date.parse(window.until) : latest, latest);
		const from = Date.parse(window.since);
		// A window entirely inside the last two minutes has nothing Amazon will show yet: the next one reads it.
		if (!(from <= to)) return;
		const created = window.by === 'created';
		const orders = await this.search({
			...this.baseQuery(),
			[created ? 'createdAfter' : 'lastUpdatedAfter']: new Date(from).toISOString(),
			[created ? 'createdBefore' : 'lastUpdatedBefore']: new Date(to).toISOString(),
		});
		const timeOf = (o: AmazonOrder) => Date.parse(created ? o.createdTime : o.lastUpdatedTime) || 0;
		orders.sort((a, b) => timeOf(a) - timeOf(b) || a.orderId.localeCompare(b.orderId));
		for (let i = 0; i < orders.length; i += this.pageSize) {
			yield orders.slice(i, i + this.pageSize).map((raw) => ({ order: amazonOrderToModel(raw, this.storeId), raw }));
		}
	}

	async recentOrders(count: number): Promise<ChannelOrder[]> {
		// One page of the last week (searchOrders is the scarcest call): the newest of it.
		const latest = this.clock.now() - AMAZON_LATEST_MARGIN_MS;
		const page = await this.client.request<SearchOrdersPage>('searchOrders', 'GET', ORDERS_PATH, {
			qs: { ...this.baseQuery(), createdAfter: new Date(latest - 7 * 86_400_000).toISOString(), createdBefore: new Date(latest).toISOString() },
		});
		return (page.orders ?? [])
			.sort((a, b) => Date.parse(b.createdTime) - Date.parse(a.createdTime))
			.slice(0, Math.max(1, count))
			.map((raw) => ({ order: amazonOrderToModel(raw, this.storeId), raw }));
	}
}
