import fc from 'fast-check';
import { applyPoll, initialCursor, readCursor, readFrom } from '../../core/cursor';
import type { CursorOptions, CursorState, Emitted } from '../../core/cursor';
import type { Order } from '../../core/model';

const START = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function order(id: string, created: number, updated: number, patch: Partial<Order> = {}): Order {
	return {
		kind: 'order', channel: 'test', channelStoreId: 's', channelOrderId: id, channelOrderNumber: `#${id}`,
		createdAt: iso(created), updatedAt: iso(updated), paidAt: iso(created), cancelledAt: null, status: 'open',
		financialStatus: 'paid', fulfillmentStatus: 'unfulfilled', currency: 'USD', taxesIncluded: false,
		customer: { email: null, firstName: null, lastName: null, phone: null, channelCustomerId: null },
		shippingAddress: null, billingAddress: null, lines: [], shippingLines: [], feeLines: [], orderDiscount: 0,
		totals: { subtotal: 0, discount: 0, shipping: 0, fees: 0, tax: 0, total: 0 }, tags: [], note: null, problems: [],
		...patch,
	};
}

const paidOnly: CursorOptions = {
	overlapMs: 60_000, maxKnown: 2000, emitChanges: true,
	qualifies: (o) => o.financialStatus === 'paid',
};

describe('Channel Orders Trigger cursor', () => {
	it('re-reading the same window emits nothing twice', () => {
		const state = initialCursor(iso(START));
		const orders = [order('1', START + 1000, START + 1000), order('2', START + 1000, START + 1000)];
		const first = applyPoll(state, orders, paidOnly);
		expect(first.emit.map((e) => e.order.channelOrderId)).toEqual(['1', '2']);
		expect(applyPoll(first.next, orders, paidOnly).emit).toEqual([]);
	});

	it('orders placed before the sync was switched on are never emitted, not even when they change', () => {
		const state = initialCursor(iso(START));
		const old = order('old', START - 5000, START + 10);
		const { emit, next } = applyPoll(state, [old], paidOnly);
		expect(emit).toEqual([]);
		expect(applyPoll(next, [{ ...old, status: 'cancelled', updatedAt: iso(START + 20) }], paidOnly).emit).toEqual([]);
	});

	it('an unpaid order is emitted as new once it is paid (Skip Unpaid Orders)', () => {
		const unpaid = order('7', START + 100, START + 100, { financialStatus: 'pending', paidAt: null });
		const a = applyPoll(initialCursor(iso(START)), [unpaid], paidOnly);
		expect(a.emit).toEqual([]);
		const paid = { ...unpaid, financialStatus: 'paid' as const, paidAt: iso(START + 500), updatedAt: iso(START + 500) };
		expect(applyPoll(a.next, [paid], paidOnly).emit.map((e) => e.event)).toEqual(['new']);
	});

	it('a cancellation is emitted once as a change naming what changed, only with Emit Changes on', () => {
		const o = order('9', START + 100, START + 100);
		const a = applyPoll(initialCursor(iso(START)), [o], paidOnly);
		const cancelled = { ...o, status: 'cancelled' as const, financialStatus: 'voided' as const, updatedAt: iso(START + 900) };
		const b = applyPoll(a.next, [cancelled], paidOnly);
		expect(b.emit).toEqual([
			{ order: cancelled, event: 'changed', previous: { status: 'open', financialStatus: 'paid', fulfillmentStatus: 'unfulfilled' }, changed: ['status', 'financialStatus'] },
		]);
		expect(applyPoll(b.next, [cancelled], paidOnly).emit).toEqual([]);
		expect(applyPoll(a.next, [cancelled], { ...paidOnly, emitChanges: false }).emit).toEqual([]);
	});

	it('the next read starts an overlap before the watermark', () => {
		const state: CursorState = { ...initialCursor(iso(START)), watermark: iso(START + 3_600_000) };
		expect(readFrom(state, 600_000)).toBe(iso(START + 3_000_000));
	});

	it('a stored cursor that is not ours is not trusted', () => {
		expect(readCursor({ watermark: 5 })).toBeUndefined();
		expect(readCursor(JSON.parse(JSON.stringify(initialCursor(iso(START)))))).toEqual(initialCursor(iso(START)));
	});

	/**
	 * A store that keeps changing while the trigger polls it page by page, sometimes failing mid-read,
	 * with equal timestamps and a memory bound far smaller than the number of orders.
	 */
	it('never loses and never doubles an order, whatever the paging, failures and concurrent writes', () => {
		type Step =
			| { kind: 'create'; paid: boolean; preStart: boolean }
			| { kind: 'pay'; pick: number }
			| { kind: 'cancel'; pick: number }
			| { kind: 'touch'; pick: number }
			| { kind: 'tick'; ms: number }
			| { kind: 'poll'; pageSize: number; failAfterPage: number | null; writesDuringRead: number };
		const step: fc.Arbitrary<Step> = fc.oneof(
			fc.record({ kind: fc.constant('create' as const), paid: fc.boolean(), preStart: fc.boolean() }),
			fc.record({ kind: fc.constant('pay' as const), pick: fc.nat() }),
			fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
			fc.record({ kind: fc.constant('touch' as const), pick: fc.nat() }),
			fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 9_000 }) }),
			fc.record({
				kind: fc.constant('poll' as const), pageSize: fc.integer({ min: 1, max: 4 }),
				failAfterPage: fc.option(fc.nat({ max: 3 })), writesDuringRead: fc.nat({ max: 2 }),
			}),
		);
		fc.assert(
			fc.property(fc.array(step, { minLength: 5, maxLength: 80 }), fc.integer({ min: 3, max: 50 }), (steps, maxKnown) => {
				// Platform time moves in whole seconds, so equal timestamps are common.
				let now = START + 1000;
				const store = new Map<string, Order>();
				let nextId = 1;
				let state = initialCursor(iso(START));
				const emitted: Emitted[] = [];
				// A short overlap next to the ticks, so the memory bound really forgets orders.
				const options: CursorOptions = { ...paidOnly, maxKnown, overlapMs: 3000 };
				const ids = () => [...store.keys()];
				const write = (id: string, patch: Partial<Order>) => {
					const o = store.get(id);
					if (o) store.set(id, { ...o, ...patch, updatedAt: iso(now) });
				};
				const randomWrite = (n: number) => {
					const list = ids();
					if (list.length) write(list[n % list.length], { note: `touched ${now}` });
				};
				const poll = (pageSize: number, failAfterPage: number | null, writesDuringRead: number) => {
					const since = Date.parse(readFrom(state, options.overlapMs));
					const read: Order[] = [];
					// Keyset paging by (updatedAt, id), as the clients page: an order written during the read moves
					// behind the key and is read again later; offset paging would skip another one instead.
					let after: [number, string] = [since - 1, ''];
					for (let page = 0; ; page++) {
						const slice = [...store.values()]
							.filter((o) => {
								const t = Date.parse(o.updatedAt);
								return t > after[0] || (t === after[0] && o.channelOrderId > after[1]);
							})
							.sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || (a.channelOrderId < b.channelOrderId ? -1 : 1))
							.slice(0, pageSize);
						if (failAfterPage !== null && page === failAfterPage) return; // the poll fails: state untouched
						read.push(...slice);
						if (slice.length) after = [Date.parse(slice[slice.length - 1].updatedAt), slice[slice.length - 1].channelOrderId];
						if (writesDuringRead > 0 && page < 3) {
							now += 1000;
							randomWrite(page + writesDuringRead);
						}
						if (slice.length < pageSize) break;
					}
					const result = applyPoll(state, read, options);
					emitted.push(...result.emit);
					state = JSON.parse(JSON.stringify(result.next)) as CursorState; // through static data
				};
				for (const s of steps) {
					switch (s.kind) {
						case 'create': {
							const id = String(nextId++);
							const created = s.preStart ? START - 10_000 : now;
							store.set(id, order(id, created, now, s.paid ? {} : { financialStatus: 'pending', paidAt: null }));
							break;
						}
						case 'pay': {
							const list = ids().filter((i) => store.get(i)?.financialStatus === 'pending');
							if (list.length) write(list[s.pick % list.length], { financialStatus: 'paid', paidAt: iso(now) });
							break;
						}
						case 'cancel': {
							const list = ids();
							if (list.length) write(list[s.pick % list.length], { status: 'cancelled' });
							break;
						}
						case 'touch':
							randomWrite(s.pick);
							break;
						case 'tick':
							now += Math.floor(s.ms / 1000) * 1000;
							break;
						case 'poll':
							poll(s.pageSize, s.failAfterPage, s.writesDuringRead);
							break;
					}
				}
				now += 1000;
				poll(1000, null, 0); // a final, quiet, successful poll
				const news = emitted.filter((e) => e.event === 'new').map((e) => e.order.channelOrderId);
				const expected = [...store.values()]
					.filter((o) => Date.parse(o.createdAt) >= START && o.financialStatus === 'paid')
					.map((o) => o.channelOrderId);
				expect(new Set(news).size).toBe(news.length); // never doubled
				expect(new Set(news)).toEqual(new Set(expected)); // never lost, never a pre-start or unpaid order
				// Every cancellation of an emitted order was reported as a change.
				for (const o of store.values()) {
					if (o.status === 'cancelled' && news.includes(o.channelOrderId)) {
						const newIndex = emitted.findIndex((e) => e.event === 'new' && e.order.channelOrderId === o.channelOrderId);
						const reported = emitted.some((e) => e.order.channelOrderId === o.channelOrderId && e.order.status === 'cancelled');
						expect(reported || emitted[newIndex].order.status === 'cancelled').toBe(true);
					}
				}
			}),
			{ numRuns: 300 },
		);
	});
});
