/**
 * The WooCommerce REST v3 operations the store-facing nodes use, over the one client: products and
 * variations by SKU (many per request), stock writes, order create (not retried blindly: look it up by
 * its meta key first), order updates, notes, batches of at most 100, and the Shipment Tracking extension,
 * detected rather than assumed.
 */
import { PlatformError } from '../errors';
import { WOO_MAX_BATCH, WOO_MAX_PER_PAGE } from './client';
import type { WooClient } from './client';
import type { WooOrder } from './orderMapping';

export interface WooProduct {
	id: number;
	/** Set on variations: the variable product they belong to. */
	parent_id?: number;
	type?: string;
	sku: string;
	name: string;
	manage_stock: boolean | 'parent';
	stock_quantity: number | null;
	stock_status: string;
}

/** SKUs per request: WooCommerce takes a comma-separated list in `sku`. */
const SKU_BATCH = 50;

/** Products and variations by SKU; each SKU maps to all the records that carry it (two is ambiguous). */
export async function productsBySku(client: WooClient, skus: readonly string[]): Promise<Map<string, WooProduct[]>> {
	const found = new Map<string, WooProduct[]>(skus.map((s) => [s, []]));
	const unique = [...new Set(skus.filter((s) => s !== '' && !s.includes(',')))];
	for (let i = 0; i < unique.length; i += SKU_BATCH) {
		const batch = unique.slice(i, i + SKU_BATCH);
		for await (const page of client.pages<WooProduct>('/products', { sku: batch.join(','), status: 'any' }, WOO_MAX_PER_PAGE)) {
			for (const product of page) found.get(product.sku)?.push(product);
		}
	}
	return found;
}

/** Sets the stock of a product, or of a variation when `variationId` is given (and turns stock management on). */
export async function setStock(client: WooClient, productId: number, variationId: number | null, quantity: number): Promise<WooProduct> {
	const path = variationId ? `/products/${productId}/variations/${variationId}` : `/products/${productId}`;
	return client.request<WooProduct>('PUT', path, { body: { manage_stock: true, stock_quantity: quantity } });
}

/** Orders carrying our meta key with this value: how a push looks before it writes. */
export async function ordersByMeta(client: WooClient, key: string, value: string, search: string): Promise<WooOrder[]> {
	const { items } = await client.page<WooOrder & { meta_data?: Array<{ key: string; value: unknown }> }>('/orders', { search, per_page: WOO_MAX_PER_PAGE, status: 'any' });
	return items.filter((o) => (o.meta_data ?? []).some((m) => m.key === key && String(m.value) === value));
}

/** Creates an order. Not repeated on a lost answer (UnknownOutcomeError): the caller looks it up first. */
export async function createOrder(client: WooClient, body: Record<string, unknown>): Promise<WooOrder> {
	return client.request<WooOrder>('POST', '/orders', { body, write: true });
}

export async function updateOrder(client: WooClient, id: number, body: Record<string, unknown>): Promise<WooOrder> {
	return client.request<WooOrder>('PUT', `/orders/${id}`, { body });
}

export async function addOrderNote(client: WooClient, id: number, note: string, customerNote = false): Promise<void> {
	await client.request('POST', `/orders/${id}/notes`, { body: { note, customer_note: customerNote }, write: true });
}

export interface BatchResult<T> {
	create?: Array<T | { id: number; error: { code: string; message: string } }>;
	update?: Array<T | { id: number; error: { code: string; message: string } }>;
}

/** Updates in batches of at most 100 objects; per-object refusals come back inline, as WooCommerce reports them. */
export async function batchUpdate<T>(client: WooClient, path: '/orders/batch' | '/products/batch' | `/products/${number}/variations/batch`, updates: Array<Record<string, unknown>>): Promise<NonNullable<BatchResult<T>['update']>> {
	const results: NonNullable<BatchResult<T>['update']> = [];
	for (let i = 0; i < updates.length; i += WOO_MAX_BATCH) {
		const answer = await client.request<BatchResult<T>>('POST', path, { body: { update: updates.slice(i, i + WOO_MAX_BATCH) } });
		results.push(...(answer.update ?? []));
	}
	return results;
}

/** Whether the store has the Shipment Tracking extension (its route answers) or not (rest_no_route). */
export async function hasShipmentTracking(client: WooClient): Promise<boolean> {
	const outcome = await client.request('GET', '/wp-json/wc-shipment-tracking/v3/shipment-trackings/providers').then(
		() => true,
		(error: unknown) => error,
	);
	if (outcome === true) return true;
	if (outcome instanceof PlatformError && outcome.code === 'rest_no_route') return false;
	throw outcome;
}

export interface WooTracking {
	tracking_id: string;
	tracking_provider: string;
	custom_tracking_provider?: string;
	tracking_number: string;
	tracking_link?: string;
	date_shipped: string;
}

export async function listTracking(client: WooClient, orderId: number): Promise<WooTracking[]> {
	return client.request<WooTracking[]>('GET', `/wp-json/wc-shipment-tracking/v3/orders/${orderId}/shipment-trackings`);
}

/** Adds one package's tracking; a known provider by name, any other as a custom provider with its link. */
export async function addTracking(
	client: WooClient,
	orderId: number,
	tracking: { provider: string | null; customProvider?: string; customLink?: string; number: string; dateShipped: string },
): Promise<WooTracking> {
	const body = tracking.provider
		? { tracking_provider: tracking.provider, tracking_number: tracking.number, date_shipped: tracking.dateShipped }
		: { custom_tracking_provider: tracking.customProvider ?? 'Other', custom_tracking_link: tracking.customLink ?? '', tracking_number: tracking.number, date_shipped: tracking.dateShipped };
	return client.request<WooTracking>('POST', `/wp-json/wc-shipment-tracking/v3/orders/${orderId}/shipment-trackings`, { body, write: true });
}
