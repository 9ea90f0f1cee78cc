/**
 * Two-way inventory (Tipo's "two-way sync"), the decisions: each listing's last synced quantities on
 * both sides (the snapshot) tell what each side changed since; the channel's own change (a sale there, a
 * count typed there) is added to the main store as a delta, and the channel is then set from the main
 * store's new quantity through the inventory rules. Both sides' changes in one cycle are kept, and the
 * next cycle finds nothing to move: the stores do not ping-pong. Pure: the platforms read and write.
 */
import { InputError } from './errors';
import { applyRules } from './inventoryRules';
import type { RuleValues } from './inventoryRules';

/** What both sides held after the last sync of a listing: main-store units and channel units. */
export interface StockSnapshot {
	m: number;
	c: number;
}

export interface TwoWayDecision {
	/** Units to add to the main store (negative: to take off): the channel's own change since the last sync. */
	mainDelta: number;
	/** The main store's quantity once the delta is in. */
	mainAfter: number;
	/** No snapshot yet: this cycle only sets the channel from the main store. */
	first: boolean;
	note: string | null;
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function decideTwoWay(main: number, channel: number, snapshot: StockSnapshot | undefined): TwoWayDecision {
	if (!snapshot) {
		return {
			mainDelta: 0, mainAfter: main, first: true,
			note: 'First two-way cycle for this listing: the channel is set from the main store; from the next cycle, changes on either side reach the other.',
		};
	}
	const channelChange = channel - snapshot.c;
	const mainChange = main - snapshot.m;
	if (channelChange === 0) {
		return { mainDelta: 0, mainAfter: main, first: false, note: mainChange === 0 ? null : `Main store changed ${signed(mainChange)} since the last sync.` };
	}
	return {
		mainDelta: channelChange, mainAfter: main + channelChange, first: false,
		note: `The channel changed ${signed(channelChange)} since the last sync (${snapshot.c} → ${channel})${mainChange === 0 ? '' : ` and the main store ${signed(mainChange)} (${snapshot.m} → ${main})`}: the main store goes ${main} → ${main + channelChange}, both changes kept.`,
	};
}

/** The rules Apply Inventory Rules used for an item (its `appliedRules`), to apply again to a new quantity. */
export interface AppliedRules extends RuleValues {
	keepListingActive: boolean;
	stockManaged: boolean;
	active: boolean;
}

/** The channel quantity for `mainQuantity` under the item's rules; the quantity itself when it has none. */
export function channelQuantityFor(mainQuantity: number, rules: AppliedRules | null): number {
	const quantity = Math.max(0, mainQuantity);
	if (!rules) return quantity;
	return applyRules(quantity, rules.stockManaged, rules.active, rules, rules.keepListingActive, '').channelQuantity;
}

/** Reads an item's `appliedRules` back (as Apply Inventory Rules writes it); null when absent or unreadable. */
export function readAppliedRules(value: unknown): AppliedRules | null {
	if (!value || typeof value !== 'object') return null;
	const v = value as Record<string, unknown>;
	const num = (k: string) => (typeof v[k] === 'number' && Number.isFinite(v[k]) ? (v[k] as number) : undefined);
	const rounding = v.rounding === 'up' || v.rounding === 'down' || v.rounding === 'nearest' ? v.rounding : undefined;
	const rules: AppliedRules = { keepListingActive: v.keepListingActive === true, stockManaged: v.stockManaged !== false, active: v.active !== false };
	for (const k of ['fixedQuantity', 'percentage', 'maximum', 'minimum', 'threshold'] as const) {
		const n = num(k);
		if (n !== undefined) rules[k] = n;
	}
	if (rounding) rules.rounding = rounding;
	return rules;
}

/** What a two-way sync needs of an item beyond its target: the main store's side of it. */
export interface TwoWayFields {
	mainQuantity: number;
	rules: AppliedRules | null;
	productId: string | null;
	variantId: string | null;
	inventoryItemId: string | null;
	/** The location the channel's changes are booked at, and its quantity as read. */
	locationId: string | null;
	locationQuantity: number;
	oneWay: string | null;
}

/**
 * Reads the main store's side of an item (Get Main Store Inventory → Apply Inventory Rules): its
 * quantity before the rules, the rules, its ids, and the location to book the channel's changes at
 * (`bookAt` by name, else the item's first location).
 */
export function readTwoWayFields(json: Record<string, unknown>, bookAt: string): TwoWayFields {
	const raw = json.mainStoreQuantity ?? json.quantity;
	if (typeof raw !== 'number' || !Number.isInteger(raw)) {
		throw new InputError('mainStoreQuantity', `${JSON.stringify(raw) ?? 'nothing'} is not the main store's quantity`, 'connect Get Main Store Inventory → Apply Inventory Rules to this node, so each item carries its main-store stock');
	}
	const text = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));
	const locations = Array.isArray(json.locations) ? (json.locations as Array<Record<string, unknown>>) : [];
	const at = bookAt.trim()
		? locations.find((l) => String(l?.locationName ?? '').trim().toLowerCase() === bookAt.trim().toLowerCase())
		: locations[0];
	if (bookAt.trim() && !at) {
		throw new InputError('locations', `has no location named "${bookAt.trim()}" (it has ${locations.map((l) => `"${String(l?.locationName)}"`).join(', ') || 'none'})`, 'set Book Channel Changes At to one of the item\'s locations, or leave it empty for the first');
	}
	const components = json.bundleComponents;
	const oneWay = Array.isArray(components) && components.length > 0
		? 'a bundle: its stock follows its components, whose own listings carry the sales'
		: json.stockManaged === false ? 'the main store does not track its stock' : null;
	return {
		mainQuantity: raw, rules: readAppliedRules(json.appliedRules),
		productId: text(json.productId), variantId: text(json.variantId), inventoryItemId: text(json.inventoryItemId),
		locationId: text(at?.locationId), locationQuantity: Number.isInteger(at?.quantity) ? (at?.quantity as number) : raw, oneWay,
	};
}
