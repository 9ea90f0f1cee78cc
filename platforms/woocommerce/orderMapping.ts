/**
 * A WooCommerce REST v3 order → our order model. WooCommerce keeps line amounts exclusive of tax
 * (`subtotal`, `total`) with the tax beside them (`subtotal_tax`, `total_tax`, `taxes[]`) even when the
 * shop enters prices with tax, so the model's amounts are net and `taxesIncluded` is false: the sum is
 * exact either way. Odd payloads are mapped anyway, with what looked wrong listed in `problems`.
 */
import { fromMinor, orderAmounts, toMinor } from '../../core/money';
import { computeTotals } from '../../core/order';
import type {
	Address,
	FinancialStatus,
	FulfillmentStatus,
	Order,
	OrderLine,
	OrderStatus,
	TaxLine,
} from '../../core/model';

/** The fields of a WooCommerce order we read (docs: woocommerce.github.io/woocommerce-rest-api-docs/#order-properties). */
export interface WooOrder {
	id: number;
	number?: string;
	status: string;
	currency: string;
	date_created_gmt: string | null;
	date_modified_gmt: string | null;
	date_paid_gmt?: string | null;
	date_completed_gmt?: string | null;
	total: string;
	total_tax?: string;
	discount_total?: string;
	shipping_total?: string;
	prices_include_tax?: boolean;
	customer_id?: number;
	customer_note?: string;
	billing?: Record<string, string | undefined>;
	shipping?: Record<string, string | undefined>;
	line_items?: WooLineItem[];
	tax_lines?: Array<{ rate_id: number; label?: string; rate_code?: string; rate_percent?: number | string; tax_total?: string; shipping_tax_total?: string }>;
	shipping_lines?: Array<{ id: number; method_title?: string; method_id?: string; total: string; taxes?: WooTax[] }>;
	fee_lines?: Array<{ id: number; name?: string; total: string; taxes?: WooTax[] }>;
	coupon_lines?: Array<{ code?: string; discount?: string }>;
	refunds?: Array<{ id: number; total: string }>;
	meta_data?: Array<{ key: string; value: unknown }>;
}

interface WooTax {
	id: number;
	total: string;
	subtotal?: string;
}

interface WooLineItem {
	id: number;
	name?: string;
	product_id?: number;
	variation_id?: number;
	quantity: number;
	subtotal: string;
	total: string;
	sku?: string | null;
	taxes?: WooTax[];
	meta_data?: Array<{ key: string; value: unknown; display_key?: string; display_value?: unknown }>;
}

/** WooCommerce order status → our three statuses. */
const STATUS: Record<string, { status: OrderStatus; financial: FinancialStatus; fulfillment: FulfillmentStatus }> = {
	pending: { status: 'open', financial: 'pending', fulfillment: 'unfulfilled' }, // awaiting payment
	'on-hold': { status: 'open', financial: 'pending', fulfillment: 'unfulfilled' }, // awaiting payment confirmation (BACS, cheque)
	processing: { status: 'open', financial: 'paid', fulfillment: 'unfulfilled' }, // paid, to ship
	completed: { status: 'completed', financial: 'paid', fulfillment: 'fulfilled' },
	cancelled: { status: 'cancelled', financial: 'voided', fulfillment: 'unfulfilled' },
	refunded: { status: 'cancelled', financial: 'refunded', fulfillment: 'unknown' },
	failed: { status: 'open', financial: 'voided', fulfillment: 'unfulfilled' }, // payment failed or declined
	'checkout-draft': { status: 'open', financial: 'pending', fulfillment: 'unfulfilled' },
};

/** WooCommerce's *_gmt dates have no zone designator: they are UTC. */
export function wooGmtToIso(value: string | null | undefined): string | null {
	if (!value) return null;
	const withZone = /[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`;
	const time = Date.parse(withZone);
	return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function address(raw: Record<string, string | undefined> | undefined): Address | null {
	if (!raw) return null;
	const value = (key: string) => (raw[key] === undefined || raw[key] === '' ? null : String(raw[key]));
	if (!value('address_1') && !value('city') && !value('country') && !value('first_name') && !value('last_name')) return null;
	return {
		firstName: value('first_name'),
		lastName: value('last_name'),
		company: value('company'),
		address1: value('address_1'),
		address2: value('address_2'),
		city: value('city'),
		province: value('state'),
		provinceCode: value('state'),
		zip: value('postcode'),
		countryCode: value('country'),
		phone: value('phone'),
	};
}

/**
 * Maps one WooCommerce order. `storeId` identifies the store (its site URL) so orders of two stores never
 * collide. Amounts the currency cannot represent exactly are rounded half up and noted in `problems`.
 */
export function wooOrderToModel(raw: WooOrder, storeId: string): Order {
	const problems: string[] = [];
	const { currency, known: knownCurrency, minor: money } = orderAmounts(raw.currency, problems);

	const rateLabels = new Map<number, { title: string; ratePercent: string | null }>();
	for (const t of raw.tax_lines ?? []) {
		rateLabels.set(t.rate_id, {
			title: t.label || t.rate_code || 'Tax',
			ratePercent: t.rate_percent === undefined || t.rate_percent === null ? null : String(t.rate_percent),
		});
	}
	const taxes = (list: WooTax[] | undefined, field: string): TaxLine[] =>
		(list ?? [])
			.map((t, i) => ({
				title: rateLabels.get(t.id)?.title ?? 'Tax',
				ratePercent: rateLabels.get(t.id)?.ratePercent ?? null,
				amount: money(t.total, `${field}.taxes[${i}].total`),
				collector: 'seller' as const,
			}))
			.filter((t) => t.amount !== 0);

	const lines: OrderLine[] = (raw.line_items ?? []).map((item, i) => {
		const field = `line_items[${i}]`;
		const quantity = Number(item.quantity);
		const subtotal = money(item.subtotal, `${field}.subtotal`);
		const total = money(item.total, `${field}.total`);
		// Unit prices are whole minor units: when the subtotal does not divide by the quantity, the unit
		// price is rounded up and the excess becomes part of the line discount, so the line stays exact.
		const unitPrice = quantity > 0 ? Math.ceil(subtotal / quantity) : subtotal;
		const excess = unitPrice * quantity - subtotal;
		const sku = item.sku ? String(item.sku) : null;
		if (!sku) problems.push(`line ${i + 1} (${item.name ?? 'unnamed'}) has no SKU`);
		if (!(quantity > 0)) problems.push(`line ${i + 1} (${item.name ?? 'unnamed'}) has quantity ${item.quantity}`);
		const attributes = (item.meta_data ?? [])
			.filter((m) => !m.key.startsWith('_'))
			.map((m) => `${m.display_key ?? m.key}: ${String(m.display_value ?? m.value)}`);
		return {
			channelLineId: String(item.id),
			sku,
			title: decodeEntities(item.name ?? ''),
			variantTitle: attributes.length ? attributes.join(', ') : null,
			channelProductId: item.product_id ? String(item.product_id) : null,
			channelVariantId: item.variation_id ? String(item.variation_id) : null,
			quantity,
			unitPrice,
			discount: Math.max(0, subtotal - total) + excess,
			taxLines: taxes(item.taxes, field),
			requiresShipping: true,
			// The order answer only lists refund totals; WooChannel reads the refunded units when there are refunds.
			refundedQuantity: 0,
		};
	});

	const shippingLines = (raw.shipping_lines ?? []).map((s, i) => ({
		title: s.method_title || 'Shipping',
		code: s.method_id || null,
		price: money(s.total, `shipping_lines[${i}].total`),
		discount: 0,
		taxLines: taxes(s.taxes, `shipping_lines[${i}]`),
	}));
	const feeLines = (raw.fee_lines ?? []).map((f, i) => ({
		title: f.name || 'Fee',
		amount: money(f.total, `fee_lines[${i}].total`),
		taxLines: taxes(f.taxes, `fee_lines[${i}]`),
	}));

	const mapped = STATUS[raw.status] ?? { status: 'open' as const, financial: 'unknown' as const, fulfillment: 'unknown' as const };
	if (!STATUS[raw.status]) problems.push(`status "${raw.status}" is not a WooCommerce core status; treated as open`);
	const refunded = (raw.refunds ?? []).reduce((sum, r, i) => sum + Math.abs(money(r.total, `refunds[${i}].total`)), 0);
	const fullTotal = knownCurrency ? toMinor(raw.total, currency) : 0;
	const financialStatus: FinancialStatus =
		mapped.financial !== 'paid' || refunded === 0 ? mapped.financial : refunded >= fullTotal ? 'refunded' : 'partiallyRefunded';

	const shippingAddress = address(raw.shipping);
	const billingAddress = address(raw.billing);
	if (!shippingAddress && lines.length > 0) problems.push('no shipping address');

	const createdAt = wooGmtToIso(raw.date_created_gmt) ?? '';
	const updatedAt = wooGmtToIso(raw.date_modified_gmt) ?? createdAt;
	const base: Omit<Order, 'totals'> = {
		kind: 'order',
		channel: 'woocommerce',
		channelStoreId: storeId,
		channelOrderId: String(raw.id),
		channelOrderNumber: raw.number ? String(raw.number) : String(raw.id),
		createdAt,
		updatedAt,
		paidAt: wooGmtToIso(raw.date_paid_gmt),
		// WooCommerce keeps no cancellation date: the last modification is the best it offers.
		cancelledAt: mapped.status === 'cancelled' ? updatedAt : null,
		status: mapped.status,
		financialStatus,
		fulfillmentStatus: mapped.fulfillment,
		currency,
		taxesIncluded: false,
		customer: {
			email: raw.billing?.email || null,
			firstName: raw.billing?.first_name || null,
			lastName: raw.billing?.last_name || null,
			phone: raw.billing?.phone || null,
			channelCustomerId: raw.customer_id ? String(raw.customer_id) : null,
		},
		shippingAddress,
		billingAddress,
		lines,
		shippingLines,
		feeLines,
		orderDiscount: 0,
		tags: (raw.coupon_lines ?? []).map((c) => (c.code ? `coupon:${c.code}` : '')).filter(Boolean),
		note: raw.customer_note ? raw.customer_note : null,
		problems,
	};
	const totals = computeTotals(base);
	const channelTotal = money(raw.total, 'total');
	if (knownCurrency && channelTotal !== totals.total) {
		problems.push(`WooCommerce says the total is ${raw.total} but the lines add up to ${fromMinor(totals.total, currency)}`);
	}
	return { ...base, totals };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#039;': "'", '&ndash;': '–', '&mdash;': '—', '&nbsp;': ' ' };

/** WooCommerce returns product names HTML-encoded ("Ship Your Idea &ndash; Color: Black"). */
export function decodeEntities(text: string): string {
	return text.replace(/&(?:amp|lt|gt|quot|#039|ndash|mdash|nbsp);/g, (m) => ENTITIES[m]).replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}
