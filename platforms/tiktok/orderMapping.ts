/**
 * A TikTok Shop order (Order API 202309 search / 202507 detail, same order object) → our order model.
 *
 * Lines: TikTok lists one line item per unit sold. Units of the same SKU at the same prices are grouped
 * into one line with a quantity; the line's id is its first unit's line item id (the ids of every unit
 * stay in the raw payload, and packages are found through each unit's package_id).
 *
 * Money: amounts are decimal strings in `payment.currency`; each becomes integer minor units with the
 * currency's ISO 4217 exponent (exact string arithmetic). Line price is `original_price`; the line
 * discount is the seller's and the platform's discounts (the buyer did not pay either). Shipping is
 * `original_shipping_fee` less its discounts, so that it comes to the `shipping_fee` the buyer paid.
 *
 * Tax: where the payment carries `tax` (US sales tax, cross-border VAT), TikTok charged it on top and
 * remits it: it becomes tax lines with collector `marketplace` (core/tax.ts and the main store never
 * book it as the seller's). `product_tax` goes onto the lines (by each unit's `item_tax`, the parts
 * adding up exactly to TikTok's figure), `shipping_fee_tax` onto shipping, `item_insurance_tax` onto the
 * insurance fee. Buyer-paid fees (retail delivery, small order, service, handling, insurance) are fee
 * lines. Totals are recomputed and checked against `total_amount` to the minor unit; what disagrees goes
 * into `problems`, and the order is still emitted.
 */
import { allocate, fromMinor, orderAmounts } from '../../core/money';
import { computeTotals } from '../../core/order';
import type { Address, FeeLine, FinancialStatus, FulfillmentStatus, Order, OrderLine, OrderStatus, ShippingLine, TaxLine } from '../../core/model';

export interface TikTokItemTax {
	tax_type?: string;
	tax_amount?: string;
	tax_rate?: string;
}

export interface TikTokLineItem {
	id: string;
	sku_id?: string;
	product_id?: string;
	product_name?: string;
	sku_name?: string;
	seller_sku?: string;
	original_price?: string;
	sale_price?: string;
	platform_discount?: string;
	seller_discount?: string;
	currency?: string;
	display_status?: string;
	package_id?: string;
	package_status?: string;
	tracking_number?: string;
	shipping_provider_id?: string;
	shipping_provider_name?: string;
	rts_time?: number;
	is_gift?: boolean;
	item_tax?: TikTokItemTax[];
	[key: string]: unknown;
}

export interface TikTokPayment {
	currency?: string;
	sub_total?: string;
	shipping_fee?: string;
	seller_discount?: string;
	platform_discount?: string;
	total_amount?: string;
	original_total_product_price?: string;
	original_shipping_fee?: string;
	shipping_fee_seller_discount?: string;
	shipping_fee_platform_discount?: string;
	shipping_fee_cofunded_discount?: string;
	tax?: string;
	small_order_fee?: string;
	shipping_fee_tax?: string;
	product_tax?: string;
	retail_delivery_fee?: string;
	buyer_service_fee?: string;
	handling_fee?: string;
	shipping_insurance_fee?: string;
	item_insurance_fee?: string;
	item_insurance_tax?: string;
}

export interface TikTokAddress {
	full_address?: string;
	phone_number?: string;
	name?: string;
	first_name?: string;
	last_name?: string;
	region_code?: string;
	postal_code?: string;
	address_line1?: string;
	address_line2?: string;
	address_line3?: string;
	address_line4?: string;
	post_town?: string;
	district_info?: Array<{ address_level_name?: string; address_name?: string; address_level?: string }>;
	address_detail?: string;
}

export interface TikTokOrder {
	id: string;
	status?: string;
	create_time?: number;
	update_time?: number;
	paid_time?: number;
	cancel_time?: number;
	rts_time?: number;
	user_id?: string;
	buyer_email?: string;
	buyer_message?: string;
	seller_note?: string;
	shipping_type?: string;
	shipping_provider?: string;
	shipping_provider_id?: string;
	delivery_option_name?: string;
	delivery_option_id?: string;
	tracking_number?: string;
	fulfillment_type?: string;
	is_sample_order?: boolean;
	is_cod?: boolean;
	payment?: TikTokPayment;
	recipient_address?: TikTokAddress;
	packages?: Array<{ id: string }>;
	line_items?: TikTokLineItem[];
	[key: string]: unknown;
}

/** Order status → our status, payment and shipping (Get Order Detail's `status` values). */
const STATUS: Record<string, { status: OrderStatus; financial: FinancialStatus; fulfillment: FulfillmentStatus }> = {
	UNPAID: { status: 'open', financial: 'pending', fulfillment: 'unfulfilled' },
	ON_HOLD: { status: 'open', financial: 'paid', fulfillment: 'unfulfilled' },
	AWAITING_SHIPMENT: { status: 'open', financial: 'paid', fulfillment: 'unfulfilled' },
	PARTIALLY_SHIPPING: { status: 'open', financial: 'paid', fulfillment: 'partial' },
	AWAITING_COLLECTION: { status: 'completed', financial: 'paid', fulfillment: 'fulfilled' },
	IN_TRANSIT: { status: 'completed', financial: 'paid', fulfillment: 'fulfilled' },
	DELIVERED: { status: 'completed', financial: 'paid', fulfillment: 'fulfilled' },
	COMPLETED: { status: 'completed', financial: 'paid', fulfillment: 'fulfilled' },
	CANCELLED: { status: 'cancelled', financial: 'voided', fulfillment: 'unfulfilled' },
};

/** Epoch seconds → ISO 8601 UTC; null when absent. */
export function tiktokTime(seconds: number | null | undefined): string | null {
	return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

/** The key units are grouped by: the same SKU at the same prices (a gift unit stays apart). */
function groupKey(item: TikTokLineItem): string {
	return [item.sku_id ?? item.seller_sku ?? item.id, item.original_price ?? '', item.sale_price ?? '', item.seller_discount ?? '', item.platform_discount ?? '', item.is_gift ? 'gift' : ''].join('|');
}

/** The units of the order grouped into lines (order of first appearance), each with its units' line items. */
export function groupLineItems(items: readonly TikTokLineItem[]): TikTokLineItem[][] {
	const groups = new Map<string, TikTokLineItem[]>();
	for (const item of items) {
		const key = groupKey(item);
		groups.set(key, [...(groups.get(key) ?? []), item]);
	}
	return [...groups.values()];
}

/** "0.0725" (a fraction, as TikTok gives tax_rate) → "7.25" (a percentage), exactly. */
export function fractionToPercent(rate: string | undefined): string | null {
	const match = /^(\d+)(?:\.(\d+))?$/.exec((rate ?? '').trim());
	if (!match) return null;
	const digits = `${match[1]}${(match[2] ?? '').padEnd(2, '0')}`;
	const whole = digits.slice(0, match[1].length + 2).replace(/^0+(?=\d)/, '');
	const frac = digits.slice(match[1].length + 2).replace(/0+$/, '');
	return frac ? `${whole}.${frac}` : whole;
}

function address(raw: TikTokAddress | undefined): Address | null {
	if (!raw || (!raw.address_line1 && !raw.full_address && !raw.name)) return null;
	const level = (l: string) => raw.district_info?.find((d) => d.address_level === l)?.address_name || null;
	const [first, ...rest] = (raw.name ?? '').trim().split(/\s+/);
	const province = level('L1');
	return {
		firstName: raw.first_name || first || null,
		lastName: raw.last_name || (rest.length ? rest.join(' ') : null),
		company: null,
		address1: raw.address_line1?.trim() || raw.address_detail?.trim() || null,
		address2: [raw.address_line2, raw.address_line3, raw.address_line4].map((l) => (l ?? '').trim()).filter(Boolean).join(', ') || null,
		// L0 is the country, L1 the state or province, L2/L3 county and city (the US: L3 is the city).
		city: level('L3') ?? raw.post_town ?? level('L2'),
		province,
		provinceCode: province && /^[A-Z]{2,3}$/.test(province) ? province : null,
		zip: raw.postal_code || null,
		countryCode: raw.region_code || null,
		phone: raw.phone_number || null,
	};
}

/** Maps one order. `storeId` is the shop cipher, so orders of two shops never collide. */
export function tiktokOrderToModel(raw: TikTokOrder, storeId: string): Order {
	const problems: string[] = [];
	const payment = raw.payment ?? {};
	const { currency, known, minor: money } = orderAmounts(payment.currency ?? raw.line_items?.[0]?.currency, problems);

	const groups = groupLineItems(raw.line_items ?? []);
	const lines: OrderLine[] = groups.map((units, i) => {
		const first = units[0];
		const field = `line_items[${(raw.line_items ?? []).indexOf(first)}]`;
		const unitPrice = money(first.original_price ?? first.sale_price, `${field}.original_price`);
		const perUnitDiscount = money(first.seller_discount, `${field}.seller_discount`) + money(first.platform_discount, `${field}.platform_discount`);
		if (first.sale_price !== undefined && first.original_price !== undefined && unitPrice - perUnitDiscount !== money(first.sale_price, `${field}.sale_price`)) {
			problems.push(`line ${i + 1} (${first.product_name ?? first.id}): original_price less discounts is not sale_price`);
		}
		const cancelled = units.filter((u) => u.display_status === 'CANCELLED').length;
		if (!first.seller_sku) problems.push(`line ${i + 1} (${first.product_name ?? first.id}) has no seller SKU`);
		return {
			channelLineId: first.id,
			sku: first.seller_sku?.trim() || null,
			title: first.product_name ?? '',
			variantTitle: first.sku_name?.trim() || null,
			channelProductId: first.product_id ?? null,
			channelVariantId: first.sku_id ?? null,
			quantity: units.length,
			unitPrice,
			discount: perUnitDiscount * units.length,
			taxLines: [],
			requiresShipping: true,
			// A unit cancelled in an order that goes on (a partial cancellation) is refunded.
			refundedQuantity: raw.status === 'CANCELLED' ? 0 : cancelled,
		};
	});

	// Shipping as the buyer paid it: original less discounts comes to shipping_fee.
	const shippingFee = money(payment.shipping_fee, 'payment.shipping_fee');
	const originalShipping = payment.original_shipping_fee !== undefined ? money(payment.original_shipping_fee, 'payment.original_shipping_fee') : shippingFee;
	const shippingLines: ShippingLine[] = originalShipping !== 0 || shippingFee !== 0 || payment.shipping_fee_tax
		? [{ title: raw.delivery_option_name || 'Shipping', code: raw.delivery_option_id ?? null, price: originalShipping, discount: Math.max(0, originalShipping - shippingFee), taxLines: [] }]
		: [];

	const feeLines: FeeLine[] = [];
	const fee = (value: string | undefined, title: string, field: string): FeeLine | undefined => {
		const amount = money(value, field);
		if (amount === 0) return undefined;
		const line: FeeLine = { title, amount, taxLines: [] };
		feeLines.push(line);
		return line;
	};
	fee(payment.retail_delivery_fee, 'Retail delivery fee', 'payment.retail_delivery_fee');
	fee(payment.small_order_fee, 'Small order fee', 'payment.small_order_fee');
	fee(payment.buyer_service_fee, 'Buyer service fee', 'payment.buyer_service_fee');
	fee(payment.handling_fee, 'Handling fee', 'payment.handling_fee');
	fee(payment.shipping_insurance_fee, 'Shipping insurance', 'payment.shipping_insurance_fee');
	const insurance = fee(payment.item_insurance_fee, 'Item insurance', 'payment.item_insurance_fee');

	// TikTok's own tax, charged on top and remitted by TikTok.
	const marketplaceTax = (amount: number, title: string, rate: string | null): TaxLine => ({ title, ratePercent: rate, amount, collector: 'marketplace' });
	const shippingTax = money(payment.shipping_fee_tax, 'payment.shipping_fee_tax');
	const insuranceTax = money(payment.item_insurance_tax, 'payment.item_insurance_tax');
	const totalTax = money(payment.tax, 'payment.tax');
	let productTax = payment.product_tax !== undefined ? money(payment.product_tax, 'payment.product_tax') : Math.max(0, totalTax - shippingTax - insuranceTax);
	if (payment.tax !== undefined && productTax + shippingTax + insuranceTax !== totalTax) {
		problems.push(`payment.tax ${payment.tax} is not product_tax + shipping_fee_tax + item_insurance_tax; product tax taken as the rest`);
		productTax = totalTax - shippingTax - insuranceTax;
	}
	if (productTax !== 0) {
		const itemTax = groups.map((units) => units.reduce((sum, u, k) => sum + (u.item_tax ?? []).reduce((s, t, j) => s + money(t.tax_amount, `line_items[${k}].item_tax[${j}].tax_amount`), 0), 0));
		const itemSum = itemTax.reduce((a, b) => a + b, 0);
		if (itemSum !== 0 && itemSum !== productTax) problems.push(`the line items' item_tax add up to ${fromMinor(itemSum, currency)} but payment.product_tax is ${fromMinor(productTax, currency)}; spread by item_tax`);
		// Spread by the units' own tax when TikTok gives it, else by the lines' net amounts.
		const weights = itemSum > 0 ? itemTax : lines.map((l) => Math.max(0, l.unitPrice * l.quantity - l.discount));
		if (lines.length === 0) problems.push(`product tax of ${fromMinor(productTax, currency)} has no line to sit on`);
		else {
			const parts = allocate(productTax, weights);
			lines.forEach((l, k) => {
				if (parts[k] === 0) return;
				const taxes = groups[k].flatMap((u) => u.item_tax ?? []);
				const rates = new Set(taxes.map((t) => t.tax_rate));
				const type = taxes[0]?.tax_type;
				l.taxLines.push(marketplaceTax(parts[k], type === 'SALES_TAX' || type === undefined ? 'Sales tax (collected by TikTok Shop)' : `${type} (collected by TikTok Shop)`, rates.size === 1 ? fractionToPercent(taxes[0]?.tax_rate) : null));
			});
		}
	}
	if (shippingTax !== 0) {
		if (shippingLines.length > 0) shippingLines[0].taxLines.push(marketplaceTax(shippingTax, 'Shipping tax (collected by TikTok Shop)', null));
		else problems.push(`shipping tax of ${fromMinor(shippingTax, currency)} has no shipping line to sit on`);
	}
	if (insuranceTax !== 0) {
		if (insurance) insurance.taxLines.push(marketplaceTax(insuranceTax, 'Insurance tax (collected by TikTok Shop)', null));
		else feeLines.push({ title: 'Item insurance tax', amount: 0, taxLines: [marketplaceTax(insuranceTax, 'Insurance tax (collected by TikTok Shop)', null)] });
	}

	const mapped = STATUS[raw.status ?? ''];
	if (!mapped) problems.push(`order status "${String(raw.status)}" is not one TikTok Shop documents`);
	const state = mapped ?? { status: 'open' as OrderStatus, financial: 'unknown' as FinancialStatus, fulfillment: 'unknown' as FulfillmentStatus };
	const financialStatus: FinancialStatus = raw.status === 'CANCELLED' ? (raw.paid_time ? 'refunded' : 'voided') : state.financial;
	const shipped = (raw.line_items ?? []).filter((u) => u.tracking_number || u.rts_time).length;
	const fulfillmentStatus: FulfillmentStatus = state.fulfillment === 'unfulfilled' && shipped > 0 && raw.status !== 'CANCELLED' ? 'partial' : state.fulfillment;
	const createdAt = tiktokTime(raw.create_time) ?? '';
	const updatedAt = tiktokTime(raw.update_time) ?? createdAt;
	const shippingAddress = address(raw.recipient_address);
	// TikTok hides the address until the order is paid and out of ON_HOLD.
	if (!shippingAddress && lines.length > 0 && raw.status !== 'UNPAID' && raw.status !== 'ON_HOLD' && raw.status !== 'CANCELLED') problems.push('no shipping address');

	const base: Omit<Order, 'totals'> = {
		kind: 'order',
		channel: 'tiktokShop',
		channelStoreId: storeId,
		channelOrderId: raw.id,
		// The order id is the number TikTok shows the buyer and the seller.
		channelOrderNumber: raw.id,
		createdAt,
		updatedAt,
		paidAt: tiktokTime(raw.paid_time),
		cancelledAt: raw.status === 'CANCELLED' ? (tiktokTime(raw.cancel_time) ?? updatedAt) : null,
		status: state.status,
		financialStatus,
		fulfillmentStatus,
		currency,
		taxesIncluded: false,
		customer: {
			email: raw.buyer_email || null,
			firstName: shippingAddress?.firstName ?? null,
			lastName: shippingAddress?.lastName ?? null,
			phone: shippingAddress?.phone ?? null,
			channelCustomerId: raw.user_id ?? null,
		},
		shippingAddress,
		billingAddress: null,
		lines,
		shippingLines,
		feeLines,
		orderDiscount: 0,
		tags: [raw.is_sample_order ? 'sample' : '', raw.is_cod ? 'cashOnDelivery' : '', raw.fulfillment_type === 'FULFILLMENT_BY_TIKTOK' ? 'fulfilledByTikTok' : ''].filter(Boolean),
		note: raw.buyer_message || null,
		problems,
	};
	const totals = computeTotals(base);
	if (known && payment.total_amount !== undefined) {
		const channelTotal = money(payment.total_amount, 'payment.total_amount');
		if (channelTotal !== totals.total) problems.push(`TikTok Shop says the total is ${payment.total_amount} but the lines add up to ${fromMinor(totals.total, currency)}`);
	}
	return { ...base, totals };
}
