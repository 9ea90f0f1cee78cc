/**
 * Order arithmetic as WooCommerce does it with its default settings (prices entered without tax, taxes
 * rounded per line — woocommerce_tax_round_at_subtotal = no — to 2 decimals, half up): line taxes per
 * rate, tax lines per rate, order totals. Everything in integer cents, so
 * total = Σ line totals + Σ fees + shipping + total_tax holds exactly.
 * Source: WC_Abstract_Order::calculate_totals / calculate_taxes / update_taxes, WC_Discounts.
 */
import type { WooCoupon, WooOrderRecord, WooTaxRate, WooTaxShare } from './types';

// Builtins bound once per module: under jest every global lookup crosses the vm context's interceptor (~1 µs).
const { floor, round, abs, sign, min } = Math;

/** A decimal string or number → integer cents, rounding half up beyond 2 decimals. */
export function toCents(value: string | number | null | undefined): number {
	if (value === null || value === undefined || value === '') return 0;
	const text = typeof value === 'number' ? String(value) : value.trim();
	const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
	if (!m) {
		const n = Number(text);
		return Number.isFinite(n) ? round(n * 100) : 0;
	}
	const sign = m[1] === '-' ? -1 : 1;
	const frac = (m[3] ?? '').padEnd(3, '0');
	let cents = Number(m[2] || '0') * 100 + Number(frac.slice(0, 2));
	if (Number(frac[2]) >= 5) cents += 1;
	return sign * cents;
}

/** Cents → "12.30" (wc_format_decimal with 2 decimals). */
export function money(cents: number): string {
	const sign = cents < 0 ? '-' : '';
	const size = abs(cents);
	return `${sign}${floor(size / 100)}.${String(size % 100).padStart(2, '0')}`;
}

/** Cents → how PHP prints the float WooCommerce stores for a tax share: "0.9", "1", "0.45". */
export function phpFloat(cents: number): string {
	return String(cents / 100);
}

/** Half-up rounding of cents × percent (rate with 4 decimals, "7.2500"). */
export function taxOn(cents: number, rate: string): number {
	const e4 = round(Number(rate) * 10_000); // 7.25 % → 72500
	const num = abs(cents) * e4;
	const q = floor(num / 1_000_000);
	const r = num - q * 1_000_000;
	return sign(cents) * (2 * r >= 1_000_000 ? q + 1 : q);
}

/**
 * Splits `amount` cents over lines in proportion to `weights`, flooring each share and handing the
 * remaining cents out one by one, largest line first (WC_Discounts::apply_coupon_remainder).
 */
export function distribute(amount: number, weights: number[]): number[] {
	const total = weights.reduce((a, b) => a + b, 0);
	if (total <= 0 || amount <= 0) return weights.map(() => 0);
	const shares = weights.map((w) => floor((amount * w) / total));
	let left = amount - shares.reduce((a, b) => a + b, 0);
	const order = weights.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
	while (left > 0) {
		let gave = false;
		for (const [w, i] of order) {
			if (left === 0) break;
			if (shares[i] < w) {
				shares[i]++;
				left--;
				gave = true;
			}
		}
		if (!gave) break;
	}
	return shares;
}

/**
 * The shop's tax table (WooCommerce → Settings → Tax → Standard / Reduced rate rates). At most one rate
 * per priority matches a location, as WooCommerce picks one per priority.
 */
export const TAX_RATES: WooTaxRate[] = [
	{ id: 1, country: 'US', state: 'CA', rate: '6.0000', name: 'CA State Tax', priority: 1, compound: false, shipping: false, class: '' },
	{ id: 2, country: 'US', state: 'CA', rate: '1.2500', name: 'County Tax', priority: 2, compound: false, shipping: false, class: '' },
	{ id: 3, country: 'US', state: 'NY', rate: '4.0000', name: 'NY State Tax', priority: 1, compound: false, shipping: true, class: '' },
	{ id: 4, country: 'GB', state: '', rate: '20.0000', name: 'VAT', priority: 1, compound: false, shipping: true, class: '' },
	{ id: 5, country: 'GB', state: '', rate: '5.0000', name: 'VAT', priority: 1, compound: false, shipping: true, class: 'reduced-rate' },
	{ id: 6, country: 'DE', state: '', rate: '19.0000', name: 'MwSt.', priority: 1, compound: false, shipping: true, class: '' },
	{ id: 7, country: 'DE', state: '', rate: '7.0000', name: 'MwSt.', priority: 1, compound: false, shipping: true, class: 'reduced-rate' },
	{ id: 8, country: 'FR', state: '', rate: '20.0000', name: 'TVA', priority: 1, compound: false, shipping: true, class: '' },
	{ id: 9, country: 'NL', state: '', rate: '21.0000', name: 'BTW', priority: 1, compound: false, shipping: true, class: '' },
	{ id: 10, country: 'CA', state: 'ON', rate: '13.0000', name: 'HST', priority: 1, compound: false, shipping: true, class: '' },
	{ id: 11, country: 'AU', state: '', rate: '10.0000', name: 'GST', priority: 1, compound: false, shipping: true, class: '' },
];

const RATES_BY_ID = new Map(TAX_RATES.map((r) => [r.id, r]));

/** WC_Tax::get_rate_code: COUNTRY-STATE-NAME-PRIORITY, upper case, empty parts left out. */
export function rateCode(rate: WooTaxRate): string {
	return [rate.country, rate.state, rate.name || 'TAX', String(rate.priority)].filter(Boolean).join('-').toUpperCase();
}

const rateCache = new Map<string, WooTaxRate[]>();

/** The rates that apply to a location and tax class (memoised; the table is fixed). */
export function ratesFor(country: string, state: string, taxClass: string, shippingOnly = false): WooTaxRate[] {
	const key = `${country}|${state}|${taxClass}|${shippingOnly ? 1 : 0}`;
	let rates = rateCache.get(key);
	if (!rates) {
		rates = TAX_RATES.filter(
			(r) => r.country === country && (r.state === '' || r.state === state) && r.class === taxClass && (!shippingOnly || r.shipping),
		);
		rateCache.set(key, rates);
	}
	return rates;
}

export const COUPONS: WooCoupon[] = [
	{ code: 'summer10', discount_type: 'percent', amount: '10' },
	{ code: 'welcome5', discount_type: 'fixed_cart', amount: '5.00' },
	{ code: 'vip20', discount_type: 'percent', amount: '20' },
	{ code: 'bfcm25', discount_type: 'percent', amount: '25' },
];

/** What the arithmetic needs to know about the items' products. */
export interface TaxContext {
	/** tax_status of the line's product: "taxable" unless the product says otherwise (or is gone). */
	taxStatusOf(productId: number, variationId: number): string;
}

/** WC_Order::get_tax_location with woocommerce_tax_based_on = shipping: shipping address, else billing, else the shop base. */
export function taxLocation(order: WooOrderRecord, base: { country: string; state: string }): { country: string; state: string } {
	if (order.shipping.country) return { country: order.shipping.country, state: order.shipping.state };
	if (order.billing.country) return { country: order.billing.country, state: order.billing.state };
	return base;
}

/**
 * Applies coupons to line totals (each coupon on what the previous ones left), writing each line's total
 * and each coupon line's discount. Percent: floor per line + remainder; fixed cart: proportional, capped.
 */
export function applyCoupons(order: WooOrderRecord, coupons: WooCoupon[]): number[][] {
	const remaining = order.line_items.map((l) => toCents(l.subtotal));
	const perCoupon: number[][] = [];
	for (const line of order.coupon_lines) {
		const coupon = coupons.find((c) => c.code === line.code);
		let shares = remaining.map(() => 0);
		if (coupon) {
			const base = remaining.reduce((a, b) => a + b, 0);
			if (coupon.discount_type === 'percent') {
				const pct = Number(coupon.amount);
				const wanted = min(base, round((base * pct) / 100));
				const floorShares = remaining.map((r) => floor((r * pct) / 100));
				const rest = wanted - floorShares.reduce((a, b) => a + b, 0);
				const extra = distribute(rest, remaining.map((r, i) => r - floorShares[i]));
				shares = floorShares.map((s, i) => s + extra[i]);
			} else {
				shares = distribute(min(base, toCents(coupon.amount)), remaining);
			}
			line.discount_type = coupon.discount_type;
			line.nominal_amount = Number(coupon.amount);
		}
		shares.forEach((s, i) => (remaining[i] -= s));
		perCoupon.push(shares);
		line.discount = money(shares.reduce((a, b) => a + b, 0));
	}
	order.line_items.forEach((l, i) => (l.total = money(remaining[i])));
	return perCoupon;
}

interface Shares {
	list: WooTaxShare[];
	/** Cents per rate, in the order of `list`. */
	cents: number[];
	total: number;
	subtotal: number;
}

function shares(cents: number, subtotalCents: number | null, rates: WooTaxRate[]): Shares {
	let total = 0;
	let subtotal = 0;
	const perRate: number[] = [];
	const list = rates.map((r) => {
		const t = taxOn(cents, r.rate);
		const s = subtotalCents === null ? 0 : taxOn(subtotalCents, r.rate);
		total += t;
		subtotal += s;
		perRate.push(t);
		return { id: r.id, total: phpFloat(t), subtotal: subtotalCents === null ? '' : phpFloat(s) };
	});
	return { list, cents: perRate, total, subtotal };
}

/**
 * WC_Abstract_Order::calculate_totals(true): taxes for every line, fee and shipping line from the tax
 * location, tax lines per rate (keeping the ids of rates already present), then the order totals.
 * `nextItemId` allocates ids for new tax lines; `couponShares` (from applyCoupons) sets the coupons' discount_tax.
 */
export function calculateTotals(
	order: WooOrderRecord,
	ctx: TaxContext,
	base: { country: string; state: string },
	nextItemId: () => number,
	couponShares?: number[][],
): void {
	const where = taxLocation(order, base);
	const cartTaxByRate = new Map<number, number>();
	const shippingTaxByRate = new Map<number, number>();
	const add = (map: Map<number, number>, t: Shares) => {
		for (let i = 0; i < t.list.length; i++) map.set(t.list[i].id, (map.get(t.list[i].id) ?? 0) + t.cents[i]);
	};

	let subtotal = 0;
	let linesTotal = 0;
	let subtotalTax = 0;
	let linesTax = 0;
	const couponTax = order.coupon_lines.map(() => 0);
	order.line_items.forEach((line, i) => {
		const sub = toCents(line.subtotal);
		const tot = toCents(line.total);
		const taxable = ctx.taxStatusOf(line.product_id, line.variation_id) === 'taxable';
		const rates = taxable ? ratesFor(where.country, where.state, line.tax_class) : [];
		const t = shares(tot, sub, rates);
		line.taxes = t.list;
		line.subtotal_tax = money(t.subtotal);
		line.total_tax = money(t.total);
		line.price = line.quantity ? tot / 100 / line.quantity : 0;
		add(cartTaxByRate, t);
		subtotal += sub;
		linesTotal += tot;
		subtotalTax += t.subtotal;
		linesTax += t.total;
		couponShares?.forEach((perLine, c) => {
			for (const r of rates) couponTax[c] += taxOn(perLine[i] ?? 0, r.rate);
		});
	});
	let fees = 0;
	for (const fee of order.fee_lines) {
		const tot = toCents(fee.total);
		const rates = fee.tax_status === 'taxable' ? ratesFor(where.country, where.state, fee.tax_class) : [];
		const t = shares(tot, null, rates);
		fee.taxes = t.list;
		fee.total_tax = money(t.total);
		add(cartTaxByRate, t);
		fees += tot;
	}
	let shipping = 0;
	for (const ship of order.shipping_lines) {
		const tot = toCents(ship.total);
		const t = shares(tot, null, ratesFor(where.country, where.state, '', true));
		ship.taxes = t.list;
		ship.total_tax = money(t.total);
		add(shippingTaxByRate, t);
		shipping += tot;
	}
	if (couponShares) order.coupon_lines.forEach((c, i) => (c.discount_tax = money(couponTax[i])));

	// update_taxes(): one tax line per rate, existing ones kept (same id), stale ones removed.
	const rateIds = [...new Set([...cartTaxByRate.keys(), ...shippingTaxByRate.keys()])].sort((a, b) => a - b);
	const existing = new Map(order.tax_lines.map((t) => [t.rate_id, t]));
	order.tax_lines = rateIds.map((rateId) => {
		const rate = RATES_BY_ID.get(rateId)!;
		const line = existing.get(rateId) ?? {
			id: nextItemId(), rate_code: rateCode(rate), rate_id: rateId, label: rate.name, compound: rate.compound,
			tax_total: '0.00', shipping_tax_total: '0.00', rate_percent: Number(rate.rate), meta_data: [],
		};
		line.tax_total = money(cartTaxByRate.get(rateId) ?? 0);
		line.shipping_tax_total = money(shippingTaxByRate.get(rateId) ?? 0);
		return line;
	});

	const cartTax = [...cartTaxByRate.values()].reduce((a, b) => a + b, 0);
	const shippingTax = [...shippingTaxByRate.values()].reduce((a, b) => a + b, 0);
	order.discount_total = money(subtotal - linesTotal);
	order.discount_tax = money(subtotalTax - linesTax);
	order.shipping_total = money(shipping);
	order.shipping_tax = money(shippingTax);
	order.cart_tax = money(cartTax);
	order.total_tax = money(cartTax + shippingTax);
	order.total = money(linesTotal + fees + shipping + cartTax + shippingTax);
}
