/**
 * A Shopify store as a sales channel: its orders, read through the one GraphQL client, in our model.
 * Orders are read sorted by the window's time field with Shopify's keyset cursors, so equal timestamps
 * across a page boundary and orders written while paging are neither skipped nor repeated within a read.
 */
import type { ChannelOrder, OrderWindow, SalesChannel } from '../channel';
import type { Clock, HttpTransport } from '../http';
import { ShopifyClient } from './client';
import type { Connection } from './client';
import { gidType, runBulkQuery } from './bulk';
import type { BulkStats } from './bulk';
import { BULK_ORDER_FIELDS, LINE_FIELDS, ORDER_FIELDS, shopifyOrderToModel } from './orderMapping';
import type { GqlLineItem, GqlOrder } from './orderMapping';

export const CHANNEL_ORDERS_QUERY = `query ChannelOrders($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys!, $reverse: Boolean!) {
	orders(first: $first, after: $after, query: $query, sortKey: $sortKey, reverse: $reverse) {
		nodes { ${ORDER_FIELDS} }
		pageInfo { hasNextPage endCursor }
	}
}`;

export const ORDER_LINES_QUERY = `query OrderLines($id: ID!, $first: Int!, $after: String) {
	order(id: $id) {
		lineItems(first: $first, after: $after) { nodes { ${LINE_FIELDS} } pageInfo { hasNextPage endCursor } }
	}
}`;

export const ORDERS_COUNT_QUERY = `query OrdersCount($query: String) { ordersCount(query: $query) { count precision } }`;

/** The bulk query for a window: every order with all its lines (pagination does not apply in bulk). */
export function bulkOrdersQuery(search: string, sortKey: 'CREATED_AT' | 'UPDATED_AT'): string {
	return `{ orders(query: ${JSON.stringify(search)}, sortKey: ${sortKey}) { edges { node { ${BULK_ORDER_FIELDS} } } } }`;
}

/**
 * Above this many orders in a window, read it with a bulk operation: at the Standard plan's 100 points/s
 * a page of ~10 orders costs ~4 s of rate limit, so 500 orders take ~3 minutes paged and a few seconds
 * in bulk, while a small window is quicker paged (a bulk operation has a start-up of its own).
 */
export const BULK_THRESHOLD = 500;

export interface ShopifyChannelOptions {
	apiVersion?: string;
	/** A transport WITHOUT the store's credential, for bulk result files; no bulk reads without it. */
	download?: HttpTransport;
	/** Windows with more orders than this are read in bulk (default BULK_THRESHOLD). */
	bulkThreshold?: number;
}

/** Orders asked for in the first page, before the reported cost sizes the following pages. */
const FIRST_PAGE = 3;

/** Shopify's search syntax wants the instant quoted: updated_at:>='2025-01-01T00:00:00Z'. */
function searchTime(iso: string): string {
	return `'${new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;
}

/** `https://my-shop.myshopify.com/...` or `my-shop` → `my-shop.myshopify.com`; a full URL keeps host:port. */
export function shopifyStoreId(store: string): string {
	const trimmed = store.trim().replace(/\/+$/, '');
	if (/^https?:\/\//i.test(trimmed)) return new URL(trimmed).host;
	return trimmed.includes('.') ? trimmed.toLowerCase() : `${trimmed.toLowerCase()}.myshopify.com`;
}

export class ShopifyChannel implements SalesChannel {
	readonly storeId: string;
	readonly client: ShopifyClient;

	/** Figures of the last bulk read, for benchmarks. */
	lastBulk: BulkStats | undefined;

	constructor(
		transport: HttpTransport,
		private readonly clock: Clock,
		store: string,
		private readonly options: ShopifyChannelOptions = {},
	) {
		this.client = new ShopifyClient(transport, clock, store, options.apiVersion);
		this.storeId = shopifyStoreId(store);
	}

	async *readOrders(window: OrderWindow): AsyncIterable<ChannelOrder[]> {
		const field = window.by === 'created' ? 'created_at' : 'updated_at';
		const terms = [`${field}:>=${searchTime(window.since)}`];
		if (window.until) terms.push(`${field}:<=${searchTime(window.until)}`);
		const search = terms.join(' AND ');
		const sortKey = window.by === 'created' ? 'CREATED_AT' : 'UPDATED_AT';
		if (this.options.download) {
			const threshold = this.options.bulkThreshold ?? BULK_THRESHOLD;
			const { ordersCount } = await this.client.request<{ ordersCount: { count: number } | null }>(ORDERS_COUNT_QUERY, { query: search });
			if (ordersCount && ordersCount.count > threshold) {
				yield* this.readInBulk(search, sortKey);
				return;
			}
		}
		const pages = this.client.pages<GqlOrder>(
			CHANNEL_ORDERS_QUERY,
			{ first: FIRST_PAGE, query: search, sortKey, reverse: false },
			(data) => (data as { orders: Connection<GqlOrder> }).orders,
		);
		for await (const nodes of pages) yield await this.toModel(nodes);
	}

	private async *readInBulk(search: string, sortKey: 'CREATED_AT' | 'UPDATED_AT'): AsyncIterable<ChannelOrder[]> {
		const { roots, stats } = await runBulkQuery(this.client, this.options.download!, this.clock, bulkOrdersQuery(search, sortKey), {
			connectionOf: (child) => ({ LineItem: 'lineItems', ShippingLine: 'shippingLines' })[gidType(child.id) ?? ''],
		});
		this.lastBulk = stats;
		const empty = { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
		for (let i = 0; i < roots.length; i += 250) {
			yield roots.slice(i, i + 250).map((root) => {
				const raw = { lineItems: empty, shippingLines: empty, ...root } as unknown as GqlOrder;
				return { order: shopifyOrderToModel(raw, this.storeId), raw };
			});
		}
	}

	async recentOrders(count: number): Promise<ChannelOrder[]> {
		const data = await this.client.request<{ orders: Connection<GqlOrder> }>(CHANNEL_ORDERS_QUERY, {
			first: Math.max(1, Math.min(count, 10)),
			after: null,
			query: null,
			sortKey: 'CREATED_AT',
			reverse: true,
		});
		return this.toModel(data.orders.nodes);
	}

	private async toModel(nodes: GqlOrder[]): Promise<ChannelOrder[]> {
		const out: ChannelOrder[] = [];
		for (const raw of nodes) {
			const extra = raw.lineItems.pageInfo.hasNextPage ? await this.remainingLines(raw) : [];
			out.push({ order: shopifyOrderToModel(raw, this.storeId, extra), raw: extra.length ? { ...raw, moreLineItems: extra } : raw });
		}
		return out;
	}

	/** Lines beyond the first page of an order with many lines. */
	private async remainingLines(raw: GqlOrder): Promise<GqlLineItem[]> {
		const lines: GqlLineItem[] = [];
		const empty: Connection<GqlLineItem> = { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
		const pages = this.client.pages<GqlLineItem>(
			ORDER_LINES_QUERY,
			{ id: raw.id, first: 50, after: raw.lineItems.pageInfo.endCursor },
			(data) => (data as { order: { lineItems: Connection<GqlLineItem> } | null }).order?.lineItems ?? empty,
		);
		for await (const nodes of pages) lines.push(...nodes);
		return lines;
	}
}
