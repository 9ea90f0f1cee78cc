/**
 * The Shopify client and channel against the Shopify simulator: pages, throttling, faults, auth, and
 * writes whose answer is lost. These protect the reads every Shopify node relies on.
 */
import { parse, validate } from 'graphql';
import { ShopifyChannel } from '../../platforms/shopify/channel';
import * as channelModule from '../../platforms/shopify/channel';
import * as bulkModule from '../../platforms/shopify/bulk';
import * as operations from '../../platforms/shopify/operations';
import * as inventoryModule from '../../platforms/shopify/inventory';
import * as trackingModule from '../../platforms/shopify/tracking';
import { ShopifyClient, pageSizeFor } from '../../platforms/shopify/client';
import { PlatformError } from '../../platforms/errors';
import { UnknownOutcomeError } from '../../platforms/retry';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { shopifySchema } from '../simulators/shopify/schema';
import { fetchTransport, realClock } from '../support/fetchTransport';

const SINCE = '2000-01-01T00:00:00Z';

jest.setTimeout(60_000);

function channelFor(sim: ShopifySimulator, token = sim.accessToken) {
	const transport = fetchTransport({ headers: { 'X-Shopify-Access-Token': token } });
	const clock = realClock();
	return { channel: new ShopifyChannel(transport, clock, sim.url), transport, clock };
}

async function readAll(channel: ShopifyChannel, since = SINCE) {
	const ids: string[] = [];
	for await (const page of channel.readOrders({ since, by: 'updated' })) ids.push(...page.map((o) => o.order.channelOrderId));
	return ids;
}

describe('every GraphQL document the pack sends', () => {
	it('validates against the official Admin schema', () => {
		const documents: Array<[string, unknown]> = [...Object.entries(channelModule), ...Object.entries(bulkModule), ...Object.entries(operations), ...Object.entries(inventoryModule), ...Object.entries(trackingModule)]
			.filter(([name, value]) => /_(QUERY|MUTATION)$/.test(name) && typeof value === 'string');
		documents.push(['bulkOrdersQuery', channelModule.bulkOrdersQuery("updated_at:>='2026-01-01T00:00:00Z'", 'UPDATED_AT')]);
		expect(documents.length).toBeGreaterThanOrEqual(16);
		for (const [name, text] of documents) {
			const errors = validate(shopifySchema(), parse(text as string));
			expect({ name, errors: errors.map((e) => e.message) }).toEqual({ name, errors: [] });
		}
	});
});

describe('Shopify reads', () => {
	let sim: ShopifySimulator;
	beforeAll(async () => {
		sim = await startShopifySimulator({ orders: 600, products: 30, seed: 7, restoreRate: 1000, bucketSize: 20000 });
	});
	afterAll(() => sim.close());
	beforeEach(() => fetch(`${sim.url}/__sim/reset`, { method: 'POST' }));

	it('reads every order exactly once over many pages, equal timestamps included', async () => {
		const { channel, transport } = channelFor(sim);
		const ids = await readAll(channel);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.sort()).toEqual(sim.store.orders.map((o) => String(o.id)).sort());
		expect(transport.sent.length).toBeGreaterThan(3);
	});

	it('maps orders with their lines, taxes and totals in minor units', async () => {
		const { channel } = channelFor(sim);
		const first = sim.store.orders[0];
		for await (const page of channel.readOrders({ since: SINCE, by: 'updated' })) {
			const found = page.find((o) => o.order.channelOrderId === String(first.id));
			if (!found) continue;
			expect(found.order.channelOrderNumber).toBe(first.name);
			expect(found.order.lines.map((l) => l.sku)).toEqual(first.lineItems.map((l) => l.sku || null));
			expect(found.order.lines.map((l) => l.quantity)).toEqual(first.lineItems.map((l) => l.quantity));
			return;
		}
		throw new Error('first order not read');
	});

	it('sees an order updated while paging again, and misses none', async () => {
		const { channel, transport } = channelFor(sim);
		const target = sim.store.orders[5];
		transport.beforeSend = (_request, index) => {
			if (index === 2) sim.updateOrder(target.id, { note: 'changed while paging' });
		};
		const ids = await readAll(channel);
		expect(new Set(ids)).toEqual(new Set(sim.store.orders.map((o) => String(o.id))));
		expect(ids.filter((id) => id === String(target.id)).length).toBeGreaterThanOrEqual(1);
	});

	it('sizes pages from the reported cost: as large as fits under the 1,000-point single-query limit', async () => {
		const { channel, transport } = channelFor(sim);
		await readAll(channel); // a page over the limit would fail the read with MAX_COST_EXCEEDED
		const firsts = transport.sent.map((r) => (r.body as { variables: { first: number } }).variables.first);
		expect(firsts[0]).toBe(3);
		expect(Math.max(...firsts)).toBeGreaterThan(3);
		const requested = channel.client.requestedCostOf((transport.sent[1].body as { query: string }).query)!;
		expect(requested).toBeLessThanOrEqual(1000);
		expect(requested).toBeGreaterThan(800);
		expect(pageSizeFor(259, 1, 250)).toBe(3);
		expect(pageSizeFor(10, 1, 250)).toBe(118);
		expect(pageSizeFor(3, 1, 250)).toBe(250);
	});

	it('says the token was refused without showing it', async () => {
		const { channel } = channelFor(sim, 'shpat_wrong_secret_value');
		const error = await readAll(channel).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).status).toBe(401);
		expect((error as PlatformError).message).toMatch(/Invalid API key or access token/);
		expect(JSON.stringify(error) + (error as Error).message).not.toContain('shpat_wrong_secret_value');
	});

	it('completes with the right data through 429s, 5xx, HTML pages and dropped connections', async () => {
		await fetch(`${sim.url}/__sim/faults`, {
			method: 'POST',
			body: JSON.stringify([
				{ kind: 'status429', probability: 0.1, retryAfterSeconds: 0.05 },
				{ kind: 'status503', probability: 0.1, retryAfterSeconds: 0.05 },
				{ kind: 'status500', probability: 0.05 },
				{ kind: 'drop', probability: 0.05 },
			]),
		});
		const transport = fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } });
		const channel = new ShopifyChannel(transport, { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))) }, sim.url);
		const ids = await readAll(channel);
		expect(ids.sort()).toEqual(sim.store.orders.map((o) => String(o.id)).sort());
		expect(Object.values(sim.faults.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
	});

	it('reports a mutation whose answer was lost as unknown outcome, not a blind retry', async () => {
		await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'lostAnswer', times: 1 }) });
		const client = new ShopifyClient(fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } }), realClock(), sim.url);
		const before = sim.store.orders.length;
		const error = await client
			.request(
				'mutation Tag($id: ID!) { tagsAdd(id: $id, tags: ["synced"]) { userErrors { field message } } }',
				{ id: `gid://shopify/Order/${sim.store.orders[0].id}` },
				{ write: true },
			)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(UnknownOutcomeError);
		expect(sim.store.orders.length).toBe(before);
		const log = (await (await fetch(`${sim.url}/__sim/log`)).json()) as unknown[];
		expect(log).toHaveLength(1);
	});
});

describe('Shopify throttling', () => {
	it('waits for the bucket instead of failing, at the Standard restore rate', async () => {
		// Two readers of 40 orders (~38 points each) share a 1,000-point bucket restoring 200 points/s (Advanced).
		const sim = await startShopifySimulator({ orders: 40, products: 10, seed: 3, restoreRate: 200, bucketSize: 1000 });
		try {
			const { channel, clock } = channelFor(sim);
			const a = readAll(channel);
			// A second reader on the same bucket (another app): one of them meets THROTTLED and must wait.
			const b = readAll(channelFor(sim).channel);
			const [ida, idb] = await Promise.all([a, b]);
			expect(ida.length).toBe(40);
			expect(idb.length).toBe(40);
			expect(clock.slept).toBeGreaterThan(0);
			expect(channel.client.stats.requests).toBeGreaterThan(1);
		} finally {
			await sim.close();
		}
	});
});

describe('Shopify bulk reads', () => {
	let sim: ShopifySimulator;
	beforeAll(async () => {
		sim = await startShopifySimulator({ orders: 600, products: 30, seed: 9, restoreRate: 100, bucketSize: 2000, bulkObjectsPerSecond: 50_000, bulkStartupMs: 100 });
	});
	afterAll(() => sim.close());
	beforeEach(() => fetch(`${sim.url}/__sim/reset`, { method: 'POST' }));

	function bulkChannel() {
		const transport = fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } });
		const download = fetchTransport();
		return { channel: new ShopifyChannel(transport, realClock(), sim.url, { download, bulkThreshold: 100 }), transport, download };
	}

	it('reads a large window in one bulk operation, every order once with all its lines, the file fetched without the token', async () => {
		const { channel, transport, download } = bulkChannel();
		const orders: Array<{ id: string; lines: number; problems: string[] }> = [];
		for await (const page of channel.readOrders({ since: SINCE, by: 'updated' })) {
			for (const { order } of page) orders.push({ id: order.channelOrderId, lines: order.lines.length, problems: order.problems });
		}
		expect(orders.map((o) => o.id).sort()).toEqual(sim.store.orders.map((o) => String(o.id)).sort());
		const linesOf = new Map(sim.store.orders.map((o) => [String(o.id), o.lineItems.length]));
		expect(orders.filter((o) => o.lines !== linesOf.get(o.id))).toEqual([]);
		expect(orders.flatMap((o) => o.problems).filter((p) => p.includes('says the total'))).toEqual([]);
		expect(channel.lastBulk?.objectCount).toBeGreaterThan(600);
		expect(transport.sent.length).toBeLessThan(30); // count, start, a few status polls
		expect(download.sent).toHaveLength(1);
		expect(download.sent[0].headers?.['X-Shopify-Access-Token']).toBeUndefined();
	});

	it('does not start a second operation when the answer to the first start was lost', async () => {
		await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'lostAnswer', match: 'BulkRun', times: 1 }) });
		const { channel } = bulkChannel();
		let count = 0;
		for await (const page of channel.readOrders({ since: SINCE, by: 'updated' })) count += page.length;
		expect(count).toBe(600);
		const operations = (await (await fetch(`${sim.url}/__sim/bulk`)).json()) as unknown[];
		expect(operations).toHaveLength(1);
	});

	it('waits for a free bulk slot when overlapping runs (queue-mode workers) hold all five, instead of failing', async () => {
		// Six reads at once: Shopify runs five bulk queries per app and shop; the sixth start is refused
		// with OPERATION_IN_PROGRESS (found by test/e2e/queueMode.test.ts) and must wait, then read.
		const slow = await startShopifySimulator({ orders: 150, products: 10, seed: 19, restoreRate: 1000, bucketSize: 20000, bulkStartupMs: 1500 });
		try {
			const counts = await Promise.all(Array.from({ length: 6 }, async () => {
				const channel = new ShopifyChannel(fetchTransport({ headers: { 'X-Shopify-Access-Token': slow.accessToken } }), realClock(), slow.url, { download: fetchTransport(), bulkThreshold: 100 });
				let count = 0;
				for await (const page of channel.readOrders({ since: SINCE, by: 'updated' })) count += page.length;
				return count;
			}));
			expect(counts).toEqual(Array(6).fill(150));
			const operations = (await (await fetch(`${slow.url}/__sim/bulk`)).json()) as unknown[];
			expect(operations).toHaveLength(6);
		} finally {
			await slow.close();
		}
	});

	it('reads a small window page by page (a bulk operation has a start-up of its own)', async () => {
		const { channel } = bulkChannel();
		const recent = sim.store.orders.map((o) => o.updatedAt).sort().slice(-20)[0];
		let count = 0;
		for await (const page of channel.readOrders({ since: recent, by: 'updated' })) count += page.length;
		expect(count).toBeGreaterThanOrEqual(20);
		expect(channel.lastBulk).toBeUndefined();
	});
});

describe('Shopify operations the store-facing nodes use', () => {
	let sim: ShopifySimulator;
	let client: ShopifyClient;
	beforeAll(async () => {
		sim = await startShopifySimulator({ orders: 20, products: 40, seed: 13, restoreRate: 1000, bucketSize: 20000 });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
		client = new ShopifyClient(fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } }), realClock(), sim.url);
	});

	it('looks up 60 SKUs in two requests, and says which are unknown', async () => {
		const skus = sim.store.variants.slice(0, 60).map((v) => v.sku!).filter(Boolean);
		const found = await operations.variantsBy(client, 'sku', [...skus, 'NO-SUCH-SKU']);
		expect(skus.every((sku) => found.get(sku)!.length === 1 && found.get(sku)![0].sku === sku)).toBe(true);
		expect(found.get('NO-SUCH-SKU')).toEqual([]);
		expect(client.stats.requests).toBe(2);
	});

	it('finds variants by barcode and by product handle', async () => {
		const variant = sim.store.variants.find((v) => v.barcode)!;
		const product = sim.store.products.find((p) => p.id === variant.productId)!;
		expect((await operations.variantsBy(client, 'barcode', [variant.barcode!])).get(variant.barcode!)!.map((v) => v.id)).toEqual([`gid://shopify/ProductVariant/${variant.id}`]);
		const byHandle = (await operations.variantsBy(client, 'handle', [product.handle])).get(product.handle)!;
		expect(byHandle.map((v) => v.id).sort()).toEqual(sim.store.variants.filter((v) => v.productId === product.id).map((v) => `gid://shopify/ProductVariant/${v.id}`).sort());
	});

	it('creates an order that takes stock only when asked, and finds it again by source identifier', async () => {
		const variant = sim.store.variants.find((v) => v.sku && !v.requiresComponents)!;
		const level = sim.store.inventoryLevels.find((l) => l.inventoryItemId === variant.inventoryItemId)!;
		const before = level.available;
		const created = await operations.orderCreate(client, {
			lineItems: [{ variantId: `gid://shopify/ProductVariant/${variant.id}`, quantity: 1 }],
			sourceIdentifier: 'ebay-12-34567', sourceName: 'ebay', currency: 'USD',
		}, { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' });
		expect(created.id).toMatch(/^gid:\/\/shopify\/Order\//);
		expect(sim.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).reduce((s, l) => s + l.available, 0)).toBeLessThan(
			before + sim.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId && l !== level).reduce((s, l) => s + l.available, 0),
		);
		expect((await operations.ordersBySource(client, ['ebay-12-34567', 'ebay-none'])).get('ebay-12-34567')?.map((o) => o.id)).toEqual([created.id]);
	});

	it('sets inventory once per idempotency key, and refuses a stale compare-and-set in Shopify\'s words', async () => {
		const level = sim.store.inventoryLevels[0];
		const item = `gid://shopify/InventoryItem/${level.inventoryItemId}`;
		const location = `gid://shopify/Location/${level.locationId}`;
		const before = level.available;
		await operations.inventorySet(client, 'k-1', [{ inventoryItemId: item, locationId: location, quantity: before + 5, changeFromQuantity: before }]);
		expect(level.available).toBe(before + 5);
		await operations.inventorySet(client, 'k-1', [{ inventoryItemId: item, locationId: location, quantity: before + 5, changeFromQuantity: before }]);
		expect(level.available).toBe(before + 5);
		const stale = await operations.inventorySet(client, 'k-2', [{ inventoryItemId: item, locationId: location, quantity: 1, changeFromQuantity: before }]).catch((e: unknown) => e);
		expect(stale).toBeInstanceOf(PlatformError);
		expect((stale as PlatformError).code).toBe('CHANGE_FROM_QUANTITY_STALE');
	});

	it('lists locations', async () => {
		expect((await operations.locations(client)).map((l) => l.id).sort()).toEqual(sim.store.locations.map((l) => `gid://shopify/Location/${l.id}`).sort());
	});
});
