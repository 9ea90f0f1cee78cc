/**
 * An Amazon order of the Orders API 2026-01-01 (searchOrders / getOrder with includedData PROCEEDS, TAX,
 * FULFILLMENT, PACKAGES, BUYER, RECIPIENT, PROMOTION, CANCELLATION) → our order model.
 *
 * Money: every amount is a `Money { amount: Decimal string, currencyCode }`; it becomes integer minor units
 * with the currency's ISO 4217 exponent (JPY 0, USD 2, ...), by string arithmetic (core/money.ts).
 *
 * Amounts come from `proceeds`: each order item's `breakdowns` by type (ITEM, SHIPPING, GIFT_WRAP, COD_FEE,
 * OTHER, TAX, DISCOUNT), their sum being the item's `proceedsTotal`; the order's `grandTotal` adds the
 * order-level charges (DELIVERY_TIP). ITEM is the line, SHIPPING the shipping line, GIFT_WRAP/COD_FEE/OTHER
 * fee lines, DISCOUNT a discount (its detailed breakdown says whether on the item or the shipping), TAX tax
 * lines (its detailed breakdown says on what). Prices are before tax: grandTotal is the sum with TAX.
 *
 * Tax: where Amazon is the marketplace facilitator (US states, EU/UK VAT via OSS/IOSS, AU, NZ, ...), the
 * item's `tax.taxCollections[].model` is MARKETPLACE_FACILITATOR: Amazon collected and remits that tax.
 * Such an item's TAX becomes tax lines with collector 'marketplace', so the main store never books it as
 * the seller's; other tax is the seller's. This assumes the TAX breakdown carries the tax charged to the
 * buyer also when Amazon remits it (as v0's ItemTax did); the 2026 docs do not say otherwise.
 *
 * Buyer data: since 2026-01-01 Amazon shows buyer and address fields to apps with the matching roles
 * (Direct-to-Consumer Shipping, Tax Invoicing) instead of a Restricted Data Token; without them `buyer`
 * and `recipient.deliveryAddress` come back partly or not at all (FBA orders never carry a phone number,
 * and shipped FBM orders lose it after the delivery date). What is there is mapped; an FBM order without
 * a delivery address is flagged in `problems`, since the main store cannot ship it. The buyer's email is
 * Amazon's anonymised relay address. Amazon gives no buyer id, no cancellation time and no refunds here
 * (refunds live in the Finances API): refundedQuantity stays 0 and a cancellation is dated by lastUpdatedTime.
 */
import { fromMinor, orderAmounts } from '../../core/money';
import { computeTotals } from '../../core/order';
import type { Address, FeeLine, FinancialStatus, FulfillmentStatus, Order, OrderLine, OrderStatus, ShippingLine, TaxLine } from '../../core/model';

export interface AmazonMoney {
	amount?: string;
	currencyCode?: string;
}

export interface AmazonAddress {
	name?: string;
	companyName?: string;
	addressLine1?: string;
	addressLine2?: string;
	addressLine3?: string;
	city?: string;
	districtOrCounty?: string;
	stateOrRegion?: string;
	municipality?: string;
	postalCode?: string;
	countryCode?: string;
	phone?: string;
	addressType?: string;
}

export interface AmazonBreakdown {
	type: string;
	status?: string;
	subtotal: AmazonMoney;
	detailedBreakdowns?: Array<{ subtype?: string; value?: AmazonMoney }>;
}

export interface AmazonOrderItem {
	orderItemId: string;
	quantityOrdered: number;
	programs?: string[];
	product: {
		asin?: string;
		title?: string;
		sellerSku?: string;
		condition?: { conditionType?: string; conditionSubtype?: string };
		price?: { unitPrice?: AmazonMoney; priceDesignation?: string };
	};
	proceeds?: { proceedsTotal?: AmazonMoney; breakdowns?: AmazonBreakdown[] };
	promotion?: { breakdowns?: Array<{ promotionId?: string }> };
	cancellation?: { cancellationRequest?: { requester?: string; cancelReason?: string }; cancellationExecution?: { cancelledBy?: string; cancelReason?: string } };
	fulfillment?: { quantityFulfilled?: number; quantityUnfulfilled?: number; packing?: { giftOption?: { giftMessage?: string; giftWrapLevel?: string } } };
	tax?: {
		taxCalculationBreakdowns?: Array<{ reportingScheme?: string }>;
		taxCollections?: Array<{ model?: string; responsibleParty?: string }>;
	};
}

export interface AmazonPackage {
	packageReferenceId: string;
	createdTime?: string;
	packageStatus?: { status?: string; detailedStatus?: string };
	carrier?: string;
	shipTime?: string;
	shippingService?: string;
	trackingNumber?: string;
	packageItems?: Array<{ orderItemId: string; quantity: number }>;
}

/** The fields of a 2026-01-01 `Order` we read (spec definitions.Order). */
export interface AmazonOrder {
	orderId: string;
	orderAliases?: Array<{ aliasId: string; aliasType: string }>;
	createdTime: string;
	lastUpdatedTime: string;
	programs?: string[];
	salesChannel: { channelName: string; marketplaceId?: string; marketplaceName?: string };
	buyer?: { buyerName?: string; buyerEmail?: string; buyerCompanyName?: string; buyerPurchaseOrderNumber?: string };
	recipient?: { deliveryAddress?: AmazonAddress; deliveryPreference?: { addressInstruction?: string; dropOffLocation?: string } };
	proceeds?: { grandTotal?: AmazonMoney; breakdowns?: AmazonBreakdown[] };
	fulfillment?: { fulfillmentStatus: string; fulfilledBy?: string; fulfillmentServiceLevel?: string };
	orderItems: AmazonOrderItem[];
	packages?: AmazonPackage[];
}

/** FulfillmentStatus (2026-01-01) → our status; v0's spellings (Canceled, PartiallyShipped) map the same. */
const STATUS: Record<string, { status: OrderStatus; financial: FinancialStatus; fulfillment: FulfillmentStatus }> = {
	// Pre-orders and orders whose payment is not authorised yet: not ready to ship.
	PENDINGAVAILABILITY: { status: 'open', financial: 'pending', fulfillment: 'unfulfilled' },
	PENDING: { status: 'open', financial: 'pending', fulfillment: 'unfulfilled' },
	// "Ready for shipment": Amazon has the payment and bears its risk; it charges the buyer on shipment.
	UNSHIPPED: { status: 'open', financial: 'paid', fulfillment: 'unfulfilled' },
	PARTIALLYSHIPPED: { status: 'open', financial: 'paid', fulfillment: 'partial' },
	SHIPPED: { status: 'completed', financial: 'paid', fulfillment: 'fulfilled' },
	CANCELLED: { status: 'cancelled', financial: 'voided', fulfillment: 'unfulfilled' },
	CANCELED: { status: 'cancelled', financial: 'voided', fulfillment: 'unfulfilled' },
	// Amazon-fulfilled orders from other channels that Amazon cannot fulfil: never shipped, never charged.
	UNFULFILLABLE: { status: 'cancelled', financial: 'voided', fulfillment: 'unfulfilled' },
};

export function amazonStatusKey(status: string | undefined): string {
	return String(status ?? '').toUpperCase().replace(/[^A-Z]/g, '');
}

/** Whether Amazon collected and remits this item's tax (marketplace facilitator). */
export function collectedByAmazon(item: AmazonOrderItem): boolean {
	return (item.tax?.taxCollections ?? []).some((c) => c.model === 'MARKETPLACE_FACILITATOR');
}

function taxTitle(item: AmazonOrderItem, country: string | undefined): string {
	const schemes = (item.tax?.taxCalculationBreakdowns ?? []).map((b) => b.reportingScheme);
	const base = schemes.includes('UOSS') || schemes.includes('IOSS') ? 'VAT' : country === 'US' ? 'Sales tax' : 'Tax';
	return collectedByAmazon(item) ? `${base} (collected by Amazon)` : base;
}

const FEE_TITLES: Record<string, string> = { GIFT_WRAP: 'Gift wrap', COD_FEE: 'Cash on delivery fee', OTHER: 'Other charges', DELIVERY_TIP: 'Delivery tip' };

function iso(value: string | undefined): string | null {
	if (!value) return null;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function splitName(name: string | undefined): { firstName: string | null; lastName: string | null } {
	const trimmed = (name ?? '').trim();
	if (!trimmed) return { firstName: null, lastName: null };
	const at = trimmed.lastIndexOf(' ');
	return at < 0 ? { firstName: trimmed, lastName: null } : { firstName: trimmed.slice(0, at), lastName: trimmed.slice(at + 1) };
}

function address(a: AmazonAddress | undefined): Address | null {
	if (!a || (!a.addressLine1 && !a.city && !a.postalCode && !a.name)) return null;
	const state = a.stateOrRegion || null;
	return {
		...splitName(a.name),
		company: a.companyName || null,
		address1: a.addressLine1 || null,
		address2: [a.addressLine2, a.addressLine3].filter((s) => s && s.trim()).join(', ') || null,
		city: a.city || a.municipality || null,
		province: state,
		// US states and Canadian provinces come as their codes ("WA", "ON").
		provinceCode: state && /^[A-Z]{2,3}$/.test(state) ? state : null,
		zip: a.postalCode || null,
		countryCode: a.countryCode || null,
		phone: a.phone || null,
	};
}

function currencyOf(raw: AmazonOrder): string | undefined {
	return raw.proceeds?.grandTotal?.currencyCode
		?? raw.orderItems.map((i) => i.proceeds?.proceedsTotal?.currencyCode ?? i.product.price?.unitPrice?.currencyCode).find(Boolean);
}

/** Maps one order. `storeId` identifies the seller account (amazonStoreId). */
export function amazonOrderToModel(raw: AmazonOrder, storeId: string): Order {
	const problems: string[] = [];
	const { currency, known, minor } = orderAmounts(currencyOf(raw), problems);
	const money = (m: AmazonMoney | undefined, field: string): number => {
		if (known && m?.currencyCode && m.amount !== undefined && m.amount !== '' && m.currencyCode !== currency) problems.push(`${field} is in ${m.currencyCode}, not the order's ${currency}`);
		return minor(m?.amount, field);
	};
	const country = raw.recipient?.deliveryAddress?.countryCode;
	const fulfilledByAmazon = raw.fulfillment?.fulfilledBy === 'AMAZON';

	let shippingPrice = 0;
	let shippingDiscount = 0;
	const shippingTax: TaxLine[] = [];
	const fees = new Map<string, FeeLine>();
	const fee = (type: string): FeeLine => {
		let line = fees.get(type);
		if (!line) {
			line = { title: FEE_TITLES[type] ?? type.toLowerCase(), amount: 0, taxLines: [] };
			fees.set(type, line);
		}
		return line;
	};
	let hasProceeds = false;

	const lines: OrderLine[] = raw.orderItems.map((item, i) => {
		const field = `orderItems[${i}]`;
		const quantity = Number(item.quantityOrdered);
		const unitGiven = money(item.product.price?.unitPrice, `${field}.product.price.unitPrice`);
		const breakdowns = item.proceeds?.breakdowns ?? [];
		if (breakdowns.length > 0) hasProceeds = true;
		const sum = (type: string) => breakdowns.filter((b) => b.type === type).reduce((s, b, k) => s + money(b.subtotal, `${field}.proceeds.${type}[${k}]`), 0);
		const itemAmount = breakdowns.some((b) => b.type === 'ITEM') ? sum('ITEM') : unitGiven * quantity;
		// Unit prices are whole minor units: an item amount that does not divide by the quantity rounds the
		// unit price up and books the excess as discount, so the line stays exact.
		const unitPrice = quantity > 0 ? (unitGiven * quantity === itemAmount ? unitGiven : Math.ceil(itemAmount / quantity)) : itemAmount;
		let discount = unitPrice * quantity - itemAmount;
		shippingPrice += sum('SHIPPING');
		for (const type of ['GIFT_WRAP', 'COD_FEE', 'OTHER']) {
			const amount = sum(type);
			if (amount !== 0) fee(type).amount += amount;
		}
		for (const [k, b] of breakdowns.entries()) {
			if (b.type !== 'DISCOUNT') continue;
			const total = Math.abs(money(b.subtotal, `${field}.proceeds.DISCOUNT[${k}]`));
			const onShipping = (b.detailedBreakdowns ?? []).filter((d) => d.subtype === 'SHIPPING').reduce((s, d, n) => s + Math.abs(money(d.value, `${field}.proceeds.DISCOUNT[${k}].SHIPPING[${n}]`)), 0);
			shippingDiscount += Math.min(onShipping, total);
			discount += total - Math.min(onShipping, total);
		}
		const taxLines: TaxLine[] = [];
		const collector = collectedByAmazon(item) ? 'marketplace' : 'seller';
		const title = taxTitle(item, country);
		for (const [k, b] of breakdowns.entries()) {
			if (b.type !== 'TAX') continue;
			const total = money(b.subtotal, `${field}.proceeds.TAX[${k}]`);
			let rest = total;
			// The detailed breakdown says what the tax was charged on; the rest (or all, without one) is the item's.
			for (const [n, d] of (b.detailedBreakdowns ?? []).entries()) {
				const part = money(d.value, `${field}.proceeds.TAX[${k}].${d.subtype ?? 'ITEM'}[${n}]`);
				if (part === 0 || d.subtype === 'ITEM' || d.subtype === 'DISCOUNT' || d.subtype === undefined) continue;
				const tax: TaxLine = { title, ratePercent: null, amount: part, collector };
				if (d.subtype === 'SHIPPING') shippingTax.push(tax);
				else fee(d.subtype).taxLines.push(tax);
				rest -= part;
			}
			if (rest !== 0) taxLines.push({ title, ratePercent: null, amount: rest, collector });
		}
		if (!item.product.sellerSku) problems.push(`line ${i + 1} (${item.product.title ?? item.orderItemId}) has no SKU`);
		if (!(quantity > 0)) problems.push(`line ${i + 1} (${item.product.title ?? item.orderItemId}) has quantity ${String(item.quantityOrdered)}`);
		const condition = item.product.condition?.conditionType && item.product.condition.conditionType !== 'NEW'
			? `Condition: ${item.product.condition.conditionType.toLowerCase()}${item.product.condition.conditionSubtype ? ` (${item.product.condition.conditionSubtype.toLowerCase()})` : ''}`
			: null;
		return {
			channelLineId: item.orderItemId,
			sku: item.product.sellerSku || null,
			title: item.product.title ?? '',
			variantTitle: condition,
			channelProductId: item.product.asin ?? null,
			channelVariantId: null,
			quantity,
			unitPrice,
			discount,
			taxLines,
			requiresShipping: true,
			// Refunds are in the Finances API, not in orders.
			refundedQuantity: 0,
		};
	});
	if (!hasProceeds && raw.orderItems.length > 0) problems.push('Amazon sent no proceeds breakdown (includedData PROCEEDS): prices are the unit prices, without shipping, discounts or tax');

	// Order-level charges outside the items (a delivery tip, charged separately after checkout).
	for (const [k, b] of (raw.proceeds?.breakdowns ?? []).entries()) {
		if (b.type !== 'DELIVERY_TIP') continue;
		const amount = money(b.subtotal, `proceeds.breakdowns[${k}]`);
		if (amount !== 0) fee('DELIVERY_TIP').amount += amount;
	}

	const level = raw.fulfillment?.fulfillmentServiceLevel;
	const shippingLines: ShippingLine[] = shippingPrice !== 0 || shippingDiscount !== 0 || shippingTax.length > 0
		? [{ title: level ? `Amazon ${level.toLowerCase().replace(/_/g, ' ')}` : 'Shipping', code: level ?? null, price: shippingPrice, discount: shippingDiscount, taxLines: shippingTax }]
		: [];

	const key = amazonStatusKey(raw.fulfillment?.fulfillmentStatus);
	const mapped = STATUS[key];
	if (!mapped) problems.push(`fulfillment status "${String(raw.fulfillment?.fulfillmentStatus)}" is not one the Orders API documents (ask for includedData FULFILLMENT)`);
	const status = mapped?.status ?? 'open';
	const shippingAddress = address(raw.recipient?.deliveryAddress);
	if (!shippingAddress && !fulfilledByAmazon && status === 'open') {
		problems.push('no delivery address: Amazon shows it only to apps with the Direct-to-Consumer Shipping role');
	}
	const createdAt = iso(raw.createdTime) ?? '';
	const updatedAt = iso(raw.lastUpdatedTime) ?? createdAt;
	const buyer = splitName(raw.buyer?.buyerName ?? raw.recipient?.deliveryAddress?.name);
	const tags = [fulfilledByAmazon ? 'FBA' : 'FBM', ...(raw.programs ?? [])];
	if (raw.salesChannel.marketplaceId) tags.push(`marketplace:${raw.salesChannel.marketplaceId}`);
	const sellerOrderId = raw.orderAliases?.find((a) => a.aliasType === 'SELLER_ORDER_ID')?.aliasId;
	if (sellerOrderId && sellerOrderId !== raw.orderId) tags.push(`sellerOrderId:${sellerOrderId}`);
	const notes = [raw.recipient?.deliveryPreference?.addressInstruction, raw.buyer?.buyerPurchaseOrderNumber ? `PO ${raw.buyer.buyerPurchaseOrderNumber}` : undefined]
		.filter((s): s is string => !!s && s.trim() !== '');

	const base: Omit<Order, 'totals'> = {
		kind: 'order',
		channel: 'amazon',
		channelStoreId: storeId,
		channelOrderId: raw.orderId,
		// The 3-7-7 order id is the number Amazon shows the buyer and the seller.
		channelOrderNumber: raw.orderId,
		createdAt,
		updatedAt,
		// Amazon gives no payment time; an order ready to ship was paid when it was placed, as far as the seller sees.
		paidAt: mapped?.financial === 'paid' ? createdAt || null : null,
		cancelledAt: status === 'cancelled' ? updatedAt : null,
		status,
		financialStatus: mapped?.financial ?? 'unknown',
		fulfillmentStatus: mapped?.fulfillment ?? 'unknown',
		currency,
		taxesIncluded: false,
		customer: {
			email: raw.buyer?.buyerEmail || null,
			firstName: buyer.firstName,
			lastName: buyer.lastName,
			phone: raw.recipient?.deliveryAddress?.phone || null,
			channelCustomerId: null,
		},
		shippingAddress,
		billingAddress: raw.buyer?.buyerCompanyName && shippingAddress ? { ...shippingAddress, company: raw.buyer.buyerCompanyName } : null,
		lines,
		shippingLines,
		feeLines: [...fees.values()].filter((f) => f.amount !== 0 || f.taxLines.length > 0),
		orderDiscount: 0,
		tags,
		note: notes.length > 0 ? notes.join('\n') : null,
		problems,
	};
	const totals = computeTotals(base);
	const grand = raw.proceeds?.grandTotal;
	if (known && grand?.amount !== undefined && hasProceeds) {
		const amazonTotal = money(grand, 'proceeds.grandTotal');
		if (amazonTotal !== totals.total) problems.push(`Amazon says the total is ${grand.amount} but the lines add up to ${fromMinor(totals.total, currency)}`);
	}
	return { ...base, totals };
}
