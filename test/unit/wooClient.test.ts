/**
 * The WooCommerce client and channel against the WooCommerce simulator: key paging that survives equal
 * timestamps and writes during the read, both ways of sending keys, WooCommerce's own error messages,
 * faults, and unknown-outcome writes.
 */
import { PlatformError } from '../../platforms/errors';
import { UnknownOutcomeError } from '../../platforms/retry';
import { WooClient } from '../../platforms/woocommerce/client';
import { WooChannel } from '../../platforms/woocommerce/channel';
import * as ops from '../../platforms/woocommerce/operations';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { basic, fetchTransport, realClock } from '../support/fetchTransport';

const SINCE = '2000-01-01T00:00:00Z';

jest.setTimeout(60_000);

function channelFor(sim: WooSimulator, perPage = 100, auth: 'basic' | 'query' = 'basic', secret = sim.consumerSecret) {
	const transport = fetchTransport(
		auth === 'basic'
			? { headers: { authorization: basic(sim.consumerKey, secret) } }
			: { qs: { consumer_key: sim.consumerKey, consumer_secret: secret } },
	);
	const fastClock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 30))) };
	return { channel: new WooChannel(transport, fastClock, sim.siteUrl, perPage), transport };
}

async function readAll(channel: WooChannel, since = SINCE, by: 'updated' | 'created' = 'updated') {
	const ids: string[] = [];
	for await (const page of channel.readOrders({ since, by })) ids.push(...page.map((o) => o.order.channelOrderId));
	return ids;
}

const allIds = (sim: WooSimulator) => sim.store.orders.map((o) => String(o.id)).sort();

describe('WooCommerce reads', () => {
	let sim: WooSimulator;
	beforeAll(async () => {
		sim = await startWooSimulator({ orders: 700, products: 20, seed: 5, equalTimestampShare: 0.5 });
	});
	afterAll(() => sim.close());
	beforeEach(() => fetch(`${sim.url}/__sim/reset`, { method: 'POST' }));

	it('reads every order exactly once, by updated and by created time', async () => {
		const updated = await readAll(channelFor(sim).channel);
		expect(new Set(updated).size).toBe(updated.length);
		expect([...updated].sort()).toEqual(allIds(sim));
		const created = await readAll(channelFor(sim).channel, SINCE, 'created');
		expect([...created].sort()).toEqual(allIds(sim));
	});

	it('survives a whole page of orders modified in the same second', async () => {
		// 30 orders share one second, more than a page of 10 holds.
		const stamp = sim.store.orders[100].date_modified_gmt;
		for (const o of sim.store.orders.slice(100, 130)) sim.updateOrder(o.id, {}), (o.date_modified_gmt = stamp), (o.date_modified = stamp);
		sim.store.changed(); // the records were edited in place: let the store re-sort
		const ids = await readAll(channelFor(sim, 10).channel);
		expect(new Set(ids).size).toBe(ids.length);
		expect([...ids].sort()).toEqual(allIds(sim));
	});

	it('misses nothing when orders are placed and changed while it pages', async () => {
		const { channel, transport } = channelFor(sim, 50);
		let added = '';
		transport.beforeSend = (_request, index) => {
			if (index === 2) {
				sim.updateOrder(sim.store.orders[3].id, { customer_note: 'changed while paging' });
				added = String(sim.addOrder().id);
			}
		};
		const ids = await readAll(channel);
		expect(new Set(ids)).toEqual(new Set(allIds(sim)));
		expect(ids).toContain(added);
	});

	it('sends keys in the query string for servers that strip Authorization', async () => {
		const ids = await readAll(channelFor(sim, 100, 'query').channel);
		expect(ids.length).toBe(sim.store.orders.length);
	});

	it('shows WooCommerce\'s own message for wrong keys, and never the secret', async () => {
		const error = await readAll(channelFor(sim, 100, 'basic', 'cs_wrong_secret_value').channel).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).message).toBe('WooCommerce: Consumer secret is invalid.');
		expect((error as PlatformError).status).toBe(401);
		expect(JSON.stringify(error) + (error as Error).message).not.toContain('cs_wrong_secret_value');
	});

	it('completes with the right data through 429s, 5xx, HTML pages and dropped connections', async () => {
		await fetch(`${sim.url}/__sim/faults`, {
			method: 'POST',
			body: JSON.stringify([
				{ kind: 'status429', probability: 0.1, retryAfterSeconds: 0.01 },
				{ kind: 'status502', probability: 0.1 },
				{ kind: 'html', probability: 0.05 },
				{ kind: 'drop', probability: 0.05 },
			]),
		});
		const ids = await readAll(channelFor(sim, 50).channel);
		expect([...ids].sort()).toEqual(allIds(sim));
		expect(Object.values(sim.faults.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
	});

	it('names a wrong site URL at once: the theme\'s "page not found" is an answer, not asked again', async () => {
		const client = new WooClient(fetchTransport({ headers: { authorization: basic(sim.consumerKey, sim.consumerSecret) } }), realClock(), `${sim.siteUrl}/shop`);
		const sent = sim.log.length;
		const error = await client.page('/orders', { per_page: 10 }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlatformError);
		expect((error as PlatformError).message).toBe('WooCommerce: /orders answered with an HTML page (HTTP 404), not the REST API');
		expect((error as PlatformError).hint).toBe('Check the store address in the credential: nothing answered at that path.');
		expect(sim.log.length - sent).toBe(1);
	});

	it('reports an order create whose answer was lost as unknown outcome, applied once', async () => {
		await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'lostAnswer', times: 1 }) });
		const client = new WooClient(fetchTransport({ headers: { authorization: basic(sim.consumerKey, sim.consumerSecret) } }), realClock(), sim.siteUrl);
		const before = sim.store.orders.length;
		const product = sim.store.products.find((p) => p.type === 'simple')!;
		const error = await client
			.request('POST', '/orders', { body: { line_items: [{ product_id: product.id, quantity: 1 }] }, write: true })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(UnknownOutcomeError);
		expect(sim.store.orders.length).toBe(before + 1);
	});
});

describe('WooCommerce operations the store-facing nodes use', () => {
	let sim: WooSimulator;
	let client: WooClient;
	beforeAll(async () => {
		sim = await startWooSimulator({ orders: 10, products: 80, seed: 15 });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
		client = new WooClient(fetchTransport({ headers: { authorization: basic(sim.consumerKey, sim.consumerSecret) } }), realClock(), sim.siteUrl);
	});

	it('finds products and variations by SKU, 60 of them in two requests, and says which are unknown', async () => {
		const records = [...sim.store.products.filter((p) => p.sku), ...sim.store.variations.filter((v) => v.sku)].slice(0, 60);
		const found = await ops.productsBySku(client, [...records.map((r) => r.sku), 'NO-SUCH-SKU']);
		expect(records.every((r) => found.get(r.sku)!.some((p) => p.id === r.id))).toBe(true);
		expect(found.get('NO-SUCH-SKU')).toEqual([]);
		expect(client.requests).toBe(2);
	});

	it('an order created paid takes stock once; the stock write and a note land', async () => {
		const product = sim.store.products.find((p) => p.type === 'simple' && p.manage_stock === true && (p.stock_quantity ?? 0) > 5)!;
		const before = product.stock_quantity!;
		const order = await ops.createOrder(client, { set_paid: true, line_items: [{ product_id: product.id, quantity: 2 }], meta_data: [{ key: '_commerce_sync_key', value: 'ebay:1' }] });
		expect(sim.store.products.find((p) => p.id === product.id)!.stock_quantity).toBe(before - 2);
		await ops.addOrderNote(client, order.id, 'Imported from eBay 1');
		expect((await ops.setStock(client, product.id, null, 42)).stock_quantity).toBe(42);
	});

	it('updates more than 100 objects in batches of 100', async () => {
		const updates = sim.store.orders.slice(0, 10).flatMap((o) => Array.from({ length: 11 }, () => ({ id: o.id, customer_note: 'batched' })));
		const results = await ops.batchUpdate(client, '/orders/batch', updates);
		expect(results).toHaveLength(110);
		expect(client.requests).toBe(2);
	});

	it('detects the Shipment Tracking extension, adds tracking and reads it back; without it, says so', async () => {
		expect(await ops.hasShipmentTracking(client)).toBe(true);
		const orderId = sim.store.orders[0].id;
		await ops.addTracking(client, orderId, { provider: 'USPS', number: '9400100000000000000000', dateShipped: '2026-11-20' });
		expect((await ops.listTracking(client, orderId)).map((t) => t.tracking_number)).toEqual(['9400100000000000000000']);
		const bare = await startWooSimulator({ orders: 1, products: 1, seed: 1, shipmentTracking: false });
		try {
			const bareClient = new WooClient(fetchTransport({ headers: { authorization: basic(bare.consumerKey, bare.consumerSecret) } }), realClock(), bare.siteUrl);
			expect(await ops.hasShipmentTracking(bareClient)).toBe(false);
		} finally {
			await bare.close();
		}
	});
});
