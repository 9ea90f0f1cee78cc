/**
 * eBay's side of Sync Tracking, as a channel only. An eBay package is a shipping fulfillment: the lines
 * and units it holds, one carrier code and one tracking number (getShippingFulfillments lists them;
 * createShippingFulfillment adds one, once per package). A create whose answer was lost surfaces as
 * UnknownOutcomeError: syncTracking then reads the fulfillments again and plans anew, so a package is never
 * sent twice (eBay has no idempotency key and would show the buyer the number twice). eBay cannot be a main
 * store: orders are not pushed into it.
 */
import { carrierKey } from '../../core/carriers';
import type { LineState, OrderShipStatus, Parcel, ShippingState, TargetAbility, TrackingAction, TrackingPath } from '../../core/tracking';
import { PlatformError } from '../errors';
import type { Clock, HttpTransport } from '../http';
import type { PushedOrderRef, TrackingStore } from '../tracking';
import { EbayClient, FULFILLMENT_PATH, ebayBaseUrl, ebayStoreId } from './client';
import type { EbayOrder } from './orderMapping';

export interface EbayFulfillment {
	fulfillmentId?: string;
	lineItems?: Array<{ lineItemId?: string; quantity?: number }>;
	shipmentTrackingNumber?: string;
	shippedDate?: string;
	shippingCarrierCode?: string;
}

/**
 * eBay's shipping carrier codes for the carriers the pack maps (Trading API ShippingCarrierCodeType, which
 * GeteBayDetails lists), keyed by carrierKey of the names other platforms use. "Other" takes any carrier
 * eBay does not list.
 */
const EBAY_CARRIERS: Record<string, string> = {
	usps: 'USPS', unitedstatespostalservice: 'USPS', ups: 'UPS', fedex: 'FedEx', federalexpress: 'FedEx',
	dhl: 'DHL', dhlexpress: 'DHL', dhlecommerce: 'DHLGlobalMail', dhlus: 'DHLGlobalMail',
	royalmail: 'RoyalMail', parcelforce: 'ParcelForce', dpd: 'DPD', dpdde: 'DPD', dpduk: 'DPD', dpdcouk: 'DPD',
	hermes: 'Hermes', evri: 'Hermes', deutschepost: 'DeutschePost', deutschepostdhl: 'DeutschePost',
	canadapost: 'CanadaPost', australiapost: 'AustraliaPost', ontrac: 'OnTrac', gls: 'GLS', tnt: 'TNT',
	colissimo: 'Colissimo', laposte: 'LaPoste', postnl: 'PostNL', chinapost: 'ChinaPost', yodel: 'Yodel', purolator: 'Purolator',
};

/** The carrier names the planner may choose from, as the other platforms spell them. */
const KNOWN_NAMES = ['USPS', 'UPS', 'FedEx', 'DHL Express', 'DHL eCommerce', 'Royal Mail', 'Parcelforce', 'DPD', 'Hermes', 'Evri',
	'Deutsche Post', 'Canada Post', 'Australia Post', 'OnTrac', 'GLS', 'TNT', 'Colissimo', 'La Poste', 'PostNL', 'China Post', 'Yodel', 'Purolator'];

/** eBay's code for a carrier name; "Other" for one eBay does not list. */
export function ebayCarrierCode(name: string | null): string {
	if (!name) return 'Other';
	const key = carrierKey(name);
	return EBAY_CARRIERS[key] ?? Object.values(EBAY_CARRIERS).find((code) => carrierKey(code) === key) ?? 'Other';
}

export function ebayShippingState(order: EbayOrder, fulfillments: EbayFulfillment[]): ShippingState {
	const shipped = new Map<string, number>();
	for (const f of fulfillments) for (const l of f.lineItems ?? []) if (l.lineItemId) shipped.set(l.lineItemId, (shipped.get(l.lineItemId) ?? 0) + Number(l.quantity ?? 1));
	const status: OrderShipStatus = order.cancelStatus?.cancelState === 'CANCELED' ? 'cancelled' : order.orderFulfillmentStatus === 'FULFILLED' ? 'completed' : 'open';
	const items = order.lineItems ?? [];
	const lines: LineState[] = items.map((l) => ({
		lineId: l.lineItemId, sku: l.sku || null, title: l.title ?? null, quantity: Number(l.quantity),
		open: status === 'open' ? Math.max(0, Number(l.quantity) - (shipped.get(l.lineItemId) ?? 0)) : 0, linkedLineId: null,
	}));
	const parcels: Parcel[] = fulfillments.map((f) => ({
		ref: f.fulfillmentId ?? null,
		carrier: f.shippingCarrierCode ?? null,
		numbers: f.shipmentTrackingNumber ? [f.shipmentTrackingNumber] : [],
		urls: f.shipmentTrackingNumber ? [''] : [],
		shippedAt: f.shippedDate ?? null,
		lines: (f.lineItems ?? []).map((l) => {
			const item = items.find((i) => i.lineItemId === l.lineItemId);
			return { lineId: l.lineItemId ?? null, sku: item?.sku || null, title: item?.title ?? null, quantity: Number(l.quantity ?? 1) };
		}),
	}));
	return { orderId: order.orderId, number: order.orderId, status, fullyShipped: order.orderFulfillmentStatus === 'FULFILLED', lines, parcels, notes: [], path: 'fulfillments' };
}

export class EbayTrackingStore implements TrackingStore {
	readonly platform = 'eBay';
	readonly storeId: string;
	readonly client: EbayClient;

	constructor(
		transport: HttpTransport,
		private readonly clock: Clock,
		environment: string,
		customBaseUrl?: string,
		sellerName?: string,
		maxAttempts?: number,
	) {
		const base = ebayBaseUrl(environment, customBaseUrl);
		this.client = new EbayClient(transport, clock, base, maxAttempts);
		this.storeId = ebayStoreId(base, sellerName);
	}

	orderRef(orderId: string): string {
		return orderId;
	}

	async ability(): Promise<TargetAbility & { path: TrackingPath }> {
		// The planner maps carriers with Shopify's spellings (eBay's codes are close to them: UPS, USPS, FedEx);
		// apply() turns the chosen name into eBay's code.
		return { platform: 'shopify', linesPerParcel: true, carrierNames: KNOWN_NAMES, path: 'fulfillments' };
	}

	async read(orderRef: string): Promise<ShippingState> {
		const path = `${FULFILLMENT_PATH}/order/${encodeURIComponent(orderRef)}`;
		const notFound = (error: unknown) =>
			// eBay answers an unknown order id with 404, or 400 "Invalid order ID" (32100).
			Promise.reject(error instanceof PlatformError && (error.status === 404 || error.code === '32100')
				? new PlatformError('eBay', `there is no order ${orderRef} in this eBay account`, error.status, 'NOT_FOUND')
				: error);
		const [order, list] = await Promise.all([
			this.client.request<EbayOrder>('GET', path),
			this.client.request<{ fulfillments?: EbayFulfillment[] }>('GET', `${path}/shipping_fulfillment`),
		]).catch(notFound);
		return ebayShippingState(order, list.fulfillments ?? []);
	}

	async apply(order: ShippingState, action: TrackingAction): Promise<string> {
		if (action.kind === 'complete') return 'nothing to do: eBay marks an order shipped when its fulfillments cover every line';
		let lineItems: Array<{ lineItemId: string; quantity: number }>;
		let numbers: string[];
		if (action.kind === 'addNumbers') {
			// eBay keeps one number per fulfillment: more numbers for a package are more fulfillments over its lines.
			const parcel = order.parcels.find((p) => p.ref === action.parcelRef);
			lineItems = (parcel?.lines ?? []).filter((l) => l.lineId).map((l) => ({ lineItemId: l.lineId as string, quantity: l.quantity }));
			if (lineItems.length === 0) throw new PlatformError('eBay', `package ${action.parcelRef} of order ${order.number} names no lines to add tracking to`, 400, 'commerce_sync_unsupported');
			numbers = action.added;
		} else {
			lineItems = (action.lines ?? order.lines.filter((l) => l.open > 0).map((l) => ({ lineId: l.lineId, quantity: l.open })))
				.map((l) => ({ lineItemId: l.lineId, quantity: l.quantity }));
			if (lineItems.length === 0) throw new PlatformError('eBay', `order ${order.number} has no line left to ship`, 400, 'commerce_sync_nothing_to_ship');
			numbers = action.numbers;
		}
		const code = ebayCarrierCode(action.carrier.name);
		const when = action.kind === 'ship' ? action.shippedAt : null;
		const shippedDate = new Date(when && !Number.isNaN(Date.parse(when)) ? Date.parse(when) : this.clock.now()).toISOString();
		const path = `${FULFILLMENT_PATH}/order/${encodeURIComponent(order.orderId)}/shipping_fulfillment`;
		if (numbers.length === 0) {
			await this.client.request('POST', path, { body: { lineItems, shippedDate }, write: true });
			return 'shipping fulfillment without tracking';
		}
		// One tracking number per fulfillment: a package with several numbers becomes one fulfillment each,
		// over the same lines (eBay lets a line carry several tracking numbers).
		for (const number of numbers) {
			// eBay takes letters and digits only ("Do not include a space ... even if a space appears on the label").
			const trackingNumber = number.replace(/[^A-Za-z0-9]/g, '');
			if (!trackingNumber) throw new PlatformError('eBay', `tracking number "${number}" has no letters or digits`, 400, '32300');
			await this.client.request('POST', path, { body: { lineItems, shippedDate, shippingCarrierCode: code, trackingNumber }, write: true });
		}
		return code === 'Other' ? `shipping fulfillment, carrier "Other" (${action.carrier.name ?? 'none named'})` : `shipping fulfillment (${code})`;
	}

	pushedSince(): AsyncIterable<PushedOrderRef[]> {
		const error = new PlatformError('eBay', 'eBay cannot be a main store: orders are not pushed into eBay, so there are no pushed orders to read there', undefined, 'commerce_sync_unsupported',
			'Choose Shopify or WooCommerce as the main store; eBay is a sales channel.');
		return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
	}
}
