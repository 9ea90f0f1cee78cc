/**
 * Nothing lost, nothing doubled, under faults: 120 channel orders pushed while each simulator answers
 * some requests with 429s, 503s, dropped connections and writes applied whose answer is lost. Runs are
 * repeated (as a 15-minute schedule would) until nothing is left; then every order is in the main store
 * exactly once and the stock equals an oracle computed from the orders alone.
 */
import type { Order } from '../../core/model';
import type { PushSettings } from '../../core/push';
import { pushOrders } from '../../platforms/mainStore';
import type { CreateOptions, MainStore, PushResult } from '../../platforms/mainStore';
import { ShopifyMainStore } from '../../platforms/shopify/mainStore';
import { KEY_META, WooMainStore } from '../../platforms/woocommerce/mainStore';
import { startShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import { basic, fetchTransport } from '../support/fetchTransport';
import { channelOrder } from '../support/orders';

jest.setTimeout(180_000);

const SETTINGS: PushSettings = {
	mode: 'order', require: { paid: true, customer: true, positiveTotal: true, linkedLine: true }, linkBy: 'sku', links: new Map(),
	unlinked: 'wait', keepOrderNumber: false, orderNumberPrefix: '', extraTags: [], contactEmail: { use: 'customer', fixed: '' },
	shipping: { use: 'channel', rules: [] }, cancelOnChannelCancel: true,
};
const CREATE: CreateOptions = { mode: 'order', inventory: 'decrementIgnoringPolicy', sendReceipt: false, sendFulfillmentReceipt: false, marketingOptIn: false };

const FAULTS = [
	{ kind: 'status429', probability: 0.05, retryAfterSeconds: 0 },
	{ kind: 'status503', probability: 0.05 },
	{ kind: 'drop', probability: 0.03 },
	{ kind: 'lostAnswer', probability: 0.1 },
];

/** A clock that does not wait: retries and backoffs happen at once, so the test stays quick. */
const instant = { now: () => Date.now(), sleep: async () => undefined };

function ordersFor(skus: string[], count: number): Order[] {
	return Array.from({ length: count }, (_, i) => channelOrder([
		{ sku: skus[i % skus.length], quantity: 1 + (i % 3), unitPrice: 1000 + i },
		...(i % 4 === 0 ? [{ sku: skus[(i + 3) % skus.length], quantity: 1, unitPrice: 500 }] : []),
	]));
}

function oracle(orders: Order[]): Map<string, number> {
	const taken = new Map<string, number>();
	for (const o of orders) for (const l of o.lines) taken.set(l.sku as string, (taken.get(l.sku as string) ?? 0) + l.quantity);
	return taken;
}

/** Runs the push until every order is in (at most 6 runs); returns the actions of each run. */
async function untilDone(store: () => MainStore, orders: Order[]): Promise<string[][]> {
	const runs: string[][] = [];
	for (let run = 0; run < 6; run++) {
		let results: PushResult[];
		try {
			results = await pushOrders(store(), orders, SETTINGS, { dryRun: false, create: CREATE });
		} catch {
			runs.push(['run failed']); // a look-up ran out of retries: the whole run waits for the next one
			continue;
		}
		runs.push(results.map((r) => r.action));
		if (results.every((r) => r.action === 'created' || r.action === 'alreadyThere')) break;
	}
	return runs;
}

describe('pushing under faults', () => {
	it('Shopify: every order exactly once, stock equal to the oracle', async () => {
		const sim = await startShopifySimulator({ orders: 0, products: 10, seed: 81, restoreRate: 1000, bucketSize: 20000 });
		try {
			const skus = sim.store.variants.map((v) => v.sku as string);
			const orders = ordersFor(skus, 120);
			const before = new Map(skus.map((sku) => [sku, available(sim, sku)]));
			await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify(FAULTS) });
			const runs = await untilDone(() => new ShopifyMainStore(fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } }), instant, sim.url), orders);
			expect(sim.faults.injected.lostAnswer ?? 0).toBeGreaterThan(3);
			expect(runs.length).toBeLessThan(6);
			for (const o of orders) {
				const copies = sim.store.orders.filter((s) => s.sourceIdentifier === `ebay:ebay-seller-1:${o.channelOrderId}` && !s.cancelledAt);
				expect([o.channelOrderId, copies.length]).toEqual([o.channelOrderId, 1]);
			}
			for (const [sku, taken] of oracle(orders)) expect([sku, available(sim, sku)]).toEqual([sku, (before.get(sku) ?? 0) - taken]);
		} finally {
			await sim.close();
		}
	});

	it('WooCommerce: every order exactly once, stock equal to the oracle', async () => {
		const sim = await startWooSimulator({ orders: 0, products: 30, seed: 82 });
		try {
			const products = sim.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku).slice(0, 10);
			const orders = ordersFor(products.map((p) => p.sku), 120);
			const stock = (sku: string) => sim.store.products.find((p) => p.sku === sku)?.stock_quantity ?? 0;
			const before = new Map(products.map((p) => [p.sku, stock(p.sku)]));
			// Few requests carry many orders here (batches of 100): make sure one batch's answer is lost.
			await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify([{ kind: 'lostAnswer', match: 'orders/batch', times: 1 }, ...FAULTS]) });
			const runs = await untilDone(() => new WooMainStore(fetchTransport({ headers: { authorization: basic(sim.consumerKey, sim.consumerSecret) } }), instant, sim.siteUrl), orders);
			expect(sim.faults.injected.lostAnswer ?? 0).toBeGreaterThanOrEqual(1);
			expect(runs.length).toBeLessThan(6);
			for (const o of orders) {
				const copies = sim.store.orders.filter((w) => w.meta_data.some((m) => m.key === KEY_META && m.value === `ebay:ebay-seller-1:${o.channelOrderId}`) && w.status !== 'cancelled');
				expect([o.channelOrderId, copies.length]).toEqual([o.channelOrderId, 1]);
			}
			for (const [sku, taken] of oracle(orders)) expect([sku, stock(sku)]).toEqual([sku, (before.get(sku) ?? 0) - taken]);
		} finally {
			await sim.close();
		}
	});
});

function available(sim: Awaited<ReturnType<typeof startShopifySimulator>>, sku: string): number {
	const variant = sim.store.variants.find((v) => v.sku === sku)!;
	return sim.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).reduce((s, l) => s + l.available, 0);
}
