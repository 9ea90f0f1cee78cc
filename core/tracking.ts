/**
 * Sync Tracking, the decisions: given what the source store shipped (packages with carrier, tracking
 * numbers, URLs and lines) and what the target order already holds, what is missing there, and only
 * that. Tracking numbers are compared normalised (case, spaces, dashes), so a re-run, an overlapping
 * run or tracking typed by hand on the target writes nothing. Each package goes to the lines it holds;
 * a later package adds, never replaces; tracking is written before the order is marked completed.
 * Pure: the platforms read the two orders into ShippingState and carry out the actions.
 */
import { mapCarrier } from './carriers';
import { InputError } from './errors';
import type { Order } from './model';
import { readOrder } from './order';
import { pushKey } from './push';
import type { CarrierChoice, CarrierOverride, CarrierPlatform } from './carriers';

/** A line of a package, as the store that shipped it names it. */
export interface ShipLine {
	lineId: string | null;
	/** The other store's id for this line, when this store recorded it (the push's "Channel line" meta). */
	linkedLineId?: string | null;
	sku: string | null;
	title: string | null;
	quantity: number;
}

/** One package: a Shopify fulfillment, a Shipment Tracking item, a tracking note. */
export interface Parcel {
	/** The store's id for it (fulfillment id, tracking id), null for a note. */
	ref: string | null;
	carrier: string | null;
	numbers: string[];
	/** Aligned with `numbers`; '' where a number has no URL. */
	urls: string[];
	shippedAt: string | null;
	/** null when the store does not say which lines the package holds (WooCommerce Shipment Tracking). */
	lines: ShipLine[] | null;
}

export interface LineState {
	lineId: string;
	sku: string | null;
	title: string | null;
	quantity: number;
	/** Units still to ship. */
	open: number;
	/** The other store's id for this line, when this store recorded it (the push's "Channel line" meta). */
	linkedLineId: string | null;
}

export type OrderShipStatus = 'open' | 'completed' | 'cancelled';

/** How a store keeps tracking. */
export type TrackingPath = 'fulfillments' | 'shipmentTracking' | 'orderNotes';

/** An order's shipping as one store holds it. */
export interface ShippingState {
	orderId: string;
	number: string;
	status: OrderShipStatus;
	/** Every line that ships has shipped (Shopify FULFILLED, WooCommerce completed). */
	fullyShipped: boolean;
	lines: LineState[];
	parcels: Parcel[];
	/** Free text that may already carry tracking (WooCommerce order notes, when there is no extension). */
	notes: string[];
	path: TrackingPath;
}

/** What the target can hold. */
export interface TargetAbility {
	platform: CarrierPlatform;
	/** Shopify: each package names its lines and quantities. WooCommerce keeps tracking per order. */
	linesPerParcel: boolean;
	/** Carrier names the target knows. */
	carrierNames: readonly string[];
}

export interface TrackingSettings {
	carrierOverrides: readonly CarrierOverride[];
	/** Mark the target completed when the source has shipped everything (WooCommerce targets). */
	markCompleted: boolean;
}

export type TrackingAction =
	| {
			kind: 'ship';
			numbers: string[];
			urls: string[];
			carrier: CarrierChoice;
			shippedAt: string | null;
			/** The target's lines and units (stores with linesPerParcel); null elsewhere. */
			lines: Array<{ lineId: string; quantity: number }> | null;
			/** The source's lines, to describe the package (notes). */
			describe: ShipLine[] | null;
			sourceRef: string | null;
	  }
	| {
			/** More numbers on a package the target already has (nothing left to ship on it): the whole new list. */
			kind: 'addNumbers';
			parcelRef: string;
			numbers: string[];
			urls: string[];
			added: string[];
			carrier: CarrierChoice;
			sourceRef: string | null;
	  }
	| { kind: 'complete' };

export interface TrackingPlan {
	actions: TrackingAction[];
	/** Source packages whose numbers the target already has. */
	alreadyThere: Array<{ numbers: string[]; carrier: string | null }>;
	/** Source packages that cannot be written, and why. */
	skipped: Array<{ numbers: string[]; reason: string }>;
	notes: string[];
}

/** Tracking numbers compare without case, spaces or dashes ("1z 999-aa1" is "1Z999AA1"). */
export function normaliseTrackingNumber(number: string): string {
	return number.toUpperCase().replace(/[\s\u00a0-]+/g, '');
}

/** Numbers shorter than this are not looked for inside note text (they would match by accident). */
const MIN_NOTE_MATCH = 6;

/** Ids compare by their last segment: Shopify's `gid://shopify/LineItem/7` is the `7` a push recorded. */
function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
	const tail = (id: string) => id.slice(id.lastIndexOf('/') + 1);
	return !!a && !!b && tail(a) === tail(b);
}

function sameText(a: string | null, b: string | null): boolean {
	return a !== null && b !== null && a.trim() !== '' && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The target's lines and units a package holds. Lines are matched by the id one store recorded of the
 * other, then SKU, then title; units never exceed what is still open. A package without lines (the store
 * does not say) holds everything still open: that store ships orders whole.
 */
export function assignLines(parcelLines: ShipLine[] | null, target: LineState[], open: Map<string, number>): Array<{ lineId: string; quantity: number }> {
	const out = new Map<string, number>();
	const take = (lineId: string, wanted: number) => {
		const units = Math.min(wanted, open.get(lineId) ?? 0);
		if (units <= 0) return 0;
		open.set(lineId, (open.get(lineId) ?? 0) - units);
		out.set(lineId, (out.get(lineId) ?? 0) + units);
		return units;
	};
	if (parcelLines === null) {
		for (const line of target) take(line.lineId, open.get(line.lineId) ?? 0);
	} else {
		for (const line of parcelLines) {
			let wanted = line.quantity;
			const tests: Array<(t: LineState) => boolean> = [
				(t) => sameId(t.linkedLineId, line.lineId) || sameId(t.lineId, line.linkedLineId),
				(t) => sameText(t.sku, line.sku),
				(t) => sameText(t.title, line.title),
			];
			for (const test of tests) {
				for (const candidate of target.filter(test)) {
					if (wanted <= 0) break;
					wanted -= take(candidate.lineId, wanted);
				}
				if (wanted <= 0 || target.some(test)) break;
			}
		}
	}
	return [...out].map(([lineId, quantity]) => ({ lineId, quantity }));
}

function byShipDate(a: Parcel, b: Parcel): number {
	return (a.shippedAt ?? '').localeCompare(b.shippedAt ?? '');
}

function urlFor(parcel: Parcel, number: string): string {
	return parcel.urls[parcel.numbers.indexOf(number)] ?? '';
}

/** What to write on `target` so that it holds what `source` shipped, and nothing twice. */
export function planTracking(source: ShippingState, target: ShippingState, ability: TargetAbility, settings: TrackingSettings): TrackingPlan {
	const plan: TrackingPlan = { actions: [], alreadyThere: [], skipped: [], notes: [] };
	const tracked = source.parcels.filter((p) => p.numbers.length > 0).sort(byShipDate);
	if (target.status === 'cancelled') {
		if (tracked.length > 0 || source.fullyShipped) plan.notes.push(`Order ${target.number} is cancelled there: nothing is written to it.`);
		for (const p of tracked) plan.skipped.push({ numbers: p.numbers, reason: `order ${target.number} is cancelled` });
		return plan;
	}
	const known = new Set(target.parcels.flatMap((p) => p.numbers.map(normaliseTrackingNumber)));
	const noteText = target.notes.map(normaliseTrackingNumber).join('\n');
	const has = (n: string) => {
		const key = normaliseTrackingNumber(n);
		return known.has(key) || (key.length >= MIN_NOTE_MATCH && noteText.includes(key));
	};
	const open = new Map(target.lines.map((l) => [l.lineId, l.open]));
	const carrierOf = (name: string | null) => mapCarrier(name, ability.platform, ability.carrierNames, settings.carrierOverrides);
	/** Packages that can take more numbers: the target's, newest last, then those this plan creates. */
	type Holder = { carrier: string | null; numbers: string[]; add(numbers: string[], urls: string[], carrier: CarrierChoice, sourceRef: string | null): void };
	const holders: Holder[] = [];
	const pending = new Map<string, Extract<TrackingAction, { kind: 'addNumbers' }>>();
	for (const p of target.parcels.filter((x) => x.ref !== null).sort(byShipDate)) {
		const all = [...p.numbers];
		const allUrls = p.numbers.map((n) => urlFor(p, n));
		holders.push({
			carrier: p.carrier, numbers: all,
			add(numbers, urls, carrier, sourceRef) {
				all.push(...numbers);
				allUrls.push(...urls);
				const ref = p.ref as string;
				let action = pending.get(ref);
				if (!action) {
					action = { kind: 'addNumbers', parcelRef: ref, numbers: [], urls: [], added: [], carrier, sourceRef };
					pending.set(ref, action);
					plan.actions.push(action);
				}
				action.numbers = [...all];
				action.urls = [...allUrls];
				action.added.push(...numbers);
			},
		});
	}
	const holderOf = (action: Extract<TrackingAction, { kind: 'ship' }>): Holder => ({
		carrier: action.carrier.name, numbers: action.numbers,
		add(numbers, urls) {
			action.numbers.push(...numbers);
			action.urls.push(...urls);
		},
	});
	for (const parcel of tracked) {
		const missing = parcel.numbers.filter((n, i) => !has(n) && parcel.numbers.findIndex((m) => normaliseTrackingNumber(m) === normaliseTrackingNumber(n)) === i);
		if (missing.length === 0) {
			plan.alreadyThere.push({ numbers: parcel.numbers, carrier: parcel.carrier });
			continue;
		}
		const urls = missing.map((n) => urlFor(parcel, n));
		const carrier = carrierOf(parcel.carrier);
		const markKnown = () => missing.forEach((n) => known.add(normaliseTrackingNumber(n)));
		if (!ability.linesPerParcel) {
			plan.actions.push({ kind: 'ship', numbers: missing, urls, carrier, shippedAt: parcel.shippedAt, lines: null, describe: parcel.lines, sourceRef: parcel.ref });
			markKnown();
			continue;
		}
		// Part of this package is there already: the rest of its numbers join the target's package.
		const holder = holders.find((e) => e.numbers.some((n) => parcel.numbers.some((m) => normaliseTrackingNumber(m) === normaliseTrackingNumber(n))));
		if (holder) {
			holder.add(missing, urls, carrier, parcel.ref);
			markKnown();
			continue;
		}
		const lines = assignLines(parcel.lines, target.lines, open);
		if (lines.length > 0) {
			const ship: Extract<TrackingAction, { kind: 'ship' }> = { kind: 'ship', numbers: [...missing], urls: [...urls], carrier, shippedAt: parcel.shippedAt, lines, describe: parcel.lines, sourceRef: parcel.ref };
			plan.actions.push(ship);
			holders.push(holderOf(ship));
			markKnown();
			continue;
		}
		if (parcel.lines !== null && [...open.values()].some((units) => units > 0)) {
			plan.skipped.push({ numbers: missing, reason: `none of its lines (${parcel.lines.map((l) => l.sku ?? l.title ?? '?').join(', ')}) match a line of order ${target.number} still to ship (by SKU or title); add it there by hand` });
			continue;
		}
		// Nothing left to ship on the target: a later package of a store that ships whole orders adds its
		// numbers to the target's last package of the same carrier.
		const last = [...holders].reverse().find((e) => e.carrier === null || carrier.name === null || e.carrier === carrier.name);
		if (last) {
			last.add(missing, urls, carrier, parcel.ref);
			markKnown();
			continue;
		}
		plan.skipped.push({
			numbers: missing,
			reason: holders.length > 0
				? `order ${target.number} has no line left to ship and its package has another carrier (${holders[holders.length - 1].carrier}); one package holds one carrier`
				: `order ${target.number} has no line left to ship`,
		});
	}
	if (ability.linesPerParcel) {
		// Shipped without tracking: catch up on the lines the source shipped and the target has not.
		// Bounded by what the source shipped of each line, less what the target shipped and this plan ships,
		// so a re-run ships nothing more.
		const untracked = source.parcels.filter((p) => p.numbers.length === 0 && p.lines !== null);
		if (untracked.length > 0) {
			const lines = target.lines
				.map((t) => ({
					lineId: t.lineId,
					quantity: Math.min(open.get(t.lineId) ?? 0, sourceUnitsFor(source, target, t.lineId) - (t.quantity - t.open) - plannedFor(plan, t.lineId)),
				}))
				.filter((l) => l.quantity > 0);
			if (lines.length > 0) {
				for (const l of lines) open.set(l.lineId, (open.get(l.lineId) ?? 0) - l.quantity);
				plan.actions.push({
					kind: 'ship', numbers: [], urls: [], carrier: carrierOf(untracked[0].carrier), shippedAt: untracked[0].shippedAt, lines,
					describe: untracked.flatMap((p) => p.lines ?? []), sourceRef: untracked[0].ref,
				});
			}
		}
		if (source.fullyShipped) {
			const rest = assignLines(null, target.lines, open);
			if (rest.length > 0) {
				plan.actions.push({ kind: 'ship', numbers: [], urls: [], carrier: carrierOf(null), shippedAt: null, lines: rest, describe: null, sourceRef: null });
				plan.notes.push(`Order ${source.number} is shipped in full there; the lines still open here are marked shipped without tracking.`);
			}
		}
	} else if (settings.markCompleted && source.fullyShipped && target.status !== 'completed') {
		plan.actions.push({ kind: 'complete' });
	}
	return plan;
}

/** Units of a target line the source's packages hold (matched as assignLines matches them). */
function sourceUnitsFor(source: ShippingState, target: ShippingState, lineId: string): number {
	const unlimited = new Map(target.lines.map((l) => [l.lineId, Number.MAX_SAFE_INTEGER]));
	let units = 0;
	for (const parcel of source.parcels) {
		if (parcel.lines === null) continue;
		for (const l of assignLines(parcel.lines, target.lines, unlimited)) if (l.lineId === lineId) units += l.quantity;
	}
	return units;
}

function plannedFor(plan: TrackingPlan, lineId: string): number {
	let units = 0;
	for (const a of plan.actions) if (a.kind === 'ship' && a.lines) for (const l of a.lines) if (l.lineId === lineId) units += l.quantity;
	return units;
}

// ---- the push key, read back ------------------------------------------------------------------------

/** A push key (`channel:storeId:orderId`, core/push.ts pushKey) taken apart; the store id may hold colons (host:port). */
export function parsePushKey(key: string | null | undefined): { channel: string; storeId: string; orderId: string } | null {
	if (!key) return null;
	const first = key.indexOf(':');
	const last = key.lastIndexOf(':');
	if (first <= 0 || last <= first || last === key.length - 1) return null;
	return { channel: key.slice(0, first), storeId: key.slice(first + 1, last), orderId: key.slice(last + 1) };
}

/** An input item as Sync Tracking reads it: a channel order, or a Push Order to Main Store result. */
export interface TrackingItem {
	key: string;
	channelOrderId: string;
	channelOrderNumber: string | null;
	/** Push Order's result names the main-store order; an order item leaves it to be looked up. */
	mainOrderId: string | null;
	mainOrderNumber: string | null;
	/** The whole channel order, when the item is one (its cancellation can then be mirrored). */
	order: Order | null;
}

function field(json: Record<string, unknown>, name: string): string | null {
	const value = json[name];
	return value === undefined || value === null || String(value).trim() === '' ? null : String(value).trim();
}

/**
 * Reads an item of Fetch Channel Orders, Channel Orders Trigger or Push Order to Main Store (Pushed), and
 * checks it belongs to the channel store the node syncs with: another store's order would otherwise be
 * matched to the wrong channel order.
 */
export function readTrackingItem(json: Record<string, unknown>, channel: { channel: string; storeId: string; label: string }): TrackingItem {
	const channelOrderId = field(json, 'channelOrderId');
	if (channelOrderId === null) {
		throw new InputError('channelOrderId', 'is missing: this item is not a channel order', 'connect Fetch Channel Orders, Channel Orders Trigger or the Pushed output of Push Order to Main Store');
	}
	const itemChannel = field(json, 'channel');
	if (itemChannel !== null && itemChannel !== channel.channel) {
		throw new InputError('channel', `is "${itemChannel}", but this node syncs with ${channel.label}`, `set Channel to the order's channel, or filter the items to ${channel.label} orders`);
	}
	const storeId = field(json, 'channelStoreId');
	if (storeId !== null && storeId !== channel.storeId) {
		throw new InputError('channelStoreId', `is "${storeId}", but the channel credential is for "${channel.storeId}"`, 'choose the credential of the store this order came from');
	}
	const key = pushKey({ channel: channel.channel, channelStoreId: channel.storeId, channelOrderId });
	const syncKey = field(json, 'syncKey');
	if (syncKey !== null && syncKey !== key) {
		throw new InputError('syncKey', `is "${syncKey}", which does not name channel order ${channelOrderId} of ${channel.storeId}`, 'pass the item as Push Order to Main Store output it');
	}
	const main = (json.mainStore && typeof json.mainStore === 'object' ? json.mainStore : {}) as Record<string, unknown>;
	let order: Order | null = null;
	if (json.kind === 'order') {
		try {
			order = readOrder(json, { allowMismatch: true });
		} catch {
			// The ids are enough to sync tracking; only a cancellation needs the whole order.
			order = null;
		}
	}
	return {
		key, channelOrderId, channelOrderNumber: field(json, 'channelOrderNumber'),
		// A draft or stock-only push has no order to ship; a cancelled one is looked up again.
		mainOrderId: main.cancelled === true || (main.kind !== undefined && main.kind !== null && main.kind !== 'order') ? null : field(main, 'orderId'),
		mainOrderNumber: field(main, 'orderNumber'), order,
	};
}

/** The text of a tracking note: what shipped, with which carrier and numbers, and where from. */
export function trackingNoteText(action: Extract<TrackingAction, { kind: 'ship' }>, from: string): string {
	const carrier = action.carrier.name ?? 'the carrier';
	const numbers = action.numbers.map((n, i) => (action.urls[i] ? `${n} (${action.urls[i]})` : n));
	const head = numbers.length > 0
		? `Shipped with ${carrier}. Tracking number${numbers.length > 1 ? 's' : ''}: ${numbers.join(', ')}.`
		: 'Shipped.';
	const lines = action.describe?.length
		? ` Items: ${action.describe.map((l) => `${l.quantity} × ${l.title ?? l.sku ?? 'item'}${l.sku && l.title ? ` [${l.sku}]` : ''}`).join(', ')}.`
		: '';
	return `${head}${lines} (${from}, by Commerce Sync)`;
}
