/**
 * A Shopify Admin GraphQL order → our order model. Amounts are read in the shop's currency
 * (`shopMoney`), the money the main store's books are kept in; the presentment currency the buyer saw
 * is left out (Include Raw Payload keeps it if a flow needs it). The field selection lives here, next
 * to the code that reads it, so the two cannot drift; platforms/shopify/queries.ts builds the query.
 */
import { fromMinor, isKnownCurrency, toMinor } from '../../core/money';
import { computeTotals } from '../../core/order';
import type { Address, FinancialStatus, FulfillmentStatus, Order, OrderLine, TaxLine } from '../../core/model';

const MONEY = 'shopMoney { amount currencyCode }';
const TAX_LINES = `taxLines { title ratePercentage priceSet { ${MONEY} } channelLiable }`;
const ADDRESS = 'firstName lastName company address1 address2 city province provinceCode zip countryCode phone';

/**
 * Lines read with the order; an order with more is completed by a follow-up query (ORDER_LINES_QUERY).
 * Shopify charges a page its requested cost, `first` × the cost of one order, and one line costs 10
 * points: 5 lines per order keeps a page of ~10 orders under the 1,000-point limit, and most orders
 * have fewer lines than that, so the follow-ups are rare.
 */
export const LINES_PER_ORDER = 5;
/** Shipping lines read with the order; more is flagged in `problems` (Shopify orders rarely have two). */
export const SHIPPING_LINES_PER_ORDER = 3;

export const LINE_FIELDS = `id sku name title variantTitle quantity currentQuantity requiresShipping
	originalUnitPriceSet { ${MONEY} } discountedTotalSet(withCodeDiscounts: true) { ${MONEY} } ${TAX_LINES}
	product { id } variant { id }`;

export const SHIPPING_LINE_FIELDS = `title code originalPriceSet { ${MONEY} } discountedPriceSet { ${MONEY} } ${TAX_LINES}`;

/** An order's own fields, without its line and shipping-line connections. */
export const ORDER_SCALAR_FIELDS = `id legacyResourceId name createdAt updatedAt processedAt cancelledAt closed
	displayFinancialStatus displayFulfillmentStatus currencyCode taxesIncluded email phone note tags
	customer { id firstName lastName email phone }
	shippingAddress { ${ADDRESS} } billingAddress { ${ADDRESS} }
	totalPriceSet { ${MONEY} } totalRefundedSet { ${MONEY} }
	transactions(first: 3) { kind status processedAt }`;

/** The selection of one order, for `orders { nodes { … } }` and `order(id:) { … }`. */
export const ORDER_FIELDS = `${ORDER_SCALAR_FIELDS}
	lineItems(first: ${LINES_PER_ORDER}) { nodes { ${LINE_FIELDS} } pageInfo { hasNextPage endCursor } }
	shippingLines(first: ${SHIPPING_LINES_PER_ORDER}) { nodes { ${SHIPPING_LINE_FIELDS} } pageInfo { hasNextPage } }`;

/**
 * The same order for a bulk operation, where nested connections come back as their own JSONL lines
 * (hence `id` on shipping lines, to tell them from line items) and page sizes do not apply.
 */
export const BULK_ORDER_FIELDS = `${ORDER_SCALAR_FIELDS}
	lineItems { edges { node { ${LINE_FIELDS} } } }
	shippingLines { edges { node { id ${SHIPPING_LINE_FIELDS} } } }`;

interface MoneyBag {
	shopMoney: { amount: string; currencyCode: string };
}
interface GqlTaxLine {
	title: string;
	ratePercentage: number | null;
	priceSet: MoneyBag;
	channelLiable: boolean | null;
}
interface GqlAddress {
	firstName: string | null; lastName: string | null; company: string | null; address1: string | null; address2: string | null;
	city: string | null; province: string | null; provinceCode: string | null; zip: string | null; countryCode: string | null; phone: string | null;
}
export interface GqlLineItem {
	id: string;
	sku: string | null;
	name: string;
	title: string;
	variantTitle: string | null;
	quantity: number;
	requiresShipping: boolean;
	/** Units ordered minus those refunded or removed. */
	currentQuantity?: number;
	originalUnitPriceSet: MoneyBag;
	/** After the line's own discounts and its share of discount codes (totalDiscountSet leaves the codes out). */
	discountedTotalSet: MoneyBag;
	taxLines: GqlTaxLine[];
	product: { id: string } | null;
	variant: { id: string } | null;
}
export interface GqlOrder {
	id: string;
	legacyResourceId?: string;
	name: string;
	createdAt: string;
	updatedAt: string;
	processedAt: string | null;
	cancelledAt: string | null;
	closed: boolean;
	displayFinancialStatus: string | null;
	displayFulfillmentStatus: string;
	currencyCode: string;
	taxesIncluded: boolean;
	email: string | null;
	phone: string | null;
	note: string | null;
	tags: string[];
	customer: { id: string; firstName: string | null; lastName: string | null; email: string | null; phone: string | null } | null;
	shippingAddress: GqlAddress | null;
	billingAddress: GqlAddress | null;
	totalPriceSet: MoneyBag;
	totalRefundedSet: MoneyBag;
	transactions: Array<{ kind: string; status: string; processedAt: string | null }>;
	lineItems: { nodes: GqlLineItem[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
	shippingLines: {
		nodes: Array<{ title: string; code: string | null; originalPriceSet: MoneyBag; discountedPriceSet: MoneyBag; taxLines: GqlTaxLine[] }>;
		pageInfo?: { hasNextPage: boolean };
	};
}

const FINANCIAL: Record<string, FinancialStatus> = {
	PENDING: 'pending', AUTHORIZED: 'authorized', PARTIALLY_PAID: 'partiallyPaid', PAID: 'paid',
	PARTIALLY_REFUNDED: 'partiallyRefunded', REFUNDED: 'refunded', VOIDED: 'voided', EXPIRED: 'voided',
};
const FULFILLMENT: Record<string, FulfillmentStatus> = {
	UNFULFILLED: 'unfulfilled', PARTIALLY_FULFILLED: 'partial', FULFILLED: 'fulfilled', RESTOCKED: 'unfulfilled',
	PENDING_FULFILLMENT: 'unfulfilled', OPEN: 'unfulfilled', IN_PROGRESS: 'partial', ON_HOLD: 'unfulfilled',
	SCHEDULED: 'unfulfilled', REQUEST_DECLINED: 'unfulfilled',
};

/** The number part of a Shopify global id: gid://shopify/Order/123 → 123. */
export function gidNumber(gid: string): string {
	const slash = gid.lastIndexOf('/');
	return slash >= 0 ? gid.slice(slash + 1).split('?')[0] : gid;
}

function address(a: GqlAddress | null): Address | null {
	if (!a) return null;
	return {
		firstName: a.firstName, lastName: a.lastName, company: a.company, address1: a.address1, address2: a.address2,
		city: a.city, province: a.province, provinceCode: a.provinceCode, zip: a.zip, countryCode: a.countryCode, phone: a.phone,
	};
}

/**
 * Maps one order. `extraLines` are the lines beyond the first page, fetched by the client. `storeId`
 * is the shop's domain, so orders of two shops never collide.
 */
export function shopifyOrderToModel(raw: GqlOrder, storeId: string, extraLines: GqlLineItem[] = []): Order {
	const problems: string[] = [];
	const currency = raw.currencyCode;
	const known = isKnownCurrency(currency);
	if (!known) problems.push(`currency "${currency}" is not an ISO 4217 code; amounts were not converted`);
	const money = (bag: MoneyBag | null | undefined, field: string): number => {
		if (!known || !bag) return 0;
		if (bag.shopMoney.currencyCode !== currency) problems.push(`${field} is in ${bag.shopMoney.currencyCode}, not ${currency}`);
		return toMinor(bag.shopMoney.amount, currency, { field });
	};
	const taxes = (list: GqlTaxLine[], field: string): TaxLine[] =>
		list
			.map((t, i) => ({
				title: t.title,
				ratePercent: t.ratePercentage === null || t.ratePercentage === undefined ? null : String(t.ratePercentage),
				amount: money(t.priceSet, `${field}.taxLines[${i}]`),
				// channelLiable: the sales channel (a marketplace) remits this tax, not the merchant.
				collector: t.channelLiable ? ('marketplace' as const) : ('seller' as const),
			}))
			.filter((t) => t.amount !== 0);

	const allLines = [...raw.lineItems.nodes, ...extraLines];
	if (raw.lineItems.pageInfo.hasNextPage && extraLines.length === 0) {
		problems.push(`only the first ${raw.lineItems.nodes.length} lines were read`);
	}
	const lines: OrderLine[] = allLines.map((l, i) => {
		if (!l.sku) problems.push(`line ${i + 1} (${l.name}) has no SKU`);
		return {
			channelLineId: gidNumber(l.id),
			sku: l.sku || null,
			title: l.title,
			variantTitle: l.variantTitle,
			channelProductId: l.product ? gidNumber(l.product.id) : null,
			channelVariantId: l.variant ? gidNumber(l.variant.id) : null,
			quantity: l.quantity,
			unitPrice: money(l.originalUnitPriceSet, `lineItems[${i}].originalUnitPrice`),
			discount: money(l.originalUnitPriceSet, `lineItems[${i}].originalUnitPrice`) * l.quantity - money(l.discountedTotalSet, `lineItems[${i}].discountedTotal`),
			taxLines: taxes(l.taxLines, `lineItems[${i}]`),
			requiresShipping: l.requiresShipping,
			// A cancelled order says so by its status; its lines' removed units are not refunds to restock one by one.
			refundedQuantity: raw.cancelledAt || l.currentQuantity === undefined ? 0 : Math.max(0, l.quantity - l.currentQuantity),
		};
	});
	if (raw.shippingLines.pageInfo?.hasNextPage) {
		problems.push(`only the first ${raw.shippingLines.nodes.length} shipping lines were read; the totals check is skipped`);
	}
	const shippingLines = raw.shippingLines.nodes.map((s, i) => {
		const price = money(s.originalPriceSet, `shippingLines[${i}].originalPrice`);
		const discounted = money(s.discountedPriceSet, `shippingLines[${i}].discountedPrice`);
		return { title: s.title, code: s.code, price, discount: Math.max(0, price - discounted), taxLines: taxes(s.taxLines, `shippingLines[${i}]`) };
	});

	const financialStatus = raw.displayFinancialStatus ? (FINANCIAL[raw.displayFinancialStatus] ?? 'unknown') : 'unknown';
	const fulfillmentStatus = FULFILLMENT[raw.displayFulfillmentStatus] ?? 'unknown';
	const paid = raw.transactions.find((t) => (t.kind === 'SALE' || t.kind === 'CAPTURE') && t.status === 'SUCCESS');
	const status = raw.cancelledAt ? 'cancelled' : raw.closed && fulfillmentStatus === 'fulfilled' ? 'completed' : 'open';
	const shippingAddress = address(raw.shippingAddress);
	if (!shippingAddress && lines.some((l) => l.requiresShipping)) problems.push('no shipping address');

	const base: Omit<Order, 'totals'> = {
		kind: 'order',
		channel: 'shopify',
		channelStoreId: storeId,
		channelOrderId: gidNumber(raw.id),
		channelOrderNumber: raw.name,
		createdAt: new Date(raw.createdAt).toISOString(),
		updatedAt: new Date(raw.updatedAt).toISOString(),
		paidAt: paid?.processedAt ? new Date(paid.processedAt).toISOString() : null,
		cancelledAt: raw.cancelledAt ? new Date(raw.cancelledAt).toISOString() : null,
		status,
		financialStatus,
		fulfillmentStatus,
		currency: known ? currency : 'XXX',
		taxesIncluded: raw.taxesIncluded,
		customer: {
			email: raw.email ?? raw.customer?.email ?? null,
			firstName: raw.customer?.firstName ?? shippingAddress?.firstName ?? null,
			lastName: raw.customer?.lastName ?? shippingAddress?.lastName ?? null,
			phone: raw.phone ?? raw.customer?.phone ?? null,
			channelCustomerId: raw.customer ? gidNumber(raw.customer.id) : null,
		},
		shippingAddress,
		billingAddress: address(raw.billingAddress),
		lines,
		shippingLines,
		feeLines: [],
		orderDiscount: 0,
		tags: raw.tags,
		note: raw.note,
		problems,
	};
	const totals = computeTotals(base);
	if (known && (!raw.lineItems.pageInfo.hasNextPage || extraLines.length > 0) && !raw.shippingLines.pageInfo?.hasNextPage) {
		const channelTotal = money(raw.totalPriceSet, 'totalPrice');
		if (channelTotal !== totals.total) {
			// Order-level discounts are allocated to lines by Shopify, so a gap is worth a look.
			problems.push(`Shopify says the total is ${raw.totalPriceSet.shopMoney.amount} but the lines add up to ${fromMinor(totals.total, currency)}`);
		}
	}
	return { ...base, totals };
}
