/**
 * One run of Sync Tracking: which order pairs (channel order ↔ the main-store order it was pushed as)
 * to look at, and each pair synced in the chosen direction.
 *  - Main store → channel: the main store's pushed orders that changed since the cursor (or the given
 *    items), their fulfillments copied onto the channel order named by the push key.
 *  - Channel → main store: the channel's orders that changed (or the given items), looked up in the main
 *    store by their push key in batches; tracking copied onto the main-store order, and an order cancelled
 *    on the channel cancelled there through Push Order's own cancel path (pushOrders: cancel with restock,
 *    once).
 * Pairs run a few at a time; each pair's failure stays its own.
 */
import type { Order } from '../core/model';
import { keyTag, pushKey, winner } from '../core/push';
import type { PushSettings, PushedRecord } from '../core/push';
import { parsePushKey } from '../core/tracking';
import type { TrackingItem, TrackingSettings } from '../core/tracking';
import type { SalesChannel } from './channel';
import { mapLimit } from './concurrency';
import { describeError } from './errors';
import type { MainStore, PushResult } from './mainStore';
import { pushOrders } from './mainStore';
import { failedResult, syncTracking } from './tracking';
import type { TrackingResult, TrackingStore, WriteOptions } from './tracking';

export type TrackingDirection = 'mainToChannel' | 'channelToMain';

/** One channel order and its main-store order. */
export interface TrackingPair extends TrackingItem {
	/** The input item it came from, or null when the run found it by listing. */
	itemIndex: number | null;
}

export type PairOutcome = 'written' | 'wouldWrite' | 'alreadyThere' | 'nothingShipped' | 'notPushed' | 'cancelled' | 'wouldCancel' | 'alreadyCancelled' | 'failed';

export interface PairResult {
	pair: TrackingPair;
	outcome: PairOutcome;
	tracking: TrackingResult | null;
	reason: string | null;
	notes: string[];
}

export interface TrackingRunOptions {
	direction: TrackingDirection;
	settings: TrackingSettings;
	write: Omit<WriteOptions, 'from'>;
	dryRun: boolean;
	/** Channel → main store: cancel the main-store order (with restock) when the channel order is cancelled. */
	cancelOnChannelCancel: boolean;
	/** Pairs at once. */
	concurrency?: number;
}

export interface TrackingSides {
	/** The channel's selector value, as push keys start (e.g. "woocommerce"). */
	channel: string;
	main: TrackingStore;
	mainStore: MainStore;
	channelTracking: TrackingStore;
	/** Channel → main store, when the run lists changed channel orders itself. */
	channelOrders?: SalesChannel;
}

/** Push Order's cancel path on its own: nothing is created, an order already in the main store is cancelled with restock. */
const CANCEL_ONLY: PushSettings = {
	mode: 'order', require: { paid: false, customer: false, positiveTotal: false, linkedLine: false }, linkBy: 'sku', links: new Map(), unlinked: 'customLines',
	keepOrderNumber: false, orderNumberPrefix: '', extraTags: [], contactEmail: { use: 'none', fixed: '' }, shipping: { use: 'channel', rules: [] },
	cancelOnChannelCancel: true, onlyPushed: true,
};

function isCancelled(order: Order | null): boolean {
	return order !== null && (order.status === 'cancelled' || order.financialStatus === 'refunded' || order.financialStatus === 'voided');
}

/** Main store → channel: the pushed orders of this channel store that changed since `since`. */
export async function changedMainOrders(sides: TrackingSides, since: string): Promise<TrackingPair[]> {
	const pairs = new Map<string, TrackingPair>();
	for await (const page of sides.main.pushedSince(since, { channel: sides.channel, storeId: sides.channelTracking.storeId })) {
		for (const ref of page) {
			const parsed = parsePushKey(ref.key);
			if (!parsed) continue;
			pairs.set(ref.key, { itemIndex: null, key: ref.key, channelOrderId: parsed.orderId, channelOrderNumber: null, mainOrderId: ref.orderId, mainOrderNumber: ref.number, order: null });
		}
	}
	return [...pairs.values()];
}

/** Channel → main store: the channel's orders that changed since `since`, pushed or not (the lookup tells). */
export async function changedChannelOrders(sides: TrackingSides, since: string): Promise<TrackingPair[]> {
	if (!sides.channelOrders) return [];
	const pairs = new Map<string, TrackingPair>();
	for await (const page of sides.channelOrders.readOrders({ since, by: 'updated' })) {
		for (const { order } of page) {
			const key = pushKey(order);
			pairs.set(key, { itemIndex: null, key, channelOrderId: order.channelOrderId, channelOrderNumber: order.channelOrderNumber, mainOrderId: null, mainOrderNumber: null, order });
		}
	}
	return [...pairs.values()];
}

/**
 * Finds the main-store order of every pair that has none yet, in batches (MainStore.pushed, as the push
 * looks before it writes). The live order wins over cancelled copies; drafts and stock-only records are
 * no orders to ship.
 */
export async function findMainOrders(mainStore: MainStore, pairs: TrackingPair[]): Promise<void> {
	const missing = pairs.filter((p) => p.mainOrderId === null);
	if (missing.length === 0) return;
	const stub = (p: TrackingPair): Order => p.order ?? ({
		channel: parsePushKey(p.key)?.channel ?? '', channelStoreId: parsePushKey(p.key)?.storeId ?? '', channelOrderId: p.channelOrderId, createdAt: '',
		customer: { email: null, firstName: null, lastName: null, phone: null, channelCustomerId: null }, shippingAddress: null, billingAddress: null,
	} as unknown as Order);
	const found = await mainStore.pushed(missing.map((p) => ({ key: p.key, keyTag: keyTag(p.key), order: stub(p) })));
	for (const pair of missing) {
		const record = winner((found.get(pair.key) ?? []).filter((r: PushedRecord) => r.kind === 'order'));
		if (record) {
			pair.mainOrderId = record.id;
			pair.mainOrderNumber = record.number;
		}
	}
}

function fromTracking(pair: TrackingPair, tracking: TrackingResult): PairResult {
	return { pair, outcome: tracking.action, tracking, reason: tracking.failed.length ? tracking.failed.map((f) => (f.numbers.length ? `${f.numbers.join(', ')}: ${f.reason}` : f.reason)).join('; ') : null, notes: tracking.notes };
}

/** Syncs every pair (their main-store orders already looked up) in the run's direction. */
export async function syncPairs(sides: TrackingSides, pairs: TrackingPair[], options: TrackingRunOptions): Promise<PairResult[]> {
	const results = new Map<TrackingPair, PairResult>();
	const toChannel = options.direction === 'mainToChannel';
	// Channel → main store: a cancelled channel order is cancelled in the main store, not shipped.
	const cancelling = toChannel ? [] : pairs.filter((p) => p.mainOrderId !== null && isCancelled(p.order));
	if (cancelling.length > 0) {
		if (!options.cancelOnChannelCancel) {
			for (const pair of cancelling) results.set(pair, { pair, outcome: 'alreadyThere', tracking: null, reason: null, notes: ['Cancelled on the channel; Cancel in Main Store is off, so the main-store order was left as it is.'] });
		} else {
			let pushed: PushResult[];
			try {
				// The lines play no part in a cancellation; without them the push looks no products up.
				pushed = await pushOrders(sides.mainStore, cancelling.map((p) => ({ ...(p.order as Order), lines: [] })), CANCEL_ONLY, {
					dryRun: options.dryRun, create: { mode: 'order', inventory: 'bypass', sendReceipt: false, sendFulfillmentReceipt: false, marketingOptIn: false },
				});
			} catch (error) {
				pushed = cancelling.map((p) => ({ action: 'attention', attention: { code: 'failed', reason: describeError(error) }, order: p.order } as unknown as PushResult));
			}
			cancelling.forEach((pair, i) => {
				const r = pushed[i];
				const outcome: PairOutcome = r.action === 'cancelled' ? 'cancelled' : r.action === 'wouldCancel' ? 'wouldCancel' : r.action === 'alreadyCancelled' ? 'alreadyCancelled' : r.action === 'attention' ? 'failed' : 'alreadyThere';
				results.set(pair, { pair, outcome, tracking: null, reason: outcome === 'failed' ? r.attention?.reason ?? 'could not be cancelled' : null, notes: r.notes ?? [] });
			});
		}
	}
	for (const pair of pairs) {
		if (results.has(pair)) continue;
		if (pair.mainOrderId === null) {
			results.set(pair, { pair, outcome: 'notPushed', tracking: null, reason: null, notes: [`Channel order ${pair.channelOrderNumber ?? pair.channelOrderId} is not in the main store (it was not pushed, or its main-store order was deleted); nothing to sync.`] });
		}
	}
	const work = pairs.filter((p) => !results.has(p));
	const source = toChannel ? sides.main : sides.channelTracking;
	const target = toChannel ? sides.channelTracking : sides.main;
	const synced = await mapLimit(work, options.concurrency ?? 4, async (pair) => {
		const sourceRef = source.orderRef(toChannel ? (pair.mainOrderId as string) : pair.channelOrderId);
		const targetRef = target.orderRef(toChannel ? pair.channelOrderId : (pair.mainOrderId as string));
		try {
			return await syncTracking(source, sourceRef, target, targetRef, options.settings, { ...options.write, from: '', dryRun: options.dryRun });
		} catch (error) {
			return failedResult(describeError(error));
		}
	});
	work.forEach((pair, i) => results.set(pair, fromTracking(pair, synced[i])));
	return pairs.map((p) => results.get(p) as PairResult);
}
