/**
 * Apply Inventory Rules: main-store stock → the quantity a channel shows. Rules, in this order, each
 * optional: (a) a fixed quantity for products whose stock is not tracked (final); (b) a percentage with
 * rounding; (c) a maximum; (d) a minimum; (e) an out-of-stock threshold. Bundles first get the minimum
 * over their components of ⌊component stock ÷ units per bundle⌋.
 *
 * The threshold is compared with the MAIN-STORE quantity (after bundles), not with the computed one, and
 * it is applied last, so it wins over the minimum: buffer stock means "when the store is down to N, stop
 * selling on the channel", whatever the other rules would show.
 */
import { InputError } from './errors';

export type Rounding = 'up' | 'down' | 'nearest';

export interface RuleValues {
	fixedQuantity?: number;
	percentage?: number;
	rounding?: Rounding;
	maximum?: number;
	minimum?: number;
	threshold?: number;
}

export interface FieldNames {
	sku: string;
	quantity: string;
	stockManaged: string;
	status: string;
	bundle: string;
}

export interface RuleConfig extends RuleValues {
	keepListingActive: boolean;
	/** Oversold stock (below zero): an error by default, or counted as 0. */
	negativeQuantities: 'error' | 'zero';
	/** Per-SKU overrides from a table. */
	overrides: Record<string, RuleValues>;
	/** A field on the item holding its own rule values (wins over the table). Empty: none. */
	overrideField: string;
	fields: FieldNames;
}

export const DEFAULT_FIELDS: FieldNames = {
	sku: 'sku',
	quantity: 'quantity',
	stockManaged: 'stockManaged',
	status: 'productStatus',
	bundle: 'bundleComponents',
};

export type ListingStatus = 'active' | 'outOfStock' | 'inactive';

export interface RuleResult {
	mainStoreQuantity: number;
	channelQuantity: number;
	listingStatus: ListingStatus;
	ruleTrace: string;
}

export type Outcome = { ok: true; value: Record<string, unknown> } | { ok: false; error: InputError };

const ACTIVE = new Set(['active', 'publish']);

const RULE_KEYS: Array<keyof RuleValues> = ['fixedQuantity', 'percentage', 'rounding', 'maximum', 'minimum', 'threshold'];

/** Checks one set of rule values; `where` prefixes field names (e.g. `overrides.ABC-1.`). */
export function validateRuleValues(values: RuleValues, where = ''): void {
	for (const key of ['fixedQuantity', 'maximum', 'minimum', 'threshold'] as const) {
		const v = values[key];
		if (v === undefined) continue;
		if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
			throw new InputError(`${where}${key}`, `${JSON.stringify(v)} is not a whole number of 0 or more`, `set ${key} to a quantity such as 5, or remove it`);
		}
	}
	const p = values.percentage;
	if (p !== undefined && (typeof p !== 'number' || !Number.isFinite(p) || p < 0)) {
		throw new InputError(`${where}percentage`, `${JSON.stringify(p)} is not a percentage of 0 or more`, 'give a percentage such as 50 (over 100 is allowed)');
	}
	if (values.rounding !== undefined && !['up', 'down', 'nearest'].includes(values.rounding)) {
		throw new InputError(`${where}rounding`, `"${String(values.rounding)}" is not a rounding`, 'use up, down or nearest');
	}
	if (values.minimum !== undefined && values.maximum !== undefined && values.minimum > values.maximum) {
		throw new InputError(
			`${where}minimum`,
			`is ${values.minimum}, above the maximum ${values.maximum}: impossible rules`,
			'lower the minimum or raise the maximum so that minimum ≤ maximum',
		);
	}
}

/** Checks the defaults and every table override once, before any item. */
export function validateRuleConfig(config: RuleConfig): void {
	validateRuleValues(config, 'rules.');
	for (const [sku, values] of Object.entries(config.overrides)) {
		validateRuleValues({ ...pickRules(config), ...values }, `overrides[${sku}].`);
	}
}

function pickRules(values: RuleValues): RuleValues {
	const out: RuleValues = {};
	for (const key of RULE_KEYS) if (values[key] !== undefined) (out as Record<string, unknown>)[key] = values[key];
	return out;
}

/** The rules for one item: defaults, then its table override, then its own field. */
function rulesFor(config: RuleConfig, sku: string, item: Record<string, unknown>, table: Map<string, RuleValues>): RuleValues {
	const fromTable = table.get(sku);
	const own = config.overrideField ? item[config.overrideField] : undefined;
	if (!fromTable && (own === undefined || own === null)) return config;
	const merged: RuleValues = { ...pickRules(config), ...(fromTable ?? {}) };
	if (own !== undefined && own !== null) {
		if (typeof own !== 'object' || Array.isArray(own)) {
			throw new InputError(config.overrideField, 'is not an object of rule values', 'give it as {"percentage": 50, "maximum": 10}, or clear Override Field');
		}
		for (const key of RULE_KEYS) {
			const v = (own as Record<string, unknown>)[key];
			if (v !== undefined && v !== null && v !== '') (merged as Record<string, unknown>)[key] = key === 'rounding' ? v : Number(v);
		}
		validateRuleValues(merged, `${config.overrideField}.`);
	}
	return merged;
}

function readQuantity(value: unknown, field: string): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n)) {
		throw new InputError(field, `${value === undefined ? 'is missing' : `${JSON.stringify(value)} is not a number`}`, `give the stock as a whole number, or map Quantity Field to the field that holds it`);
	}
	if (!Number.isInteger(n)) throw new InputError(field, `${n} is not a whole number`, 'give the stock as a whole number of units');
	return n;
}

/** Applies the rules to one quantity. Pure and allocation-light: this runs a million times a second. */
export function applyRules(quantity: number, stockManaged: boolean, active: boolean, rules: RuleValues, keepListingActive: boolean, trace: string): RuleResult {
	let q = quantity;
	let t = trace;
	if (!stockManaged) {
		if (rules.fixedQuantity !== undefined) {
			q = rules.fixedQuantity;
			t += ` → not stock-managed → fixed ${q}`;
			return { mainStoreQuantity: quantity, channelQuantity: q, listingStatus: status(q, active, keepListingActive), ruleTrace: t };
		}
		t += ' (not stock-managed, no fixed quantity set)';
		if (q < 0) {
			q = 0;
			t += ' → 0';
		}
	}
	if (rules.percentage !== undefined && rules.percentage !== 100) {
		const scaled = Math.round(rules.percentage * 10_000); // 4 decimals of a percent, exact for typical input
		const num = q * scaled;
		const den = 1_000_000;
		const rounding = rules.rounding ?? 'down';
		q = rounding === 'up' ? Math.ceil(num / den) : rounding === 'nearest' ? Math.floor((2 * num + den) / (2 * den)) : Math.floor(num / den);
		t += ` → ${rules.percentage}% → ${q}`;
	}
	if (rules.maximum !== undefined && q > rules.maximum) {
		q = rules.maximum;
		t += ` → max ${q} → ${q}`;
	}
	if (rules.minimum !== undefined && q < rules.minimum) {
		q = rules.minimum;
		t += ` → min ${q} → ${q}`;
	}
	if (rules.threshold !== undefined && quantity <= rules.threshold) {
		q = 0;
		t += ` → at or below threshold ${rules.threshold} → 0`;
	}
	return { mainStoreQuantity: quantity, channelQuantity: q, listingStatus: status(q, active, keepListingActive), ruleTrace: t };
}

function status(q: number, active: boolean, keepListingActive: boolean): ListingStatus {
	if (!active) return 'inactive';
	return q === 0 && !keepListingActive ? 'outOfStock' : 'active';
}

/**
 * Applies the rules to every record. Bundles need the other records (their components), so this takes
 * the whole list; each record gets its own outcome, so one bad record never stops the others.
 */
export function applyInventoryRules(records: ReadonlyArray<Record<string, unknown>>, config: RuleConfig): Outcome[] {
	const f = config.fields;
	const table = new Map(Object.entries(config.overrides));
	// Component stock by SKU, read lazily: only bundles need it.
	let stockBySku: Map<string, ComponentStock> | undefined;
	const stock = () => {
		if (!stockBySku) {
			stockBySku = new Map();
			for (const r of records) {
				const sku = r[f.sku];
				if (typeof sku === 'string' || typeof sku === 'number') stockBySku.set(String(sku), { quantity: r[f.quantity], managed: r[f.stockManaged] !== false, locations: r.locations });
			}
		}
		return stockBySku;
	};
	return records.map((record) => {
		try {
			return { ok: true as const, value: applyOne(record, config, table, stock) };
		} catch (error) {
			if (error instanceof InputError) return { ok: false as const, error };
			return Promise.reject(error) as never;
		}
	});
}

function applyOne(
	record: Record<string, unknown>,
	config: RuleConfig,
	table: Map<string, RuleValues>,
	stock: () => Map<string, ComponentStock>,
): Record<string, unknown> {
	const f = config.fields;
	const rawSku = record[f.sku];
	const sku = rawSku === undefined || rawSku === null ? '' : String(rawSku);
	const rules = rulesFor(config, sku, record, table);
	const stockManaged = record[f.stockManaged] !== false;
	const statusValue = record[f.status];
	// Our model says 'active'; raw platform values (Shopify ACTIVE, WooCommerce publish) are read too.
	const active = statusValue === undefined || statusValue === null || ACTIVE.has(String(statusValue).toLowerCase());
	let quantity: number;
	let trace: string;
	const components = record[f.bundle];
	if (Array.isArray(components) && components.length > 0) {
		const parts: string[] = [];
		quantity = Infinity;
		for (let i = 0; i < components.length; i++) {
			const c = components[i] as { sku?: unknown; quantity?: unknown };
			const componentSku = String(c?.sku ?? '');
			const units = Number(c?.quantity ?? 1);
			if (!componentSku || !Number.isInteger(units) || units <= 0) {
				throw new InputError(`${f.bundle}[${i}]`, `is not a component {sku, quantity ≥ 1}`, 'list each component with its SKU and the units one bundle uses');
			}
			const found = stock().get(componentSku);
			if (!found) {
				throw new InputError(
					`${f.bundle}[${i}].sku`,
					`bundle ${sku} needs component ${componentSku}, which is not among the input items`,
					`include SKU ${componentSku} in the items sent to this node (Get Main Store Inventory returns all SKUs by default)`,
				);
			}
			if (!found.managed) continue; // an untracked component never limits the bundle
			const have = Math.max(0, readQuantity(found.quantity, `component ${componentSku}.${f.quantity}`));
			const can = Math.floor(have / units);
			parts.push(`${componentSku} ${have}/${units}=${can}`);
			quantity = Math.min(quantity, can);
		}
		if (quantity === Infinity) quantity = readQuantity(record[f.quantity], f.quantity);
		trace = `bundle min(${parts.join(', ')}) → ${quantity}`;
	} else {
		quantity = stockManaged || record[f.quantity] !== undefined ? readQuantity(record[f.quantity], f.quantity) : 0;
		trace = String(quantity);
	}
	// Only tracked stock can be oversold: an untracked product's quantity means nothing (often negative).
	if (quantity < 0 && stockManaged) {
		if (config.negativeQuantities !== 'zero') {
			throw new InputError(
				f.quantity,
				`is ${quantity}: negative stock (oversold) on SKU ${sku || '(none)'}`,
				'correct the stock in the main store, or set Negative Quantities to "Treat as 0" if your store allows overselling',
			);
		}
		trace += ` (oversold) → 0`;
		quantity = 0;
	}
	const result = applyRules(quantity, stockManaged, active, rules, config.keepListingActive, trace);
	const locations = perLocation(record, Array.isArray(components) && components.length > 0 ? (components as BundleComponentLike[]) : null, stockManaged, active, rules, config, stock);
	// The rules this item got, so a two-way sync can apply them again to the main store's new quantity.
	const appliedRules = { ...pickRules(rules), keepListingActive: config.keepListingActive, stockManaged, active };
	return locations ? { ...record, ...result, appliedRules, locations } : { ...record, ...result, appliedRules };
}

interface ComponentStock {
	quantity: unknown;
	managed: boolean;
	locations: unknown;
}

interface BundleComponentLike {
	sku?: unknown;
	quantity?: unknown;
}

interface LocationLike {
	locationName?: unknown;
	quantity?: unknown;
}

function locationQuantity(locations: unknown, name: string): number {
	if (!Array.isArray(locations)) return 0;
	const found = (locations as LocationLike[]).find((l) => String(l?.locationName ?? '') === name);
	const q = Number(found?.quantity ?? 0);
	return Number.isFinite(q) ? Math.max(0, Math.trunc(q)) : 0;
}

/**
 * The rules applied to each location's own quantity, for channels whose locations are mapped to the main
 * store's (Update Channel Inventory's Location Mapping): `locations[i].channelQuantity`. A bundle's
 * quantity at a location comes from its components' stock at that location. Oversold locations count 0.
 */
function perLocation(
	record: Record<string, unknown>,
	components: BundleComponentLike[] | null,
	stockManaged: boolean,
	active: boolean,
	rules: RuleValues,
	config: RuleConfig,
	stock: () => Map<string, ComponentStock>,
): Array<Record<string, unknown>> | null {
	const locations = record.locations;
	if (!Array.isArray(locations) || locations.length === 0) return null;
	return (locations as Array<Record<string, unknown>>).map((l) => {
		const name = String(l?.locationName ?? '');
		let q = locationQuantity(locations, name);
		if (components) {
			let min = Infinity;
			for (const c of components) {
				const found = stock().get(String(c?.sku ?? ''));
				if (!found || !found.managed) continue;
				min = Math.min(min, Math.floor(locationQuantity(found.locations, name) / Number(c?.quantity ?? 1)));
			}
			if (min !== Infinity) q = min;
		}
		return { ...l, channelQuantity: applyRules(q, stockManaged, active, rules, config.keepListingActive, '').channelQuantity };
	});
}
