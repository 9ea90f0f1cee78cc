/**
 * The time range of Fetch Channel Orders, from what the user typed or an expression gave: last N hours,
 * since a date, or between two dates, as UTC instants. Bad dates are input errors naming the field.
 */
import { InputError } from './errors';

export interface RangeInput {
	range: 'lastHours' | 'since' | 'between';
	hours?: number;
	since?: unknown;
	until?: unknown;
	by: 'created' | 'updated';
}

export interface ResolvedWindow {
	since: string;
	until?: string;
	by: 'created' | 'updated';
}

/** An instant (ISO, UTC) from a Date, an ISO string or a Luxon DateTime (anything with toISO); undefined when it is none. */
export function parseInstant(value: unknown): string | undefined {
	let text: string;
	if (value instanceof Date) text = value.toISOString();
	else if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') text = String((value as { toISO(): string }).toISO());
	else text = String(value ?? '').trim();
	const ms = Date.parse(text);
	return !text || Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** parseInstant, or an InputError naming `field`. */
export function instant(value: unknown, field: string): string {
	const parsed = parseInstant(value);
	if (parsed === undefined) {
		throw new InputError(field, `is "${value instanceof Date ? value.toISOString() : String(value ?? '').trim()}", which is not a date and time`,
			'give an ISO 8601 date such as 2026-01-31T00:00:00Z, or an expression like {{ $now.minus({ days: 1 }) }}');
	}
	return parsed;
}

export function resolveWindow(input: RangeInput, now: number): ResolvedWindow {
	if (input.range === 'lastHours') {
		const hours = input.hours ?? 24;
		if (!(hours > 0)) throw new InputError('Hours', `is ${hours}`, 'give a number of hours above 0');
		return { by: input.by, since: new Date(now - hours * 3_600_000).toISOString() };
	}
	const since = instant(input.since, 'Since');
	if (input.range === 'since') return { by: input.by, since };
	const until = instant(input.until, 'Until');
	if (until < since) throw new InputError('Until', `(${until}) is before Since (${since})`, 'swap the two dates');
	return { by: input.by, since, until };
}
