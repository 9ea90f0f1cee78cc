/**
 * The quantity an item asks a channel to show, read with an error that names the field and the fix.
 */
import { InputError } from './errors';

export function readStockQuantity(json: Record<string, unknown>, field: string): number {
	const raw = json[field] ?? (field === 'channelQuantity' ? json.quantity : undefined);
	if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) {
		throw new InputError(field, `${JSON.stringify(raw) ?? 'nothing'} is not a quantity of 0 or more`, `give each item a whole number in "${field}" (Apply Inventory Rules puts it in channelQuantity)`);
	}
	return raw;
}
