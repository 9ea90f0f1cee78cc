/**
 * The legacy REST Admin API, for comparison benchmarks and for n8n's built-in Shopify node (which uses
 * REST): `GET orders.json` with cursor pagination through the Link header, `GET orders/{id}.json`,
 * `GET orders/count.json` and `GET shop.json`, under the REST leaky bucket (40 requests, 2/s; 429 with
 * Retry-After). REST is legacy at Shopify since 2024-10: https://shopify.dev/docs/api/admin-rest
 * Bodies follow the shapes in /work/shared/reference/examples/shopify-rest-2025-01-order*.json.
 */
import type { SimRequest, SimResponse } from '../common/server';
import type { RequestBucket } from './bucket';
import type { ShopData } from './data';
import { comparePositions } from './pagination';
import type { CursorPosition } from './pagination';
import { cents, decimal, orderTotals, paidCents, refundedUnits, refundsOf } from './store';
import type { ShopifyStore, SimAddress, SimOrder, SimTaxLine } from './store';
import { countryName, gqlDecimal } from './views';

type Json = Record<string, unknown>;

export const REST_PATH = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/(.+)\.json$/;

/** Shopify's REST default and maximum page size: https://shopify.dev/docs/api/admin-rest/usage/pagination */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 250;

/** REST timestamps carry the shop's UTC offset ("2026-01-01T00:00:00-05:00"), not a 'Z'. */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function restTime(iso: string | null, timeZone: string): string | null {
	if (!iso) return null;
	if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return `${iso.slice(0, 19)}+00:00`;
	const ms = Date.parse(iso);
	let format = formatters.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
		});
		formatters.set(timeZone, format);
	}
	const parts = format.formatToParts(new Date(ms));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	const offset = Math.round((local - Math.floor(ms / 1000) * 1000) / 60000);
	const sign = offset < 0 ? '-' : '+';
	const abs = Math.abs(offset);
	const pad = (n: number) => String(n).padStart(2, '0');
	const date = new Date(local).toISOString().slice(0, 19);
	return `${date}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function moneySet(centsValue: number, currency: string): Json {
	const m = { amount: decimal(centsValue), currency_code: currency };
	return { shop_money: m, presentment_money: { ...m } };
}

function restAddress(a: SimAddress | null): Json | null {
	if (!a) return null;
	return {
		first_name: a.firstName, address1: a.address1, phone: a.phone, city: a.city, zip: a.zip, province: a.province, country: countryName(a.countryCode),
		last_name: a.lastName, address2: a.address2, company: a.company, latitude: null, longitude: null,
		name: [a.firstName, a.lastName].filter(Boolean).join(' '), country_code: a.countryCode, province_code: a.provinceCode,
	};
}

function restTaxLine(t: SimTaxLine, currency: string): Json {
	return { price: t.price, rate: t.rate, title: t.title, price_set: moneySet(cents(t.price), currency), channel_liable: t.channelLiable };
}

const FINANCIAL: Record<string, string> = {
	PENDING: 'pending', AUTHORIZED: 'authorized', PARTIALLY_PAID: 'partially_paid', PAID: 'paid', PARTIALLY_REFUNDED: 'partially_refunded',
	REFUNDED: 'refunded', VOIDED: 'voided', EXPIRED: 'expired',
};

/** discount_codes[].type: https://shopify.dev/docs/api/admin-rest/latest/resources/order#resource-object */
const REST_DISCOUNT_TYPE: Record<string, string> = { FIXED_AMOUNT: 'fixed_amount', PERCENTAGE: 'percentage', FREE_SHIPPING: 'shipping' };

/** One order in the REST shape (the fields a sync uses; see the reference example for the full object). */
export function restOrder(o: SimOrder, store: ShopifyStore): Json {
	const tz = store.shop.ianaTimezone;
	const c = o.currencyCode;
	const t = orderTotals(o);
	const lineDiscounts = t.lineDiscounts;
	const code = o.discountCode;
	const refunded = cents(o.refundedAmount);
	const taxLines = new Map<string, SimTaxLine>();
	for (const tl of [...o.lineItems.flatMap((l) => l.taxLines), ...o.shippingLines.flatMap((s) => s.taxLines), ...o.orderTaxLines]) {
		const key = `${tl.title}|${tl.rate}`;
		const seen = taxLines.get(key);
		if (seen) seen.price = decimal(cents(seen.price) + cents(tl.price));
		else taxLines.set(key, { ...tl });
	}
	const fulfilledQty = (lineId: number) => o.fulfillments.filter((f) => f.status === 'SUCCESS').flatMap((f) => f.lineItems).filter((l) => l.lineItemId === lineId).reduce((s, l) => s + l.quantity, 0);
	const lineItem = (l: SimOrder['lineItems'][number]) => {
		const done = fulfilledQty(l.id);
		return {
			id: l.id, admin_graphql_api_id: `gid://shopify/LineItem/${l.id}`, attributed_staffs: [], current_quantity: o.cancelledAt ? 0 : Math.max(0, l.quantity - refundedUnits(o, l.id).all),
			fulfillable_quantity: l.fulfillableQuantity, fulfillment_service: 'manual',
			fulfillment_status: done === 0 ? null : done >= l.quantity ? 'fulfilled' : 'partial', gift_card: false, grams: 0, name: l.name,
			price: l.unitPrice, price_set: moneySet(cents(l.unitPrice), c), product_exists: l.productId !== null, product_id: l.productId, properties: [],
			quantity: l.quantity, requires_shipping: l.requiresShipping, sku: l.sku ?? '', taxable: l.taxable, title: l.title,
			// As in the reference example: a discount code's allocation is in discount_allocations, not total_discount.
			total_discount: decimal(cents(l.discount) - cents(l.codeDiscount ?? '0.00')),
			total_discount_set: moneySet(cents(l.discount) - cents(l.codeDiscount ?? '0.00'), c), variant_id: l.variantId,
			variant_inventory_management: l.variantId === null ? null : 'shopify', variant_title: l.variantTitle, vendor: l.vendor,
			tax_lines: l.taxLines.map((x) => restTaxLine(x, c)), duties: [],
			discount_allocations: cents(l.discount) > 0 ? [{ amount: l.discount, amount_set: moneySet(cents(l.discount), c), discount_application_index: 0 }] : [],
		};
	};
	return {
		id: o.id,
		admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
		app_id: null,
		browser_ip: null,
		buyer_accepts_marketing: o.buyerAcceptsMarketing,
		cancel_reason: o.cancelReason ? o.cancelReason.toLowerCase() : null,
		cancelled_at: restTime(o.cancelledAt, tz),
		cart_token: null,
		checkout_id: null,
		checkout_token: null,
		client_details: null,
		closed_at: restTime(o.closedAt, tz),
		confirmation_number: null,
		confirmed: true,
		contact_email: o.email,
		created_at: restTime(o.createdAt, tz),
		currency: c,
		current_subtotal_price: decimal(t.subtotal - lineDiscounts),
		current_subtotal_price_set: moneySet(t.subtotal - lineDiscounts, c),
		current_total_additional_fees_set: null,
		current_total_discounts: decimal(t.discounts),
		current_total_discounts_set: moneySet(t.discounts, c),
		current_total_duties_set: null,
		current_total_price: decimal(t.total - refunded),
		current_total_price_set: moneySet(t.total - refunded, c),
		current_total_tax: decimal(t.tax),
		current_total_tax_set: moneySet(t.tax, c),
		customer_locale: 'en',
		device_id: null,
		discount_codes: code ? [{ code: code.code, amount: code.amount, type: REST_DISCOUNT_TYPE[code.type] }] : [],
		duties_included: false,
		email: o.email ?? '',
		estimated_taxes: false,
		financial_status: FINANCIAL[o.displayFinancialStatus] ?? null,
		fulfillment_status: o.displayFulfillmentStatus === 'FULFILLED' ? 'fulfilled' : o.displayFulfillmentStatus === 'PARTIALLY_FULFILLED' ? 'partial' : null,
		landing_site: null,
		landing_site_ref: null,
		location_id: null,
		merchant_of_record_app_id: null,
		name: o.name,
		note: o.note,
		note_attributes: o.customAttributes.map((a) => ({ name: a.key, value: a.value })),
		number: o.orderNumber - 1000,
		order_number: o.orderNumber,
		order_status_url: `https://${store.shop.myshopifyDomain}/${store.shop.id}/orders/${o.id.toString(16)}/authenticate`,
		original_total_additional_fees_set: null,
		original_total_duties_set: null,
		payment_gateway_names: [...new Set(o.transactions.map((x) => x.gateway))],
		phone: o.phone,
		po_number: o.poNumber,
		presentment_currency: c,
		processed_at: restTime(o.processedAt, tz),
		reference: null,
		referring_site: null,
		source_identifier: o.sourceIdentifier,
		source_name: o.sourceName ?? 'web',
		source_url: null,
		subtotal_price: decimal(t.subtotal - lineDiscounts),
		subtotal_price_set: moneySet(t.subtotal - lineDiscounts, c),
		tags: o.tags.join(', '),
		tax_exempt: false,
		tax_lines: [...taxLines.values()].map((x) => restTaxLine(x, c)),
		taxes_included: o.taxesIncluded,
		test: o.test,
		token: o.id.toString(16),
		total_discounts: decimal(t.discounts),
		total_discounts_set: moneySet(t.discounts, c),
		total_line_items_price: decimal(t.subtotal),
		total_line_items_price_set: moneySet(t.subtotal, c),
		total_outstanding: decimal(o.cancelledAt ? 0 : Math.max(0, t.total - paidCents(o))),
		total_price: decimal(t.total),
		total_price_set: moneySet(t.total, c),
		total_shipping_price_set: moneySet(t.shipping, c),
		total_tax: decimal(t.tax),
		total_tax_set: moneySet(t.tax, c),
		total_tip_received: '0.00',
		total_weight: 0,
		updated_at: restTime(o.updatedAt, tz),
		user_id: null,
		billing_address: restAddress(o.billingAddress),
		customer: o.customer
			? {
				id: o.customer.id, email: o.customer.email, created_at: restTime(o.createdAt, tz), updated_at: restTime(o.createdAt, tz),
				first_name: o.customer.firstName, last_name: o.customer.lastName, state: 'disabled', note: null, verified_email: true,
				multipass_identifier: null, tax_exempt: false, phone: o.customer.phone, tags: '', currency: c, tax_exemptions: [],
				admin_graphql_api_id: `gid://shopify/Customer/${o.customer.id}`, default_address: restAddress(o.billingAddress ?? o.shippingAddress),
			}
			: null,
		discount_applications: code
			? [{
				target_type: code.type === 'FREE_SHIPPING' ? 'shipping_line' : 'line_item', type: 'discount_code', value: gqlDecimal(cents(code.value)),
				value_type: code.type === 'FIXED_AMOUNT' ? 'fixed_amount' : 'percentage', allocation_method: code.type === 'FREE_SHIPPING' ? 'each' : 'across',
				target_selection: 'all', code: code.code,
			}]
			: [],
		fulfillments: o.fulfillments.map((f) => ({
			id: f.id, admin_graphql_api_id: `gid://shopify/Fulfillment/${f.id}`, created_at: restTime(f.createdAt, tz), location_id: f.locationId,
			name: f.name, order_id: o.id, origin_address: {}, receipt: {}, service: 'manual', shipment_status: null, status: f.status.toLowerCase(),
			tracking_company: f.trackingInfo[0]?.company ?? null, tracking_number: f.trackingInfo[0]?.number ?? null,
			tracking_numbers: f.trackingInfo.map((x) => x.number).filter(Boolean), tracking_url: f.trackingInfo[0]?.url ?? null,
			tracking_urls: f.trackingInfo.map((x) => x.url).filter(Boolean), updated_at: restTime(f.updatedAt, tz),
			line_items: f.lineItems.map((fl) => {
				const line = o.lineItems.find((l) => l.id === fl.lineItemId)!;
				return { ...lineItem(line), quantity: fl.quantity };
			}),
		})),
		line_items: o.lineItems.map(lineItem),
		payment_terms: null,
		refunds: refundsOf(o).map((r) => {
			const transaction = (x: SimOrder['transactions'][number]) => ({
				id: x.id, admin_graphql_api_id: `gid://shopify/OrderTransaction/${x.id}`, amount: x.amount, currency: c, gateway: x.gateway, kind: 'refund',
				order_id: o.id, parent_id: x.parentId ?? null, processed_at: restTime(x.processedAt, tz), status: x.status.toLowerCase(), test: o.test,
			});
			if (r.legacy) {
				const x = r.transaction;
				return {
					id: x.id, admin_graphql_api_id: `gid://shopify/Refund/${x.id}`, created_at: restTime(x.processedAt, tz), note: null, order_id: o.id,
					processed_at: restTime(x.processedAt, tz), restock: false, user_id: null, order_adjustments: [], refund_line_items: [], duties: [], additional_fees: [],
					transactions: [transaction(x)],
				};
			}
			const refund = r.refund;
			return {
				id: refund.id, admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`, created_at: restTime(refund.createdAt, tz), note: refund.note, order_id: o.id,
				processed_at: restTime(refund.createdAt, tz), restock: refund.refundLineItems.some((x) => x.restocked), user_id: null, order_adjustments: [],
				duties: [], additional_fees: [],
				refund_line_items: refund.refundLineItems.map((x) => ({
					id: x.id, line_item_id: x.lineItemId, location_id: x.locationId, quantity: x.quantity, restock_type: x.restockType.toLowerCase(),
					subtotal: Number(x.subtotal), subtotal_set: moneySet(cents(x.subtotal), c), total_tax: Number(x.totalTax), total_tax_set: moneySet(cents(x.totalTax), c),
					line_item: lineItem(o.lineItems.find((l) => l.id === x.lineItemId)!),
				})),
				transactions: o.transactions.filter((x) => refund.transactionIds.includes(x.id)).map(transaction),
			};
		}),
		shipping_address: restAddress(o.shippingAddress),
		shipping_lines: o.shippingLines.map((s) => ({
			id: s.id, carrier_identifier: null, code: s.code, discounted_price: s.discountedPrice, discounted_price_set: moneySet(cents(s.discountedPrice), c),
			is_removed: false, phone: null, price: s.price, price_set: moneySet(cents(s.price), c), requested_fulfillment_service_id: null, source: s.source,
			title: s.title, tax_lines: s.taxLines.map((x) => restTaxLine(x, c)),
			discount_allocations: code?.type === 'FREE_SHIPPING' && cents(s.price) > cents(s.discountedPrice)
				? [{ amount: decimal(cents(s.price) - cents(s.discountedPrice)), amount_set: moneySet(cents(s.price) - cents(s.discountedPrice), c), discount_application_index: 0 }]
				: [],
		})),
	};
}

/** Filters of GET orders.json: https://shopify.dev/docs/api/admin-rest/latest/resources/order#get-orders */
const FILTER_PARAMS = [
	'status', 'financial_status', 'fulfillment_status', 'ids', 'since_id', 'created_at_min', 'created_at_max', 'updated_at_min', 'updated_at_max',
	'processed_at_min', 'processed_at_max', 'name', 'order',
];

function orderFilter(filters: Record<string, string>): (o: SimOrder) => boolean {
	const status = filters.status ?? 'open'; // REST lists only open orders unless told otherwise
	const ids = filters.ids ? new Set(filters.ids.split(',').map((x) => Number(x.trim()))) : undefined;
	const sinceId = filters.since_id ? Number(filters.since_id) : undefined;
	const date = (name: string) => (filters[name] ? Date.parse(filters[name]) : undefined);
	const bounds: Array<[keyof SimOrder, number | undefined, number | undefined]> = [
		['createdAt', date('created_at_min'), date('created_at_max')],
		['updatedAt', date('updated_at_min'), date('updated_at_max')],
		['processedAt', date('processed_at_min'), date('processed_at_max')],
	];
	const financial = filters.financial_status;
	const fulfillment = filters.fulfillment_status;
	return (o) => {
		if (status === 'open' && (o.closed || o.cancelledAt)) return false;
		if (status === 'closed' && !o.closed) return false;
		if (status === 'cancelled' && !o.cancelledAt) return false;
		if (ids && !ids.has(o.id)) return false;
		if (sinceId !== undefined && o.id <= sinceId) return false;
		if (filters.name && o.name !== filters.name && o.name !== `#${filters.name}`) return false;
		for (const [field, min, max] of bounds) {
			const at = Date.parse(o[field] as string);
			if (min !== undefined && at < min) return false;
			if (max !== undefined && at > max) return false;
		}
		if (financial && financial !== 'any') {
			const f = FINANCIAL[o.displayFinancialStatus];
			if (financial === 'unpaid' ? !['pending', 'authorized', 'partially_paid'].includes(f) : f !== financial) return false;
		}
		if (fulfillment && fulfillment !== 'any') {
			const shipped = o.displayFulfillmentStatus === 'FULFILLED';
			const partial = o.displayFulfillmentStatus === 'PARTIALLY_FULFILLED';
			if ((fulfillment === 'shipped' && !shipped) || (fulfillment === 'partial' && !partial) || (fulfillment === 'unshipped' && (shipped || partial))
				|| (fulfillment === 'unfulfilled' && shipped)) return false;
		}
		return true;
	};
}

interface PageInfo {
	direction: 'next' | 'prev';
	last_id: number;
	last_value: string | number;
	filters: Record<string, string>;
}

function encodePageInfo(info: PageInfo): string {
	return Buffer.from(JSON.stringify(info)).toString('base64url');
}

function decodePageInfo(text: string): PageInfo | undefined {
	try {
		const info = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageInfo;
		return info && (info.direction === 'next' || info.direction === 'prev') && typeof info.last_id === 'number' ? info : undefined;
	} catch {
		return undefined;
	}
}

function badRequest(errors: unknown): SimResponse {
	return { status: 400, body: { errors } };
}

/**
 * GET orders.json with Shopify's cursor pagination: `limit` (≤ 250, default 50) and `page_info` from the
 * Link header's rel="next"/rel="previous" URLs; with page_info only limit and fields may be given, since
 * the filters travel inside the cursor. https://shopify.dev/docs/api/admin-rest/usage/pagination
 */
function listOrders(request: SimRequest, data: ShopData, baseUrl: string): SimResponse {
	const q = request.query;
	const limitText = q.get('limit');
	const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return badRequest({ limit: [`must be between 1 and ${MAX_LIMIT}`] });
	const pageInfoText = q.get('page_info');
	let filters: Record<string, string>;
	let cursor: PageInfo | undefined;
	if (pageInfoText !== null) {
		cursor = decodePageInfo(pageInfoText);
		if (!cursor) return badRequest({ page_info: ['Invalid value.'] });
		const extra = [...q.keys()].filter((k) => !['limit', 'page_info', 'fields'].includes(k));
		if (extra.length > 0) return badRequest({ page_info: [`cannot be used with ${extra.join(', ')}: only limit and fields may accompany page_info`] });
		filters = cursor.filters;
	} else {
		filters = {};
		for (const key of FILTER_PARAMS) {
			const value = q.get(key);
			if (value !== null) filters[key] = value;
		}
	}
	const [sortField, sortDir] = (filters.order ?? 'created_at desc').trim().split(/\s+/);
	const field = ({ created_at: 'createdAt', updated_at: 'updatedAt', processed_at: 'processedAt', id: 'id' } as const)[sortField] ?? 'createdAt';
	const descending = (sortDir ?? 'desc').toLowerCase() === 'desc';
	const position = (o: SimOrder): CursorPosition => ({ value: field === 'id' ? o.id : (o[field] as string), id: o.id });
	const sorted = data.sortedBy(`rest-orders:${field}`, () => data.store.orders, position);
	const test = orderFilter(filters);
	// Walk in the requested order from the cursor, in the cursor's direction.
	const ordered = descending ? [...sorted.items].reverse() : sorted.items;
	const cmp = (a: CursorPosition, b: CursorPosition) => (descending ? -comparePositions(a, b) : comparePositions(a, b));
	let page: SimOrder[];
	if (!cursor) {
		page = [];
		for (const o of ordered) {
			if (page.length >= limit) break;
			if (test(o)) page.push(o);
		}
	} else {
		const at = { value: cursor.last_value, id: cursor.last_id };
		if (cursor.direction === 'next') {
			page = [];
			for (const o of ordered) {
				if (page.length >= limit) break;
				if (cmp(position(o), at) > 0 && test(o)) page.push(o);
			}
		} else {
			const before = ordered.filter((o) => cmp(position(o), at) < 0 && test(o));
			page = before.slice(Math.max(0, before.length - limit));
		}
	}
	const links: string[] = [];
	const link = (direction: 'next' | 'prev', o: SimOrder) => {
		const p = position(o);
		const fields = q.get('fields');
		const params = new URLSearchParams({ limit: String(limit), page_info: encodePageInfo({ direction, last_id: p.id, last_value: p.value, filters }) });
		if (fields) params.set('fields', fields);
		return `<${baseUrl}${request.path}?${params.toString()}>; rel="${direction === 'next' ? 'next' : 'previous'}"`;
	};
	if (page.length > 0) {
		const first = position(page[0]);
		const last = position(page[page.length - 1]);
		if (ordered.some((o) => cmp(position(o), first) < 0 && test(o))) links.push(link('prev', page[0]));
		if (ordered.some((o) => cmp(position(o), last) > 0 && test(o))) links.push(link('next', page[page.length - 1]));
	}
	const fields = q.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean);
	const orders = page.map((o) => {
		const full = restOrder(o, data.store);
		return fields ? Object.fromEntries(fields.filter((f) => f in full).map((f) => [f, full[f]])) : full;
	});
	return { status: 200, headers: links.length > 0 ? { link: links.join(', ') } : {}, body: { orders } };
}

function restShop(store: ShopifyStore): Json {
	const s = store.shop;
	return {
		id: s.id, name: s.name, email: s.email, domain: s.myshopifyDomain, province: 'Illinois', country: 'US', address1: '1 Warehouse Way', zip: '62701',
		city: 'Springfield', source: null, phone: '', latitude: null, longitude: null, primary_locale: 'en', address2: '',
		created_at: restTime(s.createdAt, s.ianaTimezone), updated_at: restTime(s.createdAt, s.ianaTimezone), country_code: 'US', country_name: 'United States',
		currency: s.currencyCode, customer_email: s.email, timezone: `(GMT+00:00) ${s.ianaTimezone}`, iana_timezone: s.ianaTimezone, shop_owner: 'Sim Owner',
		money_format: '${{amount}}', money_with_currency_format: `\${{amount}} ${s.currencyCode}`, weight_unit: 'kg', province_code: 'IL',
		taxes_included: false, auto_configure_tax_inclusivity: null, tax_shipping: null, county_taxes: true, plan_display_name: s.planDisplayName,
		plan_name: 'basic', has_discounts: false, has_gift_cards: false, myshopify_domain: s.myshopifyDomain, google_apps_domain: null,
		google_apps_login_enabled: null, money_in_emails_format: '${{amount}}', money_with_currency_in_emails_format: `\${{amount}} ${s.currencyCode}`,
		eligible_for_payments: true, requires_extra_payments_agreement: false, password_enabled: false, has_storefront: true, finances: true,
		primary_location_id: store.locations[0]?.id ?? null, checkout_api_supported: true, multi_location_enabled: store.locations.length > 1,
		setup_required: false, pre_launch_enabled: false, enabled_presentment_currencies: [s.currencyCode], transactional_sms_disabled: false,
		marketing_sms_consent_enabled_at_checkout: false,
	};
}

/**
 * Serves one authenticated REST request. The bucket is charged first: every REST call counts, and a
 * full bucket answers 429 with Retry-After: 2.0 (https://shopify.dev/docs/api/admin-rest/usage/rate-limits).
 */
export function handleRest(request: SimRequest, data: ShopData, bucket: RequestBucket, baseUrl: string, resource: string): SimResponse {
	if (!bucket.add()) {
		return {
			status: 429,
			headers: { 'retry-after': '2.0', 'x-shopify-shop-api-call-limit': bucket.header() },
			body: { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
		};
	}
	const limitHeader = { 'x-shopify-shop-api-call-limit': bucket.header() };
	const withLimit = (response: SimResponse): SimResponse => ({ ...response, headers: { ...(response.headers ?? {}), ...limitHeader } });
	if (request.method !== 'GET') return withLimit({ status: 404, body: { errors: 'Not Found' } });
	if (resource === 'shop') return withLimit({ status: 200, body: { shop: restShop(data.store) } });
	if (resource === 'orders') return withLimit(listOrders(request, data, baseUrl));
	if (resource === 'orders/count') {
		const filters: Record<string, string> = {};
		for (const key of FILTER_PARAMS) {
			const value = request.query.get(key);
			if (value !== null) filters[key] = value;
		}
		return withLimit({ status: 200, body: { count: data.store.orders.filter(orderFilter(filters)).length } });
	}
	const one = /^orders\/(\d+)$/.exec(resource);
	if (one) {
		const order = data.order(Number(one[1]));
		return withLimit(order ? { status: 200, body: { order: restOrder(order, data.store) } } : { status: 404, body: { errors: 'Not Found' } });
	}
	return withLimit({ status: 404, body: { errors: 'Not Found' } });
}
