/**
 * The marketplace simulators answer in the shapes of the platforms' official specs: every order a channel
 * reads from them (its raw payload, as the mapping receives it) is checked field by field against the
 * spec's schema. A simulator inventing a field, or a value the platform would never send, fails here.
 */
import { MARKETPLACES } from '../support/marketplaces';
import { loadSpec, specProblems } from '../support/specShape';
import type { Simulator } from './common/server';

const ORDER_SCHEMAS: Record<string, { file: string; ref: string }> = {
	ebay: { file: 'ebay-sell_fulfillment_v1_oas3.json', ref: '#/components/schemas/Order' },
	etsy: { file: 'etsy-openapi-v3.json', ref: '#/components/schemas/ShopReceipt' },
	amazon: { file: 'amazon-spapi-orders_2026-01-01.json', ref: '#/definitions/Order' },
};

describe.each(MARKETPLACES.filter((m) => ORDER_SCHEMAS[m.channel]).map((m) => [m.label, m] as const))('%s simulator', (_label, market) => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await market.demo(new Date(Date.now() - 2 * 86_400_000).toISOString(), 0);
	});
	afterAll(() => sim?.close());

	it('answers orders in the shape of the official spec, field by field', async () => {
		const { file, ref } = ORDER_SCHEMAS[market.channel];
		const spec = loadSpec(file);
		const raws: unknown[] = [];
		for await (const page of market.reader(sim).readOrders({ since: new Date(Date.now() - 3 * 86_400_000).toISOString(), by: 'created' })) raws.push(...page.map((o) => o.raw));
		expect(raws.length).toBeGreaterThan(10);
		expect(raws.flatMap((raw) => specProblems(spec, { $ref: ref }, raw))).toEqual([]);
	});
});

describe('the spec check itself', () => {
	const spec = loadSpec('ebay-sell_fulfillment_v1_oas3.json');
	it('reports a field the schema does not have, a wrong type and a value outside an enum', () => {
		expect(specProblems(spec, { $ref: '#/components/schemas/Amount' }, { value: '1.00', currency: 'USD', cents: 100 })).toEqual(['$.cents: not a field of the schema']);
		expect(specProblems(spec, { $ref: '#/components/schemas/Amount' }, { value: 1 })).toEqual(['$.value: integer where the schema says string']);
		expect(specProblems(spec, { type: 'string', enum: ['A'] }, 'B')).toEqual(['$: "B" is not one of ["A"]']);
	});
});
