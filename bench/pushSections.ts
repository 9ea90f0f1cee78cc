/**
 * Pushing orders into the main stores: 1,000 channel orders through the push loop against each
 * simulator at the platform's limits (requests per order, seconds against the rate-limit floor), and in
 * real n8n next to what a user would otherwise build: n8n's WooCommerce node creating one order per item.
 */
import { readOrder } from '../core/order';
import type { PushSettings } from '../core/push';
import { pushOrders } from '../platforms/mainStore';
import type { CreateOptions } from '../platforms/mainStore';
import { ShopifyMainStore } from '../platforms/shopify/mainStore';
import { WooMainStore } from '../platforms/woocommerce/mainStore';
import { credentialRef, wooCredential } from '../test/e2e/harness/fixtures';
import { workflowId } from '../test/e2e/harness/workflow';
import { startShopifySimulator } from '../test/simulators/shopify';
import { startWooSimulator } from '../test/simulators/woocommerce';
import { basic, fetchTransport, realClock } from '../test/support/fetchTransport';
import { generatedItemsWorkflow, round, timeInN8n } from './harness';
import type { BenchFigure, BenchSection } from './harness';

const ORDERS = 1000;

const SETTINGS: PushSettings = {
	mode: 'order', require: { paid: true, customer: true, positiveTotal: true, linkedLine: true }, linkBy: 'sku', links: new Map(),
	unlinked: 'wait', keepOrderNumber: false, orderNumberPrefix: '', extraTags: [], contactEmail: { use: 'customer', fixed: '' },
	shipping: { use: 'channel', rules: [] }, cancelOnChannelCancel: true,
};
const CREATE: CreateOptions = { mode: 'order', inventory: 'decrementIgnoringPolicy', sendReceipt: false, sendFulfillmentReceipt: false, marketingOptIn: false };

/** Source text of `(i) => order`, so the same orders are made in this process and in an n8n Code node. */
function orderMaker(skus: string[], run: string): string {
	return `(i) => {
	const skus = ${JSON.stringify(skus)};
	const address = { firstName: 'Buyer', lastName: 'N' + i, company: null, address1: i + ' Market St', address2: null, city: 'Springfield', province: null, provinceCode: 'IL', zip: '62701', countryCode: 'US', phone: null };
	const lines = [0, 1].slice(0, 1 + (i % 2)).map((k) => ({ channelLineId: String(k + 1), sku: skus[(i * 7 + k * 3) % skus.length], title: 'Item', quantity: 1 + ((i + k) % 3), unitPrice: 1000 + ((i * 37 + k) % 4000) }));
	return {
		kind: 'order', channel: 'ebay', channelStoreId: 'bench-seller', channelOrderId: '${run}-' + i, channelOrderNumber: '${run}-' + i,
		createdAt: new Date(Date.now() - 3600000).toISOString(), status: 'open', financialStatus: 'paid', fulfillmentStatus: 'unfulfilled',
		currency: 'USD', taxesIncluded: false, customer: { email: 'buyer' + i + '@example.com', firstName: 'Buyer', lastName: 'N' + i, phone: null, channelCustomerId: null },
		shippingAddress: address, billingAddress: address, lines, shippingLines: [{ title: 'Ground', code: 'ground', price: 599, discount: 0, taxLines: [] }],
	};
}`;
}

function makeOrders(source: string, count: number) {
	const make = new Function(`return (${source});`)() as (i: number) => unknown;
	return Array.from({ length: count }, (_, i) => readOrder(make(i)));
}

export const PUSH_SECTIONS: BenchSection[] = [
	{
		id: 'push-shopify',
		title: `Push: ${ORDERS.toLocaleString('en')} orders into a Shopify main store (Standard plan: 100 points/s, bucket 2,000)`,
		async run(): Promise<BenchFigure[]> {
			const sim = await startShopifySimulator({ orders: 0, products: 50, seed: 51, restoreRate: 100, bucketSize: 2000 });
			try {
				const skus = sim.store.variants.map((v) => v.sku as string);
				const orders = makeOrders(orderMaker(skus, 'S'), ORDERS);
				const store = new ShopifyMainStore(fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } }), realClock(), sim.url);
				const started = process.hrtime.bigint();
				const results = await pushOrders(store, orders, SETTINGS, { dryRun: false, create: CREATE });
				const seconds = Number(process.hrtime.bigint() - started) / 1e9;
				const created = results.filter((r) => r.action === 'created').length;
				const requests = sim.log.length;
				const cost = store.client.stats.actualCost;
				const floor = Math.max(0, cost - 2000) / 100;
				const again = await pushOrders(store, orders.slice(0, 100), SETTINGS, { dryRun: false, create: CREATE });
				return [
					{ name: 'orders created', value: created, unit: 'orders', note: `${sim.store.orders.length} orders in the store after the run` },
					{ name: 'requests per order (look-ups + creates + race check)', value: round(requests / ORDERS, 3), unit: 'requests', goal: '≤ 2.0' },
					{ name: 'time', value: round(seconds, 1), unit: 's' },
					{ name: 'rate-limit floor: (points spent − bucket) ÷ 100 points/s', value: round(floor, 1), unit: 's', note: `${cost} points spent, ${round(cost / ORDERS, 1)} per order` },
					{ name: 'time against the floor', value: round(seconds / floor, 2), unit: '×', goal: '≤ 1.15×' },
					{ name: 'THROTTLED answers', value: store.client.stats.throttled, unit: 'answers' },
					{ name: 'second push of 100 of them: orders created', value: again.filter((r) => r.action === 'created').length, unit: 'orders', goal: '0' },
				];
			} finally {
				await sim.close();
			}
		},
	},
	{
		id: 'push-woocommerce',
		title: `Push: ${ORDERS.toLocaleString('en')} orders into a WooCommerce main store`,
		async run(): Promise<BenchFigure[]> {
			const sim = await startWooSimulator({ orders: 2000, products: 60, seed: 52 });
			try {
				const skus = sim.store.products.filter((p) => p.type === 'simple' && p.sku).map((p) => p.sku);
				const orders = makeOrders(orderMaker(skus, 'W'), ORDERS);
				const store = new WooMainStore(fetchTransport({ headers: { authorization: basic(sim.consumerKey, sim.consumerSecret) } }), realClock(), sim.siteUrl);
				const started = process.hrtime.bigint();
				const results = await pushOrders(store, orders, SETTINGS, { dryRun: false, create: CREATE });
				const seconds = Number(process.hrtime.bigint() - started) / 1e9;
				const requests = sim.log.length;
				const batches = sim.log.filter((e) => e.path.endsWith('/orders/batch'));
				return [
					{ name: 'orders created', value: results.filter((r) => r.action === 'created').length, unit: 'orders' },
					{ name: 'requests per order (look-ups + batch creates + race check)', value: round(requests / ORDERS, 3), unit: 'requests', goal: '≤ 1.2' },
					{ name: 'batch create requests', value: batches.length, unit: 'requests', note: 'minimum: 1,000 ÷ 100 per batch = 10' },
					{ name: 'time', value: round(seconds, 1), unit: 's' },
				];
			} finally {
				await sim.close();
			}
		},
	},
	{
		id: 'push-woocommerce-n8n',
		title: `Push in real n8n: ${ORDERS.toLocaleString('en')} orders into WooCommerce, Push Order to Main Store against n8n's WooCommerce node (Create Order per item)`,
		async run(): Promise<BenchFigure[]> {
			const sim = await startWooSimulator({ orders: 2000, products: 60, seed: 53 });
			try {
				const products = sim.store.products.filter((p) => p.type === 'simple' && p.sku);
				const credential = wooCredential('benchPushWooCr01', 'WooCommerce main store', sim);
				const ours = generatedItemsWorkflow('bench push woo', ORDERS, orderMaker(products.map((p) => p.sku), 'N'), {
					type: 'pushOrderToMainStore', parameters: { mainStore: 'woocommerce', inventory: 'decrementIgnoringPolicy' },
				});
				ours.nodes[2].credentials = credentialRef(credential);
				const logBefore = sim.log.length;
				const mine = await timeInN8n(ours, { credentials: [credential] });
				const ourRequests = sim.log.length - logBefore;
				const ordersAfterOurs = sim.store.orders.length;
				const rerun = await timeInN8n({ ...ours, id: workflowId('bench push woo again') }, { credentials: [credential] });
				const duplicatesOurs = sim.store.orders.length - ordersAfterOurs;

				// n8n's own node: one Create Order per item, the product found by id (it has no SKU look-up).
				const builtinCred = { id: 'benchWooBuiltin2', name: 'Woo builtin', type: 'wooCommerceApi', data: { url: sim.siteUrl, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, includeCredentialsInQuery: false } };
				const byId = `(i) => { const ids = ${JSON.stringify(products.map((p) => p.id))}; return { productId: ids[(i * 7) % ids.length], quantity: 1 + (i % 3) }; }`;
				const theirs = generatedItemsWorkflow('bench builtin woo create', ORDERS, byId, { type: 'x', parameters: {} });
				theirs.nodes[2] = {
					id: 'u', name: 'Under Test', type: 'n8n-nodes-base.wooCommerce', typeVersion: 1, position: [400, 0],
					parameters: { resource: 'order', operation: 'create', additionalFields: { setPaid: true, status: 'processing' }, lineItemsUi: { lineItemsValues: [{ productId: '={{ $json.productId }}', quantity: '={{ $json.quantity }}' }] } },
					credentials: { wooCommerceApi: { id: builtinCred.id, name: builtinCred.name } },
				};
				const before = sim.log.length;
				const ordersBefore = sim.store.orders.length;
				const builtin = await timeInN8n(theirs, { credentials: [builtinCred] });
				const builtinRequests = sim.log.length - before;
				const builtinCreated = sim.store.orders.length - ordersBefore;
				const builtinAgain = await timeInN8n({ ...theirs, id: workflowId('bench builtin woo again') }, { credentials: [builtinCred] });
				void builtinAgain;
				const builtinDuplicates = sim.store.orders.length - ordersBefore - builtinCreated;
				return [
					{ name: 'Push Order to Main Store: node time', value: round(mine.nodeMs / 1000, 2), unit: 's', note: `${mine.items} items out, n8n peak ${mine.peakRssMb} MiB` },
					{ name: 'Push Order to Main Store: requests', value: ourRequests, unit: 'requests', note: `${round(ourRequests / ORDERS, 3)} per order` },
					{ name: 'Push Order to Main Store: orders doubled by running it again', value: duplicatesOurs, unit: 'orders', goal: '0', note: `second run: ${round(rerun.nodeMs / 1000, 2)} s` },
					{ name: 'n8n WooCommerce node: node time', value: round(builtin.nodeMs / 1000, 2), unit: 's', note: `n8n peak ${builtin.peakRssMb} MiB` },
					{ name: 'n8n WooCommerce node: requests', value: builtinRequests, unit: 'requests' },
					{ name: 'n8n WooCommerce node: orders doubled by running it again', value: builtinDuplicates, unit: 'orders' },
				];
			} finally {
				await sim.close();
			}
		},
	},
];
