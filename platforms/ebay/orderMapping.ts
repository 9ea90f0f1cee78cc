/**
 * An eBay Fulfillment API order (getOrders / getOrder with `fieldGroups=TAX_BREAKDOWN`) → our order model.
 *
 * Tax: eBay collects and remits sales tax, GST and VAT itself in many places ("Collect and Remit"). Such a
 * tax is listed in the line's `ebayCollectAndRemitTaxes` and, with TAX_BREAKDOWN, again in its `taxes`
 * with the same type and amount (that pair is how the spec says to recognise it). Those become tax lines
 * with `collector: 'marketplace'`, so the main store's books never count them as the seller's tax; the
 * rest of `taxes` is the seller's. Fee types (tire or e-waste recycling) are fee lines, not tax.
 * Totals are recomputed from the lines and checked against `pricingSummary.total` to the minor unit.
 */
import { fromMinor, orderAmounts } from '../../core/money';
import { computeTotals } from '../../core/order';
import type { Address, FeeLine, FinancialStatus, FulfillmentStatus, Order, OrderLine, OrderStatus, ShippingLine, TaxLine } from '../../core/model';

export interface EbayAmount {
	value?: string;
	currency?: string;
	convertedFromValue?: string;
	convertedFromCurrency?: string;
}

export interface EbayAddress {
	addressLine1?: string;
	addressLine2?: string;
	city?: string;
	stateOrProvince?: string;
	postalCode?: string;
	countryCode?: string;
	county?: string;
}

export interface EbayContact {
	fullName?: string;
	companyName?: string;
	email?: string;
	contactAddress?: EbayAddress;
	primaryPhone?: { phoneNumber?: string };
}

export interface EbayTax {
	amount?: EbayAmount;
	taxType?: string;
}

export interface EbayCollectAndRemitTax extends EbayTax {
	collectionMethod?: string;
}

export interface EbayLineItem {
	lineItemId: string;
	legacyItemId?: string;
	legacyVariationId?: string;
	sku?: string;
	title?: string;
	quantity: number;
	lineItemCost?: EbayAmount;
	discountedLineItemCost?: EbayAmount;
	total?: EbayAmount;
	deliveryCost?: { shippingCost?: EbayAmount; handlingCost?: EbayAmount; discountAmount?: EbayAmount; importCharges?: EbayAmount };
	appliedPromotions?: Array<{ promotionId?: string; description?: string; discountAmount?: EbayAmount }>;
	taxes?: EbayTax[];
	ebayCollectAndRemitTaxes?: EbayCollectAndRemitTax[];
	refunds?: Array<{ amount?: EbayAmount; refundDate?: string; refundId?: string }>;
	variationAspects?: Array<{ name?: string; value?: string }>;
	lineItemFulfillmentStatus?: string;
	[key: string]: unknown;
}

export interface EbayOrder {
	orderId: string;
	creationDate?: string;
	lastModifiedDate?: string;
	orderFulfillmentStatus?: string;
	orderPaymentStatus?: string;
	sellerId?: string;
	buyer?: { username?: string; buyerRegistrationAddress?: EbayContact; taxAddress?: EbayAddress };
	buyerCheckoutNotes?: string;
	cancelStatus?: { cancelState?: string; cancelledDate?: string; cancelRequests?: unknown[] };
	pricingSummary?: {
		priceSubtotal?: EbayAmount;
		priceDiscount?: EbayAmount;
		adjustment?: EbayAmount;
		deliveryCost?: EbayAmount;
		deliveryDiscount?: EbayAmount;
		fee?: EbayAmount;
		tax?: EbayAmount;
		total?: EbayAmount;
	};
	paymentSummary?: {
		payments?: Array<{ paymentMethod?: string; paymentStatus?: string; paymentDate?: string; amount?: EbayAmount }>;
		refunds?: Array<{ amount?: EbayAmount; refundStatus?: string; refundDate?: string }>;
		totalDueSeller?: EbayAmount;
	};
	fulfillmentStartInstructions?: Array<{
		fulfillmentInstructionsType?: string;
		shippingStep?: { shipTo?: EbayContact; shippingCarrierCode?: string; shippingServiceCode?: string };
	}>;
	fulfillmentHrefs?: string[];
	lineItems?: EbayLineItem[];
	ebayCollectAndRemitTax?: boolean;
	salesRecordReference?: string;
	[key: string]: unknown;
}

/** OrderPaymentStatusEnum (developer.ebay.com/api-docs/sell/fulfillment/types/sel:OrderPaymentStatusEnum). */
const PAYMENT: Record<string, FinancialStatus> = {
	PAID: 'paid',
	PENDING: 'pending',
	FAILED: 'voided',
	FULLY_REFUNDED: 'refunded',
	PARTIALLY_REFUNDED: 'partiallyRefunded',
};

/** OrderFulfillmentStatus: NOT_STARTED, IN_PROGRESS (some packages), FULFILLED. */
const FULFILLMENT: Record<string, FulfillmentStatus> = { NOT_STARTED: 'unfulfilled', IN_PROGRESS: 'partial', FULFILLED: 'fulfilled' };

/** TaxTypeEnum values that are fees eBay collects, not taxes (they belong in fee lines). */
const FEE_TYPES = /(_FEE|_DISPOSAL_TAX)$/;

/** TaxTypeEnum → a label for invoices. */
const TAX_TITLES: Record<string, string> = {
	STATE_SALES_TAX: 'Sales tax',
	PROVINCE_SALES_TAX: 'Provincial sales tax',
	GST: 'GST',
	VAT: 'VAT',
	SST: 'SST',
	IMPORT_VAT: 'Import VAT',
	IMPORT_TAX: 'Import tax',
	IMPORT_DUTY: 'Import duty',
	REGION: 'Regional tax',
};

function titleOf(type: string | undefined): string {
	if (!type) return 'Tax';
	return TAX_TITLES[type] ?? type.toLowerCase().split('_').map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
}

function address(contact: EbayContact | undefined): Address | null {
	const a = contact?.contactAddress;
	if (!contact || (!a && !contact.fullName)) return null;
	const [firstName, ...rest] = (contact.fullName ?? '').trim().split(/\s+/);
	return {
		firstName: firstName || null,
		lastName: rest.length ? rest.join(' ') : null,
		company: contact.companyName || null,
		address1: a?.addressLine1 || null,
		address2: a?.addressLine2 || null,
		city: a?.city || null,
		province: a?.stateOrProvince || null,
		// eBay gives US states and Canadian provinces as their codes ("CA", "ON").
		provinceCode: a?.stateOrProvince && /^[A-Z]{2,3}$/.test(a.stateOrProvince) ? a.stateOrProvince : null,
		zip: a?.postalCode || null,
		countryCode: a?.countryCode || null,
		phone: contact.primaryPhone?.phoneNumber || null,
	};
}

/** eBay timestamps are UTC ISO 8601 with milliseconds; kept as such, normalised. */
function iso(value: string | undefined): string | null {
	if (!value) return null;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The order's currency: the total's, else the first amount's. */
function currencyOf(raw: EbayOrder): string | undefined {
	return raw.pricingSummary?.total?.currency ?? raw.pricingSummary?.priceSubtotal?.currency ?? raw.lineItems?.[0]?.lineItemCost?.currency;
}

/**
 * Splits a line's `taxes` into the seller's and eBay's: each `ebayCollectAndRemitTaxes` entry claims one
 * `taxes` entry of the same type (when typed) and amount. Unclaimed eBay entries are eBay's tax the buyer
 * paid but that the line total does not show (an answer without TAX_BREAKDOWN).
 */
function splitTaxes(item: EbayLineItem): { seller: EbayTax[]; marketplace: Array<EbayTax & { inTotal: boolean }> } {
	const pool = [...(item.taxes ?? [])];
	const marketplace = (item.ebayCollectAndRemitTaxes ?? []).map((t) => {
		const i = pool.findIndex((s) => s.amount?.value !== undefined && Number(s.amount.value) === Number(t.amount?.value) && (!s.taxType || !t.taxType || s.taxType === t.taxType));
		if (i >= 0) pool.splice(i, 1);
		return { ...t, inTotal: i >= 0 };
	});
	return { seller: pool, marketplace };
}

/** Maps one eBay order. `storeId` identifies the eBay account (ebayStoreId). */
export function ebayOrderToModel(raw: EbayOrder, storeId: string): Order {
	const problems: string[] = [];
	const { currency, known, minor } = orderAmounts(currencyOf(raw), problems);
	const money = (amount: EbayAmount | undefined, field: string): number => {
		if (known && amount?.currency && amount.value !== undefined && amount.value !== '' && amount.currency !== currency) problems.push(`${field} is in ${amount.currency}, not the order's ${currency}`);
		return minor(amount?.value, field);
	};

	const feeLines: FeeLine[] = [];
	/** eBay's tax the line total leaves out (no TAX_BREAKDOWN): the order total is checked with it added. */
	let marketplaceOutsideTotal = 0;
	/** Line discounts eBay names per line (promotions), to tell them from order-level ones. */
	let namedDiscounts = 0;
	const lines: OrderLine[] = (raw.lineItems ?? []).map((item, i) => {
		const field = `lineItems[${i}]`;
		const quantity = Number(item.quantity);
		const cost = money(item.lineItemCost, `${field}.lineItemCost`);
		// Unit prices are whole minor units: a cost that does not divide by the quantity rounds the unit price
		// up and books the excess as discount, so the line stays exact.
		const unitPrice = quantity > 0 ? Math.ceil(cost / quantity) : cost;
		const excess = unitPrice * quantity - cost;
		const promotions = (item.appliedPromotions ?? []).reduce((sum, p, k) => sum + Math.abs(money(p.discountAmount, `${field}.appliedPromotions[${k}].discountAmount`)), 0);
		const discount = item.discountedLineItemCost ? Math.max(0, cost - money(item.discountedLineItemCost, `${field}.discountedLineItemCost`)) : promotions;
		namedDiscounts += discount;
		const { seller, marketplace } = splitTaxes(item);
		const taxLines: TaxLine[] = [];
		for (const [k, t] of seller.entries()) {
			const amount = money(t.amount, `${field}.taxes[${k}].amount`);
			if (amount === 0) continue;
			if (t.taxType && FEE_TYPES.test(t.taxType)) feeLines.push({ title: titleOf(t.taxType), amount, taxLines: [] });
			else taxLines.push({ title: titleOf(t.taxType), ratePercent: null, amount, collector: 'seller' });
		}
		for (const [k, t] of marketplace.entries()) {
			const amount = money(t.amount, `${field}.ebayCollectAndRemitTaxes[${k}].amount`);
			if (amount === 0) continue;
			if (!t.inTotal) marketplaceOutsideTotal += amount;
			if (t.taxType && FEE_TYPES.test(t.taxType)) feeLines.push({ title: `${titleOf(t.taxType)} (collected by eBay)`, amount, taxLines: [] });
			else taxLines.push({ title: `${titleOf(t.taxType)} (collected by eBay)`, ratePercent: null, amount, collector: 'marketplace' });
		}
		// eBay refunds amounts, not units: whole units covered by the refunded amount (at the line's price) count as refunded.
		const refunded = (item.refunds ?? []).reduce((sum, r, k) => sum + Math.abs(money(r.amount, `${field}.refunds[${k}].amount`)), 0);
		const perUnit = quantity > 0 ? (cost - discount) / quantity : 0;
		const refundedQuantity = perUnit > 0 ? Math.min(quantity, Math.floor(refunded / perUnit)) : 0;
		if (!item.sku) problems.push(`line ${i + 1} (${item.title ?? item.lineItemId}) has no SKU`);
		if (!(quantity > 0)) problems.push(`line ${i + 1} (${item.title ?? item.lineItemId}) has quantity ${String(item.quantity)}`);
		const aspects = (item.variationAspects ?? []).filter((a) => a.name).map((a) => `${a.name}: ${a.value ?? ''}`);
		return {
			channelLineId: item.lineItemId,
			sku: item.sku || null,
			title: item.title ?? '',
			variantTitle: aspects.length ? aspects.join(', ') : null,
			channelProductId: item.legacyItemId ?? null,
			channelVariantId: item.legacyVariationId ?? null,
			quantity,
			unitPrice,
			discount: discount + excess,
			taxLines,
			requiresShipping: true,
			refundedQuantity,
		};
	});

	const summary = raw.pricingSummary ?? {};
	const shipTo = raw.fulfillmentStartInstructions?.[0]?.shippingStep;
	const deliveryCost = money(summary.deliveryCost, 'pricingSummary.deliveryCost');
	const shippingLines: ShippingLine[] = summary.deliveryCost || summary.deliveryDiscount
		? [{
			title: shipTo?.shippingServiceCode || 'Shipping',
			code: shipTo?.shippingServiceCode || null,
			price: deliveryCost,
			discount: Math.abs(money(summary.deliveryDiscount, 'pricingSummary.deliveryDiscount')),
			taxLines: [],
		}]
		: [];
	// Item discounts eBay totals without naming the line are an order-level discount.
	let orderDiscount = Math.max(0, Math.abs(money(summary.priceDiscount, 'pricingSummary.priceDiscount')) - namedDiscounts);
	const adjustment = money(summary.adjustment, 'pricingSummary.adjustment');
	if (adjustment < 0) orderDiscount += -adjustment;
	else if (adjustment > 0) feeLines.push({ title: 'Price adjustment', amount: adjustment, taxLines: [] });

	const cancelled = raw.cancelStatus?.cancelState === 'CANCELED';
	const fulfilled = raw.orderFulfillmentStatus === 'FULFILLED';
	const status: OrderStatus = cancelled ? 'cancelled' : fulfilled ? 'completed' : 'open';
	const financialStatus = PAYMENT[raw.orderPaymentStatus ?? ''] ?? 'unknown';
	if (!PAYMENT[raw.orderPaymentStatus ?? '']) problems.push(`payment status "${String(raw.orderPaymentStatus)}" is not one eBay documents`);
	const fulfillmentStatus = FULFILLMENT[raw.orderFulfillmentStatus ?? ''] ?? 'unknown';
	const paid = (raw.paymentSummary?.payments ?? []).filter((p) => p.paymentDate).map((p) => iso(p.paymentDate)).filter((d): d is string => d !== null).sort();

	const shippingAddress = address(shipTo?.shipTo);
	const registration = raw.buyer?.buyerRegistrationAddress;
	if (!shippingAddress && lines.length > 0) problems.push('no shipping address');
	const createdAt = iso(raw.creationDate) ?? '';
	const updatedAt = iso(raw.lastModifiedDate) ?? createdAt;
	const [firstName, ...lastName] = (registration?.fullName ?? shipTo?.shipTo?.fullName ?? '').trim().split(/\s+/);
	const base: Omit<Order, 'totals'> = {
		kind: 'order',
		channel: 'ebay',
		channelStoreId: storeId,
		channelOrderId: raw.orderId,
		// The order id is the number eBay shows the buyer and the seller (e.g. 12-34567-89012).
		channelOrderNumber: raw.orderId,
		createdAt,
		updatedAt,
		paidAt: financialStatus === 'pending' || financialStatus === 'voided' ? null : (paid[0] ?? null),
		cancelledAt: cancelled ? (iso(raw.cancelStatus?.cancelledDate) ?? updatedAt) : null,
		status,
		financialStatus,
		fulfillmentStatus,
		currency,
		taxesIncluded: false,
		customer: {
			email: registration?.email || shipTo?.shipTo?.email || null,
			firstName: firstName || null,
			lastName: lastName.length ? lastName.join(' ') : null,
			phone: registration?.primaryPhone?.phoneNumber || shipTo?.shipTo?.primaryPhone?.phoneNumber || null,
			channelCustomerId: raw.buyer?.username ?? null,
		},
		shippingAddress,
		billingAddress: address(registration),
		lines,
		shippingLines,
		feeLines,
		orderDiscount,
		tags: raw.salesRecordReference ? [`salesRecord:${raw.salesRecordReference}`] : [],
		note: raw.buyerCheckoutNotes || null,
		problems,
	};
	const totals = computeTotals(base);
	if (known && summary.total?.value !== undefined) {
		const channelTotal = money(summary.total, 'pricingSummary.total') + marketplaceOutsideTotal;
		if (channelTotal !== totals.total) {
			problems.push(`eBay says the total is ${summary.total.value}${marketplaceOutsideTotal ? ` (plus ${fromMinor(marketplaceOutsideTotal, currency)} tax collected by eBay)` : ''} but the lines add up to ${fromMinor(totals.total, currency)}`);
		}
	}
	return { ...base, totals };
}

/** The part of an order's tax that eBay collected and remits (not the seller's to book), minor units. */
export function marketplaceCollectedTax(order: Order): number {
	let sum = 0;
	for (const line of order.lines) for (const t of line.taxLines) if (t.collector === 'marketplace') sum += t.amount;
	return sum;
}
