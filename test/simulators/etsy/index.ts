/**
 * An Etsy Open API v3 simulator (https://developers.etsy.com/documentation/) for tests and benchmarks,
 * on the shared simulator base (fault injection, request log, /__sim/*):
 *  - OAuth 2.0 with PKCE: GET /oauth/connect (consent given at once, redirect with a code) and
 *    POST /v3/public/oauth/token (authorization_code with code_verifier, refresh_token); access tokens
 *    expire after `tokenLifetimeSeconds` and are then refused with 401 `{ error: 'invalid_token' }`;
 *  - `x-api-key` on every /v3/application request (403 without a valid `keystring:shared_secret`);
 *  - 10 requests per second and a daily quota, with Etsy's `x-limit-*` / `x-remaining-*` headers and
 *    429 + `retry-after`;
 *  - every request checked against Etsy's OpenAPI document (spec.ts);
 *  - receipts (filters, sort, limit ≤ 100, offset, `count`), one receipt, createReceiptShipment (each
 *    call "emails the buyer", counted per receipt), listings by shop (`includes=Inventory`), listing
 *    inventory GET and PUT (the body replaces every product; products get new ids).
 *
 * Inspection routes besides the shared ones: GET /__sim/state, POST /__sim/expire-tokens,
 * POST /__sim/quota {"dailyLimit"?: n, "used"?: n}, POST /__sim/clock {"now": ISO | null}.
 */
import { setClockRoute } from '../common/clock';
import { startSimulator } from '../common/server';
import type { SimRequest, SimResponse, Simulator } from '../common/server';
import { EtsySpec, EtsyError } from './spec';
import type { Operation } from './spec';
import { EtsyStore, pkceChallenge } from './store';
import type { Inventory, Listing, Money, Product, Receipt } from './store';

export { EtsyStore, pkceChallenge } from './store';
export { EtsyError, EtsySpec } from './spec';
export type { Inventory, Listing, Money, Product, Receipt, Shipment, Transaction } from './store';

export interface EtsySimOptions {
	port?: number;
	seed?: number;
	shopId?: number;
	userId?: number;
	listings?: number;
	receipts?: number;
	currency?: string;
	/** First seeded receipt, ISO. */
	start?: string;
	/** Seconds between seeded receipts. */
	spacingSeconds?: number;
	keystring?: string;
	sharedSecret?: string;
	/** Refuse `x-api-key` without the shared secret, as Etsy does since 2025 (default true). */
	requireSharedSecret?: boolean;
	tokenLifetimeSeconds?: number;
	perSecond?: number;
	dailyLimit?: number;
	specPath?: string;
	now?: () => number;
}

export interface EtsySimulator extends Simulator {
	store: EtsyStore;
	/** The base URL to configure in a client or credential (= url). */
	baseUrl: string;
	shopId: string;
	keystring: string;
	sharedSecret: string;
	/** The x-api-key value Etsy wants. */
	apiKey: string;
	/** A valid access token with every scope the pack asks for (the OAuth dance done). */
	issueToken(scopes?: string[]): string;
	/** Every access token issued so far expires now. */
	expireTokens(): void;
	options: { tokenLifetimeSeconds: number; perSecond: number; dailyLimit: number };
}

const ALL_SCOPES = ['transactions_r', 'transactions_w', 'listings_r', 'listings_w', 'shops_r'];
const MIN_PRICE = 0.2;
const MAX_PRICE = 50_000;
const MAX_QUANTITY = 999;

const DEFAULTS = {
	seed: 1, shopId: 12_345_678, userId: 87_654_321, listings: 12, receipts: 60, currency: 'USD', start: '2026-01-05T09:00:00Z',
	spacingSeconds: 1800, keystring: 'simkeystring1234567890ab', sharedSecret: 'simsharedsecret', requireSharedSecret: true,
	tokenLifetimeSeconds: 3600, perSecond: 10, dailyLimit: 10_000,
};

function moneyToDecimal(m: Money): number {
	return m.amount / m.divisor;
}

function listingAnswer(store: EtsyStore, listing: Listing, withInventory: boolean): Record<string, unknown> {
	const live = listing.inventory.products.filter((p) => !p.is_deleted);
	const prices = live.flatMap((p) => p.offerings.filter((o) => !o.is_deleted).map((o) => o.price.amount));
	const { inventory, ...rest } = listing;
	return {
		...rest, creation_timestamp: listing.created_timestamp, last_modified_timestamp: listing.updated_timestamp,
		quantity: store.quantity(inventory), has_variations: live.length > 1, url: `https://www.etsy.com/listing/${listing.listing_id}`,
		price: store.money(prices.length > 0 ? Math.min(...prices) : 0), skus: live.map((p) => p.sku).filter(Boolean),
		...(withInventory ? { inventory: inventoryAnswer(inventory) } : {}),
	};
}

function inventoryAnswer(inventory: Inventory): Record<string, unknown> {
	return {
		products: inventory.products.filter((p) => !p.is_deleted).map((p) => ({ ...p, offerings: p.offerings.filter((o) => !o.is_deleted).map((o) => ({ ...o, price: { ...o.price } })) })),
		price_on_property: [...inventory.price_on_property], quantity_on_property: [...inventory.quantity_on_property], sku_on_property: [...inventory.sku_on_property],
	};
}

function receiptAnswer(receipt: Receipt): Record<string, unknown> {
	// Etsy sends both spellings of the timestamps.
	return {
		...receipt, create_timestamp: receipt.created_timestamp, update_timestamp: receipt.updated_timestamp,
		transactions: receipt.transactions.map((t) => ({ ...t, create_timestamp: t.created_timestamp })),
	};
}

/** Form bodies (createReceiptShipment is documented as x-www-form-urlencoded) or JSON. */
function bodyOf(req: SimRequest): { body: unknown; form: boolean } {
	const type = req.headers['content-type'] ?? '';
	if (type.includes('application/x-www-form-urlencoded')) return { body: Object.fromEntries(new URLSearchParams(req.rawBody)), form: true };
	if (req.rawBody && req.json === undefined) throw new EtsyError(400, 'The request body is not valid JSON');
	return { body: req.json, form: false };
}

/** The validation Etsy applies to an inventory PUT beyond the schema (ranges, consistency). */
function checkInventory(body: Record<string, unknown>): void {
	type P = { sku?: string | null; property_values?: Array<{ property_id: number; value_ids: number[]; values: string[] }>; offerings: Array<{ price: number; quantity: number; is_enabled: boolean }> };
	const products = body.products as P[];
	if (products.length === 0) throw new EtsyError(400, 'products must contain at least one product');
	const onProperty = (name: string) => (body[name] as number[] | undefined) ?? [];
	const propertyIds = new Set(products.flatMap((p) => (p.property_values ?? []).map((v) => v.property_id)));
	for (const name of ['price_on_property', 'quantity_on_property', 'sku_on_property']) {
		for (const id of onProperty(name)) if (!propertyIds.has(id)) throw new EtsyError(400, `${name} names property ${id}, which no product has`);
	}
	const combos = new Set<string>();
	products.forEach((p, i) => {
		if (p.offerings.length !== 1) throw new EtsyError(400, `products[${i}] must have exactly one offering`);
		const o = p.offerings[0];
		if (o.price < MIN_PRICE || o.price > MAX_PRICE) throw new EtsyError(400, `products[${i}].offerings[0].price must be between ${MIN_PRICE} and ${MAX_PRICE}`);
		if (!Number.isInteger(o.quantity) || o.quantity < 0 || o.quantity > MAX_QUANTITY) throw new EtsyError(400, `products[${i}].offerings[0].quantity must be between 0 and ${MAX_QUANTITY}`);
		for (const v of p.property_values ?? []) {
			if (v.value_ids.length !== v.values.length) throw new EtsyError(400, `products[${i}]: value_ids and values must have the same length`);
			if (v.values.some((s) => /[()]/.test(s))) throw new EtsyError(400, `products[${i}]: property values cannot contain parentheses`);
		}
		const key = (p.property_values ?? []).map((v) => `${v.property_id}=${v.value_ids.join('+')}`).sort().join(';');
		if (combos.has(key)) throw new EtsyError(400, `products[${i}] repeats the property values of another product`);
		combos.add(key);
	});
	const same = (values: unknown[]) => new Set(values.map((v) => JSON.stringify(v))).size <= 1;
	if (products.length > 1) {
		if (onProperty('price_on_property').length === 0 && !same(products.map((p) => p.offerings[0].price))) throw new EtsyError(400, 'Prices must be the same for every product when price_on_property is empty');
		if (onProperty('quantity_on_property').length === 0 && !same(products.map((p) => p.offerings[0].quantity))) throw new EtsyError(400, 'Quantities must be the same for every product when quantity_on_property is empty');
		if (onProperty('sku_on_property').length === 0 && !same(products.map((p) => p.sku ?? ''))) throw new EtsyError(400, 'SKUs must be the same for every product when sku_on_property is empty');
	}
}

export async function startEtsySimulator(options: EtsySimOptions = {}): Promise<EtsySimulator> {
	const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & EtsySimOptions;
	const spec = new EtsySpec(o.specPath);
	const store = new EtsyStore({
		seed: o.seed, shopId: o.shopId, userId: o.userId, listings: o.listings, receipts: o.receipts, currency: o.currency,
		start: Math.floor(Date.parse(o.start) / 1000), spacing: o.spacingSeconds, now: o.now,
	});
	const limits = { tokenLifetimeSeconds: o.tokenLifetimeSeconds, perSecond: o.perSecond, dailyLimit: o.dailyLimit };
	const apiKey = `${o.keystring}:${o.sharedSecret}`;
	/** Real-time stamps of the requests in the current second (the per-second limit is wall-clock). */
	const recent: number[] = [];

	function quotaHeaders(): Record<string, string> {
		const now = Date.now();
		while (recent.length > 0 && recent[0] <= now - 1000) recent.shift();
		return {
			'x-limit-per-second': String(limits.perSecond), 'x-remaining-this-second': String(Math.max(0, limits.perSecond - recent.length)),
			'x-limit-per-day': String(limits.dailyLimit), 'x-remaining-today': String(Math.max(0, limits.dailyLimit - store.dailyUsed)),
		};
	}

	function checkKey(req: SimRequest): void {
		const key = (req.headers['x-api-key'] ?? '').trim();
		if (!key) throw new EtsyError(403, 'Missing API key: send the x-api-key header');
		const [keystring, secret] = key.split(':');
		if (keystring !== o.keystring) throw new EtsyError(403, 'Invalid API key');
		if (secret === undefined ? o.requireSharedSecret : secret !== o.sharedSecret) {
			throw new EtsyError(403, 'Invalid API key: x-api-key must be your keystring and shared secret, as keystring:shared_secret');
		}
	}

	function takeQuota(): void {
		const now = Date.now();
		while (recent.length > 0 && recent[0] <= now - 1000) recent.shift();
		if (store.dailyUsed >= limits.dailyLimit) {
			const secondsToMidnight = 86_400 - (Math.floor(store.now() / 1000) % 86_400);
			throw new EtsyError(429, 'You have exceeded your quota of requests for today', {}, { 'retry-after': String(secondsToMidnight) });
		}
		if (recent.length >= limits.perSecond) throw new EtsyError(429, 'You have exceeded your quota of requests per second', {}, { 'retry-after': '1' });
		recent.push(now);
		store.dailyUsed++;
	}

	function checkToken(req: SimRequest, operation: Operation): void {
		if (operation.scopes === null) return;
		const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
		if (!match) throw new EtsyError(401, 'invalid_token', { error_description: 'No access token was given (Authorization: Bearer ...)' });
		const token = store.tokens.get(match[1]);
		if (!token) throw new EtsyError(401, 'invalid_token', { error_description: 'access token is not valid' });
		if (token.expiresAt <= store.now()) throw new EtsyError(401, 'invalid_token', { error_description: 'access token is expired' });
		const missing = operation.scopes.filter((s) => !token.scopes.includes(s));
		if (missing.length > 0) throw new EtsyError(403, `insufficient_scope: this request needs ${missing.join(', ')}`);
	}

	function tokenEndpoint(req: SimRequest): SimResponse {
		const { body } = bodyOf(req);
		const params = (body && typeof body === 'object' ? body : {}) as Record<string, string>;
		const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
		const clientId = params.client_id ?? (basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0] : undefined);
		if (clientId !== o.keystring) return { status: 401, body: { error: 'invalid_client', error_description: 'client_id is missing or unknown' } };
		if (params.grant_type === 'authorization_code') {
			const code = store.codes.get(params.code ?? '');
			if (!code) return { status: 400, body: { error: 'invalid_grant', error_description: 'code is invalid or was already used' } };
			store.codes.delete(params.code);
			if (!params.code_verifier || pkceChallenge(params.code_verifier) !== code.challenge) {
				return { status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' } };
			}
			if (params.redirect_uri !== code.redirectUri) return { status: 400, body: { error: 'invalid_grant', error_description: 'redirect_uri does not match' } };
			return { status: 200, body: store.issueToken(code.scopes, limits.tokenLifetimeSeconds) };
		}
		if (params.grant_type === 'refresh_token') {
			const refresh = store.refreshTokens.get(params.refresh_token ?? '');
			if (!refresh) return { status: 400, body: { error: 'invalid_grant', error_description: 'refresh_token is invalid' } };
			return { status: 200, body: store.issueToken(refresh.scopes, limits.tokenLifetimeSeconds) };
		}
		return { status: 400, body: { error: 'unsupported_grant_type', error_description: `grant_type "${params.grant_type ?? ''}" is not supported` } };
	}

	function connect(req: SimRequest): SimResponse {
		const q = req.query;
		if (q.get('response_type') !== 'code' || q.get('client_id') !== o.keystring || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('redirect_uri')) {
			return { status: 400, body: { error: 'invalid_request', error_description: 'response_type=code, client_id, redirect_uri, code_challenge and code_challenge_method=S256 are required' } };
		}
		const scopes = (q.get('scope') ?? '').split(/[\s+]+/).filter(Boolean);
		const code = store.issueCode(o.keystring, q.get('redirect_uri') as string, q.get('code_challenge') as string, scopes);
		const target = new URL(q.get('redirect_uri') as string);
		target.searchParams.set('code', code);
		if (q.get('state')) target.searchParams.set('state', q.get('state') as string);
		return { status: 302, headers: { location: target.toString() }, body: '' };
	}

	const shopOf = (params: Record<string, unknown>) => {
		if (params.shop_id !== o.shopId) throw new EtsyError(403, `You do not have access to shop ${String(params.shop_id)}`);
	};

	function receipts(params: Record<string, unknown>): SimResponse {
		shopOf(params);
		const inRange = (value: number, min: unknown, max: unknown) => (min === undefined || value >= (min as number)) && (max === undefined || value <= (max as number));
		let list = store.receipts.filter((r) =>
			inRange(r.created_timestamp, params.min_created, params.max_created)
			&& inRange(r.updated_timestamp, params.min_last_modified, params.max_last_modified)
			&& (params.was_paid === undefined || r.is_paid === params.was_paid)
			&& (params.was_shipped === undefined || r.is_shipped === params.was_shipped)
			&& (params.was_canceled === undefined || (r.status === 'canceled') === params.was_canceled)
			&& (params.was_delivered === undefined || params.was_delivered === false));
		const sortOn = (params.sort_on as string | undefined) ?? 'created';
		const key = (r: Receipt) => (sortOn === 'updated' ? r.updated_timestamp : sortOn === 'receipt_id' ? r.receipt_id : r.created_timestamp);
		const descending = ['desc', 'descending', 'down'].includes((params.sort_order as string | undefined) ?? 'desc');
		list = [...list].sort((a, b) => (key(a) - key(b) || a.receipt_id - b.receipt_id) * (descending ? -1 : 1));
		const limit = (params.limit as number | undefined) ?? 25;
		const offset = (params.offset as number | undefined) ?? 0;
		return { status: 200, body: { count: list.length, results: list.slice(offset, offset + limit).map(receiptAnswer) } };
	}

	function createShipment(params: Record<string, unknown>, body: Record<string, unknown>): SimResponse {
		shopOf(params);
		const receipt = store.receipt(params.receipt_id as number);
		if (receipt.status === 'canceled' || receipt.status === 'fully refunded') throw new EtsyError(409, 'Cannot submit tracking for a canceled receipt');
		const code = typeof body.tracking_code === 'string' ? body.tracking_code.trim() : '';
		const carrier = typeof body.carrier_name === 'string' ? body.carrier_name.trim() : '';
		if (code && !carrier) throw new EtsyError(400, 'carrier_name is required with a tracking_code');
		// Spec: within the US and over $10 (or to India), tracking code and carrier name are required.
		const needsTracking = (receipt.country_iso === 'US' && receipt.grandtotal.currency_code === 'USD' && moneyToDecimal(receipt.grandtotal) > 10) || receipt.country_iso === 'IN';
		if (!code && needsTracking && !(typeof body.note_to_buyer === 'string' && body.note_to_buyer.trim())) throw new EtsyError(400, 'A tracking number is required');
		const now = store.nowSeconds();
		if (code) receipt.shipments.push({ receipt_shipping_id: store.id(), shipment_notification_timestamp: now, carrier_name: carrier, tracking_code: code });
		receipt.is_shipped = true;
		if (receipt.status === 'paid') receipt.status = 'completed';
		for (const t of receipt.transactions) t.shipped_timestamp ??= now;
		receipt.updated_timestamp = Math.max(now, receipt.updated_timestamp);
		store.buyerEmails.set(receipt.receipt_id, (store.buyerEmails.get(receipt.receipt_id) ?? 0) + 1);
		if (body.send_bcc === true) store.sellerEmails++;
		store.version++;
		return { status: 200, body: receiptAnswer(receipt) };
	}

	function listings(params: Record<string, unknown>): SimResponse {
		shopOf(params);
		const state = (params.state as string | undefined) ?? 'active';
		const includes = (params.includes as string[] | undefined) ?? [];
		const list = [...store.listings.values()].filter((l) => l.state === state).sort((a, b) => b.created_timestamp - a.created_timestamp || b.listing_id - a.listing_id);
		const limit = (params.limit as number | undefined) ?? 25;
		const offset = (params.offset as number | undefined) ?? 0;
		return { status: 200, body: { count: list.length, results: list.slice(offset, offset + limit).map((l) => listingAnswer(store, l, includes.includes('Inventory'))) } };
	}

	function putInventory(params: Record<string, unknown>, body: Record<string, unknown>): SimResponse {
		const listing = store.listing(params.listing_id as number);
		checkInventory(body);
		type In = { sku?: string | null; property_values?: Array<{ property_id: number; value_ids: number[]; values: string[]; scale_id?: number | null; property_name?: string }>; offerings: Array<{ price: number; quantity: number; is_enabled: boolean }> };
		const products: Product[] = (body.products as In[]).map((p) => ({
			// Etsy makes new products and offerings on every update: their ids change.
			product_id: store.id(), sku: p.sku ?? '', is_deleted: false,
			property_values: (p.property_values ?? []).map((v) => ({
				property_id: v.property_id, property_name: v.property_name ?? null, scale_id: v.scale_id ?? null, scale_name: null, value_ids: [...v.value_ids], values: [...v.values],
			})),
			offerings: p.offerings.map((x) => ({
				offering_id: store.id(), quantity: x.quantity, is_enabled: x.is_enabled, is_deleted: false,
				price: store.money(Math.round(x.price * store.divisor())),
			})),
		}));
		listing.inventory = {
			products,
			price_on_property: [...((body.price_on_property as number[] | undefined) ?? [])],
			quantity_on_property: [...((body.quantity_on_property as number[] | undefined) ?? [])],
			sku_on_property: [...((body.sku_on_property as number[] | undefined) ?? [])],
		};
		listing.updated_timestamp = store.nowSeconds();
		const quantity = store.quantity(listing.inventory);
		if (quantity === 0 && listing.state === 'active') listing.state = 'sold_out';
		else if (quantity > 0 && listing.state === 'sold_out') listing.state = 'active';
		store.version++;
		return { status: 200, body: inventoryAnswer(listing.inventory) };
	}

	function application(req: SimRequest): SimResponse {
		const found = spec.find(req.method, req.path);
		if (found === undefined) throw new EtsyError(404, `Resource not found: ${req.path}`);
		if (found === 'wrongMethod') throw new EtsyError(405, `Method ${req.method} is not allowed on ${req.path}`);
		const { operation } = found;
		checkKey(req);
		takeQuota();
		checkToken(req, operation);
		const params = spec.readParams(operation, found.params, req.query);
		const { body: raw, form } = bodyOf(req);
		if (form && !(operation.body?.contentTypes ?? []).includes('application/x-www-form-urlencoded')) throw new EtsyError(400, 'This endpoint takes a JSON body');
		const body = spec.readBody(operation, raw, form);
		switch (operation.operationId) {
			case 'ping':
				return { status: 200, body: { application_id: 1 } };
			case 'getMe':
				return { status: 200, body: { user_id: o.userId, shop_id: o.shopId } };
			case 'getShop':
				shopOf(params);
				return { status: 200, body: { shop_id: o.shopId, user_id: o.userId, shop_name: 'SimulatedShop', currency_code: o.currency, url: `https://www.etsy.com/shop/SimulatedShop` } };
			case 'getShopReceipts':
				return receipts(params);
			case 'getShopReceipt':
				shopOf(params);
				return { status: 200, body: receiptAnswer(store.receipt(params.receipt_id as number)) };
			case 'createReceiptShipment':
				return createShipment(params, body);
			case 'getListingsByShop':
				return listings(params);
			case 'getListingInventory':
				return { status: 200, body: inventoryAnswer(store.listing(params.listing_id as number).inventory) };
			case 'updateListingInventory':
				return putInventory(params, body);
			default:
				throw new EtsyError(501, `${operation.operationId} is not simulated`);
		}
	}

	function handle(req: SimRequest): SimResponse {
		try {
			if (req.path === '/v3/public/oauth/token' && req.method === 'POST') return tokenEndpoint(req);
			if (req.path === '/oauth/connect' && req.method === 'GET') return connect(req);
			if (!req.path.startsWith('/v3/application/')) throw new EtsyError(404, `Resource not found: ${req.path}`);
			const response = application(req);
			return { ...response, headers: { ...quotaHeaders(), ...(response.headers ?? {}) } };
		} catch (error) {
			if (!(error instanceof EtsyError)) throw error;
			const headers = req.path.startsWith('/v3/application/') ? { ...quotaHeaders(), ...error.headers } : error.headers;
			return { status: error.status, headers, body: error.body() };
		}
	}

	function inspect(req: SimRequest): SimResponse | undefined {
		const what = req.path.slice('/__sim/'.length).replace(/\/+$/, '');
		const body = (req.json && typeof req.json === 'object' ? req.json : {}) as Record<string, unknown>;
		if (what === 'state' && req.method === 'GET') return { status: 200, body: store.toJSON() };
		if (what === 'expire-tokens' && req.method === 'POST') {
			store.expireTokens();
			return { status: 200, body: { expired: store.tokens.size } };
		}
		if (what === 'quota' && req.method === 'POST') {
			if (typeof body.dailyLimit === 'number') limits.dailyLimit = body.dailyLimit;
			if (typeof body.used === 'number') store.dailyUsed = body.used;
			return { status: 200, body: { dailyLimit: limits.dailyLimit, used: store.dailyUsed } };
		}
		if (what === 'clock' && req.method === 'POST') return setClockRoute(store, body, options.now);
		return undefined;
	}

	const sim = await startSimulator(handle, {
		port: o.port,
		inspect,
		reset: () => {
			store.setClock(options.now);
			store.reset();
			limits.dailyLimit = o.dailyLimit;
			recent.length = 0;
		},
		label: (req) => spec.operations.find((op) => op.method === req.method && op.pattern.test(req.path))?.operationId ?? (req.path === '/v3/public/oauth/token' ? 'oauthToken' : undefined),
	});
	return Object.assign(sim, {
		store, baseUrl: sim.url, shopId: String(o.shopId), keystring: o.keystring, sharedSecret: o.sharedSecret, apiKey,
		issueToken: (scopes: string[] = ALL_SCOPES) => store.issueToken(scopes, limits.tokenLifetimeSeconds).access_token,
		expireTokens: () => store.expireTokens(),
		options: limits,
	});
}
