/**
 * The TikTok Shop simulator against TikTok's documented behaviour, over real HTTP: the signature and
 * its errors, the timestamp window, token expiry and refresh, the envelope, validation against the doc
 * records, order search paging, packages shipped once, inventory per warehouse, throttling.
 */
import { tiktokOrderToModel } from '../../../platforms/tiktok/orderMapping';
import type { TikTokOrder } from '../../../platforms/tiktok/orderMapping';
import { totalsMismatches } from '../../../core/order';
import { tiktokSign } from '../../../platforms/tiktok/sign';
import { startTikTokSimulator } from '.';
import type { TikTokSimulator } from '.';

interface Answer {
	status: number;
	body: { code: number; message: string; request_id: string; data: Record<string, unknown> | null };
}

async function call(sim: TikTokSimulator, method: 'GET' | 'POST', path: string, o: { query?: Record<string, string | number>; body?: unknown; token?: string; secret?: string; timestamp?: number; tamper?: boolean } = {}): Promise<Answer> {
	const query: Record<string, string> = { app_key: sim.appKey, timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)), shop_cipher: sim.shopCipher };
	for (const [k, v] of Object.entries(o.query ?? {})) query[k] = String(v);
	const body = o.body === undefined ? '' : JSON.stringify(o.body);
	query.sign = tiktokSign(o.secret ?? sim.appSecret, path, query, body);
	if (o.tamper) query.page_size = '99';
	const url = `${sim.url}${path}?${new URLSearchParams(query)}`;
	const res = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-tts-access-token': o.token ?? sim.issueToken() }, body: body || undefined });
	return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const SEARCH = '/order/202309/orders/search';

describe('TikTok Shop simulator', () => {
	let sim: TikTokSimulator;
	beforeAll(async () => {
		sim = await startTikTokSimulator({ orders: 150, products: 10, seed: 7, perSecond: 1000 });
	});
	afterAll(() => sim.close());
	beforeEach(() => fetch(`${sim.url}/__sim/reset`, { method: 'POST' }));

	it('answers a correctly signed request in the { code, message, request_id, data } envelope', async () => {
		const answer = await call(sim, 'POST', SEARCH, { query: { page_size: 10 }, body: {} });
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ code: 0, message: 'Success' });
		expect(answer.body.request_id).toMatch(/^\w+$/);
		expect((answer.body.data?.orders as unknown[]).length).toBe(10);
	});

	it('refuses a wrong signature (wrong secret, or a query changed after signing) with 106001', async () => {
		for (const bad of [{ secret: 'not-the-secret' }, { tamper: true }]) {
			const answer = await call(sim, 'POST', SEARCH, { query: { page_size: 10 }, body: {}, ...bad });
			expect(answer.status).toBe(401);
			expect(answer.body).toMatchObject({ code: 106001, message: "Invalid credentials. The 'sign' query parameter is invalid.", data: null });
		}
	});

	it('refuses a timestamp outside the window with 106002', async () => {
		const answer = await call(sim, 'POST', SEARCH, { query: { page_size: 10 }, body: {}, timestamp: Math.floor(Date.now() / 1000) - 3600 });
		expect(answer.body.code).toBe(106002);
	});

	it('refuses an unknown token with 105001 and an expired one with 105002; the refresh token renews it', async () => {
		expect((await call(sim, 'POST', SEARCH, { query: { page_size: 1 }, body: {}, token: 'TTP_unknown' })).body.code).toBe(105001);
		const tokens = sim.issueTokens();
		sim.expireTokens();
		const expired = await call(sim, 'POST', SEARCH, { query: { page_size: 1 }, body: {}, token: tokens.access_token });
		expect(expired).toMatchObject({ status: 401, body: { code: 105002, message: 'Expired credentials. The access token has expired.' } });
		const refreshed = (await (await fetch(`${sim.url}/api/v2/token/refresh?${new URLSearchParams({ app_key: sim.appKey, app_secret: sim.appSecret, refresh_token: tokens.refresh_token, grant_type: 'refresh_token' })}`)).json()) as Answer['body'];
		expect(refreshed.code).toBe(0);
		expect((await call(sim, 'POST', SEARCH, { query: { page_size: 1 }, body: {}, token: String(refreshed.data?.access_token) })).body.code).toBe(0);
		const refused = (await (await fetch(`${sim.url}/api/v2/token/refresh?${new URLSearchParams({ app_key: sim.appKey, app_secret: sim.appSecret, refresh_token: 'nope', grant_type: 'refresh_token' })}`)).json()) as Answer['body'];
		expect(refused.code).not.toBe(0);
	});

	it('validates against the doc records: page_size required and ≤ 100, undocumented body fields, detail ids ≤ 50', async () => {
		expect((await call(sim, 'POST', SEARCH, { body: {} })).body.message).toContain("'page_size' is required");
		expect((await call(sim, 'POST', SEARCH, { query: { page_size: 101 }, body: {} })).status).toBe(400);
		expect((await call(sim, 'POST', SEARCH, { query: { page_size: 5 }, body: { updated_after: 1 } })).body.message).toContain('not a documented field');
		expect((await call(sim, 'POST', SEARCH, { query: { page_size: 5 }, body: { update_time_ge: 'yesterday' } })).body.message).toContain('must be an int');
		const ids = sim.store.orders.slice(0, 51).map((o) => o.id).join(',');
		expect((await call(sim, 'GET', '/order/202507/orders', { query: { ids } })).body.message).toContain('at most 50');
		expect((await call(sim, 'GET', '/order/202507/orders', { query: { ids: sim.store.orders[0].id } })).body.code).toBe(0);
	});

	it('pages the search by opaque tokens, filtered and sorted by update time, with total_count', async () => {
		const from = sim.store.orders[40].update_time;
		const expected = sim.store.orders.filter((o) => o.update_time >= from).sort((a, b) => a.update_time - b.update_time || a.id.localeCompare(b.id)).map((o) => o.id);
		const ids: string[] = [];
		let token: string | undefined;
		do {
			const page = await call(sim, 'POST', SEARCH, { query: { page_size: 30, sort_field: 'update_time', sort_order: 'ASC', ...(token ? { page_token: token } : {}) }, body: { update_time_ge: from } });
			expect(page.body.data?.total_count).toBe(expected.length);
			ids.push(...(page.body.data?.orders as TikTokOrder[]).map((o) => o.id));
			token = String(page.body.data?.next_page_token ?? '') || undefined;
		} while (token);
		expect(ids).toEqual(expected);
	});

	it('seeds orders whose payment adds up: total_amount = sub_total + shipping_fee + tax, tax kept as TikTok\'s', async () => {
		const page = await call(sim, 'POST', SEARCH, { query: { page_size: 100 }, body: {} });
		for (const raw of page.body.data?.orders as TikTokOrder[]) {
			const order = tiktokOrderToModel(raw, sim.shopCipher);
			expect(totalsMismatches(order)).toEqual([]);
			expect(order.problems.filter((p) => /total|tax/.test(p))).toEqual([]);
		}
	});

	it('ships a package once: a second ship is refused, and the buyer is told once', async () => {
		const order = sim.store.orders.find((o) => o.status === 'AWAITING_SHIPMENT' && o.shipping_type === 'SELLER')!;
		const path = `/fulfillment/202309/packages/${order.packages[0].id}/ship`;
		const body = { self_shipment: { tracking_number: '1Z999AA10123456784', shipping_provider_id: '6617675021119438849' } };
		expect((await call(sim, 'POST', path, { body: { self_shipment: { tracking_number: 'X1' } } })).body.message).toContain("'self_shipment.shipping_provider_id' is required");
		expect((await call(sim, 'POST', path, { body })).body.code).toBe(0);
		expect((await call(sim, 'POST', path, { body })).body).toMatchObject({ code: 21011040, message: 'Package has already been shipped.' });
		expect(sim.store.buyerNotices.get(order.id)).toBe(1);
		expect(sim.store.order(order.id)!.line_items.every((l) => l.tracking_number === '1Z999AA10123456784')).toBe(true);
	});

	it('reads and updates inventory per warehouse; every warehouse of a SKU must be given', async () => {
		const multi = sim.store.products.find((p) => p.skus[0].stock.size > 1)!;
		const sku = multi.skus[0];
		const search = await call(sim, 'POST', '/product/202309/inventory/search', { body: { sku_ids: [sku.id] } });
		expect((search.body.data?.inventory as Array<{ skus: Array<{ warehouse_inventory: unknown[] }> }>)[0].skus[0].warehouse_inventory).toHaveLength(2);
		const path = `/product/202309/products/${multi.product_id}/inventory/update`;
		const [w1, w2] = [...sku.stock.keys()];
		expect((await call(sim, 'POST', path, { body: { skus: [{ id: sku.id, inventory: [{ warehouse_id: w1, quantity: 7 }] }] } })).body.code).toBe(12019028);
		expect((await call(sim, 'POST', path, { body: { skus: [{ id: sku.id, inventory: [{ warehouse_id: w1, quantity: 7 }, { warehouse_id: w2, quantity: 2 }] }] } })).body).toMatchObject({ code: 0, data: { errors: [] } });
		expect(sku.stock.get(w1)).toBe(7);
	});

	it('throttles past the per-second limit with HTTP 429 and code 36009004', async () => {
		sim.options.perSecond = 5;
		try {
			const answers = await Promise.all(Array.from({ length: 9 }, () => call(sim, 'POST', SEARCH, { query: { page_size: 1 }, body: {} })));
			const throttled = answers.filter((a) => a.status === 429);
			expect(throttled.length).toBe(4);
			expect(throttled[0].body.code).toBe(36009004);
		} finally {
			sim.options.perSecond = 1000;
		}
	});
});
