/**
 * The Etsy client, channel, inventory and tracking against the Etsy simulator: offset paging that loses
 * no receipt while receipts change, Etsy's rate limits and daily quota, token expiry, whole-inventory
 * read-modify-write, and tracking that never emails a buyer twice.
 */
import { PlatformError } from '../../platforms/errors';
import { EtsyChannel } from '../../platforms/etsy/channel';
import { EtsyClient, ETSY_CREDENTIAL_NAME } from '../../platforms/etsy/client';
import { EtsyChannelInventory, productKey } from '../../platforms/etsy/inventory';
import type { EtsyInventory } from '../../platforms/etsy/inventory';
import { EtsyTrackingStore } from '../../platforms/etsy/tracking';
import type { ChannelListing } from '../../platforms/inventory';
import type { TrackingAction } from '../../core/tracking';
import { startEtsySimulator } from '../simulators/etsy';
import type { EtsySimulator } from '../simulators/etsy';
import { fetchTransport, realClock } from '../support/fetchTransport';

jest.setTimeout(60_000);

const SINCE = '2025-01-01T00:00:00Z';

function transportFor(sim: EtsySimulator, token = sim.issueToken()) {
	return fetchTransport({ headers: { authorization: `Bearer ${token}` } });
}

const fastClock = () => ({ now: () => Date.now(), slept: 0, sleep(ms: number) { this.slept += ms; return new Promise<void>((r) => setTimeout(r, Math.min(ms, 20))); } });

async function readIds(channel: EtsyChannel, since = SINCE, by: 'updated' | 'created' = 'updated'): Promise<number[]> {
	const ids: number[] = [];
	for await (const page of channel.readOrders({ since, by })) ids.push(...page.map((o) => Number(o.order.channelOrderId)));
	return ids;
}

async function post(sim: EtsySimulator, path: string, body: unknown) {
	await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('Etsy receipts as a sales channel', () => {
	let sim: EtsySimulator;
	beforeAll(async () => {
		sim = await startEtsySimulator({ receipts: 230, seed: 3, spacingSeconds: 600, perSecond: 1000 });
	});
	afterAll(() => sim.close());
	beforeEach(() => post(sim, '/__sim/reset', {}));

	it('reads every receipt exactly once, by updated and by created time', async () => {
		const channel = new EtsyChannel(transportFor(sim), fastClock(), sim.shopId, sim.apiKey, sim.baseUrl, 25);
		const all = sim.store.receipts.map((r) => r.receipt_id).sort();
		const updated = await readIds(channel);
		expect(new Set(updated).size).toBe(updated.length);
		expect([...updated].sort()).toEqual(all);
		expect([...(await readIds(channel, SINCE, 'created'))].sort()).toEqual(all);
	});

	it('loses no receipt when receipts already read change and leave the window while it pages', async () => {
		const transport = transportFor(sim);
		const channel = new EtsyChannel(transport, fastClock(), sim.shopId, sim.apiKey, sim.baseUrl, 20);
		const before = sim.store.receipts.map((r) => r.receipt_id);
		const moved: number[] = [];
		transport.beforeSend = (_request, index) => {
			// After two pages: seven receipts of the first page are changed (their last-modified time moves
			// past the window's end), more than the page overlap, so the unread ones shift back by seven.
			if (index === 2) {
				for (const r of sim.store.receipts.slice(0, 7)) {
					r.updated_timestamp = Math.floor(Date.now() / 1000) + 60;
					moved.push(r.receipt_id);
				}
				sim.store.createReceipt({ at: Math.floor(Date.now() / 1000) + 60 });
			}
		};
		const ids = await readIds(channel);
		expect(new Set(ids).size).toBe(ids.length);
		// Every receipt of the window at the start was read (the moved ones before they moved).
		expect(new Set(ids)).toEqual(new Set(before));
		expect(moved).toHaveLength(7);
	});

	it('plain offset paging under the same change would skip receipts (the fault the reader guards against)', async () => {
		const client = new EtsyClient(transportFor(sim), fastClock(), sim.apiKey, sim.baseUrl);
		const until = Math.floor(Date.now() / 1000);
		const qs = { min_last_modified: 1_700_000_000, max_last_modified: until, sort_on: 'created', sort_order: 'asc', limit: 20 };
		const ids: number[] = [];
		for (let offset = 0; ; offset += 20) {
			const page = await client.request<{ results: Array<{ receipt_id: number }> }>('GET', `/shops/${sim.shopId}/receipts`, { qs: { ...qs, offset } });
			ids.push(...page.results.map((r) => r.receipt_id));
			if (offset === 20) for (const r of sim.store.receipts.slice(0, 7)) r.updated_timestamp = until + 60;
			if (page.results.length < 20) break;
		}
		expect(ids.length).toBe(sim.store.receipts.length - 7);
	});

	it('closes the window at the start: receipts placed during the read wait for the next window', async () => {
		const transport = transportFor(sim);
		const channel = new EtsyChannel(transport, fastClock(), sim.shopId, sim.apiKey, sim.baseUrl, 50);
		let added = 0;
		transport.beforeSend = (_request, index) => {
			if (index === 1) added = sim.store.createReceipt({ at: Math.floor(Date.now() / 1000) + 5 }).receipt_id;
		};
		const ids = await readIds(channel);
		expect(ids).not.toContain(added);
		expect(transport.sent.every((r) => Number(r.qs?.max_last_modified) <= Math.floor(Date.now() / 1000))).toBe(true);
	});
});

describe('Etsy limits and authentication', () => {
	let sim: EtsySimulator;
	beforeAll(async () => {
		sim = await startEtsySimulator({ receipts: 120, seed: 4 });
	});
	afterAll(() => sim.close());
	beforeEach(() => post(sim, '/__sim/reset', {}));

	it('keeps under 10 requests per second, so Etsy never answers 429', async () => {
		const channel = new EtsyChannel(transportFor(sim), realClock(), sim.shopId, sim.apiKey, sim.baseUrl, 5);
		await readIds(channel);
		const times = sim.log.filter((e) => e.label === 'getShopReceipts').map((e) => e.at);
		expect(times.length).toBeGreaterThan(20);
		for (let i = 10; i < times.length; i++) expect(times[i] - times[i - 10]).toBeGreaterThanOrEqual(1000 - 5);
		expect(sim.log.some((e) => e.status === 429)).toBe(false);
	});

	it('paces by the per-second limit Etsy names for the app (x-limit-per-second), without a 429', async () => {
		const raised = await startEtsySimulator({ receipts: 120, seed: 4, perSecond: 40 });
		try {
			const channel = new EtsyChannel(transportFor(raised), realClock(), raised.shopId, raised.apiKey, raised.baseUrl, 5);
			const started = Date.now();
			await readIds(channel);
			const times = raised.log.filter((e) => e.label === 'getShopReceipts').map((e) => e.at);
			expect(times.length).toBeGreaterThan(20);
			// At 10 a second these pages would take more than two seconds.
			expect(Date.now() - started).toBeLessThan(1500);
			for (let i = 40; i < times.length; i++) expect(times[i] - times[i - 40]).toBeGreaterThanOrEqual(1000 - 5);
			expect(raised.log.some((e) => e.status === 429)).toBe(false);
		} finally {
			await raised.close();
		}
	});

	it('waits out a 429 for at least its retry-after, then goes on', async () => {
		await post(sim, '/__sim/faults', { kind: 'status429', times: 1, retryAfterSeconds: 0.3 });
		const clock = realClock();
		const channel = new EtsyChannel(transportFor(sim), clock, sim.shopId, sim.apiKey, sim.baseUrl);
		expect((await readIds(channel)).length).toBe(sim.store.receipts.length);
		expect(clock.slept).toBeGreaterThanOrEqual(300);
	});

	it('stops with a clear error when the daily quota is used up, instead of waiting or spinning', async () => {
		await post(sim, '/__sim/quota', { used: sim.options.dailyLimit - 2 });
		const clock = fastClock();
		const channel = new EtsyChannel(transportFor(sim), clock, sim.shopId, sim.apiKey, sim.baseUrl, 10);
		const error = await readIds(channel).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).code).toBe('ETSY_DAILY_QUOTA');
		expect((error as Error).message).toContain('daily request quota is used up');
		// Two pages used the last of the quota; nothing was sent after Etsy said 0 remain.
		expect(sim.log.filter((e) => e.label === 'getShopReceipts')).toHaveLength(2);
		expect(clock.slept).toBe(0);
	});

	it('names the credential to reconnect when the access token has expired', async () => {
		const transport = transportFor(sim);
		sim.expireTokens();
		const error = await readIds(new EtsyChannel(transport, fastClock(), sim.shopId, sim.apiKey, sim.baseUrl)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).status).toBe(401);
		expect((error as PlatformError).platformMessage).toContain('invalid_token');
		expect((error as PlatformError).hint).toContain(`"${ETSY_CREDENTIAL_NAME}"`);
		expect(ETSY_CREDENTIAL_NAME).toBe('Commerce Sync Etsy OAuth2 API');
	});

	it('says the shared secret is missing from x-api-key, and never shows the key', async () => {
		const error = await readIds(new EtsyChannel(transportFor(sim), fastClock(), sim.shopId, sim.keystring, sim.baseUrl)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).status).toBe(403);
		expect((error as PlatformError).hint).toContain('shared secret');
		expect(JSON.stringify(error) + (error as Error).message).not.toContain(sim.keystring);
	});
});

describe('Etsy listing inventory', () => {
	let sim: EtsySimulator;
	let inventory: EtsyChannelInventory;
	let transport: ReturnType<typeof transportFor>;
	beforeAll(async () => {
		sim = await startEtsySimulator({ listings: 9, receipts: 5, seed: 5, perSecond: 1000 });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await post(sim, '/__sim/reset', {});
		transport = transportFor(sim);
		inventory = new EtsyChannelInventory(transport, fastClock(), sim.shopId, sim.apiKey, sim.baseUrl);
	});

	async function all(skus: string[] = []): Promise<ChannelListing[]> {
		const out: ChannelListing[] = [];
		for await (const page of inventory.listings({ skus })) out.push(...page);
		return out;
	}

	const snapshot = (inv: EtsyInventory) => JSON.parse(JSON.stringify({
		...inv, products: inv.products.map(({ product_id: _p, offerings, ...rest }) => ({ ...rest, offerings: offerings.map(({ offering_id: _o, ...o }) => o) })),
	})) as unknown;

	it('lists every product of active, sold-out and inactive listings with its quantity and SKU', async () => {
		const listings = await all();
		const products = [...sim.store.listings.values()].flatMap((l) => l.inventory.products);
		expect(listings.map((l) => l.sku).sort()).toEqual(products.map((p) => p.sku).sort());
		const inactive = [...sim.store.listings.values()].find((l) => l.state === 'inactive');
		expect(listings.filter((l) => l.target.listingId === String(inactive?.listing_id)).every((l) => l.state === 'inactive' && !l.shown)).toBe(true);
		// One request per page of listings: the inventory comes with them.
		expect(transport.sent.filter((r) => r.url.endsWith('/inventory'))).toHaveLength(0);
	});

	it('changes one product\'s quantity and keeps every other product, price, SKU and property of the listing intact', async () => {
		const listing = [...sim.store.listings.values()].find((l) => l.inventory.products.length === 3 && l.inventory.quantity_on_property.length > 0);
		if (!listing) throw new Error('seed has no listing with own quantities');
		const before = snapshot(listing.inventory as unknown as EtsyInventory) as { products: Array<{ offerings: Array<{ quantity: number }> }> };
		const target = (await all([listing.inventory.products[1].sku]))[0];
		const results = await inventory.write([{ listing: target, quantity: 77, expected: target.quantity }]);
		expect(results).toEqual([{ listingId: target.listingId, ok: true }]);
		before.products[1].offerings[0].quantity = 77;
		expect(snapshot(sim.store.listing(listing.listing_id).inventory as unknown as EtsyInventory)).toEqual(before);
		// Products got new ids from Etsy; the listing is still found by its property values.
		const again = (await all([listing.inventory.products[1].sku]))[0];
		expect(again).toMatchObject({ listingId: target.listingId, quantity: 77 });
	});

	it('writes only listings whose quantities change, one PUT per listing carrying all its changes', async () => {
		const listings = await all();
		const multi = listings.filter((l) => l.stockKey === undefined && l.parentId !== null);
		const byListing = new Map<string, ChannelListing[]>();
		for (const l of multi) byListing.set(l.target.listingId, [...(byListing.get(l.target.listingId) ?? []), l]);
		const [changed] = [...byListing.values()];
		const unchanged = listings.find((l) => l.parentId === null) as ChannelListing;
		transport.sent.length = 0;
		const results = await inventory.write([
			{ listing: changed[0], quantity: 3, expected: changed[0].quantity },
			{ listing: changed[1], quantity: 4, expected: changed[1].quantity },
			{ listing: unchanged, quantity: unchanged.quantity, expected: unchanged.quantity },
		]);
		expect(results.every((r) => r.ok)).toBe(true);
		const puts = transport.sent.filter((r) => r.method === 'PUT');
		expect(puts.map((r) => r.url)).toEqual([`${sim.baseUrl}/v3/application/listings/${changed[0].target.listingId}/inventory`]);
	});

	it('reports a product sold on Etsy between read and write as stale, with its quantity now, and does not overwrite it', async () => {
		const target = (await all()).find((l) => l.quantity !== null && l.quantity > 3 && l.stockKey === undefined) as ChannelListing;
		sim.store.sell(target.sku as string, 2);
		const [result] = await inventory.write([{ listing: target, quantity: 50, expected: target.quantity }]);
		expect(result).toMatchObject({ ok: false, stale: true, current: (target.quantity as number) - 2 });
		expect(transport.sent.some((r) => r.method === 'PUT')).toBe(false);
	});

	it('sets every product of a listing whose products share one quantity', async () => {
		const shared = (await all()).filter((l) => l.stockKey !== undefined);
		const listingId = shared[0].target.listingId;
		const [result] = await inventory.write([{ listing: shared[0], quantity: 12, expected: shared[0].quantity }]);
		expect(result.ok).toBe(true);
		expect(sim.store.listing(Number(listingId)).inventory.products.map((p) => p.offerings[0].quantity)).toEqual(Array(6).fill(12));
		expect(sim.store.listing(Number(listingId)).inventory.products.map((p) => productKey(p)).length).toBe(6);
	});

	it('looks before deciding when the PUT answer is lost, and never PUTs again blindly', async () => {
		const target = (await all()).find((l) => l.parentId === null && l.quantity !== null) as ChannelListing;
		await post(sim, '/__sim/faults', { kind: 'lostAnswer', times: 1, match: 'updateListingInventory' });
		const [result] = await inventory.write([{ listing: target, quantity: 9, expected: target.quantity }]);
		expect(result).toEqual({ listingId: target.listingId, ok: true });
		expect(sim.log.filter((e) => e.label === 'updateListingInventory')).toHaveLength(1);
	});
});

describe('Etsy tracking', () => {
	let sim: EtsySimulator;
	let store: EtsyTrackingStore;
	beforeAll(async () => {
		sim = await startEtsySimulator({ receipts: 30, seed: 6, perSecond: 1000 });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await post(sim, '/__sim/reset', {});
		store = new EtsyTrackingStore(transportFor(sim), fastClock(), sim.shopId, sim.apiKey, sim.baseUrl);
	});

	const ship = (number: string): TrackingAction => ({
		kind: 'ship', numbers: [number], urls: [''], carrier: { name: 'USPS', known: false, source: 'USPS', via: 'none' }, shippedAt: null, lines: null, describe: null, sourceRef: null,
	});
	const options = { notifyCustomer: true, customerNote: false, from: 'Shopify order #1001' };

	it('reads a receipt\'s shipments and lines', async () => {
		const shipped = sim.store.receipts.find((r) => r.status === 'completed' && r.shipments.length > 0);
		if (!shipped) throw new Error('seed has no shipped receipt');
		const state = await store.read(String(shipped.receipt_id));
		expect(state).toMatchObject({ orderId: String(shipped.receipt_id), status: 'completed', fullyShipped: true, path: 'shipmentTracking' });
		expect(state.parcels[0].numbers).toEqual([shipped.shipments[0].tracking_code]);
		expect(state.lines.every((l) => l.open === 0)).toBe(true);
	});

	it('never emails the buyer twice: a lost answer is found on the receipt, and a re-run sends nothing', async () => {
		const receipt = sim.store.receipts.find((r) => r.status === 'paid') as { receipt_id: number };
		await post(sim, '/__sim/faults', { kind: 'lostAnswer', times: 1, match: 'createReceiptShipment' });
		const state = await store.read(String(receipt.receipt_id));
		await store.apply(state, ship('9400111899560000000001'), options);
		expect(sim.store.buyerEmails.get(receipt.receipt_id)).toBe(1);
		// The next run reads the receipt again: the number is there, nothing is sent.
		const again = await store.read(String(receipt.receipt_id));
		expect(again.parcels.flatMap((p) => p.numbers)).toEqual(['9400111899560000000001']);
		await store.apply(again, ship('9400 1118 9956 0000 0000 01'), options);
		expect(sim.store.buyerEmails.get(receipt.receipt_id)).toBe(1);
		expect(sim.log.filter((e) => e.label === 'createReceiptShipment')).toHaveLength(1);
	});

	it('does not resend when the answer was lost before Etsy saved the shipment; it reports the write unconfirmed', async () => {
		const receipt = sim.store.receipts.find((r) => r.status === 'paid') as { receipt_id: number };
		await post(sim, '/__sim/faults', { kind: 'drop', times: 1, match: 'createReceiptShipment' });
		const state = await store.read(String(receipt.receipt_id));
		const error = await store.apply(state, ship('1Z999AA10123456784'), options).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).code).toBe('ETSY_TRACKING_UNCONFIRMED');
		expect(sim.log.filter((e) => e.label === 'createReceiptShipment')).toHaveLength(1);
		expect(sim.store.buyerEmails.get(receipt.receipt_id) ?? 0).toBe(0);
	});

	it('refuses to act as a main store', async () => {
		const iterator = store.pushedSince()[Symbol.asyncIterator]();
		await expect(iterator.next()).rejects.toThrow('Etsy cannot be a main store');
	});
});
