/**
 * An Etsy shop receipt (Open API v3 `ShopReceipt`) → our order model.
 *
 * Money: Etsy sends `{ amount, divisor, currency_code }` (1999 / 100 USD is 19.99); it becomes integer
 * minor units with the currency's ISO 4217 exponent, in integers only.
 *
 * Tax: Etsy collects and remits US sales tax (as marketplace facilitator, in every state that has one) and
 * VAT/GST for buyers in the UK, EU, Norway, Switzerland, Australia, New Zealand and others. The receipt
 * carries them as `total_tax_cost` (sales tax) and `total_vat_cost` (VAT), added on top of the prices. Both
 * go onto the order as tax lines with collector `marketplace`: the buyer paid them, so totals reconcile,
 * but they are never the seller's tax (core/tax.ts leaves them alone; the main store books them as
 * collected by Etsy). A receipt has no per-line tax, so each tax is allocated over the lines and shipping
 * by their amounts (largest remainder: the parts add up exactly to Etsy's figure).
 *
 * Discounts: `discount_amt` (coupons, free-shipping coupons excluded) is an order-level discount.
 * Gift wrap is a fee line. Odd payloads are mapped anyway, with what looked wrong listed in `problems`.
 */
import { allocate, currencyExponent, fromMinor, isKnownCurrency } from '../../core/money';
import { computeTotals } from '../../core/order';
import type { Address, FinancialStatus, FulfillmentStatus, Order, OrderLine, OrderStatus, ShippingLine, TaxLine } from '../../core/model';

export interface EtsyMoney {
	amount: number;
	divisor: number;
	currency_code: string;
}

export interface EtsyTransaction {
	transaction_id: number;
	title?: string | null;
	receipt_id?: number;
	quantity: number;
	listing_id?: number | null;
	product_id?: number | null;
	sku?: string | null;
	price: EtsyMoney;
	shipping_cost?: EtsyMoney;
	paid_timestamp?: number | null;
	shipped_timestamp?: number | null;
	is_digital?: boolean;
	shipping_method?: string | null;
	shipping_upgrade?: string | null;
	variations?: Array<{ property_id?: number; value_id?: number | null; formatted_name?: string; formatted_value?: string }>;
	product_data?: Array<{ property_id?: number; property_name?: string | null; value_ids?: number[]; values?: string[] }>;
}

export interface EtsyShipment {
	receipt_shipping_id: number | null;
	shipment_notification_timestamp?: number;
	carrier_name?: string;
	tracking_code?: string;
}

export interface EtsyRefund {
	amount: EtsyMoney;
	created_timestamp?: number;
	reason?: string | null;
	status?: string | null;
}

/** The fields of a ShopReceipt we read (spec: components.schemas.ShopReceipt). */
export interface EtsyReceipt {
	receipt_id: number;
	status: string;
	buyer_user_id?: number;
	buyer_email?: string | null;
	name?: string;
	first_line?: string | null;
	second_line?: string | null;
	city?: string | null;
	state?: string | null;
	zip?: string | null;
	country_iso?: string | null;
	message_from_buyer?: string | null;
	is_paid: boolean;
	is_shipped: boolean;
	create_timestamp?: number;
	created_timestamp?: number;
	update_timestamp?: number;
	updated_timestamp?: number;
	is_gift?: boolean;
	grandtotal?: EtsyMoney;
	subtotal?: EtsyMoney;
	total_price?: EtsyMoney;
	total_shipping_cost?: EtsyMoney;
	total_tax_cost?: EtsyMoney;
	total_vat_cost?: EtsyMoney;
	discount_amt?: EtsyMoney;
	gift_wrap_price?: EtsyMoney;
	shipments?: EtsyShipment[];
	transactions?: EtsyTransaction[];
	refunds?: EtsyRefund[];
}

/** Titles of Etsy's two collected taxes, as they appear on the order's tax lines. */
export const ETSY_SALES_TAX_TITLE = 'Sales tax (collected by Etsy)';
export const ETSY_VAT_TITLE = 'VAT (collected by Etsy)';

/** Epoch seconds → ISO 8601 UTC; null when absent. */
export function etsyTime(seconds: number | null | undefined): string | null {
	return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

/**
 * Etsy money → minor units of `currency`, exactly when the divisor allows (it is a power of ten in
 * practice); otherwise rounded half up and reported through `onInexact`.
 */
export function etsyMoneyToMinor(money: EtsyMoney | undefined, currency: string, onInexact?: (exact: string) => void): number {
	if (!money || typeof money.amount !== 'number' || !(money.divisor > 0)) return 0;
	const scale = 10n ** BigInt(currencyExponent(currency));
	const numerator = BigInt(Math.round(money.amount)) * scale;
	const divisor = BigInt(Math.round(money.divisor));
	const negative = numerator < 0n;
	const magnitude = negative ? -numerator : numerator;
	let units = magnitude / divisor;
	const rest = magnitude % divisor;
	if (rest !== 0n) {
		onInexact?.(`${money.amount}/${money.divisor}`);
		if (rest * 2n >= divisor) units += 1n;
	}
	const result = Number(negative ? -units : units);
	return result === 0 ? 0 : result;
}

/** Etsy money as the decimal Etsy's write endpoints take (`price` is a float there): 1999/100 → 19.99. */
export function etsyMoneyToDecimal(money: EtsyMoney): number {
	const divisor = Math.round(money.divisor);
	const digits = Math.round(Math.log10(divisor));
	if (10 ** digits !== divisor) return money.amount / divisor;
	const sign = money.amount < 0 ? '-' : '';
	const text = String(Math.abs(Math.round(money.amount))).padStart(digits + 1, '0');
	// Through the decimal string, so 1999/100 is exactly the double nearest 19.99 (JSON prints "19.99").
	return Number(digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`);
}

function splitName(name: string | undefined): { firstName: string | null; lastName: string | null } {
	const trimmed = (name ?? '').trim();
	if (!trimmed) return { firstName: null, lastName: null };
	const at = trimmed.lastIndexOf(' ');
	return at < 0 ? { firstName: trimmed, lastName: null } : { firstName: trimmed.slice(0, at), lastName: trimmed.slice(at + 1) };
}

function address(raw: EtsyReceipt): Address | null {
	if (!raw.first_line && !raw.city && !raw.country_iso && !raw.name) return null;
	const state = raw.state || null;
	return {
		...splitName(raw.name),
		company: null,
		address1: raw.first_line || null,
		address2: raw.second_line || null,
		city: raw.city || null,
		province: state,
		// Etsy gives US states as their two-letter code; longer names are not codes.
		provinceCode: state && /^[A-Z]{2,3}$/.test(state) ? state : null,
		zip: raw.zip || null,
		countryCode: raw.country_iso || null,
		phone: null,
	};
}

interface Status {
	status: OrderStatus;
	financial: FinancialStatus;
}

/** Etsy's receipt `status` (paid, completed, open, payment processing, canceled, fully/partially refunded). */
function statusOf(raw: EtsyReceipt, refunded: number, total: number): Status {
	switch (raw.status.toLowerCase()) {
		case 'canceled':
		case 'cancelled':
			return { status: 'cancelled', financial: raw.is_paid || refunded > 0 ? 'refunded' : 'voided' };
		case 'fully refunded':
			return { status: 'cancelled', financial: 'refunded' };
		case 'partially refunded':
			return { status: raw.is_shipped ? 'completed' : 'open', financial: 'partiallyRefunded' };
		case 'completed':
			return { status: 'completed', financial: refunded > 0 ? (refunded >= total ? 'refunded' : 'partiallyRefunded') : 'paid' };
		case 'paid':
			return { status: 'open', financial: refunded > 0 ? 'partiallyRefunded' : 'paid' };
		case 'payment processing':
			return { status: 'open', financial: 'pending' };
		case 'open':
			return { status: 'open', financial: raw.is_paid ? 'paid' : 'pending' };
		default:
			return { status: 'open', financial: raw.is_paid ? 'paid' : 'unknown' };
	}
}

function fulfillmentOf(raw: EtsyReceipt): FulfillmentStatus {
	if (raw.is_shipped) return 'fulfilled';
	const transactions = raw.transactions ?? [];
	return transactions.some((t) => t.shipped_timestamp) ? 'partial' : 'unfulfilled';
}

/** Buyer's choices ("Color: Blue, Size: M"): `variations` when Etsy gives them, else the product's property values. */
function variantTitle(t: EtsyTransaction): string | null {
	const fromVariations = (t.variations ?? []).filter((v) => v.formatted_name || v.formatted_value).map((v) => `${v.formatted_name ?? ''}: ${v.formatted_value ?? ''}`);
	if (fromVariations.length > 0) return fromVariations.join(', ');
	const fromProduct = (t.product_data ?? []).filter((p) => (p.values ?? []).length > 0).map((p) => `${p.property_name ?? 'Option'}: ${(p.values ?? []).join(' / ')}`);
	return fromProduct.length > 0 ? fromProduct.join(', ') : null;
}

/**
 * Maps one receipt. `storeId` is the shop id, so receipts of two shops never collide. Lines carry the
 * listing id as product and Etsy's product id as variant, for linking without a SKU.
 */
export function etsyReceiptToModel(raw: EtsyReceipt, storeId: string): Order {
	const problems: string[] = [];
	const code = raw.grandtotal?.currency_code ?? raw.total_price?.currency_code ?? raw.transactions?.[0]?.price?.currency_code ?? '';
	const knownCurrency = isKnownCurrency(code);
	const currency = knownCurrency ? code : 'XXX';
	if (!knownCurrency) problems.push(`currency "${code}" is not an ISO 4217 code; amounts were not converted`);
	const money = (value: EtsyMoney | undefined, field: string): number => {
		if (!knownCurrency || !value) return 0;
		if (value.currency_code && value.currency_code !== currency) problems.push(`${field} is in ${value.currency_code}, not the receipt's ${currency}`);
		return etsyMoneyToMinor(value, currency, (exact) => problems.push(`${field} ${exact} has more decimals than ${currency} allows; rounded half up`));
	};

	const transactions = raw.transactions ?? [];
	const lines: OrderLine[] = transactions.map((t, i) => {
		const field = `transactions[${i}]`;
		const sku = t.sku ? String(t.sku) : null;
		if (!sku) problems.push(`line ${i + 1} (${t.title ?? 'unnamed'}) has no SKU`);
		if (!(t.quantity > 0)) problems.push(`line ${i + 1} (${t.title ?? 'unnamed'}) has quantity ${t.quantity}`);
		return {
			channelLineId: String(t.transaction_id),
			sku,
			title: t.title ?? '',
			variantTitle: variantTitle(t),
			channelProductId: t.listing_id ? String(t.listing_id) : null,
			channelVariantId: t.product_id ? String(t.product_id) : null,
			quantity: t.quantity,
			// Etsy's transaction price is the price of one unit (total_price = Σ price × quantity).
			unitPrice: money(t.price, `${field}.price`),
			discount: 0,
			taxLines: [],
			requiresShipping: t.is_digital !== true,
			refundedQuantity: 0,
		};
	});

	const shippingPrice = money(raw.total_shipping_cost, 'total_shipping_cost');
	const methods = [...new Set(transactions.map((t) => [t.shipping_method, t.shipping_upgrade].filter(Boolean).join(' – ')).filter(Boolean))];
	const shippingLines: ShippingLine[] = shippingPrice !== 0 || transactions.some((t) => t.is_digital !== true)
		? [{ title: methods.join(', ') || 'Shipping', code: null, price: shippingPrice, discount: 0, taxLines: [] }]
		: [];
	const giftWrap = money(raw.gift_wrap_price, 'gift_wrap_price');
	const feeLines = giftWrap !== 0 ? [{ title: 'Gift wrap', amount: giftWrap, taxLines: [] }] : [];

	// Etsy's collected taxes, spread over what they were charged on.
	const bases = [...lines.map((l) => l.unitPrice * l.quantity), ...shippingLines.map((s) => s.price)];
	const addTax = (amount: number, title: string) => {
		if (amount === 0) return;
		if (bases.length === 0) {
			problems.push(`${title} of ${fromMinor(amount, currency)} has no line to sit on`);
			return;
		}
		const parts = allocate(amount, bases.map((b) => Math.max(0, b)));
		const tax = (part: number): TaxLine => ({ title, ratePercent: null, amount: part, collector: 'marketplace' });
		lines.forEach((l, k) => {
			if (parts[k] !== 0) l.taxLines.push(tax(parts[k]));
		});
		shippingLines.forEach((s, k) => {
			if (parts[lines.length + k] !== 0) s.taxLines.push(tax(parts[lines.length + k]));
		});
	};
	addTax(money(raw.total_tax_cost, 'total_tax_cost'), ETSY_SALES_TAX_TITLE);
	addTax(money(raw.total_vat_cost, 'total_vat_cost'), ETSY_VAT_TITLE);

	const totalPrice = money(raw.total_price, 'total_price');
	const lineSum = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
	if (raw.total_price && totalPrice !== lineSum) {
		problems.push(`Etsy says total_price is ${fromMinor(totalPrice, currency)} but the transactions add up to ${fromMinor(lineSum, currency)}`);
	}
	const grandtotal = money(raw.grandtotal, 'grandtotal');
	const refunded = (raw.refunds ?? []).reduce((sum, r, i) => sum + Math.abs(money(r.amount, `refunds[${i}].amount`)), 0);
	const mapped = statusOf(raw, refunded, grandtotal);
	const paidTimes = transactions.map((t) => t.paid_timestamp).filter((t): t is number => typeof t === 'number' && t > 0);
	const createdAt = etsyTime(raw.created_timestamp ?? raw.create_timestamp) ?? '';
	const updatedAt = etsyTime(raw.updated_timestamp ?? raw.update_timestamp) ?? createdAt;
	const shippingAddress = address(raw);
	if (!shippingAddress && lines.some((l) => l.requiresShipping)) problems.push('no shipping address');
	const names = splitName(raw.name);

	const base: Omit<Order, 'totals'> = {
		kind: 'order',
		channel: 'etsy',
		channelStoreId: storeId,
		channelOrderId: String(raw.receipt_id),
		channelOrderNumber: String(raw.receipt_id),
		createdAt,
		updatedAt,
		paidAt: raw.is_paid ? (paidTimes.length > 0 ? etsyTime(Math.min(...paidTimes)) : createdAt || null) : null,
		// Etsy keeps no cancellation date: the last modification is the best it offers.
		cancelledAt: mapped.status === 'cancelled' ? updatedAt : null,
		status: mapped.status,
		financialStatus: mapped.financial,
		fulfillmentStatus: fulfillmentOf(raw),
		currency,
		taxesIncluded: false,
		customer: {
			email: raw.buyer_email || null,
			firstName: names.firstName,
			lastName: names.lastName,
			phone: null,
			channelCustomerId: raw.buyer_user_id ? String(raw.buyer_user_id) : null,
		},
		shippingAddress,
		billingAddress: null,
		lines,
		shippingLines,
		feeLines,
		orderDiscount: money(raw.discount_amt, 'discount_amt'),
		tags: raw.is_gift ? ['gift'] : [],
		note: raw.message_from_buyer || null,
		problems,
	};
	const totals = computeTotals(base);
	if (knownCurrency && raw.grandtotal && grandtotal !== totals.total) {
		problems.push(`Etsy says the grand total is ${fromMinor(grandtotal, currency)} but the lines add up to ${fromMinor(totals.total, currency)}`);
	}
	return { ...base, totals };
}
