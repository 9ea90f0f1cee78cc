/**
 * Shopify's side of Sync Tracking, as main store and as channel: an order's fulfillments (carrier,
 * tracking numbers, URLs, lines) and what is still to ship; a package is written with fulfillmentCreate
 * over the order's fulfillment orders (one fulfillment per location), more numbers for a package already
 * there with fulfillmentTrackingInfoUpdate (the whole list: it replaces). Neither mutation takes an
 * idempotency key, so a lost answer is looked up by the caller (platforms/tracking.ts), never resent.
 * As a main store, the pushed orders that changed are found by the push's tag and their
 * sourceIdentifier (the push key).
 */
import { SHOPIFY_CARRIERS } from '../../core/carriers';
import { parsePushKey } from '../../core/tracking';
import type { LineState, Parcel, ShippingState, TargetAbility, TrackingAction, TrackingPath } from '../../core/tracking';
import { PlatformError } from '../errors';
import type { Clock, HttpTransport } from '../http';
import type { PushedOrderRef, TrackingStore, WriteOptions } from '../tracking';
import { ShopifyClient, userErrorsOf } from './client';
import type { Connection } from './client';
import { shopifyStoreId } from './channel';
import { quoted } from './operations';

/** Lines, packages and lines per package read with the order; more is reported, not guessed. */
const LINES = 50;
const PACKAGES = 10;
const PACKAGE_LINES = 20;
const NUMBERS = 10;

export const ORDER_SHIPPING_QUERY = `query OrderShipping($id: ID!) {
	order(id: $id) {
		id name cancelledAt displayFulfillmentStatus
		lineItems(first: ${LINES}) { nodes { id sku name quantity fulfillableQuantity requiresShipping } pageInfo { hasNextPage } }
		fulfillments(first: ${PACKAGES}) {
			id status createdAt
			trackingInfo(first: ${NUMBERS}) { company number url }
			fulfillmentLineItems(first: ${PACKAGE_LINES}) { nodes { quantity lineItem { id sku name } } }
		}
	}
}`;

export const OPEN_FULFILLMENT_ORDERS_QUERY = `query OpenFulfillmentOrders($id: ID!) {
	order(id: $id) {
		fulfillmentOrders(first: 5, displayable: true) {
			nodes { id status assignedLocation { location { id } } lineItems(first: ${LINES}) { nodes { id remainingQuantity lineItem { id } } } }
		}
	}
}`;

export const TRACKING_FULFILLMENT_CREATE_MUTATION = `mutation TrackingFulfillmentCreate($fulfillment: FulfillmentInput!) {
	fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id status } userErrors { field message } }
}`;

export const TRACKING_INFO_UPDATE_MUTATION = `mutation TrackingInfoUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
	fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
		fulfillment { id } userErrors { field message }
	}
}`;

export const PUSHED_ORDERS_QUERY = `query PushedOrders($first: Int!, $after: String, $query: String) {
	orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
		nodes { id name sourceIdentifier updatedAt displayFulfillmentStatus }
		pageInfo { hasNextPage endCursor }
	}
}`;

/** The tag every pushed order carries (core/push.ts planPush). */
const PUSH_TAG = 'Commerce Sync';

interface GqlShipping {
	id: string;
	name: string;
	cancelledAt: string | null;
	displayFulfillmentStatus: string;
	lineItems: { nodes: Array<{ id: string; sku: string | null; name: string; quantity: number; fulfillableQuantity: number; requiresShipping: boolean }>; pageInfo: { hasNextPage: boolean } };
	fulfillments: Array<{
		id: string;
		status: string;
		createdAt: string;
		trackingInfo: Array<{ company: string | null; number: string | null; url: string | null }>;
		fulfillmentLineItems: { nodes: Array<{ quantity: number; lineItem: { id: string; sku: string | null; name: string } }> };
	}>;
}

interface GqlFulfillmentOrder {
	id: string;
	status: string;
	assignedLocation: { location: { id: string } | null };
	lineItems: { nodes: Array<{ id: string; remainingQuantity: number; lineItem: { id: string } }> };
}

function searchTime(iso: string): string {
	return `'${new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;
}

/** Shopify's fulfillment data → the pack's shipping state. */
export function shopifyShippingState(order: GqlShipping): ShippingState {
	const lines: LineState[] = order.lineItems.nodes.map((l) => ({
		lineId: l.id, sku: l.sku || null, title: l.name, quantity: l.quantity, open: l.requiresShipping ? l.fulfillableQuantity : 0, linkedLineId: null,
	}));
	const parcels: Parcel[] = order.fulfillments
		.filter((f) => f.status === 'SUCCESS')
		.map((f) => {
			const info = f.trackingInfo.filter((t) => t.number);
			return {
				ref: f.id,
				carrier: f.trackingInfo.find((t) => t.company)?.company ?? null,
				numbers: info.map((t) => t.number as string),
				urls: info.map((t) => t.url ?? ''),
				shippedAt: f.createdAt,
				lines: f.fulfillmentLineItems.nodes.map((x) => ({ lineId: x.lineItem.id, sku: x.lineItem.sku || null, title: x.lineItem.name, quantity: x.quantity })),
			};
		});
	const fulfilled = order.displayFulfillmentStatus === 'FULFILLED';
	return {
		orderId: order.id, number: order.name,
		status: order.cancelledAt ? 'cancelled' : fulfilled ? 'completed' : 'open',
		fullyShipped: fulfilled,
		lines, parcels, notes: [], path: 'fulfillments',
	};
}

export class ShopifyTrackingStore implements TrackingStore {
	readonly platform = 'Shopify';
	readonly storeId: string;
	readonly client: ShopifyClient;

	constructor(transport: HttpTransport, clock: Clock, store: string, apiVersion?: string) {
		this.client = new ShopifyClient(transport, clock, store, apiVersion);
		this.storeId = shopifyStoreId(store);
	}

	orderRef(orderId: string): string {
		return orderId.startsWith('gid://') ? orderId : `gid://shopify/Order/${orderId}`;
	}

	async ability(): Promise<TargetAbility & { path: TrackingPath }> {
		return { platform: 'shopify', linesPerParcel: true, carrierNames: SHOPIFY_CARRIERS, path: 'fulfillments' };
	}

	async read(orderRef: string): Promise<ShippingState> {
		const data = await this.client.request<{ order: GqlShipping | null }>(ORDER_SHIPPING_QUERY, { id: orderRef });
		if (!data.order) throw new PlatformError('Shopify', `order ${orderRef} was not found`, 200, 'NOT_FOUND', 'It may have been deleted in Shopify.');
		const state = shopifyShippingState(data.order);
		if (data.order.lineItems.pageInfo.hasNextPage || data.order.fulfillments.length >= PACKAGES) {
			throw new PlatformError('Shopify', `order ${data.order.name} has more than ${LINES} lines or ${PACKAGES} fulfillments`, 200, 'TOO_LARGE',
				'Copy its tracking by hand; Sync Tracking reads at most that many so that it never writes what it did not see.');
		}
		return state;
	}

	async apply(order: ShippingState, action: TrackingAction, options: WriteOptions): Promise<string> {
		if (action.kind === 'complete') return 'Shopify closes a fully shipped order itself';
		const company = action.carrier.name ?? (action.numbers.length > 0 ? 'Other' : undefined);
		// URLs go only when every number has one (Shopify pairs them by position); a known carrier gets them built.
		const urls = action.urls.length > 0 && action.urls.every((u) => u !== '') ? action.urls : undefined;
		const trackingInfo = action.numbers.length > 0 ? { ...(company ? { company } : {}), numbers: action.numbers, ...(urls ? { urls } : {}) } : company ? { company } : undefined;
		if (action.kind === 'addNumbers') {
			type Payload = { fulfillmentTrackingInfoUpdate: { userErrors: Array<{ field: string[] | null; message: string }> } };
			const data = await this.client.request<Payload>(TRACKING_INFO_UPDATE_MUTATION, { fulfillmentId: action.parcelRef, trackingInfoInput: trackingInfo, notifyCustomer: options.notifyCustomer }, { write: true });
			const refused = userErrorsOf(data.fulfillmentTrackingInfoUpdate, 'Adding tracking to the fulfillment');
			if (refused) throw refused;
			return `added to fulfillment ${action.parcelRef}`;
		}
		const groups = await this.fulfillmentOrderLines(order, action.lines ?? []);
		const made: string[] = [];
		for (const lineItemsByFulfillmentOrder of groups) {
			type Payload = { fulfillmentCreate: { fulfillment: { id: string } | null; userErrors: Array<{ field: string[] | null; message: string }> } };
			const fulfillment = { lineItemsByFulfillmentOrder, notifyCustomer: options.notifyCustomer, ...(trackingInfo ? { trackingInfo } : {}) };
			const data = await this.client.request<Payload>(TRACKING_FULFILLMENT_CREATE_MUTATION, { fulfillment }, { write: true });
			const refused = userErrorsOf(data.fulfillmentCreate, 'Creating the fulfillment');
			if (refused) throw refused;
			made.push(data.fulfillmentCreate.fulfillment?.id ?? '');
		}
		return `fulfillment ${made.join(', ')}`;
	}

	/**
	 * The fulfillment-order lines that hold the wanted order lines and units, grouped by location (one
	 * fulfillment covers the fulfillment orders of one location).
	 */
	private async fulfillmentOrderLines(order: ShippingState, wanted: Array<{ lineId: string; quantity: number }>) {
		const data = await this.client.request<{ order: { fulfillmentOrders: Connection<GqlFulfillmentOrder> } | null }>(OPEN_FULFILLMENT_ORDERS_QUERY, { id: order.orderId });
		const open = (data.order?.fulfillmentOrders.nodes ?? []).filter((fo) => fo.status === 'OPEN' || fo.status === 'IN_PROGRESS');
		const byLocation = new Map<string, Map<string, Array<{ id: string; quantity: number }>>>();
		for (const { lineId, quantity } of wanted) {
			let left = quantity;
			for (const fo of open) {
				for (const line of fo.lineItems.nodes) {
					if (left <= 0 || line.lineItem.id !== lineId || line.remainingQuantity <= 0) continue;
					const units = Math.min(left, line.remainingQuantity);
					left -= units;
					const location = fo.assignedLocation.location?.id ?? '';
					const orders = byLocation.get(location) ?? new Map<string, Array<{ id: string; quantity: number }>>();
					orders.set(fo.id, [...(orders.get(fo.id) ?? []), { id: line.id, quantity: units }]);
					byLocation.set(location, orders);
				}
			}
			if (left > 0) {
				const name = order.lines.find((l) => l.lineId === lineId)?.title ?? lineId;
				throw new PlatformError('Shopify', `${left} unit(s) of "${name}" in order ${order.number} are not open for fulfillment (on hold, or already fulfilled)`, 200, 'NOT_FULFILLABLE',
					'Release the hold or check the order in Shopify; the next run writes the tracking once the lines can be fulfilled.');
			}
		}
		return [...byLocation.values()].map((orders) => [...orders].map(([fulfillmentOrderId, fulfillmentOrderLineItems]) => ({ fulfillmentOrderId, fulfillmentOrderLineItems })));
	}

	async *pushedSince(since: string, channel: { channel: string; storeId: string }): AsyncIterable<PushedOrderRef[]> {
		type Node = { id: string; name: string; sourceIdentifier: string | null; updatedAt: string; displayFulfillmentStatus: string };
		const query = `updated_at:>=${searchTime(since)} AND tag:${quoted(PUSH_TAG)}`;
		for await (const nodes of this.client.pages<Node>(PUSHED_ORDERS_QUERY, { first: 100, query }, (d) => (d as { orders: Connection<Node> }).orders)) {
			yield nodes
				.filter((o) => {
					const key = parsePushKey(o.sourceIdentifier);
					// Nothing shipped yet: nothing to copy.
					return key !== null && key.channel === channel.channel && key.storeId === channel.storeId && o.displayFulfillmentStatus !== 'UNFULFILLED';
				})
				.map((o) => ({ orderId: o.id, number: o.name, key: o.sourceIdentifier as string, updatedAt: o.updatedAt }));
		}
	}
}
