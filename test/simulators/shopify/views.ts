/**
 * The store seen through the Admin GraphQL schema: plain objects shaped like the GraphQL types, which
 * graphql-js's default resolver reads. A field that takes arguments (connections, `transactions(first:)`)
 * or points at another object is a function; the default resolver calls it with the field's arguments,
 * so nothing is built that the query did not ask for. `__typename` lets interfaces (`Node`) resolve.
 * Fields the simulator does not model resolve to null (an error where the schema says non-null), so a
 * client relying on one finds out here rather than in production.
 * Reference: https://shopify.dev/docs/api/admin-graphql/latest/objects/Order (and the linked objects).
 */
import { GraphQLError } from 'graphql';
import { gid, idOf, parseGid } from './data';
import type { ShopData } from './data';
import { paginate, paginateList } from './pagination';
import type { ConnectionArgs, Connection, CursorPosition } from './pagination';
import { matcher } from './search';
import type { FieldValues } from './search';
import { allocate, cents, decimal, orderTotals, paidCents, refundableUnits, refundedUnits, refundsOf } from './store';
import type {
	SimAddress, SimDiscountCode, SimDraftOrder, SimFulfillment, SimFulfillmentOrder, SimInventoryItem, SimInventoryLevel, SimLineItem, SimLocation,
	SimOrder, SimProduct, SimRefund, SimShippingLine, SimTaxLine, SimTransaction, SimVariant,
} from './store';

export type View = Record<string, unknown>;
type Args = Record<string, unknown>;

/**
 * Shopify's Decimal scalar as it serialises amounts: no trailing zeros beyond one decimal ("15.0",
 * "5.5", "11.94"), unlike REST's fixed two decimals. https://shopify.dev/docs/api/admin-graphql/latest/scalars/Decimal
 */
export function gqlDecimal(centsValue: number): string {
	return decimal(centsValue).replace(/(\.\d)0$/, '$1');
}

const COUNTRY_NAMES: Record<string, string> = {
	US: 'United States', CA: 'Canada', GB: 'United Kingdom', DE: 'Germany', FR: 'France', AU: 'Australia', NL: 'Netherlands',
	IT: 'Italy', ES: 'Spain', JP: 'Japan',
};

export function countryName(code: string | null): string | null {
	return code ? (COUNTRY_NAMES[code] ?? code) : null;
}

/** Quantity names an inventory level can be asked for: https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps#inventory-states */
export const QUANTITY_NAMES = ['available', 'committed', 'damaged', 'incoming', 'on_hand', 'quality_control', 'reserved', 'safety_stock'];

export function quantityOf(level: SimInventoryLevel, name: string): number {
	if (name === 'available') return level.available;
	if (name === 'committed') return level.committed;
	if (name === 'on_hand') return level.onHand;
	return 0;
}

/** Search fields of orders: https://shopify.dev/docs/api/admin-graphql/latest/queries/orders#argument-query */
/**
 * Location.inventoryLevels / InventoryItem.inventoryLevels `query`: updated_at, inventory_item_id and id
 * (https://shopify.dev/docs/api/admin-graphql/latest/objects/Location#field-inventoryLevels). Every
 * quantity change sets the level's updatedAt, so "changed since" is exact. created_at is documented too;
 * the simulator keeps no creation time on levels, so it matches nothing.
 */
export const levelSearch: FieldValues<SimInventoryLevel> = (l, field) => {
	switch (field) {
		case 'updated_at':
			return [l.updatedAt];
		case 'inventory_item_id':
			return [l.inventoryItemId];
		case 'id':
			return [l.inventoryItemId];
		default:
			return undefined;
	}
};

export const orderSearch: FieldValues<SimOrder> = (o, field) => {
	switch (field) {
		case null:
			return [o.name, o.name.replace(/^#/, ''), o.email, o.customer?.firstName ?? null, o.customer?.lastName ?? null, ...o.lineItems.map((l) => l.sku)];
		case 'id':
			return [o.id];
		case 'name':
			return [o.name, o.name.replace(/^#/, '')];
		case 'created_at':
			return [o.createdAt];
		case 'updated_at':
			return [o.updatedAt];
		case 'processed_at':
			return [o.processedAt];
		case 'financial_status':
			return [o.displayFinancialStatus.toLowerCase()];
		case 'fulfillment_status': {
			const map: Record<string, string[]> = {
				FULFILLED: ['shipped', 'fulfilled'], PARTIALLY_FULFILLED: ['partial'], UNFULFILLED: ['unshipped', 'unfulfilled'],
				RESTOCKED: ['unshipped', 'unfulfilled'], IN_PROGRESS: ['unshipped', 'unfulfilled'], ON_HOLD: ['on_hold'],
			};
			return ['any', ...(map[o.displayFulfillmentStatus] ?? [])];
		}
		case 'status':
			return o.cancelledAt ? ['cancelled', 'closed'] : o.closed ? ['closed'] : ['open'];
		case 'tag':
			return o.tags;
		case 'sku':
			return o.lineItems.map((l) => l.sku);
		case 'email':
			return [o.email];
		case 'source_name':
			return [o.sourceName];
		case 'source_identifier':
			return [o.sourceIdentifier];
		case 'customer_id':
			return [o.customer?.id ?? null];
		case 'test':
			return [String(o.test)];
		case 'location_id':
			return [o.locationId];
		default:
			return undefined;
	}
};

function productSearch(data: ShopData): FieldValues<SimProduct> {
	return (p, field) => {
		switch (field) {
			case null:
				return [p.title, p.handle, ...data.variantsOf(p.id).map((v) => v.sku)];
			case 'id':
				return [p.id];
			case 'title':
				return [p.title];
			case 'handle':
				return [p.handle];
			case 'status':
				return [p.status.toLowerCase()];
			case 'vendor':
				return [p.vendor];
			case 'product_type':
				return [p.productType];
			case 'tag':
				return p.tags;
			case 'sku':
				return data.variantsOf(p.id).map((v) => v.sku);
			case 'barcode':
				return data.variantsOf(p.id).map((v) => v.barcode);
			case 'created_at':
				return [p.createdAt];
			case 'updated_at':
				return [p.updatedAt];
			default:
				return undefined;
		}
	};
}

const variantSearch: FieldValues<SimVariant> = (v, field) => {
	switch (field) {
		case null:
			return [v.title, v.sku, v.barcode];
		case 'id':
			return [v.id];
		case 'sku':
			return [v.sku];
		case 'barcode':
			return [v.barcode];
		case 'product_id':
			return [v.productId];
		case 'title':
			return [v.title];
		case 'inventory_item_id':
			return [v.inventoryItemId];
		case 'created_at':
			return [v.createdAt];
		case 'updated_at':
			return [v.updatedAt];
		default:
			return undefined;
	}
};

const inventoryItemSearch: FieldValues<SimInventoryItem> = (i, field) => {
	switch (field) {
		case null:
		case 'sku':
			return [i.sku];
		case 'id':
			return [i.id];
		case 'created_at':
			return [i.createdAt];
		case 'updated_at':
			return [i.updatedAt];
		default:
			return undefined;
	}
};

/** Order sort keys: https://shopify.dev/docs/api/admin-graphql/latest/enums/OrderSortKeys (others sort by id). */
function orderPosition(sortKey: string): (o: SimOrder) => CursorPosition {
	switch (sortKey) {
		case 'CREATED_AT':
			return (o) => ({ value: o.createdAt, id: o.id });
		case 'UPDATED_AT':
			return (o) => ({ value: o.updatedAt, id: o.id });
		case 'PROCESSED_AT':
			return (o) => ({ value: o.processedAt, id: o.id });
		case 'ORDER_NUMBER':
			return (o) => ({ value: o.orderNumber, id: o.id });
		case 'TOTAL_PRICE':
			return (o) => ({ value: orderTotals(o).total, id: o.id });
		default:
			return (o) => ({ value: o.id, id: o.id });
	}
}

const KNOWN_ORDER_SORTS = ['CREATED_AT', 'UPDATED_AT', 'PROCESSED_AT', 'ORDER_NUMBER', 'TOTAL_PRICE'];

export class Views {
	/** node(id:) for objects kept outside the store (bulk operations), by the gid's type. */
	readonly otherNodes = new Map<string, (id: string) => View | null>();

	constructor(
		private readonly data: ShopData,
		private readonly jobs: Map<string, boolean>,
	) {}

	private get currency(): string {
		return this.data.store.shop.currencyCode;
	}

	money(centsValue: number): View {
		const m = { amount: gqlDecimal(centsValue), currencyCode: this.currency };
		return { shopMoney: m, presentmentMoney: { ...m } };
	}

	moneyV2(centsValue: number): View {
		return { amount: gqlDecimal(centsValue), currencyCode: this.currency };
	}

	taxLine(t: SimTaxLine): View {
		return {
			title: t.title, rate: t.rate, ratePercentage: Math.round(t.rate * 100 * 10000) / 10000, priceSet: this.money(cents(t.price)),
			price: t.price, channelLiable: t.channelLiable, source: 'Shopify',
		};
	}

	private sumTaxLines(lines: SimTaxLine[]): SimTaxLine[] {
		const byKey = new Map<string, SimTaxLine>();
		for (const t of lines) {
			const key = `${t.title}|${t.rate}|${t.channelLiable}`;
			const seen = byKey.get(key);
			if (seen) seen.price = decimal(cents(seen.price) + cents(t.price));
			else byKey.set(key, { ...t });
		}
		return [...byKey.values()];
	}

	address(a: SimAddress | null, ownerId: number): View | null {
		if (!a) return null;
		const name = [a.firstName, a.lastName].filter(Boolean).join(' ') || null;
		return {
			id: `gid://shopify/MailingAddress/${ownerId}?model_name=Address`, firstName: a.firstName, lastName: a.lastName, name, company: a.company,
			address1: a.address1, address2: a.address2, city: a.city, province: a.province, provinceCode: a.provinceCode, zip: a.zip,
			country: countryName(a.countryCode), countryCode: a.countryCode, countryCodeV2: a.countryCode, phone: a.phone, latitude: null, longitude: null,
			coordinatesValidated: false, timeZone: null, validationResultSummary: null,
			formattedArea: [a.city, a.provinceCode, countryName(a.countryCode)].filter(Boolean).join(', ') || null,
			formatted: (args: Args) =>
				[
					args.withName ? name : null, args.withCompany === false ? null : a.company, a.address1, a.address2,
					[a.city, a.provinceCode, a.zip].filter(Boolean).join(' '), countryName(a.countryCode),
				].filter((x): x is string => !!x),
		};
	}

	// ---- orders -------------------------------------------------------------------------------------

	/**
	 * The order's discount code as a DiscountCodeApplication (index 0, its only application):
	 * https://shopify.dev/docs/api/admin-graphql/latest/objects/DiscountCodeApplication
	 * Our reading of the enums, as REST reports such codes: line item codes are spread ACROSS ALL line items,
	 * free shipping applies to EACH shipping line at 100 %.
	 */
	discountApplication(d: SimDiscountCode): View {
		const shipping = d.type === 'FREE_SHIPPING';
		return {
			__typename: 'DiscountCodeApplication',
			code: d.code, index: 0, allocationMethod: shipping ? 'EACH' : 'ACROSS', targetSelection: 'ALL', targetType: shipping ? 'SHIPPING_LINE' : 'LINE_ITEM',
			value: d.type === 'FIXED_AMOUNT'
				? { __typename: 'MoneyV2', ...this.moneyV2(cents(d.value)) }
				: { __typename: 'PricingPercentageValue', percentage: Number(d.value) },
		};
	}

	/** https://shopify.dev/docs/api/admin-graphql/latest/objects/DiscountAllocation */
	private discountAllocation(d: SimDiscountCode, centsValue: number): View {
		return { allocatedAmount: this.moneyV2(centsValue), allocatedAmountSet: this.money(centsValue), discountApplication: () => this.discountApplication(d) };
	}

	order(o: SimOrder): View {
		const totals = orderTotals(o);
		const paid = paidCents(o);
		const refunded = cents(o.refundedAmount);
		const lineDiscounts = totals.lineDiscounts;
		// The line item code is an order-level ("cart") discount: https://shopify.dev/docs/api/admin-graphql/latest/objects/Order#field-Order.fields.cartDiscountAmountSet
		const cartDiscount = o.discountCode && o.discountCode.type !== 'FREE_SHIPPING' ? cents(o.discountCode.amount) : 0;
		const authorized = o.transactions.filter((t) => t.kind === 'AUTHORIZATION' && t.status === 'SUCCESS').reduce((s, t) => s + cents(t.amount), 0);
		const outstanding = o.cancelledAt ? 0 : Math.max(0, totals.total - paid);
		const quantity = o.lineItems.reduce((s, l) => s + l.quantity, 0);
		const refundedQuantity = o.lineItems.reduce((s, l) => s + refundedUnits(o, l.id).all, 0);
		const refundedShipping = (o.refunds ?? []).reduce((s, r) => s + cents(r.shipping), 0);
		const allTaxLines = [...o.lineItems.flatMap((l) => l.taxLines), ...o.shippingLines.flatMap((s) => s.taxLines), ...o.orderTaxLines];
		const activeFulfillments = o.fulfillments.filter((f) => f.status === 'SUCCESS');
		return {
			__typename: 'Order',
			id: gid('Order', o.id),
			legacyResourceId: String(o.id),
			name: o.name,
			createdAt: o.createdAt,
			updatedAt: o.updatedAt,
			processedAt: o.processedAt,
			cancelledAt: o.cancelledAt,
			cancelReason: o.cancelReason,
			closed: o.closed,
			closedAt: o.closedAt,
			confirmed: true,
			confirmationNumber: null,
			displayFinancialStatus: o.displayFinancialStatus,
			displayFulfillmentStatus: o.displayFulfillmentStatus,
			returnStatus: 'NO_RETURN',
			currencyCode: o.currencyCode,
			presentmentCurrencyCode: o.currencyCode,
			taxesIncluded: o.taxesIncluded,
			taxExempt: false,
			dutiesIncluded: false,
			estimatedTaxes: false,
			edited: false,
			hasTimelineComment: false,
			test: o.test,
			email: o.email,
			phone: o.phone,
			note: o.note,
			tags: [...o.tags],
			sourceName: o.sourceName,
			sourceIdentifier: o.sourceIdentifier,
			poNumber: o.poNumber,
			customerLocale: 'en',
			customerAcceptsMarketing: o.buyerAcceptsMarketing,
			discountCode: o.discountCode?.code ?? null,
			discountCodes: o.discountCode ? [o.discountCode.code] : [],
			discountApplications: (args: Args) =>
				paginateList(o.discountCode ? [o.discountCode] : [], args, () => 0, (d) => this.discountApplication(d)),
			paymentGatewayNames: [...new Set(o.transactions.map((t) => t.gateway))],
			statusPageUrl: `https://${this.data.store.shop.myshopifyDomain}/${this.data.store.shop.id}/orders/${o.id.toString(16)}/authenticate`,
			customAttributes: o.customAttributes.map((a) => ({ key: a.key, value: a.value })),
			customer: () => (o.customer ? this.customer(o) : null),
			shippingAddress: () => this.address(o.shippingAddress, o.id * 10 + 1),
			billingAddress: () => this.address(o.billingAddress, o.id * 10 + 2),
			displayAddress: () => this.address(o.shippingAddress ?? o.billingAddress, o.id * 10 + 1),
			billingAddressMatchesShippingAddress: JSON.stringify(o.billingAddress) === JSON.stringify(o.shippingAddress),
			requiresShipping: o.lineItems.some((l) => l.requiresShipping),
			subtotalLineItemsQuantity: quantity,
			currentSubtotalLineItemsQuantity: o.cancelledAt ? 0 : quantity - refundedQuantity,
			totalWeight: '0',
			currentTotalWeight: '0',
			// Money: original amounts, and "current" ones after refunds.
			subtotalPriceSet: () => this.money(totals.subtotal - lineDiscounts),
			currentSubtotalPriceSet: () => this.money(totals.subtotal - lineDiscounts),
			totalDiscountsSet: () => this.money(totals.discounts),
			currentTotalDiscountsSet: () => this.money(totals.discounts),
			cartDiscountAmountSet: () => (cartDiscount > 0 ? this.money(cartDiscount) : null),
			currentCartDiscountAmountSet: () => this.money(cartDiscount),
			// Shipping before discounts, and the "current" one after them and after the shipping refunded (refundCreate `shipping`).
			totalShippingPriceSet: () => this.money(totals.shipping),
			currentShippingPriceSet: () => this.money(totals.shipping - totals.shippingDiscounts - refundedShipping),
			totalTaxSet: () => this.money(totals.tax),
			currentTotalTaxSet: () => this.money(totals.tax),
			totalPriceSet: () => this.money(totals.total),
			originalTotalPriceSet: () => this.money(totals.total),
			currentTotalPriceSet: () => this.money(totals.total - refunded),
			totalRefundedSet: () => this.money(refunded),
			totalRefundedShippingSet: () => this.money(refundedShipping),
			totalReceivedSet: () => this.money(paid),
			netPaymentSet: () => this.money(paid - refunded),
			totalOutstandingSet: () => this.money(outstanding),
			totalCapturableSet: () => this.money(o.displayFinancialStatus === 'AUTHORIZED' ? authorized : 0),
			totalTipReceivedSet: () => this.money(0),
			refundDiscrepancySet: () => this.money(0),
			taxLines: () => this.sumTaxLines(allTaxLines).map((t) => this.taxLine(t)),
			currentTaxLines: () => this.sumTaxLines(allTaxLines).map((t) => this.taxLine(t)),
			unpaid: paid === 0 && o.displayFinancialStatus !== 'REFUNDED',
			fullyPaid: outstanding === 0,
			capturable: o.displayFinancialStatus === 'AUTHORIZED',
			canMarkAsPaid: ['PENDING', 'PARTIALLY_PAID'].includes(o.displayFinancialStatus) && !o.cancelledAt,
			canNotifyCustomer: !!o.email,
			refundable: paid - refunded > 0,
			restockable: !o.cancelledAt,
			fulfillable: !o.cancelledAt && o.lineItems.some((l) => l.requiresShipping && l.fulfillableQuantity > 0),
			merchantEditable: !o.cancelledAt,
			merchantEditableErrors: [],
			transactions: (args: Args) => this.limit(o.transactions, args.first).map((t) => this.transaction(o, t)),
			transactionsCount: { count: o.transactions.length, precision: 'EXACT' },
			refunds: (args: Args) => this.limit(refundsOf(o), args.first).map((r) => (r.legacy ? this.refund(o, r.transaction) : this.refundOf(o, r.refund))),
			lineItems: (args: Args) => paginateList(o.lineItems, args, (l) => l.id, (l) => this.lineItem(o, l)),
			nonFulfillableLineItems: (args: Args) =>
				paginateList(o.lineItems.filter((l) => !l.requiresShipping), args, (l) => l.id, (l) => this.lineItem(o, l)),
			shippingLines: (args: Args) => paginateList(o.shippingLines, args, (s) => s.id, (s) => this.shippingLine(s, o)),
			shippingLine: () => (o.shippingLines[0] ? this.shippingLine(o.shippingLines[0], o) : null),
			fulfillmentOrders: (args: Args) =>
				paginateList(o.fulfillmentOrders.filter((fo) => args.displayable !== true || fo.status !== 'CANCELLED'), args, (fo) => fo.id, (fo) => this.fulfillmentOrder(o, fo)),
			fulfillments: (args: Args) => this.limit(o.fulfillments, args.first).map((f) => this.fulfillment(o, f)),
			fulfillmentsCount: { count: activeFulfillments.length, precision: 'EXACT' },
			additionalFees: [],
			alerts: [],
			disputes: [],
		};
	}

	private limit<T>(items: T[], first: unknown): T[] {
		return typeof first === 'number' ? items.slice(0, Math.max(0, first)) : items;
	}

	customer(o: SimOrder): View {
		const c = o.customer!;
		return {
			__typename: 'Customer',
			id: gid('Customer', c.id), legacyResourceId: String(c.id), firstName: c.firstName, lastName: c.lastName,
			displayName: [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || '', email: c.email, phone: c.phone,
			note: null, tags: [], state: 'DISABLED', verifiedEmail: true, taxExempt: false, taxExemptions: [], locale: 'en',
			createdAt: o.createdAt, updatedAt: o.createdAt, numberOfOrders: '1', amountSpent: this.moneyV2(paidCents(o)),
			defaultAddress: () => this.address(o.billingAddress ?? o.shippingAddress, c.id),
			addresses: () => [o.billingAddress ?? o.shippingAddress].filter(Boolean).map((a) => this.address(a, c.id)),
		};
	}

	/**
	 * A line item. Its discount code allocation (codeDiscount) is an order-level, code-based discount, which
	 * https://shopify.dev/docs/api/admin-graphql/latest/objects/LineItem leaves out of totalDiscountSet,
	 * discountedUnitPriceSet and discountedTotalSet (unless withCodeDiscounts), and counts in discountAllocations
	 * and discountedUnitPriceAfterAllDiscountsSet. Other line discounts (seeded ones) count everywhere.
	 */
	lineItem(o: SimOrder, l: SimLineItem): View {
		const refunded = refundedUnits(o, l.id);
		const original = cents(l.unitPrice) * l.quantity;
		const allDiscounts = cents(l.discount);
		const codeDiscount = cents(l.codeDiscount ?? '0.00');
		const discount = allDiscounts - codeDiscount;
		const unit = (off: number) => (l.quantity > 0 ? Math.round((original - off) / l.quantity) : 0);
		const discountedUnit = unit(discount);
		return {
			__typename: 'LineItem',
			id: gid('LineItem', l.id), sku: l.sku, name: l.name, title: l.title, variantTitle: l.variantTitle, vendor: l.vendor,
			// currentQuantity: "The number of units ordered, excluding refunded and removed units"; refundableQuantity: "The line
			// item's quantity, minus the refunded quantity"; nonFulfillableQuantity: units that can't be fulfilled, "for example,
			// if items have been refunded" (our reading: the unfulfilled units refunds took off the fulfillment).
			quantity: l.quantity, currentQuantity: o.cancelledAt ? 0 : Math.max(0, l.quantity - refunded.all), unfulfilledQuantity: l.fulfillableQuantity,
			fulfillableQuantity: l.fulfillableQuantity, nonFulfillableQuantity: refunded.unfulfilled, refundableQuantity: refundableUnits(o, l),
			requiresShipping: l.requiresShipping, taxable: l.taxable, isGiftCard: false, restockable: true, merchantEditable: !o.cancelledAt,
			customAttributes: [], duties: [],
			discountAllocations: o.discountCode && codeDiscount > 0 ? [this.discountAllocation(o.discountCode, codeDiscount)] : [],
			originalUnitPriceSet: () => this.money(cents(l.unitPrice)),
			originalTotalSet: () => this.money(original),
			totalDiscountSet: () => this.money(discount),
			discountedUnitPriceSet: () => this.money(discountedUnit),
			discountedUnitPriceAfterAllDiscountsSet: () => this.money(unit(allDiscounts)),
			discountedTotalSet: (args: Args) => this.money(original - discount - (args.withCodeDiscounts === true ? codeDiscount : 0)),
			unfulfilledOriginalTotalSet: () => this.money(cents(l.unitPrice) * l.fulfillableQuantity),
			unfulfilledDiscountedTotalSet: () => this.money(discountedUnit * l.fulfillableQuantity),
			taxLines: (args: Args) => this.limit(l.taxLines, args.first).map((t) => this.taxLine(t)),
			product: () => {
				const p = l.productId === null ? undefined : this.data.product(l.productId);
				return p ? this.product(p) : null;
			},
			variant: () => {
				const v = l.variantId === null ? undefined : this.data.variant(l.variantId);
				return v ? this.variant(v) : null;
			},
		};
	}

	/** A shipping line; a free shipping code shows as its discount allocation (the price it took off). */
	shippingLine(s: SimShippingLine, o?: SimOrder): View {
		const code = o?.discountCode?.type === 'FREE_SHIPPING' ? o.discountCode : null;
		const off = cents(s.price) - cents(s.discountedPrice);
		return {
			id: gid('ShippingLine', s.id), title: s.title, code: s.code, source: s.source, carrierIdentifier: null, custom: false, deliveryCategory: null,
			isRemoved: false, phone: null, shippingRateHandle: null,
			discountAllocations: code && off > 0 ? [this.discountAllocation(code, off)] : [],
			originalPriceSet: () => this.money(cents(s.price)),
			discountedPriceSet: () => this.money(cents(s.discountedPrice)),
			currentDiscountedPriceSet: () => this.money(cents(s.discountedPrice)),
			taxLines: () => s.taxLines.map((t) => this.taxLine(t)),
		};
	}

	transaction(o: SimOrder, t: SimTransaction): View {
		return {
			__typename: 'OrderTransaction',
			id: gid('OrderTransaction', t.id), kind: t.kind, status: t.status, gateway: t.gateway,
			formattedGateway: t.gateway === 'manual' ? 'Manual' : t.gateway.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
			manualPaymentGateway: t.gateway === 'manual', processedAt: t.processedAt, createdAt: t.processedAt, test: o.test, errorCode: null,
			authorizationCode: null, authorizationExpiresAt: null, paymentId: `#${o.orderNumber}.${o.transactions.indexOf(t) + 1}`,
			receiptJson: '{}', fees: [], multiCapturable: false, manuallyCapturable: false, accountNumber: null,
			parentTransaction: () => {
				const parent = t.parentId ? o.transactions.find((x) => x.id === t.parentId) : undefined;
				return parent ? this.transaction(o, parent) : null;
			},
			amountSet: () => this.money(cents(t.amount)),
			amount: t.amount,
			order: () => this.order(o),
		};
	}

	/** A refund of money only: a REFUND transaction outside refundCreate's refunds (orderCancel with refund, the seed). */
	refund(o: SimOrder, t: SimTransaction): View {
		return {
			__typename: 'Refund',
			id: gid('Refund', t.id), legacyResourceId: String(t.id), createdAt: t.processedAt, updatedAt: t.processedAt, note: null, duties: [],
			return: null, staffMember: null,
			totalRefundedSet: () => this.money(cents(t.amount)),
			totalRefunded: () => this.moneyV2(cents(t.amount)),
			order: () => this.order(o),
			transactions: (args: Args) => paginateList([t], args, (x) => x.id, (x) => this.transaction(o, x)),
			refundLineItems: (args: Args) => paginateList([] as never[], args, () => 0, () => ({})),
			refundShippingLines: (args: Args) => paginateList([] as never[], args, () => 0, () => ({})),
			orderAdjustments: (args: Args) => paginateList([] as never[], args, () => 0, () => ({})),
		};
	}

	/**
	 * A refund placed with refundCreate: https://shopify.dev/docs/api/admin-graphql/latest/objects/Refund
	 * totalRefundedSet is "the total amount across all transactions for the refund"; the shipping refunded is
	 * spread over the order's shipping lines in proportion to their price after discounts (our reading), tax-free.
	 */
	refundOf(o: SimOrder, r: SimRefund): View {
		const transactions = o.transactions.filter((t) => r.transactionIds.includes(t.id));
		const total = transactions.reduce((s, t) => s + cents(t.amount), 0);
		const shippingParts = allocate(cents(r.shipping), o.shippingLines.map((s) => cents(s.discountedPrice)));
		const shippingRefunds = cents(r.shipping) > 0 ? o.shippingLines.map((line, i) => ({ line, amount: shippingParts[i] })).filter((x) => x.amount > 0) : [];
		return {
			__typename: 'Refund',
			id: gid('Refund', r.id), legacyResourceId: String(r.id), createdAt: r.createdAt, updatedAt: r.createdAt, note: r.note, duties: [],
			return: null, staffMember: null,
			totalRefundedSet: () => this.money(total),
			totalRefunded: () => this.moneyV2(total),
			order: () => this.order(o),
			transactions: (args: Args) => paginateList(transactions, args, (x) => x.id, (x) => this.transaction(o, x)),
			refundLineItems: (args: Args) =>
				paginateList(r.refundLineItems, args, (x) => x.id, (x) => {
					const line = o.lineItems.find((l) => l.id === x.lineItemId)!;
					return {
						id: gid('RefundLineItem', x.id), quantity: x.quantity, restockType: x.restockType, restocked: x.restocked,
						lineItem: () => this.lineItem(o, line),
						location: () => {
							const location = x.locationId === null ? undefined : this.data.location(x.locationId);
							return location ? this.location(location) : null;
						},
						price: x.price, priceSet: () => this.money(cents(x.price)),
						subtotal: x.subtotal, subtotalSet: () => this.money(cents(x.subtotal)),
						totalTax: x.totalTax, totalTaxSet: () => this.money(cents(x.totalTax)),
					};
				}),
			refundShippingLines: (args: Args) =>
				paginateList(shippingRefunds, args, (x) => x.line.id, (x) => ({
					__typename: 'RefundShippingLine',
					id: gid('RefundShippingLine', x.line.id), shippingLine: () => this.shippingLine(x.line, o),
					subtotalAmountSet: () => this.money(x.amount), taxAmountSet: () => this.money(0),
				})),
			orderAdjustments: (args: Args) => paginateList([] as never[], args, () => 0, () => ({})),
		};
	}

	// ---- fulfillment ---------------------------------------------------------------------------------

	fulfillmentOrder(o: SimOrder, fo: SimFulfillmentOrder): View {
		const open = fo.status === 'OPEN' || fo.status === 'IN_PROGRESS';
		return {
			__typename: 'FulfillmentOrder',
			id: gid('FulfillmentOrder', fo.id), status: fo.status, requestStatus: 'UNSUBMITTED', createdAt: fo.createdAt, updatedAt: fo.updatedAt,
			orderId: gid('Order', o.id), orderName: o.name, orderProcessedAt: o.processedAt, fulfillAt: null, fulfillBy: null, fulfillmentHolds: [],
			deliveryMethod: null, destination: null, internationalDuties: null,
			supportedActions: open ? [{ action: 'CREATE_FULFILLMENT', externalUrl: null }, { action: 'HOLD', externalUrl: null }] : [],
			order: () => this.order(o),
			assignedLocation: () => {
				const location = this.data.location(fo.locationId);
				return {
					name: location?.name ?? 'Location', countryCode: 'US', address1: null, address2: null, city: null, phone: null, province: null, zip: null,
					location: location ? this.location(location) : null,
				};
			},
			lineItems: (args: Args) =>
				paginateList(fo.lineItems, args, (x) => x.id, (x) => {
					const line = o.lineItems.find((l) => l.id === x.lineItemId)!;
					const variant = line.variantId === null ? undefined : this.data.variant(line.variantId);
					return {
						id: gid('FulfillmentOrderLineItem', x.id), totalQuantity: x.totalQuantity, remainingQuantity: x.remainingQuantity, sku: line.sku,
						productTitle: line.title, variantTitle: line.variantTitle, vendor: line.vendor, requiresShipping: line.requiresShipping,
						inventoryItemId: variant ? gid('InventoryItem', variant.inventoryItemId) : null, warnings: [], financialSummaries: [], image: null, weight: null,
						lineItem: () => this.lineItem(o, line),
						variant: () => (variant ? this.variant(variant) : null),
					};
				}),
			fulfillments: (args: Args) =>
				paginateList(o.fulfillments.filter((f) => f.fulfillmentOrderIds.includes(fo.id)), args, (f) => f.id, (f) => this.fulfillment(o, f)),
		};
	}

	fulfillment(o: SimOrder, f: SimFulfillment): View {
		return {
			__typename: 'Fulfillment',
			id: gid('Fulfillment', f.id), legacyResourceId: String(f.id), name: f.name, status: f.status,
			displayStatus: f.status === 'CANCELLED' ? 'CANCELED' : 'FULFILLED', createdAt: f.createdAt, updatedAt: f.updatedAt, deliveredAt: null,
			inTransitAt: null, estimatedDeliveryAt: null, requiresShipping: true, originAddress: null, service: null,
			totalQuantity: f.lineItems.reduce((s, l) => s + l.quantity, 0),
			trackingInfo: (args: Args) => this.limit(f.trackingInfo, args.first).map((t) => ({ company: t.company, number: t.number, url: t.url })),
			order: () => this.order(o),
			location: () => {
				const location = this.data.location(f.locationId);
				return location ? this.location(location) : null;
			},
			fulfillmentLineItems: (args: Args) =>
				paginateList(f.lineItems, args, (x) => x.id, (x) => {
					const line = o.lineItems.find((l) => l.id === x.lineItemId)!;
					return {
						id: gid('FulfillmentLineItem', x.id), quantity: x.quantity,
						lineItem: () => this.lineItem(o, line),
						originalTotalSet: () => this.money(cents(line.unitPrice) * x.quantity),
						discountedTotalSet: () => this.money(cents(line.unitPrice) * x.quantity - Math.round((cents(line.discount) * x.quantity) / line.quantity)),
					};
				}),
			fulfillmentOrders: (args: Args) =>
				paginateList(o.fulfillmentOrders.filter((fo) => f.fulfillmentOrderIds.includes(fo.id)), args, (fo) => fo.id, (fo) => this.fulfillmentOrder(o, fo)),
		};
	}

	// ---- catalogue and inventory ---------------------------------------------------------------------

	product(p: SimProduct): View {
		const variants = this.data.variantsOf(p.id);
		const levels = () => variants.flatMap((v) => this.data.levelsOfItem(v.inventoryItemId));
		return {
			__typename: 'Product',
			id: gid('Product', p.id), legacyResourceId: String(p.id), title: p.title, handle: p.handle, status: p.status, vendor: p.vendor,
			productType: p.productType, tags: [...p.tags], createdAt: p.createdAt, updatedAt: p.updatedAt, publishedAt: p.createdAt,
			description: '', descriptionHtml: '', isGiftCard: false, publishedOnCurrentPublication: p.status === 'ACTIVE', requiresSellingPlan: false, templateSuffix: null, giftCardTemplateSuffix: null,
			onlineStoreUrl: null, onlineStorePreviewUrl: null, defaultCursor: Buffer.from(JSON.stringify({ last_id: p.id, last_value: p.id })).toString('base64'),
			hasOnlyDefaultVariant: variants.length === 1 && variants[0].title === 'Default Title',
			hasVariantsThatRequiresComponents: variants.some((v) => v.requiresComponents),
			tracksInventory: variants.some((v) => this.data.inventoryItem(v.inventoryItemId)?.tracked),
			totalInventory: () => levels().reduce((s, l) => s + l.available, 0),
			hasOutOfStockVariants: () => variants.some((v) => this.data.levelsOfItem(v.inventoryItemId).reduce((s, l) => s + l.available, 0) <= 0),
			variants: (args: Args) => paginateList(variants, args, (v) => v.id, (v) => this.variant(v)),
			variantsCount: { count: variants.length, precision: 'EXACT' },
		};
	}

	variant(v: SimVariant): View {
		const product = this.data.product(v.productId);
		const available = () => this.data.levelsOfItem(v.inventoryItemId).reduce((s, l) => s + l.available, 0);
		return {
			__typename: 'ProductVariant',
			id: gid('ProductVariant', v.id), legacyResourceId: String(v.id), title: v.title,
			displayName: `${product?.title ?? ''} - ${v.title}`, sku: v.sku, barcode: v.barcode, price: v.price, compareAtPrice: v.compareAtPrice,
			inventoryPolicy: v.inventoryPolicy, requiresComponents: v.requiresComponents, createdAt: v.createdAt, updatedAt: v.updatedAt,
			position: this.data.variantsOf(v.productId).indexOf(v) + 1, taxable: true, taxCode: null, image: null,
			defaultCursor: Buffer.from(JSON.stringify({ last_id: v.id, last_value: v.id })).toString('base64'),
			inventoryQuantity: available,
			sellableOnlineQuantity: () => Math.max(0, available()),
			availableForSale: () => product?.status === 'ACTIVE' && (available() > 0 || v.inventoryPolicy === 'CONTINUE'),
			product: () => (product ? this.product(product) : null),
			inventoryItem: () => {
				const item = this.data.inventoryItem(v.inventoryItemId);
				return item ? this.inventoryItem(item) : null;
			},
			// https://shopify.dev/docs/api/admin-graphql/latest/objects/ProductVariantComponent: empty for a variant that is not a bundle.
			productVariantComponents: (args: Args) => paginateList(v.components ?? [], args, (c) => c.id, (c) => {
				const part = this.data.variant(c.variantId);
				return { __typename: 'ProductVariantComponent', id: gid('ProductVariantComponent', c.id), quantity: c.quantity, productVariant: part ? this.variant(part) : null };
			}),
		};
	}

	inventoryItem(i: SimInventoryItem): View {
		return {
			__typename: 'InventoryItem',
			id: gid('InventoryItem', i.id), legacyResourceId: String(i.id), sku: i.sku, tracked: i.tracked, requiresShipping: true,
			createdAt: i.createdAt, updatedAt: i.updatedAt, duplicateSkuCount: 0, unitCost: null, countryCodeOfOrigin: null, provinceCodeOfOrigin: null,
			harmonizedSystemCode: null, inventoryHistoryUrl: null, trackedEditable: { locked: false, reason: null },
			locationsCount: () => ({ count: this.data.levelsOfItem(i.id).length, precision: 'EXACT' }),
			variant: () => {
				const v = this.data.variantOfItem(i);
				return v ? this.variant(v) : null;
			},
			inventoryLevel: (args: Args) => {
				const locationId = idOf(String(args.locationId), 'Location');
				const level = locationId === undefined ? undefined : this.data.level(i.id, locationId);
				return level ? this.inventoryLevel(level) : null;
			},
			inventoryLevels: (args: Args) => paginateList(this.data.levelsOfItem(i.id).filter(matcher(args.query as string | null, levelSearch)), args, (l) => l.locationId, (l) => this.inventoryLevel(l)),
		};
	}

	inventoryLevel(l: SimInventoryLevel): View {
		return {
			__typename: 'InventoryLevel',
			id: `gid://shopify/InventoryLevel/${l.locationId}?inventory_item_id=${l.inventoryItemId}`,
			createdAt: this.data.inventoryItem(l.inventoryItemId)?.createdAt ?? l.updatedAt, updatedAt: l.updatedAt, canDeactivate: true,
			deactivationAlert: null,
			quantities: (args: Args) => {
				const names = (args.names as string[]) ?? [];
				const unknown = names.filter((n) => !QUANTITY_NAMES.includes(n));
				if (unknown.length > 0) throw new GraphQLError(`Invalid quantity name${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Valid names are: ${QUANTITY_NAMES.join(', ')}.`);
				return names.map((name) => ({
					id: `gid://shopify/InventoryQuantity/${l.locationId}?inventory_item_id=${l.inventoryItemId}&name=${name}`,
					name, quantity: quantityOf(l, name), updatedAt: l.updatedAt,
				}));
			},
			item: () => {
				const item = this.data.inventoryItem(l.inventoryItemId);
				return item ? this.inventoryItem(item) : null;
			},
			location: () => {
				const location = this.data.location(l.locationId);
				return location ? this.location(location) : null;
			},
		};
	}

	location(l: SimLocation): View {
		return {
			__typename: 'Location',
			id: gid('Location', l.id), legacyResourceId: String(l.id), name: l.name, isActive: l.isActive, fulfillsOnlineOrders: l.fulfillsOnlineOrders,
			shipsInventory: true, isFulfillmentService: false, activatable: !l.isActive, deactivatable: l.isActive, deletable: false,
			addressVerified: true, createdAt: this.data.store.shop.createdAt, updatedAt: this.data.store.shop.createdAt, deactivatedAt: null,
			fulfillmentService: null, localPickupSettingsV2: null, suggestedAddresses: [],
			hasActiveInventory: () => this.data.levelsAt(l.id).length > 0,
			hasUnfulfilledOrders: () => this.data.store.orders.some((o) => o.locationId === l.id && o.displayFulfillmentStatus !== 'FULFILLED' && !o.cancelledAt),
			address: {
				address1: '1 Warehouse Way', address2: null, city: 'Springfield', province: 'Illinois', provinceCode: 'IL', zip: '62701',
				country: 'United States', countryCode: 'US', phone: null, latitude: null, longitude: null,
				formatted: ['1 Warehouse Way', 'Springfield IL 62701', 'United States'],
			},
			inventoryLevel: (args: Args) => {
				const itemId = idOf(String(args.inventoryItemId), 'InventoryItem');
				const level = itemId === undefined ? undefined : this.data.level(itemId, l.id);
				return level ? this.inventoryLevel(level) : null;
			},
			inventoryLevels: (args: Args) => paginateList(this.data.levelsAt(l.id).filter(matcher(args.query as string | null, levelSearch)), args, (x) => x.inventoryItemId, (x) => this.inventoryLevel(x)),
		};
	}

	draftOrder(d: SimDraftOrder): View {
		const subtotal = d.lineItems.reduce((s, l) => s + cents(l.unitPrice) * l.quantity, 0);
		return {
			__typename: 'DraftOrder',
			id: gid('DraftOrder', d.id), legacyResourceId: String(d.id), name: d.name, status: d.status, email: d.email, note2: d.note, note: d.note,
			tags: [...d.tags], createdAt: d.createdAt, updatedAt: d.updatedAt, currencyCode: this.currency, presentmentCurrencyCode: this.currency,
			taxExempt: d.taxExempt, taxesIncluded: false, ready: true, completedAt: null, invoiceSentAt: null, order: null, phone: null, poNumber: null,
			invoiceUrl: `https://${this.data.store.shop.myshopifyDomain}/${this.data.store.shop.id}/invoices/${d.id.toString(16)}`,
			visibleToCustomer: false, warnings: [], platformDiscounts: [], discountCodes: [], customAttributes: [], taxLines: [],
			allowDiscountCodesInCheckout: false, allVariantPricesOverridden: false, anyVariantPricesOverridden: false, hasTimelineComment: false,
			billingAddressMatchesShippingAddress: JSON.stringify(d.billingAddress) === JSON.stringify(d.shippingAddress),
			invoiceEmailTemplateSubject: `Complete your purchase`, totalWeight: '0', reserveInventoryUntil: null, appliedDiscount: null,
			defaultCursor: Buffer.from(JSON.stringify({ last_id: d.id, last_value: d.id })).toString('base64'),
			totalQuantityOfLineItems: d.lineItems.reduce((s, l) => s + l.quantity, 0),
			shippingAddress: () => this.address(d.shippingAddress, d.id * 10 + 1),
			billingAddress: () => this.address(d.billingAddress, d.id * 10 + 2),
			subtotalPriceSet: () => this.money(subtotal),
			lineItemsSubtotalPrice: () => this.money(subtotal),
			totalLineItemsPriceSet: () => this.money(subtotal),
			totalPriceSet: () => this.money(subtotal),
			totalDiscountsSet: () => this.money(0),
			totalShippingPriceSet: () => this.money(0),
			totalTaxSet: () => this.money(0),
			lineItems: (args: Args) =>
				paginateList(d.lineItems, args, (l) => l.id, (l) => ({
					id: gid('DraftOrderLineItem', l.id), uuid: `sim-${l.id}`, sku: l.sku, title: l.title, name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
					variantTitle: l.variantTitle, vendor: null, quantity: l.quantity, custom: l.custom, requiresShipping: l.requiresShipping, taxable: l.taxable,
					isGiftCard: false, taxLines: [], customAttributes: [], customAttributesV2: [], bundleComponents: [], appliedDiscount: null, image: null,
					originalUnitPriceSet: () => this.money(cents(l.unitPrice)),
					originalUnitPriceWithCurrency: () => this.moneyV2(cents(l.unitPrice)),
					approximateDiscountedUnitPriceSet: () => this.money(cents(l.unitPrice)),
					originalTotalSet: () => this.money(cents(l.unitPrice) * l.quantity),
					discountedTotalSet: () => this.money(cents(l.unitPrice) * l.quantity),
					totalDiscountSet: () => this.money(0),
					variant: () => {
						const v = l.variantId === null ? undefined : this.data.variant(l.variantId);
						return v ? this.variant(v) : null;
					},
					product: () => {
						const p = l.productId === null ? undefined : this.data.product(l.productId);
						return p ? this.product(p) : null;
					},
				})),
		};
	}

	shop(): View {
		const s = this.data.store.shop;
		return {
			__typename: 'Shop',
			id: gid('Shop', s.id), name: s.name, email: s.email, contactEmail: s.email, shopOwnerName: 'Sim Owner', myshopifyDomain: s.myshopifyDomain,
			url: `https://${s.myshopifyDomain}`, primaryDomain: { id: gid('Domain', s.id), host: s.myshopifyDomain, url: `https://${s.myshopifyDomain}`, sslEnabled: true },
			currencyCode: s.currencyCode, enabledPresentmentCurrencies: [s.currencyCode], ianaTimezone: s.ianaTimezone, timezoneAbbreviation: 'UTC',
			timezoneOffset: '+0000', timezoneOffsetMinutes: 0, taxesIncluded: false, taxShipping: false, weightUnit: 'KILOGRAMS', unitSystem: 'METRIC_SYSTEM',
			createdAt: s.createdAt, updatedAt: s.createdAt, setupRequired: false, checkoutApiSupported: true, transactionalSmsDisabled: false,
			marketingSmsConsentEnabledAtCheckout: false, customerAccounts: 'OPTIONAL', orderNumberFormatPrefix: '#', orderNumberFormatSuffix: '', description: null,
			shipsToCountries: ['US', 'CA', 'GB'], alerts: [], fulfillmentServices: [], shopPolicies: [], navigationSettings: [],
			plan: { displayName: s.planDisplayName, partnerDevelopment: false, shopifyPlus: false },
		};
	}

	/** The object behind a global id, for node/nodes; null for unknown ids and types the simulator does not model. */
	node(id: string): View | null {
		const parsed = parseGid(id);
		if (!parsed) throw new GraphQLError(`Invalid global id '${id}'`, { extensions: { code: 'argumentLiteralsIncompatible' } });
		const d = this.data;
		switch (parsed.type) {
			case 'Order': {
				const o = d.order(parsed.id);
				return o ? this.order(o) : null;
			}
			case 'LineItem': {
				const found = d.lineItem(parsed.id);
				return found ? this.lineItem(found.order, found.line) : null;
			}
			case 'Product': {
				const p = d.product(parsed.id);
				return p ? this.product(p) : null;
			}
			case 'ProductVariant': {
				const v = d.variant(parsed.id);
				return v ? this.variant(v) : null;
			}
			case 'InventoryItem': {
				const i = d.inventoryItem(parsed.id);
				return i ? this.inventoryItem(i) : null;
			}
			case 'InventoryLevel': {
				const itemId = Number(/inventory_item_id=(\d+)/.exec(id)?.[1]);
				const l = d.level(itemId, parsed.id);
				return l ? this.inventoryLevel(l) : null;
			}
			case 'Location': {
				const l = d.location(parsed.id);
				return l ? this.location(l) : null;
			}
			case 'FulfillmentOrder': {
				const found = d.fulfillmentOrder(parsed.id);
				return found ? this.fulfillmentOrder(found.order, found.fo) : null;
			}
			case 'Fulfillment': {
				const found = d.fulfillment(parsed.id);
				return found ? this.fulfillment(found.order, found.fulfillment) : null;
			}
			case 'DraftOrder': {
				const draft = d.draftOrder(parsed.id);
				return draft ? this.draftOrder(draft) : null;
			}
			case 'Refund': {
				for (const o of d.store.orders) {
					for (const r of refundsOf(o)) {
						if (!r.legacy && r.refund.id === parsed.id) return this.refundOf(o, r.refund);
						if (r.legacy && r.transaction.id === parsed.id) return this.refund(o, r.transaction);
					}
				}
				return null;
			}
			case 'Customer': {
				const o = d.store.orders.find((x) => x.customer?.id === parsed.id);
				return o ? this.customer(o) : null;
			}
			default:
				return this.otherNodes.get(parsed.type)?.(id) ?? null;
		}
	}

	// ---- root fields -----------------------------------------------------------------------------------

	/** The QueryRoot fields the simulator serves: https://shopify.dev/docs/api/admin-graphql/latest/queries */
	queryRoot(): View {
		const d = this.data;
		const store = d.store;
		const typed = <T>(value: unknown, type: string, find: (id: number) => T | undefined): T | undefined => {
			const id = idOf(String(value), type);
			return id === undefined ? undefined : find(id);
		};
		const root: View = {
			shop: () => this.shop(),
			order: (args: Args) => {
				const o = typed(args.id, 'Order', (id) => d.order(id));
				return o ? this.order(o) : null;
			},
			orders: (args: Args) => this.orders(args),
			ordersCount: (args: Args) => {
				const test = matcher(args.query as string | null, orderSearch);
				const count = store.orders.filter(test).length;
				const limit = typeof args.limit === 'number' ? args.limit : 10_000;
				return { count: Math.min(count, limit), precision: count > limit ? 'AT_LEAST' : 'EXACT' };
			},
			node: (args: Args) => this.node(String(args.id)),
			nodes: (args: Args) => (args.ids as string[]).map((id) => this.node(id)),
			product: (args: Args) => {
				const p = typed(args.id, 'Product', (id) => d.product(id));
				return p ? this.product(p) : null;
			},
			productByHandle: (args: Args) => {
				const p = store.products.find((x) => x.handle === args.handle);
				return p ? this.product(p) : null;
			},
			productByIdentifier: (args: Args) => {
				const identifier = (args.identifier ?? {}) as { id?: string; handle?: string };
				const p = identifier.id
					? typed(identifier.id, 'Product', (id) => d.product(id))
					: store.products.find((x) => x.handle === identifier.handle);
				return p ? this.product(p) : null;
			},
			products: (args: Args) => {
				const key = String(args.sortKey ?? 'ID');
				const position = key === 'TITLE' ? (p: SimProduct) => ({ value: p.title, id: p.id })
					: key === 'UPDATED_AT' ? (p: SimProduct) => ({ value: p.updatedAt, id: p.id })
						: key === 'CREATED_AT' ? (p: SimProduct) => ({ value: p.createdAt, id: p.id })
							: (p: SimProduct) => ({ value: p.id, id: p.id });
				const sorted = d.sortedBy(`products:${key}`, () => store.products, position);
				return paginate(sorted, args as ConnectionArgs, matcher(args.query as string | null, productSearch(d)), (p) => this.product(p));
			},
			productsCount: (args: Args) => ({ count: store.products.filter(matcher(args.query as string | null, productSearch(d))).length, precision: 'EXACT' }),
			productVariant: (args: Args) => {
				const v = typed(args.id, 'ProductVariant', (id) => d.variant(id));
				return v ? this.variant(v) : null;
			},
			productVariants: (args: Args) => {
				const key = String(args.sortKey ?? 'ID');
				const position = key === 'SKU' ? (v: SimVariant) => ({ value: v.sku ?? '', id: v.id })
					: key === 'TITLE' ? (v: SimVariant) => ({ value: v.title, id: v.id })
						: (v: SimVariant) => ({ value: v.id, id: v.id });
				const sorted = d.sortedBy(`variants:${key}`, () => store.variants, position);
				return paginate(sorted, args as ConnectionArgs, matcher(args.query as string | null, variantSearch), (v) => this.variant(v));
			},
			productVariantsCount: (args: Args) => ({ count: store.variants.filter(matcher(args.query as string | null, variantSearch)).length, precision: 'EXACT' }),
			location: (args: Args) => {
				const l = args.id ? typed(args.id, 'Location', (id) => d.location(id)) : store.locations[0];
				return l ? this.location(l) : null;
			},
			locations: (args: Args) => {
				const visible = (l: SimLocation) => l.isActive || args.includeInactive === true;
				const byName = String(args.sortKey ?? 'NAME') === 'NAME';
				const sorted = d.sortedBy(`locations:${byName}`, () => store.locations, (l) => ({ value: byName ? l.name : l.id, id: l.id }));
				const test = matcher(args.query as string | null, (l: SimLocation, field) => (field === null || field === 'name' ? [l.name] : field === 'id' ? [l.id] : undefined));
				return paginate(sorted, args as ConnectionArgs, (l) => visible(l) && test(l), (l) => this.location(l));
			},
			locationsCount: () => ({ count: store.locations.filter((l) => l.isActive).length, precision: 'EXACT' }),
			inventoryItem: (args: Args) => {
				const i = typed(args.id, 'InventoryItem', (id) => d.inventoryItem(id));
				return i ? this.inventoryItem(i) : null;
			},
			inventoryItems: (args: Args) => {
				const sorted = d.sortedBy('inventoryItems:ID', () => store.inventoryItems, (i) => ({ value: i.id, id: i.id }));
				return paginate(sorted, args as ConnectionArgs, matcher(args.query as string | null, inventoryItemSearch), (i) => this.inventoryItem(i));
			},
			inventoryLevel: (args: Args) => this.node(String(args.id)),
			draftOrder: (args: Args) => {
				const draft = typed(args.id, 'DraftOrder', (id) => d.draftOrder(id));
				return draft ? this.draftOrder(draft) : null;
			},
			draftOrders: (args: Args) => {
				const sorted = d.sortedBy('draftOrders:ID', () => store.draftOrders, (x) => ({ value: x.id, id: x.id }));
				const test = matcher(args.query as string | null, (x: SimDraftOrder, field) =>
					field === null || field === 'name' ? [x.name] : field === 'status' ? [x.status.toLowerCase()] : field === 'tag' ? x.tags : field === 'id' ? [x.id] : undefined);
				return paginate(sorted, args as ConnectionArgs, test, (x) => this.draftOrder(x));
			},
			fulfillmentOrder: (args: Args) => {
				const found = typed(args.id, 'FulfillmentOrder', (id) => d.fulfillmentOrder(id));
				return found ? this.fulfillmentOrder(found.order, found.fo) : null;
			},
			fulfillment: (args: Args) => {
				const found = typed(args.id, 'Fulfillment', (id) => d.fulfillment(id));
				return found ? this.fulfillment(found.order, found.fulfillment) : null;
			},
			job: (args: Args) => {
				const id = String(args.id);
				return this.jobs.has(id) ? { id, done: this.jobs.get(id), query: () => root } : null;
			},
		};
		return root;
	}

	/** `orders(…)`: keyset pagination over the chosen sort key, filtered by the search query. */
	orders(args: Args): Connection<View> {
		const requested = String(args.sortKey ?? 'PROCESSED_AT');
		const key = KNOWN_ORDER_SORTS.includes(requested) ? requested : 'ID';
		const sorted = this.data.sortedBy(`orders:${key}`, () => this.data.store.orders, orderPosition(key));
		return paginate(sorted, args as ConnectionArgs, matcher(args.query as string | null, orderSearch), (o) => this.order(o));
	}
}
