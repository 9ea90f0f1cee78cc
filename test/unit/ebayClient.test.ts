/**
 * The eBay platform against the eBay simulator: offset paging that loses no order while orders change,
 * inventory written 25 SKUs a call and only where the quantity changed, the 250-revisions-a-day guard,
 * tracking never sent twice after a lost answer, and eBay's refusals in words a user can act on.
 */
import { describeError, PlatformError } from '../../platforms/errors';
import { EbayChannel } from '../../platforms/ebay/channel';
import { EbayChannelInventory } from '../../platforms/ebay/inventory';
import { EbayTrackingStore } from '../../platforms/ebay/tracking';
import type { ChannelListing } from '../../platforms/inventory';
import { syncTracking } from '../../platforms/tracking';
import type { TrackingStore } from '../../platforms/tracking';
import type { ShippingState } from '../../core/tracking';
import { startEbaySimulator } from '../simulators/ebay';
import type { EbaySimulator } from '../simulators/ebay';
import { fetchTransport } from '../support/fetchTransport';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const SINCE = '2025-06-01T00:00:00.000Z';

describe('eBay platform', () => {
	let sim: EbaySimulator;
	let now = T0;
	const clock = { now: () => now, sleep: async () => undefined };
	const transport = (token = sim.issueToken()) => fetchTransport({ headers: { authorization: `Bearer ${token}` } });
	const channel = (t = transport(), pageSize = 20) => new EbayChannel(t, clock, 'custom', sim.url, 'sim_seller', { pageSize, maxAttempts: 3 });

	async function readAll(c: EbayChannel, since = SINCE): Promise<string[]> {
		const ids: string[] = [];
		for await (const page of c.readOrders({ since, by: 'updated' })) ids.push(...page.map((o) => o.order.channelOrderId));
		return ids;
	}

	beforeAll(async () => {
		sim = await startEbaySimulator({ orders: 150, items: 70, seed: 9, now: () => now });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		now = T0;
		await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
	});

	it('reads every order of the window once, oldest modified first, with TAX_BREAKDOWN', async () => {
		const t = transport();
		const ids = await readAll(channel(t));
		expect(ids).toEqual([...sim.store.orders].sort((a, b) => a.modified - b.modified || a.orderId.localeCompare(b.orderId)).map((o) => o.orderId));
		expect(t.sent.every((r) => r.qs?.fieldGroups === 'TAX_BREAKDOWN' && String(r.qs?.filter).startsWith('lastmodifieddate:['))).toBe(true);
	});

	it('loses no order when orders already read are modified while later pages are read', async () => {
		const t = transport();
		const newestFirst = [...sim.store.orders].sort((a, b) => b.created - a.created);
		t.beforeSend = (_request, index) => {
			// After pages 1 and 2 (the 40 newest orders) were read: 15 of them change and leave the window, which shifts
			// every unread order 15 places forward in eBay's offset list.
			if (index === 2) for (const o of newestFirst.slice(0, 15)) sim.modifyOrder(o.orderId);
		};
		// One slice holds every order, so requests 0 and 1 are its first two pages.
		const first = await readAll(channel(t), '2026-01-01T00:00:00.000Z');
		const changed = new Set(newestFirst.slice(0, 15).map((o) => o.orderId));
		const unchanged = sim.store.orders.filter((o) => !changed.has(o.orderId)).map((o) => o.orderId);
		expect(first).toEqual(expect.arrayContaining(unchanged));
		expect(new Set(first).size).toBe(first.length);
		// The changed orders are the next window's: it starts where this one ended.
		now = T0 + 60_000;
		const next = await readAll(channel(), new Date(T0 - 2_000).toISOString());
		expect(new Set([...first, ...next])).toEqual(new Set(sim.store.orders.map((o) => o.orderId)));
	});

	it('writes quantities 25 SKUs a call and sends only those that changed', async () => {
		const t = transport();
		const inventory = new EbayChannelInventory(t, clock, 'custom', sim.url, 'sim_seller', { maxAttempts: 3 });
		const listings: ChannelListing[] = [];
		for await (const page of inventory.listings({ skus: [] })) listings.push(...page);
		expect(listings).toHaveLength(70);
		const writes = listings.slice(0, 60).map((listing, i) => ({ listing, quantity: i < 10 ? listing.quantity : (listing.quantity ?? 0) + 1, expected: listing.quantity }));
		const results = await inventory.write(writes);
		expect(results.every((r) => r.ok)).toBe(true);
		const bulk = t.sent.filter((r) => r.url.endsWith('/bulk_update_price_quantity'));
		const sizes = bulk.map((r) => (r.body as { requests: unknown[] }).requests.length);
		expect(sizes).toEqual([25, 25]);
		const sent = new Set(bulk.flatMap((r) => (r.body as { requests: Array<{ sku: string }> }).requests.map((q) => q.sku)));
		expect(listings.slice(0, 10).some((l) => sent.has(l.sku as string))).toBe(false);
		for (const w of writes.slice(10)) expect(sim.store.items.find((i) => i.sku === w.listing.sku)?.quantity).toBe(w.quantity);
	});

	it('refuses a write past 250 revisions of a listing today, with the reason, without calling eBay', async () => {
		const t = transport();
		const item = sim.store.items.find((i) => !i.groupKey) as (typeof sim.store.items)[number];
		const inventory = new EbayChannelInventory(t, clock, 'custom', sim.url, 'sim_seller', { revisions: { day: '2026-03-01', counts: { [`sku:${item.sku}`]: 250 } } });
		const found: ChannelListing[] = [];
		for await (const page of inventory.listings({ skus: [item.sku] })) found.push(...page);
		const [listing] = found;
		const [result] = await inventory.write([{ listing, quantity: (listing.quantity ?? 0) + 5, expected: listing.quantity }]);
		expect(result.ok).toBe(false);
		expect(result.error).toMatch(/250 revisions of a listing per day/);
		expect(t.sent.some((r) => r.method === 'POST')).toBe(false);
		expect(listing.sku).toBe(item.sku);
		// The caller keeps the counts between runs; a new UTC day starts them again.
		const kept = inventory.revisions;
		now = T0 + 86_400_000;
		const tomorrow = new EbayChannelInventory(transport(), clock, 'custom', sim.url, 'sim_seller', { revisions: kept });
		expect((await tomorrow.write([{ listing, quantity: (listing.quantity ?? 0) + 5, expected: listing.quantity }]))[0].ok).toBe(true);
		expect(tomorrow.revisions).toEqual({ day: '2026-03-02', counts: { [`sku:${item.sku}`]: 1 } });
	});

	it('never sends a package twice when eBay\'s answer to it was lost: it reads the fulfillments again', async () => {
		const order = sim.store.orders.find((o) => o.cancelState === 'NONE_REQUESTED' && o.lines.length > 0) as (typeof sim.store.orders)[number];
		const line = order.lines[0];
		const shipped: ShippingState = {
			orderId: 'S1', number: '#1001', status: 'completed', fullyShipped: false, notes: [], path: 'fulfillments',
			lines: [{ lineId: 's1', sku: line.sku, title: line.title, quantity: line.quantity, open: 0, linkedLineId: null }],
			parcels: [{ ref: 'f1', carrier: 'UPS', numbers: ['1Z 999 AA1 0123456784'], urls: [''], shippedAt: '2026-02-28T10:00:00.000Z', lines: [{ lineId: 's1', sku: line.sku, title: line.title, quantity: line.quantity }] }],
		};
		const source = { platform: 'Shopify', read: async () => shipped } as unknown as TrackingStore;
		sim.faults.add({ kind: 'lostAnswer', match: 'createShippingFulfillment', times: 1 });
		const target = new EbayTrackingStore(transport(), clock, 'custom', sim.url, 'sim_seller', 3);
		const result = await syncTracking(source, 'S1', target, order.orderId, { carrierOverrides: [], markCompleted: false }, { notifyCustomer: false, customerNote: false, from: '', dryRun: false });
		expect(result.action).toBe('written');
		expect(order.fulfillments).toEqual([expect.objectContaining({ shipmentTrackingNumber: '1Z999AA10123456784', shippingCarrierCode: 'UPS', lineItems: [{ lineItemId: line.lineItemId, quantity: line.quantity }] })]);
		expect(sim.log.filter((e) => e.label === 'createShippingFulfillment')).toHaveLength(1);
		// A second run finds the package there and writes nothing.
		const again = await syncTracking(source, 'S1', target, order.orderId, { carrierOverrides: [], markCompleted: false }, { notifyCustomer: false, customerNote: false, from: '', dryRun: false });
		expect(again.action).toBe('alreadyThere');
		expect(order.fulfillments).toHaveLength(1);
	});

	it('answers an access token that expired mid-run with eBay\'s message and the credential to reconnect', async () => {
		const t = transport();
		const c = channel(t, 20);
		t.beforeSend = (_request, index) => {
			if (index === 2) now = T0 + 7_200_000;
		};
		const error = await readAll(c).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).status).toBe(401);
		expect(describeError(error)).toBe('Invalid access token Reconnect the "Commerce Sync eBay OAuth2 API" credential: eBay refused its access token (expired, revoked, or issued for another environment).');
	});

	it('retries reads through 5xx and dropped connections, and names the daily limit when eBay\'s quota is used up', async () => {
		sim.faults.add({ kind: 'status503', match: 'getOrders', times: 1, retryAfterSeconds: 0 });
		sim.faults.add({ kind: 'drop', match: 'getOrders', times: 1 });
		const t = transport();
		expect(await readAll(channel(t, 200))).toHaveLength(150);
		// The first slice was asked three times: the 503, the dropped connection, the answer.
		expect(t.sent.filter((r) => r.qs?.filter === t.sent[0].qs?.filter)).toHaveLength(3);
		sim.setQuota('fulfillment', 0);
		try {
			const error = await readAll(channel()).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(PlatformError);
			expect(describeError(error)).toMatch(/^Too many requests\. .*daily call limit/);
		} finally {
			sim.setQuota('fulfillment', undefined);
		}
	});

	it('refuses to act as a main store', async () => {
		const store = new EbayTrackingStore(transport(), clock, 'custom', sim.url);
		const error = await (async () => {
			for await (const page of store.pushedSince()) void page;
		})().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).message).toMatch(/eBay cannot be a main store/);
	});
});
