/**
 * Shipped orders for Sync Tracking's tests and benchmark: a channel order pushed into a main store (by
 * the push loop itself, so the push key, tags and meta are the real ones), then shipped on one side the
 * way a shop owner or a shipping app does it (Shopify fulfillmentCreate, WooCommerce Shipment Tracking or
 * status completed), and the two stores' tracking read back from the simulators' state.
 */
import type { Order } from '../../core/model';
import type { PushSettings } from '../../core/push';
import { pushOrders } from '../../platforms/mainStore';
import type { CreateOptions } from '../../platforms/mainStore';
import { ShopifyChannel } from '../../platforms/shopify/channel';
import { ShopifyMainStore } from '../../platforms/shopify/mainStore';
import { WooClient } from '../../platforms/woocommerce/client';
import { WooMainStore } from '../../platforms/woocommerce/mainStore';
import { wooStoreId } from '../../platforms/woocommerce/channel';
import { wooOrderToModel } from '../../platforms/woocommerce/orderMapping';
import type { WooOrder } from '../../platforms/woocommerce/orderMapping';
import type { ShopifySimulator } from '../simulators/shopify';
import { newId } from '../simulators/shopify/store';
import type { WooSimulator } from '../simulators/woocommerce';
import { basic, fetchTransport, realClock } from './fetchTransport';

/** Push everything as it comes: unlinked lines as custom lines, no requirement held back. */
const PUSH: PushSettings = {
	mode: 'order', require: { paid: false, customer: false, positiveTotal: false, linkedLine: false }, linkBy: 'sku', links: new Map(), unlinked: 'customLines',
	keepOrderNumber: false, orderNumberPrefix: '', extraTags: [], contactEmail: { use: 'customer', fixed: '' }, shipping: { use: 'channel', rules: [] }, cancelOnChannelCancel: true,
};
const CREATE: CreateOptions = { mode: 'order', inventory: 'bypass', sendReceipt: false, sendFulfillmentReceipt: false, marketingOptIn: false };

export const shopifyTransport = (sim: ShopifySimulator) => fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } });
export const wooTransport = (sim: WooSimulator) => fetchTransport({ headers: { authorization: basic(sim.consumerKey, sim.consumerSecret) } });

export async function gql<T = Record<string, any>>(sim: ShopifySimulator, query: string, variables: Record<string, unknown> = {}): Promise<T> {
	const response = await fetch(sim.graphqlUrl, {
		method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': sim.accessToken }, body: JSON.stringify({ query, variables }),
	});
	const body = (await response.json()) as { data?: T; errors?: unknown };
	if (body.errors) throw new Error(`simulator GraphQL errors: ${JSON.stringify(body.errors)}`);
	return body.data as T;
}

async function wooRest<T = any>(sim: WooSimulator, method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${sim.siteUrl}/wp-json${path}`, {
		method, headers: { 'content-type': 'application/json', authorization: basic(sim.consumerKey, sim.consumerSecret) }, body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (response.status >= 300) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
	return (await response.json()) as T;
}

/** A new WooCommerce checkout with `quantities.length` lines, as the channel's order model. */
export async function newWooChannelOrder(woo: WooSimulator, quantities: number[] = [2, 1]): Promise<Order> {
	const simple = woo.store.products.filter((p) => p.type === 'simple' && p.purchasable && p.status === 'publish');
	const placed = woo.addOrder({ status: 'processing', line_items: quantities.map((quantity, i) => ({ product_id: simple[i].id, quantity })) });
	const raw = await new WooClient(wooTransport(woo), realClock(), woo.siteUrl).request<WooOrder>('GET', `/orders/${placed.id}`);
	return wooOrderToModel(raw, wooStoreId(woo.siteUrl));
}

/** A new Shopify order with one line per quantity (the store's first variants), as the channel's order model. */
export async function newShopifyChannelOrder(shopify: ShopifySimulator, quantities: number[] = [2, 1]): Promise<Order> {
	const variants = shopify.store.variants.filter((v) => !v.requiresComponents).slice(0, quantities.length);
	const lineItems = variants.map((v, i) => ({
		id: newId(shopify.store), variantId: v.id, productId: v.productId, sku: v.sku, title: `Product ${v.sku}`, variantTitle: v.title, name: `Product ${v.sku} - ${v.title}`,
		vendor: null, quantity: quantities[i], fulfillableQuantity: quantities[i], requiresShipping: true, taxable: false, unitPrice: v.price, discount: '0.00', taxLines: [],
	}));
	const order = shopify.addOrder({ lineItems });
	const channel = new ShopifyChannel(shopifyTransport(shopify), realClock(), shopify.url);
	for await (const page of channel.readOrders({ since: new Date(Date.parse(order.createdAt) - 1000).toISOString(), by: 'created' })) {
		const found = page.find((o) => o.order.channelOrderId === String(order.id));
		if (found) return found.order;
	}
	throw new Error(`order ${order.id} not read back`);
}

/** Pushes channel orders into the main store; returns each main-store order's id (Shopify gid, WooCommerce number). */
export async function pushTo(main: ShopifySimulator | WooSimulator, orders: Order[]): Promise<string[]> {
	const store = 'graphqlUrl' in main
		? new ShopifyMainStore(shopifyTransport(main), realClock(), main.url)
		: new WooMainStore(wooTransport(main), realClock(), main.siteUrl);
	const results = await pushOrders(store, orders, PUSH, { dryRun: false, create: CREATE });
	return results.map((r) => {
		if (!r.record) throw new Error(`push failed: ${r.attention?.reason}`);
		return r.record.id;
	});
}

/**
 * Ships on Shopify: a fulfillment of the given lines (index → units; every open unit when left out)
 * with the given carrier, tracking numbers and URLs.
 */
export async function shipOnShopify(
	shopify: ShopifySimulator,
	orderGid: string,
	tracking: { company?: string | null; numbers?: string[]; urls?: string[] },
	lines?: Array<{ index: number; quantity: number }>,
): Promise<string> {
	const data = await gql(shopify, `query($id: ID!) { order(id: $id) { lineItems(first: 50) { nodes { id } } fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 50) { nodes { id remainingQuantity lineItem { id } } } } } } }`, { id: orderGid });
	const fo = data.order.fulfillmentOrders.nodes.find((f: { status: string }) => f.status !== 'CLOSED');
	const lineIds: string[] = data.order.lineItems.nodes.map((l: { id: string }) => l.id);
	const foLines = lines?.map((l) => ({ id: fo.lineItems.nodes.find((x: { lineItem: { id: string } }) => x.lineItem.id === lineIds[l.index]).id, quantity: l.quantity }));
	const trackingInfo = tracking.numbers?.length ? { company: tracking.company ?? undefined, numbers: tracking.numbers, ...(tracking.urls ? { urls: tracking.urls } : {}) } : tracking.company ? { company: tracking.company } : undefined;
	const made = await gql(shopify, `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { field message } } }`, {
		f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, ...(foLines ? { fulfillmentOrderLineItems: foLines } : {}) }], notifyCustomer: false, ...(trackingInfo ? { trackingInfo } : {}) },
	});
	if (made.fulfillmentCreate.userErrors.length) throw new Error(JSON.stringify(made.fulfillmentCreate.userErrors));
	return made.fulfillmentCreate.fulfillment.id;
}

/** Adds a Shipment Tracking item on WooCommerce, as the extension's admin box or a shipping app does. */
export function trackOnWoo(woo: WooSimulator, orderId: string | number, item: { provider?: string; custom?: string; link?: string; number: string; date?: string }): Promise<unknown> {
	return wooRest(woo, 'POST', `/wc-shipment-tracking/v3/orders/${orderId}/shipment-trackings`, item.provider
		? { tracking_provider: item.provider, tracking_number: item.number, date_shipped: item.date ?? '2026-11-20' }
		: { custom_tracking_provider: item.custom ?? 'Other', custom_tracking_link: item.link ?? '', tracking_number: item.number, date_shipped: item.date ?? '2026-11-20' });
}

export function setWooStatus(woo: WooSimulator, orderId: string | number, status: string): unknown {
	return woo.updateOrder(Number(orderId), { status });
}

/** What a Shopify order's fulfillments hold, from the simulator's state: [numbers, company, units] per fulfillment. */
export function shopifyPackages(shopify: ShopifySimulator, orderGid: string): Array<{ numbers: string[]; company: string | null; urls: Array<string | null>; units: number; notify: boolean }> {
	const id = Number(orderGid.slice(orderGid.lastIndexOf('/') + 1));
	const order = shopify.store.orders.find((o) => o.id === id);
	if (!order) throw new Error(`no Shopify order ${orderGid}`);
	return order.fulfillments.filter((f) => f.status === 'SUCCESS').map((f) => ({
		numbers: f.trackingInfo.map((t) => t.number).filter((n): n is string => n !== null), company: f.trackingInfo[0]?.company ?? null,
		urls: f.trackingInfo.map((t) => t.url), units: f.lineItems.reduce((s, l) => s + l.quantity, 0), notify: f.notifyCustomer,
	}));
}

export function shopifyOrder(shopify: ShopifySimulator, orderGid: string) {
	const id = Number(orderGid.slice(orderGid.lastIndexOf('/') + 1));
	return shopify.store.orders.find((o) => o.id === id)!;
}

/** A WooCommerce order's Shipment Tracking items as the extension stores them, its notes and its status. */
export function wooShipping(woo: WooSimulator, orderId: string | number) {
	const order = woo.store.order(Number(orderId))!;
	return {
		status: order.status,
		tracking: woo.store.trackingItems(order).map((t) => ({ provider: t.tracking_provider, custom: t.custom_tracking_provider, link: t.custom_tracking_link, number: t.tracking_number })),
		notes: woo.store.notesOf(Number(orderId)).filter((n) => n.note.includes('Commerce Sync')).map((n) => ({ note: n.note, customer: n.customer_note })),
	};
}
