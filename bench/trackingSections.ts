/**
 * Sync Tracking at 1,000 shipped orders in real n8n, both ways a shop runs it (main store → channel):
 *  - Shopify main store → WooCommerce channel (Shipment Tracking): the main store is rate-limited reads,
 *    the channel takes the writes;
 *  - WooCommerce main store → Shopify channel: the rate-limited store takes the writes (fulfillmentCreate).
 * The orders are real pushes (the push loop, so keys, tags and meta are the real ones), shipped on the
 * main store as a shop does: most with one tracking number, every fifth with two in one package. Figures:
 * requests per order against the fewest the APIs allow, seconds against Shopify's rate-limit floor (its
 * points over the restore rate beyond the bucket) and against WooCommerce's fewest requests one after
 * another, and a second run that must write nothing.
 */
import type { Order } from '../core/model';
import { ShopifyChannel } from '../platforms/shopify/channel';
import { WooChannel } from '../platforms/woocommerce/channel';
import { credentialRef, shopifyCredential, wooCredential } from '../test/e2e/harness/fixtures';
import { N8nInstance } from '../test/e2e/harness/n8n';
import type { ExecutionResult } from '../test/e2e/harness/n8n';
import { chainWorkflow } from '../test/e2e/harness/workflow';
import { startShopifySimulator } from '../test/simulators/shopify';
import type { ShopifySimulator } from '../test/simulators/shopify';
import { newId } from '../test/simulators/shopify/store';
import { startWooSimulator } from '../test/simulators/woocommerce';
import type { WooSimulator } from '../test/simulators/woocommerce';
import { basic, realClock } from '../test/support/fetchTransport';
import { pushTo, setWooStatus, shipOnShopify, shopifyTransport, trackOnWoo, wooTransport } from '../test/support/tracking';
import { median, round } from './harness';
import type { BenchFigure, BenchSection } from './harness';

const ORDERS = 1000;
/** Shopify Standard plan. */
const RATE = { restoreRate: 100, bucketSize: 2000 };
const UNLIMITED = { restoreRate: 1e7, bucketSize: 1e7 };
/** A run at the rate limit takes minutes: more than the harness's default wait. */
const RUN_TIMEOUT_MS = 20 * 60_000;
/** Every fifth order ships in one package with two tracking numbers. */
const twoNumbers = (i: number) => i % 5 === 4;

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
	const out: T[] = [];
	for await (const page of pages) out.push(...page);
	return out;
}

async function wooChannelOrders(woo: WooSimulator): Promise<Order[]> {
	const since = new Date(Date.now() - 3_600_000).toISOString();
	const simple = woo.store.products.filter((p) => p.type === 'simple' && p.purchasable && p.status === 'publish');
	for (let i = 0; i < ORDERS; i++) {
		woo.addOrder({ status: 'processing', line_items: [0, 1].slice(0, 1 + (i % 2)).map((k) => ({ product_id: simple[(i * 3 + k) % simple.length].id, quantity: 1 + ((i + k) % 2) })) });
	}
	const read = await all(new WooChannel(wooTransport(woo), realClock(), woo.siteUrl).readOrders({ since, by: 'created' }));
	return read.map((r) => r.order);
}

async function shopifyChannelOrders(shopify: ShopifySimulator): Promise<Order[]> {
	const since = new Date(Date.now() - 3_600_000).toISOString();
	const variants = shopify.store.variants.filter((v) => !v.requiresComponents);
	for (let i = 0; i < ORDERS; i++) {
		const lines = [0, 1].slice(0, 1 + (i % 2)).map((k) => {
			const v = variants[(i * 3 + k) % variants.length];
			const quantity = 1 + ((i + k) % 2);
			return {
				id: newId(shopify.store), variantId: v.id, productId: v.productId, sku: v.sku, title: `Product ${v.sku}`, variantTitle: v.title, name: `Product ${v.sku} - ${v.title}`,
				vendor: null, quantity, fulfillableQuantity: quantity, requiresShipping: true, taxable: false, unitPrice: v.price, discount: '0.00', taxLines: [],
			};
		});
		shopify.addOrder({ lineItems: lines });
	}
	const read = await all(new ShopifyChannel(shopifyTransport(shopify), realClock(), shopify.url).readOrders({ since, by: 'created' }));
	return read.map((r) => r.order);
}


function ok(result: ExecutionResult): ExecutionResult {
	if (!result.ok) throw new Error(`run failed: ${result.error?.message ?? result.stdout.slice(-500)}`);
	return result;
}

/** Shopify's rate-limit floor for `points` spent: what the bucket cannot hold, at the restore rate. */
const rateFloorOf = (points: number) => Math.max(0, points - RATE.bucketSize) / RATE.restoreRate;

/**
 * The sync run twice, as the schedule runs it: the first run with the requests each store received and
 * the Shopify points it cost, then a second run with what the stores received then.
 */
async function twoRuns(n8n: N8nInstance, workflowId: string, shopify: ShopifySimulator, woo: WooSimulator) {
	const [s0, w0, p0] = [shopify.log.length, woo.log.length, shopify.pointsSpent()];
	const first = ok(await n8n.execute(workflowId, RUN_TIMEOUT_MS));
	const firstRun = { shopifyLog: shopify.log.slice(s0), wooLog: woo.log.slice(w0), points: shopify.pointsSpent() - p0 };
	const [s1, w1] = [shopify.log.length, woo.log.length];
	const second = ok(await n8n.execute(workflowId, RUN_TIMEOUT_MS));
	return { first, ...firstRun, second, secondShopifyLog: shopify.log.slice(s1), secondWooLog: woo.log.slice(w1) };
}

const syncNode = (channel: string, mainStore: string, credentials: Record<string, { id: string; name: string }>) => ({
	name: 'Sync', type: 'syncTracking', credentials,
	parameters: { channel, mainStore, direction: 'mainToChannel', orders: 'changed', lookBackHours: 2, notifyCustomer: true, markCompleted: true, dryRun: false },
});

export const TRACKING_SECTIONS: BenchSection[] = [
	{
		id: 'tracking-shopify-to-woo',
		title: `Sync Tracking in real n8n: ${ORDERS.toLocaleString('en')} orders shipped in a Shopify main store (Standard plan) → WooCommerce channel with Shipment Tracking`,
		async run(): Promise<BenchFigure[]> {
			const woo = await startWooSimulator({ orders: 0, products: 60, seed: 181 });
			const shopify = await startShopifySimulator({ orders: 0, products: 30, seed: 182, ...UNLIMITED });
			const n8n = N8nInstance.create();
			try {
				const orders = await wooChannelOrders(woo);
				const mains = await pushTo(shopify, orders);
				let numbers = 0;
				for (const [i, gid] of mains.entries()) {
					const list = twoNumbers(i) ? [`1ZBENCH${i}A`, `1ZBENCH${i}B`] : [`1ZBENCH${i}A`];
					numbers += list.length;
					await shipOnShopify(shopify, gid, { company: 'UPS', numbers: list });
				}
				shopify.setRateLimit(RATE);
				const mainCred = shopifyCredential('benchTrkShop0001', 'Shopify main', shopify);
				const channelCred = wooCredential('benchTrkWoo00001', 'WooCommerce channel', woo);
				await n8n.importCredentials([mainCred, channelCred]);
				const workflow = chainWorkflow('bench tracking shopify to woo', [syncNode('woocommerce', 'shopify', { ...credentialRef(channelCred), ...credentialRef(mainCred) })]);
				await n8n.importWorkflows([workflow]);

				const { first, shopifyLog, wooLog, points, second, secondShopifyLog, secondWooLog } = await twoRuns(n8n, workflow.id, shopify, woo);
				const synced = first.json('Sync', 0);
				const written = synced.filter((j) => j.action === 'written').length;
				const trackingItems = woo.store.orders.reduce((n, o) => n + woo.store.trackingItems(o).length, 0);
				const completed = woo.store.orders.filter((o) => o.status === 'completed').length;
				const secondWrites = secondWooLog.filter((e) => e.method !== 'GET').length;

				// The fewest: Shopify: the changed pushed orders (pages grow to 250 as their cost allows), then each order's fulfillments (one
				// read each); WooCommerce: the providers once, each order and its tracking items (two reads: the
				// extension's items are not in the order), one POST per number, one PUT to complete.
				const minShopify = Math.ceil(ORDERS / 250) + ORDERS;
				const minWoo = 1 + 2 * ORDERS + numbers + ORDERS;
				const rateFloor = rateFloorOf(points);
				const sampleId = woo.store.orders[0].id;
				const readMs = await median(15, () => fetch(`${woo.siteUrl}/wp-json/wc/v3/orders/${sampleId}`, { headers: { authorization: basic(woo.consumerKey, woo.consumerSecret) } }).then((r) => r.text()));
				const wooFloor = (minWoo * readMs) / 1000;
				const seconds = first.measured.wallMs / 1000;
				const floor = Math.max(rateFloor, wooFloor);
				return [
					{ name: 'orders synced (written)', value: written, unit: 'orders', note: `${synced.length} out, ${first.json('Sync', 1).length} failed; ${trackingItems} tracking items and ${completed} completed orders on WooCommerce (${numbers} numbers shipped)` },
					{ name: 'Shopify requests per order', value: round(shopifyLog.length / ORDERS, 3), unit: 'requests', note: `${shopifyLog.length} (fewest: ${minShopify}); ${points} points` },
					{ name: 'WooCommerce requests per order', value: round(wooLog.length / ORDERS, 3), unit: 'requests', note: `${wooLog.length} (fewest: ${minWoo}: 2 reads, 1 POST per number, 1 PUT)` },
					{ name: 'time (whole n8n run, start-up included)', value: round(seconds, 1), unit: 's', goal: '≤ 1.15 × floor', note: `Sync Tracking node ${round(first.nodeTime('Sync') / 1000, 1)} s` },
					{ name: 'Shopify rate-limit floor: (points − bucket) ÷ 100 points/s', value: round(rateFloor, 1), unit: 's' },
					{ name: 'WooCommerce floor: fewest requests one after another', value: round(wooFloor, 1), unit: 's', note: `median request ${round(readMs, 1)} ms` },
					{ name: 'time against the larger floor', value: round(seconds / floor, 2), unit: '×' },
					{ name: 'second run: writes', value: secondWrites, unit: 'requests', goal: '0', note: `${secondShopifyLog.length + secondWooLog.length} reads, ${round(second.measured.wallMs / 1000, 1)} s` },
				];
			} finally {
				n8n.dispose();
				await Promise.all([woo.close(), shopify.close()]);
			}
		},
	},
	{
		id: 'tracking-woo-to-shopify',
		title: `Sync Tracking in real n8n: ${ORDERS.toLocaleString('en')} orders shipped in a WooCommerce main store → Shopify channel (Standard plan)`,
		async run(): Promise<BenchFigure[]> {
			const woo = await startWooSimulator({ orders: 0, products: 60, seed: 183 });
			const shopify = await startShopifySimulator({ orders: 0, products: 30, seed: 184, ...UNLIMITED });
			const n8n = N8nInstance.create();
			try {
				const orders = await shopifyChannelOrders(shopify);
				const mains = await pushTo(woo, orders);
				let numbers = 0;
				for (const [i, id] of mains.entries()) {
					const list = twoNumbers(i) ? [`1ZBENCH${i}A`, `1ZBENCH${i}B`] : [`1ZBENCH${i}A`];
					numbers += list.length;
					for (const number of list) await trackOnWoo(woo, id, { provider: 'UPS', number });
					setWooStatus(woo, id, 'completed');
				}
				shopify.setRateLimit(RATE);
				const mainCred = wooCredential('benchTrkWoo00002', 'WooCommerce main', woo);
				const channelCred = shopifyCredential('benchTrkShop0002', 'Shopify channel', shopify);
				await n8n.importCredentials([mainCred, channelCred]);
				const workflow = chainWorkflow('bench tracking woo to shopify', [syncNode('shopify', 'woocommerce', { ...credentialRef(channelCred), ...credentialRef(mainCred) })]);
				await n8n.importWorkflows([workflow]);

				const { first, shopifyLog, wooLog, points, second, secondShopifyLog } = await twoRuns(n8n, workflow.id, shopify, woo);
				const synced = first.json('Sync', 0);
				const fulfilled = shopify.store.orders.filter((o) => o.displayFulfillmentStatus === 'FULFILLED').length;
				const creates = shopifyLog.filter((e) => /FulfillmentCreate/.test(e.label ?? '')).length;
				const secondWrites = secondShopifyLog.filter((e) => /^Tracking/.test(e.label ?? '')).length;

				// The fewest: WooCommerce: changed orders 100 per page, each order's tracking items (the order
				// itself comes with the page, but the node reads it again to see its current state: 2 per order);
				// Shopify: each order's fulfillments, its fulfillment orders, one fulfillmentCreate with all numbers.
				const minShopify = 3 * ORDERS;
				const rateFloor = rateFloorOf(points);
				const seconds = first.measured.wallMs / 1000;
				return [
					{ name: 'orders synced (written)', value: synced.filter((j) => j.action === 'written').length, unit: 'orders', note: `${synced.length} out, ${first.json('Sync', 1).length} failed; ${fulfilled} Shopify orders fulfilled (${numbers} numbers shipped)` },
					{ name: 'Shopify requests per order', value: round(shopifyLog.length / ORDERS, 3), unit: 'requests', note: `${shopifyLog.length} (fewest: ${minShopify}: fulfillments, fulfillment orders, one fulfillmentCreate); ${creates} fulfillmentCreate; ${points} points, ${round(points / ORDERS, 1)} per order` },
					{ name: 'WooCommerce requests per order', value: round(wooLog.length / ORDERS, 3), unit: 'requests', note: `${wooLog.length}` },
					{ name: 'time (whole n8n run, start-up included)', value: round(seconds, 1), unit: 's', goal: '≤ 1.15 × floor', note: `Sync Tracking node ${round(first.nodeTime('Sync') / 1000, 1)} s` },
					{ name: 'Shopify rate-limit floor: (points − bucket) ÷ 100 points/s', value: round(rateFloor, 1), unit: 's' },
					{ name: 'time against the floor', value: round(seconds / rateFloor, 2), unit: '×' },
					{ name: 'second run: Shopify writes', value: secondWrites, unit: 'requests', goal: '0', note: `${round(second.measured.wallMs / 1000, 1)} s` },
				];
			} finally {
				n8n.dispose();
				await Promise.all([woo.close(), shopify.close()]);
			}
		},
	},
];
