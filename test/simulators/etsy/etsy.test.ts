/**
 * The Etsy simulator against Etsy's documented behaviour, over real HTTP: OAuth 2.0 with PKCE and
 * expiring tokens, the x-api-key check, validation against the OpenAPI document, receipts paging,
 * createReceiptShipment's buyer emails, inventory PUT replacing every product, and the rate limits.
 */
import { createHash, randomBytes } from 'node:crypto';
import { etsyReceiptToModel } from '../../../platforms/etsy/orderMapping';
import type { EtsyReceipt } from '../../../platforms/etsy/orderMapping';
import { totalsMismatches } from '../../../core/order';
import { startEtsySimulator } from '.';
import type { EtsySimulator } from '.';

interface Answer {
	status: number;
	headers: Headers;
	body: Record<string, unknown>;
}

async function call(sim: EtsySimulator, method: string, path: string, options: { query?: Record<string, string | number>; body?: unknown; form?: Record<string, string>; token?: string | null; key?: string | null } = {}): Promise<Answer> {
	const url = new URL(`${sim.url}${path}`);
	for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
	const headers: Record<string, string> = {};
	if (options.key !== null) headers['x-api-key'] = options.key ?? sim.apiKey;
	if (options.token !== null) headers.authorization = `Bearer ${options.token ?? sim.issueToken()}`;
	let body: string | undefined;
	if (options.form) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(options.form).toString();
	} else if (options.body !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(options.body);
	}
	const res = await fetch(url, { method, headers, body, redirect: 'manual' });
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('Etsy simulator', () => {
	let sim: EtsySimulator;
	const receipts = () => `/v3/application/shops/${sim.shopId}/receipts`;
	beforeAll(async () => {
		sim = await startEtsySimulator({ receipts: 150, listings: 9, seed: 11, perSecond: 1000 });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
	});

	describe('OAuth 2.0 with PKCE', () => {
		const verifier = randomBytes(32).toString('base64url');
		const challenge = createHash('sha256').update(verifier).digest('base64url');
		const redirect = 'http://localhost:5678/rest/oauth2-credential/callback';

		async function authorize(): Promise<string> {
			const res = await fetch(`${sim.url}/oauth/connect?${new URLSearchParams({ response_type: 'code', client_id: sim.keystring, redirect_uri: redirect, scope: 'transactions_r listings_r', state: 'xyz', code_challenge: challenge, code_challenge_method: 'S256' })}`, { redirect: 'manual' });
			expect(res.status).toBe(302);
			const location = new URL(res.headers.get('location') ?? '');
			expect(location.searchParams.get('state')).toBe('xyz');
			return location.searchParams.get('code') ?? '';
		}

		const token = (form: Record<string, string>) => fetch(`${sim.url}/v3/public/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

		it('exchanges a code with its code_verifier for an expiring token, and refreshes it', async () => {
			const code = await authorize();
			const res = await token({ grant_type: 'authorization_code', client_id: sim.keystring, redirect_uri: redirect, code, code_verifier: verifier });
			const granted = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number; token_type: string };
			expect(granted).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
			expect(granted.access_token.startsWith(`${87_654_321}.`)).toBe(true);
			expect((await call(sim, 'GET', receipts(), { token: granted.access_token })).status).toBe(200);
			const refreshed = (await (await token({ grant_type: 'refresh_token', client_id: sim.keystring, refresh_token: granted.refresh_token })).json()) as { access_token: string };
			expect((await call(sim, 'GET', receipts(), { token: refreshed.access_token })).status).toBe(200);
		});

		it('refuses a wrong code_verifier and a code used twice', async () => {
			const code = await authorize();
			expect((await token({ grant_type: 'authorization_code', client_id: sim.keystring, redirect_uri: redirect, code, code_verifier: 'wrong' })).status).toBe(400);
			expect((await token({ grant_type: 'authorization_code', client_id: sim.keystring, redirect_uri: redirect, code, code_verifier: verifier })).status).toBe(400);
		});

		it('answers 401 invalid_token once a token has expired, and 403 for a missing scope', async () => {
			const access = sim.issueToken();
			await fetch(`${sim.url}/__sim/expire-tokens`, { method: 'POST' });
			const expired = await call(sim, 'GET', receipts(), { token: access });
			expect(expired.status).toBe(401);
			expect(expired.body).toEqual({ error: 'invalid_token', error_description: 'access token is expired' });
			expect((await call(sim, 'GET', receipts(), { token: sim.issueToken(['listings_r']) })).status).toBe(403);
		});
	});

	describe('x-api-key and validation against the spec', () => {
		it('answers 403 without an API key, or with the keystring but not the shared secret', async () => {
			expect((await call(sim, 'GET', receipts(), { key: null })).status).toBe(403);
			const half = await call(sim, 'GET', receipts(), { key: sim.keystring });
			expect(half.status).toBe(403);
			expect(String(half.body.error)).toContain('keystring:shared_secret');
		});

		it('refuses limit above 100, unknown and ill-typed parameters with Etsy\'s { error } shape', async () => {
			expect(await call(sim, 'GET', receipts(), { query: { limit: 101 } })).toMatchObject({ status: 400, body: { error: "'limit' must be less than or equal to 100" } });
			expect((await call(sim, 'GET', receipts(), { query: { per_page: 10 } })).status).toBe(400);
			expect((await call(sim, 'GET', receipts(), { query: { min_last_modified: 'yesterday' } })).status).toBe(400);
			expect((await call(sim, 'GET', receipts(), { query: { sort_on: 'price' } })).status).toBe(400);
			expect((await call(sim, 'GET', receipts(), { query: { was_paid: 'yes' } })).status).toBe(400);
		});

		it('pages receipts with count and results, filtered by last-modified time, sorted as asked', async () => {
			const all = sim.store.receipts;
			const mid = all[50].updated_timestamp;
			const page = await call(sim, 'GET', receipts(), { query: { min_last_modified: mid, sort_on: 'created', sort_order: 'asc', limit: 100, offset: 10 } });
			const expected = all.filter((r) => r.updated_timestamp >= mid).sort((a, b) => a.created_timestamp - b.created_timestamp || a.receipt_id - b.receipt_id);
			expect(page.body.count).toBe(expected.length);
			expect((page.body.results as EtsyReceipt[]).map((r) => r.receipt_id)).toEqual(expected.slice(10, 110).map((r) => r.receipt_id));
		});

		it('seeds receipts whose totals reconcile: grandtotal = items − discount + shipping + sales tax + VAT + gift wrap', async () => {
			const page = await call(sim, 'GET', receipts(), { query: { limit: 100 } });
			for (const raw of page.body.results as EtsyReceipt[]) {
				const order = etsyReceiptToModel(raw, sim.shopId);
				expect(totalsMismatches(order)).toEqual([]);
				expect(order.problems.filter((p) => p.includes('total'))).toEqual([]);
			}
			expect(sim.store.receipts.some((r) => r.total_vat_cost.amount > 0) && sim.store.receipts.some((r) => r.total_tax_cost.amount > 0)).toBe(true);
		});
	});

	describe('createReceiptShipment', () => {
		it('records the shipment, marks the receipt shipped and counts one buyer email per call (form or JSON body)', async () => {
			const receipt = sim.store.receipts.find((r) => r.status === 'paid') as { receipt_id: number };
			const path = `${receipts()}/${receipt.receipt_id}/tracking`;
			const first = await call(sim, 'POST', path, { form: { tracking_code: '9400100000000000000001', carrier_name: 'usps', send_bcc: 'false' } });
			expect(first.status).toBe(200);
			expect(first.body).toMatchObject({ is_shipped: true, status: 'completed' });
			expect((first.body.shipments as Array<{ tracking_code: string }>).map((s) => s.tracking_code)).toEqual(['9400100000000000000001']);
			await call(sim, 'POST', path, { body: { tracking_code: '9400100000000000000002', carrier_name: 'usps' } });
			expect(sim.store.buyerEmails.get(receipt.receipt_id)).toBe(2);
		});

		it('refuses tracking on a canceled receipt with 409, and a bool that is not one with 400', async () => {
			const canceled = sim.store.receipts.find((r) => r.status === 'canceled') as { receipt_id: number };
			expect((await call(sim, 'POST', `${receipts()}/${canceled.receipt_id}/tracking`, { body: { tracking_code: 'X1', carrier_name: 'ups' } })).status).toBe(409);
			const paid = sim.store.receipts.find((r) => r.status === 'paid') as { receipt_id: number };
			expect((await call(sim, 'POST', `${receipts()}/${paid.receipt_id}/tracking`, { form: { tracking_code: 'X1', carrier_name: 'ups', send_bcc: 'maybe' } })).status).toBe(400);
		});
	});

	describe('listing inventory', () => {
		/** A property value as the PUT takes it: the read-only scale_name is not a field of the request. */
		const writable = (v: unknown) => {
			const { scale_name: _drop, ...rest } = v as Record<string, unknown>;
			return rest;
		};
		const listingWith = (n: number) => [...sim.store.listings.values()].find((l) => l.inventory.products.length === n) as { listing_id: number };

		it('replaces every product on PUT: a product left out disappears, and products get new ids', async () => {
			const listing = listingWith(3);
			const path = `/v3/application/listings/${listing.listing_id}/inventory`;
			const before = (await call(sim, 'GET', path)).body as { products: Array<{ product_id: number; sku: string; property_values: unknown[]; offerings: Array<{ price: { amount: number; divisor: number }; quantity: number; is_enabled: boolean }> }>; quantity_on_property: number[]; sku_on_property: number[] };
			const keep = before.products.slice(0, 2).map((p) => ({
				sku: p.sku, property_values: p.property_values.map(writable),
				offerings: p.offerings.map((o) => ({ price: o.price.amount / o.price.divisor, quantity: o.quantity, is_enabled: o.is_enabled })),
			}));
			const put = await call(sim, 'PUT', path, { body: { products: keep, quantity_on_property: before.quantity_on_property, sku_on_property: before.sku_on_property } });
			expect(put.status).toBe(200);
			const after = (put.body.products as Array<{ product_id: number; sku: string }>);
			expect(after.map((p) => p.sku)).toEqual(before.products.slice(0, 2).map((p) => p.sku));
			expect(after.some((p) => before.products.some((b) => b.product_id === p.product_id))).toBe(false);
		});

		it('validates the PUT as Etsy does: required fields, offering price and quantity ranges, shared quantities', async () => {
			const single = `/v3/application/listings/${listingWith(1).listing_id}/inventory`;
			const offering = { price: 12.5, quantity: 3, is_enabled: true };
			expect((await call(sim, 'PUT', single, { body: {} })).body).toEqual({ error: "Missing required field 'products'" });
			expect((await call(sim, 'PUT', single, { body: { products: [{ sku: 'A', offerings: [{ price: 12.5, quantity: 3 }] }] } })).status).toBe(400);
			expect((await call(sim, 'PUT', single, { body: { products: [{ sku: 'A', offerings: [{ ...offering, price: 0.1 }] }] } })).status).toBe(400);
			expect((await call(sim, 'PUT', single, { body: { products: [{ sku: 'A', offerings: [{ ...offering, quantity: 1000 }] }] } })).status).toBe(400);
			expect((await call(sim, 'PUT', single, { body: { products: [{ sku: 'A', product_id: 5, offerings: [offering] }] } })).status).toBe(400);
			const shared = [...sim.store.listings.values()].find((l) => l.inventory.products.length === 6) as { listing_id: number; inventory: { products: Array<{ sku: string; property_values: unknown[] }>; price_on_property: number[]; sku_on_property: number[] } };
			const products = shared.inventory.products.map((p, i) => ({ sku: p.sku, property_values: p.property_values.map(writable), offerings: [{ ...offering, quantity: i }] }));
			const refused = await call(sim, 'PUT', `/v3/application/listings/${shared.listing_id}/inventory`, { body: { products, price_on_property: [], sku_on_property: shared.inventory.sku_on_property } });
			expect(refused.body).toEqual({ error: 'Quantities must be the same for every product when quantity_on_property is empty' });
			expect((await call(sim, 'PUT', single, { body: { products: [{ sku: 'A', offerings: [offering] }] } })).status).toBe(200);
		});

		it('returns listings with their inventory when asked with includes=Inventory', async () => {
			const page = await call(sim, 'GET', `/v3/application/shops/${sim.shopId}/listings`, { query: { state: 'active', includes: 'Inventory', limit: 100 } });
			const results = page.body.results as Array<{ state: string; inventory?: { products: unknown[] } }>;
			expect(results.length).toBe(page.body.count);
			expect(results.every((l) => l.state === 'active' && Array.isArray(l.inventory?.products))).toBe(true);
			expect((await call(sim, 'GET', `/v3/application/shops/${sim.shopId}/listings`, { query: { includes: 'Everything' } })).status).toBe(400);
		});
	});

	describe('rate limits', () => {
		it('sends the x-remaining headers and answers 429 with retry-after past 10 requests in a second', async () => {
			sim.options.perSecond = 10;
			try {
				const answers = await Promise.all(Array.from({ length: 15 }, () => call(sim, 'GET', `/v3/application/shops/${sim.shopId}`, { token: null })));
				const limited = answers.filter((a) => a.status === 429);
				expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
				expect(limited).toHaveLength(5);
				expect(limited[0].headers.get('retry-after')).toBe('1');
				expect(answers[0].headers.get('x-limit-per-second')).toBe('10');
				expect(answers.every((a) => a.headers.get('x-remaining-today') !== null)).toBe(true);
			} finally {
				sim.options.perSecond = 1000;
			}
		});

		it('answers 429 with x-remaining-today 0 once the daily quota is spent', async () => {
			await fetch(`${sim.url}/__sim/quota`, { method: 'POST', body: JSON.stringify({ used: sim.options.dailyLimit - 1 }) });
			const last = await call(sim, 'GET', receipts());
			expect(last.status).toBe(200);
			expect(last.headers.get('x-remaining-today')).toBe('0');
			const over = await call(sim, 'GET', receipts());
			expect(over.status).toBe(429);
			expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
			expect(over.body.error).toContain('quota');
		});
	});
});
