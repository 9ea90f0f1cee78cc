/**
 * Etsy's side of Sync Tracking, as a channel. A receipt's shipments (carrier, tracking code) are its
 * packages; Etsy keeps tracking per receipt, not per line, and "shipped in full" is `is_shipped`.
 *
 * Writing is createReceiptShipment (POST .../receipts/{id}/tracking), one call per tracking number, and
 * every call emails the buyer. So nothing is ever sent twice:
 *  - a number already on the receipt (compared normalised) is not sent again;
 *  - a call whose answer was lost is never repeated: the receipt is read again; if the shipment is
 *    there it counts as written, and if it is not, the write is reported failed for this run (Etsy may
 *    still be saving it), and the next run reads the receipt before deciding.
 * "Mark completed" (a source shipped everything without tracking) is the same call without a tracking
 * code, which marks the receipt shipped; it is sent only when the receipt is not shipped yet.
 *
 * Etsy is a channel only: receipts cannot carry our push keys, so it cannot be a main store.
 */
import { normaliseTrackingNumber } from '../../core/tracking';
import type { LineState, OrderShipStatus, Parcel, ShippingState, TargetAbility, TrackingAction, TrackingPath } from '../../core/tracking';
import { PlatformError } from '../errors';
import type { Clock, HttpTransport } from '../http';
import { UnknownOutcomeError } from '../retry';
import type { PushedOrderRef, TrackingStore, WriteOptions } from '../tracking';
import { ETSY_API_URL, EtsyClient } from './client';
import { etsyShopId } from './channel';
import { etsyTime } from './orderMapping';
import type { EtsyReceipt } from './orderMapping';

/** Etsy's carrier name for a carrier it does not list ("If the carrier is not supported, you may use `other`"). */
export const ETSY_OTHER_CARRIER = 'other';
/** Etsy's note_to_buyer is short; longer text is cut rather than refused. */
const NOTE_MAX = 500;

function statusOf(receipt: EtsyReceipt): OrderShipStatus {
	const status = receipt.status.toLowerCase();
	if (status === 'canceled' || status === 'cancelled' || status === 'fully refunded') return 'cancelled';
	return receipt.is_shipped || status === 'completed' ? 'completed' : 'open';
}

export function etsyShippingState(receipt: EtsyReceipt): ShippingState {
	const status = statusOf(receipt);
	const lines: LineState[] = (receipt.transactions ?? []).map((t) => ({
		lineId: String(t.transaction_id),
		sku: t.sku || null,
		title: t.title ?? null,
		quantity: t.quantity,
		// Etsy ships whole receipts: a line is open until the receipt (or the line) is shipped.
		open: receipt.is_shipped || t.shipped_timestamp || status !== 'open' ? 0 : t.quantity,
		linkedLineId: null,
	}));
	const parcels: Parcel[] = (receipt.shipments ?? []).map((s) => ({
		ref: s.receipt_shipping_id === null ? null : String(s.receipt_shipping_id),
		carrier: s.carrier_name || null,
		numbers: s.tracking_code ? [s.tracking_code] : [],
		urls: s.tracking_code ? [''] : [],
		shippedAt: etsyTime(s.shipment_notification_timestamp),
		lines: null,
	}));
	return {
		orderId: String(receipt.receipt_id), number: String(receipt.receipt_id), status, fullyShipped: receipt.is_shipped === true,
		lines, parcels, notes: [], path: 'shipmentTracking',
	};
}

function hasNumber(receipt: EtsyReceipt, number: string): boolean {
	const key = normaliseTrackingNumber(number);
	return (receipt.shipments ?? []).some((s) => s.tracking_code && normaliseTrackingNumber(s.tracking_code) === key);
}

export class EtsyTrackingStore implements TrackingStore {
	readonly platform = 'Etsy';
	readonly storeId: string;
	readonly client: EtsyClient;

	constructor(transport: HttpTransport, clock: Clock, shopId: string, apiKey: string, baseUrl: string = ETSY_API_URL) {
		this.storeId = etsyShopId(shopId);
		this.client = new EtsyClient(transport, clock, apiKey, baseUrl);
	}

	orderRef(orderId: string): string {
		return orderId;
	}

	private async receipt(orderRef: string): Promise<EtsyReceipt> {
		if (!/^[1-9]\d*$/.test(orderRef)) throw new PlatformError('Etsy', `"${orderRef}" is not an Etsy receipt id`, 400, 'NOT_FOUND');
		const outcome = await this.client.request<EtsyReceipt>('GET', `/shops/${this.storeId}/receipts/${orderRef}`).then(
			(receipt) => receipt,
			(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
		);
		if (outcome instanceof PlatformError && outcome.status === 404) throw new PlatformError('Etsy', `receipt ${orderRef} was not found in shop ${this.storeId}`, 404, 'NOT_FOUND');
		if (outcome instanceof Error) throw outcome;
		return outcome;
	}

	async read(orderRef: string): Promise<ShippingState> {
		return etsyShippingState(await this.receipt(orderRef));
	}

	async ability(): Promise<TargetAbility & { path: TrackingPath }> {
		// Etsy takes any carrier name (and `other`); names are passed as the source spells them. Shopify's
		// spelling is the closest to Etsy's carrier names (USPS, UPS, FedEx, DHL Express, Royal Mail...).
		return { platform: 'shopify', linesPerParcel: false, carrierNames: [], path: 'shipmentTracking' };
	}

	async apply(order: ShippingState, action: TrackingAction, options: WriteOptions): Promise<string> {
		const path = `/shops/${this.storeId}/receipts/${order.orderId}/tracking`;
		if (action.kind === 'complete') {
			if (order.fullyShipped) return 'already marked shipped';
			await this.send(path, order.orderId, {}, null);
			return 'marked shipped on Etsy (the buyer is emailed)';
		}
		if (action.kind === 'addNumbers') {
			throw new PlatformError('Etsy', 'cannot add numbers to a shipment already on the receipt', 400, 'commerce_sync_unsupported');
		}
		const known = new Set(order.parcels.flatMap((p) => p.numbers.map(normaliseTrackingNumber)));
		const carrier = action.carrier.name?.trim() || ETSY_OTHER_CARRIER;
		let sent = 0;
		for (const number of action.numbers) {
			if (known.has(normaliseTrackingNumber(number))) continue;
			const note = `${options.from ? `Shipped (${options.from}).` : 'Shipped.'}`.slice(0, NOTE_MAX);
			await this.send(path, order.orderId, { tracking_code: number, carrier_name: carrier, send_bcc: false, note_to_buyer: note }, number);
			known.add(normaliseTrackingNumber(number));
			sent++;
		}
		if (action.numbers.length === 0 && !order.fullyShipped) await this.send(path, order.orderId, {}, null);
		return sent > 0 || action.numbers.length === 0 ? `Etsy shipment, carrier "${carrier}" (the buyer is emailed)` : 'already on the receipt';
	}

	/** One createReceiptShipment; a lost answer is looked up on the receipt, never sent again. */
	private async send(path: string, receiptId: string, body: Record<string, unknown>, number: string | null): Promise<void> {
		const failure = await this.client.request('POST', path, { body, write: true }).then(
			() => null,
			(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
		);
		if (failure === null) return;
		if (!(failure instanceof UnknownOutcomeError)) throw failure;
		const receipt = await this.receipt(receiptId);
		const landed = number === null ? receipt.is_shipped === true : hasNumber(receipt, number);
		if (landed) return;
		throw new PlatformError(
			'Etsy',
			`did not answer the tracking call for ${number ?? 'marking shipped'}, and receipt ${receiptId} does not show it yet`,
			undefined,
			'ETSY_TRACKING_UNCONFIRMED',
			'It was not sent again, so the buyer is not emailed twice; the next run reads the receipt and sends it only if it is still missing.',
		);
	}

	pushedSince(): AsyncIterable<PushedOrderRef[]> {
		const refuse = () => Promise.reject(new PlatformError('Etsy', 'Etsy cannot be a main store: receipts cannot carry the keys of pushed orders', 400, 'commerce_sync_unsupported',
			'Choose Shopify or WooCommerce as the main store and Etsy as a channel.'));
		return { [Symbol.asyncIterator]: () => ({ next: refuse }) };
	}
}
