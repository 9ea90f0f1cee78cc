/**
 * The simulated store's records. Each is the JSON WooCommerce REST v3 returns, minus what is derived at
 * answer time (`_links`, `payment_url`, `needs_payment`, `price_html`, the line item's current SKU...).
 * Field order follows WooCommerce's own responses (reference/examples/woocommerce-*.json).
 * Docs: https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties, #product-properties,
 * #product-variation-properties.
 */

export interface WooMeta {
	id: number;
	key: string;
	value: unknown;
}

/** Line item meta: WooCommerce adds the labels it shows ("pa_color" → "Color"). */
export interface WooItemMeta extends WooMeta {
	display_key: string;
	display_value: unknown;
}

/** One tax rate's share of an item. `total`/`subtotal` are PHP floats cast to strings ("0.9", "1"), not "0.90". */
export interface WooTaxShare {
	id: number;
	total: string;
	subtotal: string;
}

export interface WooAddress {
	first_name: string;
	last_name: string;
	company: string;
	address_1: string;
	address_2: string;
	city: string;
	state: string;
	postcode: string;
	country: string;
	email?: string;
	phone: string;
}

export interface WooLineItem {
	id: number;
	name: string;
	product_id: number;
	variation_id: number;
	quantity: number;
	tax_class: string;
	subtotal: string;
	subtotal_tax: string;
	total: string;
	total_tax: string;
	taxes: WooTaxShare[];
	meta_data: WooItemMeta[];
	/** The product's SKU when the line was written; answers show the product's current SKU (null when it is gone). */
	sku: string | null;
	/** total / quantity as a float, as WooCommerce computes it. */
	price: number;
	image: { id: number; src: string };
	parent_name: string | null;
}

export interface WooTaxLine {
	id: number;
	rate_code: string;
	rate_id: number;
	label: string;
	compound: boolean;
	tax_total: string;
	shipping_tax_total: string;
	rate_percent: number;
	meta_data: WooMeta[];
}

export interface WooShippingLine {
	id: number;
	method_title: string;
	method_id: string;
	instance_id: string;
	total: string;
	total_tax: string;
	taxes: WooTaxShare[];
	meta_data: WooItemMeta[];
}

export interface WooFeeLine {
	id: number;
	name: string;
	tax_class: string;
	tax_status: 'taxable' | 'none';
	amount: string;
	total: string;
	total_tax: string;
	taxes: WooTaxShare[];
	meta_data: WooItemMeta[];
}

export interface WooCouponLine {
	id: number;
	code: string;
	discount: string;
	discount_tax: string;
	meta_data: WooItemMeta[];
	discount_type: string;
	nominal_amount: number;
	free_shipping: boolean;
}

/** A refund as the order answer lists it: newest first, `total` negative ("-12.00"). */
export interface WooRefundRef {
	id: number;
	reason: string;
	total: string;
}

/**
 * A refund (post type shop_order_refund, a child of the order): what wc_create_refund stores and
 * GET /orders/{id}/refunds/{refund_id} answers. Its items are copies of the refunded order items with
 * new ids, negative quantity / totals / taxes and the meta `_refunded_item_id` naming the order item.
 * Docs: https://woocommerce.github.io/woocommerce-rest-api-docs/#order-refund-properties
 */
export interface WooRefundRecord {
	id: number;
	/** The refunded order (post_parent). Not part of the answer (the URL carries it). */
	parent_id: number;
	date_created: string;
	date_created_gmt: string;
	/** Positive, 2 decimals ("12.00"). */
	amount: string;
	reason: string;
	/** The API key's user: WooCommerce ignores a posted `refunded_by`. */
	refunded_by: number;
	/** True only when the payment gateway refunded the money (`api_refund`). */
	refunded_payment: boolean;
	meta_data: WooMeta[];
	line_items: WooLineItem[];
	shipping_lines: WooShippingLine[];
	tax_lines: WooTaxLine[];
	fee_lines: WooFeeLine[];
}

export type WooOrderStatus =
	| 'pending' | 'processing' | 'on-hold' | 'completed' | 'cancelled' | 'refunded' | 'failed' | 'checkout-draft' | 'trash';

export interface WooOrderRecord {
	id: number;
	parent_id: number;
	number: string;
	order_key: string;
	created_via: string;
	version: string;
	status: WooOrderStatus | string;
	currency: string;
	date_created: string;
	date_created_gmt: string;
	date_modified: string;
	date_modified_gmt: string;
	discount_total: string;
	discount_tax: string;
	shipping_total: string;
	shipping_tax: string;
	cart_tax: string;
	total: string;
	total_tax: string;
	prices_include_tax: boolean;
	customer_id: number;
	customer_ip_address: string;
	customer_user_agent: string;
	customer_note: string;
	billing: WooAddress;
	shipping: WooAddress;
	payment_method: string;
	payment_method_title: string;
	transaction_id: string;
	date_paid: string | null;
	date_paid_gmt: string | null;
	date_completed: string | null;
	date_completed_gmt: string | null;
	cart_hash: string;
	meta_data: WooMeta[];
	line_items: WooLineItem[];
	tax_lines: WooTaxLine[];
	shipping_lines: WooShippingLine[];
	fee_lines: WooFeeLine[];
	coupon_lines: WooCouponLine[];
	refunds: WooRefundRef[];
}

/** An order note (a WordPress comment). `author` is "system" for WooCommerce's own notes. */
export interface WooNote {
	id: number;
	author: string;
	date_created: string;
	date_created_gmt: string;
	note: string;
	customer_note: boolean;
}

export interface WooImage {
	id: number;
	date_created: string;
	date_created_gmt: string;
	date_modified: string;
	date_modified_gmt: string;
	src: string;
	name: string;
	alt: string;
}

export interface WooProductAttribute {
	id: number;
	name: string;
	position: number;
	visible: boolean;
	variation: boolean;
	options: string[];
}

export type StockStatus = 'instock' | 'outofstock' | 'onbackorder';

/**
 * wc_get_product_types(). External products (WC_Product_External) link to another shop: never purchasable,
 * never stock-managed (setting manage_stock or backorders throws). Grouped products (WC_Product_Grouped)
 * list other products in `grouped_products`: never purchasable themselves, and the REST controller
 * quietly turns their stock management off.
 */
export type WooProductType = 'simple' | 'variable' | 'grouped' | 'external';
export type Backorders = 'no' | 'notify' | 'yes';

export interface WooProductRecord {
	id: number;
	name: string;
	slug: string;
	permalink: string;
	date_created: string;
	date_created_gmt: string;
	date_modified: string;
	date_modified_gmt: string;
	type: WooProductType;
	status: string;
	featured: boolean;
	catalog_visibility: string;
	description: string;
	short_description: string;
	sku: string;
	price: string;
	regular_price: string;
	sale_price: string;
	date_on_sale_from: string | null;
	date_on_sale_from_gmt: string | null;
	date_on_sale_to: string | null;
	date_on_sale_to_gmt: string | null;
	on_sale: boolean;
	purchasable: boolean;
	total_sales: number;
	virtual: boolean;
	downloadable: boolean;
	downloads: unknown[];
	download_limit: number;
	download_expiry: number;
	external_url: string;
	button_text: string;
	tax_status: 'taxable' | 'shipping' | 'none';
	tax_class: string;
	manage_stock: boolean;
	stock_quantity: number | null;
	stock_status: StockStatus;
	backorders: Backorders;
	backorders_allowed: boolean;
	backordered: boolean;
	low_stock_amount: number | null;
	sold_individually: boolean;
	weight: string;
	dimensions: { length: string; width: string; height: string };
	shipping_required: boolean;
	shipping_taxable: boolean;
	shipping_class: string;
	shipping_class_id: number;
	reviews_allowed: boolean;
	average_rating: string;
	rating_count: number;
	related_ids: number[];
	upsell_ids: number[];
	cross_sell_ids: number[];
	parent_id: number;
	purchase_note: string;
	categories: Array<{ id: number; name: string; slug: string }>;
	tags: Array<{ id: number; name: string; slug: string }>;
	images: WooImage[];
	attributes: WooProductAttribute[];
	default_attributes: Array<{ id: number; name: string; option: string }>;
	variations: number[];
	grouped_products: number[];
	menu_order: number;
	meta_data: WooMeta[];
}

export interface WooVariationRecord {
	id: number;
	/** Not part of WooCommerce's variation answer (the URL carries it); kept for lookups. */
	parent_id: number;
	date_created: string;
	date_created_gmt: string;
	date_modified: string;
	date_modified_gmt: string;
	description: string;
	permalink: string;
	/** Its own SKU; "" means it inherits the parent's in answers and in SKU look-ups, as WooCommerce does. */
	sku: string;
	price: string;
	regular_price: string;
	sale_price: string;
	date_on_sale_from: string | null;
	date_on_sale_from_gmt: string | null;
	date_on_sale_to: string | null;
	date_on_sale_to_gmt: string | null;
	on_sale: boolean;
	status: string;
	purchasable: boolean;
	virtual: boolean;
	downloadable: boolean;
	downloads: unknown[];
	download_limit: number;
	download_expiry: number;
	tax_status: 'taxable' | 'shipping' | 'none';
	tax_class: string;
	/** Its own flag; answers say "parent" when the parent product manages the stock instead. */
	manage_stock: boolean;
	stock_quantity: number | null;
	stock_status: StockStatus;
	backorders: Backorders;
	backorders_allowed: boolean;
	backordered: boolean;
	low_stock_amount: number | null;
	weight: string;
	dimensions: { length: string; width: string; height: string };
	shipping_class: string;
	shipping_class_id: number;
	image: WooImage | null;
	attributes: Array<{ id: number; name: string; option: string }>;
	menu_order: number;
	meta_data: WooMeta[];
}

/** One item stored by the Shipment Tracking extension in the order meta `_wc_shipment_tracking_items`. */
export interface WooTrackingItem {
	tracking_provider: string;
	custom_tracking_provider: string;
	custom_tracking_link: string;
	tracking_number: string;
	/** Unix seconds as a string, as the extension stores it. */
	date_shipped: string;
	tracking_id: string;
}

export interface WooCustomer {
	id: number;
	email: string;
	first_name: string;
	last_name: string;
	billing: WooAddress;
	shipping: WooAddress;
}

export interface WooCoupon {
	code: string;
	discount_type: 'percent' | 'fixed_cart';
	amount: string;
}

export interface WooTaxRate {
	id: number;
	country: string;
	state: string;
	/** Percent with four decimals, as WooCommerce stores it ("20.0000"). */
	rate: string;
	name: string;
	priority: number;
	compound: boolean;
	shipping: boolean;
	/** "" for the standard class, else the class slug ("reduced-rate"). */
	class: string;
}
