/**
 * Money as integer minor units with the ISO 4217 exponent of its currency. Conversions from the
 * platforms' decimal strings are exact (string arithmetic, never a float product); sums are integer sums.
 */
import { InputError } from './errors';

/** ISO 4217 active codes whose exponent is not 2. */
const EXPONENT_EXCEPTIONS: Record<string, number> = {
	BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0,
	VUV: 0, XAF: 0, XOF: 0, XPF: 0,
	BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
	CLF: 4, UYW: 4,
};

/** ISO 4217 active codes with exponent 2 (list A.1, 2024 edition; precious metals and fund codes left out). */
const TWO_DECIMAL_CODES = (
	'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE ' +
	'CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL ' +
	'HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR ' +
	'MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK ' +
	'SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD ' +
	'XCG YER ZAR ZMW ZWG'
).split(' ');

const EXPONENTS: Record<string, number> = { ...EXPONENT_EXCEPTIONS };
for (const code of TWO_DECIMAL_CODES) EXPONENTS[code] = 2;

export function isKnownCurrency(code: unknown): code is string {
	return typeof code === 'string' && Object.prototype.hasOwnProperty.call(EXPONENTS, code);
}

/** The number of digits after the decimal point in the currency's minor unit. */
export function currencyExponent(code: string, field = 'currency'): number {
	if (!isKnownCurrency(code)) {
		throw new InputError(
			field,
			`"${String(code)}" is not an ISO 4217 currency code`,
			'use a three-letter upper-case code such as USD, EUR, JPY or KWD',
		);
	}
	return EXPONENTS[code];
}

export type Rounding = 'halfUp' | 'halfEven' | 'down' | 'up';

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Converts a decimal amount ("12.30", "1e2", 12.3) to integer minor units of `currency`.
 * Digits beyond the exponent are rounded as asked (half-up by default), never through a float product.
 */
export function toMinor(
	amount: string | number,
	currency: string,
	options: { field?: string; rounding?: Rounding } = {},
): number {
	const field = options.field ?? 'amount';
	const exponent = currencyExponent(currency, 'currency');
	const text = typeof amount === 'number' ? numberToText(amount, field) : amount.trim();
	const match = DECIMAL.exec(text);
	if (!match || (match[2] === '' && (match[3] === undefined || match[3] === ''))) {
		throw new InputError(field, `"${String(amount)}" is not a decimal amount`, 'give a number such as 12.30');
	}
	const negative = match[1] === '-';
	let intDigits = match[2] || '0';
	let fracDigits = match[3] ?? '';
	// Shift the decimal point by the scientific exponent, exactly, on the digit strings.
	let shift = match[4] ? parseInt(match[4], 10) : 0;
	shift += exponent;
	if (shift >= 0) {
		fracDigits = fracDigits.padEnd(shift, '0');
		intDigits += fracDigits.slice(0, shift);
		fracDigits = fracDigits.slice(shift);
	} else {
		intDigits = intDigits.padStart(-shift + 1, '0');
		fracDigits = intDigits.slice(intDigits.length + shift) + fracDigits;
		intDigits = intDigits.slice(0, intDigits.length + shift);
	}
	let units = BigInt(intDigits || '0');
	if (/[1-9]/.test(fracDigits)) {
		units = roundUnits(units, fracDigits, negative, options.rounding ?? 'halfUp');
	}
	const result = Number(negative ? -units : units);
	if (!Number.isSafeInteger(result)) {
		throw new InputError(field, `${String(amount)} ${currency} is too large`, 'check the amount');
	}
	return result === 0 ? 0 : result;
}

function roundUnits(units: bigint, rest: string, negative: boolean, rounding: Rounding): bigint {
	const first = rest.charCodeAt(0) - 48;
	const beyondHalf = /[1-9]/.test(rest.slice(1));
	let up: boolean;
	switch (rounding) {
		case 'down':
			up = false; // toward zero
			break;
		case 'up':
			up = true; // away from zero
			break;
		case 'halfEven':
			up = first > 5 || (first === 5 && (beyondHalf || units % 2n === 1n));
			break;
		default:
			up = first >= 5;
	}
	void negative; // rounding is symmetric around zero: magnitudes are rounded, the sign is applied after
	return up ? units + 1n : units;
}

function numberToText(value: number, field: string): string {
	if (!Number.isFinite(value)) {
		throw new InputError(field, `${value} is not a finite amount`, 'give a number such as 12.30');
	}
	return String(value);
}

/** How a channel's order mapping reads amounts: the order's currency and each decimal amount in minor units. */
export interface OrderAmounts {
	/** The order's currency, or XXX when the channel gave no ISO 4217 code (every amount then reads 0). */
	currency: string;
	known: boolean;
	/**
	 * A decimal amount in minor units; 0 when absent or when the currency is unknown. An amount with more
	 * decimals than the currency has is rounded half up, and the rounding is noted in `problems`.
	 */
	minor(value: string | number | null | undefined, field: string): number;
}

/** Amounts of one order whose currency the channel gave as `given`; what looks wrong goes into `problems`. */
export function orderAmounts(given: unknown, problems: string[]): OrderAmounts {
	const known = isKnownCurrency(given);
	const currency = known ? given : 'XXX';
	if (!known) problems.push(`currency "${String(given)}" is not an ISO 4217 code; amounts were not converted`);
	return {
		currency,
		known,
		minor(value, field) {
			if (!known || value === undefined || value === null || String(value).trim() === '') return 0;
			const rounded = toMinor(value, currency, { field });
			if (toMinor(value, currency, { field, rounding: 'down' }) !== toMinor(value, currency, { field, rounding: 'up' })) {
				problems.push(`${field} ${String(value)} has more decimals than ${currency} allows; rounded to ${fromMinor(rounded, currency)}`);
			}
			return rounded;
		},
	};
}

/** Formats minor units as the currency's decimal string: 1230 USD → "12.30", 5 JPY → "5", -5 KWD → "-0.005". */
export function fromMinor(minor: number, currency: string): string {
	const exponent = currencyExponent(currency);
	const negative = minor < 0;
	const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
	const text = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
	return negative ? `-${text}` : text;
}

/**
 * Splits `total` minor units into parts proportional to `weights`, exactly: the parts always sum to
 * `total`. Each part gets the floor of its share; the units left over go one each to the largest
 * remainders (ties: earlier index first). Weights must be non-negative; all-zero weights split evenly.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
	const n = weights.length;
	if (n === 0) return [];
	const sign = total < 0 ? -1 : 1;
	const magnitude = Math.abs(total);
	let sum = 0;
	for (const w of weights) sum += w;
	const effective = sum > 0 ? weights : weights.map(() => 1);
	const weightSum = sum > 0 ? sum : n;
	const parts = new Array<number>(n);
	const remainders = new Array<number>(n);
	let given = 0;
	const safe = Number.isSafeInteger(magnitude * weightSum);
	for (let i = 0; i < n; i++) {
		let q: number;
		let r: number;
		if (safe) {
			const product = magnitude * effective[i];
			q = Math.floor(product / weightSum);
			r = product - q * weightSum;
		} else {
			const product = BigInt(magnitude) * BigInt(effective[i]);
			q = Number(product / BigInt(weightSum));
			r = Number(product % BigInt(weightSum));
		}
		parts[i] = q;
		remainders[i] = r;
		given += q;
	}
	let left = magnitude - given;
	if (left > 0) {
		const order = remainders.map((_, i) => i).sort((a, b) => remainders[b] - remainders[a] || a - b);
		for (let k = 0; left > 0; k++, left--) parts[order[k % n]] += 1;
	}
	return sign < 0 ? parts.map((p) => (p === 0 ? 0 : -p)) : parts;
}

/**
 * A rate given as a decimal percentage ("20", "7.25", 8.875) held exactly as numerator / denominator,
 * so tax = base × rate is computed in integers.
 */
export interface Rate {
	numerator: bigint;
	denominator: bigint;
	/** The percentage as the user wrote it, for labels and traces. */
	percent: string;
}

export function parseRate(percent: string | number, field = 'rate'): Rate {
	const text = typeof percent === 'number' ? numberToText(percent, field) : percent.trim();
	const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
	if (!match) {
		throw new InputError(field, `"${String(percent)}" is not a percentage`, 'give a rate such as 20 or 7.25 (no % sign)');
	}
	const frac = match[2] ?? '';
	return {
		numerator: BigInt(match[1] + frac),
		denominator: 100n * 10n ** BigInt(frac.length),
		percent: frac ? `${match[1]}.${frac}` : match[1],
	};
}

/** Divides two non-negative big integers, rounding half up. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
	const q = numerator / denominator;
	return (numerator % denominator) * 2n >= denominator ? q + 1n : q;
}

/** Tax added on top of a net amount: round(net × rate). */
export function taxOnNet(net: number, rate: Rate): number {
	const sign = net < 0 ? -1n : 1n;
	const magnitude = BigInt(Math.abs(net));
	return Number(sign * divideHalfUp(magnitude * rate.numerator, rate.denominator));
}

/** Tax contained in a gross amount: round(gross × r / (1 + r)). */
export function taxInGross(gross: number, rate: Rate): number {
	const sign = gross < 0 ? -1n : 1n;
	const magnitude = BigInt(Math.abs(gross));
	return Number(sign * divideHalfUp(magnitude * rate.numerator, rate.denominator + rate.numerator));
}
