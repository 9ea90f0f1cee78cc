/**
 * An eBay Sell API simulator (Fulfillment v1, Inventory v1, OAuth2) for tests, on the shared simulator
 * base (fault injection, request log, /__sim/*). What it holds to, from eBay's docs and OAS3 specs:
 *  - OAuth2: GET /oauth2/authorize (consent, redirects with a code), POST /identity/v1/oauth2/token with
 *    the authorization_code and refresh_token grants and HTTP Basic client credentials; access tokens
 *    expire (lifetime configurable); an expired or unknown token gets 401 errorId 1001 "Invalid access token".
 *  - getOrders: the filter grammar (creationdate / lastmodifieddate ranges, inclusive; orderfulfillmentstatus
 *    combinations), limit ≤ 200 (31100), offset (31000), fieldGroups = TAX_BREAKDOWN only (32800), orderIds
 *    ≤ 50; orders newest created first; `total`, `href`, `next`, `prev`. Collect and Remit tax enters totals only
 *    with TAX_BREAKDOWN, as the spec says.
 *  - createShippingFulfillment: line items and quantities checked against the order (32200, 32210, 32600),
 *    tracking number and carrier together and alphanumeric (32300), shipped date (32500); 201 with Location.
 *  - Inventory: getInventoryItems (limit 1–200, offset = page number as the spec documents), getInventoryItem,
 *    bulkUpdatePriceQuantity (1–25 requests, per-SKU statusCode, 207 when some fail, 250 revisions per
 *    listing per UTC day).
 *  - Daily call quotas per API: 429 errorId 2001 "Too many requests".
 *  - Query parameters and body types checked against the OAS3 documents (spec.ts).
 * Inspection: GET /__sim/state; POST /__sim/clock {"now": ISO | null}.
 */
import { setClockRoute } from '../common/clock';
import { startSimulator } from '../common/server';
import type { SimRequest, SimResponse, Simulator } from '../common/server';
import { findOperation, typeProblems } from './spec';
import type { Operation } from './spec';
import { EbayStore } from './store';
import type { SimFulfillment, SimOrder } from './store';

export { EbayStore, formatMoney } from './store';
export type { SimOrder, SimLine, SimItem, SimFulfillment } from './store';

export const SCOPE_FULFILLMENT = 'https://api.ebay.com/oauth/api_scope/sell.fulfillment';
export const SCOPE_INVENTORY = 'https://api.ebay.com/oauth/api_scope/sell.inventory';
const ALL_SCOPES = ['https://api.ebay.com/oauth/api_scope', SCOPE_FULFILLMENT, SCOPE_INVENTORY];

export interface EbaySimOptions {
	port?: number;
	seed?: number;
	orders?: number;
	items?: number;
	start?: string;
	orderSpacingMs?: number;
	currency?: string;
	clientId?: string;
	clientSecret?: string;
	/** Access token lifetime (eBay: 7200 s). */
	tokenLifetimeSeconds?: number;
	/** Calls per UTC day per API; unlimited when absent. */
	dailyQuota?: Partial<Record<'fulfillment' | 'inventory', number>>;
	/** Revisions per listing per day (eBay: 250). */
	revisionLimit?: number;
	now?: () => number;
}

export interface EbaySimulator extends Simulator {
	store: EbayStore;
	clientId: string;
	clientSecret: string;
	/** An access token as the code grant would give it (tests skip the browser consent). */
	issueToken(scopes?: string[]): string;
	/** A buyer places an order now (or at `created`). */
	addOrder(partial?: Partial<SimOrder> & { remit?: boolean }): SimOrder;
	/** Something changes the order (a message, a refund request): lastModifiedDate moves to now. */
	modifyOrder(orderId: string): SimOrder;
	/** Sets the daily quota of an API while running. */
	setQuota(api: 'fulfillment' | 'inventory', calls: number | undefined): void;
}

const DEFAULTS = {
	seed: 1, orders: 120, items: 40, start: '2026-01-05T08:00:00.000Z', orderSpacingMs: 600_000, currency: 'USD',
	clientId: 'Sim-App-PRD-0123456789', clientSecret: 'PRD-sim-secret-abcdef', tokenLifetimeSeconds: 7200, revisionLimit: 250,
};

type Json = Record<string, unknown>;

export class EbayApiError extends Error {
	constructor(readonly status: number, readonly errorId: number, readonly domain: string, message: string, readonly extra: Json = {}) {
		super(message);
	}

	body(): Json {
		const category = this.status >= 500 ? 'APPLICATION' : 'REQUEST';
		return { errors: [{ errorId: this.errorId, domain: this.domain, category, message: this.message, ...this.extra }] };
	}
}

const fulfillmentError = (status: number, id: number, message: string, extra: Json = {}) => new EbayApiError(status, id, 'API_FULFILLMENT', message, extra);
const inventoryError = (status: number, id: number, message: string, extra: Json = {}) => new EbayApiError(status, id, 'API_INVENTORY', message, extra);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const TWO_YEARS_MS = 2 * 365 * 86_400_000;

interface Range {
	from: number;
	to: number | undefined;
}

/** The getOrders filter grammar: comma-separated `name:[from..to]` or `name:{A|B}` criteria. */
function parseFilter(filter: string, now: number): { created?: Range; modified?: Range; statuses?: string[] } {
	const out: { created?: Range; modified?: Range; statuses?: string[] } = {};
	for (const part of filter.split(/,(?![^[{]*[\]}])/)) {
		const m = /^\s*([a-zA-Z]+):(.*)$/.exec(part);
		const name = m?.[1] ?? part;
		const value = m?.[2] ?? '';
		if (name === 'creationdate' || name === 'lastmodifieddate') {
			const range = /^\[(.*?)\.\.(.*)\]$/.exec(value);
			if (!range) throw fulfillmentError(400, 30810, 'Invalid date format', { parameters: [{ name: 'filter', value: part }] });
			if (!range[1]) throw fulfillmentError(400, 30820, 'Start date is missing');
			const from = Date.parse(range[1]);
			const to = range[2] ? Date.parse(range[2]) : undefined;
			if (Number.isNaN(from) || (to !== undefined && Number.isNaN(to)) || !/T.*Z$/.test(range[1]) || (range[2] && !/T.*Z$/.test(range[2]))) {
				throw fulfillmentError(400, 30810, 'Invalid date format');
			}
			if (to !== undefined && from > to) throw fulfillmentError(400, 30840, 'Start date should be before end date');
			if (from > now || (to !== undefined && to > now)) throw fulfillmentError(400, 30850, 'Start and end dates can\'t be in the future');
			if ((to ?? now) - from > TWO_YEARS_MS) throw fulfillmentError(400, 30830, 'Time range between start date and end date must be within \'2\' years.');
			out[name === 'creationdate' ? 'created' : 'modified'] = { from, to };
		} else if (name === 'orderfulfillmentstatus') {
			const set = /^\{([A-Z_|]+)\}$/.exec(value)?.[1]?.split('|').sort().join('|');
			// Only these combinations are supported, as the spec notes.
			if (set !== 'IN_PROGRESS|NOT_STARTED' && set !== 'FULFILLED|IN_PROGRESS') {
				throw fulfillmentError(400, 30800, `Invalid filter value ${value} for filter orderfulfillmentstatus`);
			}
			out.statuses = set.split('|');
		} else {
			throw fulfillmentError(400, 30700, `Invalid filter name: ${name}`);
		}
	}
	return out;
}

function within(ms: number, range: Range | undefined): boolean {
	return !range || (ms >= range.from && (range.to === undefined || ms <= range.to));
}

function intParam(value: string | null, fallback: number): number {
	if (value === null) return fallback;
	return /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
}

export async function startEbaySimulator(options: EbaySimOptions = {}): Promise<EbaySimulator> {
	const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & EbaySimOptions;
	const store = new EbayStore({ seed: o.seed, orders: o.orders, items: o.items, start: o.start, orderSpacingMs: o.orderSpacingMs, currency: o.currency, now: o.now });
	const quota: Partial<Record<'fulfillment' | 'inventory', number>> = { ...(o.dailyQuota ?? {}) };
	let base = '';

	const basicOk = (header: string | undefined) => header === `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}`;

	function tokenEndpoint(req: SimRequest): SimResponse {
		if (!basicOk(req.headers.authorization)) return { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };
		const form = new URLSearchParams(req.rawBody);
		const grant = form.get('grant_type');
		if (grant === 'authorization_code') {
			const code = store.codes.get(form.get('code') ?? '');
			if (!code) return { status: 400, body: { error: 'invalid_grant', error_description: 'the provided authorization grant code is invalid or was issued to another client' } };
			if (code.redirectUri !== (form.get('redirect_uri') ?? '')) return { status: 400, body: { error: 'invalid_grant', error_description: 'the provided authorization grant code is invalid or was issued to another client' } };
			store.codes.delete(form.get('code') ?? '');
			const refresh = `v^1.1#i^1#r^1#sim${store.randomAlnum(24)}`;
			store.refreshTokens.set(refresh, { scopes: code.scopes });
			return { status: 200, body: { access_token: store.token(code.scopes, o.tokenLifetimeSeconds), expires_in: o.tokenLifetimeSeconds, refresh_token: refresh, refresh_token_expires_in: 47_304_000, token_type: 'User Access Token' } };
		}
		if (grant === 'refresh_token') {
			const refresh = store.refreshTokens.get(form.get('refresh_token') ?? '');
			if (!refresh) return { status: 400, body: { error: 'invalid_grant', error_description: 'the provided authorization refresh token is invalid or was issued to another client' } };
			const asked = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
			if (asked.some((s) => !refresh.scopes.includes(s))) return { status: 400, body: { error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client' } };
			return { status: 200, body: { access_token: store.token(asked.length ? asked : refresh.scopes, o.tokenLifetimeSeconds), expires_in: o.tokenLifetimeSeconds, token_type: 'User Access Token' } };
		}
		return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type in request is not supported by the authorization server' } };
	}

	function authorizeEndpoint(req: SimRequest): SimResponse {
		const redirect = req.query.get('redirect_uri') ?? '';
		if (req.query.get('client_id') !== o.clientId || !redirect) return { status: 400, body: { error: 'invalid_request', error_description: 'client_id or redirect_uri is invalid' } };
		const scopes = (req.query.get('scope') ?? '').split(/[\s+]+/).filter(Boolean);
		const code = `v^1.1#i^1#f^0#sim${store.randomAlnum(20)}`;
		store.codes.set(code, { redirectUri: redirect, scopes: scopes.length ? scopes : ALL_SCOPES });
		const target = new URL(redirect);
		target.searchParams.set('code', code);
		if (req.query.get('state')) target.searchParams.set('state', req.query.get('state') as string);
		target.searchParams.set('expires_in', '299');
		return { status: 302, headers: { location: target.toString() }, body: '' };
	}

	function authorise(req: SimRequest, op: Operation): void {
		const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		const known = token ? store.tokens.get(token) : undefined;
		if (!known || known.expiresAt <= store.now()) {
			throw new EbayApiError(401, 1001, 'OAuth', 'Invalid access token', { longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.' });
		}
		const needed = op.api === 'fulfillment' ? SCOPE_FULFILLMENT : SCOPE_INVENTORY;
		const readOnly = `${needed}.readonly`;
		if (!known.scopes.includes(needed) && !(req.method === 'GET' && known.scopes.includes(readOnly))) {
			throw new EbayApiError(403, 1100, 'ACCESS', 'Access denied', { longMessage: 'Insufficient permissions to fulfill the request.' });
		}
	}

	function countCall(op: Operation): void {
		const key = `${utcDay(store.now())}|${op.api}`;
		const used = store.calls.get(key) ?? 0;
		const limit = quota[op.api];
		if (limit !== undefined && used >= limit) {
			throw new EbayApiError(429, 2001, 'ACCESS', 'Too many requests. The request limit has been reached for the resource.');
		}
		store.calls.set(key, used + 1);
	}

	function validate(req: SimRequest, op: Operation): void {
		const err = op.api === 'fulfillment' ? (m: string) => fulfillmentError(400, 32600, 'Invalid input data', { longMessage: m })
			: (m: string) => inventoryError(400, 25709, `Invalid value for ${m}.`);
		for (const name of req.query.keys()) if (!op.query.has(name)) throw err(`unknown query parameter ${name}`);
		if (op.body) {
			if (req.json === undefined) {
				if (op.bodyRequired) throw err('the request body (missing or not JSON)');
				return;
			}
			const problems = typeProblems(req.json, op.body, op.schemas);
			if (problems.length) throw err(problems.join('; '));
		}
	}

	// ---- fulfillment ----------------------------------------------------------------------------------

	function getOrders(req: SimRequest): SimResponse {
		const fieldGroups = req.query.get('fieldGroups');
		if (fieldGroups !== null && fieldGroups !== 'TAX_BREAKDOWN') throw fulfillmentError(400, 32800, `Invalid field group: ${fieldGroups}`);
		const breakdown = fieldGroups === 'TAX_BREAKDOWN';
		const ids = req.query.get('orderIds');
		if (ids !== null) {
			const list = ids.split(',').map((s) => s.trim()).filter(Boolean);
			if (list.length > 50) throw fulfillmentError(400, 30900, 'Exceeded maximum number of order IDs (the current limit is 50)');
			const found = list.map((id) => store.order(id)).filter((x): x is SimOrder => x !== undefined);
			return { status: 200, body: { href: `${base}${req.path}?orderIds=${ids}`, total: found.length, orders: found.map((x) => store.render(x, breakdown, base)) } };
		}
		const limit = intParam(req.query.get('limit'), 50);
		if (!(limit >= 1 && limit <= 200)) throw fulfillmentError(400, 31100, `Invalid limit: ${req.query.get('limit')}`);
		const offset = intParam(req.query.get('offset'), 0);
		if (!(offset >= 0)) throw fulfillmentError(400, 31000, `Invalid offset: ${req.query.get('offset')}`);
		const now = store.now();
		const filter = req.query.get('filter');
		const f = filter ? parseFilter(filter, now) : {};
		// Without a date filter eBay answers the last 90 days' orders; with both, only creationdate counts.
		const created = f.created ?? (f.modified ? undefined : { from: now - 90 * 86_400_000, to: undefined });
		const modified = f.created ? undefined : f.modified;
		const matching = store.orders
			.filter((x) => within(x.created, created) && within(x.modified, modified) && (!f.statuses || f.statuses.includes(store.fulfillmentStatus(x))))
			.sort((a, b) => b.created - a.created || b.orderId.localeCompare(a.orderId));
		const page = matching.slice(offset, offset + limit);
		const link = (off: number) => {
			const q = new URLSearchParams(req.query);
			q.set('limit', String(limit));
			q.set('offset', String(off));
			return `${base}${req.path}?${q.toString()}`;
		};
		return {
			status: 200,
			body: {
				href: link(offset), total: matching.length, limit, offset,
				...(offset + limit < matching.length ? { next: link(offset + limit) } : {}),
				...(offset > 0 ? { prev: link(Math.max(0, offset - limit)) } : {}),
				orders: page.map((x) => store.render(x, breakdown, base)),
			},
		};
	}

	function orderOr404(id: string): SimOrder {
		const order = store.order(id);
		if (!order) throw new EbayApiError(404, 32100, 'API_FULFILLMENT', `Invalid order ID: ${id}`);
		return order;
	}

	function fulfillmentAnswer(f: SimFulfillment): Json {
		return {
			fulfillmentId: f.fulfillmentId, lineItems: f.lineItems, shippedDate: f.shippedDate,
			...(f.shipmentTrackingNumber ? { shipmentTrackingNumber: f.shipmentTrackingNumber, shippingCarrierCode: f.shippingCarrierCode } : {}),
		};
	}

	function createShippingFulfillment(req: SimRequest, orderId: string): SimResponse {
		const order = store.order(orderId);
		if (!order) throw fulfillmentError(400, 32100, `Invalid Order Id: ${orderId}`);
		const body = isObject(req.json) ? req.json : {};
		const items = body.lineItems;
		if (!Array.isArray(items) || items.length === 0) throw fulfillmentError(400, 32600, 'Invalid input data', { longMessage: 'lineItems is required' });
		if (order.cancelState === 'CANCELED') return { status: 409, body: {} };
		const seen = new Set<string>();
		const lines: Array<{ lineItemId: string; quantity: number }> = [];
		for (const item of items) {
			const id = isObject(item) ? String(item.lineItemId ?? '') : '';
			const line = order.lines.find((l) => l.lineItemId === id);
			if (!line) throw fulfillmentError(400, 32200, `Invalid line item id: ${id}`);
			if (seen.has(id)) throw fulfillmentError(400, 32210, 'Duplicate line item in the request');
			seen.add(id);
			const quantity = isObject(item) && item.quantity !== undefined ? item.quantity : 1;
			if (!Number.isInteger(quantity) || (quantity as number) <= 0 || (quantity as number) > line.quantity) {
				throw fulfillmentError(400, 32600, 'Invalid input data', { longMessage: `quantity ${String(quantity)} for line item ${id}` });
			}
			lines.push({ lineItemId: id, quantity: quantity as number });
		}
		const number = body.trackingNumber;
		const carrier = body.shippingCarrierCode;
		// The two are mutually dependent, and only letters and digits are supported in the number.
		if ((number === undefined) !== (carrier === undefined) || (typeof number === 'string' && !/^[A-Za-z0-9]+$/.test(number)) || carrier === '') {
			throw fulfillmentError(400, 32300, 'Invalid shipment tracking number or carrier');
		}
		let shipped = store.now();
		if (body.shippedDate !== undefined) {
			shipped = Date.parse(String(body.shippedDate));
			if (Number.isNaN(shipped) || shipped > store.now() + 60_000 || shipped < order.created - 86_400_000) throw fulfillmentError(400, 32500, 'Invalid shipped date');
		}
		if (order.fulfillments.filter((f) => f.shipmentTrackingNumber).length >= 50 && number !== undefined) throw fulfillmentError(400, 34100, 'Maximum tracking number for order is exceeded');
		// With tracking, the fulfillment id is the tracking number; without, an arbitrary number.
		const fulfillmentId = typeof number === 'string' ? number : String(999 + order.fulfillments.length);
		const f: SimFulfillment = {
			fulfillmentId, lineItems: lines, shippedDate: new Date(shipped).toISOString(),
			...(typeof number === 'string' ? { shipmentTrackingNumber: number, shippingCarrierCode: String(carrier) } : {}),
		};
		order.fulfillments.push(f);
		store.touch(order);
		return { status: 201, headers: { location: `${base}/sell/fulfillment/v1/order/${orderId}/shipping_fulfillment/${fulfillmentId}` }, body: {} };
	}

	// ---- inventory --------------------------------------------------------------------------------------

	function itemAnswer(sku: string): Json {
		const item = store.items.find((i) => i.sku === sku);
		if (!item) throw inventoryError(404, 25710, 'We didn\'t find the resource/entity you are requesting. Please verify the request');
		return {
			sku: item.sku, locale: 'en_US', condition: 'NEW',
			product: { title: item.title, upc: item.upc ? [item.upc] : undefined, imageUrls: [] },
			availability: { shipToLocationAvailability: { quantity: item.quantity } },
			...(item.groupKey ? { inventoryItemGroupKeys: [item.groupKey], groupIds: [item.groupKey] } : {}),
		};
	}

	function getInventoryItems(req: SimRequest): SimResponse {
		const limit = intParam(req.query.get('limit'), 25);
		const page = intParam(req.query.get('offset'), 0);
		if (!(limit >= 1 && limit <= 200) || !(page >= 0)) throw inventoryError(400, 25706, 'You have provided invalid pagination values. limit must be 1 to 200 and offset 0 or more.');
		const sorted = [...store.items].sort((a, b) => a.sku.localeCompare(b.sku));
		const pages = Math.ceil(sorted.length / limit);
		const link = (p: number) => `${base}/sell/inventory/v1/inventory_item?offset=${p}&limit=${limit}`;
		return {
			status: 200,
			body: {
				href: link(page), limit, total: sorted.length, size: pages,
				...(page + 1 < pages ? { next: link(page + 1) } : {}),
				...(page > 0 ? { prev: link(page - 1) } : {}),
				inventoryItems: sorted.slice(page * limit, page * limit + limit).map((i) => itemAnswer(i.sku)),
			},
		};
	}

	function bulkUpdatePriceQuantity(req: SimRequest): SimResponse {
		const requests = isObject(req.json) ? req.json.requests : undefined;
		if (!Array.isArray(requests) || requests.length === 0 || requests.length > 25) {
			throw inventoryError(400, 25709, 'Invalid value for requests. Give 1 to 25 requests per call.');
		}
		const day = utcDay(store.now());
		const responses = requests.map((r) => {
			const sku = isObject(r) ? String(r.sku ?? '') : '';
			const item = store.items.find((i) => i.sku === sku);
			if (!item) return { sku, statusCode: 404, errors: [{ errorId: 25710, domain: 'API_INVENTORY', category: 'REQUEST', message: 'We didn\'t find the resource/entity you are requesting. Please verify the request' }] };
			const quantity = isObject(r) && isObject(r.shipToLocationAvailability) ? r.shipToLocationAvailability.quantity : undefined;
			if (!Number.isInteger(quantity) || (quantity as number) < 0) {
				return { sku, statusCode: 400, errors: [{ errorId: 25709, domain: 'API_INVENTORY', category: 'REQUEST', message: 'Invalid value for shipToLocationAvailability.quantity.' }] };
			}
			const key = `${day}|${item.groupKey ? `group:${item.groupKey}` : `sku:${item.sku}`}`;
			const used = store.revisions.get(key) ?? 0;
			if (used >= o.revisionLimit) {
				return { sku, statusCode: 400, errors: [{ errorId: 25002, domain: 'API_INVENTORY', category: 'REQUEST', message: `Any User error. This listing has reached the maximum of ${o.revisionLimit} revisions in one calendar day.` }] };
			}
			store.revisions.set(key, used + 1);
			item.quantity = quantity as number;
			return { sku, statusCode: 200 };
		});
		return { status: responses.every((r) => r.statusCode === 200) ? 200 : 207, body: { responses } };
	}

	// ---- dispatch ---------------------------------------------------------------------------------------

	function handle(req: SimRequest): SimResponse {
		if (req.method === 'POST' && req.path === '/identity/v1/oauth2/token') return tokenEndpoint(req);
		if (req.method === 'GET' && req.path === '/oauth2/authorize') return authorizeEndpoint(req);
		try {
			const found = findOperation(req.method, req.path);
			if (!found) throw new EbayApiError(404, 2002, 'API_FULFILLMENT', 'Resource not found');
			const { op, params } = found;
			authorise(req, op);
			countCall(op);
			validate(req, op);
			switch (op.operationId) {
				case 'getOrders':
					return getOrders(req);
				case 'getOrder': {
					const fieldGroups = req.query.get('fieldGroups');
					if (fieldGroups !== null && fieldGroups !== 'TAX_BREAKDOWN') throw fulfillmentError(400, 32800, `Invalid field group: ${fieldGroups}`);
					return { status: 200, body: store.render(orderOr404(params[0]), fieldGroups === 'TAX_BREAKDOWN', base) };
				}
				case 'getShippingFulfillments': {
					const order = orderOr404(params[0]);
					return { status: 200, body: { fulfillments: order.fulfillments.map(fulfillmentAnswer), total: order.fulfillments.length } };
				}
				case 'getShippingFulfillment': {
					const f = orderOr404(params[0]).fulfillments.find((x) => x.fulfillmentId === params[1]);
					if (!f) throw new EbayApiError(404, 32100, 'API_FULFILLMENT', `Invalid fulfillment ID: ${params[1]}`);
					return { status: 200, body: fulfillmentAnswer(f) };
				}
				case 'createShippingFulfillment':
					return createShippingFulfillment(req, params[0]);
				case 'getInventoryItems':
					return getInventoryItems(req);
				case 'getInventoryItem':
					return { status: 200, body: itemAnswer(params[0]) };
				case 'bulkUpdatePriceQuantity':
					return bulkUpdatePriceQuantity(req);
				default:
					return { status: 501, body: new EbayApiError(501, 2003, op.api === 'fulfillment' ? 'API_FULFILLMENT' : 'API_INVENTORY', `${op.operationId} is not simulated`).body() };
			}
		} catch (error) {
			if (error instanceof EbayApiError) return { status: error.status, body: error.body() };
			throw error;
		}
	}

	function inspect(req: SimRequest): SimResponse | undefined {
		const what = req.path.slice('/__sim/'.length).replace(/\/+$/, '');
		if (what === 'state' && req.method === 'GET') return { status: 200, body: store.toJSON() };
		if (what === 'clock' && req.method === 'POST') return setClockRoute(store, isObject(req.json) ? req.json : {}, undefined);
		return undefined;
	}

	const sim = await startSimulator(handle, {
		port: o.port,
		inspect,
		reset: () => store.reset(),
		label: (req) => findOperation(req.method, req.path)?.op.operationId,
	});
	base = sim.url;
	return Object.assign(sim, {
		store,
		clientId: o.clientId,
		clientSecret: o.clientSecret,
		issueToken: (scopes: string[] = ALL_SCOPES) => store.token(scopes, o.tokenLifetimeSeconds),
		addOrder: (partial: Partial<SimOrder> & { remit?: boolean } = {}) => {
			const created = partial.created ?? store.now();
			const order = store.makeOrder(created, { modified: created, ...partial });
			store.orders.push(order);
			return order;
		},
		modifyOrder: (orderId: string) => {
			const order = store.order(orderId);
			if (!order) throw new Error(`no simulated order ${orderId}`);
			store.touch(order);
			return order;
		},
		setQuota: (api: 'fulfillment' | 'inventory', calls: number | undefined) => {
			quota[api] = calls;
		},
	});
}
