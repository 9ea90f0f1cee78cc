/**
 * Sync Tracking over any two stores: one interface every platform implements (it serves as the main
 * store and as a channel alike: tracking is kept the same way in both roles), and the one loop that
 * copies an order's packages from the store that shipped it to the other:
 *  1. read both orders (the target's tracking, lines still to ship, status);
 *  2. plan what is missing there (core/tracking.ts), tracking before status;
 *  3. write it; a write whose answer was lost is looked up (the target is read again and the plan made
 *     again), never repeated blindly; a write the store refuses is reported and the order's status is
 *     then left alone, while the other packages and orders go on.
 */
import { planTracking } from '../core/tracking';
import type { OrderShipStatus, ShippingState, TargetAbility, TrackingAction, TrackingPath, TrackingSettings } from '../core/tracking';
import { describeError } from './errors';
import { UnknownOutcomeError } from './retry';

/** A main-store order that carries a push key, found by listing what changed. */
export interface PushedOrderRef {
	/** The main store's own id for the order (what read() takes). */
	orderId: string;
	number: string;
	key: string;
	updatedAt: string;
}

export interface WriteOptions {
	/** Shopify notifyCustomer: the buyer gets the shipping email. */
	notifyCustomer: boolean;
	/** WooCommerce without Shipment Tracking: the tracking note is a customer note (WooCommerce emails it). */
	customerNote: boolean;
	/** Where the tracking comes from, for notes (e.g. "Shopify order #1001"). */
	from: string;
}

export interface TrackingStore {
	/** "Shopify", "WooCommerce". */
	readonly platform: string;
	/** The store as push keys name it (shop domain, site URL without scheme). */
	readonly storeId: string;
	/** The id read() takes, from an order id as the push key or an order item carries it. */
	orderRef(orderId: string): string;
	/** The order's packages, lines and status; throws PlatformError (NOT_FOUND) when there is no such order. */
	read(orderRef: string): Promise<ShippingState>;
	/** How this store keeps tracking and which carrier names it knows (read once per run). */
	ability(): Promise<TargetAbility & { path: TrackingPath }>;
	/** Carries out one action of a plan; returns how it was written, in the user's words. */
	apply(order: ShippingState, action: TrackingAction, options: WriteOptions): Promise<string>;
	/** As a main store: orders pushed from `channel` updated since `since`, oldest first, page by page. */
	pushedSince(since: string, channel: { channel: string; storeId: string }): AsyncIterable<PushedOrderRef[]>;
}

export interface WrittenPackage {
	numbers: string[];
	carrier: string | null;
	/** Whether the target knows the carrier (else it went as a custom carrier, with its URL). */
	carrierKnown: boolean;
	lines: Array<{ lineId: string; quantity: number }> | null;
	how: string;
}

export type TrackingOutcome = 'written' | 'wouldWrite' | 'alreadyThere' | 'nothingShipped' | 'failed';

export interface TrackingResult {
	action: TrackingOutcome;
	source: { orderId: string; number: string; status: OrderShipStatus } | null;
	target: { orderId: string; number: string; status: OrderShipStatus; statusAfter: OrderShipStatus } | null;
	path: TrackingPath | null;
	written: WrittenPackage[];
	completed: boolean;
	alreadyThere: Array<{ numbers: string[]; carrier: string | null }>;
	failed: Array<{ numbers: string[]; reason: string }>;
	/** Dry run: the actions that would be carried out. */
	planned: TrackingAction[];
	notes: string[];
}

function numbersOf(action: TrackingAction): string[] {
	return action.kind === 'ship' ? action.numbers : action.kind === 'addNumbers' ? action.added : [];
}

/** A failed result for an order that could not even be read. */
export function failedResult(reason: string, notes: string[] = []): TrackingResult {
	return {
		action: 'failed', source: null, target: null, path: null, written: [], completed: false, alreadyThere: [], failed: [{ numbers: [], reason }], planned: [], notes,
	};
}

/**
 * Copies the packages of `sourceRef` (in `source`) onto `targetRef` (in `target`). Never throws for a
 * platform failure: it becomes the result's `failed`, so one order never blocks the others.
 */
export async function syncTracking(
	source: TrackingStore,
	sourceRef: string,
	target: TrackingStore,
	targetRef: string,
	settings: TrackingSettings,
	options: WriteOptions & { dryRun: boolean },
): Promise<TrackingResult> {
	let from: ShippingState;
	let to: ShippingState;
	let ability: TargetAbility & { path: TrackingPath };
	try {
		[from, to, ability] = await Promise.all([source.read(sourceRef), target.read(targetRef), target.ability()]);
	} catch (error) {
		return failedResult(`could not be read: ${describeError(error)}`);
	}
	const result: TrackingResult = {
		action: 'alreadyThere',
		source: { orderId: from.orderId, number: from.number, status: from.status },
		target: { orderId: to.orderId, number: to.number, status: to.status, statusAfter: to.status },
		path: ability.path, written: [], completed: false, alreadyThere: [], failed: [], planned: [], notes: [],
	};
	const writeOptions: WriteOptions = { ...options, from: options.from || `${source.platform} order ${from.number}` };
	/** A write whose answer was lost, waiting to be looked up. */
	let lost: TrackingAction[] = [];
	for (let round = 0; round < 2; round++) {
		const plan = planTracking(from, to, ability, settings);
		if (round === 0) {
			result.alreadyThere = plan.alreadyThere;
			result.notes.push(...plan.notes);
			result.failed.push(...plan.skipped);
		} else {
			// The writes whose answers were lost and that are now in the target landed: they count as written.
			const stillMissing = new Set(plan.actions.flatMap(numbersOf));
			for (const action of lost) {
				if (action.kind === 'complete') {
					result.completed = to.status === 'completed';
					continue;
				}
				const landed = numbersOf(action).filter((n) => !stillMissing.has(n));
				if (landed.length > 0) {
					result.written.push(describe(action, 'the store\'s answer was lost; found there on reading it again'));
					result.notes.push('A write\'s answer was lost; the order was read again and what had landed was not written twice.');
				}
			}
		}
		if (options.dryRun) {
			result.planned = plan.actions;
			break;
		}
		lost = [];
		let trackingFailed = false;
		for (const action of plan.actions) {
			if (action.kind === 'complete' && (trackingFailed || lost.length > 0)) {
				result.notes.push('The order was not marked completed because some tracking could not be written; the next run tries again.');
				continue;
			}
			try {
				const how = await target.apply(to, action, writeOptions);
				if (action.kind === 'complete') result.completed = true;
				else result.written.push(describe(action, how));
			} catch (error) {
				if (error instanceof UnknownOutcomeError) {
					lost.push(action);
					// Stop here: what follows is decided again once the target has been read.
					break;
				}
				if (action.kind !== 'complete') trackingFailed = true;
				result.failed.push({ numbers: numbersOf(action), reason: action.kind === 'complete' ? `could not be marked completed: ${describeError(error)}` : describeError(error) });
			}
		}
		if (lost.length === 0) break;
		try {
			to = await target.read(targetRef);
		} catch (error) {
			result.failed.push({ numbers: lost.flatMap(numbersOf), reason: `the store did not answer a write and could not be read again (${describeError(error)}); the next run looks before writing` });
			lost = [];
			break;
		}
		if (round === 1) {
			result.failed.push({ numbers: lost.flatMap(numbersOf), reason: 'the store did not answer twice; nothing was repeated blindly, and the next run looks before writing' });
		}
	}
	if (result.target) result.target.statusAfter = result.completed ? 'completed' : to.status;
	if (options.dryRun) result.action = result.planned.length > 0 ? 'wouldWrite' : result.failed.length > 0 ? 'failed' : outcomeWithoutWrites(from, result);
	else if (result.failed.length > 0) result.action = 'failed';
	else if (result.written.length > 0 || result.completed) result.action = 'written';
	else result.action = outcomeWithoutWrites(from, result);
	return result;
}

function outcomeWithoutWrites(from: ShippingState, result: TrackingResult): TrackingOutcome {
	return from.parcels.length === 0 && !from.fullyShipped && result.alreadyThere.length === 0 ? 'nothingShipped' : 'alreadyThere';
}

function describe(action: TrackingAction, how: string): WrittenPackage {
	if (action.kind === 'complete') return { numbers: [], carrier: null, carrierKnown: false, lines: null, how };
	return {
		numbers: action.kind === 'ship' ? action.numbers : action.added,
		carrier: action.carrier.name,
		carrierKnown: action.carrier.known,
		lines: action.kind === 'ship' ? action.lines : null,
		how,
	};
}
