import fc from 'fast-check';
import { allocate, currencyExponent, fromMinor, orderAmounts, parseRate, taxInGross, taxOnNet, toMinor } from '../../core/money';

describe('money in minor units', () => {
	it('converts the platforms\' decimal strings exactly, by the currency\'s exponent', () => {
		expect(toMinor('12.30', 'USD')).toBe(1230);
		expect(toMinor('500', 'JPY')).toBe(500);
		expect(toMinor('1.250', 'KWD')).toBe(1250);
		expect(toMinor(0.1 + 0.2, 'USD')).toBe(30); // 0.30000000000000004 rounds half up to 30
		expect(toMinor('1e2', 'USD')).toBe(10000);
		expect(toMinor('-0.005', 'USD')).toBe(-1);
	});

	it('rounds digits beyond the exponent as asked', () => {
		expect(toMinor('12.345', 'USD')).toBe(1235);
		expect(toMinor('12.345', 'USD', { rounding: 'halfEven' })).toBe(1234);
		expect(toMinor('12.355', 'USD', { rounding: 'halfEven' })).toBe(1236);
		expect(toMinor('12.349', 'USD', { rounding: 'down' })).toBe(1234);
		expect(toMinor('12.341', 'USD', { rounding: 'up' })).toBe(1235);
	});

	it('formats back without floats', () => {
		expect(fromMinor(1230, 'USD')).toBe('12.30');
		expect(fromMinor(5, 'JPY')).toBe('5');
		expect(fromMinor(-5, 'KWD')).toBe('-0.005');
	});

	it('names an unknown currency and how to fix it', () => {
		expect(() => currencyExponent('usd')).toThrow('currency: "usd" is not an ISO 4217 currency code');
		expect(() => toMinor('abc', 'USD', { field: 'price' })).toThrow('price: "abc" is not a decimal amount');
	});

	it('round-trips every amount', () => {
		fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'), (minor, c) => toMinor(fromMinor(minor, c), c) === minor));
	});

	it('allocates exactly, never negative, each part within one unit of its share', () => {
		fc.assert(fc.property(fc.nat(10_000_000), fc.array(fc.nat(1_000_000), { minLength: 1, maxLength: 30 }), (total, weights) => {
			const parts = allocate(total, weights);
			const sum = weights.reduce((a, b) => a + b, 0);
			expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
			parts.forEach((p, i) => {
				expect(p).toBeGreaterThanOrEqual(0);
				const share = sum > 0 ? (total * weights[i]) / sum : total / weights.length;
				expect(Math.abs(p - share)).toBeLessThan(1.000001);
			});
		}));
	});

	it('computes tax from exact rates', () => {
		const vat = parseRate('20');
		expect(taxOnNet(1000, vat)).toBe(200);
		expect(taxInGross(10000, vat)).toBe(1667);
		expect(taxOnNet(999, parseRate('7.25'))).toBe(72);
		expect(() => parseRate('-3')).toThrow(/not a percentage/);
	});
});

describe('orderAmounts: how a channel mapping reads an order\'s amounts', () => {
	it('rounds an amount the currency cannot hold half up and says so, in the currency\'s own notation', () => {
		const problems: string[] = [];
		const amounts = orderAmounts('USD', problems);
		expect([amounts.minor('12.345', 'lines[0].price'), amounts.minor('12.3400', 'lines[1].price'), amounts.minor(undefined, 'x'), amounts.minor('', 'y')]).toEqual([1235, 1234, 0, 0]);
		expect(problems).toEqual(['lines[0].price 12.345 has more decimals than USD allows; rounded to 12.35']);
	});

	it('reads nothing from an order whose currency is not ISO 4217, and says why once', () => {
		const problems: string[] = [];
		const amounts = orderAmounts('DOLLARS', problems);
		expect([amounts.currency, amounts.known, amounts.minor('5.00', 'total')]).toEqual(['XXX', false, 0]);
		expect(problems).toEqual(['currency "DOLLARS" is not an ISO 4217 code; amounts were not converted']);
	});
});
