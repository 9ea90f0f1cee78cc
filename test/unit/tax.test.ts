import fc from 'fast-check';
import { totalsMismatches } from '../../core/order';
import { readTaxRules, splitTax } from '../../core/tax';
import type { TaxRuleInput } from '../../core/tax';
import { line, order, shipping } from './support';

const rules = (input: Partial<TaxRuleInput> = {}) =>
	readTaxRules({ mode: 'applyRate', rate: 20, label: 'VAT', pricesIncludeTax: true, addShippingTax: false, overrideChannelTax: false, ...input });
const lineTax = (o: ReturnType<typeof splitTax>['order']) => o.lines.map((l) => l.taxLines.reduce((s, t) => s + t.amount, 0));

describe('Split Tax', () => {
	it('20% VAT inside a 100.00 order is 16.67', () => {
		const { order: o, taxDecision } = splitTax(order([line('A', 1, 10000)]), rules());
		expect(o.totals).toMatchObject({ tax: 1667, total: 10000 });
		expect(o.taxesIncluded).toBe(true);
		expect(o.lines[0].taxLines).toEqual([{ title: 'VAT', ratePercent: '20', amount: 1667, collector: 'seller' }]);
		expect(taxDecision).toBe('20% VAT included: 1667 of 10000');
	});

	it('tax added on top raises the total by exactly the tax', () => {
		const { order: o } = splitTax(order([line('A', 3, 999)]), rules({ pricesIncludeTax: false, rate: '7.25' }));
		expect(o.totals).toMatchObject({ subtotal: 2997, tax: 217, total: 3214 });
	});

	it('line taxes always add up to the order tax, the remainder going to the largest fractions', () => {
		const { order: o } = splitTax(order([line('A', 1, 100), line('B', 1, 100), line('C', 1, 100)]), rules({ rate: 10, pricesIncludeTax: false }));
		expect(lineTax(o)).toEqual([10, 10, 10]);
		const odd = splitTax(order([line('A', 1, 333), line('B', 1, 333), line('C', 1, 334)]), rules({ rate: 5, pricesIncludeTax: false })).order;
		expect(odd.totals.tax).toBe(50);
		expect(lineTax(odd).reduce((a, b) => a + b, 0)).toBe(50);
	});

	it('shipping carries tax only when asked', () => {
		const base = order([line('A', 1, 1000)], { shippingLines: [shipping(500)] });
		expect(splitTax(base, rules({ pricesIncludeTax: false })).order.totals.tax).toBe(200);
		const withShipping = splitTax(base, rules({ pricesIncludeTax: false, addShippingTax: true })).order;
		expect(withShipping.totals.tax).toBe(300);
		expect(withShipping.shippingLines[0].taxLines[0].amount).toBe(100);
	});

	it('channel tax lines are kept unless overridden', () => {
		const taxed = order([line('A', 1, 1000, { taxLines: [{ title: 'State Tax', ratePercent: '7.5', amount: 75, collector: 'seller' }] })]);
		expect(splitTax(taxed, rules())).toEqual({ order: taxed, taxDecision: 'kept channel tax' });
		const overridden = splitTax(taxed, rules({ overrideChannelTax: true, pricesIncludeTax: false })).order;
		expect(overridden.lines[0].taxLines).toEqual([{ title: 'VAT', ratePercent: '20', amount: 200, collector: 'seller' }]);
	});

	it('marketplace-collected tax is never the seller\'s and never replaced', () => {
		const mp = { title: 'eBay collected tax', ratePercent: null, amount: 80, collector: 'marketplace' as const };
		const o = order([line('A', 1, 1000, { taxLines: [mp] })]);
		const { order: out } = splitTax(o, rules({ pricesIncludeTax: false }));
		expect(out.lines[0].taxLines).toEqual([mp, { title: 'VAT', ratePercent: '20', amount: 200, collector: 'seller' }]);
		expect(splitTax(o, rules({ mode: 'removeTax' })).order.lines[0].taxLines).toEqual([mp]);
	});

	it('a per-country table picks the rate by the shipping address', () => {
		const r = rules({ pricesIncludeTax: true, ratesByCountry: [{ country: 'de', rate: 19, label: 'MwSt' }, { country: 'FR', rate: '5.5' }] });
		const de = splitTax(order([line('A', 1, 11900)], { shippingAddress: { ...order([]).shippingAddress!, countryCode: 'DE' } }), r);
		expect(de.order.lines[0].taxLines[0]).toMatchObject({ title: 'MwSt', ratePercent: '19', amount: 1900 });
		const us = splitTax(order([line('A', 1, 12000)]), r);
		expect(us.order.totals.tax).toBe(2000);
	});

	it('import without tax nets included prices to the cent', () => {
		const vat = (amount: number) => [{ title: 'VAT', ratePercent: '20', amount, collector: 'seller' as const }];
		const o = order([line('A', 3, 1000, { taxLines: vat(500) }), line('B', 1, 1200, { taxLines: vat(200) })], {
			taxesIncluded: true, shippingLines: [shipping(600, { taxLines: vat(100) })],
		});
		const { order: out, taxDecision } = splitTax(o, rules({ mode: 'removeTax' }));
		expect(out.lines.map((l) => l.unitPrice * l.quantity - l.discount)).toEqual([2500, 1000]);
		expect(out.lines[0]).toMatchObject({ unitPrice: 834, discount: 2 });
		expect(out.shippingLines[0].price).toBe(500);
		expect(out.totals).toMatchObject({ tax: 0, total: 4800 - 800 }); // 3 × 10.00 + 12.00 + 6.00 shipping, less 8.00 tax
		expect(out.taxesIncluded).toBe(false);
		expect(taxDecision).toBe('removed tax: 800 (channel tax)');
		expect(totalsMismatches(out)).toEqual([]);
	});

	it('import without tax on added tax lowers the total by the tax', () => {
		const o = order([line('A', 1, 1000, { taxLines: [{ title: 'Tax', ratePercent: null, amount: 80, collector: 'seller' }] })]);
		expect(splitTax(o, rules({ mode: 'removeTax' })).order.totals).toMatchObject({ tax: 0, total: 1000 });
	});

	it('three-decimal and zero-decimal currencies stay exact', () => {
		expect(splitTax(order([line('A', 1, 10000)], { currency: 'KWD' }), rules({ rate: 5 })).order.totals.tax).toBe(476);
		expect(splitTax(order([line('A', 1, 1000)], { currency: 'JPY' }), rules({ rate: 10 })).order.totals.tax).toBe(91);
	});

	it('refuses a rate that is not a percentage, saying how to write one', () => {
		expect(() => rules({ rate: '20%' })).toThrow('rate: "20%" is not a percentage');
		expect(() => rules({ ratesByCountry: [{ country: 'Germany', rate: 19 }] })).toThrow(/two-letter country code/);
	});

	describe('properties', () => {
		const anyOrder = fc
			.record({
				lines: fc.array(fc.record({ q: fc.integer({ min: 1, max: 20 }), p: fc.integer({ min: 0, max: 500_000 }), d: fc.nat(100) }), { minLength: 1, maxLength: 8 }),
				ship: fc.nat(5000),
				currency: fc.constantFrom('USD', 'JPY', 'KWD', 'EUR'),
			})
			.map(({ lines, ship, currency }) =>
				order(lines.map((l, i) => line(`S${i}`, l.q, l.p, { discount: Math.min(l.d, l.p * l.q) })), { currency, shippingLines: [shipping(ship)] }),
			);
		const anyRules = fc.record({
			rate: fc.double({ min: 0, max: 40, noNaN: true }).map((r) => r.toFixed(3)),
			pricesIncludeTax: fc.boolean(),
			addShippingTax: fc.boolean(),
		});

		it('line and shipping taxes always sum exactly to the order tax and totals reconcile', () => {
			fc.assert(fc.property(anyOrder, anyRules, (o, r) => {
				const { order: out } = splitTax(o, rules(r));
				const parts = [...out.lines, ...out.shippingLines].flatMap((l) => l.taxLines).reduce((s, t) => s + t.amount, 0);
				expect(parts).toBe(out.totals.tax);
				expect(totalsMismatches(out)).toEqual([]);
				if (r.pricesIncludeTax) expect(out.totals.total).toBe(o.totals.total);
			}));
		});

		it('removing tax it added gives the net prices back, exactly', () => {
			fc.assert(fc.property(anyOrder, anyRules, (o, r) => {
				const taxed = splitTax(o, rules(r)).order;
				const net = splitTax(taxed, rules({ ...r, mode: 'removeTax' })).order;
				expect(net.totals.tax).toBe(0);
				expect(totalsMismatches(net)).toEqual([]);
				expect(net.totals.total).toBe(taxed.totals.total - (taxed.taxesIncluded ? taxed.totals.tax : taxed.totals.tax));
			}));
		});

		it('is deterministic and never changes its input', () => {
			fc.assert(fc.property(anyOrder, anyRules, (o, r) => {
				const copy = structuredClone(o);
				expect(splitTax(o, rules(r))).toEqual(splitTax(o, rules(r)));
				expect(o).toEqual(copy);
			}));
		});
	});
});
