/**
 * Amazon's side of Sync Tracking, as a channel only.
 *
 * Reading: Orders 2026-01-01 getOrder with includedData FULFILLMENT and PACKAGES: the order's items with
 * their shipped and unshipped quantities, and its packages (carrier, tracking number, items) for
 * merchant-fulfilled orders. Amazon-fulfilled (FBA) orders have no package data and nothing to ship here.
 *
 * Writing: the 2026-01-01 model has no shipment confirmation (it reads orders only), so a package is
 * confirmed with Orders v0 `confirmShipment` (POST /orders/v0/orders/{orderId}/shipmentConfirmation), the
 * merchant-fulfilled confirmation Amazon keeps beside the new model: one call per package, with a
 * positive numeric packageReferenceId unique within the order, Amazon's carrier code (or "Other" with the
 * carrier's name), the tracking number, the ship date and the items with their quantities. Amazon emails
 * the buyer on each confirmation, and has no idempotency key, so a package is confirmed once:
 *  - a tracking number already on the order is not confirmed again (the planner compares them);
 *  - a call whose answer was lost is never repeated: the order is read again; if the package is there it
 *    counts as written, else the write is reported failed for this run (Amazon may still be processing
 *    it), and the next run reads the order before deciding.
 * Amazon cannot be a main store: orders are not pushed into it.
 */
import { carrierKey } from '../../core/carriers';
import { normaliseTrackingNumber } from '../../core/tracking';
import type { LineState, OrderShipStatus, Parcel, ShippingState, TargetAbility, TrackingAction, TrackingPath } from '../../core/tracking';
import { PlatformError } from '../errors';
import type { Clock, HttpTransport } from '../http';
import { UnknownOutcomeError } from '../retry';
import type { PushedOrderRef, TrackingStore } from '../tracking';
import { AmazonClient, ORDERS_PATH, ORDERS_V0_PATH, amazonBaseUrl, amazonMarketplaceIds, amazonStoreId } from './client';
import type { AmazonClientOptions, AmazonConnection } from './client';
import { amazonStatusKey } from './orderMapping';
import type { AmazonOrder } from './orderMapping';

/**
 * Amazon's carrier codes for the carriers the pack maps, keyed by carrierKey of the names other platforms
 * use (Amazon's CarrierCode list, as Seller Central and the shipping feeds show it). Any other carrier goes
 * as "Other" with its name in carrierName, which Amazon requires then.
 */
const AMAZON_CARRIERS: Record<string, string> = {
	usps: 'USPS', unitedstatespostalservice: 'USPS', ups: 'UPS', fedex: 'FedEx', federalexpress: 'FedEx',
	dhl: 'DHL', dhlexpress: 'DHL', dhlecommerce: 'DHL eCommerce', royalmail: 'Royal Mail', parcelforce: 'Parcelforce',
	dpd: 'DPD', evri: 'Evri', hermes: 'Hermes', deutschepost: 'Deutsche Post', gls: 'GLS', tnt: 'TNT',
	canadapost: 'Canada Post', australiapost: 'Australia Post', ontrac: 'OnTrac', colissimo: 'Colissimo',
	laposte: 'La Poste', postnl: 'PostNL', yodel: 'Yodel', purolator: 'Purolator', chinapost: 'China Post', japanpost: 'Japan Post', yamato: 'Yamato Transport',
};

const KNOWN_NAMES = ['USPS', 'UPS', 'FedEx', 'DHL Express', 'DHL eCommerce', 'Royal Mail', 'Parcelforce', 'DPD', 'Evri', 'Hermes', 'Deutsche Post',
	'GLS', 'TNT', 'Canada Post', 'Australia Post', 'OnTrac', 'Colissimo', 'La Poste', 'PostNL', 'Yodel', 'Purolator', 'China Post', 'Japan Post'];

/** Amazon's carrier code for a carrier name, or "Other" (then the name goes in carrierName). */
export function amazonCarrierCode(name: string | null): string {
	if (!name) return 'Other';
	const key = carrierKey(name);
	return AMAZON_CARRIERS[key] ?? Object.values(AMAZON_CARRIERS).find((code) => carrierKey(code) === key) ?? 'Other';
}

function statusOf(order: AmazonOrder): OrderShipStatus {
	const key = amazonStatusKey(order.fulfillment?.fulfillmentStatus);
	if (key === 'CANCELLED' || key === 'CANCELED' || key === 'UNFULFILLABLE') return 'cancelled';
	return key === 'SHIPPED' ? 'completed' : 'open';
}

export function amazonShippingState(order: AmazonOrder): ShippingState {
	const status = statusOf(order);
	const fba = order.fulfillment?.fulfilledBy === 'AMAZON';
	const packages = order.packages ?? [];
	const shipped = new Map<string, number>();
	for (const p of packages) for (const i of p.packageItems ?? []) shipped.set(i.orderItemId, (shipped.get(i.orderItemId) ?? 0) + Number(i.quantity));
	const lines: LineState[] = order.orderItems.map((item) => {
		const quantity = Number(item.quantityOrdered);
		const done = Math.max(shipped.get(item.orderItemId) ?? 0, Number(item.fulfillment?.quantityFulfilled ?? 0));
		const open = status !== 'open' || fba ? 0 : Math.max(0, item.fulfillment?.quantityUnfulfilled ?? quantity - done);
		return { lineId: item.orderItemId, sku: item.product.sellerSku || null, title: item.product.title ?? null, quantity, open, linkedLineId: null };
	});
	const parcels: Parcel[] = packages
		.filter((p) => p.packageStatus?.status !== 'CANCELLED')
		.map((p) => ({
			ref: p.packageReferenceId,
			carrier: p.carrier ?? null,
			numbers: p.trackingNumber ? [p.trackingNumber] : [],
			urls: p.trackingNumber ? [''] : [],
			shippedAt: p.shipTime ?? null,
			lines: (p.packageItems ?? []).map((i) => {
				const item = order.orderItems.find((o) => o.orderItemId === i.orderItemId);
				return { lineId: i.orderItemId, sku: item?.product.sellerSku || null, title: item?.product.title ?? null, quantity: Number(i.quantity) };
			}),
		}));
	return {
		orderId: order.orderId, number: order.orderId, status, fullyShipped: status === 'completed', lines, parcels,
		notes: fba ? ['Amazon fulfils this order (FBA): its shipment is Amazon\'s, nothing is confirmed from here.'] : [],
		path: 'fulfillments',
	};
}

export class AmazonTrackingStore implements TrackingStore {
	readonly platform = 'Amazon';
	readonly storeId: string;
	readonly client: AmazonClient;
	private readonly marketplaceIds: string[];
	/** The marketplace of each order read, which confirmShipment must name. */
	private readonly marketplaceOf = new Map<string, string>();

	constructor(transport: HttpTransport, private readonly clock: Clock, connection: AmazonConnection, options: AmazonClientOptions = {}) {
		const base = amazonBaseUrl(connection.region, connection.baseUrl);
		this.client = new AmazonClient(transport, clock, base, options);
		this.marketplaceIds = amazonMarketplaceIds(connection.marketplaceIds);
		this.storeId = amazonStoreId(base, connection.sellerId);
	}

	orderRef(orderId: string): string {
		return orderId;
	}

	private async order(orderRef: string): Promise<AmazonOrder> {
		const response = await this.client.send('getOrder', 'GET', `${ORDERS_PATH}/${encodeURIComponent(orderRef)}`, {
			qs: { includedData: 'FULFILLMENT,PACKAGES' }, accept: [404],
		});
		const order = (response.body as { order?: AmazonOrder } | null)?.order;
		if (response.status === 404 || !order) throw new PlatformError('Amazon', `there is no order ${orderRef} for this seller`, 404, 'NOT_FOUND');
		if (order.salesChannel?.marketplaceId) this.marketplaceOf.set(order.orderId, order.salesChannel.marketplaceId);
		return order;
	}

	async read(orderRef: string): Promise<ShippingState> {
		return amazonShippingState(await this.order(orderRef));
	}

	async ability(): Promise<TargetAbility & { path: TrackingPath }> {
		// The planner maps carriers with Shopify's spellings (Amazon's codes are close to them); apply() turns
		// the chosen name into Amazon's code.
		return { platform: 'shopify', linesPerParcel: true, carrierNames: KNOWN_NAMES, path: 'fulfillments' };
	}

	async apply(order: ShippingState, action: TrackingAction): Promise<string> {
		if (action.kind === 'complete') return 'nothing to do: Amazon marks the order Shipped when every item is confirmed';
		if (action.kind === 'addNumbers') {
			throw new PlatformError('Amazon', `package ${action.parcelRef} of order ${order.number} is confirmed already; Amazon keeps one tracking number per package and cannot add ${action.added.join(', ')}`,
				400, 'commerce_sync_unsupported');
		}
		const items = (action.lines ?? order.lines.filter((l) => l.open > 0).map((l) => ({ lineId: l.lineId, quantity: l.open })))
			.filter((l) => l.quantity > 0)
			.map((l) => ({ orderItemId: l.lineId, quantity: l.quantity }));
		if (items.length === 0) throw new PlatformError('Amazon', `order ${order.number} has no item left to ship`, 400, 'commerce_sync_nothing_to_ship');
		const [number, ...more] = action.numbers;
		if (!number) {
			throw new PlatformError('Amazon', `order ${order.number} shipped without a tracking number; Amazon's shipment confirmation needs one`, 400, 'commerce_sync_unsupported',
				'Confirm it in Seller Central, or add the tracking number in the main store.');
		}
		const code = amazonCarrierCode(action.carrier.name);
		const when = action.shippedAt && !Number.isNaN(Date.parse(action.shippedAt)) ? Date.parse(action.shippedAt) : this.clock.now();
		// packageReferenceId: a positive number, unique within the order.
		const used = order.parcels.map((p) => Number(p.ref)).filter((n) => Number.isInteger(n) && n > 0);
		const packageDetail = {
			packageReferenceId: String(Math.max(0, ...used) + 1),
			carrierCode: code,
			...(code === 'Other' ? { carrierName: action.carrier.name?.trim() || 'Other' } : {}),
			trackingNumber: number,
			shipDate: new Date(Math.min(when, this.clock.now())).toISOString(),
			orderItems: items,
		};
		const marketplaceId = this.marketplaceOf.get(order.orderId) ?? (await this.order(order.orderId)).salesChannel.marketplaceId ?? this.marketplaceIds[0];
		const failure = await this.client.request('confirmShipment', 'POST', `${ORDERS_V0_PATH}/${encodeURIComponent(order.orderId)}/shipmentConfirmation`, {
			body: { marketplaceId, packageDetail }, write: true,
		}).then(() => null, (error: unknown) => (error instanceof Error ? error : new Error(String(error))));
		if (failure instanceof UnknownOutcomeError) await this.lookUp(order.orderId, number);
		else if (failure) throw failure;
		const how = code === 'Other' ? `shipment confirmation, carrier "Other" (${action.carrier.name ?? 'none named'})` : `shipment confirmation (${code})`;
		const lost = failure ? '; Amazon\'s answer was lost and the package was found on reading the order again' : '';
		return more.length > 0 ? `${how}${lost}; Amazon keeps one tracking number per package, so ${more.join(', ')} went unconfirmed` : `${how}${lost}`;
	}

	/** After a lost answer: the package landed if the order now carries the number; else report, never resend. */
	private async lookUp(orderId: string, number: string): Promise<void> {
		const order = await this.order(orderId);
		const key = normaliseTrackingNumber(number);
		if ((order.packages ?? []).some((p) => p.trackingNumber && normaliseTrackingNumber(p.trackingNumber) === key)) return;
		throw new PlatformError('Amazon', `did not answer the shipment confirmation of ${number}, and order ${orderId} does not show it yet`, undefined, 'AMAZON_SHIPMENT_UNCONFIRMED',
			'It was not sent again, so the buyer is not told twice; the next run reads the order and confirms it only if it is still missing.');
	}

	pushedSince(): AsyncIterable<PushedOrderRef[]> {
		const refuse = () => Promise.reject(new PlatformError('Amazon', 'Amazon cannot be a main store: orders are not pushed into Amazon, so there are no pushed orders to read there', 400, 'commerce_sync_unsupported',
			'Choose Shopify or WooCommerce as the main store and Amazon as a channel.'));
		return { [Symbol.asyncIterator]: () => ({ next: refuse }) };
	}
}
