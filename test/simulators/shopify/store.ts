/**
 * The simulated shop's data: plain JSON (served whole by GET /__sim/state), with numeric ids that the
 * GraphQL layer turns into gid://shopify/Type/N. Amounts are decimal strings in the shop's currency, as
 * Shopify's MoneyV2.amount; the presentment currency is the shop currency (one-currency shop). Timestamps
 * are ISO 8601 UTC with whole seconds and a 'Z' (Shopify's DateTime scalar has no milliseconds).
 */
import { intBetween, pick, seededRandom } from '../common/random';

export interface SimAddress {
	firstName: string | null;
	lastName: string | null;
	company: string | null;
	address1: string | null;
	address2: string | null;
	city: string | null;
	province: string | null;
	provinceCode: string | null;
	zip: string | null;
	countryCode: string | null;
	phone: string | null;
}

export interface SimLocation {
	id: number;
	name: string;
	isActive: boolean;
	fulfillsOnlineOrders: boolean;
}

export interface SimProduct {
	id: number;
	title: string;
	handle: string;
	status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED';
	vendor: string;
	productType: string;
	tags: string[];
	createdAt: string;
	updatedAt: string;
}

export interface SimVariant {
	id: number;
	productId: number;
	title: string;
	sku: string | null;
	barcode: string | null;
	price: string;
	compareAtPrice: string | null;
	inventoryItemId: number;
	/** DENY: orders decrementing "obeying policy" fail when stock is short; CONTINUE: they may oversell. */
	inventoryPolicy: 'DENY' | 'CONTINUE';
	/** A bundle parent: its stock follows its components, and inventory writes to it are rejected. */
	requiresComponents: boolean;
	/** A bundle parent's components (ProductVariant.productVariantComponents): a variant and the units one bundle uses. */
	components?: Array<{ id: number; variantId: number; quantity: number }>;
	createdAt: string;
	updatedAt: string;
}

export interface SimInventoryItem {
	id: number;
	variantId: number;
	sku: string | null;
	tracked: boolean;
	createdAt: string;
	updatedAt: string;
}

/** One inventory item at one location. on_hand = available + committed (other states are not modelled). */
export interface SimInventoryLevel {
	inventoryItemId: number;
	locationId: number;
	available: number;
	committed: number;
	onHand: number;
	updatedAt: string;
}

export interface SimTaxLine {
	title: string;
	/** Decimal rate, e.g. 0.2 for 20 %. */
	rate: number;
	price: string;
	channelLiable: boolean;
}

export interface SimLineItem {
	id: number;
	variantId: number | null;
	productId: number | null;
	sku: string | null;
	title: string;
	variantTitle: string | null;
	name: string;
	vendor: string | null;
	quantity: number;
	/** Quantity not yet fulfilled nor removed. */
	fulfillableQuantity: number;
	requiresShipping: boolean;
	taxable: boolean;
	unitPrice: string;
	/** Discount on the whole line (all units), every kind included: what the line's total is reduced by. */
	discount: string;
	/**
	 * The part of `discount` allocated to this line by the order's discount code (SimOrder.discountCode), absent
	 * or '0.00' without one. Shopify counts such a code as an order-level discount: it is in the line's
	 * discountAllocations but not in totalDiscountSet nor (by default) discountedTotalSet.
	 * https://shopify.dev/docs/api/admin-graphql/latest/objects/LineItem#field-LineItem.fields.totalDiscountSet
	 */
	codeDiscount?: string;
	taxLines: SimTaxLine[];
}

export interface SimShippingLine {
	id: number;
	title: string;
	code: string | null;
	source: string | null;
	price: string;
	discountedPrice: string;
	taxLines: SimTaxLine[];
}

export interface SimTransaction {
	id: number;
	kind: 'SALE' | 'CAPTURE' | 'AUTHORIZATION' | 'REFUND' | 'VOID';
	status: 'SUCCESS' | 'PENDING' | 'FAILURE';
	gateway: string;
	amount: string;
	processedAt: string;
	/** The transaction this one settles (refundCreate `transactions[].parentId`: the sale or capture refunded). */
	parentId?: number | null;
}

/** https://shopify.dev/docs/api/admin-graphql/latest/enums/RefundLineItemRestockType */
export type RestockType = 'RETURN' | 'CANCEL' | 'NO_RESTOCK' | 'LEGACY_RESTOCK';

/** A line item in a refund: https://shopify.dev/docs/api/admin-graphql/latest/objects/RefundLineItem */
export interface SimRefundLineItem {
	id: number;
	lineItemId: number;
	quantity: number;
	restockType: RestockType;
	/** The units went back to stock (RETURN or CANCEL). */
	restocked: boolean;
	/** Where they were restocked; null for NO_RESTOCK. */
	locationId: number | null;
	/**
	 * Of `quantity`, the units that had not shipped yet: they left the fulfillment (fulfillableQuantity and the
	 * fulfillment order line went down by them). The rest (quantity − unfulfilledQuantity) had been fulfilled.
	 */
	unfulfilledQuantity: number;
	/** Unit price after the line's discounts, and for the refunded units: that × quantity, and their share of the line's tax. */
	price: string;
	subtotal: string;
	totalTax: string;
}

/** A refund placed with refundCreate: https://shopify.dev/docs/api/admin-graphql/latest/objects/Refund */
export interface SimRefund {
	id: number;
	note: string | null;
	/** refundCreate `notify` (recorded only: no refund notification goes to the outbox). */
	notify: boolean;
	createdAt: string;
	refundLineItems: SimRefundLineItem[];
	/** The REFUND transactions the refund created (in SimOrder.transactions). */
	transactionIds: number[];
	/** Shipping refunded (refundCreate `shipping`), decimal string; '0.00' when none. */
	shipping: string;
}

export interface SimFulfillmentOrderLine {
	id: number;
	lineItemId: number;
	totalQuantity: number;
	remainingQuantity: number;
}

export interface SimFulfillmentOrder {
	id: number;
	orderId: number;
	locationId: number;
	status: 'OPEN' | 'IN_PROGRESS' | 'CLOSED' | 'CANCELLED';
	lineItems: SimFulfillmentOrderLine[];
	createdAt: string;
	updatedAt: string;
}

export interface SimFulfillment {
	id: number;
	orderId: number;
	name: string;
	locationId: number;
	status: 'SUCCESS' | 'CANCELLED';
	trackingInfo: Array<{ company: string | null; number: string | null; url: string | null }>;
	notifyCustomer: boolean;
	fulfillmentOrderIds: number[];
	lineItems: Array<{ id: number; lineItemId: number; quantity: number }>;
	createdAt: string;
	updatedAt: string;
}

export interface SimCustomer {
	id: number;
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	phone: string | null;
}

/**
 * The discount code orderCreate applied (one per order: "Only one type of discount can be applied to an order",
 * https://shopify.dev/docs/api/admin-graphql/latest/input-objects/OrderCreateDiscountCodeInput).
 * FIXED_AMOUNT and PERCENTAGE take their value off the line items (spread across all of them); FREE_SHIPPING
 * makes every shipping line free.
 */
export interface SimDiscountCode {
	code: string;
	type: 'FIXED_AMOUNT' | 'PERCENTAGE' | 'FREE_SHIPPING';
	/** The amount given (FIXED_AMOUNT, decimal string) or the percentage ('10', '12.5'; '100' for FREE_SHIPPING). */
	value: string;
	/** What the code took off the order: the sum of its allocations to lines or shipping lines. */
	amount: string;
}

/** A message the simulated shop sent (orderCreate with options.sendReceipt): the outbox tests read in /__sim/state. */
export interface SimEmail {
	to: string;
	/** Shopify's notification: "Order confirmation" (https://help.shopify.com/en/manual/orders/notifications). */
	template: 'order_confirmation';
	orderId: number;
	at: string;
}

export type InventoryBehaviour = 'BYPASS' | 'DECREMENT_IGNORING_POLICY' | 'DECREMENT_OBEYING_POLICY';

export type FinancialStatus = 'PENDING' | 'AUTHORIZED' | 'PARTIALLY_PAID' | 'PAID' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'VOIDED' | 'EXPIRED';
export type FulfillmentStatus = 'UNFULFILLED' | 'PARTIALLY_FULFILLED' | 'FULFILLED' | 'RESTOCKED' | 'IN_PROGRESS' | 'ON_HOLD';

export interface SimOrder {
	id: number;
	name: string;
	/** The shop's sequential order number (name is "#" + number unless set by orderCreate). */
	orderNumber: number;
	createdAt: string;
	updatedAt: string;
	processedAt: string;
	cancelledAt: string | null;
	cancelReason: string | null;
	closed: boolean;
	closedAt: string | null;
	displayFinancialStatus: FinancialStatus;
	displayFulfillmentStatus: FulfillmentStatus;
	currencyCode: string;
	taxesIncluded: boolean;
	email: string | null;
	phone: string | null;
	note: string | null;
	tags: string[];
	sourceName: string | null;
	sourceIdentifier: string | null;
	poNumber: string | null;
	customer: SimCustomer | null;
	shippingAddress: SimAddress | null;
	billingAddress: SimAddress | null;
	lineItems: SimLineItem[];
	shippingLines: SimShippingLine[];
	/** Tax lines given at order level (orderCreate `taxLines`), on top of the line and shipping tax lines. */
	orderTaxLines: SimTaxLine[];
	transactions: SimTransaction[];
	customAttributes: Array<{ key: string; value: string | null }>;
	/** How orderCreate treated stock; BYPASS orders never move inventory (Shopify's default). */
	inventoryBehaviour: InventoryBehaviour;
	/** Location the stock was taken from (and fulfillment orders are assigned to). */
	locationId: number | null;
	fulfillmentOrders: SimFulfillmentOrder[];
	fulfillments: SimFulfillment[];
	/** Money refunded: the sum of the order's REFUND transactions (those of refundCreate, orderCancel and the seed). */
	refundedAmount: string;
	/**
	 * Refunds placed with refundCreate, oldest first. A REFUND transaction outside them (orderCancel with refund,
	 * seeded refunds) is a refund of money only, without line items, and is listed as a refund of its own.
	 */
	refunds: SimRefund[];
	test: boolean;
	/** The discount code given to orderCreate (`order.discountCode`), null without one. */
	discountCode: SimDiscountCode | null;
	/** orderCreate `order.buyerAcceptsMarketing` (null/absent is false); the Order's customerAcceptsMarketing. */
	buyerAcceptsMarketing: boolean;
	/** orderCreate `options.sendReceipt`: an order confirmation was asked for. */
	receiptRequested: boolean;
	/** An order confirmation went out: asked for, and the order has an email (see ShopifyStore.emails). */
	receiptSent: boolean;
	/** orderCreate `options.sendFulfillmentReceipt`: a shipping confirmation was asked for (recorded only). */
	fulfillmentReceiptRequested: boolean;
}

export interface SimDraftOrder {
	id: number;
	name: string;
	status: 'OPEN' | 'COMPLETED' | 'INVOICE_SENT';
	email: string | null;
	note: string | null;
	tags: string[];
	taxExempt: boolean;
	shippingAddress: SimAddress | null;
	billingAddress: SimAddress | null;
	lineItems: Array<{
		id: number; variantId: number | null; productId: number | null; sku: string | null; title: string; variantTitle: string | null;
		quantity: number; unitPrice: string; requiresShipping: boolean; taxable: boolean; custom: boolean;
	}>;
	createdAt: string;
	updatedAt: string;
}

export interface ShopifyStore {
	shop: { id: number; name: string; email: string; myshopifyDomain: string; currencyCode: string; ianaTimezone: string; planDisplayName: string; createdAt: string };
	locations: SimLocation[];
	products: SimProduct[];
	variants: SimVariant[];
	inventoryItems: SimInventoryItem[];
	inventoryLevels: SimInventoryLevel[];
	orders: SimOrder[];
	draftOrders: SimDraftOrder[];
	/** Notifications the shop sent to customers, oldest first. */
	emails: SimEmail[];
	/** Next numeric id (one counter for all kinds keeps ids unique across types, as Shopify's are). */
	nextId: number;
	nextOrderNumber: number;
	nextDraftNumber: number;
	/** The latest timestamp the seed wrote: the simulator's clock never goes below it (see nowIso). */
	clockFloor: string;
}

export function emptyStore(): ShopifyStore {
	return {
		shop: {
			id: 48_000_000_001, name: 'Simulated Shop', email: 'owner@sim-shop.example', myshopifyDomain: 'sim-shop.myshopify.com',
			currencyCode: 'USD', ianaTimezone: 'UTC', planDisplayName: 'Basic', createdAt: '2024-01-01T00:00:00Z',
		},
		locations: [],
		products: [],
		variants: [],
		inventoryItems: [],
		inventoryLevels: [],
		orders: [],
		draftOrders: [],
		emails: [],
		// Realistic magnitudes (Shopify ids are 10–13 digits), well inside Number.MAX_SAFE_INTEGER.
		nextId: 6_000_000_000_001,
		nextOrderNumber: 1001,
		nextDraftNumber: 1,
		clockFloor: '1970-01-01T00:00:00Z',
	};
}

export function newId(store: ShopifyStore): number {
	return store.nextId++;
}

/** ISO 8601 UTC without milliseconds, as Shopify's DateTime: 2026-01-01T00:00:00Z. */
export function isoSeconds(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * "Now" for writes: the wall clock, but never before the seed's latest timestamp, so a write always
 * sorts after the seeded data. Whole seconds, so writes in the same second share a timestamp (as in Shopify).
 */
export function nowIso(store: ShopifyStore): string {
	return isoSeconds(Math.max(Date.now(), Date.parse(store.clockFloor) + 1000));
}

/** Exact decimal arithmetic on 2-decimal amounts (the seeded shop is USD). */
export function cents(amount: string): number {
	const [whole, frac = ''] = amount.replace('-', '').split('.');
	const value = Number(whole) * 100 + Number((frac + '00').slice(0, 2));
	return amount.startsWith('-') ? -value : value;
}

export function decimal(centsValue: number): string {
	const sign = centsValue < 0 ? '-' : '';
	const abs = Math.abs(centsValue);
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface OrderTotals {
	/** Line items before discounts (price × quantity). */
	subtotal: number;
	/** Discounts on the line items (every kind, the discount code's allocations included). */
	lineDiscounts: number;
	/** Discounts on the shipping lines (price − discounted price). */
	shippingDiscounts: number;
	/** All discounts: lineDiscounts + shippingDiscounts. */
	discounts: number;
	/** Shipping before discounts. */
	shipping: number;
	tax: number;
	total: number;
}

/**
 * Totals the way Shopify reports them (https://shopify.dev/docs/api/admin-graphql/latest/objects/Order):
 * subtotalPriceSet = subtotal − lineDiscounts; totalDiscountsSet = discounts; totalPriceSet = lines after
 * discounts + shipping after discounts + tax unless taxesIncluded.
 */
export function orderTotals(order: SimOrder): OrderTotals {
	let subtotal = 0;
	let lineDiscounts = 0;
	let tax = 0;
	for (const line of order.lineItems) {
		subtotal += cents(line.unitPrice) * line.quantity;
		lineDiscounts += cents(line.discount);
		for (const t of line.taxLines) tax += cents(t.price);
	}
	let shipping = 0;
	let shippingDiscounts = 0;
	for (const s of order.shippingLines) {
		shipping += cents(s.price);
		shippingDiscounts += cents(s.price) - cents(s.discountedPrice);
		for (const t of s.taxLines) tax += cents(t.price);
	}
	for (const t of order.orderTaxLines) tax += cents(t.price);
	const discounts = lineDiscounts + shippingDiscounts;
	const total = subtotal + shipping - discounts + (order.taxesIncluded ? 0 : tax);
	return { subtotal, lineDiscounts, shippingDiscounts, discounts, shipping, tax, total };
}

/**
 * Splits `total` cents over `weights` in proportion, by largest remainder, so the parts add up to `total`
 * exactly (ties go to the earlier weight). All weights zero: split evenly the same way.
 */
export function allocate(total: number, weights: number[]): number[] {
	if (weights.length === 0) return [];
	const w = weights.reduce((s, x) => s + x, 0) > 0 ? weights : weights.map(() => 1);
	const sum = w.reduce((s, x) => s + x, 0);
	const parts = w.map((x) => Math.floor((total * x) / sum));
	const order = w.map((x, i) => ({ i, remainder: (total * x) % sum })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
	let left = total - parts.reduce((s, x) => s + x, 0);
	for (const { i } of order) {
		if (left <= 0) break;
		parts[i]++;
		left--;
	}
	return parts;
}

/** What the order received: successful sales and captures minus refunds. */
export function paidCents(order: SimOrder): number {
	let paid = 0;
	for (const t of order.transactions) {
		if (t.status !== 'SUCCESS') continue;
		if (t.kind === 'SALE' || t.kind === 'CAPTURE') paid += cents(t.amount);
	}
	return paid;
}

/** Units of a line item shipped by the order's successful fulfillments. */
export function fulfilledUnits(order: SimOrder, lineItemId: number): number {
	let units = 0;
	for (const f of order.fulfillments) {
		if (f.status !== 'SUCCESS') continue;
		for (const l of f.lineItems) if (l.lineItemId === lineItemId) units += l.quantity;
	}
	return units;
}

/** Units of a line item refunded by refundCreate: all of them, and those that had not shipped (removed from fulfillment). */
export function refundedUnits(order: SimOrder, lineItemId: number): { all: number; unfulfilled: number } {
	let all = 0;
	let unfulfilled = 0;
	for (const r of order.refunds ?? []) {
		for (const l of r.refundLineItems) {
			if (l.lineItemId !== lineItemId) continue;
			all += l.quantity;
			unfulfilled += l.unfulfilledQuantity;
		}
	}
	return { all, unfulfilled };
}

/**
 * LineItem.refundableQuantity: "The line item's quantity, minus the refunded quantity"; none on a cancelled order.
 * https://shopify.dev/docs/api/admin-graphql/latest/objects/LineItem#field-LineItem.fields.refundableQuantity
 */
export function refundableUnits(order: SimOrder, line: SimLineItem): number {
	return order.cancelledAt ? 0 : Math.max(0, line.quantity - refundedUnits(order, line.id).all);
}

/** The order's refunds, oldest first: refundCreate's, then a REFUND transaction outside them is a money-only refund. */
export function refundsOf(order: SimOrder): Array<{ refund: SimRefund; legacy: false } | { transaction: SimTransaction; legacy: true }> {
	const refunds = order.refunds ?? [];
	const owned = new Set(refunds.flatMap((r) => r.transactionIds));
	const list: Array<{ at: string; id: number; item: { refund: SimRefund; legacy: false } | { transaction: SimTransaction; legacy: true } }> = [
		...refunds.map((refund) => ({ at: refund.createdAt, id: refund.id, item: { refund, legacy: false as const } })),
		...order.transactions
			.filter((t) => t.kind === 'REFUND' && !owned.has(t.id))
			.map((transaction) => ({ at: transaction.processedAt, id: transaction.id, item: { transaction, legacy: true as const } })),
	];
	return list.sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id).map((x) => x.item);
}

export function levelOf(store: ShopifyStore, inventoryItemId: number, locationId: number): SimInventoryLevel | undefined {
	return store.inventoryLevels.find((l) => l.inventoryItemId === inventoryItemId && l.locationId === locationId);
}

/** Tax on an amount: added on top, or the share already inside a tax-inclusive price. */
export function taxOn(amountCents: number, rate: number, included: boolean): number {
	return Math.round(included ? (amountCents * rate) / (1 + rate) : amountCents * rate);
}

export interface SeedOptions {
	products?: number;
	variantsPerProduct?: number;
	orders?: number;
	locations?: number;
	seed?: number;
	/** First order's createdAt; orders follow every `orderSpacingMs` (default 1 min). */
	start?: string;
	orderSpacingMs?: number;
	/** Share of orders (0..1) given the same updatedAt as the previous one. Default 0.2. */
	equalTimestampShare?: number;
	/** Stock per variant per location. Default 50. */
	stock?: number;
	/** How many of the last variants are bundle parents (requiresComponents: inventory writes rejected). Default 0. */
	bundleParents?: number;
}

const FIRST = ['Ann', 'Bo', 'Chen', 'Dara', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun'];
const LAST = ['Lee', 'Moss', 'Nair', 'Ortiz', 'Park', 'Quinn', 'Reyes', 'Sato', 'Ueda', 'Vance'];
/** City, province code, province, country, tax title, tax rate, prices include tax. */
const PLACES: Array<[string, string, string, string, string, number, boolean]> = [
	['Springfield', 'IL', 'Illinois', 'US', 'IL State Tax', 0.0625, false],
	['Portland', 'OR', 'Oregon', 'US', 'OR State Tax', 0, false],
	['Austin', 'TX', 'Texas', 'US', 'TX State Tax', 0.0625, false],
	['Toronto', 'ON', 'Ontario', 'CA', 'HST', 0.13, false],
	['Leeds', '', '', 'GB', 'GB VAT', 0.2, true],
];
const COLOURS = ['Red', 'Blue', 'Green', 'Black', 'White', 'Grey', 'Navy', 'Olive'];
const CARRIERS = ['UPS', 'USPS', 'FedEx', 'DHL Express'];
const CUSTOM_ITEMS = ['Gift wrap', 'Custom engraving', 'Extended warranty'];

/**
 * A deterministic shop: `products` × `variantsPerProduct` variants with SKUs `SKU-<p>-<v>` and barcodes,
 * stock at every location, and `orders` orders spread every `orderSpacingMs`, with what real shops have:
 * a share of equal updatedAt timestamps (the page-boundary case pagination must survive), multi-line
 * orders, custom lines without SKU, line discounts, tax lines (tax-inclusive GB orders, zero-tax Oregon),
 * free and discounted shipping, unpaid, authorized, refunded, partially refunded and cancelled orders,
 * fulfilled (with tracking) and partially fulfilled ones. 50,000 orders take about a second.
 * Seeded orders do not move stock (as if created with inventoryBehaviour BYPASS).
 */
export function seedShopifyStore(options: SeedOptions = {}): ShopifyStore {
	const random = seededRandom(options.seed ?? 1);
	const store = emptyStore();
	const productCount = options.products ?? 5;
	const variantsPerProduct = options.variantsPerProduct ?? 2;
	const locationCount = options.locations ?? 1;
	const start = Date.parse(options.start ?? '2026-01-01T00:00:00Z');
	const spacing = options.orderSpacingMs ?? 60_000;
	const equalShare = options.equalTimestampShare ?? 0.2;
	const stock = options.stock ?? 50;
	const created = isoSeconds(start - 86_400_000);
	let latest = Date.parse(created);

	for (let l = 0; l < locationCount; l++) {
		store.locations.push({ id: newId(store), name: l === 0 ? 'Main warehouse' : `Location ${l + 1}`, isActive: true, fulfillsOnlineOrders: true });
	}
	const productsById = new Map<number, SimProduct>();
	for (let p = 1; p <= productCount; p++) {
		const product: SimProduct = {
			id: newId(store), title: `Product ${p}`, handle: `product-${p}`, status: 'ACTIVE', vendor: 'Sim', productType: 'Thing',
			tags: [], createdAt: created, updatedAt: created,
		};
		store.products.push(product);
		productsById.set(product.id, product);
		for (let v = 1; v <= variantsPerProduct; v++) {
			const variantId = newId(store);
			const itemId = newId(store);
			const sku = `SKU-${p}-${v}`;
			store.variants.push({
				id: variantId, productId: product.id, title: variantsPerProduct === 1 ? 'Default Title' : COLOURS[(v - 1) % COLOURS.length],
				sku, barcode: String(4000000000000 + p * 1000 + v), price: decimal(intBetween(random, 5, 120) * 100 - 1),
				compareAtPrice: null, inventoryItemId: itemId, inventoryPolicy: 'DENY', requiresComponents: false, createdAt: created, updatedAt: created,
			});
			store.inventoryItems.push({ id: itemId, variantId, sku, tracked: true, createdAt: created, updatedAt: created });
			for (const location of store.locations) {
				store.inventoryLevels.push({ inventoryItemId: itemId, locationId: location.id, available: stock, committed: 0, onHand: stock, updatedAt: created });
			}
		}
	}
	const bundles = Math.min(options.bundleParents ?? 0, store.variants.length);
	for (let b = 0; b < bundles; b++) {
		const variant = store.variants[store.variants.length - 1 - b];
		variant.requiresComponents = true;
		variant.sku = `BUNDLE-${b + 1}`;
		const item = store.inventoryItems.find((i) => i.id === variant.inventoryItemId);
		if (item) item.sku = variant.sku;
	}
	// Orders are drawn from plain variants; a bundle parent is sold through its components here.
	const sellable = store.variants.filter((v) => !v.requiresComponents);
	// Each bundle parent is made of two plain variants: one of the first, two of the second.
	store.variants.filter((v) => v.requiresComponents).forEach((bundle, b) => {
		const parts = [sellable[(2 * b) % sellable.length], sellable[(2 * b + 1) % sellable.length]].filter((v) => v !== undefined);
		bundle.components = parts.map((part, k) => ({ id: newId(store), variantId: part.id, quantity: k + 1 }));
	});

	// Orders sharing one updatedAt (a bulk edit or import touched them in the same second).
	let group: SimOrder[] = [];
	for (let o = 0; o < (options.orders ?? 0); o++) {
		const createdAt = start + o * spacing;
		let updated = createdAt + intBetween(random, 0, 30) * 1000;
		const createdIso = isoSeconds(createdAt);
		const [city, provinceCode, province, country, taxTitle, taxRate, included] = pick(random, PLACES);
		const lineCount = random() < 0.5 ? 1 : intBetween(random, 2, 4);
		const lineItems: SimLineItem[] = [];
		for (let i = 0; i < lineCount; i++) {
			const custom = sellable.length === 0 || random() < 0.05;
			const quantity = intBetween(random, 1, 3);
			if (custom) {
				const title = pick(random, CUSTOM_ITEMS);
				const unitPrice = decimal(intBetween(random, 2, 20) * 100);
				lineItems.push(newLine(store, {
					variantId: null, productId: null, sku: null, title, variantTitle: null, vendor: null, quantity, unitPrice,
					discount: '0.00', requiresShipping: false, taxRate, taxTitle, included,
				}));
				continue;
			}
			const variant = pick(random, sellable);
			const product = productsById.get(variant.productId);
			const discount = random() < 0.1 ? Math.round(cents(variant.price) * quantity * 0.1) : 0;
			lineItems.push(newLine(store, {
				variantId: variant.id, productId: variant.productId, sku: variant.sku, title: product?.title ?? 'Product', variantTitle: variant.title,
				vendor: product?.vendor ?? null, quantity, unitPrice: variant.price, discount: decimal(discount), requiresShipping: true, taxRate, taxTitle, included,
			}));
		}
		const first = pick(random, FIRST);
		const last = pick(random, LAST);
		const address: SimAddress = {
			firstName: first, lastName: last, company: null, address1: `${intBetween(random, 1, 999)} Main St`, address2: null, city,
			province: province || null, provinceCode: provinceCode || null, zip: String(intBetween(random, 10000, 99999)), countryCode: country, phone: null,
		};
		const email = `${first.toLowerCase()}.${last.toLowerCase()}${o}@example.com`;
		const shippingRoll = random();
		const shippingPrice = shippingRoll < 0.2 ? 0 : shippingRoll < 0.85 ? 500 : 1500;
		const shippingDiscounted = shippingRoll > 0.95 ? 0 : shippingPrice;
		const shippingTax = country === 'GB' || country === 'CA' ? taxOn(shippingDiscounted, taxRate, included) : 0;
		const order: SimOrder = {
			id: newId(store), name: '', orderNumber: store.nextOrderNumber++, createdAt: createdIso, updatedAt: createdIso, processedAt: createdIso,
			cancelledAt: null, cancelReason: null, closed: false, closedAt: null, displayFinancialStatus: 'PAID', displayFulfillmentStatus: 'UNFULFILLED',
			currencyCode: store.shop.currencyCode, taxesIncluded: included, email, phone: null, note: o % 17 === 0 ? 'Please leave at the door' : null,
			tags: o % 5 === 0 ? ['wholesale'] : [], sourceName: o % 11 === 0 ? 'pos' : 'web', sourceIdentifier: null, poNumber: null,
			customer: { id: newId(store), firstName: first, lastName: last, email, phone: null },
			shippingAddress: address, billingAddress: address, lineItems,
			shippingLines: [{
				id: newId(store), title: shippingPrice === 0 ? 'Free shipping' : shippingPrice === 500 ? 'Standard' : 'Express',
				code: shippingPrice === 0 ? 'FREE' : shippingPrice === 500 ? 'STANDARD' : 'EXPRESS', source: 'shopify',
				price: decimal(shippingPrice), discountedPrice: decimal(shippingDiscounted),
				taxLines: shippingTax > 0 ? [{ title: taxTitle, rate: taxRate, price: decimal(shippingTax), channelLiable: false }] : [],
			}],
			orderTaxLines: [], transactions: [], customAttributes: [], inventoryBehaviour: 'BYPASS', locationId: store.locations[0]?.id ?? null,
			fulfillmentOrders: [], fulfillments: [], refundedAmount: '0.00', refunds: [], test: false,
			discountCode: null, buyerAcceptsMarketing: false, receiptRequested: false, receiptSent: false, fulfillmentReceiptRequested: false,
		};
		order.name = `#${order.orderNumber}`;
		if (o % 13 === 0) order.customAttributes.push({ key: 'gift_message', value: 'Happy birthday!' });
		const total = orderTotals(order).total;
		const at = (offsetSeconds: number) => isoSeconds(createdAt + offsetSeconds * 1000);
		const roll = random();
		openFulfillmentOrder(store, order);
		if (roll < 0.07) {
			order.displayFinancialStatus = 'PENDING'; // unpaid: manual payment, bank transfer
		} else if (roll < 0.1) {
			order.displayFinancialStatus = 'AUTHORIZED';
			order.transactions.push(transaction(store, 'AUTHORIZATION', total, createdIso));
		} else {
			order.transactions.push(transaction(store, 'SALE', total, createdIso));
			if (roll < 0.13) {
				// Cancelled and refunded before anything shipped.
				order.displayFinancialStatus = 'REFUNDED';
				order.transactions.push(transaction(store, 'REFUND', total, at(3600)));
				order.refundedAmount = decimal(total);
				order.cancelledAt = at(3600);
				order.cancelReason = 'CUSTOMER';
				order.closed = true;
				order.closedAt = at(3600);
				for (const fo of order.fulfillmentOrders) fo.status = 'CLOSED';
				for (const line of order.lineItems) line.fulfillableQuantity = 0;
			} else if (roll < 0.16) {
				// Refunded after the fact, not cancelled.
				order.displayFinancialStatus = 'REFUNDED';
				order.transactions.push(transaction(store, 'REFUND', total, at(7200)));
				order.refundedAmount = decimal(total);
			} else if (roll < 0.19) {
				const part = Math.max(1, Math.round(total / 4));
				order.displayFinancialStatus = 'PARTIALLY_REFUNDED';
				order.transactions.push(transaction(store, 'REFUND', part, at(7200)));
				order.refundedAmount = decimal(part);
			}
			const fulfilRoll = random();
			if (!order.cancelledAt && fulfilRoll < 0.45) {
				fulfilSeeded(store, order, random, fulfilRoll < 0.05 ? 'partial' : 'all', at(1800));
			}
		}
		updated = Math.max(updated, ...[order.cancelledAt, order.closedAt, order.fulfillments[0]?.createdAt].filter((x): x is string => !!x).map(Date.parse));
		for (const t of order.transactions) updated = Math.max(updated, Date.parse(t.processedAt));
		if (group.length > 0 && random() < equalShare) {
			updated = Math.max(updated, Date.parse(group[0].updatedAt));
			group.push(order);
		} else {
			group = [order];
		}
		for (const member of group) member.updatedAt = isoSeconds(updated);
		latest = Math.max(latest, updated);
		store.orders.push(order);
	}
	store.clockFloor = isoSeconds(latest);
	return store;
}

interface LineSpec {
	variantId: number | null;
	productId: number | null;
	sku: string | null;
	title: string;
	variantTitle: string | null;
	vendor: string | null;
	quantity: number;
	unitPrice: string;
	discount: string;
	requiresShipping: boolean;
	taxRate: number;
	taxTitle: string;
	included: boolean;
}

function newLine(store: ShopifyStore, spec: LineSpec): SimLineItem {
	const taxable = cents(spec.unitPrice) * spec.quantity - cents(spec.discount);
	const tax = taxOn(taxable, spec.taxRate, spec.included);
	return {
		id: newId(store), variantId: spec.variantId, productId: spec.productId, sku: spec.sku, title: spec.title, variantTitle: spec.variantTitle,
		name: spec.variantTitle && spec.variantTitle !== 'Default Title' ? `${spec.title} - ${spec.variantTitle}` : spec.title, vendor: spec.vendor,
		quantity: spec.quantity, fulfillableQuantity: spec.quantity, requiresShipping: spec.requiresShipping, taxable: spec.taxRate > 0,
		unitPrice: spec.unitPrice, discount: spec.discount,
		taxLines: spec.taxRate > 0 ? [{ title: spec.taxTitle, rate: spec.taxRate, price: decimal(tax), channelLiable: false }] : [],
	};
}

function transaction(store: ShopifyStore, kind: SimTransaction['kind'], amountCents: number, processedAt: string): SimTransaction {
	return { id: newId(store), kind, status: 'SUCCESS', gateway: kind === 'AUTHORIZATION' ? 'shopify_payments' : 'manual', amount: decimal(amountCents), processedAt };
}

function fulfilSeeded(store: ShopifyStore, order: SimOrder, random: () => number, how: 'all' | 'partial', at: string): void {
	const fo = order.fulfillmentOrders[0];
	if (!fo) return;
	const lines = how === 'all' ? fo.lineItems : fo.lineItems.slice(0, 1);
	if (how === 'partial' && fo.lineItems.length === 1 && fo.lineItems[0].totalQuantity === 1) return;
	const company = pick(random, CARRIERS);
	const number = `1Z${String(intBetween(random, 100000000, 999999999))}`;
	const fulfilled: SimFulfillment['lineItems'] = [];
	for (const line of lines) {
		const quantity = how === 'all' ? line.remainingQuantity : Math.max(1, line.remainingQuantity - 1);
		line.remainingQuantity -= quantity;
		const item = order.lineItems.find((l) => l.id === line.lineItemId);
		if (item) item.fulfillableQuantity -= quantity;
		fulfilled.push({ id: newId(store), lineItemId: line.lineItemId, quantity });
	}
	order.fulfillments.push({
		id: newId(store), orderId: order.id, name: `${order.name}.1`, locationId: fo.locationId, status: 'SUCCESS',
		trackingInfo: [{ company, number, url: trackingUrl(company, number) }], notifyCustomer: true, fulfillmentOrderIds: [fo.id],
		lineItems: fulfilled, createdAt: at, updatedAt: at,
	});
	refreshFulfillmentState(order, at);
}

/** Recomputes fulfillment order statuses, the order's display fulfillment status, and auto-archiving. */
export function refreshFulfillmentState(order: SimOrder, at: string): void {
	for (const fo of order.fulfillmentOrders) {
		if (fo.status === 'CANCELLED' || fo.status === 'CLOSED') continue;
		const remaining = fo.lineItems.reduce((s, l) => s + l.remainingQuantity, 0);
		const total = fo.lineItems.reduce((s, l) => s + l.totalQuantity, 0);
		const next = remaining === 0 ? 'CLOSED' : remaining < total ? 'IN_PROGRESS' : 'OPEN';
		if (next !== fo.status) {
			fo.status = next;
			fo.updatedAt = at;
		}
	}
	const shippable = order.lineItems.filter((l) => l.requiresShipping);
	const fulfilledUnits = order.fulfillments.filter((f) => f.status === 'SUCCESS').reduce((s, f) => s + f.lineItems.reduce((a, l) => a + l.quantity, 0), 0);
	const remaining = shippable.reduce((s, l) => s + l.fulfillableQuantity, 0);
	if (fulfilledUnits === 0) order.displayFulfillmentStatus = 'UNFULFILLED';
	else order.displayFulfillmentStatus = remaining === 0 ? 'FULFILLED' : 'PARTIALLY_FULFILLED';
	// Shopify's default "automatically archive the order" setting: paid and fulfilled orders are closed.
	// https://help.shopify.com/en/manual/fulfillment/managing-orders/archiving-orders
	if (order.displayFulfillmentStatus === 'FULFILLED' && order.displayFinancialStatus === 'PAID' && !order.closed) {
		order.closed = true;
		order.closedAt = at;
	}
}

/**
 * Tracking URLs Shopify builds for carriers it knows, matched exactly (case-sensitive) on the company name:
 * https://shopify.dev/docs/api/admin-graphql/latest/objects/FulfillmentTrackingInfo#supported-tracking-companies
 * The URL formats are our approximation of the carriers' public tracking pages.
 */
export function trackingUrl(company: string | null, number: string | null): string | null {
	if (!company || !number) return null;
	const n = encodeURIComponent(number);
	switch (company) {
		case 'UPS':
			return `https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=${n}`;
		case 'USPS':
			return `https://tools.usps.com/go/TrackConfirmAction?qtc_tLabels1=${n}`;
		case 'FedEx':
			return `https://www.fedex.com/fedextrack/?trknbr=${n}`;
		case 'DHL Express':
			return `https://www.dhl.com/en/express/tracking.html?AWB=${n}&brand=DHL`;
		case 'Canada Post':
			return `https://www.canadapost-postescanada.ca/track-reperage/en#/details/${n}`;
		case 'Royal Mail':
			return `https://www.royalmail.com/track-your-item#/tracking-results/${n}`;
		default:
			return null;
	}
}

/** One fulfillment order per order at its location, covering every line that requires shipping. */
export function openFulfillmentOrder(store: ShopifyStore, order: SimOrder): void {
	const lines = order.lineItems.filter((l) => l.requiresShipping && l.quantity > 0);
	if (lines.length === 0 || order.locationId === null) return;
	order.fulfillmentOrders.push({
		id: newId(store), orderId: order.id, locationId: order.locationId, status: 'OPEN',
		lineItems: lines.map((l) => ({ id: newId(store), lineItemId: l.id, totalQuantity: l.quantity, remainingQuantity: l.quantity })),
		createdAt: order.createdAt, updatedAt: order.createdAt,
	});
}
