/**
 * Split Tax (LitCommerce's Tax Rules): put tax on orders the way the main store's books need it, or take
 * it out ("Import Orders Without Tax"). The order's tax is computed once, on the sum of its taxable
 * amounts, then allocated to lines (and shipping) by largest remainder, so line taxes always add up
 * exactly to the order's tax and totals reconcile to the cent. Marketplace-collected tax (eBay, Amazon,
 * Etsy remit it themselves) is never touched and never counted as the seller's.
 */
import { InputError } from './errors';
import { allocate, parseRate, taxInGross, taxOnNet } from './money';
import type { Rate } from './money';
import type { Order, OrderLine, ShippingLine, TaxLine } from './model';
import { computeTotals } from './order';

export interface TaxRuleInput {
	mode: 'applyRate' | 'removeTax';
	/** Percent, e.g. 20 or "7.25"; optional when a country table covers every order, or for removeTax. */
	rate?: string | number;
	label: string;
	/** The channel's prices already contain the tax (typical in the EU, UK, AU). */
	pricesIncludeTax: boolean;
	/** Shipping carries the tax too. */
	addShippingTax: boolean;
	/** Replace tax lines the channel already gave. */
	overrideChannelTax: boolean;
	/** Country (ISO 3166-1 alpha-2) → its rate and label, chosen by the shipping address (then billing). */
	ratesByCountry?: Array<{ country: string; rate: string | number; label?: string }>;
}

export interface TaxRules {
	mode: 'applyRate' | 'removeTax';
	rate: Rate | undefined;
	label: string;
	pricesIncludeTax: boolean;
	addShippingTax: boolean;
	overrideChannelTax: boolean;
	byCountry: Map<string, { rate: Rate; label: string }>;
}

/** Parses the options once; a bad rate is a configuration error, not an item's. */
export function readTaxRules(input: TaxRuleInput): TaxRules {
	const hasRate = input.rate !== undefined && input.rate !== null && input.rate !== '';
	const byCountry = new Map<string, { rate: Rate; label: string }>();
	(input.ratesByCountry ?? []).forEach((row, i) => {
		const country = row.country.trim().toUpperCase();
		if (!/^[A-Z]{2}$/.test(country)) {
			throw new InputError(`ratesByCountry[${i}].country`, `"${row.country}" is not a two-letter country code`, 'use ISO codes such as DE, FR or GB');
		}
		byCountry.set(country, { rate: parseRate(row.rate, `ratesByCountry[${i}].rate`), label: row.label?.trim() || input.label });
	});
	return {
		mode: input.mode,
		rate: hasRate ? parseRate(input.rate as string | number, 'rate') : undefined,
		label: input.label.trim() || 'Tax',
		pricesIncludeTax: input.pricesIncludeTax,
		addShippingTax: input.addShippingTax,
		overrideChannelTax: input.overrideChannelTax,
		byCountry,
	};
}

const isSeller = (t: TaxLine) => t.collector !== 'marketplace';
const lineBase = (l: OrderLine) => l.unitPrice * l.quantity - l.discount;
const shippingBase = (s: ShippingLine) => s.price - s.discount;

export interface TaxResult {
	order: Order;
	/** What was done, for the audit trail: "kept channel tax", "20% VAT included: 1667 of 10000", … */
	taxDecision: string;
}

function rateFor(order: Order, rules: TaxRules): { rate: Rate; label: string } | undefined {
	const country = (order.shippingAddress?.countryCode ?? order.billingAddress?.countryCode ?? '').toUpperCase();
	const fromTable = country ? rules.byCountry.get(country) : undefined;
	if (fromTable) return fromTable;
	return rules.rate ? { rate: rules.rate, label: rules.label } : undefined;
}

export function splitTax(order: Order, rules: TaxRules): TaxResult {
	const sellerTax =
		order.lines.some((l) => l.taxLines.some((t) => isSeller(t) && t.amount !== 0)) ||
		order.shippingLines.some((s) => s.taxLines.some((t) => isSeller(t) && t.amount !== 0));
	if (rules.mode === 'removeTax') return removeTax(order, rules, sellerTax);
	if (sellerTax && !rules.overrideChannelTax) return { order, taxDecision: 'kept channel tax' };
	const chosen = rateFor(order, rules);
	if (!chosen) {
		throw new InputError(
			'rate',
			`no tax rate for this order (ships to ${order.shippingAddress?.countryCode ?? 'an unknown country'})`,
			'set a Tax Rate, or add the country to Rates by Country',
		);
	}
	const lines = order.lines.map((l) => ({ ...l, taxLines: l.taxLines.filter((t) => !isSeller(t)) }));
	const shipping = order.shippingLines.map((s) => ({ ...s, taxLines: s.taxLines.filter((t) => !isSeller(t)) }));
	const bases = lines.map(lineBase);
	if (rules.addShippingTax) for (const s of shipping) bases.push(shippingBase(s));
	let sum = 0;
	for (const b of bases) sum += b;
	const tax = rules.pricesIncludeTax ? taxInGross(sum, chosen.rate) : taxOnNet(sum, chosen.rate);
	const parts = allocate(tax, bases.map((b) => Math.max(0, b)));
	const taxLine = (amount: number): TaxLine => ({ title: chosen.label, ratePercent: chosen.rate.percent, amount, collector: 'seller' });
	lines.forEach((l, i) => {
		if (parts[i] !== 0) l.taxLines = [...l.taxLines, taxLine(parts[i])];
	});
	if (rules.addShippingTax) {
		shipping.forEach((s, k) => {
			const amount = parts[lines.length + k];
			if (amount !== 0) s.taxLines = [...s.taxLines, taxLine(amount)];
		});
	}
	const base = { ...order, lines, shippingLines: shipping, taxesIncluded: rules.pricesIncludeTax };
	const result: Order = { ...base, totals: computeTotals(base) };
	const how = rules.pricesIncludeTax ? 'included' : 'added';
	return { order: result, taxDecision: `${chosen.rate.percent}% ${chosen.label} ${how}: ${tax} of ${sum}` };
}

/** Nets a gross amount (price × quantity − discount) whose tax was `tax`, keeping whole-unit prices. */
function netLine(unitPrice: number, quantity: number, discount: number, tax: number): { unitPrice: number; discount: number } {
	const net = unitPrice * quantity - discount - tax;
	// unit × quantity − discount must equal net exactly: round the unit price up, the rest is discount.
	const unit = Math.ceil((net + discount) / quantity);
	return { unitPrice: unit, discount: unit * quantity - net };
}

function removeTax(order: Order, rules: TaxRules, sellerTax: boolean): TaxResult {
	let lineTaxes = order.lines.map((l) => l.taxLines.filter(isSeller).reduce((s, t) => s + t.amount, 0));
	let shippingTaxes = order.shippingLines.map((s) => s.taxLines.filter(isSeller).reduce((x, t) => x + t.amount, 0));
	let included = order.taxesIncluded;
	let source = 'channel tax';
	if (!sellerTax) {
		// No tax amounts from the channel: prices that include tax are netted at the rate given.
		const chosen = rules.pricesIncludeTax ? rateFor(order, rules) : undefined;
		if (!chosen) return { order: { ...order, taxesIncluded: false }, taxDecision: 'no tax to remove' };
		const bases = order.lines.map(lineBase);
		if (rules.addShippingTax) for (const s of order.shippingLines) bases.push(shippingBase(s));
		const tax = taxInGross(bases.reduce((a, b) => a + b, 0), chosen.rate);
		const parts = allocate(tax, bases.map((b) => Math.max(0, b)));
		lineTaxes = order.lines.map((_, i) => parts[i]);
		shippingTaxes = order.shippingLines.map((_, k) => (rules.addShippingTax ? parts[order.lines.length + k] : 0));
		included = true;
		source = `${chosen.rate.percent}% included`;
	}
	const removed = lineTaxes.reduce((a, b) => a + b, 0) + shippingTaxes.reduce((a, b) => a + b, 0);
	const lines = order.lines.map((l, i) => {
		const kept = l.taxLines.filter((t) => !isSeller(t));
		if (!included || lineTaxes[i] === 0) return { ...l, taxLines: kept };
		return { ...l, ...netLine(l.unitPrice, l.quantity, l.discount, lineTaxes[i]), taxLines: kept };
	});
	const shippingLines = order.shippingLines.map((s, k) => {
		const kept = s.taxLines.filter((t) => !isSeller(t));
		if (!included || shippingTaxes[k] === 0) return { ...s, taxLines: kept };
		return { ...s, price: s.price - shippingTaxes[k], taxLines: kept };
	});
	// Marketplace tax stays where it was: inside the prices if they included tax, on top if not.
	const marketplaceLeft = lines.some((l) => l.taxLines.length > 0) || shippingLines.some((s) => s.taxLines.length > 0);
	const base = { ...order, lines, shippingLines, taxesIncluded: order.taxesIncluded && marketplaceLeft };
	return { order: { ...base, totals: computeTotals(base) }, taxDecision: `removed tax: ${removed} (${source})` };
}
