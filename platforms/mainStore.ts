/**
 * The main store as Push Order to Main Store sees it, one interface per platform (Shopify, WooCommerce),
 * and the one push loop over it that makes a push exactly-once:
 *  1. look every line up in batches (many identifiers per request), once per run;
 *  2. look up, in batches, what the store already holds under each order's key;
 *  3. decide per order (core/push.ts) and write: create, cancel with restock, or nothing;
 *  4. a create whose answer was lost is looked up, never blindly repeated;
 *  5. after creating, look the keys up again: if another run or worker created the same order at the
 *     same moment, the oldest wins and the newer copy is cancelled with restock and a note.
 */
import type { Order } from '../core/model';
import { channelLabel, decide, keyTag, linkLines, planPush, pushKey, winner } from '../core/push';
import type { Attention, LineLink, LinkBy, MainVariant, PushMode, PushPlan, PushSettings, PushedRecord } from '../core/push';
import type { Order as ModelOrder } from '../core/model';
import { PlatformError } from './errors';
import { UnknownOutcomeError } from './retry';

export interface CreateOptions {
	mode: PushMode;
	/** Shopify inventoryBehaviour; WooCommerce decrements linked, stock-managed lines when paid, by its own rules. */
	inventory: 'decrement' | 'decrementIgnoringPolicy' | 'bypass';
	sendReceipt: boolean;
	sendFulfillmentReceipt: boolean;
	marketingOptIn: boolean;
}

export interface MainStore {
	readonly platform: string;
	readonly storeId: string;
	variants(by: LinkBy, values: string[]): Promise<Map<string, MainVariant[]>>;
	/** Everything the store holds under these keys (orders, drafts, stock-only records), batched. */
	pushed(wanted: Array<{ key: string; keyTag: string; order: Order }>): Promise<Map<string, PushedRecord[]>>;
	/** The store's own contact address, for "Contact Email: the store's". */
	storeEmail(): Promise<string | null>;
	/** Exactly what create() would send: the dry run's answer. */
	request(plan: PushPlan, options: CreateOptions): Record<string, unknown>;
	create(plan: PushPlan, options: CreateOptions): Promise<PushedRecord>;
	/** Cancels with restock; `duplicateOf` names the order that won a race. */
	/**
	 * Restocks the units refunded on the channel that the main-store order has not refunded yet (read
	 * from the store first, so a repeat restocks nothing); returns what it restocked.
	 */
	restock(record: PushedRecord, lines: RefundedLine[], note: string): Promise<RefundedLine[]>;
	/** Stock Only: the linked lines' stock taken (or given back) without an order, once per order key. */
	adjustStock(plan: PushPlan, direction: 'take' | 'giveBack'): Promise<PushedRecord>;
	/** Many creates in few requests, where the platform has a batch endpoint; per-order errors inline. */
	createMany?(plans: PushPlan[], options: CreateOptions): Promise<Array<PushedRecord | Error>>;
	cancel(record: PushedRecord, why: { duplicateOf?: PushedRecord; note: string }): Promise<void>;
	/** A setting this store cannot honour, said plainly (e.g. WooCommerce cannot set order numbers). */
	limitations(settings: PushSettings, options: CreateOptions): string[];
}

/** A channel line with units refunded, and the main-store variant it was pushed as. */
export interface RefundedLine {
	channelLineId: string;
	sku: string | null;
	variant: MainVariant | null;
	/** Units refunded on the channel so far (cumulative), or, in a restock's answer, units restocked now. */
	units: number;
	/** The line's price after its discount, per unit, minor units (for the refund's amount). */
	unitNet: number;
	currency: string;
}

export type PushAction = 'created' | 'restocked' | 'wouldCreate' | 'alreadyThere' | 'cancelled' | 'wouldCancel' | 'alreadyCancelled' | 'attention';

export interface PushResult {
	order: Order;
	action: PushAction;
	record: PushedRecord | null;
	attention: Attention | null;
	links: LineLink[];
	plan: PushPlan | null;
	/** Dry run: what would be sent. */
	request: Record<string, unknown> | null;
	/** Things the user should know about this push (a race resolved, a lost answer checked). */
	notes: string[];
}

export interface PushRunOptions {
	dryRun: boolean;
	create: CreateOptions;
	/** Records the node remembers itself (Stock Only leaves nothing in the store to look up). */
	known?: (key: string) => PushedRecord[];
}

function identifiersOf(orders: readonly Order[], settings: PushSettings): string[] {
	const ids = new Set<string>();
	for (const order of orders) {
		for (const line of order.lines) {
			const linked = [line.sku, line.channelVariantId, line.channelProductId].find((id) => id && settings.links.has(id));
			const id = linked ? settings.links.get(linked as string) : line.sku?.trim();
			if (id) ids.add(id);
		}
	}
	return [...ids];
}

function failed(order: Order, links: LineLink[], error: unknown, plan: PushPlan | null): PushResult {
	let message = error instanceof PlatformError ? error.platformMessage : error instanceof Error ? error.message : String(error);
	if (error instanceof PlatformError && error.code === 'INVENTORY_CLAIM_FAILED') {
		message += ' Restock it in the main store, or set Stock to "Decrement, Even Below Zero" to sell it anyway.';
	} else if (error instanceof PlatformError && error.hint) message += ` ${error.hint}`;
	return { order, action: 'attention', record: null, attention: { code: 'failed', reason: `could not be pushed: ${message}` }, links, plan, request: null, notes: [] };
}

/** Pushes a batch of orders (one n8n run's items); each result is that order's outcome, in input order. */
export async function pushOrders(store: MainStore, orders: readonly Order[], settings: PushSettings, options: PushRunOptions): Promise<PushResult[]> {
	const found = await store.variants(settings.linkBy, identifiersOf(orders, settings));
	const storeEmail = settings.contactEmail.use === 'store' ? await store.storeEmail() : null;
	const keyed = orders.map((order) => ({ key: pushKey(order), keyTag: keyTag(pushKey(order)), order }));
	const existing = await store.pushed(keyed);
	const results: PushResult[] = [];
	const toCreate: PushResult[] = [];
	/** The first item of a key in this run: the same order twice in one run is created once. */
	const firstOfKey = new Map<string, PushResult>();
	for (const { key, order } of keyed) {
		const links = linkLines(order, found, settings);
		const base = { order, record: null, attention: null, links, plan: null, request: null, notes: [] as string[] };
		const earlier = firstOfKey.get(key);
		if (earlier && ['created', 'wouldCreate', 'cancelled', 'wouldCancel'].includes(earlier.action)) {
			const wasCancel = earlier.action === 'cancelled' || earlier.action === 'wouldCancel';
			results.push({ ...base, action: wasCancel ? 'alreadyCancelled' : 'alreadyThere', record: earlier.record, notes: ['The same order came twice in this run; it is handled once.'], plan: earlier.plan });
			continue;
		}
		const decision = decide(order, [...(existing.get(key) ?? []), ...(options.known?.(key) ?? [])], links, settings);
		let result: PushResult;
		switch (decision.action) {
			case 'attention':
				result = { ...base, action: 'attention', attention: decision.attention };
				break;
			case 'alreadyThere':
			case 'alreadyCancelled':
				result = { ...base, action: decision.action, record: decision.record };
				break;
			case 'cancel':
				result = { ...base, action: options.dryRun ? 'wouldCancel' : 'cancelled', record: decision.record, request: options.dryRun ? { cancel: decision.record.id, restock: true } : null };
				if (!options.dryRun && decision.record.kind === 'stockOnly') {
					try {
						// What is still taken: the order's units less those already given back for partial refunds.
						const given = decision.record.givenBack ?? {};
						const remaining = { ...order, lines: order.lines.map((l) => ({ ...l, quantity: l.quantity - (given[l.channelLineId] ?? 0), refundedQuantity: 0 })).filter((l) => l.quantity > 0) };
						result.record = await store.adjustStock(planPush(remaining, linkLines(remaining, variantMap(links), settings), { ...settings, unlinked: 'onlyLinked' }, null), 'giveBack');
					} catch (error) {
						result = failed(order, links, error, null);
					}
				} else if (!options.dryRun) {
					try {
						await store.cancel(decision.record, { note: `Cancelled because ${channelLabel(order.channel)} order ${order.channelOrderNumber} was ${order.status === 'cancelled' ? 'cancelled' : order.financialStatus} there; stock restocked by Commerce Sync.` });
						result.record = { ...decision.record, cancelled: true };
					} catch (error) {
						result = failed(order, links, error, null);
					}
				}
				break;
			case 'restock': {
				const refundedLines = refundedLinesOf(order, links);
				result = { ...base, action: 'alreadyThere', record: decision.record };
				if (options.dryRun) {
					result.request = { restock: refundedLines.map((l) => ({ sku: l.sku, refundedOnChannel: l.units })) };
					break;
				}
				try {
					const done = decision.record.kind === 'stockOnly'
						? await restockStockOnly(store, order, links, settings, decision.record, refundedLines)
						: await store.restock(decision.record, refundedLines, `${channelLabel(order.channel)} order ${order.channelOrderNumber}: refunded on the channel; restocked by Commerce Sync.`);
					if (done.length > 0) {
						result.action = 'restocked';
						result.notes.push(`Restocked what the channel refunded: ${done.map((l) => `${l.units} × ${l.sku ?? l.channelLineId}`).join(', ')}.`);
						if (decision.record.kind === 'stockOnly') {
							const givenBack = { ...(decision.record.givenBack ?? {}) };
							for (const l of refundedLines) givenBack[l.channelLineId] = l.units;
							result.record = { ...decision.record, givenBack };
						}
					}
				} catch (error) {
					result = failed(order, links, error, null);
				}
				break;
			}
			case 'create': {
				const plan = planPush(order, links, settings, storeEmail);
				result = { ...base, action: options.dryRun ? 'wouldCreate' : 'created', plan, notes: store.limitations(settings, options.create) };
				if (options.dryRun) result.request = store.request(plan, options.create);
				else toCreate.push(result);
				break;
			}
		}
		if (!firstOfKey.has(key)) firstOfKey.set(key, result);
		results.push(result);
	}
	if (!options.dryRun) await cancelDuplicatesFound(store, results, existing, settings);
	if (toCreate.length > 0) {
		await createAll(store, toCreate, options.create);
		await settleRaces(store, toCreate);
	}
	// A repeated item reports the record its first copy made.
	for (const r of results) {
		const first = firstOfKey.get(pushKey(r.order));
		if (first && first !== r && (r.action === 'alreadyThere' || r.action === 'alreadyCancelled') && !r.record) r.record = first.record;
	}
	return results;
}

/** The variants the lines were linked to, keyed as linkLines looks them up. */
function variantMap(links: LineLink[]): Map<string, MainVariant[]> {
	return new Map(links.filter((l) => l.variant && l.identifier).map((l) => [l.identifier as string, [l.variant as MainVariant]]));
}

function refundedLinesOf(order: ModelOrder, links: LineLink[]): RefundedLine[] {
	return links
		.filter((l) => l.line.refundedQuantity > 0)
		.map((l) => ({
			channelLineId: l.line.channelLineId, sku: l.variant?.sku ?? l.line.sku, variant: l.variant, units: l.line.refundedQuantity,
			unitNet: Math.floor((l.line.unitPrice * l.line.quantity - l.line.discount) / l.line.quantity), currency: order.currency,
		}));
}

/** Stock Only: gives back the refunded units not given back yet (the node remembers what it gave back). */
async function restockStockOnly(store: MainStore, order: ModelOrder, links: LineLink[], settings: PushSettings, record: PushedRecord, lines: RefundedLine[]): Promise<RefundedLine[]> {
	const owed = lines
		.map((l) => ({ ...l, units: l.units - (record.givenBack?.[l.channelLineId] ?? 0) }))
		.filter((l) => l.units > 0 && l.variant);
	if (owed.length === 0) return [];
	const partial: ModelOrder = {
		...order,
		channelOrderId: order.channelOrderId,
		lines: order.lines.filter((l) => owed.some((o) => o.channelLineId === l.channelLineId)).map((l) => ({ ...l, quantity: owed.find((o) => o.channelLineId === l.channelLineId)?.units ?? 0 })),
	};
	const plan = planPush(partial, linkLines(partial, variantMap(links), settings), { ...settings, unlinked: 'onlyLinked' }, null);
	await store.adjustStock({ ...plan, keyTag: `${plan.keyTag}-refund-${owed.map((o) => `${o.channelLineId}x${lines.find((l) => l.channelLineId === o.channelLineId)?.units}`).join('-')}` }, 'giveBack');
	return owed;
}

/**
 * Creates every planned order (in batches where the store has them). A create whose answer was lost is
 * looked up by its key; only an order that is not in the store is created again, once.
 */
async function createAll(store: MainStore, pending: PushResult[], options: CreateOptions): Promise<void> {
	const plans = pending.map((r) => r.plan as PushPlan);
	let outcomes: Array<PushedRecord | Error> = [];
	if (options.mode === 'stockOnly') {
		for (const plan of plans) outcomes.push(await store.adjustStock(plan, 'take').catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
	} else if (store.createMany) outcomes = await store.createMany(plans, options);
	else {
		// One at a time: the client paces the writes to the store's rate limit.
		for (const plan of plans) outcomes.push(await store.create(plan, options).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
	}
	const lost = options.mode === 'stockOnly' ? [] : pending.filter((_, i) => outcomes[i] instanceof UnknownOutcomeError);
	const landed = lost.length ? await store.pushed(lost.map((r) => ({ key: (r.plan as PushPlan).key, keyTag: (r.plan as PushPlan).keyTag, order: r.order }))) : new Map<string, PushedRecord[]>();
	for (let i = 0; i < pending.length; i++) {
		const result = pending[i];
		const outcome = outcomes[i];
		const plan = plans[i];
		if (!(outcome instanceof Error)) {
			result.record = outcome;
			continue;
		}
		if (!(outcome instanceof UnknownOutcomeError) || options.mode === 'stockOnly') {
			Object.assign(result, failed(result.order, result.links, outcome, plan));
			continue;
		}
		const there = winner((landed.get(plan.key) ?? []).filter((r) => !r.cancelled));
		if (there) {
			result.record = there;
			result.notes.push('The store\'s answer to the create was lost; the order was found in the store, so it was not created again.');
			continue;
		}
		// Not found yet. The write may still have landed: a store's search can lag a few seconds behind a
		// create (Shopify's order index does). Creating again now could double the order, so it waits for
		// the next run, which looks it up again before writing.
		result.action = 'attention';
		result.attention = {
			code: 'unknownOutcome',
			reason: 'may or may not have been created: the store did not answer and the order was not found right after. It is not created again now; the next run looks it up first and creates it only if it is not there.',
		};
		result.record = null;
	}
}

/**
 * An order found live in the store more than once: a create the store applied after the client had given
 * up on it (and a later run, not finding it yet, created it again), or a race no run saw settle. The
 * oldest copy stays and the newer live copies are cancelled with their stock restored, so the store keeps
 * one order and takes the stock once, whichever run notices first.
 */
async function cancelDuplicatesFound(store: MainStore, results: PushResult[], existing: Map<string, PushedRecord[]>, settings: PushSettings): Promise<void> {
	// Drafts take no stock and are completed by hand; only orders are settled here.
	if (settings.mode === 'draft') return;
	const seen = new Set<string>();
	for (const result of results) {
		const key = pushKey(result.order);
		if (seen.has(key)) continue;
		seen.add(key);
		const live = (existing.get(key) ?? []).filter((r) => r.kind === 'order' && !r.cancelled);
		const first = winner(live);
		if (!first || live.length < 2) continue;
		for (const copy of live.filter((r) => r.id !== first.id)) {
			try {
				await store.cancel(copy, { duplicateOf: first, note: `Duplicate of ${first.number}: ${channelLabel(result.order.channel)} order ${result.order.channelOrderNumber} was created twice (an answer that came too late, or two runs at once). Cancelled and restocked by Commerce Sync.` });
				result.notes.push(`The order was in the store twice; ${first.number} is kept and the duplicate ${copy.number} was cancelled with its stock restored.`);
				copy.cancelled = true;
			} catch (error) {
				result.notes.push(`The order is in the store twice (${first.number} and ${copy.number}); cancelling the duplicate failed and is tried again on the next run: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
	}
}

/**
 * Two runs (or workers) that pushed the same order at the same moment both created it: after creating,
 * the keys are looked up again, the oldest copy wins and every newer live copy is cancelled with restock.
 */
async function settleRaces(store: MainStore, created: PushResult[]): Promise<void> {
	const mine = created.filter((r) => r.action === 'created' && r.record && r.plan && r.record.kind !== 'stockOnly');
	if (mine.length === 0) return;
	const now = await store.pushed(mine.map((r) => ({ key: (r.plan as PushPlan).key, keyTag: (r.plan as PushPlan).keyTag, order: r.order })));
	for (const result of mine) {
		const plan = result.plan as PushPlan;
		const record = result.record as PushedRecord;
		const first = winner((now.get(plan.key) ?? []).filter((r) => r.kind === record.kind));
		if (!first || first.id === record.id) continue;
		try {
			await store.cancel(record, { duplicateOf: first, note: `Duplicate of ${first.number}: another run pushed ${plan.channelLabel} order ${plan.channelOrderNumber} at the same moment. Cancelled and restocked by Commerce Sync.` });
			result.action = 'alreadyThere';
			result.notes.push(`Another run created this order at the same moment; ${first.number} is kept and the duplicate ${record.number} was cancelled with its stock restored.`);
			result.record = first;
		} catch (error) {
			result.action = 'attention';
			result.attention = { code: 'raceLost', reason: `was created twice by two runs at once (${first.number} and ${record.number}) and the duplicate ${record.number} could not be cancelled: ${error instanceof Error ? error.message : String(error)}; cancel it by hand` };
		}
	}
}
