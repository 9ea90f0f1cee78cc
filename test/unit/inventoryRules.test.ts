import fc from 'fast-check';
import { DEFAULT_FIELDS, applyInventoryRules, validateRuleConfig } from '../../core/inventoryRules';
import type { RuleConfig } from '../../core/inventoryRules';

const config = (rules: Partial<RuleConfig> = {}): RuleConfig => ({
	keepListingActive: false, negativeQuantities: 'error', overrides: {}, overrideField: 'inventoryRule', fields: DEFAULT_FIELDS, ...rules,
});
const one = (record: Record<string, unknown>, rules: Partial<RuleConfig> = {}) => {
	const [outcome] = applyInventoryRules([record], config({ negativeQuantities: 'zero', ...rules }));
	if (!outcome.ok) throw outcome.error;
	return outcome.value;
};

describe('Apply Inventory Rules', () => {
	it('explains a channel showing 40 with its trace: 100 → 50% → 50 → max 40 → 40', () => {
		expect(one({ sku: 'A', quantity: 100 }, { percentage: 50, maximum: 40 })).toMatchObject({
			mainStoreQuantity: 100, channelQuantity: 40, listingStatus: 'active', ruleTrace: '100 → 50% → 50 → max 40 → 40',
		});
	});

	it('rounds a percentage down by default, never showing a unit that is not there', () => {
		expect(one({ sku: 'A', quantity: 5 }, { percentage: 50 }).channelQuantity).toBe(2);
		expect(one({ sku: 'A', quantity: 5 }, { percentage: 50, rounding: 'up' }).channelQuantity).toBe(3);
		expect(one({ sku: 'A', quantity: 5 }, { percentage: 50, rounding: 'nearest' }).channelQuantity).toBe(3);
		expect(one({ sku: 'A', quantity: 3 }, { percentage: 33.3333, rounding: 'nearest' }).channelQuantity).toBe(1);
	});

	it('allows percentages over 100 for channels that may oversell', () => {
		expect(one({ sku: 'A', quantity: 10 }, { percentage: 150 }).channelQuantity).toBe(15);
	});

	it('buffer stock hides the last units, even over a minimum', () => {
		expect(one({ sku: 'A', quantity: 3 }, { threshold: 3, minimum: 2 })).toMatchObject({
			channelQuantity: 0, listingStatus: 'outOfStock', ruleTrace: '3 → at or below threshold 3 → 0',
		});
		expect(one({ sku: 'A', quantity: 4 }, { threshold: 3 }).channelQuantity).toBe(4);
	});

	it('shows a fixed quantity for products whose stock is not tracked', () => {
		expect(one({ sku: 'A', quantity: -7, stockManaged: false }, { fixedQuantity: 99, maximum: 5 })).toMatchObject({
			channelQuantity: 99, ruleTrace: '-7 → not stock-managed → fixed 99',
		});
	});

	it('keeps a listing at 0 active when Keep Listing Active is on', () => {
		expect(one({ sku: 'A', quantity: 0 }, { keepListingActive: true }).listingStatus).toBe('active');
		expect(one({ sku: 'A', quantity: 0 }).listingStatus).toBe('outOfStock');
	});

	it('a draft or archived product is inactive on the channel whatever its stock', () => {
		expect(one({ sku: 'A', quantity: 9, productStatus: 'draft' }).listingStatus).toBe('inactive');
		expect(one({ sku: 'A', quantity: 9, productStatus: 'ACTIVE' }).listingStatus).toBe('active');
	});

	it('a bundle shows what its scarcest component allows', () => {
		const outcomes = applyInventoryRules(
			[
				{ sku: 'KIT', quantity: 50, bundleComponents: [{ sku: 'MUG', quantity: 2 }, { sku: 'BOX', quantity: 1 }] },
				{ sku: 'MUG', quantity: 7 },
				{ sku: 'BOX', quantity: 10 },
			],
			config(),
		);
		expect(outcomes[0]).toMatchObject({ ok: true, value: { channelQuantity: 3, ruleTrace: 'bundle min(MUG 7/2=3, BOX 10/1=10) → 3' } });
	});

	it('applies the rules to each location on its own, for channels whose locations are mapped', () => {
		const at = (name: string, quantity: number) => ({ locationId: name, locationName: name, quantity });
		const result = one({ sku: 'A', quantity: 13, locations: [at('East', 10), at('West', 3), at('Oversold', -2)] }, { percentage: 50, threshold: 2, minimum: 1 });
		expect(result.channelQuantity).toBe(6);
		expect((result.locations as Array<{ channelQuantity: number }>).map((l) => l.channelQuantity)).toEqual([5, 1, 0]);
		// A bundle at a location is what its components' stock at that location allows.
		const [bundle] = applyInventoryRules([
			{ sku: 'KIT', quantity: 0, locations: [at('East', 0), at('West', 0)], bundleComponents: [{ sku: 'P', quantity: 2 }, { sku: 'Q', quantity: 1 }] },
			{ sku: 'P', quantity: 9, locations: [at('East', 8), at('West', 1)] },
			{ sku: 'Q', quantity: 5, locations: [at('East', 3), at('West', 2)] },
		], config()).filter((o) => o.ok).map((o) => (o as { value: Record<string, unknown> }).value);
		expect([bundle.channelQuantity, (bundle.locations as Array<{ channelQuantity: number }>).map((l) => l.channelQuantity)]).toEqual([4, [3, 0]]);
	});

	it('a bundle whose component is missing fails alone, naming both SKUs', () => {
		const outcomes = applyInventoryRules(
			[{ sku: 'KIT', quantity: 1, bundleComponents: [{ sku: 'GONE', quantity: 1 }] }, { sku: 'OK', quantity: 4 }],
			config(),
		);
		expect(outcomes[0].ok).toBe(false);
		expect(!outcomes[0].ok && outcomes[0].error.problem).toBe('bundle KIT needs component GONE, which is not among the input items');
		expect(outcomes[1]).toMatchObject({ ok: true, value: { channelQuantity: 4 } });
	});

	it('per-SKU overrides win over defaults, and the item\'s own field wins over the table', () => {
		const outcomes = applyInventoryRules(
			[{ sku: 'A', quantity: 100 }, { sku: 'B', quantity: 100 }, { sku: 'B', quantity: 100, inventoryRule: { maximum: 3 } }],
			config({ maximum: 50, overrides: { B: { maximum: 10 } } }),
		);
		expect(outcomes.map((o) => o.ok && o.value.channelQuantity)).toEqual([50, 10, 3]);
	});

	it('reports oversold stock instead of guessing, unless told to treat it as 0', () => {
		const [bad] = applyInventoryRules([{ sku: 'A', quantity: -2 }], config());
		expect(one({ sku: 'U', quantity: -4, stockManaged: false }).channelQuantity).toBe(0);
		expect(bad.ok).toBe(false);
		expect(!bad.ok && bad.error.fix).toMatch(/Treat as 0/);
		expect(one({ sku: 'A', quantity: -2 }, { negativeQuantities: 'zero' })).toMatchObject({ channelQuantity: 0, ruleTrace: '-2 (oversold) → 0' });
	});

	it('names the field when quantity is missing or not a number', () => {
		const outcomes = applyInventoryRules([{ sku: 'A' }, { sku: 'B', quantity: 'lots' }, { sku: 'C', quantity: '12' }], config());
		expect(!outcomes[0].ok && outcomes[0].error.field).toBe('quantity');
		expect(!outcomes[1].ok && outcomes[1].error.problem).toBe('"lots" is not a number');
		expect(outcomes[2]).toMatchObject({ ok: true, value: { channelQuantity: 12 } });
	});

	it('refuses impossible rules (minimum above maximum) before touching any item', () => {
		expect(() => validateRuleConfig(config({ minimum: 10, maximum: 5 }))).toThrow('is 10, above the maximum 5: impossible rules');
		expect(() => validateRuleConfig(config({ percentage: -5 }))).toThrow(/not a percentage/);
		expect(() => validateRuleConfig(config({ overrides: { X: { minimum: 9 } }, maximum: 4 }))).toThrow(/overrides\[X\]\.minimum/);
	});

	it('reads other field names when items come from elsewhere', () => {
		const fields = { ...DEFAULT_FIELDS, sku: 'code', quantity: 'stock' };
		expect(one({ code: 'A', stock: 8 }, { fields, maximum: 5 }).channelQuantity).toBe(5);
	});

	describe('properties', () => {
		const rules = fc.record(
			{
				percentage: fc.double({ min: 0, max: 300, noNaN: true }).map((p) => Math.round(p * 100) / 100),
				rounding: fc.constantFrom('up' as const, 'down' as const, 'nearest' as const),
				maximum: fc.nat(1000),
				minimum: fc.nat(50),
				threshold: fc.nat(20),
				fixedQuantity: fc.nat(500),
			},
			{ requiredKeys: [] },
		).filter((r) => r.minimum === undefined || r.maximum === undefined || r.minimum <= r.maximum);
		const record = fc.record({ sku: fc.string(), quantity: fc.integer({ min: -50, max: 1_000_000 }), stockManaged: fc.boolean() });

		it('never shows a negative or fractional quantity', () => {
			fc.assert(fc.property(record, rules, (r, rl) => {
				const q = one(r, rl).channelQuantity as number;
				return Number.isInteger(q) && q >= 0;
			}));
		});

		it('is deterministic and never changes its input', () => {
			fc.assert(fc.property(record, rules, (r, rl) => {
				const copy = structuredClone(r);
				const a = one(r, rl);
				const b = one(r, rl);
				expect(r).toEqual(copy);
				expect(a).toEqual(b);
			}));
		});

		it('respects the maximum unless the product is untracked with a fixed quantity', () => {
			fc.assert(fc.property(record, rules, (r, rl) => {
				const q = one(r, rl).channelQuantity as number;
				const fixed = !r.stockManaged && rl.fixedQuantity !== undefined;
				return fixed || rl.maximum === undefined || q <= rl.maximum;
			}));
		});

		it('a bundle never shows more than any component allows', () => {
			fc.assert(fc.property(fc.array(fc.record({ q: fc.nat(1000), units: fc.integer({ min: 1, max: 9 }) }), { minLength: 1, maxLength: 5 }), (parts) => {
				const records = [
					{ sku: 'KIT', quantity: 0, bundleComponents: parts.map((p, i) => ({ sku: `C${i}`, quantity: p.units })) },
					...parts.map((p, i) => ({ sku: `C${i}`, quantity: p.q })),
				];
				const [kit] = applyInventoryRules(records, config());
				return kit.ok && parts.every((p) => (kit.value.channelQuantity as number) <= Math.floor(p.q / p.units));
			}));
		});
	});
});
