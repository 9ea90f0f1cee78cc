/**
 * Records → the JSON WooCommerce answers: the fields derived at answer time (the line item's current
 * SKU, payment_url, needs_payment, price_html, a variation's inherited stock) and `_links` with full URLs.
 * Docs: https://woocommerce.github.io/woocommerce-rest-api-docs/ (response examples).
 */
import { sanitizeTitle } from './store';
import type { WooStore } from './store';
import type { WooNote, WooOrderRecord, WooProductRecord, WooRefundRecord, WooTrackingItem, WooVariationRecord } from './types';

type Json = Record<string, unknown>;

const SYMBOLS: Record<string, string> = { USD: '&#36;', EUR: '&euro;', GBP: '&pound;', CAD: '&#36;', AUD: '&#36;', BRL: '&#82;&#36;', JPY: '&yen;' };

const link = (href: string) => [{ href }];

export function orderAnswer(store: WooStore, o: WooOrderRecord, site: string): Json {
	const api = `${site}/wp-json/wc/v3`;
	const line_items = o.line_items.map((l) => {
		const s = store.sellable(l.variation_id || l.product_id);
		// The SKU is read from the product now, not from when the order was placed; null once it is gone.
		return { ...l, sku: s ? store.displaySku(s) : null };
	});
	const links: Json = { self: link(`${api}/orders/${o.id}`), collection: link(`${api}/orders`) };
	if (o.customer_id) links.customer = link(`${api}/customers/${o.customer_id}`);
	if (o.parent_id) links.up = link(`${api}/orders/${o.parent_id}`);
	return {
		...o,
		line_items,
		payment_url: `${site}/checkout/order-pay/${o.id}/?pay_for_order=true&key=${o.order_key}`,
		is_editable: ['pending', 'on-hold', 'auto-draft', 'checkout-draft'].includes(o.status),
		needs_payment: store.needsPayment(o),
		needs_processing: store.needsProcessing(o),
		_links: links,
	};
}

/**
 * A refund as WC_REST_Order_Refunds_V2_Controller::get_formatted_item_data answers it. `refunded_payment`
 * is a view-only field of the schema: answers in the edit context (the 201 of a create, a delete) leave
 * it out. Line items are order items with negative quantity, subtotal and total; they carry no
 * `refund_total` (a write-only request field) but `_refunded_item_id` in their meta. SKUs are read now.
 */
export function refundAnswer(store: WooStore, r: WooRefundRecord, site: string, context: 'view' | 'edit' = 'view'): Json {
	const api = `${site}/wp-json/wc/v3`;
	const line_items = r.line_items.map((l) => {
		const s = store.sellable(l.variation_id || l.product_id);
		return { ...l, sku: s ? store.displaySku(s) : null };
	});
	const answer: Json = {
		id: r.id, date_created: r.date_created, date_created_gmt: r.date_created_gmt, amount: r.amount, reason: r.reason, refunded_by: r.refunded_by,
	};
	if (context === 'view') answer.refunded_payment = r.refunded_payment;
	return {
		...answer,
		meta_data: r.meta_data,
		line_items,
		shipping_lines: r.shipping_lines,
		tax_lines: r.tax_lines,
		fee_lines: r.fee_lines,
		_links: {
			self: link(`${api}/orders/${r.parent_id}/refunds/${r.id}`),
			collection: link(`${api}/orders/${r.parent_id}/refunds`),
			up: link(`${api}/orders/${r.parent_id}`),
		},
	};
}

function amountHtml(cents: string, currency: string): string {
	const symbol = SYMBOLS[currency] ?? `${currency}&nbsp;`;
	return `<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">${symbol}</span>${cents}</bdi></span>`;
}

function priceHtml(store: WooStore, p: WooProductRecord): string {
	const c = store.currency;
	if (p.type === 'variable' || p.type === 'grouped') {
		// A range over the children: the variations, or the products a grouped product lists.
		const children: Array<{ price: string }> = p.type === 'variable'
			? store.variationsOf(p.id)
			: p.grouped_products.map((id) => store.product(id)).filter((x): x is WooProductRecord => !!x && x.status === 'publish');
		const prices = children.map((v) => Number(v.price)).filter((n) => n > 0);
		if (!prices.length) return '';
		const [min, max] = [Math.min(...prices), Math.max(...prices)];
		return min === max ? amountHtml(min.toFixed(2), c) : `${amountHtml(min.toFixed(2), c)} &ndash; ${amountHtml(max.toFixed(2), c)}`;
	}
	if (!p.price) return '';
	if (p.on_sale) return `<del aria-hidden="true">${amountHtml(p.regular_price, c)}</del> <ins aria-hidden="true">${amountHtml(p.sale_price, c)}</ins>`;
	return amountHtml(p.price, c);
}

/** Inserts `key: value` after `after` (to keep WooCommerce's field order). */
function insertAfter(obj: Json, after: string, key: string, value: unknown): Json {
	const out: Json = {};
	for (const [k, v] of Object.entries(obj)) {
		out[k] = v;
		if (k === after) out[key] = value;
	}
	if (!(key in out)) out[key] = value;
	return out;
}

export function productAnswer(store: WooStore, p: WooProductRecord, site: string): Json {
	const api = `${site}/wp-json/wc/v3`;
	return { ...insertAfter(p as unknown as Json, 'date_on_sale_to_gmt', 'price_html', priceHtml(store, p)), _links: { self: link(`${api}/products/${p.id}`), collection: link(`${api}/products`) } };
}

/** A variation's stock as answers show it: "parent" and the parent's numbers when the parent manages it. */
function inheritedStock(store: WooStore, v: WooVariationRecord): { manage_stock: boolean | 'parent'; stock_quantity: number | null } {
	const parent = store.product(v.parent_id);
	if (!v.manage_stock && parent?.manage_stock) return { manage_stock: 'parent', stock_quantity: parent.stock_quantity };
	return { manage_stock: v.manage_stock, stock_quantity: v.stock_quantity };
}

export function variationAnswer(store: WooStore, v: WooVariationRecord, site: string): Json {
	const api = `${site}/wp-json/wc/v3`;
	const parent = store.product(v.parent_id);
	const { parent_id, ...rest } = v;
	return {
		...rest,
		sku: v.sku || parent?.sku || '',
		...inheritedStock(store, v),
		stock_status: v.stock_status,
		_links: {
			self: link(`${api}/products/${parent_id}/variations/${v.id}`),
			collection: link(`${api}/products/${parent_id}/variations`),
			up: link(`${api}/products/${parent_id}`),
		},
	};
}

/** A variation answered by /products (GET /products/{variation id}, or ?sku= which searches variations too). */
export function variationAsProductAnswer(store: WooStore, v: WooVariationRecord, site: string): Json {
	const parent = store.product(v.parent_id)!;
	const stock = inheritedStock(store, v);
	const asProduct: WooProductRecord = {
		...parent, id: v.id, name: store.variationName(v, parent), slug: `${parent.slug}-${v.attributes.map((a) => sanitizeTitle(a.option)).join('-')}`,
		permalink: v.permalink, date_created: v.date_created, date_created_gmt: v.date_created_gmt, date_modified: v.date_modified,
		date_modified_gmt: v.date_modified_gmt, type: 'simple', status: v.status, description: v.description, short_description: '',
		sku: v.sku || parent.sku, price: v.price, regular_price: v.regular_price, sale_price: v.sale_price, on_sale: v.on_sale,
		purchasable: v.purchasable, total_sales: 0, virtual: v.virtual, tax_status: v.tax_status, tax_class: v.tax_class,
		manage_stock: stock.manage_stock === 'parent' ? true : stock.manage_stock, stock_quantity: stock.stock_quantity, stock_status: v.stock_status,
		backorders: v.backorders, backorders_allowed: v.backorders_allowed, backordered: v.backordered, low_stock_amount: v.low_stock_amount,
		weight: v.weight, dimensions: v.dimensions, parent_id: parent.id, images: v.image ? [v.image] : parent.images.slice(0, 1),
		attributes: [], default_attributes: [], variations: [], related_ids: [], menu_order: v.menu_order, meta_data: v.meta_data,
	};
	const answer = productAnswer(store, asProduct, site);
	return { ...answer, type: 'variation', manage_stock: stock.manage_stock, attributes: v.attributes };
}

export function noteAnswer(n: WooNote, orderId: number, site: string): Json {
	const api = `${site}/wp-json/wc/v3`;
	return {
		...n,
		_links: {
			self: link(`${api}/orders/${orderId}/notes/${n.id}`),
			collection: link(`${api}/orders/${orderId}/notes`),
			up: link(`${api}/orders/${orderId}`),
		},
	};
}

/** WC_Shipment_Tracking_Actions::get_providers(): country → provider name → URL pattern (%1$s number, %2$s postcode, %3$s country). */
export const TRACKING_PROVIDERS: Record<string, Record<string, string>> = {
	Australia: { 'Australia Post': 'https://auspost.com.au/mypost/track/#/details/%1$s', 'Fastway Couriers': 'https://www.fastway.com.au/tools/track/?l=%1$s' },
	Brazil: { Correios: 'https://rastreamento.correios.com.br/app/index.php?objetos=%1$s' },
	Canada: { 'Canada Post': 'https://www.canadapost-postescanada.ca/track-reperage/en#/resultList?searchFor=%1$s' },
	France: { Colissimo: 'https://www.laposte.fr/outils/suivre-vos-envois?code=%1$s' },
	Germany: {
		'DHL Intraship (DE)': 'https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?lang=de&idc=%1$s&rfn=&extendedSearch=true',
		Hermes: 'https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation/#%1$s',
		'Deutsche Post DHL': 'https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?lang=de&idc=%1$s',
		'DPD.de': 'https://tracking.dpd.de/parcelstatus?query=%1$s&locale=en_DE',
	},
	Netherlands: { PostNL: 'https://postnl.nl/tracktrace/?B=%1$s&P=%2$s&D=%3$s&T=C' },
	'United Kingdom': {
		DHL: 'https://www.dhl.com/content/g0/en/express/tracking.shtml?brand=DHL&AWB=%1$s',
		'DPD.co.uk': 'https://www.dpd.co.uk/apps/tracking/?reference=%1$s#results',
		ParcelForce: 'https://www.parcelforce.com/track-trace?trackNumber=%1$s',
		'Royal Mail': 'https://www.royalmail.com/track-your-item#/tracking-results/%1$s',
	},
	'United States': {
		Fedex: 'https://www.fedex.com/apps/fedextrack/?action=track&action=track&tracknumbers=%1$s',
		OnTrac: 'https://www.ontrac.com/tracking/?number=%1$s',
		UPS: 'https://www.ups.com/track?loc=en_US&tracknum=%1$s',
		USPS: 'https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=%1$s',
		'DHL US': 'https://www.logistics.dhl/us-en/home/tracking/tracking-ecommerce.html?tracking-id=%1$s',
	},
};

/**
 * get_formatted_tracking_item(): a custom provider is shown as given; a known one by its display name and
 * link; an unknown slug with no custom name gives an empty provider and link.
 */
export function trackingAnswer(item: WooTrackingItem, order: WooOrderRecord, site: string): Json {
	let provider = '';
	let href = '';
	if (item.custom_tracking_provider) {
		provider = item.custom_tracking_provider;
		href = item.custom_tracking_link;
	} else {
		search: for (const group of Object.values(TRACKING_PROVIDERS)) {
			for (const [name, format] of Object.entries(group)) {
				if (name === item.tracking_provider || sanitizeTitle(name) === item.tracking_provider) {
					const postcode = (order.shipping.postcode || order.billing.postcode).toUpperCase().replace(/[\s-]/g, '');
					provider = name;
					href = format.replace('%1$s', item.tracking_number).replace('%2$s', encodeURIComponent(postcode)).replace('%3$s', order.shipping.country);
					break search;
				}
			}
		}
	}
	const base = `${site}/wp-json/wc-shipment-tracking/v3/orders/${order.id}/shipment-trackings`;
	return {
		tracking_id: item.tracking_id,
		tracking_provider: provider,
		tracking_link: href,
		tracking_number: item.tracking_number,
		date_shipped: new Date(Number(item.date_shipped) * 1000).toISOString().slice(0, 10),
		_links: {
			self: link(`${base}/${item.tracking_id}`),
			collection: link(base),
			up: link(`${site}/wp-json/wc-shipment-tracking/v3/orders/${order.id}`),
		},
	};
}
