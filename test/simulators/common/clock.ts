/**
 * `POST /__sim/clock {"now": "<ISO date>" | null}`, as the marketplace simulators answer it: fixes the
 * store's clock at an instant (token expiry, "today" for daily quotas), or with null lets it run again.
 */
import type { SimResponse } from './server';

export interface SettableClock {
	now(): number;
	setClock(now: (() => number) | undefined): void;
}

export function setClockRoute(store: SettableClock, body: Record<string, unknown>, base: (() => number) | undefined): SimResponse {
	if (body.now === null) store.setClock(base);
	else if (typeof body.now === 'string' && !Number.isNaN(Date.parse(body.now))) {
		const fixed = Date.parse(body.now);
		store.setClock(() => fixed);
	} else return { status: 400, body: { error: 'give {"now": ISO date | null}' } };
	return { status: 200, body: { now: new Date(store.now()).toISOString() } };
}
