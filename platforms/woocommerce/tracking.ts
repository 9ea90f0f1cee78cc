/**
 * WooCommerce's side of Sync Tracking, as main store and as channel. WooCommerce has no tracking of its
 * own: with the Shipment Tracking extension (detected once per run by its providers route, which also
 * lists the carriers the site knows) each number is one tracking item; without it, tracking goes into an
 * order note (a customer note when the user wants the buyer emailed), and numbers already in the notes
 * count as written. "Shipped in full" is the order status `completed`, set after the tracking. As a
 * main store, the pushed orders that changed are read by modification time (the channel reader's keyset
 * paging, so nothing shifts out of the pages) and recognised by the push's meta key.
 */
import { parsePushKey, trackingNoteText } from '../../core/tracking';
import type { LineState, OrderShipStatus, Parcel, ShippingState, TargetAbility, TrackingAction, TrackingPath } from '../../core/tracking';
import { PlatformError } from '../errors';
import type { Clock, HttpTransport } from '../http';
import type { PushedOrderRef, TrackingStore, WriteOptions } from '../tracking';
import { WooChannel, wooStoreId } from './channel';
import { WooClient } from './client';
import { KEY_META } from './mainStore';
import { addOrderNote, addTracking, listTracking, updateOrder } from './operations';
import type { WooTracking } from './operations';
import type { WooOrder } from './orderMapping';

/** The push writes the channel's line id on each main-store line (platforms/woocommerce/mainStore.ts). */
const CHANNEL_LINE_META = 'Channel line';
const DONE = new Set(['completed']);
const DEAD = new Set(['cancelled', 'refunded', 'failed', 'trash']);

type MetaOrder = WooOrder & { meta_data?: Array<{ key: string; value: unknown }> };

function statusOf(status: string): OrderShipStatus {
	return DEAD.has(status) ? 'cancelled' : DONE.has(status) ? 'completed' : 'open';
}

/** The extension answers date_shipped as YYYY-MM-DD; it takes any date strtotime reads. */
function shippedDay(iso: string | null): string {
	const ms = iso ? Date.parse(iso) : Number.NaN;
	return new Date(Number.isNaN(ms) ? Date.now() : ms).toISOString().slice(0, 10);
}

export function wooShippingState(order: MetaOrder, tracking: WooTracking[] | null, notes: string[]): ShippingState {
	const status = statusOf(order.status);
	const lines: LineState[] = (order.line_items ?? []).map((l) => {
		const linked = l.meta_data?.find((m) => m.key === CHANNEL_LINE_META)?.value;
		return {
			lineId: String(l.id), sku: l.sku || null, title: l.name ?? null, quantity: Number(l.quantity),
			// WooCommerce does not ship by line: a completed order shipped everything.
			open: status === 'open' ? Number(l.quantity) : 0, linkedLineId: linked === undefined || linked === null ? null : String(linked),
		};
	});
	const parcels: Parcel[] = (tracking ?? []).map((t) => ({
		ref: t.tracking_id,
		carrier: t.tracking_provider || t.custom_tracking_provider || null,
		numbers: [t.tracking_number],
		urls: [t.tracking_link ?? ''],
		shippedAt: t.date_shipped ? `${t.date_shipped}T00:00:00.000Z` : null,
		lines: null,
	}));
	return {
		orderId: String(order.id), number: `#${order.number ?? order.id}`, status, fullyShipped: status === 'completed',
		lines, parcels, notes, path: tracking === null ? 'orderNotes' : 'shipmentTracking',
	};
}

export class WooTrackingStore implements TrackingStore {
	readonly platform = 'WooCommerce';
	readonly storeId: string;
	readonly client: WooClient;
	private detected: Promise<{ providers: string[] } | null> | undefined;

	constructor(
		private readonly transport: HttpTransport,
		private readonly clock: Clock,
		private readonly siteUrl: string,
	) {
		this.client = new WooClient(transport, clock, siteUrl);
		this.storeId = wooStoreId(siteUrl);
	}

	orderRef(orderId: string): string {
		return orderId;
	}

	/**
	 * The Shipment Tracking extension and its providers, from its providers route (no route: not installed,
	 * as WooCommerce answers `rest_no_route`). Read once per run.
	 */
	private extension(): Promise<{ providers: string[] } | null> {
		this.detected ??= this.client.request<Record<string, Record<string, string>>>('GET', '/wp-json/wc-shipment-tracking/v3/shipment-trackings/providers').then(
			(groups) => ({ providers: Object.values(groups ?? {}).flatMap((group) => Object.keys(group ?? {})) }),
			(error: unknown) => {
				if (error instanceof PlatformError && error.code === 'rest_no_route') return null;
				throw error;
			},
		);
		return this.detected;
	}

	async ability(): Promise<TargetAbility & { path: TrackingPath }> {
		const extension = await this.extension();
		return { platform: 'woocommerce', linesPerParcel: false, carrierNames: extension?.providers ?? [], path: extension ? 'shipmentTracking' : 'orderNotes' };
	}

	async read(orderRef: string): Promise<ShippingState> {
		const id = Number(orderRef);
		if (!Number.isInteger(id) || id <= 0) throw new PlatformError('WooCommerce', `"${orderRef}" is not a WooCommerce order id`, 400, 'NOT_FOUND');
		const [order, extension] = await Promise.all([this.client.request<MetaOrder>('GET', `/orders/${id}`), this.extension()]);
		const tracking = extension ? await listTracking(this.client, id) : null;
		// Without the extension, earlier tracking lives in the notes.
		const notes = extension ? [] : (await this.client.request<Array<{ note: string }>>('GET', `/orders/${id}/notes`)).map((n) => n.note);
		return wooShippingState(order, tracking, notes);
	}

	async apply(order: ShippingState, action: TrackingAction, options: WriteOptions): Promise<string> {
		const id = Number(order.orderId);
		if (action.kind === 'complete') {
			await updateOrder(this.client, id, { status: 'completed' });
			return 'status completed';
		}
		if (action.kind === 'addNumbers') throw new PlatformError('WooCommerce', 'cannot add numbers to a tracking item', 400, 'commerce_sync_unsupported');
		const extension = await this.extension();
		if (!extension) {
			await addOrderNote(this.client, id, trackingNoteText(action, options.from), options.customerNote);
			return options.customerNote ? 'order note to the customer' : 'private order note';
		}
		for (const [i, number] of action.numbers.entries()) {
			const url = action.urls[i] ?? '';
			await addTracking(this.client, id, action.carrier.known
				? { provider: action.carrier.name, number, dateShipped: shippedDay(action.shippedAt) }
				: { provider: null, customProvider: action.carrier.name ?? 'Other', customLink: url, number, dateShipped: shippedDay(action.shippedAt) });
		}
		return action.carrier.known ? `Shipment Tracking (${action.carrier.name})` : `Shipment Tracking, custom provider "${action.carrier.name ?? 'Other'}"`;
	}

	async *pushedSince(since: string, channel: { channel: string; storeId: string }): AsyncIterable<PushedOrderRef[]> {
		const reader = new WooChannel(this.transport, this.clock, this.siteUrl);
		for await (const page of reader.readOrders({ since, by: 'updated' })) {
			const refs: PushedOrderRef[] = [];
			for (const { order, raw } of page) {
				const key = (raw as MetaOrder).meta_data?.find((m) => m.key === KEY_META)?.value;
				const parsed = parsePushKey(typeof key === 'string' ? key : null);
				if (!parsed || parsed.channel !== channel.channel || parsed.storeId !== channel.storeId) continue;
				refs.push({ orderId: order.channelOrderId, number: order.channelOrderNumber, key: key as string, updatedAt: order.updatedAt });
			}
			if (refs.length > 0) yield refs;
		}
	}
}
