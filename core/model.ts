/**
 * The pack's models: an order as every node reads and writes it, an inventory record, a shipment.
 * All money is integer minor units of the order's `currency` (see money.ts); all dates are ISO 8601 UTC
 * strings. These are plain JSON so they travel through n8n items and expressions unchanged.
 * docs/model.md documents every field for people writing n8n expressions.
 */

export type ChannelId = 'shopify' | 'woocommerce' | 'ebay' | 'etsy' | 'amazon' | 'tiktokShop' | (string & {});

export type FinancialStatus =
	| 'pending'
	| 'authorized'
	| 'paid'
	| 'partiallyPaid'
	| 'partiallyRefunded'
	| 'refunded'
	| 'voided'
	| 'unknown';

export type FulfillmentStatus = 'unfulfilled' | 'partial' | 'fulfilled' | 'unknown';

export type OrderStatus = 'open' | 'cancelled' | 'completed';

/** Who collected a tax: the seller (goes into the main store's books) or the marketplace (eBay, Amazon, Etsy). */
export type TaxCollector = 'seller' | 'marketplace';

export interface TaxLine {
	/** Label shown on invoices, e.g. "VAT" or "CA State Tax". */
	title: string;
	/** The rate as a decimal percentage string, e.g. "20" or "7.25"; null when the channel gave only an amount. */
	ratePercent: string | null;
	/** Minor units. */
	amount: number;
	collector: TaxCollector;
}

export interface Address {
	firstName: string | null;
	lastName: string | null;
	company: string | null;
	address1: string | null;
	address2: string | null;
	city: string | null;
	province: string | null;
	/** Province/state code where the channel gives one (e.g. "CA"). */
	provinceCode: string | null;
	zip: string | null;
	/** ISO 3166-1 alpha-2. */
	countryCode: string | null;
	phone: string | null;
}

export interface Customer {
	email: string | null;
	firstName: string | null;
	lastName: string | null;
	phone: string | null;
	/** The channel's own customer id, when it has one. */
	channelCustomerId: string | null;
}

export interface OrderLine {
	/** The channel's id for this line (used to ship exactly these lines later). */
	channelLineId: string;
	sku: string | null;
	title: string;
	variantTitle: string | null;
	/** The channel's listing / product / variant ids, for linking without a SKU. */
	channelProductId: string | null;
	channelVariantId: string | null;
	quantity: number;
	/** Price of one unit before discounts, minor units. */
	unitPrice: number;
	/** Discount on the whole line (all units), minor units, ≥ 0. */
	discount: number;
	taxLines: TaxLine[];
	requiresShipping: boolean;
	/** Units of this line the channel has refunded so far (0 when none; the order stays open). */
	refundedQuantity: number;
}

export interface ShippingLine {
	title: string;
	/** The channel's shipping method or service code, when it has one. */
	code: string | null;
	/** Minor units, before discounts. */
	price: number;
	discount: number;
	taxLines: TaxLine[];
}

/** Extra charges that are neither products nor shipping (WooCommerce fee lines, gift wrap). */
export interface FeeLine {
	title: string;
	amount: number;
	taxLines: TaxLine[];
}

export interface OrderTotals {
	/** Σ line unitPrice × quantity. */
	subtotal: number;
	/** Σ line discounts + shipping discounts + order-level discounts. */
	discount: number;
	/** Σ shipping line prices (before shipping discounts). */
	shipping: number;
	/** Σ fee line amounts. */
	fees: number;
	/** Σ every tax line, seller- and marketplace-collected. */
	tax: number;
	/** What the buyer paid: subtotal − discount + shipping + fees (+ tax when taxes are not included). */
	total: number;
}

export interface Order {
	/** Model version, for later migrations of stored items. */
	kind: 'order';
	channel: ChannelId;
	/** Which store of that channel (shop domain, site URL, seller id): orders from two stores never collide. */
	channelStoreId: string;
	channelOrderId: string;
	/** The number a buyer sees (e.g. "#1001", "12-34567-89012"). */
	channelOrderNumber: string;
	createdAt: string;
	updatedAt: string;
	/** When the buyer paid, if the channel says. */
	paidAt: string | null;
	cancelledAt: string | null;
	status: OrderStatus;
	financialStatus: FinancialStatus;
	fulfillmentStatus: FulfillmentStatus;
	/** ISO 4217 code of every amount in this order. */
	currency: string;
	/** True when line and shipping prices already contain their tax. */
	taxesIncluded: boolean;
	customer: Customer;
	shippingAddress: Address | null;
	billingAddress: Address | null;
	lines: OrderLine[];
	shippingLines: ShippingLine[];
	feeLines: FeeLine[];
	/** Discounts not attached to a line (order-level coupons), minor units. */
	orderDiscount: number;
	totals: OrderTotals;
	tags: string[];
	note: string | null;
	/** What looked wrong while reading this order from its channel; the order is still emitted. */
	problems: string[];
}

export interface LocationQuantity {
	locationId: string;
	locationName: string;
	quantity: number;
}

export type ProductStatus = 'active' | 'draft' | 'archived';

export interface BundleComponent {
	sku: string;
	/** Units of the component in one bundle. */
	quantity: number;
}

export interface InventoryRecord {
	kind: 'inventory';
	sku: string;
	barcode: string | null;
	handle: string | null;
	title: string;
	/** The sum over the chosen locations. */
	quantity: number;
	locations: LocationQuantity[];
	/** False when the store does not track stock for this product (then quantity means nothing). */
	stockManaged: boolean;
	productStatus: ProductStatus;
	/** Set for bundles/kits whose stock follows their components. */
	bundleComponents: BundleComponent[] | null;
	/** The main store's own ids, for writing back. */
	productId: string | null;
	variantId: string | null;
	inventoryItemId: string | null;
}

export interface ShippedLine {
	channelLineId: string | null;
	sku: string | null;
	quantity: number;
}

export interface Shipment {
	kind: 'shipment';
	/** The carrier's name as the source platform spells it. */
	carrier: string | null;
	trackingNumbers: string[];
	trackingUrls: string[];
	shippedAt: string | null;
	lines: ShippedLine[];
}
