/**
 * Location mapping: which main-store locations feed which channel location. By name (a channel location
 * gets the stock of the main-store location with the same name, ignoring case and surrounding spaces) or
 * by a table (rows main → channel; several main-store locations may feed one channel location, summed).
 * Each location's quantity is the one Apply Inventory Rules computed for it (`locations[i].channelQuantity`),
 * or its raw quantity when the rules were not applied.
 */
import { InputError } from './errors';

export type LocationMapping = { mode: 'sameNames' } | { mode: 'table'; rows: Array<{ main: string; channel: string }> };

export interface ItemLocation {
	locationName: string;
	quantity: number;
	channelQuantity?: number;
}

const norm = (name: string) => name.trim().toLowerCase();

/** Checks a table before any item: no empty names, no channel location fed twice by the same main location. */
export function validateMapping(mapping: LocationMapping): void {
	if (mapping.mode !== 'table') return;
	if (mapping.rows.length === 0) {
		throw new InputError('locationMap', 'has no rows', 'add a row per main-store location and the channel location it feeds, or choose "Same Names"');
	}
	const seen = new Set<string>();
	mapping.rows.forEach((row, i) => {
		if (!row.main.trim() || !row.channel.trim()) {
			throw new InputError(`locationMap[${i}]`, 'has an empty location name', 'give both the main-store location and the channel location, by name');
		}
		const key = `${norm(row.main)}→${norm(row.channel)}`;
		if (seen.has(key)) throw new InputError(`locationMap[${i}]`, `maps "${row.main}" to "${row.channel}" twice`, 'remove the repeated row');
		seen.add(key);
	});
}

/** The channel location names the mapping writes, as given (table) or as the items name them (same names). */
export function channelLocationNames(mapping: LocationMapping, items: ReadonlyArray<{ locations: ItemLocation[] }>): string[] {
	const names = new Map<string, string>();
	if (mapping.mode === 'table') for (const row of mapping.rows) names.set(norm(row.channel), row.channel.trim());
	else for (const item of items) for (const l of item.locations) if (!names.has(norm(l.locationName))) names.set(norm(l.locationName), l.locationName.trim());
	return [...names.values()];
}

/**
 * The quantity for each channel location (keys lower-cased): the sum of the main-store locations mapped to
 * it. A main-store location the table names but the item does not have counts 0 (the item is not stocked
 * there); `known` lists every main-store location the items were read at, to catch a misspelt table row.
 */
export function quantitiesByChannelLocation(mapping: LocationMapping, locations: ItemLocation[], known: ReadonlySet<string>): Map<string, number> {
	const at = (name: string) => locations.filter((l) => norm(l.locationName) === norm(name)).reduce((s, l) => s + (l.channelQuantity ?? Math.max(0, l.quantity)), 0);
	const out = new Map<string, number>();
	if (mapping.mode === 'sameNames') {
		for (const l of locations) out.set(norm(l.locationName), (out.get(norm(l.locationName)) ?? 0) + (l.channelQuantity ?? Math.max(0, l.quantity)));
		return out;
	}
	mapping.rows.forEach((row, i) => {
		if (!known.has(norm(row.main))) {
			throw new InputError(
				`locationMap[${i}].main`,
				`"${row.main}" is not a location the items were read at (${[...known].join(', ') || 'none'})`,
				'fix the name, or include that location in Get Main Store Inventory\'s Locations',
			);
		}
		out.set(norm(row.channel), (out.get(norm(row.channel)) ?? 0) + at(row.main));
	});
	return out;
}

export function locationKey(name: string): string {
	return norm(name);
}

/** An item's per-location stock, as Get Main Store Inventory gives it (and Apply Inventory Rules extends it). */
export function readItemLocations(value: unknown): ItemLocation[] {
	if (!Array.isArray(value)) {
		throw new InputError('locations', 'is missing: mapping locations needs each item\'s stock per location', 'send items from Get Main Store Inventory (through Apply Inventory Rules), or choose One Location');
	}
	return value.map((l: unknown, i) => {
		const r = (l ?? {}) as Record<string, unknown>;
		const quantity = Number(r.quantity);
		if (typeof r.locationName !== 'string' || !Number.isFinite(quantity)) {
			throw new InputError(`locations[${i}]`, 'is not {locationName, quantity}', 'send the locations as Get Main Store Inventory gives them');
		}
		const channelQuantity = r.channelQuantity === undefined ? undefined : Number(r.channelQuantity);
		return { locationName: r.locationName, quantity, ...(channelQuantity !== undefined && Number.isFinite(channelQuantity) ? { channelQuantity } : {}) };
	});
}
