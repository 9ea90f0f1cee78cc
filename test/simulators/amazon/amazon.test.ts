/**
 * The Amazon simulator holds to SP-API as the specs and docs describe it: LWA tokens that expire, 403 for an
 * expired token, searchOrders' parameter rules and enums from the 2026-01-01 spec, pagination tokens bound
 * to their query, includedData shaping the answer, confirmShipment's body per the v0 spec, Listings Items'
 * JSON Patch, token buckets answering 429 with x-amzn-RateLimit-Limit, and the error shape.
 */
import { startAmazonSimulator } from './index';
import type { AmazonSimulator } from './index';

jest.setTimeout(30_000);

describe('Amazon SP-API simulator', () => {
	let sim: AmazonSimulator;
	let token: string;
	const get = (path: string, headers: Record<string, string> = { 'x-amz-access-token': token }) => fetch(`${sim.url}${path}`, { headers });
	const send = (method: string, path: string, body: unknown) => fetch(`${sim.url}${path}`, { method, headers: { 'x-amz-access-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const window = 'lastUpdatedAfter=2026-09-01T00:00:00Z&lastUpdatedBefore=2026-11-01T00:00:00Z';

	beforeAll(async () => {
		sim = await startAmazonSimulator({ orders: 60, listings: 30, seed: 5, plans: { searchOrders: { rate: 1000, burst: 1000 }, getOrder: { rate: 1000, burst: 1000 } } });
	});
	beforeEach(async () => {
		await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
		token = sim.issueToken();
	});
	afterAll(() => sim.close());

	it('trades a refresh token for an access token at /auth/o2/token, and refuses a revoked one', async () => {
		const refresh = sim.issueRefreshToken();
		const form = (t: string, secret = sim.clientSecret) => new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t, client_id: sim.clientId, client_secret: secret }).toString();
		const ok = await fetch(`${sim.url}/auth/o2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(refresh) });
		const body = await ok.json() as { access_token: string; expires_in: number; token_type: string };
		expect(ok.status).toBe(200);
		expect(body.token_type).toBe('bearer');
		expect(body.expires_in).toBe(3600);
		expect((await get('/orders/2026-01-01/orders/nope', { 'x-amz-access-token': body.access_token })).status).toBe(404);
		expect((await fetch(`${sim.url}/auth/o2/token`, { method: 'POST', body: form(refresh, 'wrong') })).status).toBe(401);
		sim.store.refreshTokens.delete(refresh);
		const revoked = await fetch(`${sim.url}/auth/o2/token`, { method: 'POST', body: form(refresh) });
		expect(revoked.status).toBe(400);
		expect(await revoked.json()).toMatchObject({ error: 'invalid_grant' });
	});

	it('answers an expired access token with 403 Unauthorized, as SP-API does', async () => {
		sim.expireTokens();
		const response = await get(`/orders/2026-01-01/orders?${window}`);
		expect(response.status).toBe(403);
		expect(await response.json()).toEqual({ errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided has expired.' }] });
	});

	it('checks searchOrders parameters against the 2026-01-01 spec: names, enums, exactly one start, the two-minute rule', async () => {
		const status = async (qs: string) => (await get(`/orders/2026-01-01/orders?${qs}`)).status;
		expect(await status(window)).toBe(200);
		expect(await status(`${window}&fulfillmentStatuses=SHIPPED,CANCELLED`)).toBe(200);
		expect(await status(`${window}&fulfillmentStatuses=Shipped`)).toBe(400);
		expect(await status(`${window}&includedData=BUYER,NOPE`)).toBe(400);
		expect(await status(`${window}&orderStatus=Shipped`)).toBe(400);
		expect(await status('createdAfter=2026-09-01T00:00:00Z&lastUpdatedAfter=2026-09-01T00:00:00Z')).toBe(400);
		expect(await status('createdAfter=2026-09-01T00:00:00Z&lastUpdatedBefore=2026-10-01T00:00:00Z')).toBe(400);
		expect(await status(`lastUpdatedAfter=2026-09-01T00:00:00Z&lastUpdatedBefore=${new Date(Date.now() - 30_000).toISOString()}`)).toBe(400);
		expect(await status(`${window}&maxResultsPerPage=101`)).toBe(400);
		expect(await status('lastUpdatedAfter=yesterday')).toBe(400);
	});

	it('pages with tokens bound to their query, and shapes orders by includedData', async () => {
		const ids: string[] = [];
		let next: string | undefined;
		do {
			const response = await get(`/orders/2026-01-01/orders?${window}&maxResultsPerPage=25&includedData=PROCEEDS,FULFILLMENT${next ? `&paginationToken=${next}` : ''}`);
			const page = await response.json() as { orders: Array<Record<string, unknown>>; pagination?: { nextToken?: string } };
			expect(response.headers.get('x-amzn-ratelimit-limit')).toBe('1000');
			ids.push(...page.orders.map((o) => String(o.orderId)));
			expect(page.orders.every((o) => o.proceeds && o.fulfillment && !o.buyer && !o.recipient)).toBe(true);
			next = page.pagination?.nextToken;
			if (next) expect((await get(`/orders/2026-01-01/orders?${window}&paginationToken=${next}`)).status).toBe(400);
		} while (next);
		expect(ids.sort()).toEqual(sim.store.orders.map((o) => o.orderId).sort());
	});

	it('confirms a shipment once per package per the v0 spec, and refuses more than is unshipped', async () => {
		const order = sim.addOrder({ status: 'UNSHIPPED', fulfilledBy: 'MERCHANT' });
		const items = order.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity }));
		const detail = { packageReferenceId: '1', carrierCode: 'UPS', trackingNumber: '1Z999', shipDate: new Date(Date.now() - 60_000).toISOString(), orderItems: items };
		const path = `/orders/v0/orders/${order.orderId}/shipmentConfirmation`;
		expect((await send('POST', path, { marketplaceId: sim.marketplaceId })).status).toBe(400);
		expect((await send('POST', path, { marketplaceId: sim.marketplaceId, packageDetail: { ...detail, carrierCode: 'Other' } })).status).toBe(400);
		expect((await send('POST', path, { marketplaceId: sim.marketplaceId, packageDetail: { ...detail, orderItems: [{ orderItemId: items[0].orderItemId, quantity: '1' }] } })).status).toBe(400);
		expect((await send('POST', path, { marketplaceId: sim.marketplaceId, packageDetail: detail })).status).toBe(204);
		expect((await send('POST', path, { marketplaceId: sim.marketplaceId, packageDetail: { ...detail, packageReferenceId: '2' } })).status).toBe(400);
		const read = await (await get(`/orders/2026-01-01/orders/${order.orderId}?includedData=PACKAGES,FULFILLMENT`)).json() as { order: { packages: Array<{ trackingNumber: string }>; fulfillment: { fulfillmentStatus: string } } };
		expect(read.order.packages.map((p) => p.trackingNumber)).toEqual(['1Z999']);
		expect(read.order.fulfillment.fulfillmentStatus).toBe('SHIPPED');
		expect(sim.store.buyerNotices.get(order.orderId)).toBe(1);
	});

	it('searches listings by SKU and patches fulfillment_availability with a validated JSON Patch', async () => {
		const fbm = sim.store.listings.find((l) => l.channel === 'DEFAULT')!;
		const fba = sim.store.listings.find((l) => l.channel !== 'DEFAULT')!;
		const base = `/listings/2021-08-01/items/${sim.sellerId}`;
		const found = await (await get(`${base}?marketplaceIds=${sim.marketplaceId}&identifiersType=SKU&identifiers=${fbm.sku},${fba.sku}&includedData=summaries,fulfillmentAvailability`)).json() as { items: Array<{ sku: string; fulfillmentAvailability: unknown[] }> };
		expect(found.items.map((i) => i.sku).sort()).toEqual([fbm.sku, fba.sku].sort());
		expect((await get(`${base}?marketplaceIds=${sim.marketplaceId}&identifiers=${fbm.sku}`)).status).toBe(400);
		expect((await get(`${base}?marketplaceIds=${sim.marketplaceId}&pageSize=21`)).status).toBe(400);
		const patch = (sku: string, value: unknown, op = 'merge', productType = sim.store.listing(sku)!.productType) =>
			send('PATCH', `${base}/${sku}?marketplaceIds=${sim.marketplaceId}`, { productType, patches: [{ op, path: '/attributes/fulfillment_availability', value }] });
		expect((await patch(fbm.sku, [{ fulfillment_channel_code: 'DEFAULT', quantity: -1 }])).status).toBe(400);
		expect((await patch(fbm.sku, [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }], 'move')).status).toBe(400);
		expect((await patch(fbm.sku, { quantity: 3 })).status).toBe(400);
		const accepted = await (await patch(fbm.sku, [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }])).json() as { status: string };
		expect(accepted.status).toBe('ACCEPTED');
		expect(sim.store.listing(fbm.sku)!.quantity).toBe(7);
		expect(sim.store.listing(fbm.sku)!.leadTimeDays).toBe(2);
		const refused = await (await patch(fba.sku, [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }])).json() as { status: string; issues: unknown[] };
		expect(refused.status).toBe('INVALID');
		expect(refused.issues.length).toBeGreaterThan(0);
	});

	it('keeps a token bucket per operation: 429 QuotaExceeded with x-amzn-RateLimit-Limit once the burst is spent', async () => {
		sim.setPlan('getOrder', { rate: 0.5, burst: 3 });
		const id = sim.store.orders[0].orderId;
		const statuses: number[] = [];
		let limited: Response | undefined;
		for (let i = 0; i < 4; i++) {
			const response = await get(`/orders/2026-01-01/orders/${id}`);
			statuses.push(response.status);
			if (response.status === 429) limited = response;
		}
		expect(statuses).toEqual([200, 200, 200, 429]);
		expect(limited!.headers.get('x-amzn-ratelimit-limit')).toBe('0.5');
		expect(await limited!.json()).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] });
		// Another operation has its own bucket.
		expect((await get(`/orders/2026-01-01/orders?${window}`)).status).toBe(200);
		sim.setPlan('getOrder', { rate: 1000, burst: 1000 });
	});

	it('injects faults: a lost answer applies the confirmation and closes the connection', async () => {
		const order = sim.addOrder({ status: 'UNSHIPPED', fulfilledBy: 'MERCHANT' });
		sim.faults.add({ kind: 'lostAnswer', match: 'confirmShipment', times: 1 });
		const detail = { packageReferenceId: '1', carrierCode: 'UPS', trackingNumber: '1Z1', shipDate: new Date(Date.now() - 60_000).toISOString(), orderItems: order.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })) };
		await expect(send('POST', `/orders/v0/orders/${order.orderId}/shipmentConfirmation`, { marketplaceId: sim.marketplaceId, packageDetail: detail })).rejects.toThrow();
		expect(sim.store.order(order.orderId)!.packages).toHaveLength(1);
		const state = await (await fetch(`${sim.url}/__sim/state`)).json() as { packages: Record<string, unknown[]> };
		expect(state.packages[order.orderId]).toHaveLength(1);
	});
});
