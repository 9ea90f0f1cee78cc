/**
 * The HTTP face of the simulated store: WordPress's REST server as WooCommerce uses it
 * (https://woocommerce.github.io/woocommerce-rest-api-docs/). Order of checks, as WordPress does them:
 * WooCommerce key authentication (a wrong key is refused before any routing) → route match
 * (rest_no_route) → parameter validation (400, even without keys) → permission (401 without keys) → handler.
 */
import type { SimRequest, SimResponse } from '../common/server';
import { noteAnswer, orderAnswer, productAnswer, refundAnswer, TRACKING_PROVIDERS, trackingAnswer, variationAnswer, variationAsProductAnswer } from './answers';
import { dateParamToSiteWall } from './dates';
import { NO_ROUTE, WooRestError } from './errors';
import { queryObject, readParams } from './params';
import type { Schema } from './params';
import { ORDER_STATUSES, isObject } from './store';
import type { Body, WooStore } from './store';
import type { WooOrderRecord, WooProductRecord, WooRefundRecord, WooVariationRecord } from './types';

export interface WooRouteConfig {
	store: WooStore;
	/** The site URL (the simulator's base URL); links and Location headers use it. */
	site: () => string;
	consumerKey: string;
	consumerSecret: string;
	/** The key's permissions as set in WooCommerce → Settings → Advanced → REST API. */
	keyPermissions: 'read' | 'write' | 'read_write';
	shipmentTracking: boolean;
}

type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Ctx {
	req: SimRequest;
	method: Method;
	params: string[];
	authed: boolean;
	query: Record<string, unknown>;
	body: Body;
}

type RouteHandler = (c: Ctx) => SimResponse;

interface Route {
	pattern: RegExp;
	methods: Partial<Record<Method, RouteHandler>>;
	enabled?: () => boolean;
}

/** WooCommerce's permission errors (status rest_authorization_required_code() = 401 without a user). */
const CANNOT = {
	list: ['woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'],
	view: ['woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.'],
	create: ['woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.'],
	edit: ['woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.'],
	delete: ['woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.'],
	batch: ['woocommerce_rest_cannot_batch', 'Sorry, you are not allowed to batch manipulate this resource.'],
} as const;

function need(c: Ctx, what: keyof typeof CANNOT): void {
	if (!c.authed) throw new WooRestError(401, CANNOT[what][0], CANNOT[what][1]);
}

const BATCH_LIMIT = 100;

// ---- schemas ---------------------------------------------------------------------------------

const int: Schema = { type: 'integer' };
const str: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const idList: Schema = { type: 'array', items: { type: 'integer' }, default: [] };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const metaList: Schema = { type: 'array', items: { type: 'object', properties: { key: str } } };

/** WC_REST_CRUD_Controller::get_collection_params(). */
const COLLECTION: Record<string, Schema> = {
	context: { type: 'string', enum: ['view', 'edit'], default: 'view' },
	page: { type: 'integer', default: 1, minimum: 1, sanitize: 'absint' },
	per_page: { type: 'integer', default: 10, minimum: 1, maximum: 100, sanitize: 'absint' },
	search: str,
	after: dateTime,
	before: dateTime,
	modified_after: dateTime,
	modified_before: dateTime,
	dates_are_gmt: { type: 'boolean', default: false },
	exclude: idList,
	include: idList,
	offset: { type: 'integer', sanitize: 'absint' },
	order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
	orderby: { type: 'string', enum: ['date', 'id', 'include', 'title', 'slug', 'modified'], default: 'date' },
	parent: idList,
	parent_exclude: idList,
};

const ORDER_LIST: Record<string, Schema> = {
	...COLLECTION,
	status: { type: 'array', items: { type: 'string', enum: ['any', 'trash', ...ORDER_STATUSES] }, default: ['any'] },
	customer: int,
	product: int,
	dp: { type: 'integer', default: 2 },
};

const PRODUCT_STATUSES = ['any', 'future', 'trash', 'draft', 'pending', 'private', 'publish'];
const STOCK_STATUSES = ['instock', 'outofstock', 'onbackorder'];

const PRODUCT_LIST: Record<string, Schema> = {
	...COLLECTION,
	orderby: { type: 'string', enum: ['date', 'modified', 'id', 'include', 'title', 'slug', 'price', 'popularity', 'rating', 'menu_order'], default: 'date' },
	slug: str,
	status: { type: 'string', enum: PRODUCT_STATUSES, default: 'any' },
	type: { type: 'string', enum: ['simple', 'grouped', 'external', 'variable'] },
	sku: str,
	featured: bool,
	on_sale: bool,
	stock_status: { type: 'string', enum: STOCK_STATUSES },
};

const VARIATION_LIST: Record<string, Schema> = {
	...COLLECTION,
	orderby: { type: 'string', enum: ['date', 'modified', 'id', 'include', 'title', 'slug', 'menu_order'], default: 'date' },
	status: { type: 'string', enum: PRODUCT_STATUSES, default: 'any' },
	sku: str,
	on_sale: bool,
	stock_status: { type: 'string', enum: STOCK_STATUSES },
};

const address = (billing: boolean): Schema => ({
	type: 'object',
	properties: {
		first_name: str, last_name: str, company: str, address_1: str, address_2: str, city: str, state: str, postcode: str, country: str, phone: str,
		...(billing ? { email: { type: ['string', 'null'], format: 'email' } as Schema } : {}),
	},
});

/** Currencies the orders schema accepts (get_woocommerce_currencies(); ISO 4217 as Node knows it). */
const CURRENCIES: string[] = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('currency') ?? ['USD', 'EUR', 'GBP'];

/** The orders item schema (WC_REST_Orders_V2_Controller::get_item_schema), writable props. */
const ORDER_BODY: Record<string, Schema> = {
	parent_id: int,
	status: { type: 'string', enum: ORDER_STATUSES },
	currency: { type: 'string', enum: CURRENCIES },
	customer_id: int,
	customer_note: str,
	billing: address(true),
	shipping: address(false),
	payment_method: str,
	payment_method_title: str,
	transaction_id: str,
	meta_data: metaList,
	line_items: { type: 'array', items: { type: 'object', properties: { id: int, variation_id: { type: ['integer', 'null'] }, quantity: int, tax_class: str, subtotal: str, total: str, meta_data: metaList } } },
	shipping_lines: { type: 'array', items: { type: 'object', properties: { id: int, instance_id: str, total: str, meta_data: metaList } } },
	fee_lines: { type: 'array', items: { type: 'object', properties: { id: int, tax_class: str, tax_status: { type: 'string', enum: ['taxable', 'none'] }, total: str, meta_data: metaList } } },
	coupon_lines: { type: 'array', items: { type: 'object', properties: { id: int, meta_data: metaList } } },
	set_paid: bool,
};

const STOCK_BODY: Record<string, Schema> = {
	sku: str,
	regular_price: str,
	sale_price: str,
	status: { type: 'string', enum: ['draft', 'pending', 'private', 'publish', 'future'] },
	tax_status: { type: 'string', enum: ['taxable', 'shipping', 'none'] },
	tax_class: str,
	manage_stock: bool,
	stock_quantity: int,
	inventory_delta: int,
	low_stock_amount: { type: ['integer', 'null'] },
	stock_status: { type: 'string', enum: STOCK_STATUSES },
	backorders: { type: 'string', enum: ['no', 'notify', 'yes'] },
	description: str,
	weight: str,
	menu_order: int,
	meta_data: metaList,
};

const PRODUCT_BODY: Record<string, Schema> = {
	...STOCK_BODY,
	name: str,
	slug: str,
	type: { type: 'string', enum: ['simple', 'grouped', 'external', 'variable'] },
	featured: bool,
	virtual: bool,
	short_description: str,
	external_url: str,
	button_text: str,
	grouped_products: { type: 'array', items: { type: 'integer' } },
};

/**
 * The refunds item schema's writable props (WC_REST_Order_Refunds_Controller::get_item_schema): `amount`
 * is a string ("12.00"; a JSON number is refused), api_refund / api_restock default to true. `line_items`
 * is read-only in the schema, so WordPress does not check it; `refunded_by` is checked but not used.
 */
const REFUND_BODY: Record<string, Schema> = {
	amount: str,
	reason: str,
	refunded_by: int,
	meta_data: metaList,
	api_refund: { type: 'boolean', default: true },
	api_restock: { type: 'boolean', default: true },
};

/** get_collection_params() of the refunds controller: the orders' without status, customer and product. */
const REFUND_LIST: Record<string, Schema> = Object.fromEntries(Object.entries(ORDER_LIST).filter(([k]) => !['status', 'customer', 'product'].includes(k)));

const NOTE_BODY: Record<string, Schema> = {
	note: { type: 'string', required: true },
	customer_note: { type: 'boolean', default: false },
	added_by_user: { type: 'boolean', default: false },
};

// ---- listing -----------------------------------------------------------------------------------

/**
 * Sorted views kept between requests and re-sorted only when the store changed (its `version`), so paging
 * through 50,000 orders does not sort 50,000 records per page. Code that edits records directly instead of
 * through the store calls `store.changed()`.
 */
class SortedView<T> {
	private items: T[] = [];
	private version = -1;
	private length = -1;

	get(all: T[], version: number, compare: (a: T, b: T) => number): T[] {
		if (version !== this.version || all.length !== this.length) {
			// Keep the previous order as the starting point: re-sorting an almost sorted array is linear (TimSort).
			const known = new Set(this.items);
			this.items = all.length === this.length && all.every((x) => known.has(x)) ? this.items : all.slice();
			this.items.sort(compare);
			this.version = version;
			this.length = all.length;
		}
		return this.items;
	}
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** X-WP-Total, X-WP-TotalPages and Link (prev, then next) as WC_REST_CRUD_Controller::get_items sets them. */
function pagedAnswer<T>(c: Ctx, cfg: WooRouteConfig, routePath: string, items: T[], q: Json, toJson: (item: T) => Json): SimResponse {
	const perPage = q.per_page as number;
	const page = q.page as number;
	const start = q.offset !== undefined ? (q.offset as number) : (page - 1) * perPage;
	const slice = items.slice(start, start + perPage).map(toJson);
	const total = items.length;
	const pages = Math.ceil(total / perPage);
	// add_query_arg($request->get_query_params(), rest_url(...)): every query parameter as sent — keys
	// passed in the query string included — with `page` replaced.
	const linkTo = (n: number) => {
		const params = new URLSearchParams(c.req.query);
		params.set('page', String(n));
		return `${cfg.site()}/wp-json${routePath}?${params.toString()}`;
	};
	const links: string[] = [];
	if (page > 1) links.push(`<${linkTo(Math.min(page - 1, Math.max(pages, 1)))}>; rel="prev"`);
	if (pages > page) links.push(`<${linkTo(page + 1)}>; rel="next"`);
	const headers: Record<string, string> = { 'X-WP-Total': String(total), 'X-WP-TotalPages': String(pages) };
	if (links.length) headers.Link = links.join(', ');
	return { status: 200, headers, body: fields(c, slice) };
}

/** `_fields=id,status`: WordPress keeps only those top-level fields (rest_filter_response_fields). */
function fields(c: Ctx, body: unknown): unknown {
	const wanted = typeof c.query._fields === 'string' ? c.query._fields.split(',').map((f) => f.trim().split('.')[0]).filter(Boolean) : [];
	if (!wanted.length) return body;
	const pickFields = (o: unknown) => (isObject(o) ? Object.fromEntries(Object.entries(o).filter(([k]) => wanted.includes(k))) : o);
	return Array.isArray(body) ? body.map(pickFields) : pickFields(body);
}

interface DateFilters {
	after?: string;
	before?: string;
	modifiedAfter?: string;
	modifiedBefore?: string;
	gmt: boolean;
}

/** WP_Date_Query: `after`/`before` are exclusive, compared at whole seconds in the column's zone. */
function dateFilters(store: WooStore, q: Json): DateFilters {
	const wall = (v: unknown) => (typeof v === 'string' ? dateParamToSiteWall(v, store.time) ?? undefined : undefined);
	const problems: Record<string, { code: string; message: string }> = {};
	for (const k of ['after', 'before', 'modified_after', 'modified_before']) {
		if (typeof q[k] === 'string' && wall(q[k]) === undefined) problems[k] = { code: 'rest_invalid_date', message: 'Invalid date.' };
	}
	if (Object.keys(problems).length) {
		throw new WooRestError(400, 'rest_invalid_param', `Invalid parameter(s): ${Object.keys(problems).join(', ')}`, {
			params: Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, p.message])),
			details: Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, { ...p, data: null }])),
		});
	}
	return { after: wall(q.after), before: wall(q.before), modifiedAfter: wall(q.modified_after), modifiedBefore: wall(q.modified_before), gmt: q.dates_are_gmt === true };
}

function passesDates(rec: { date_created: string; date_created_gmt: string; date_modified: string; date_modified_gmt: string }, d: DateFilters): boolean {
	const created = d.gmt ? rec.date_created_gmt : rec.date_created;
	const modified = d.gmt ? rec.date_modified_gmt : rec.date_modified;
	if (d.after !== undefined && !(created > d.after)) return false;
	if (d.before !== undefined && !(created < d.before)) return false;
	if (d.modifiedAfter !== undefined && !(modified > d.modifiedAfter)) return false;
	if (d.modifiedBefore !== undefined && !(modified < d.modifiedBefore)) return false;
	return true;
}

// ---- the handler -----------------------------------------------------------------------------

export function wooRoutes(cfg: WooRouteConfig): (req: SimRequest) => SimResponse {
	const { store } = cfg;
	const orderViews = new Map<string, SortedView<WooOrderRecord>>();
	const site = () => cfg.site();

	const orderCompare = (orderby: string) => {
		const key = orderby === 'modified' ? 'date_modified_gmt' : 'date_created_gmt';
		if (orderby === 'id') return (a: WooOrderRecord, b: WooOrderRecord) => a.id - b.id;
		// 'date ID' / 'modified ID': ties by id, in the same direction.
		return (a: WooOrderRecord, b: WooOrderRecord) => byString(a[key], b[key]) || a.id - b.id;
	};

	function listOrders(c: Ctx): SimResponse {
		const q = readParams(c.query, ORDER_LIST);
		need(c, 'list');
		const d = dateFilters(store, q);
		const statuses = q.status as string[];
		const any = statuses.includes('any');
		const include = q.include as number[];
		const exclude = new Set(q.exclude as number[]);
		const parents = q.parent as number[];
		const parentExclude = new Set(q.parent_exclude as number[]);
		const search = typeof q.search === 'string' && q.search.trim() ? q.search.trim().toLowerCase() : undefined;
		const orderby = q.orderby as string;
		let sorted: WooOrderRecord[];
		if (orderby === 'include') {
			sorted = store.orders.slice().sort((a, b) => include.indexOf(a.id) - include.indexOf(b.id) || a.id - b.id);
		} else {
			const key = orderby === 'title' || orderby === 'slug' ? 'date' : orderby;
			let view = orderViews.get(key);
			if (!view) orderViews.set(key, (view = new SortedView()));
			sorted = view.get(store.orders, store.version, orderCompare(key));
		}
		const out: WooOrderRecord[] = [];
		for (const o of sorted) {
			if (any ? o.status === 'trash' || o.status === 'auto-draft' : !statuses.includes(o.status)) continue;
			if (include.length && !include.includes(o.id)) continue;
			if (exclude.has(o.id)) continue;
			if (parents.length && !parents.includes(o.parent_id)) continue;
			if (parentExclude.has(o.parent_id)) continue;
			if (q.customer !== undefined && o.customer_id !== q.customer) continue;
			if (q.product !== undefined && !o.line_items.some((l) => l.product_id === q.product)) continue;
			if (!passesDates(o, d)) continue;
			if (search && !orderMatches(o, search)) continue;
			out.push(o);
		}
		if (q.order === 'desc') out.reverse();
		return pagedAnswer(c, cfg, '/wc/v3/orders', out, q, (o) => orderAnswer(store, o, site()));
	}

	/**
	 * GET /orders/{id}/refunds: the order's refunds (post_parent__in), paged like every collection. An
	 * unknown order is not an error: the query simply finds nothing. `search` is matched against the
	 * reason (the refund post's excerpt).
	 */
	function listRefunds(c: Ctx): SimResponse {
		const q = readParams(c.query, REFUND_LIST);
		need(c, 'list');
		const d = dateFilters(store, q);
		const orderId = Number(c.params[0]);
		const include = q.include as number[];
		const exclude = new Set(q.exclude as number[]);
		const search = typeof q.search === 'string' && q.search.trim() ? q.search.trim().toLowerCase() : undefined;
		const excluded = (q.parent_exclude as number[]).includes(orderId);
		const out = excluded ? [] : store.refundsOf(orderId).filter((r) => {
			if (include.length && !include.includes(r.id)) return false;
			if (exclude.has(r.id)) return false;
			if (search && !r.reason.toLowerCase().includes(search)) return false;
			return passesDates({ ...r, date_modified: r.date_created, date_modified_gmt: r.date_created_gmt }, d);
		});
		const orderby = q.orderby as string;
		out.sort((a, b) => {
			if (orderby === 'id') return a.id - b.id;
			if (orderby === 'include') return include.indexOf(a.id) - include.indexOf(b.id);
			return byString(a.date_created_gmt, b.date_created_gmt) || a.id - b.id;
		});
		if (q.order === 'desc') out.reverse();
		return pagedAnswer(c, cfg, `/wc/v3/orders/${orderId}/refunds`, out, q, (r) => refundAnswer(store, r, site(), q.context as 'view' | 'edit'));
	}

	/**
	 * The refund for GET / DELETE /orders/{order_id}/refunds/{id}: 404 `woocommerce_rest_shop_order_refund_invalid_id`
	 * for an unknown id (CRUD get_item), then — from prepare_object_for_response — 404 for an unknown order
	 * or a refund of another order.
	 */
	function refundOr404(orderId: number, id: number): { refund: WooRefundRecord; problem?: WooRestError } {
		const refund = store.refund(id);
		if (!refund) throw new WooRestError(404, 'woocommerce_rest_shop_order_refund_invalid_id', 'Invalid ID.');
		if (!store.order(orderId)) return { refund, problem: new WooRestError(404, 'woocommerce_rest_invalid_order_id', 'Invalid order ID.') };
		if (refund.parent_id !== orderId) return { refund, problem: new WooRestError(404, 'woocommerce_rest_invalid_order_refund_id', 'Invalid order refund ID.') };
		return { refund };
	}

	function orderOr404(id: number): WooOrderRecord {
		const o = store.order(id);
		if (!o) throw new WooRestError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
		return o;
	}

	const created = (body: unknown, location: string): SimResponse => ({ status: 201, headers: { Location: location }, body });

	/**
	 * WC_REST_Controller::batch_items(): at most 100 objects in create + update + delete together
	 * (check_batch_limit, filter woocommerce_rest_batch_items_limit) else the whole request is refused with
	 * 413 woocommerce_rest_request_entity_too_large and nothing is applied. Each object then runs through
	 * create_item / update_item / delete_item on its own: a failure becomes `{ id, error: { code, message,
	 * data } }` in its place (the id as posted; 0 for creates) and the other objects are applied. Batch objects
	 * skip WordPress's schema validation and sanitizing (they are not request parameters), so a value of the
	 * wrong type reaches the setters as sent. The variations batch adds the URL's product_id to each object.
	 */
	function batch(c: Ctx, ops: { create: (b: Body) => Json; update: (b: Body) => Json; remove: (id: number) => Json }): SimResponse {
		need(c, 'batch');
		const count = (k: string) => (Array.isArray(c.body[k]) ? (c.body[k] as unknown[]).length : 0);
		const total = count('create') + count('update') + count('delete');
		if (total > BATCH_LIMIT) {
			throw new WooRestError(413, 'woocommerce_rest_request_entity_too_large', `Unable to accept more than ${BATCH_LIMIT} items for this request.`);
		}
		const answer: Json = {};
		const failed = (id: unknown, e: unknown) => {
			if (!(e instanceof WooRestError)) throw e;
			return { id, error: e.body() };
		};
		if (count('create')) {
			answer.create = (c.body.create as unknown[]).map((item) => {
				try {
					return ops.create(isObject(item) ? item : {});
				} catch (e) {
					return failed(0, e);
				}
			});
		}
		if (count('update')) {
			answer.update = (c.body.update as unknown[]).map((item) => {
				const b = isObject(item) ? item : {};
				try {
					return ops.update(b);
				} catch (e) {
					return failed(b.id ?? null, e);
				}
			});
		}
		if (count('delete')) {
			const results: unknown[] = [];
			for (const raw of c.body.delete as unknown[]) {
				const id = Math.trunc(Number(raw)) || 0;
				if (!id) continue;
				try {
					results.push(ops.remove(id));
				} catch (e) {
					results.push(failed(id, e));
				}
			}
			answer.delete = results;
		}
		// PHP's empty array encodes as [].
		return { status: 200, body: Object.keys(answer).length ? answer : [] };
	}

	// ---- products ----

	function productMatches(p: { name: string; description: string }, search: string): boolean {
		return p.name.toLowerCase().includes(search) || p.description.toLowerCase().includes(search);
	}

	type Listed = { kind: 'product'; rec: WooProductRecord } | { kind: 'variation'; rec: WooVariationRecord };

	/**
	 * The filtered, sorted list behind GET /products, kept per query (all parameters but the paging ones)
	 * until the store changes: paging through 25,000 products 100 at a time filters and sorts once, not once
	 * a page. Code that edits records directly calls `store.changed()`.
	 */
	const productLists = new Map<string, { version: number; items: Listed[] }>();
	const NOT_FILTERS = new Set(['page', 'offset', 'per_page', 'context', '_fields', 'consumer_key', 'consumer_secret', '_method']);

	function listProducts(c: Ctx): SimResponse {
		const q = readParams(c.query, PRODUCT_LIST);
		need(c, 'list');
		const d = dateFilters(store, q);
		const key = JSON.stringify(Object.keys(q).filter((k) => !NOT_FILTERS.has(k)).sort().map((k) => [k, q[k]]));
		let cached = productLists.get(key);
		if (!cached || cached.version !== store.version) {
			cached = { version: store.version, items: findProducts(q, d) };
			productLists.delete(key);
			if (productLists.size >= 8) productLists.delete(productLists.keys().next().value as string);
			productLists.set(key, cached);
		}
		return pagedAnswer(c, cfg, '/wc/v3/products', cached.items, q, (l) =>
			l.kind === 'product' ? productAnswer(store, l.rec, site()) : variationAsProductAnswer(store, l.rec, site()));
	}

	function findProducts(q: Json, d: DateFilters): Listed[] {
		const skus = typeof q.sku === 'string' && q.sku ? (() => {
			const list = q.sku.split(',');
			return list.length > 1 ? [...list, q.sku] : list; // "Include the current string as a SKU too."
		})() : undefined;
		const include = q.include as number[];
		const exclude = new Set(q.exclude as number[]);
		const search = typeof q.search === 'string' && q.search.trim() ? q.search.trim().toLowerCase() : undefined;
		// With `sku`, WooCommerce queries products AND variations by their own SKU (`_sku` IN (...)).
		let pool: Listed[];
		if (skus) {
			const found = new Set<WooProductRecord | WooVariationRecord>();
			for (const sku of skus) for (const rec of store.recordsBySku(sku)) found.add(rec);
			pool = [...found].map((rec) => ('type' in rec ? { kind: 'product' as const, rec } : { kind: 'variation' as const, rec }));
		} else {
			pool = store.products.map((rec) => ({ kind: 'product' as const, rec }));
		}
		const out = pool.filter(({ kind, rec }) => {
			if (q.status === 'any' ? rec.status === 'trash' : rec.status !== q.status) return false;
			if (q.type !== undefined && (kind !== 'product' || (rec as WooProductRecord).type !== q.type)) return false;
			if (include.length && !include.includes(rec.id)) return false;
			if (exclude.has(rec.id)) return false;
			if (typeof q.stock_status === 'string' && rec.stock_status !== q.stock_status) return false;
			if (typeof q.on_sale === 'boolean' && rec.on_sale !== q.on_sale) return false;
			if (typeof q.featured === 'boolean' && (kind !== 'product' || (rec as WooProductRecord).featured !== q.featured)) return false;
			if (typeof q.slug === 'string' && (kind !== 'product' || (rec as WooProductRecord).slug !== q.slug)) return false;
			if (!passesDates(rec, d)) return false;
			if (search && !productMatches(kind === 'product' ? (rec as WooProductRecord) : { name: '', description: rec.description }, search)) return false;
			return true;
		});
		const orderby = q.orderby as string;
		const name = (l: Listed) => (l.kind === 'product' ? l.rec.name : store.variationName(l.rec, store.product(l.rec.parent_id)!));
		const cmp: Record<string, (a: Listed, b: Listed) => number> = {
			date: (a, b) => byString(a.rec.date_created_gmt, b.rec.date_created_gmt) || a.rec.id - b.rec.id,
			modified: (a, b) => byString(a.rec.date_modified_gmt, b.rec.date_modified_gmt) || a.rec.id - b.rec.id,
			id: (a, b) => a.rec.id - b.rec.id,
			include: (a, b) => include.indexOf(a.rec.id) - include.indexOf(b.rec.id),
			title: (a, b) => byString(name(a), name(b)) || a.rec.id - b.rec.id,
			slug: (a, b) => byString(name(a).toLowerCase(), name(b).toLowerCase()) || a.rec.id - b.rec.id,
			price: (a, b) => Number(a.rec.price || 0) - Number(b.rec.price || 0) || a.rec.id - b.rec.id,
			menu_order: (a, b) => a.rec.menu_order - b.rec.menu_order || byString(name(a), name(b)),
			popularity: (a, b) => (a.kind === 'product' ? a.rec.total_sales : 0) - (b.kind === 'product' ? b.rec.total_sales : 0) || a.rec.id - b.rec.id,
			rating: (a, b) => a.rec.id - b.rec.id,
		};
		out.sort(cmp[orderby]);
		// popularity and rating are always newest/most first (WC_Query::get_catalog_ordering_args).
		if (q.order === 'desc' || orderby === 'popularity' || orderby === 'rating') out.reverse();
		return out;
	}

	function listVariations(c: Ctx): SimResponse {
		const productId = Number(c.params[0]);
		const q = readParams(c.query, VARIATION_LIST);
		need(c, 'list');
		const d = dateFilters(store, q);
		const skus = typeof q.sku === 'string' && q.sku ? (() => {
			const list = q.sku.split(',');
			return list.length > 1 ? [...list, q.sku] : list;
		})() : undefined;
		const include = q.include as number[];
		const exclude = new Set(q.exclude as number[]);
		const out = store.variationsOf(productId).filter((v) => {
			if (q.status === 'any' ? v.status === 'trash' : v.status !== q.status) return false;
			if (skus && !(v.sku && skus.includes(v.sku))) return false;
			if (include.length && !include.includes(v.id)) return false;
			if (exclude.has(v.id)) return false;
			if (typeof q.stock_status === 'string' && v.stock_status !== q.stock_status) return false;
			if (typeof q.on_sale === 'boolean' && v.on_sale !== q.on_sale) return false;
			return passesDates(v, d);
		});
		const orderby = q.orderby as string;
		out.sort((a, b) => {
			if (orderby === 'modified') return byString(a.date_modified_gmt, b.date_modified_gmt) || a.id - b.id;
			if (orderby === 'id') return a.id - b.id;
			if (orderby === 'include') return include.indexOf(a.id) - include.indexOf(b.id);
			if (orderby === 'menu_order') return a.menu_order - b.menu_order || a.id - b.id;
			return byString(a.date_created_gmt, b.date_created_gmt) || a.id - b.id;
		});
		if (q.order === 'desc') out.reverse();
		return pagedAnswer(c, cfg, `/wc/v3/products/${productId}/variations`, out, q, (v) => variationAnswer(store, v, site()));
	}

	function productOr404(id: number): SimResponse {
		const p = store.product(id);
		if (p) return { status: 200, body: productAnswer(store, p, site()) };
		const v = store.variation(id);
		if (v && store.product(v.parent_id)) return { status: 200, body: variationAsProductAnswer(store, v, site()) };
		throw new WooRestError(404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
	}

	function variationOr404(productId: number, id: number): WooVariationRecord {
		const v = store.variation(id);
		if (!v || v.parent_id !== productId) throw new WooRestError(404, 'woocommerce_rest_product_variation_invalid_id', 'Invalid ID.');
		return v;
	}

	// ---- shipment tracking (WC_Shipment_Tracking_Order_REST_API_Controller) ----

	const trackingOrder = (id: number): WooOrderRecord => {
		const o = store.order(id);
		if (!o) throw new WooRestError(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
		return o;
	};

	const tracking = () => cfg.shipmentTracking;
	const API = '/wc/v3';
	const ST = '/wc-shipment-tracking/v3';
	const D = '(\\d+)';

	const routes: Route[] = [
		{
			pattern: /^\/?$/,
			methods: {
				GET: () => ({
					status: 200,
					body: {
						name: 'Commerce Sync Demo Store', description: 'WooCommerce simulator', url: site(), home: site(),
						gmt_offset: store.time.offsetMinutes(store.now()) / 60, timezone_string: /\//.test(store.time.timezone) ? store.time.timezone : '',
						namespaces: ['oembed/1.0', 'wc/store/v1', 'wc/v1', 'wc/v2', 'wc/v3', ...(cfg.shipmentTracking ? ['wc-shipment-tracking/v3'] : []), 'wp/v2'],
						authentication: {}, routes: {},
					},
				}),
			},
		},
		{ pattern: new RegExp(`^${API}$`), methods: { GET: () => ({ status: 200, body: { namespace: 'wc/v3', routes: {} } }) } },
		{
			pattern: new RegExp(`^${API}/orders$`),
			methods: {
				GET: listOrders,
				POST: (c) => {
					readParams(c.body, ORDER_BODY);
					need(c, 'create');
					const o = store.createOrder(c.body);
					return created(fields(c, orderAnswer(store, o, site())), `${site()}/wp-json${API}/orders/${o.id}`);
				},
			},
		},
		{
			pattern: new RegExp(`^${API}/orders/batch$`),
			methods: Object.fromEntries((['POST', 'PUT', 'PATCH'] as const).map((m) => [m, (c: Ctx) => batch(c, {
				create: (b) => orderAnswer(store, store.createOrder(b), site()),
				update: (b) => orderAnswer(store, store.updateOrder(Number(b.id) || 0, b), site()),
				remove: (id) => orderAnswer(store, store.deleteOrder(id, true), site()),
			})])),
		},
		{
			pattern: new RegExp(`^${API}/orders/${D}$`),
			methods: {
				GET: (c) => {
					need(c, 'view');
					return { status: 200, body: fields(c, orderAnswer(store, orderOr404(Number(c.params[0])), site())) };
				},
				...Object.fromEntries((['POST', 'PUT', 'PATCH'] as const).map((m) => [m, (c: Ctx) => {
					readParams(c.body, ORDER_BODY);
					need(c, 'edit');
					return { status: 200, body: fields(c, orderAnswer(store, store.updateOrder(Number(c.params[0]), c.body), site())) };
				}])),
				DELETE: (c) => {
					const q = readParams({ ...c.query, ...c.body }, { force: { type: 'boolean', default: false } });
					need(c, 'delete');
					return { status: 200, body: orderAnswer(store, store.deleteOrder(Number(c.params[0]), q.force === true), site()) };
				},
			},
		},
		{
			pattern: new RegExp(`^${API}/orders/${D}/notes$`),
			methods: {
				GET: (c) => {
					const q = readParams(c.query, { type: { type: 'string', enum: ['any', 'customer', 'internal'], default: 'any' } });
					need(c, 'list');
					const id = Number(c.params[0]);
					if (!store.order(id)) throw new WooRestError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid order ID.');
					return { status: 200, body: store.notesOf(id, q.type as 'any').map((n) => noteAnswer(n, id, site())) };
				},
				POST: (c) => {
					const b = readParams(c.body, NOTE_BODY);
					need(c, 'create');
					const id = Number(c.params[0]);
					if (!store.order(id)) throw new WooRestError(400, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
					// A note is a comment: the order itself is not saved, so its date_modified stays.
					const note = store.addNote(id, String(b.note), {
						at: store.now(), customer: b.customer_note === true, author: b.added_by_user === true ? store.settings.apiUser.name : 'system',
					});
					return created(noteAnswer(note, id, site()), `${site()}/wp-json${API}/orders/${id}/notes/${note.id}`);
				},
			},
		},
		{
			pattern: new RegExp(`^${API}/orders/${D}/notes/${D}$`),
			methods: {
				GET: (c) => {
					need(c, 'view');
					const [orderId, noteId] = c.params.map(Number);
					if (!store.order(orderId)) throw new WooRestError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid order ID.');
					const note = store.notesOf(orderId).find((n) => n.id === noteId);
					if (!note) throw new WooRestError(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.');
					return { status: 200, body: noteAnswer(note, orderId, site()) };
				},
				DELETE: (c) => {
					const q = readParams({ ...c.query, ...c.body }, { force: { type: 'boolean', default: false } });
					need(c, 'delete');
					if (q.force !== true) throw new WooRestError(501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.');
					const [orderId, noteId] = c.params.map(Number);
					if (!store.order(orderId)) throw new WooRestError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid order ID.');
					const note = store.deleteNote(orderId, noteId);
					if (!note) throw new WooRestError(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.');
					return { status: 200, body: noteAnswer(note, orderId, site()) };
				},
			},
		},
		{
			// https://woocommerce.github.io/woocommerce-rest-api-docs/#order-refunds
			pattern: new RegExp(`^${API}/orders/${D}/refunds$`),
			methods: {
				GET: listRefunds,
				POST: (c) => {
					const b = readParams(c.body, REFUND_BODY);
					need(c, 'create');
					const refund = store.createRefund(Number(c.params[0]), b);
					// The create answer is prepared in the edit context; its Location is built from the route's
					// rest_base, whose order-id pattern WooCommerce leaves in unreplaced.
					return created(fields(c, refundAnswer(store, refund, site(), 'edit')), `${site()}/wp-json${API}/orders/(?P<order_id>[\\d]+)/refunds/${refund.id}`);
				},
			},
		},
		{
			pattern: new RegExp(`^${API}/orders/${D}/refunds/${D}$`),
			methods: {
				GET: (c) => {
					const q = readParams(c.query, { context: { type: 'string', enum: ['view', 'edit'], default: 'view' } });
					need(c, 'view');
					const [orderId, id] = c.params.map(Number);
					const { refund, problem } = refundOr404(orderId, id);
					if (problem) throw problem;
					return { status: 200, body: fields(c, refundAnswer(store, refund, site(), q.context as 'view' | 'edit')) };
				},
				DELETE: (c) => {
					const q = readParams({ ...c.query, ...c.body }, { force: { type: 'boolean', default: true } });
					need(c, 'delete');
					const [orderId, id] = c.params.map(Number);
					const { refund, problem } = refundOr404(orderId, id);
					if (q.force !== true) throw new WooRestError(501, 'woocommerce_rest_trash_not_supported', 'The shop_order_refund does not support trashing.');
					const answer = refundAnswer(store, refund, site(), 'edit');
					// delete_item deletes before it returns the prepared answer, even when that answer is the
					// order-mismatch error: the refund is gone and the caller sees a 404.
					store.deleteRefund(refund.id);
					if (problem) throw problem;
					return { status: 200, body: answer };
				},
			},
		},
		{
			// GET /settings/{group}/{id}: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-a-setting-option
			pattern: new RegExp(`^${API}/settings/email/woocommerce_email_from_address$`),
			methods: {
				GET: (c) => {
					need(c, 'view');
					const value = store.settings.emailFromAddress;
					return {
						status: 200,
						body: { id: 'woocommerce_email_from_address', label: '"From" address', description: 'How the sender email appears in outgoing WooCommerce emails.', type: 'email', default: value, tip: '', value, group_id: 'email' },
					};
				},
			},
		},
		{
			pattern: new RegExp(`^${API}/products$`),
			methods: {
				GET: listProducts,
				POST: (c) => {
					const b = readParams(c.body, PRODUCT_BODY);
					need(c, 'create');
					const p = store.createProduct(b);
					return created(productAnswer(store, p, site()), `${site()}/wp-json${API}/products/${p.id}`);
				},
			},
		},
		{
			pattern: new RegExp(`^${API}/products/batch$`),
			methods: Object.fromEntries((['POST', 'PUT', 'PATCH'] as const).map((m) => [m, (c: Ctx) => batch(c, {
				create: (b) => productAnswer(store, store.createProduct(b), site()),
				update: (b) => productAnswer(store, store.updateProduct(Number(b.id) || 0, b), site()),
				remove: (id) => productAnswer(store, store.deleteProduct(id, true), site()),
			})])),
		},
		{
			pattern: new RegExp(`^${API}/products/${D}$`),
			methods: {
				GET: (c) => {
					need(c, 'view');
					return productOr404(Number(c.params[0]));
				},
				// The handler sees the sanitized values (a query-string "true" is true), as WordPress passes them.
				...Object.fromEntries((['POST', 'PUT', 'PATCH'] as const).map((m) => [m, (c: Ctx) => {
					const b = readParams(c.body, PRODUCT_BODY);
					need(c, 'edit');
					return { status: 200, body: productAnswer(store, store.updateProduct(Number(c.params[0]), b), site()) };
				}])),
				DELETE: (c) => {
					const q = readParams({ ...c.query, ...c.body }, { force: { type: 'boolean', default: false } });
					need(c, 'delete');
					return { status: 200, body: productAnswer(store, store.deleteProduct(Number(c.params[0]), q.force === true), site()) };
				},
			},
		},
		{
			pattern: new RegExp(`^${API}/products/${D}/variations$`),
			methods: {
				GET: listVariations,
				POST: (c) => {
					const b = readParams(c.body, STOCK_BODY);
					need(c, 'create');
					const productId = Number(c.params[0]);
					const v = store.createVariation(productId, b);
					return created(variationAnswer(store, v, site()), `${site()}/wp-json${API}/products/${productId}/variations/${v.id}`);
				},
			},
		},
		{
			pattern: new RegExp(`^${API}/products/${D}/variations/batch$`),
			methods: Object.fromEntries((['POST', 'PUT', 'PATCH'] as const).map((m) => [m, (c: Ctx) => {
				const productId = Number(c.params[0]);
				return batch(c, {
					create: (b) => variationAnswer(store, store.createVariation(productId, b), site()),
					update: (b) => variationAnswer(store, store.updateVariation(productId, Number(b.id) || 0, b), site()),
					remove: (id) => variationAnswer(store, store.deleteVariation(productId, id), site()),
				});
			}])),
		},
		{
			pattern: new RegExp(`^${API}/products/${D}/variations/${D}$`),
			methods: {
				GET: (c) => {
					need(c, 'view');
					const [productId, id] = c.params.map(Number);
					return { status: 200, body: variationAnswer(store, variationOr404(productId, id), site()) };
				},
				...Object.fromEntries((['POST', 'PUT', 'PATCH'] as const).map((m) => [m, (c: Ctx) => {
					const b = readParams(c.body, STOCK_BODY);
					need(c, 'edit');
					const [productId, id] = c.params.map(Number);
					return { status: 200, body: variationAnswer(store, store.updateVariation(productId, id, b), site()) };
				}])),
				DELETE: (c) => {
					const q = readParams({ ...c.query, ...c.body }, { force: { type: 'boolean', default: false } });
					need(c, 'delete');
					if (q.force !== true) throw new WooRestError(501, 'woocommerce_rest_trash_not_supported', 'The product_variation does not support trashing.');
					const [productId, id] = c.params.map(Number);
					return { status: 200, body: variationAnswer(store, store.deleteVariation(productId, id), site()) };
				},
			},
		},
		// Shipment Tracking extension. Its providers route needs no keys (permission callback returns true).
		{ pattern: new RegExp(`^${ST}/shipment-trackings/providers$`), enabled: tracking, methods: { GET: () => ({ status: 200, body: TRACKING_PROVIDERS }) } },
		{ pattern: new RegExp(`^${ST}/orders/${D}/shipment-trackings/providers$`), enabled: tracking, methods: { GET: () => ({ status: 200, body: TRACKING_PROVIDERS }) } },
		{
			pattern: new RegExp(`^${ST}/orders/${D}/shipment-trackings$`),
			enabled: tracking,
			methods: {
				GET: (c) => {
					need(c, 'list');
					const o = trackingOrder(Number(c.params[0]));
					return { status: 200, body: store.trackingItems(o).map((t) => trackingAnswer(t, o, site())) };
				},
				POST: (c) => {
					readParams(c.body, { tracking_number: { required: true } });
					need(c, 'create');
					if (c.body.tracking_id) throw new WooRestError(400, 'woocommerce_rest_shop_order_shipment_tracking_exists', 'Cannot create existing order shipment tracking.');
					const o = trackingOrder(Number(c.params[0]));
					const item = store.addTracking(o, c.body);
					return created(trackingAnswer(item, o, site()), `${site()}/wp-json${ST}/orders/${o.id}/shipment-trackings/${item.tracking_id}`);
				},
			},
		},
		{
			pattern: new RegExp(`^${ST}/orders/${D}/shipment-trackings/([a-fA-F0-9]{0,32})$`),
			enabled: tracking,
			methods: {
				GET: (c) => {
					need(c, 'view');
					const o = trackingOrder(Number(c.params[0]));
					const item = store.trackingItems(o).find((t) => t.tracking_id === c.params[1]);
					if (!item) throw new WooRestError(404, 'woocommerce_rest_order_shipment_tracking_invalid_id', 'Invalid shipment tracking ID.');
					return { status: 200, body: trackingAnswer(item, o, site()) };
				},
				DELETE: (c) => {
					need(c, 'delete');
					const o = trackingOrder(Number(c.params[0]));
					const item = store.trackingItems(o).find((t) => t.tracking_id === c.params[1]);
					if (!item) throw new WooRestError(404, 'woocommerce_rest_order_shipment_tracking_invalid_id', 'Invalid shipment tracking ID.');
					const answer = trackingAnswer(item, o, site());
					store.deleteTracking(o, item.tracking_id);
					return { status: 200, body: answer };
				},
			},
		},
	];

	/**
	 * WC_REST_Authentication: keys by HTTP Basic, else by consumer_key/consumer_secret in the query string.
	 * WooCommerce accepts Basic only over HTTPS (plain HTTP needs OAuth 1.0a); the simulator is treated as
	 * HTTPS, so Basic works on its loopback http:// URL. Secrets are compared, never logged or echoed.
	 */
	function authenticate(req: SimRequest, method: Method): boolean {
		let key: string | undefined;
		let secret: string | undefined;
		const header = req.headers.authorization ?? '';
		const basic = /^Basic\s+(.+)$/i.exec(header);
		if (basic) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			if (colon > 0 && colon < decoded.length - 1) {
				key = decoded.slice(0, colon);
				secret = decoded.slice(colon + 1);
			}
		}
		if (key === undefined && req.query.get('consumer_key') && req.query.get('consumer_secret')) {
			key = req.query.get('consumer_key')!;
			secret = req.query.get('consumer_secret')!;
		}
		if (key === undefined) return false;
		if (key !== cfg.consumerKey) throw new WooRestError(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
		if (secret !== cfg.consumerSecret) throw new WooRestError(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
		const reading = method === 'GET';
		if (cfg.keyPermissions === 'read' && !reading) {
			throw new WooRestError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have write permissions.');
		}
		if (cfg.keyPermissions === 'write' && reading) {
			throw new WooRestError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have read permissions.');
		}
		return true;
	}

	function handle(req: SimRequest): SimResponse {
		const path = req.path.replace(/\/+$/, '') || '/';
		if (path !== '/wp-json' && !path.startsWith('/wp-json/')) {
			return { status: 404, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: '<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Oops! That page can&rsquo;t be found.</h1></body></html>' };
		}
		const route = path.slice('/wp-json'.length) || '/';
		// _method / X-HTTP-Method-Override on POST, as WP_REST_Server allows.
		const override = req.method === 'POST' ? (req.query.get('_method') ?? req.headers['x-http-method-override']) : undefined;
		const method = ((override ?? req.method).toUpperCase() === 'HEAD' ? 'GET' : (override ?? req.method).toUpperCase()) as Method;
		const authed = /^\/wc[/-]/.test(route) ? authenticate(req, method) : false;
		if (req.rawBody.trim() && req.json === undefined && /json/i.test(req.headers['content-type'] ?? 'application/json')) {
			throw new WooRestError(400, 'rest_invalid_json', 'Invalid JSON body passed.', { json_error_code: 4, json_error_message: 'Syntax error' });
		}
		for (const r of routes) {
			const m = r.pattern.exec(route);
			if (!m || (r.enabled && !r.enabled())) continue;
			const handler = r.methods[method];
			if (!handler) break;
			const body = isObject(req.json) ? req.json : {};
			const answer = handler({ req, method, params: m.slice(1), authed, query: queryObject(req.query), body });
			return { ...answer, headers: { 'X-Robots-Tag': 'noindex', 'Access-Control-Expose-Headers': 'X-WP-Total, X-WP-TotalPages, Link', Allow: Object.keys(r.methods).join(', '), ...answer.headers } };
		}
		throw NO_ROUTE();
	}

	return (req) => {
		try {
			return handle(req);
		} catch (e) {
			if (e instanceof WooRestError) return { status: e.status, body: e.body() };
			throw e;
		}
	};
}

/** HPOS order search: the id, names, emails, addresses and phone numbers, and the line items' names. */
function orderMatches(o: WooOrderRecord, search: string): boolean {
	if (String(o.id) === search) return true;
	const text = [
		...Object.values(o.billing), ...Object.values(o.shipping), ...o.line_items.map((l) => l.name),
	].join('\n').toLowerCase();
	return text.includes(search);
}
