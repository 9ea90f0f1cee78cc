/**
 * The Amazon client, channel, inventory and tracking against the Amazon simulator, on a clock the test
 * moves: paging while orders change loses nothing, per-operation rate limits are kept (and a 429 waited
 * out), only changed quantities are patched and FBA SKUs are refused with the reason, a shipment is never
 * confirmed twice after a lost answer, and an expired or revoked credential is named. Also the n8n
 * transport's preAuthentication refresh (glue/http.ts) over a stand-in for n8n's request helper.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { AmazonChannel } from '../../platforms/amazon/channel';
import { AMAZON_CREDENTIAL_NAME, AmazonClient, amazonTokenRefused, isExpiredTokenAnswer } from '../../platforms/amazon/client';
import { AmazonChannelInventory } from '../../platforms/amazon/inventory';
import { AmazonTrackingStore } from '../../platforms/amazon/tracking';
import { PlatformError } from '../../platforms/errors';
import type { TrackingAction } from '../../core/tracking';
import { n8nTransport } from '../../glue/http';
import { startAmazonSimulator } from '../simulators/amazon';
import type { AmazonSimulator } from '../simulators/amazon';
import { fetchTransport } from '../support/fetchTransport';

jest.setTimeout(60_000);

/** A clock the simulator and the client share: sleeping moves it, nothing waits for real. */
function fakeClock(start: string) {
	const clock = { t: Date.parse(start), slept: 0, now: () => clock.t, sleep: async (ms: number) => { clock.slept += ms; clock.t += ms; } };
	return clock;
}

const FAST = { searchOrders: { rate: 1000, burst: 1000 }, getOrder: { rate: 1000, burst: 1000 } };

describe('Amazon channel, inventory and tracking against the simulator', () => {
	let sim: AmazonSimulator;
	const clock = fakeClock('2026-11-01T00:00:00.000Z');
	const connection = () => ({ region: 'custom', baseUrl: sim.url, marketplaceIds: sim.marketplaceId, sellerId: sim.sellerId });
	const transport = () => fetchTransport({ headers: { 'x-amz-access-token': sim.issueToken() } });
	const ids = async (channel: AmazonChannel, since: string, until?: string) => {
		const out: Array<{ id: string; updatedAt: string }> = [];
		for await (const page of channel.readOrders({ since, until, by: 'updated' })) out.push(...page.map((o) => ({ id: o.order.channelOrderId, updatedAt: o.order.updatedAt })));
		return out;
	};

	beforeAll(async () => {
		sim = await startAmazonSimulator({ orders: 120, listings: 30, seed: 9, start: '2026-10-01T00:00:00.000Z', spacingMs: 3 * 3_600_000, now: () => clock.now(), plans: FAST });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
		sim.setPlan('searchOrders', FAST.searchOrders);
		sim.setPlan('getOrder', FAST.getOrder);
	});

	it('loses no order when orders change while the pages are read: they leave this window and the next one reads them', async () => {
		const t = transport();
		const channel = new AmazonChannel(t, clock, connection(), { pageSize: 10, plans: FAST });
		const all = sim.store.orders.map((o) => o.orderId).sort();
		// While page 3 is asked for: two orders already read and two not read yet change (a buyer message, a shipment).
		const sorted = [...sim.store.orders].sort((a, b) => a.updated - b.updated || a.orderId.localeCompare(b.orderId));
		const changed = [sorted[3].orderId, sorted[12].orderId, sorted[60].orderId, sorted[100].orderId];
		t.beforeSend = (request, index) => {
			if (index === 2) for (const id of changed) sim.modifyOrder(id);
		};
		const first = await ids(channel, '2026-09-01T00:00:00Z');
		expect(t.sent.length).toBeGreaterThan(5);
		expect(new Set(first.map((o) => o.id)).size).toBe(first.length);
		// The unread changed orders left the window (updated after its fixed end); nothing else is missing.
		const missing = all.filter((id) => !first.some((o) => o.id === id));
		expect(missing.every((id) => changed.includes(id))).toBe(true);
		// The next read, from the first one's end minus the trigger's overlap, brings every changed order in its new version.
		clock.t += 5 * 60_000;
		const end = Date.parse(t.sent[0].qs?.lastUpdatedBefore as string);
		const second = await ids(channel, new Date(end - 10 * 60_000).toISOString());
		for (const id of changed) expect(second.find((o) => o.id === id)?.updatedAt).toBe(new Date(sim.store.order(id)!.updated).toISOString());
		expect([...new Set([...first, ...second].map((o) => o.id))].sort()).toEqual(all);
		// Every page repeated the query and sent Amazon's token.
		expect(t.sent.slice(1, 3).every((r) => r.qs?.paginationToken && r.qs?.lastUpdatedBefore === t.sent[0].qs?.lastUpdatedBefore)).toBe(true);
	});

	it('paces searchOrders to its usage plan, so no request meets a 429, and waits out a 429 from elsewhere', async () => {
		sim.setPlan('searchOrders', { rate: 0.5, burst: 3 });
		const plan = { searchOrders: { rate: 0.5, burst: 3 } };
		const before = clock.slept;
		const channel = new AmazonChannel(transport(), clock, connection(), { pageSize: 20, plans: plan });
		const from = sim.log.length;
		expect((await ids(channel, '2026-09-01T00:00:00Z')).length).toBe(120);
		const calls = sim.log.slice(from).filter((e) => e.label === 'searchOrders');
		expect(calls.map((e) => `${e.status}`)).toEqual(['200', '200', '200', '200', '200', '200']);
		// Three from the burst, then one every two seconds.
		expect(clock.slept - before).toBeGreaterThanOrEqual(5_900);
		// Another app spent the bucket: Amazon answers 429 and the client waits and goes on.
		sim.setPlan('searchOrders', FAST.searchOrders);
		sim.faults.add({ kind: 'status429', match: 'searchOrders', times: 1 });
		const again = sim.log.length;
		expect((await ids(new AmazonChannel(transport(), clock, connection(), { pageSize: 100, plans: FAST }), '2026-09-01T00:00:00Z')).length).toBe(120);
		expect(sim.log.slice(again).map((e) => e.status)).toEqual([429, 200, 200]);
	});

	it('learns a higher rate from x-amzn-RateLimit-Limit and paces each operation on its own bucket', async () => {
		sim.setPlan('getOrder', { rate: 4, burst: 1 });
		const client = new AmazonClient(transport(), clock, sim.url, { plans: { getOrder: { rate: 0.5, burst: 1 } } });
		const before = clock.slept;
		const id = sim.store.orders[0].orderId;
		for (let i = 0; i < 5; i++) await client.request('getOrder', 'GET', `/orders/2026-01-01/orders/${id}`);
		// The documented 0.5/s would wait 8 s; Amazon's header says 4/s for this seller.
		expect(clock.slept - before).toBeLessThanOrEqual(1_100);
		expect(sim.log.filter((e) => e.label === 'getOrder').every((e) => e.status === 200)).toBe(true);
		expect(client.limiter.tokens('searchOrders')).toBe(20);
	});

	it('patches only the quantities that changed, with a merge of fulfillment_availability, and refuses FBA SKUs with the reason', async () => {
		const inventory = new AmazonChannelInventory(transport(), clock, connection());
		const fbm = sim.store.listings.filter((l) => l.channel === 'DEFAULT').slice(0, 3);
		const fba = sim.store.listings.find((l) => l.channel !== 'DEFAULT')!;
		const [q0, q1] = [fbm[0].quantity, fbm[1].quantity];
		const listings: Array<Awaited<ReturnType<AmazonChannelInventory['refresh']>>[number]> = [];
		for await (const page of inventory.listings({ skus: [...fbm.map((l) => l.sku), fba.sku] })) listings.push(...page);
		expect(listings.map((l) => l.sku).sort()).toEqual([...fbm.map((l) => l.sku), fba.sku].sort());
		const by = (sku: string) => listings.find((l) => l.sku === sku)!;
		expect(by(fba.sku).notWritable).toMatch(/fulfilled by Amazon \(AMAZON_NA\)/);
		const from = sim.log.length;
		const results = await inventory.write([
			{ listing: by(fbm[0].sku), quantity: q0, expected: q0 },
			{ listing: by(fbm[1].sku), quantity: q1 + 5, expected: q1 },
			{ listing: by(fba.sku), quantity: 9, expected: fba.quantity },
		]);
		expect(results.map((r) => r.ok)).toEqual([true, true, false]);
		expect(results[2].error).toMatch(/fulfilled by Amazon/);
		const patches = sim.log.slice(from).filter((e) => e.method === 'PATCH');
		expect(patches.map((e) => e.path)).toEqual([`/listings/2021-08-01/items/${sim.sellerId}/${fbm[1].sku}`]);
		expect(sim.store.listing(fbm[1].sku)!.quantity).toBe(q1 + 5);
		// merge keeps the handling time the seller set.
		expect(sim.store.listing(fbm[1].sku)!.leadTimeDays).toBe(2);
	});

	it('looks a lost patch up instead of sending it again', async () => {
		const inventory = new AmazonChannelInventory(transport(), clock, connection());
		const l = sim.store.listings.find((x) => x.channel === 'DEFAULT')!;
		const [listing] = await inventory.refresh([{ listingId: l.sku, target: { sku: l.sku } } as never]);
		sim.faults.add({ kind: 'lostAnswer', match: 'patchListingsItem', times: 1 });
		const from = sim.log.length;
		const [result] = await inventory.write([{ listing, quantity: l.quantity + 1, expected: l.quantity }]);
		expect(result.ok).toBe(true);
		expect(sim.log.slice(from).filter((e) => e.method === 'PATCH')).toHaveLength(1);
	});

	it('confirms a shipment once: a lost answer is looked up on the order, never sent again', async () => {
		const store = new AmazonTrackingStore(transport(), clock, connection());
		const order = sim.addOrder({ status: 'UNSHIPPED', fulfilledBy: 'MERCHANT' }, 3 * 60_000);
		const state = await store.read(order.orderId);
		expect(state.lines.every((l) => l.open === l.quantity)).toBe(true);
		const ship: TrackingAction = {
			kind: 'ship', numbers: ['1Z999AA10123456784'], urls: [''], carrier: { name: 'UPS', known: true, url: null } as never, shippedAt: null,
			lines: state.lines.map((l) => ({ lineId: l.lineId, quantity: l.open })), describe: null, sourceRef: null,
		};
		sim.faults.add({ kind: 'lostAnswer', match: 'confirmShipment', times: 1 });
		const from = sim.log.length;
		expect(await store.apply(state, ship)).toMatch(/answer was lost and the package was found/);
		expect(sim.log.slice(from).filter((e) => e.label === 'confirmShipment')).toHaveLength(1);
		expect(sim.store.buyerNotices.get(order.orderId)).toBe(1);
		const after = await store.read(order.orderId);
		expect(after.parcels.map((p) => [p.ref, p.carrier, p.numbers])).toEqual([['1', 'UPS', ['1Z999AA10123456784']]]);
		expect(after.status).toBe('completed');

		// The connection drops before Amazon took it: reported, not repeated, nothing confirmed.
		const other = sim.addOrder({ status: 'UNSHIPPED', fulfilledBy: 'MERCHANT' }, 3 * 60_000);
		const otherState = await store.read(other.orderId);
		sim.faults.add({ kind: 'drop', match: 'confirmShipment', times: 1 });
		const mark = sim.log.length;
		const error = await store.apply(otherState, { ...ship, lines: otherState.lines.map((l) => ({ lineId: l.lineId, quantity: l.open })) }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).code).toBe('AMAZON_SHIPMENT_UNCONFIRMED');
		expect(sim.log.slice(mark).filter((e) => e.label === 'confirmShipment')).toHaveLength(1);
		expect(sim.store.order(other.orderId)!.packages).toHaveLength(0);
		await expect(store.pushedSince()[Symbol.asyncIterator]().next()).rejects.toThrow(/Amazon cannot be a main store/);
	});

	it('names the credential when the access token is expired and cannot be renewed', async () => {
		const token = sim.issueToken();
		sim.expireTokens();
		const channel = new AmazonChannel(fetchTransport({ headers: { 'x-amz-access-token': token } }), clock, connection());
		const error = await ids(channel, '2026-09-01T00:00:00Z').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).status).toBe(403);
		expect((error as PlatformError).hint).toContain(AMAZON_CREDENTIAL_NAME);
		expect(AMAZON_CREDENTIAL_NAME).toBe('Commerce Sync Amazon Selling Partner API');
		expect(amazonTokenRefused(new Error('x')).message).toContain(AMAZON_CREDENTIAL_NAME);
		expect(isExpiredTokenAnswer({ status: 403, body: { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.' }] } })).toBe(false);
	});
});

describe('the n8n transport renews a preAuthentication credential when Amazon says the token expired', () => {
	let sim: AmazonSimulator;
	beforeAll(async () => {
		sim = await startAmazonSimulator({ orders: 30, seed: 11, plans: FAST });
	});
	afterAll(() => sim.close());

	/** A stand-in for n8n's httpRequestWithAuthentication: preAuthentication when the token is empty, as n8n does. */
	function fakeN8n(stored: Record<string, string>) {
		const calls = { lwa: 0 };
		const ctx = {
			getCredentials: async () => ({ ...stored }),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: { url: string; method: string; qs?: Record<string, string> }, extra?: { credentialsDecrypted?: { data: Record<string, string> } }) => {
					const data = extra?.credentialsDecrypted?.data ?? stored;
					if (data.accessToken === '') {
						calls.lwa++;
						const answer = await fetch(`${sim.url}/auth/o2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: data.refreshToken, client_id: sim.clientId, client_secret: sim.clientSecret }) });
						if (answer.status !== 200) throw Object.assign(new Error('Bad request - please check your parameters'), { httpCode: String(answer.status) });
						data.accessToken = ((await answer.json()) as { access_token: string }).access_token;
						stored.accessToken = data.accessToken;
					}
					const url = new URL(options.url);
					for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
					const response = await fetch(url, { method: options.method, headers: { 'x-amz-access-token': data.accessToken } });
					return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.json().catch(() => '') };
				},
			},
		};
		return { ctx: ctx as unknown as IExecuteFunctions, calls };
	}
	const refresh = { tokenProperty: 'accessToken', expired: isExpiredTokenAnswer, refused: amazonTokenRefused };
	const path = () => `${sim.url}/orders/2026-01-01/orders/${sim.store.orders[0].orderId}`;

	it('refreshes once for requests in flight together, and signs later requests with the new token', async () => {
		const stored = { accessToken: sim.issueToken(), refreshToken: sim.issueRefreshToken() };
		sim.expireTokens();
		const { ctx, calls } = fakeN8n(stored);
		const transport = n8nTransport(ctx, 'commerceSyncAmazonSpApi', { preAuthentication: refresh });
		const answers = await Promise.all([0, 1, 2].map(() => transport.send({ method: 'GET', url: path() })));
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
		expect(calls.lwa).toBe(1);
		expect((await transport.send({ method: 'GET', url: path() })).status).toBe(200);
		expect(calls.lwa).toBe(1);
	});

	it('turns a refused refresh into an error naming the credential, without the refresh token', async () => {
		const stored = { accessToken: sim.issueToken(), refreshToken: 'Atzr|revoked-token-1234567890' };
		sim.expireTokens();
		const { ctx } = fakeN8n(stored);
		const transport = n8nTransport(ctx, 'commerceSyncAmazonSpApi', { preAuthentication: refresh });
		const error = await transport.send({ method: 'GET', url: path() }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect(`${(error as PlatformError).message} ${(error as PlatformError).hint}`).toContain(AMAZON_CREDENTIAL_NAME);
		expect(JSON.stringify(error) + String(error)).not.toContain('revoked-token');
	});
});
