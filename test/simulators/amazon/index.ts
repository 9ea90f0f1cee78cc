/**
 * An Amazon Selling Partner API simulator for tests, on the shared simulator base (fault injection, request
 * log, /__sim/*). What it holds to:
 *  - Login with Amazon: POST /auth/o2/token, grant_type=refresh_token with client_id and client_secret in the
 *    form; access tokens expire (lifetime configurable, Amazon: 3600 s); `invalid_client` / `invalid_grant`.
 *  - Every API call needs `x-amz-access-token`; a missing, unknown or expired one gets 403 `Unauthorized`
 *    ("The access token you provided has expired."), as SP-API answers it (not 401).
 *  - Orders 2026-01-01 searchOrders and getOrder: query parameters and enums checked against the spec JSON
 *    (shared/reference/specs) read at start-up; exactly one of createdAfter / lastUpdatedAfter, no mixing,
 *    `...Before` at least two minutes before now and not before `...After`; maxResultsPerPage 1–100;
 *    `includedData` shapes the answer; pagination tokens are opaque, bound to the query they continue,
 *    and expire after 24 hours. The token is a cursor on the query's sort key (lastUpdatedTime or
 *    createdTime, then orderId): an assumption, Amazon does not document how it pages.
 *  - Orders v0 confirmShipment: body checked against the v0 spec's ConfirmShipmentRequest; packageReferenceId
 *    positive numeric and unique per order, carrierName with carrierCode "Other", items and quantities within
 *    what is unshipped; 204; each confirmation counts as a buyer notice.
 *  - Listings Items 2021-08-01 (no spec file in the repo; Amazon's public reference): getListingsItem,
 *    searchListingsItems (identifiers ≤ 20 with identifiersType, pageSize ≤ 20, sortBy/sortOrder, pageToken),
 *    patchListingsItem with a JSON Patch body (op add/replace/merge/delete, path
 *    /attributes/fulfillment_availability, value [{ fulfillment_channel_code, quantity ≥ 0 }]), answering
 *    ACCEPTED or INVALID with issues; a DEFAULT quantity on an FBA listing is INVALID.
 *  - Sellers getMarketplaceParticipations (the credential test).
 *  - Token buckets per operation with the documented rate and burst (overridable): an empty bucket answers
 *    429 `QuotaExceeded`; `x-amzn-RateLimit-Limit` on answers.
 *  - Errors in SP-API's `{ errors: [{ code, message, details }] }` shape.
 * Inspection: GET /__sim/state.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../common/server';
import type { SimRequest, SimResponse, Simulator } from '../common/server';
import { AmazonStore } from './store';
import type { SimOrder, SimPackage } from './store';

export { AmazonStore, formatAmount } from './store';
export type { SimOrder, SimItem, SimListing, SimPackage } from './store';

const SPECS = join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'specs');

export type SimOperation = 'searchOrders' | 'getOrder' | 'confirmShipment' | 'getListingsItem' | 'searchListingsItems' | 'patchListingsItem' | 'getMarketplaceParticipations';

/** Documented usage plans (requests per second, burst). */
export const SIM_PLANS: Record<SimOperation, { rate: number; burst: number }> = {
	searchOrders: { rate: 0.0056, burst: 20 },
	getOrder: { rate: 0.5, burst: 30 },
	confirmShipment: { rate: 2, burst: 10 },
	getListingsItem: { rate: 5, burst: 10 },
	searchListingsItems: { rate: 5, burst: 5 },
	patchListingsItem: { rate: 5, burst: 5 },
	getMarketplaceParticipations: { rate: 0.016, burst: 15 },
};

export interface AmazonSimOptions {
	port?: number;
	seed?: number;
	orders?: number;
	listings?: number;
	start?: string;
	spacingMs?: number;
	marketplaceId?: string;
	currency?: string;
	clientId?: string;
	clientSecret?: string;
	sellerId?: string;
	/** Access token lifetime (Amazon: 3600 s). */
	tokenLifetimeSeconds?: number;
	/** Usage plans per operation (tests raise or lower them). */
	plans?: Partial<Record<SimOperation, { rate: number; burst: number }>>;
	now?: () => number;
}

export interface AmazonSimulator extends Simulator {
	store: AmazonStore;
	clientId: string;
	clientSecret: string;
	sellerId: string;
	marketplaceId: string;
	options: Required<Omit<AmazonSimOptions, 'port' | 'now' | 'plans'>>;
	/** A refresh token as the seller's authorization gives it. */
	issueRefreshToken(): string;
	/** An access token as the token endpoint gives it. */
	issueToken(): string;
	expireTokens(): void;
	/** A buyer places an order (created `agoMs` before now, as the API shows orders after a delay). */
	addOrder(partial?: Partial<SimOrder>, agoMs?: number): SimOrder;
	/** Something changes the order: lastUpdatedTime moves to now. */
	modifyOrder(orderId: string): SimOrder;
	/** Sets an operation's usage plan while running (a full bucket). */
	setPlan(operation: SimOperation, plan: { rate: number; burst: number }): void;
}

const DEFAULTS = {
	seed: 1, orders: 150, listings: 40, start: '2026-10-01T00:00:00.000Z', spacingMs: 3_600_000, marketplaceId: 'ATVPDKIKX0DER', currency: 'USD',
	clientId: 'amzn1.application-oa2-client.sim0123456789', clientSecret: 'amzn1.oa2-cs.v1.sim-secret-abcdef0123456789', sellerId: 'A2SIMSELLER0001', tokenLifetimeSeconds: 3600,
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class SpApiError extends Error {
	constructor(readonly status: number, readonly code: string, message: string, readonly details = '', readonly headers: Record<string, string> = {}) {
		super(message);
	}

	body(): Json {
		return { errors: [{ code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) }] };
	}
}

const invalid = (message: string, details = '') => new SpApiError(400, 'InvalidInput', message, details);

// ---- the specs, read at start-up ----------------------------------------------------------------------

interface SpecParam { name: string; in: string; type?: string; enum?: string[]; items?: { enum?: string[] }; format?: string; maxItems?: number; required?: boolean }
type Schema = { type?: string; $ref?: string; properties?: Record<string, Schema>; items?: Schema; required?: string[]; enum?: string[] };
interface Swagger { paths: Record<string, Record<string, { operationId: string; parameters?: SpecParam[] }>>; definitions: Record<string, Schema> }

function loadSpec(file: string): Swagger {
	return JSON.parse(readFileSync(join(SPECS, file), 'utf8')) as Swagger;
}

function queryParams(spec: Swagger, operationId: string): Map<string, SpecParam> {
	for (const ops of Object.values(spec.paths)) {
		for (const op of Object.values(ops)) {
			if (op.operationId === operationId) return new Map((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p]));
		}
	}
	throw new Error(`spec has no ${operationId}`);
}

/** Type and required problems of `value` against a swagger schema. */
function schemaProblems(value: unknown, schema: Schema, defs: Record<string, Schema>, at: string): string[] {
	let s = schema;
	for (let i = 0; s.$ref && i < 10; i++) s = defs[s.$ref.split('/').pop() as string] ?? {};
	if (value === undefined || value === null) return [];
	if (s.enum && !s.enum.includes(String(value))) return [`${at} must be one of ${s.enum.join(', ')}`];
	switch (s.type) {
		case 'string': return typeof value === 'string' ? [] : [`${at} must be a string`];
		case 'integer': return Number.isInteger(value) ? [] : [`${at} must be an integer`];
		case 'number': return typeof value === 'number' ? [] : [`${at} must be a number`];
		case 'boolean': return typeof value === 'boolean' ? [] : [`${at} must be a boolean`];
		case 'array':
			if (!Array.isArray(value)) return [`${at} must be an array`];
			return value.flatMap((v, i) => (s.items ? schemaProblems(v, s.items, defs, `${at}[${i}]`) : []));
		default:
			if (!s.properties) return [];
			if (!isObject(value)) return [`${at} must be an object`];
			return [
				...(s.required ?? []).filter((k) => value[k] === undefined).map((k) => `${at}.${k} is required`),
				...Object.entries(s.properties).flatMap(([k, p]) => schemaProblems(value[k], p, defs, `${at}.${k}`)),
			];
	}
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Query parameters of an operation against its spec parameters: unknown names, enums, integers, date-times. */
function checkQuery(req: SimRequest, params: Map<string, SpecParam>, extra: Record<string, { enum?: string[]; max?: number }> = {}): void {
	for (const name of new Set(req.query.keys())) {
		const p = params.get(name);
		if (!p && !extra[name]) throw invalid(`Invalid request parameter: ${name}`, `${name} is not a parameter of this operation`);
		const value = req.query.get(name) ?? '';
		// Array parameters are comma-separated (swagger's csv); the Listings Items ones are all given as extras.
		const values = p?.type === 'array' || (!p && extra[name]) ? value.split(',') : [value];
		const allowed = p?.items?.enum ?? p?.enum ?? extra[name]?.enum;
		for (const v of values) if (allowed && !allowed.includes(v)) throw invalid(`Invalid value for ${name}`, `${v} is not one of ${allowed.join(', ')}`);
		if (p?.type === 'integer' && !/^\d+$/.test(value)) throw invalid(`Invalid value for ${name}`, `${value} is not an integer`);
		if (p?.format === 'date-time' && !ISO.test(value)) throw invalid(`Invalid value for ${name}`, `${value} is not an ISO 8601 date-time`);
		const max = p?.maxItems ?? extra[name]?.max;
		if (max !== undefined && values.length > max) throw invalid(`Invalid value for ${name}`, `at most ${max} values`);
	}
}

export async function startAmazonSimulator(options: AmazonSimOptions = {}): Promise<AmazonSimulator> {
	const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & AmazonSimOptions;
	const store = new AmazonStore({ seed: o.seed, orders: o.orders, listings: o.listings, start: o.start, spacingMs: o.spacingMs, marketplaceId: o.marketplaceId, currency: o.currency, now: o.now });
	const orders2026 = loadSpec('amazon-spapi-orders_2026-01-01.json');
	const ordersV0 = loadSpec('amazon-spapi-ordersV0.json');
	const searchParams = queryParams(orders2026, 'searchOrders');
	const getOrderParams = queryParams(orders2026, 'getOrder');
	const plans: Record<SimOperation, { rate: number; burst: number }> = { ...SIM_PLANS, ...(o.plans ?? {}) };
	const buckets = new Map<SimOperation, { tokens: number; at: number }>();

	// ---- Login with Amazon ---------------------------------------------------------------------------

	function tokenEndpoint(req: SimRequest): SimResponse {
		const form = new URLSearchParams(req.rawBody);
		if (form.get('client_id') !== o.clientId || form.get('client_secret') !== o.clientSecret) {
			return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
		}
		if (form.get('grant_type') !== 'refresh_token') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported' } };
		const refresh = form.get('refresh_token') ?? '';
		if (!store.refreshTokens.has(refresh)) return { status: 400, body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' } };
		return { status: 200, body: { access_token: store.token(o.tokenLifetimeSeconds), refresh_token: refresh, token_type: 'bearer', expires_in: o.tokenLifetimeSeconds } };
	}

	function authorise(req: SimRequest): void {
		const token = req.headers['x-amz-access-token'];
		const known = token ? store.tokens.get(token) : undefined;
		const denied = (details: string) => new SpApiError(403, 'Unauthorized', 'Access to requested resource is denied.', details);
		if (!token) throw denied('The request has no access token.');
		if (!known) throw denied('The access token you provided is revoked, malformed or invalid.');
		if (known.expiresAt <= store.now()) throw denied('The access token you provided has expired.');
	}

	function take(op: SimOperation): void {
		const plan = plans[op];
		const now = store.now();
		const bucket = buckets.get(op) ?? { tokens: plan.burst, at: now };
		bucket.tokens = Math.min(plan.burst, bucket.tokens + ((now - bucket.at) / 1000) * plan.rate);
		bucket.at = now;
		buckets.set(op, bucket);
		if (bucket.tokens < 1) {
			throw new SpApiError(429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.', '', { 'x-amzn-ratelimit-limit': String(plan.rate) });
		}
		bucket.tokens -= 1;
	}

	// ---- orders ----------------------------------------------------------------------------------------

	const included = (req: SimRequest) => new Set((req.query.get('includedData') ?? '').split(',').filter(Boolean));

	function searchOrders(req: SimRequest): SimResponse {
		checkQuery(req, searchParams);
		const q = req.query;
		const now = store.now();
		const createdAfter = q.get('createdAfter');
		const updatedAfter = q.get('lastUpdatedAfter');
		if ((createdAfter === null) === (updatedAfter === null)) throw invalid('Exactly one of createdAfter and lastUpdatedAfter must be provided');
		if (createdAfter !== null && (q.has('lastUpdatedBefore'))) throw invalid('lastUpdatedBefore cannot be combined with createdAfter');
		if (updatedAfter !== null && q.has('createdBefore')) throw invalid('createdBefore cannot be combined with lastUpdatedAfter');
		const byCreated = createdAfter !== null;
		const after = Date.parse((createdAfter ?? updatedAfter) as string);
		const beforeText = q.get(byCreated ? 'createdBefore' : 'lastUpdatedBefore');
		const before = beforeText !== null ? Date.parse(beforeText) : now - 120_000;
		if (before > now - 120_000) throw invalid(`${byCreated ? 'createdBefore' : 'lastUpdatedBefore'} must be at least two minutes before the time of the request`);
		if (before < after) throw invalid(`${byCreated ? 'createdBefore' : 'lastUpdatedBefore'} must be equal to or after ${byCreated ? 'createdAfter' : 'lastUpdatedAfter'}`);
		const size = q.has('maxResultsPerPage') ? Number(q.get('maxResultsPerPage')) : 100;
		if (!(size >= 1 && size <= 100)) throw invalid('maxResultsPerPage must be between 1 and 100');
		const marketplaces = (q.get('marketplaceIds') ?? '').split(',').filter(Boolean);
		const statuses = (q.get('fulfillmentStatuses') ?? '').split(',').filter(Boolean);
		const by = (q.get('fulfilledBy') ?? '').split(',').filter(Boolean);
		// The token continues exactly this query: every other parameter must be sent again unchanged.
		const rest = new URLSearchParams([...q.entries()].filter(([k]) => k !== 'paginationToken').sort(([a], [b]) => a.localeCompare(b))).toString();
		const key = (x: SimOrder) => (byCreated ? x.created : x.updated);
		let cursor: { at: number; id: string } | undefined;
		const token = q.get('paginationToken');
		if (token !== null) {
			const entry = store.pageTokens.get(token);
			if (!entry || entry.query !== rest) throw invalid('Invalid paginationToken', 'The token does not belong to this query (all other parameters must be repeated)');
			if (now - entry.issued > 86_400_000) throw invalid('Expired paginationToken', 'Pagination tokens expire after 24 hours');
			const [at, id] = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as [number, string];
			cursor = { at, id };
		}
		const matching = store.orders
			.filter((x) => key(x) >= after && key(x) <= before)
			.filter((x) => marketplaces.length === 0 || marketplaces.includes(x.marketplaceId))
			.filter((x) => statuses.length === 0 || statuses.includes(x.status))
			.filter((x) => by.length === 0 || by.includes(x.fulfilledBy))
			.sort((a, b) => key(a) - key(b) || a.orderId.localeCompare(b.orderId))
			.filter((x) => !cursor || key(x) > cursor.at || (key(x) === cursor.at && x.orderId > cursor.id));
		const page = matching.slice(0, size);
		const body: Json = {
			orders: page.map((x) => store.render(x, included(req))),
			[byCreated ? 'createdBefore' : 'lastUpdatedBefore']: new Date(before).toISOString(),
		};
		if (matching.length > size) {
			const last = page[page.length - 1];
			const next = `${store.randomAlnum(8)}.${Buffer.from(JSON.stringify([key(last), last.orderId])).toString('base64url')}`;
			store.pageTokens.set(next, { query: rest, offset: 0, issued: now });
			body.pagination = { nextToken: next };
		}
		return { status: 200, body };
	}

	function getOrder(req: SimRequest, id: string): SimResponse {
		checkQuery(req, getOrderParams);
		const order = store.order(id);
		if (!order) throw new SpApiError(404, 'NotFound', 'The requested order was not found.', `Order ${id} does not exist for this seller`);
		return { status: 200, body: { order: store.render(order, included(req)) } };
	}

	function confirmShipment(req: SimRequest, id: string): SimResponse {
		if (req.query.size > 0) throw invalid(`Invalid request parameter: ${[...req.query.keys()][0]}`);
		const problems = req.json === undefined ? ['body is required'] : schemaProblems(req.json, { $ref: '#/definitions/ConfirmShipmentRequest' }, ordersV0.definitions, 'payload');
		if (problems.length > 0) throw invalid('Invalid Input', problems.join('; '));
		const order = store.order(id);
		if (!order) throw new SpApiError(404, 'NotFound', 'The requested order was not found.');
		const body = req.json as { marketplaceId: string; packageDetail: { packageReferenceId: string; carrierCode: string; carrierName?: string; shippingMethod?: string; trackingNumber: string; shipDate: string; orderItems: Array<{ orderItemId: string; quantity: number }> } };
		const p = body.packageDetail;
		if (body.marketplaceId !== order.marketplaceId) throw invalid('Invalid Input', `marketplaceId ${body.marketplaceId} is not the order's marketplace`);
		if (order.fulfilledBy !== 'MERCHANT') throw invalid('Invalid Input', 'Amazon-fulfilled orders cannot be confirmed by the seller');
		if (order.status === 'CANCELLED' || order.status === 'PENDING' || order.status === 'PENDING_AVAILABILITY') throw invalid('Invalid Input', `the order is ${order.status}`);
		if (!/^[1-9]\d*$/.test(p.packageReferenceId)) throw invalid('Invalid Input', 'packageReferenceId must be a positive number');
		if (order.packages.some((x) => x.packageReferenceId === p.packageReferenceId)) throw invalid('Invalid Input', `packageReferenceId ${p.packageReferenceId} is already used in this order`);
		if (!p.carrierCode.trim() || (p.carrierCode === 'Other' && !p.carrierName?.trim())) throw invalid('Invalid Input', 'carrierName is required when carrierCode is Other');
		if (!p.trackingNumber.trim()) throw invalid('Invalid Input', 'trackingNumber is required');
		const shipped = Date.parse(p.shipDate);
		if (!ISO.test(p.shipDate) || Number.isNaN(shipped) || shipped > store.now() + 60_000) throw invalid('Invalid Input', 'shipDate must be an ISO 8601 date-time, not in the future');
		if (p.orderItems.length === 0) throw invalid('Invalid Input', 'orderItems is empty');
		for (const line of p.orderItems) {
			const item = order.items.find((i) => i.orderItemId === line.orderItemId);
			if (!item) throw invalid('Invalid Input', `orderItemId ${line.orderItemId} is not in the order`);
			if (!(line.quantity > 0) || line.quantity > item.quantity - item.shipped) throw invalid('Invalid Input', `quantity ${line.quantity} of ${line.orderItemId} is more than is unshipped (${item.quantity - item.shipped})`);
		}
		for (const line of p.orderItems) (order.items.find((i) => i.orderItemId === line.orderItemId) as { shipped: number }).shipped += line.quantity;
		const pkg: SimPackage = { packageReferenceId: p.packageReferenceId, carrierCode: p.carrierCode, carrierName: p.carrierName, shippingMethod: p.shippingMethod, trackingNumber: p.trackingNumber, shipDate: p.shipDate, created: store.now(), items: p.orderItems.map((l) => ({ orderItemId: l.orderItemId, quantity: l.quantity })) };
		order.packages.push(pkg);
		order.status = order.items.every((i) => i.shipped >= i.quantity) ? 'SHIPPED' : 'PARTIALLY_SHIPPED';
		store.touch(order);
		store.buyerNotices.set(order.orderId, (store.buyerNotices.get(order.orderId) ?? 0) + 1);
		return { status: 204, body: '' };
	}

	// ---- listings ---------------------------------------------------------------------------------------

	const LISTING_DATA = ['summaries', 'attributes', 'issues', 'offers', 'fulfillmentAvailability', 'procurement', 'relationships', 'productTypes'];

	function marketplaceOf(req: SimRequest): string {
		const ids = (req.query.get('marketplaceIds') ?? '').split(',').filter(Boolean);
		if (ids.length === 0) throw invalid('Missing required parameter: marketplaceIds');
		if (!ids.includes(o.marketplaceId)) throw invalid('Invalid marketplaceIds', `the seller does not sell in ${ids.join(', ')}`);
		return o.marketplaceId;
	}

	function checkSeller(sellerId: string): void {
		if (sellerId !== o.sellerId) throw new SpApiError(403, 'Unauthorized', 'Access to requested resource is denied.', `The seller ${sellerId} has not authorized this application`);
	}

	function getListingsItem(req: SimRequest, sellerId: string, sku: string): SimResponse {
		checkSeller(sellerId);
		checkQuery(req, new Map(), { marketplaceIds: {}, issueLocale: {}, includedData: { enum: LISTING_DATA } });
		const marketplace = marketplaceOf(req);
		const listing = store.listing(sku);
		if (!listing) throw new SpApiError(404, 'NOT_FOUND', `SKU '${sku}' not found in marketplace ${marketplace}`);
		return { status: 200, body: store.renderListing(listing, new Set((req.query.get('includedData') ?? 'summaries').split(',')), marketplace) };
	}

	function searchListingsItems(req: SimRequest, sellerId: string): SimResponse {
		checkSeller(sellerId);
		checkQuery(req, new Map(), {
			marketplaceIds: {}, issueLocale: {}, includedData: { enum: LISTING_DATA }, identifiers: { max: 20 },
			identifiersType: { enum: ['ASIN', 'EAN', 'FNSKU', 'GTIN', 'ISBN', 'JAN', 'MINSAN', 'SKU', 'UPC'] }, variationParentSku: {}, packageHierarchySku: {},
			createdAfter: {}, createdBefore: {}, lastUpdatedAfter: {}, lastUpdatedBefore: {}, withIssueSeverity: { enum: ['WARNING', 'ERROR'] },
			withStatus: { enum: ['BUYABLE', 'DISCOVERABLE'] }, withoutStatus: { enum: ['BUYABLE', 'DISCOVERABLE'] },
			sortBy: { enum: ['sku', 'createdDate', 'lastUpdatedDate'] }, sortOrder: { enum: ['ASC', 'DESC'] }, pageSize: {}, pageToken: {},
		});
		const marketplace = marketplaceOf(req);
		const q = req.query;
		if (q.has('identifiers') !== q.has('identifiersType')) throw invalid('identifiers and identifiersType must be given together');
		const size = q.has('pageSize') ? Number(q.get('pageSize')) : 10;
		if (!(Number.isInteger(size) && size >= 1 && size <= 20)) throw invalid('Invalid pageSize', 'pageSize must be 1 to 20');
		let items = [...store.listings];
		if (q.has('identifiers')) {
			if (q.get('identifiersType') !== 'SKU') throw invalid('Only SKU identifiers are simulated');
			const wanted = new Set((q.get('identifiers') ?? '').split(','));
			items = items.filter((l) => wanted.has(l.sku));
		}
		const sortBy = q.get('sortBy') ?? 'lastUpdatedDate';
		const desc = (q.get('sortOrder') ?? 'DESC') === 'DESC';
		const keyOf = (l: { sku: string; created: number; updated: number }) => (sortBy === 'sku' ? l.sku : sortBy === 'createdDate' ? String(l.created).padStart(15, '0') : String(l.updated).padStart(15, '0'));
		items.sort((a, b) => (desc ? -1 : 1) * (keyOf(a).localeCompare(keyOf(b)) || a.sku.localeCompare(b.sku)));
		// Amazon pages a search to 1,000 results at most.
		items = items.slice(0, 1000);
		const offset = q.has('pageToken') ? Number(Buffer.from(q.get('pageToken') ?? '', 'base64url').toString('utf8')) : 0;
		if (!Number.isInteger(offset) || offset < 0) throw invalid('Invalid pageToken');
		const page = items.slice(offset, offset + size);
		const data = new Set((q.get('includedData') ?? 'summaries').split(','));
		return {
			status: 200,
			body: {
				numberOfResults: items.length,
				...(offset + size < items.length ? { pagination: { nextToken: Buffer.from(String(offset + size)).toString('base64url') } } : {}),
				items: page.map((l) => store.renderListing(l, data, marketplace)),
			},
		};
	}

	function patchListingsItem(req: SimRequest, sellerId: string, sku: string): SimResponse {
		checkSeller(sellerId);
		checkQuery(req, new Map(), { marketplaceIds: {}, issueLocale: {}, includedData: { enum: ['identifiers', 'issues'] }, mode: { enum: ['VALIDATION_PREVIEW'] } });
		marketplaceOf(req);
		const listing = store.listing(sku);
		if (!listing) throw new SpApiError(404, 'NOT_FOUND', `SKU '${sku}' not found`);
		const body = req.json;
		if (!isObject(body) || typeof body.productType !== 'string' || !Array.isArray(body.patches) || body.patches.length === 0) {
			throw invalid('Invalid request body', 'productType (string) and patches (one or more JSON Patch operations) are required');
		}
		const issues: Json[] = [];
		const issue = (message: string, attribute = 'fulfillment_availability') => issues.push({ code: '90220', message, severity: 'ERROR', attributeNames: [attribute], categories: ['INVALID_ATTRIBUTE'] });
		if (body.productType !== listing.productType) issue(`The product type ${body.productType} does not match the listing's ${listing.productType}.`, 'product_type');
		let quantity: number | undefined;
		let keepLeadTime = true;
		for (const [k, patch] of body.patches.entries()) {
			if (!isObject(patch)) throw invalid(`patches[${k}] must be an object`);
			if (!['add', 'replace', 'merge', 'delete'].includes(String(patch.op))) throw invalid(`patches[${k}].op must be add, replace, merge or delete`);
			if (typeof patch.path !== 'string' || !patch.path.startsWith('/attributes/')) throw invalid(`patches[${k}].path must be a JSON Pointer under /attributes/`);
			if (patch.path !== '/attributes/fulfillment_availability') {
				issue(`The simulator only changes fulfillment_availability, not ${patch.path}.`, patch.path.slice('/attributes/'.length));
				continue;
			}
			if (!Array.isArray(patch.value) || patch.value.length === 0) throw invalid(`patches[${k}].value must be a non-empty array of objects`);
			for (const [n, v] of patch.value.entries()) {
				if (!isObject(v) || typeof v.fulfillment_channel_code !== 'string' || !v.fulfillment_channel_code) throw invalid(`patches[${k}].value[${n}].fulfillment_channel_code is required`);
				if (patch.op !== 'delete' && (!Number.isInteger(v.quantity) || (v.quantity as number) < 0)) throw invalid(`patches[${k}].value[${n}].quantity must be an integer of 0 or more`);
				if (v.fulfillment_channel_code !== listing.channel) {
					issue(`fulfillment_channel_code ${v.fulfillment_channel_code} does not match the listing's ${listing.channel}: an Amazon-fulfilled SKU takes no seller quantity.`);
					continue;
				}
				quantity = v.quantity as number;
				// `merge` keeps the handling time; `replace` sets the attribute to exactly the value sent.
				if (patch.op === 'replace' && v.lead_time_to_ship_max_days === undefined) keepLeadTime = false;
			}
		}
		const submissionId = store.randomAlnum(32).toLowerCase();
		if (issues.length > 0) return { status: 200, body: { sku, status: 'INVALID', submissionId, issues } };
		if (req.query.get('mode') !== 'VALIDATION_PREVIEW' && quantity !== undefined) {
			listing.quantity = quantity;
			if (!keepLeadTime) listing.leadTimeDays = undefined;
			listing.updated = Math.max(store.now(), listing.updated + 1);
		}
		return { status: 200, body: { sku, status: req.query.get('mode') === 'VALIDATION_PREVIEW' ? 'VALID' : 'ACCEPTED', submissionId, issues: [] } };
	}

	// ---- dispatch ---------------------------------------------------------------------------------------

	function route(req: SimRequest): { op: SimOperation; params: string[] } | undefined {
		const m = (re: RegExp) => re.exec(req.path)?.slice(1).map(decodeURIComponent);
		let p: string[] | undefined;
		if (req.method === 'GET' && req.path === '/orders/2026-01-01/orders') return { op: 'searchOrders', params: [] };
		if (req.method === 'GET' && (p = m(/^\/orders\/2026-01-01\/orders\/([^/]+)$/))) return { op: 'getOrder', params: p };
		if (req.method === 'POST' && (p = m(/^\/orders\/v0\/orders\/([^/]+)\/shipmentConfirmation$/))) return { op: 'confirmShipment', params: p };
		if (req.method === 'GET' && (p = m(/^\/listings\/2021-08-01\/items\/([^/]+)$/))) return { op: 'searchListingsItems', params: p };
		if (req.method === 'GET' && (p = m(/^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/))) return { op: 'getListingsItem', params: p };
		if (req.method === 'PATCH' && (p = m(/^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/))) return { op: 'patchListingsItem', params: p };
		if (req.method === 'GET' && req.path === '/sellers/v1/marketplaceParticipations') return { op: 'getMarketplaceParticipations', params: [] };
		return undefined;
	}

	function handle(req: SimRequest): SimResponse {
		if (req.method === 'POST' && req.path === '/auth/o2/token') return tokenEndpoint(req);
		const found = route(req);
		const rateHeader: Record<string, string> = found ? { 'x-amzn-ratelimit-limit': String(plans[found.op].rate) } : {};
		const requestId = { 'x-amzn-requestid': store.randomAlnum(16) };
		try {
			if (!found) throw new SpApiError(404, 'NotFound', 'Resource not found');
			authorise(req);
			take(found.op);
			const [a, b] = found.params;
			let response: SimResponse;
			switch (found.op) {
				case 'searchOrders': response = searchOrders(req); break;
				case 'getOrder': response = getOrder(req, a); break;
				case 'confirmShipment': response = confirmShipment(req, a); break;
				case 'searchListingsItems': response = searchListingsItems(req, a); break;
				case 'getListingsItem': response = getListingsItem(req, a, b); break;
				case 'patchListingsItem': response = patchListingsItem(req, a, b); break;
				default:
					response = { status: 200, body: { payload: [{ marketplace: { id: o.marketplaceId, name: 'Amazon.com', countryCode: 'US', defaultCurrencyCode: o.currency, defaultLanguageCode: 'en_US', domainName: 'www.amazon.com' }, participation: { isParticipating: true, hasSuspendedListings: false }, storeName: 'Sim Store' }] } };
			}
			return { ...response, headers: { ...rateHeader, ...requestId, ...(response.headers ?? {}) } };
		} catch (error) {
			if (error instanceof SpApiError) {
				// The rate header comes with answers the operation handled (2xx, 400, 404) and with 429, not with 403.
				const limit: Record<string, string> = error.status === 403 ? {} : rateHeader;
				return { status: error.status, headers: { ...limit, ...requestId, ...error.headers }, body: error.body() };
			}
			throw error;
		}
	}

	const sim = await startSimulator(handle, {
		port: o.port,
		reset: () => {
			store.reset();
			buckets.clear();
		},
		label: (req) => (req.path === '/auth/o2/token' ? 'lwaToken' : route(req)?.op),
		inspect: (req) => (req.path === '/__sim/state' && req.method === 'GET' ? { status: 200, body: store.toJSON() } : undefined),
	});
	return Object.assign(sim, {
		store,
		clientId: o.clientId,
		clientSecret: o.clientSecret,
		sellerId: o.sellerId,
		marketplaceId: o.marketplaceId,
		options: { seed: o.seed, orders: o.orders, listings: o.listings, start: o.start, spacingMs: o.spacingMs, marketplaceId: o.marketplaceId, currency: o.currency, clientId: o.clientId, clientSecret: o.clientSecret, sellerId: o.sellerId, tokenLifetimeSeconds: o.tokenLifetimeSeconds },
		issueRefreshToken: () => {
			const token = `Atzr|sim${store.randomAlnum(48)}`;
			store.refreshTokens.add(token);
			return token;
		},
		issueToken: () => store.token(o.tokenLifetimeSeconds),
		expireTokens: () => {
			for (const t of store.tokens.values()) t.expiresAt = 0;
		},
		addOrder: (partial: Partial<SimOrder> = {}, agoMs = 0) => {
			const created = store.now() - agoMs;
			const order = store.makeOrder(created, partial);
			store.orders.push(order);
			return order;
		},
		modifyOrder: (orderId: string) => {
			const order = store.order(orderId);
			if (!order) throw new Error(`no simulated order ${orderId}`);
			store.touch(order);
			return order;
		},
		setPlan: (operation: SimOperation, plan: { rate: number; burst: number }) => {
			plans[operation] = plan;
			buckets.delete(operation);
		},
	});
}
