/**
 * The Channel Orders Trigger's memory: which orders it has already emitted, kept small enough for n8n's
 * static data, so that every qualifying order is emitted exactly once as new, and (when asked) each
 * status change once more, whatever the paging, clock skew or failures.
 *
 * How: each poll reads every order updated since `watermark − overlap` (the overlap catches equal
 * timestamps across page boundaries, orders written while paging, late writes and clock skew). `known`
 * remembers, per recently seen order, the version processed and whether it was emitted, so re-reading
 * the overlap emits nothing twice. `known` is bounded: entries leave oldest first, and `horizon` records
 * up to when they left, so an order that is no longer known but qualified before `horizon` is known to
 * have been handled already (it is a change, never new again). An order that did not qualify (unpaid,
 * with Skip Unpaid Orders) is recorded but not emitted; it is emitted as new once it qualifies, and
 * its qualification time (when it was paid) is after the horizon, so eviction cannot hide it. Filters
 * decide only what is emitted as new: a change of an emitted order (cancelled, refunded) is always
 * emitted when Emit Changes is on, so downstream can restock.
 * State moves only through `applyPoll` on a complete read; a failed poll leaves it untouched.
 */
import type { Order } from './model';

export interface CursorState {
	v: 1;
	/** When the sync was switched on: orders placed before it are never emitted as new. */
	startedAt: string;
	/** Every order updated up to here has been processed. */
	watermark: string;
	/** Orders that qualified at or before this time and are not in `known` were handled earlier. */
	horizon: string;
	/** Order id → "updatedAtMs|statusKey|emitted(0/1)". */
	known: Record<string, string>;
}

export interface CursorOptions {
	/** How far before the watermark each poll reads again (ms). */
	overlapMs: number;
	/** At most this many orders remembered. */
	maxKnown: number;
	/** Whether an order should be emitted at all (Skip Unpaid Orders, status filter). */
	qualifies: (order: Order) => boolean;
	/** Emit an already-emitted order again when its status changed. */
	emitChanges: boolean;
}

export type SyncEvent = 'new' | 'changed';

export interface Emitted {
	order: Order;
	event: SyncEvent;
	/** For changes: the status before, when still remembered. */
	previous: { status: string; financialStatus: string; fulfillmentStatus: string } | null;
	/** For changes: which of status, financialStatus, fulfillmentStatus changed. */
	changed: string[];
}

export const DEFAULT_OVERLAP_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_KNOWN = 2000;

export function initialCursor(startedAt: string): CursorState {
	return { v: 1, startedAt, watermark: startedAt, horizon: startedAt, known: {} };
}

/** Reads a stored cursor; anything unreadable starts over from `now` (and says so to the caller). */
export function readCursor(value: unknown): CursorState | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const s = value as Partial<CursorState>;
	if (s.v !== 1 || typeof s.watermark !== 'string' || typeof s.startedAt !== 'string' || typeof s.horizon !== 'string') return undefined;
	return { v: 1, startedAt: s.startedAt, watermark: s.watermark, horizon: s.horizon, known: { ...(s.known ?? {}) } };
}

/** The start of the next read: watermark minus overlap, never before the sync was switched on. */
export function readFrom(state: CursorState, overlapMs: number): string {
	const since = Math.max(Date.parse(state.watermark) - overlapMs, Date.parse(state.startedAt) - overlapMs);
	return new Date(since).toISOString();
}

function statusKey(order: Order): string {
	return `${order.status}/${order.financialStatus}/${order.fulfillmentStatus}`;
}

/** When an order became worth emitting: placed, or paid when only paid orders count. */
function qualificationTime(order: Order): number {
	const created = Date.parse(order.createdAt);
	const paid = order.paidAt ? Date.parse(order.paidAt) : Number.NaN;
	return Number.isNaN(paid) ? created : Math.max(created, paid);
}

/**
 * Given every order read in this poll's window (any order, any page order), decides what to emit and
 * returns the next state. Pure: the same state and orders give the same result.
 */
export function applyPoll(state: CursorState, orders: readonly Order[], options: CursorOptions): { emit: Emitted[]; next: CursorState } {
	const known = { ...state.known };
	const startedAt = Date.parse(state.startedAt);
	const horizon = Date.parse(state.horizon);
	let watermark = Date.parse(state.watermark);
	const emit: Emitted[] = [];
	// The newest version of each order in this read, oldest first, so emission follows the store's order.
	const latest = new Map<string, Order>();
	for (const order of orders) {
		const seen = latest.get(order.channelOrderId);
		if (!seen || Date.parse(order.updatedAt) >= Date.parse(seen.updatedAt)) latest.set(order.channelOrderId, order);
	}
	const sorted = [...latest.values()].sort(
		(a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.channelOrderId.localeCompare(b.channelOrderId),
	);
	for (const order of sorted) {
		const id = order.channelOrderId;
		const updated = Date.parse(order.updatedAt);
		if (updated > watermark) watermark = updated;
		const key = statusKey(order);
		const record = known[id];
		const [knownUpdated, knownKey, knownFlag] = record ? record.split('|') : [];
		// Timestamps have whole-second resolution on some platforms: a second write in the same second keeps
		// updatedAt, so a version is the same only when its status fingerprint is too.
		if (record && (Number(knownUpdated) > updated || (Number(knownUpdated) === updated && knownKey === key))) continue;
		// '1' emitted as new, '0' seen but not yet worth emitting, 'x' placed before the sync was switched on.
		const flag = record
			? knownFlag
			: Date.parse(order.createdAt) < startedAt
				? 'x'
				: qualificationTime(order) <= horizon
					? '1'
					: '0';
		if (flag !== '1') {
			const emitNow = flag === '0' && options.qualifies(order);
			if (emitNow) emit.push({ order, event: 'new', previous: null, changed: [] });
			known[id] = `${updated}|${key}|${emitNow ? '1' : flag}`;
			continue;
		}
		known[id] = `${updated}|${key}|1`;
		if (!options.emitChanges) continue;
		const previous = knownKey ? knownKey.split('/') : undefined;
		const changed = previous
			? (['status', 'financialStatus', 'fulfillmentStatus'] as const).filter((f, i) => previous[i] !== String(order[f]))
			: ['unknown'];
		if (changed.length === 0) continue; // updated, but not in a way that matters downstream
		emit.push({
			order,
			event: 'changed',
			previous: previous ? { status: previous[0], financialStatus: previous[1], fulfillmentStatus: previous[2] } : null,
			changed,
		});
	}
	// Forget the oldest beyond the bound, but only what lies before the re-read window: the horizon then
	// always sits in time that a finished poll covered completely, so an order qualifying at or before it
	// was read qualified and emitted then. (The bound is soft: a window holding more orders than
	// maxKnown keeps them all, since forgetting one could emit it twice.)
	const ids = Object.keys(known);
	let nextHorizon = horizon;
	if (ids.length > options.maxKnown) {
		const forgettableBefore = watermark - options.overlapMs;
		const oldest = ids
			.filter((id) => Number(known[id].split('|')[0]) < forgettableBefore)
			.sort((a, b) => Number(known[a].split('|')[0]) - Number(known[b].split('|')[0]));
		for (const id of oldest.slice(0, ids.length - options.maxKnown)) {
			nextHorizon = Math.max(nextHorizon, Number(known[id].split('|')[0]));
			delete known[id];
		}
	}
	return {
		emit,
		next: {
			v: 1,
			startedAt: state.startedAt,
			watermark: new Date(watermark).toISOString(),
			horizon: new Date(nextHorizon).toISOString(),
			known,
		},
	};
}
