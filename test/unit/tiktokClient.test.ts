/**
 * The TikTok Shop client, channel, inventory and tracking against the simulator, signed by the
 * credential's own authenticate(): search paging that loses no order while orders change, changes-only
 * stock writes grouped per product, a package shipped once even when the answer is lost, throttling
 * backed off, and a wrong signature or an expired token reported with the credential's name.
 */
import { PlatformError } from '../../platforms/errors';
import { TikTokChannel } from '../../platforms/tiktok/channel';
import { TikTokClient } from '../../platforms/tiktok/client';
import { TIKTOK_CREDENTIAL_NAME } from '../../platforms/tiktok/constants';
import { TikTokChannelInventory } from '../../platforms/tiktok/inventory';
import { TikTokTrackingStore } from '../../platforms/tiktok/tracking';
import type { ChannelListing } from '../../platforms/inventory';
import type { TrackingAction } from '../../core/tracking';
import { syncTracking } from '../../platforms/tracking';
import type { TrackingStore } from '../../platforms/tracking';
import { startTikTokSimulator } from '../simulators/tiktok';
import type { TikTokSimulator } from '../simulators/tiktok';
import { tiktokCredentialData, tiktokTransport } from '../support/tiktokTransport';
import { realClock } from '../support/fetchTransport';

jest.setTimeout(60_000);

const SINCE = '2025-01-01T00:00:00Z';
const fastClock = () => ({ now: () => Date.now(), slept: 0, sleep(ms: number) { this.slept += ms; return new Promise<void>((r) => setTimeout(r, Math.min(ms, 20))); } });

function channelOf(sim: TikTokSimulator, pageSize = 100, transport = tiktokTransport(tiktokCredentialData(sim))) {
	return { transport, channel: new TikTokChannel(transport, fastClock(), 'custom', sim.url, sim.shopCipher, { pageSize }) };
}

async function readIds(channel: TikTokChannel, by: 'updated' | 'created' = 'updated'): Promise<string[]> {
	const ids: string[] = [];
	for await (const page of channel.readOrders({ since: SINCE, by })) ids.push(...page.map((o) => o.order.channelOrderId));
	return ids;
}

describe('TikTok Shop orders as a sales channel', () => {
	let sim: TikTokSimulator;
	beforeAll(async () => {
		sim = await startTikTokSimulator({ orders: 230, seed: 3, spacingSeconds: 600, perSecond: 10_000 });
	});
	afterAll(() => sim.close());
	beforeEach(() => fetch(`${sim.url}/__sim/reset`, { method: 'POST' }));

	it('reads every order exactly once, by updated and by created time', async () => {
		const { channel } = channelOf(sim, 25);
		const all = sim.store.orders.map((o) => o.id).sort();
		const updated = await readIds(channel);
		expect(new Set(updated).size).toBe(updated.length);
		expect([...updated].sort()).toEqual(all);
		expect([...(await readIds(channel, 'created'))].sort()).toEqual(all);
	});

	it('loses no order when orders already read change and leave the window while it pages', async () => {
		const { channel, transport } = channelOf(sim, 20);
		const before = sim.store.orders.map((o) => o.id);
		transport.beforeSend = (_request, index) => {
			// After two pages, seven orders of the first page are updated (their time moves past the window's end).
			if (index === 2) for (const o of [...sim.store.orders].sort((a, b) => a.update_time - b.update_time).slice(0, 7)) o.update_time = Math.floor(Date.now() / 1000) + 60;
		};
		const ids = await readIds(channel);
		expect(new Set(ids).size).toBe(ids.length);
		expect(new Set(ids)).toEqual(new Set(before));
	});

	it('following the page tokens under the same change would skip orders (what the reader guards against)', async () => {
		const client = new TikTokClient(tiktokTransport(tiktokCredentialData(sim)), fastClock(), sim.url);
		const until = Math.floor(Date.now() / 1000);
		const ids: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await client.request<{ orders: Array<{ id: string }>; next_page_token: string }>('POST', '/order/202309/orders/search', { qs: { page_size: 20, sort_field: 'update_time', sort_order: 'ASC', page_token: token }, body: { update_time_ge: 0, update_time_lt: until } });
			ids.push(...page.orders.map((o) => o.id));
			if (++pages === 2) for (const o of [...sim.store.orders].sort((a, b) => a.update_time - b.update_time).slice(0, 7)) o.update_time = until + 60;
			token = page.next_page_token || undefined;
		} while (token);
		expect(ids.length).toBe(sim.store.orders.length - 7);
	});

	it('reads a second holding more orders than a page by its tokens, each once', async () => {
		const second = sim.store.orders[100].update_time;
		for (const o of sim.store.orders.slice(100, 160)) o.update_time = second;
		const ids = await readIds(channelOf(sim, 25).channel);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.length).toBe(sim.store.orders.length);
	});

	it('backs off a throttled answer (HTTP 429 / 36009004) and goes on', async () => {
		sim.options.perSecond = 3;
		try {
			// Real waits: the simulator's limit is per wall-clock second.
			const clock = realClock();
			const transport = tiktokTransport(tiktokCredentialData(sim));
			const channel = new TikTokChannel(transport, clock, 'custom', sim.url, sim.shopCipher, { pageSize: 50 });
			expect((await readIds(channel)).length).toBe(sim.store.orders.length);
			expect(sim.log.some((e) => e.status === 429)).toBe(true);
			expect(clock.slept).toBeGreaterThan(0);
		} finally {
			sim.options.perSecond = 10_000;
		}
	});

	it('names the credential when the signature is refused or the token has expired', async () => {
		const wrong = channelOf(sim, 10, tiktokTransport(tiktokCredentialData(sim, { appSecret: 'not-the-secret' }))).channel;
		const signError = await readIds(wrong).catch((e: unknown) => e);
		expect(signError).toBeInstanceOf(PlatformError);
		expect(signError).toMatchObject({ code: '106001', status: 401 });
		expect((signError as PlatformError).hint).toContain(`"${TIKTOK_CREDENTIAL_NAME}"`);
		expect((signError as PlatformError).hint).toContain('App Secret');

		const { channel } = channelOf(sim, 10);
		sim.expireTokens();
		const expired = await readIds(channel).catch((e: unknown) => e);
		expect(expired).toMatchObject({ code: '105002', status: 401 });
		expect((expired as PlatformError).platformMessage).toContain('Expired credentials');
		expect((expired as PlatformError).hint).toContain(`"${TIKTOK_CREDENTIAL_NAME}"`);
		expect((expired as Error).message).not.toContain(tiktokCredentialData(sim).appSecret);
	});
});

describe('TikTok Shop stock as a channel', () => {
	let sim: TikTokSimulator;
	beforeAll(async () => {
		sim = await startTikTokSimulator({ products: 12, orders: 0, seed: 5, perSecond: 10_000 });
	});
	afterAll(() => sim.close());
	beforeEach(() => fetch(`${sim.url}/__sim/reset`, { method: 'POST' }));

	const inventoryOf = () => new TikTokChannelInventory(tiktokTransport(tiktokCredentialData(sim)), fastClock(), 'custom', sim.url, sim.shopCipher);
	async function all(inventory: TikTokChannelInventory): Promise<ChannelListing[]> {
		const out: ChannelListing[] = [];
		for await (const page of inventory.listings({ skus: [] })) out.push(...page);
		return out;
	}

	it('lists every SKU with its seller SKU and first warehouse\'s quantity', async () => {
		const listings = await all(inventoryOf());
		expect(listings.map((l) => l.sku).sort()).toEqual(sim.store.products.flatMap((p) => p.skus.map((s) => s.seller_sku)).sort());
		const first = sim.store.products[0].skus[0];
		expect(listings.find((l) => l.sku === first.seller_sku)?.quantity).toBe([...first.stock.values()][0]);
	});

	it('writes only changes, one update per product, every warehouse of a SKU sent; a sale in between is stale', async () => {
		const inventory = inventoryOf();
		const listings = await all(inventory);
		const multi = sim.store.products.find((p) => p.skus.length === 3 && p.skus[0].stock.size === 1)!;
		const twoWarehouses = sim.store.products.find((p) => p.skus[0].stock.size > 1)!;
		const of = (sku: string) => listings.find((l) => l.sku === sku)!;
		const from = sim.log.length;
		const writes = [
			...multi.skus.map((s, k) => ({ listing: of(s.seller_sku), quantity: k === 2 ? of(s.seller_sku).quantity : (of(s.seller_sku).quantity ?? 0) + 5, expected: of(s.seller_sku).quantity })),
			{ listing: of(twoWarehouses.skus[0].seller_sku), quantity: 33, expected: of(twoWarehouses.skus[0].seller_sku).quantity },
		];
		const soldSku = multi.skus[1].seller_sku;
		sim.beforeNext(/update-inventory/, () => undefined);
		sim.store.sell(soldSku, 1);
		const results = await inventory.write(writes);
		expect(results.map((r) => [r.ok, r.stale ?? false])).toEqual([[true, false], [false, true], [true, false], [true, false]]);
		const updates = sim.log.slice(from).filter((e) => e.label === 'update-inventory-202309');
		// One call per product that holds a change: the unchanged SKU and the stale one were not sent.
		expect(updates).toHaveLength(2);
		expect([...twoWarehouses.skus[0].stock.values()][0]).toBe(33);
		expect(multi.skus[2].stock.get([...multi.skus[2].stock.keys()][0])).toBe(of(multi.skus[2].seller_sku).quantity);
		const again = sim.log.length;
		expect((await inventory.write([{ listing: of(twoWarehouses.skus[0].seller_sku), quantity: 33, expected: 33 }]))[0].ok).toBe(true);
		expect(sim.log.slice(again).filter((e) => e.label === 'update-inventory-202309')).toHaveLength(0);
	});

	it('does not resend an update whose answer was lost: it reads the SKU and reports what landed', async () => {
		const inventory = inventoryOf();
		const listing = (await all(inventory))[0];
		sim.faults.add({ kind: 'lostAnswer', match: 'update-inventory', times: 1 });
		const [result] = await inventory.write([{ listing, quantity: (listing.quantity ?? 0) + 1, expected: listing.quantity }]);
		expect(result.ok).toBe(true);
		expect(sim.log.filter((e) => e.label === 'update-inventory-202309')).toHaveLength(1);
	});
});

describe('TikTok Shop tracking as a channel', () => {
	let sim: TikTokSimulator;
	beforeAll(async () => {
		sim = await startTikTokSimulator({ products: 6, orders: 20, seed: 9, perSecond: 10_000 });
	});
	afterAll(() => sim.close());
	beforeEach(() => fetch(`${sim.url}/__sim/reset`, { method: 'POST' }));

	const storeOf = () => new TikTokTrackingStore(tiktokTransport(tiktokCredentialData(sim)), fastClock(), 'custom', sim.url, sim.shopCipher, sim.providerMapping);
	const ship = (numbers: string[], carrier = 'UPS'): TrackingAction => ({ kind: 'ship', numbers, urls: numbers.map(() => ''), carrier: { name: carrier, known: true } as TrackingAction extends infer A ? A extends { kind: 'ship'; carrier: infer C } ? C : never : never, shippedAt: null, lines: null, describe: null, sourceRef: null });

	it('reads an order\'s units as lines and its shipped packages as parcels', async () => {
		const shipped = sim.store.orders.find((o) => o.status === 'IN_TRANSIT')!;
		const state = await storeOf().read(shipped.id);
		expect(state).toMatchObject({ orderId: shipped.id, status: 'completed', fullyShipped: true });
		expect(state.parcels).toEqual([expect.objectContaining({ ref: shipped.packages[0].id, numbers: [shipped.line_items[0].tracking_number], carrier: 'UPS' })]);
		expect(state.lines.reduce((s, l) => s + l.quantity, 0)).toBe(shipped.line_items.length);
	});

	it('ships a package once even when the answer is lost, and never again on later runs', async () => {
		const order = sim.store.createOrder({ status: 'AWAITING_SHIPMENT', units: 2 });
		const store = storeOf();
		sim.faults.add({ kind: 'lostAnswer', match: 'ship-package', times: 1 });
		const state = await store.read(order.id);
		expect(await (store as TrackingStore).apply(state, ship(['1Z999AA10123456784']), { notifyCustomer: true, customerNote: false, from: '' })).toContain(order.packages[0].id);
		expect(sim.faults.injected.lostAnswer).toBe(1);
		expect(sim.log.filter((e) => e.label === 'ship-package-202309')).toHaveLength(1);
		expect(sim.store.buyerNotices.get(order.id)).toBe(1);
		// A later run: the order is shipped, so nothing is left to write.
		const source: TrackingStore = {
			platform: 'Shopify', storeId: 'main', orderRef: (id) => id, ability: () => store.ability(), pushedSince: () => store.pushedSince(),
			read: async () => ({ ...(await store.read(order.id)), orderId: 'main-1', number: '#1001' }),
			apply: () => Promise.reject(new Error('the source is not written')),
		};
		const result = await syncTracking(source, 'main-1', store, order.id, { notifyCustomer: true, markCompleted: true, carrierOverrides: [] } as never, { notifyCustomer: true, customerNote: false, from: '', dryRun: false });
		expect(result.action).toBe('alreadyThere');
		expect(sim.store.buyerNotices.get(order.id)).toBe(1);
	});

	it('asks for a provider id the credential does not map, naming the credential; refuses to be a main store', async () => {
		const order = sim.store.createOrder({ status: 'AWAITING_SHIPMENT', units: 1 });
		const store = storeOf();
		const error = await (store as TrackingStore).apply(await store.read(order.id), ship(['1Z1'], 'Yodel'), { notifyCustomer: true, customerNote: false, from: '' }).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'TIKTOK_NO_PROVIDER' });
		expect((error as PlatformError).hint).toContain(TIKTOK_CREDENTIAL_NAME);
		const main = await store.pushedSince()[Symbol.asyncIterator]().next().catch((e: unknown) => e);
		expect((main as Error).message).toContain('TikTok Shop cannot be a main store');
	});
});
