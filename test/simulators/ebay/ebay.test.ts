/**
 * The eBay simulator against eBay's documented behaviour (the Fulfillment and Inventory OAS3 specs and the
 * OAuth2 guide), over real HTTP: it must refuse what eBay refuses, page as eBay pages, expire tokens,
 * enforce daily quotas and the 250 revisions a day, and answer in eBay's error shape.
 */
import { startEbaySimulator } from '.';
import type { EbaySimulator } from '.';

const NOW = Date.parse('2026-03-01T00:00:00.000Z');

interface Answer {
	status: number;
	headers: Headers;
	body: Record<string, unknown> & { errors?: Array<{ errorId: number; domain: string; category: string; message: string }> };
}

async function call(sim: EbaySimulator, method: string, path: string, options: { token?: string | null; query?: Record<string, string | number>; body?: unknown } = {}): Promise<Answer> {
	const url = new URL(`${sim.url}${path}`);
	for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
	const headers: Record<string, string> = {};
	const token = options.token === undefined ? sim.issueToken() : options.token;
	if (token) headers.authorization = `Bearer ${token}`;
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), redirect: 'manual' });
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

const ORDERS = '/sell/fulfillment/v1/order';
const errorId = (a: Answer) => a.body.errors?.[0]?.errorId;

describe('eBay simulator', () => {
	let sim: EbaySimulator;
	let now = NOW;
	beforeAll(async () => {
		sim = await startEbaySimulator({ orders: 150, items: 60, seed: 3, now: () => now });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		now = NOW;
		await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
	});

	describe('OAuth2', () => {
		const basic = () => `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`;
		const token = (form: Record<string, string>, auth = basic()) =>
			fetch(`${sim.url}/identity/v1/oauth2/token`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() })
				.then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string | number> }));

		it('exchanges a consent code for tokens once, then refreshes, and the new token works', async () => {
			const consent = await fetch(`${sim.url}/oauth2/authorize?client_id=${sim.clientId}&redirect_uri=${encodeURIComponent('http://n8n.local/callback')}&response_type=code&state=s1`, { redirect: 'manual' });
			expect(consent.status).toBe(302);
			const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';
			const first = await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://n8n.local/callback' });
			expect(first.status).toBe(200);
			expect(first.body).toMatchObject({ expires_in: 7200, token_type: 'User Access Token' });
			expect((await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://n8n.local/callback' })).body.error).toBe('invalid_grant');
			const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) });
			expect(refreshed.status).toBe(200);
			expect((await call(sim, 'GET', ORDERS, { token: String(refreshed.body.access_token) })).status).toBe(200);
		});

		it('refuses wrong client credentials with invalid_client', async () => {
			const bad = await token({ grant_type: 'refresh_token', refresh_token: 'x' }, `Basic ${Buffer.from('a:b').toString('base64')}`);
			expect(bad).toEqual({ status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } });
		});

		it('answers an expired token with 401 errorId 1001 in eBay\'s error shape', async () => {
			const t = sim.issueToken();
			now += 7200 * 1000;
			const res = await call(sim, 'GET', ORDERS, { token: t });
			expect(res.status).toBe(401);
			expect(res.body.errors?.[0]).toMatchObject({ errorId: 1001, domain: 'OAuth', category: 'REQUEST', message: 'Invalid access token' });
			expect((await call(sim, 'GET', ORDERS, { token: null })).status).toBe(401);
		});

		it('refuses inventory calls to a token without the sell.inventory scope', async () => {
			const res = await call(sim, 'GET', '/sell/inventory/v1/inventory_item', { token: sim.issueToken(['https://api.ebay.com/oauth/api_scope/sell.fulfillment']) });
			expect(res.status).toBe(403);
			expect(errorId(res)).toBe(1100);
		});
	});

	describe('getOrders', () => {
		it('refuses a limit above 200, a bad offset, an unknown field group, filter or query parameter', async () => {
			expect(errorId(await call(sim, 'GET', ORDERS, { query: { limit: 201 } }))).toBe(31100);
			expect(errorId(await call(sim, 'GET', ORDERS, { query: { offset: -1 } }))).toBe(31000);
			expect(errorId(await call(sim, 'GET', ORDERS, { query: { fieldGroups: 'EVERYTHING' } }))).toBe(32800);
			expect(errorId(await call(sim, 'GET', ORDERS, { query: { filter: 'orderstatus:{PAID}' } }))).toBe(30700);
			expect(errorId(await call(sim, 'GET', ORDERS, { query: { filter: 'orderfulfillmentstatus:{FULFILLED}' } }))).toBe(30800);
			const unknown = await call(sim, 'GET', ORDERS, { query: { per_page: 10 } });
			expect(unknown.status).toBe(400);
			expect(unknown.body.errors?.[0]).toMatchObject({ domain: 'API_FULFILLMENT', category: 'REQUEST' });
		});

		it('refuses date ranges eBay refuses: future end, start after end, wider than two years, no start', async () => {
			const f = (filter: string) => call(sim, 'GET', ORDERS, { query: { filter } }).then(errorId);
			expect(await f('lastmodifieddate:[2026-02-01T00:00:00.000Z..2026-04-01T00:00:00.000Z]')).toBe(30850);
			expect(await f('lastmodifieddate:[2026-02-10T00:00:00.000Z..2026-02-01T00:00:00.000Z]')).toBe(30840);
			expect(await f('creationdate:[2023-01-01T00:00:00.000Z..]')).toBe(30830);
			expect(await f('creationdate:[..2026-02-01T00:00:00.000Z]')).toBe(30820);
			expect(await f('creationdate:[yesterday..]')).toBe(30810);
		});

		it('pages by offset, newest created first, with total, href and next, and every order once', async () => {
			const filter = 'creationdate:[2026-01-01T00:00:00.000Z..2026-02-28T00:00:00.000Z]';
			const seen: string[] = [];
			let path: string | undefined = `${ORDERS}?filter=${encodeURIComponent(filter)}&limit=40`;
			let first: Answer | undefined;
			while (path) {
				const page: Answer = await call(sim, 'GET', path.replace(sim.url, ''));
				first ??= page;
				seen.push(...(page.body.orders as Array<{ orderId: string }>).map((o) => o.orderId));
				path = page.body.next as string | undefined;
			}
			expect(first?.body).toMatchObject({ total: 150, limit: 40, offset: 0 });
			expect(String(first?.body.href)).toContain('offset=0');
			expect(new Set(seen).size).toBe(150);
			const created = sim.store.orders.map((o) => o).sort((a, b) => b.created - a.created).map((o) => o.orderId);
			expect(seen).toEqual(created);
		});

		it('filters lastmodifieddate inclusively at both ends, and ignores it when creationdate is given', async () => {
			const o = sim.store.orders[10];
			const at = new Date(o.modified).toISOString();
			const res = await call(sim, 'GET', ORDERS, { query: { filter: `lastmodifieddate:[${at}..${at}]`, limit: 200 } });
			expect((res.body.orders as Array<{ orderId: string }>).map((x) => x.orderId)).toContain(o.orderId);
			const both = await call(sim, 'GET', ORDERS, { query: { filter: `creationdate:[2026-01-01T00:00:00.000Z..],lastmodifieddate:[${at}..${at}]`, limit: 200 } });
			expect(both.body.total).toBe(150);
		});

		it('adds Collect and Remit tax into the totals only with fieldGroups=TAX_BREAKDOWN', async () => {
			const o = sim.store.orders.find((x) => x.lines.some((l) => l.remitTax.length > 0)) as (typeof sim.store.orders)[number];
			const plain = await call(sim, 'GET', `${ORDERS}/${o.orderId}`);
			const split = await call(sim, 'GET', `${ORDERS}/${o.orderId}`, { query: { fieldGroups: 'TAX_BREAKDOWN' } });
			const total = (a: Answer) => Number((a.body.pricingSummary as { total: { value: string } }).total.value);
			const remit = o.lines.reduce((s, l) => s + l.remitTax.reduce((t, x) => t + x.cents, 0), 0);
			expect(Math.round((total(split) - total(plain)) * 100)).toBe(remit);
			expect(split.body.ebayCollectAndRemitTax).toBe(true);
		});
	});

	describe('createShippingFulfillment', () => {
		const path = (id: string) => `${ORDERS}/${id}/shipping_fulfillment`;
		const open = () => sim.store.orders.find((o) => o.cancelState === 'NONE_REQUESTED' && o.lines.length > 1) as (typeof sim.store.orders)[number];

		it('refuses a body without lineItems, an unknown or duplicate line, too many units, a number without carrier', async () => {
			const o = open();
			const line = o.lines[0];
			expect(errorId(await call(sim, 'POST', path(o.orderId), { body: { trackingNumber: '1Z999', shippingCarrierCode: 'UPS' } }))).toBe(32600);
			expect(errorId(await call(sim, 'POST', path(o.orderId), { body: { lineItems: [{ lineItemId: '1', quantity: 1 }] } }))).toBe(32200);
			expect(errorId(await call(sim, 'POST', path(o.orderId), { body: { lineItems: [{ lineItemId: line.lineItemId, quantity: 1 }, { lineItemId: line.lineItemId, quantity: 1 }] } }))).toBe(32210);
			expect(errorId(await call(sim, 'POST', path(o.orderId), { body: { lineItems: [{ lineItemId: line.lineItemId, quantity: line.quantity + 1 }] } }))).toBe(32600);
			expect(errorId(await call(sim, 'POST', path(o.orderId), { body: { lineItems: [{ lineItemId: line.lineItemId, quantity: 1 }], trackingNumber: '1Z999' } }))).toBe(32300);
			expect(errorId(await call(sim, 'POST', path(o.orderId), { body: { lineItems: [{ lineItemId: line.lineItemId, quantity: 1 }], trackingNumber: '1Z 999', shippingCarrierCode: 'UPS' } }))).toBe(32300);
			expect(errorId(await call(sim, 'POST', path(o.orderId), { body: { lineItems: 'all' } }))).toBe(32600);
			expect(o.fulfillments).toEqual([]);
		});

		it('creates a package with 201 and a Location naming the tracking number, and the order shows it', async () => {
			const o = open();
			const res = await call(sim, 'POST', path(o.orderId), { body: { lineItems: [{ lineItemId: o.lines[0].lineItemId, quantity: o.lines[0].quantity }], shippingCarrierCode: 'USPS', trackingNumber: '9400100000000000000001', shippedDate: '2026-02-28T10:00:00.000Z' } });
			expect(res.status).toBe(201);
			expect(res.headers.get('location')).toBe(`${sim.url}${path(o.orderId)}/9400100000000000000001`);
			const list = await call(sim, 'GET', path(o.orderId));
			expect(list.body).toMatchObject({ total: 1, fulfillments: [{ fulfillmentId: '9400100000000000000001', shippingCarrierCode: 'USPS', shipmentTrackingNumber: '9400100000000000000001' }] });
			expect((await call(sim, 'GET', `${ORDERS}/${o.orderId}`)).body.orderFulfillmentStatus).toBe('IN_PROGRESS');
		});
	});

	describe('inventory', () => {
		const bulk = (requests: unknown[]) => call(sim, 'POST', '/sell/inventory/v1/bulk_update_price_quantity', { body: { requests } });

		it('pages inventory items with offset as the page number and refuses a limit above 200', async () => {
			const first = await call(sim, 'GET', '/sell/inventory/v1/inventory_item', { query: { limit: 25 } });
			expect(first.body).toMatchObject({ total: 60, size: 3, limit: 25 });
			expect(String(first.body.next)).toContain('offset=1');
			expect(errorId(await call(sim, 'GET', '/sell/inventory/v1/inventory_item', { query: { limit: 201 } }))).toBe(25706);
		});

		it('refuses more than 25 requests in one bulk call, and answers per SKU with 207 when some fail', async () => {
			const requests = sim.store.items.slice(0, 26).map((i) => ({ sku: i.sku, shipToLocationAvailability: { quantity: 1 } }));
			expect(errorId(await bulk(requests))).toBe(25709);
			const mixed = await bulk([{ sku: sim.store.items[0].sku, shipToLocationAvailability: { quantity: 7 } }, { sku: 'NOPE', shipToLocationAvailability: { quantity: 1 } }]);
			expect(mixed.status).toBe(207);
			expect(mixed.body.responses).toEqual([{ sku: sim.store.items[0].sku, statusCode: 200 }, expect.objectContaining({ sku: 'NOPE', statusCode: 404 })]);
			expect(sim.store.items[0].quantity).toBe(7);
		});

		it('refuses the 251st revision of a listing in one UTC day, and takes it the next day', async () => {
			const sku = sim.store.items[0].sku;
			for (let i = 0; i < 250; i++) sim.store.revisions.set(`2026-03-01|sku:${sku}`, i + 1);
			const refused = await bulk([{ sku, shipToLocationAvailability: { quantity: 3 } }]);
			expect(refused.body.responses).toEqual([expect.objectContaining({ statusCode: 400, errors: [expect.objectContaining({ errorId: 25002 })] })]);
			now += 86_400_000;
			expect((await bulk([{ sku, shipToLocationAvailability: { quantity: 3 } }])).status).toBe(200);
		});

		it('checks body types against the spec (quantity must be an integer)', async () => {
			const res = await bulk([{ sku: sim.store.items[0].sku, shipToLocationAvailability: { quantity: 'ten' } }]);
			expect(res.status).toBe(400);
			expect(errorId(res)).toBe(25709);
		});
	});

	it('answers 429 errorId 2001 once an API\'s daily quota is used, per API and per day', async () => {
		sim.setQuota('fulfillment', 2);
		try {
			expect((await call(sim, 'GET', ORDERS)).status).toBe(200);
			expect((await call(sim, 'GET', ORDERS)).status).toBe(200);
			const over = await call(sim, 'GET', ORDERS);
			expect(over.status).toBe(429);
			expect(over.body.errors?.[0]).toMatchObject({ errorId: 2001, domain: 'ACCESS' });
			expect((await call(sim, 'GET', '/sell/inventory/v1/inventory_item')).status).toBe(200);
			now += 86_400_000;
			expect((await call(sim, 'GET', ORDERS)).status).toBe(200);
		} finally {
			sim.setQuota('fulfillment', undefined);
		}
	});
});
