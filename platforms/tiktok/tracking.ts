/**
 * TikTok Shop's side of Sync Tracking, as a channel only. An order's packages are read with Get Order
 * Detail: each unit (line item) names its package, and, once shipped, its tracking number and carrier.
 * Writing is Ship Package (POST /fulfillment/202309/packages/{package_id}/ship) with `self_shipment`
 * (tracking number and TikTok's shipping provider id), once per package: TikTok refuses a second ship
 * ("Package has been shipped"), and shipping tells the buyer. A ship whose answer was lost is never sent
 * again: the order is read again; if the package carries the number it counts as written, otherwise it is
 * reported failed for this run and the next run looks before writing.
 *
 * Carrier ids: TikTok wants its own shipping provider id, which differs by region and delivery option.
 * The credential's "Shipping Provider IDs" maps carrier names to ids; the order's own provider is used
 * when the carrier is the one TikTok already has on the order. Orders TikTok ships with its own label
 * (`shipping_type` TIKTOK) take no tracking from elsewhere.
 */
import { carrierKey } from '../../core/carriers';
import { normaliseTrackingNumber } from '../../core/tracking';
import type { LineState, OrderShipStatus, Parcel, ShippingState, TargetAbility, TrackingAction, TrackingPath } from '../../core/tracking';
import { PlatformError } from '../errors';
import type { Clock, HttpTransport } from '../http';
import { UnknownOutcomeError } from '../retry';
import type { PushedOrderRef, TrackingStore } from '../tracking';
import { TikTokClient } from './client';
import { ORDER_DETAIL_PATH, TIKTOK_CODES, TIKTOK_CREDENTIAL_NAME, TIKTOK_PLATFORM, shipPackagePath, tiktokBaseUrl, tiktokStoreId } from './constants';
import { groupLineItems, tiktokTime } from './orderMapping';
import type { TikTokLineItem, TikTokOrder } from './orderMapping';

/** "UPS=123, USPS=456" → carrier key → provider id. */
export function readShippingProviders(text: string): Map<string, { name: string; id: string }> {
	const out = new Map<string, { name: string; id: string }>();
	for (const pair of text.split(/[,;\n]/)) {
		const at = pair.lastIndexOf('=');
		if (at <= 0) continue;
		const name = pair.slice(0, at).trim();
		const id = pair.slice(at + 1).trim();
		if (name && id) out.set(carrierKey(name), { name, id });
	}
	return out;
}

const SHIPPED_STATUSES = new Set(['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED']);

function unitShipped(unit: TikTokLineItem): boolean {
	return Boolean(unit.tracking_number) || unit.package_status === 'PROCESSING' || unit.package_status === 'FULFILLING' || unit.package_status === 'COMPLETED';
}

export function tiktokShippingState(order: TikTokOrder): ShippingState {
	const status: OrderShipStatus = order.status === 'CANCELLED' ? 'cancelled' : SHIPPED_STATUSES.has(order.status ?? '') ? 'completed' : 'open';
	const lines: LineState[] = groupLineItems(order.line_items ?? []).map((units) => {
		const live = units.filter((u) => u.display_status !== 'CANCELLED');
		return {
			lineId: units[0].id, sku: units[0].seller_sku || null, title: units[0].product_name ?? null, quantity: units.length,
			open: status === 'open' ? live.filter((u) => !unitShipped(u)).length : 0, linkedLineId: null,
		};
	});
	const lineOf = new Map<string, string>();
	for (const units of groupLineItems(order.line_items ?? [])) for (const u of units) lineOf.set(u.id, units[0].id);
	const byPackage = new Map<string, TikTokLineItem[]>();
	for (const u of order.line_items ?? []) if (u.package_id && u.tracking_number) byPackage.set(u.package_id, [...(byPackage.get(u.package_id) ?? []), u]);
	const parcels: Parcel[] = [...byPackage.entries()].map(([packageId, units]) => {
		const counts = new Map<string, number>();
		for (const u of units) counts.set(lineOf.get(u.id) ?? u.id, (counts.get(lineOf.get(u.id) ?? u.id) ?? 0) + 1);
		return {
			ref: packageId,
			carrier: units[0].shipping_provider_name || null,
			numbers: [units[0].tracking_number as string],
			urls: [''],
			shippedAt: tiktokTime(units[0].rts_time),
			lines: [...counts.entries()].map(([lineId, quantity]) => {
				const unit = units.find((u) => (lineOf.get(u.id) ?? u.id) === lineId);
				return { lineId, sku: unit?.seller_sku || null, title: unit?.product_name ?? null, quantity };
			}),
		};
	});
	return { orderId: order.id, number: order.id, status, fullyShipped: status === 'completed', lines, parcels, notes: [], path: 'fulfillments' };
}

export class TikTokTrackingStore implements TrackingStore {
	readonly platform = TIKTOK_PLATFORM;
	readonly storeId: string;
	readonly client: TikTokClient;
	private readonly providers: Map<string, { name: string; id: string }>;

	constructor(transport: HttpTransport, clock: Clock, environment: string, customBaseUrl: string | undefined, shopCipher: string, shippingProviders = '', maxAttempts?: number) {
		this.client = new TikTokClient(transport, clock, tiktokBaseUrl(environment, customBaseUrl), maxAttempts);
		this.storeId = tiktokStoreId(shopCipher);
		this.providers = readShippingProviders(shippingProviders);
	}

	orderRef(orderId: string): string {
		return orderId;
	}

	private async order(orderRef: string): Promise<TikTokOrder> {
		if (!/^\d+$/.test(orderRef)) throw new PlatformError(TIKTOK_PLATFORM, `"${orderRef}" is not a TikTok Shop order id`, 400, 'NOT_FOUND');
		const data = await this.client.request<{ orders?: TikTokOrder[] }>('GET', ORDER_DETAIL_PATH, { qs: { ids: orderRef } }).catch((error: unknown) =>
			Promise.reject(error instanceof PlatformError && error.code === '21008111' ? new PlatformError(TIKTOK_PLATFORM, `there is no order ${orderRef} in this shop`, error.status, 'NOT_FOUND') : error));
		const order = (data.orders ?? []).find((o) => o.id === orderRef);
		if (!order) throw new PlatformError(TIKTOK_PLATFORM, `there is no order ${orderRef} in this shop`, 404, 'NOT_FOUND');
		return order;
	}

	async read(orderRef: string): Promise<ShippingState> {
		return tiktokShippingState(await this.order(orderRef));
	}

	async ability(): Promise<TargetAbility & { path: TrackingPath }> {
		// Carrier names as the credential's mapping spells them; apply() turns the chosen name into TikTok's id.
		return { platform: 'shopify', linesPerParcel: true, carrierNames: [...this.providers.values()].map((p) => p.name), path: 'fulfillments' };
	}

	private providerId(carrier: string | null, order: TikTokOrder): string {
		const key = carrier ? carrierKey(carrier) : '';
		const mapped = key ? this.providers.get(key) : undefined;
		if (mapped) return mapped.id;
		if (order.shipping_provider_id && (!carrier || (order.shipping_provider && carrierKey(order.shipping_provider) === key))) return order.shipping_provider_id;
		throw new PlatformError(TIKTOK_PLATFORM, `has no shipping provider id for carrier "${carrier ?? '(none)'}"`, 400, 'TIKTOK_NO_PROVIDER',
			`Add "${carrier ?? 'Carrier'}=<TikTok shipping provider id>" to Shipping Provider IDs in the "${TIKTOK_CREDENTIAL_NAME}" credential (the ids are listed by Get Shipping Providers for the shop's delivery option).`);
	}

	async apply(state: ShippingState, action: TrackingAction): Promise<string> {
		if (action.kind === 'complete') return 'nothing to do: TikTok Shop marks the order shipped when its packages ship';
		if (action.kind === 'addNumbers') {
			throw new PlatformError(TIKTOK_PLATFORM, `keeps one tracking number per package; package ${action.parcelRef} of order ${state.number} already has one`, 400, 'commerce_sync_unsupported');
		}
		const order = await this.order(state.orderId);
		if (order.shipping_type === 'TIKTOK') {
			throw new PlatformError(TIKTOK_PLATFORM, `ships order ${state.number} with its own label (shipping type TIKTOK): it takes no tracking from elsewhere`, 400, 'commerce_sync_unsupported',
				'Print TikTok\'s label for this order in Seller Center; its tracking then comes from TikTok Shop.');
		}
		const number = action.numbers[0];
		if (!number) throw new PlatformError(TIKTOK_PLATFORM, `needs a tracking number to ship a package of order ${state.number}`, 400, 'commerce_sync_nothing_to_ship');
		const providerId = this.providerId(action.carrier.name, order);
		// The packages holding the units this action ships (every unshipped package when it names no lines).
		const wanted = new Set((action.lines ?? state.lines.filter((l) => l.open > 0).map((l) => ({ lineId: l.lineId, quantity: l.open }))).map((l) => l.lineId));
		const lineOf = new Map<string, string>();
		for (const units of groupLineItems(order.line_items ?? [])) for (const u of units) lineOf.set(u.id, units[0].id);
		const packages = [...new Set((order.line_items ?? [])
			.filter((u) => u.package_id && !unitShipped(u) && u.display_status !== 'CANCELLED' && wanted.has(lineOf.get(u.id) ?? u.id))
			.map((u) => u.package_id as string))];
		if (packages.length === 0) throw new PlatformError(TIKTOK_PLATFORM, `order ${state.number} has no package left to ship`, 400, 'commerce_sync_nothing_to_ship');
		for (const packageId of packages) await this.ship(order.id, packageId, number, providerId);
		const extra = action.numbers.length > 1 ? ` (TikTok keeps one number per package: ${action.numbers.slice(1).join(', ')} not sent)` : '';
		return `package${packages.length > 1 ? 's' : ''} ${packages.join(', ')} shipped with provider ${providerId}${extra}`;
	}

	/** One Ship Package call; a lost answer (or "already shipped") is looked up on the order, never sent again. */
	private async ship(orderId: string, packageId: string, trackingNumber: string, providerId: string): Promise<void> {
		const failure = await this.client.request('POST', shipPackagePath(packageId), {
			body: { self_shipment: { tracking_number: trackingNumber, shipping_provider_id: providerId } },
			write: true,
		}).then(() => null, (error: unknown) => (error instanceof Error ? error : new Error(String(error))));
		if (failure === null) return;
		const alreadyShipped = failure instanceof PlatformError && (TIKTOK_CODES.alreadyShipped as readonly number[]).includes(Number(failure.code));
		if (!(failure instanceof UnknownOutcomeError) && !alreadyShipped) throw failure;
		const order = await this.order(orderId);
		const carried = (order.line_items ?? []).filter((u) => u.package_id === packageId).map((u) => u.tracking_number ?? '');
		if (carried.some((n) => n && normaliseTrackingNumber(n) === normaliseTrackingNumber(trackingNumber))) return;
		if (alreadyShipped) throw failure;
		throw new PlatformError(TIKTOK_PLATFORM, `did not answer the ship call for package ${packageId}, and order ${orderId} does not show tracking ${trackingNumber} yet`, undefined, 'TIKTOK_SHIP_UNCONFIRMED',
			'It was not sent again; the next run reads the order and ships the package only if it is still not shipped.');
	}

	pushedSince(): AsyncIterable<PushedOrderRef[]> {
		const error = new PlatformError(TIKTOK_PLATFORM, 'TikTok Shop cannot be a main store: orders are not pushed into TikTok Shop, so there are no pushed orders to read there', undefined, 'commerce_sync_unsupported',
			'Choose Shopify or WooCommerce as the main store; TikTok Shop is a sales channel.');
		return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
	}
}
