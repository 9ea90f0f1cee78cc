/**
 * Inventory sync at 50,000 SKUs in real n8n: Get Main Store Inventory → Apply Inventory Rules → Update
 * Channel Inventory, both ways round (Shopify main → WooCommerce channel, WooCommerce main → Shopify
 * channel), every listing changed; then the same cycle again with nothing changed. Figures: requests made
 * against the fewest the APIs' batch sizes allow, seconds against the floor (Shopify: its rate limit, or
 * the fewest requests one after another where the bucket never empties; WooCommerce, which has no core
 * rate limit: the fewest requests one after another at the server's median time for each kind), and the
 * n8n process's peak memory.
 */
import { credentialRef, shopifyCredential, wooCredential } from '../test/e2e/harness/fixtures';
import { N8nInstance } from '../test/e2e/harness/n8n';
import { chainWorkflow, workflowId } from '../test/e2e/harness/workflow';
import type { WorkflowJson } from '../test/e2e/harness/workflow';
import { startShopifySimulator } from '../test/simulators/shopify';
import type { ShopifySimulator } from '../test/simulators/shopify';
import { startWooSimulator } from '../test/simulators/woocommerce';
import type { WooSimulator } from '../test/simulators/woocommerce';
import { median, round } from './harness';
import type { BenchFigure, BenchSection } from './harness';

/** Listings on each side. */
const SKUS = 50_000;

interface Shared {
	woo: WooSimulator;
	shopify: ShopifySimulator;
	/** WooCommerce listings with a SKU (simple products and variations), carried by Shopify variants too. */
	skus: string[];
}

/** A WooCommerce store of about 50,000 SKUs and a Shopify store whose variants carry the same SKUs. */
async function stores(seed: number): Promise<Shared> {
	const woo = await startWooSimulator({ orders: 0, products: 25_000, seed, otherProductTypes: false });
	const skus = [
		...woo.store.products.filter((p) => p.type === 'simple' && p.sku).map((p) => p.sku),
		...woo.store.variations.filter((v) => v.sku).map((v) => v.sku),
	].slice(0, SKUS);
	const shopify = await startShopifySimulator({ orders: 0, products: Math.ceil(skus.length / 2), variantsPerProduct: 2, seed: seed + 1, restoreRate: 100, bucketSize: 2000 });
	shopify.store.variants.forEach((v, i) => {
		v.sku = skus[i] ?? `ONLY-SHOPIFY-${i}`;
	});
	const skuOfItem = new Map(shopify.store.variants.map((v) => [v.inventoryItemId, v.sku]));
	for (const item of shopify.store.inventoryItems) item.sku = skuOfItem.get(item.id) ?? item.sku;
	return { woo, shopify, skus };
}


/** n8n's own time of each node in the last cycle, for the notes. */
let nodeSeconds = '';

async function cycle(n8n: N8nInstance, workflow: WorkflowJson): Promise<{ seconds: number; peakRssMb: number; done: number; failed: number; updated: number; unchanged: number; mainStockMs: number }> {
	const result = await n8n.execute(workflow.id);
	if (!result.ok) throw new Error(`run failed: ${result.error?.message ?? result.stdout.slice(-500)}`);
	const done = result.json('Update', 0);
	nodeSeconds = ['Main Stock', 'Rules', 'Update'].map((name) => `${name} ${round(result.nodeTime(name) / 1000, 1)} s`).join(', ');
	return {
		seconds: result.measured.wallMs / 1000,
		peakRssMb: round(result.measured.peakRssKb / 1024, 0),
		done: done.length,
		failed: result.json('Update', 1).length,
		updated: done.filter((j) => j.action === 'updated').length,
		unchanged: done.filter((j) => j.action === 'unchanged').length,
		mainStockMs: result.nodeTime('Main Stock'),
	};
}

/** Manual → Code (one item per URL) → n8n's HTTP Request node GETting each, with the key in a header. */
function httpReadsWorkflow(urls: string[], authorization: string): WorkflowJson {
	return {
		id: workflowId('benchhttpreads'),
		name: 'bench: the same reads through n8n HTTP Request',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 't', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'g', name: 'URLs', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: `return ${JSON.stringify(urls)}.map((url) => ({ json: { url } }));` } },
			{
				id: 'h', name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [400, 0],
				parameters: { url: '={{ $json.url }}', sendHeaders: true, headerParameters: { parameters: [{ name: 'Authorization', value: authorization }] }, options: {} },
			},
		],
		connections: {
			Manual: { main: [[{ node: 'URLs', type: 'main', index: 0 }]] },
			URLs: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] },
		},
	};
}

const woo = (sim: WooSimulator) => ({ authorization: `Basic ${Buffer.from(`${sim.consumerKey}:${sim.consumerSecret}`).toString('base64')}` });

export const INVENTORY_SECTIONS: BenchSection[] = [
	{
		id: 'inventory-shopify-to-woo',
		title: `Inventory sync in real n8n: ${SKUS.toLocaleString('en')} SKUs, Shopify main store (Standard plan: 100 points/s) → WooCommerce channel`,
		async run(): Promise<BenchFigure[]> {
			const { woo: channel, shopify: main, skus } = await stores(141);
			const n8n = N8nInstance.create({ N8N_RUNNERS_MAX_PAYLOAD: String(1024 * 1024 * 1024), N8N_PAYLOAD_SIZE_MAX: '1024' });
			try {
				// Every main-store quantity differs from the channel's, so every listing is written.
				main.store.inventoryLevels.forEach((l, i) => {
					l.available = 1000 + (i % 500);
					l.onHand = l.available + l.committed;
				});
				const mainCred = shopifyCredential('benchInvShop0001', 'Shopify main', main);
				const channelCred = wooCredential('benchInvWoo00001', 'WooCommerce channel', channel);
				await n8n.importCredentials([mainCred, channelCred]);
				const workflow = chainWorkflow('bench inventory shopify to woo', [
					{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: {} }, credentials: credentialRef(mainCred) },
					{ name: 'Rules', type: 'applyInventoryRules', parameters: { rules: { percentage: 100 } } },
					{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: 'woocommerce', matchBy: 'sku', quantityField: 'channelQuantity', dryRun: false, options: {} }, credentials: credentialRef(channelCred) },
				]);
				await n8n.importWorkflows([workflow]);
				const [mainBefore, channelBefore] = [main.log.length, channel.log.length];
				const first = await cycle(n8n, workflow);
				const firstNodes = nodeSeconds;
				const mainLog = main.log.slice(mainBefore);
				const channelLog = channel.log.slice(channelBefore);
				const reads = channelLog.filter((e) => e.method === 'GET');
				const productBatches = channelLog.filter((e) => e.path.endsWith('/products/batch'));
				const variationBatches = channelLog.filter((e) => e.path.endsWith('/variations/batch'));
				// The fewest the APIs allow: SKU look-ups 50 per request, plus the parents of variations that sell
				// from their parent's stock (100 by id per request); product updates 100 per batch (the parents
				// holding stock among them); variations with their own stock 100 per batch, one batch per parent.
				const wanted = new Set(skus);
				const listed = channel.store.variations.filter((v) => wanted.has(v.sku));
				const parentOf = new Map(channel.store.products.map((p) => [p.id, p]));
				const parentHeld = new Set(listed.filter((v) => v.manage_stock !== true && parentOf.get(v.parent_id)?.manage_stock === true).map((v) => v.parent_id));
				const ownParents = new Set(listed.filter((v) => v.manage_stock === true).map((v) => v.parent_id));
				const simple = channel.store.products.filter((p) => p.type === 'simple' && p.sku && wanted.has(p.sku)).length;
				const minimumReads = Math.ceil(skus.length / 50) + Math.ceil(parentHeld.size / 100);
				const minimumProductBatches = Math.ceil((simple + parentHeld.size) / 100);
				const minimum = minimumReads + minimumProductBatches + ownParents.size;
				// The floor: those requests one after another, each at the server's median time for its kind.
				const sample = skus.slice(0, 50);
				const lookUpMs = await median(7, () => fetch(`${channel.siteUrl}/wp-json/wc/v3/products?sku=${encodeURIComponent(sample.join(','))}&per_page=100&status=any`, { headers: woo(channel) }).then((r) => r.text()));
				const simples = channel.store.products.filter((p) => p.type === 'simple' && p.manage_stock).slice(0, 100);
				const batchMs = await median(7, () => fetch(`${channel.siteUrl}/wp-json/wc/v3/products/batch`, {
					method: 'POST', headers: { ...woo(channel), 'content-type': 'application/json' },
					body: JSON.stringify({ update: simples.map((p) => ({ id: p.id, manage_stock: true, stock_quantity: p.stock_quantity })) }),
				}).then((r) => r.text()));
				const floor = (minimumReads * lookUpMs + (minimumProductBatches + ownParents.size) * batchMs) / 1000;
				// The Shopify side: one bulk read; its floor is its points over the restore rate, beyond the bucket.
				const mainRequests = mainLog.length;

				const [mainAgain, channelAgain] = [main.log.length, channel.log.length];
				const second = await cycle(n8n, workflow);
				const secondWrites = channel.log.slice(channelAgain).filter((e) => e.method !== 'GET').length;
				return [
					{ name: 'listings written', value: first.updated, unit: 'listings', note: `${first.done} answered Done, ${first.failed} Failed; ${skus.length} SKUs on both sides` },
					{ name: 'Shopify requests (bulk read of the main store)', value: mainRequests, unit: 'requests', note: 'locations, bulk start, status polls, bundle components; the file download goes to the storage host' },
					{ name: 'WooCommerce requests', value: channelLog.length, unit: 'requests', note: `${reads.length} reads, ${productBatches.length} product batches, ${variationBatches.length} variation batches` },
					{ name: 'fewest WooCommerce requests the API allows', value: minimum, unit: 'requests', note: `${minimumReads} reads (SKU look-ups of 50, parents by 100), ${minimumProductBatches} product batches of 100, ${ownParents.size} variation batches (one per parent)` },
					{ name: 'time (whole n8n run, start-up included)', value: round(first.seconds, 1), unit: 's', goal: '≤ 1.15 × floor', note: firstNodes },
					{ name: 'floor (fewest requests × median request time)', value: round(floor, 1), unit: 's', note: `look-up ${round(lookUpMs, 1)} ms, batch of 100 ${round(batchMs, 1)} ms` },
					{ name: 'time against the floor', value: round(first.seconds / floor, 2), unit: '×' },
					{ name: 'peak memory of the n8n process', value: first.peakRssMb, unit: 'MiB' },
					{ name: 'no-change cycle: requests', value: main.log.length - mainAgain + (channel.log.length - channelAgain), unit: 'requests', note: `${round(second.seconds, 1)} s, ${second.unchanged} unchanged` },
					{ name: 'no-change cycle: writes', value: secondWrites, unit: 'writes', goal: '0', note: `${second.updated} listings written again` },
				];
			} finally {
				n8n.dispose();
				await main.close();
				await channel.close();
			}
		},
	},
	{
		id: 'inventory-woo-to-shopify',
		title: `Inventory sync in real n8n: ${SKUS.toLocaleString('en')} SKUs, WooCommerce main store → Shopify channel (Standard plan: 100 points/s)`,
		async run(): Promise<BenchFigure[]> {
			const { woo: main, shopify: channel, skus } = await stores(151);
			const n8n = N8nInstance.create({ N8N_RUNNERS_MAX_PAYLOAD: String(1024 * 1024 * 1024), N8N_PAYLOAD_SIZE_MAX: '1024' });
			try {
				const mainCred = wooCredential('benchInvWooMain1', 'WooCommerce main', main);
				const channelCred = shopifyCredential('benchInvShopCh01', 'Shopify channel', channel);
				await n8n.importCredentials([mainCred, channelCred]);
				const location = channel.store.locations[0].name;
				const workflow = chainWorkflow('bench inventory woo to shopify', [
					{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'woocommerce', locations: '', options: {} }, credentials: credentialRef(mainCred) },
					{ name: 'Rules', type: 'applyInventoryRules', parameters: { rules: { percentage: 100 } } },
					{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: 'shopify', channelLocation: location, matchBy: 'sku', quantityField: 'channelQuantity', dryRun: false, options: {} }, credentials: credentialRef(channelCred) },
				]);
				await n8n.importWorkflows([workflow]);
				const [mainBefore, channelBefore] = [main.log.length, channel.log.length];
				const first = await cycle(n8n, workflow);
				const firstNodes = nodeSeconds;
				const mainLog = main.log.slice(mainBefore);
				const channelLog = channel.log.slice(channelBefore);
				const writes = channelLog.filter((e) => e.label === 'inventorySetQuantities' || /InventorySet/.test(e.label ?? ''));
				// WooCommerce has no endpoint listing every variation: the fewest reads are the product pages (100
				// each) and one variations page per variable product.
				const products = main.store.products.length;
				const variable = main.store.products.filter((p) => p.type === 'variable').length;
				const mainMinimum = Math.ceil(products / 100) + variable;
				const pageMs = await median(7, () => fetch(`${main.siteUrl}/wp-json/wc/v3/products?per_page=100&orderby=id&order=asc&status=any`, { headers: woo(main) }).then((r) => r.text()));
				const parent = main.store.products.find((p) => p.type === 'variable')!;
				const variationsMs = await median(7, () => fetch(`${main.siteUrl}/wp-json/wc/v3/products/${parent.id}/variations?per_page=100&orderby=id&order=asc`, { headers: woo(main) }).then((r) => r.text()));
				// Shopify: 250 quantities per inventorySetQuantities at 10 points each, under the 2,000-point bucket.
				const minimumWrites = Math.ceil(first.updated / 250);
				const cost = minimumWrites * 10;
				const rateFloor = Math.max(0, cost - 2000) / 100;
				const floor = (Math.ceil(products / 100) * pageMs + variable * variationsMs) / 1000 + rateFloor;

				const [mainAgain, channelAgain] = [main.log.length, channel.log.length];
				const second = await cycle(n8n, workflow);
				const secondWrites = channel.log.slice(channelAgain).filter((e) => /InventorySet|inventorySetQuantities/.test(e.label ?? '')).length;
				const secondRequests = main.log.length - mainAgain + (channel.log.length - channelAgain);
				// What n8n itself spends on a request: the same fewest reads through n8n's own HTTP Request node,
				// every one at once (the node sends all its items' requests together), in the same n8n. A user
				// reading the stock without this pack would do this, and could not do it in fewer requests.
				const urls = [
					...Array.from({ length: Math.ceil(products / 100) }, (_, i) => `${main.siteUrl}/wp-json/wc/v3/products?per_page=100&page=${i + 1}&orderby=id&order=asc&status=any`),
					...main.store.products.filter((p) => p.type === 'variable').map((p) => `${main.siteUrl}/wp-json/wc/v3/products/${p.id}/variations?per_page=100&orderby=id&order=asc`),
				];
				const httpRun = await n8n.runWorkflow(httpReadsWorkflow(urls, woo(main).authorization));
				if (!httpRun.ok) throw new Error(`HTTP Request run failed: ${httpRun.error?.message}`);
				const httpMs = httpRun.nodeTime('HTTP Request');
				const ourMs = first.mainStockMs;
				return [
					{ name: 'listings written', value: first.updated, unit: 'listings', note: `${first.done} answered Done, ${first.failed} Failed; ${skus.length} SKUs on both sides` },
					{ name: 'Shopify requests', value: channelLog.length, unit: 'requests', note: `${writes.length} inventorySetQuantities calls; the listings read in bulk` },
					{ name: 'fewest Shopify writes (250 quantities per call)', value: minimumWrites, unit: 'requests' },
					{ name: 'WooCommerce requests (main-store read)', value: mainLog.length, unit: 'requests', note: `fewest: ${Math.ceil(products / 100)} product pages + ${variable} variation pages = ${mainMinimum}` },
					{ name: 'time (whole n8n run, start-up included)', value: round(first.seconds, 1), unit: 's', goal: '≤ 1.15 × floor', note: firstNodes },
					{ name: 'floor (fewest WooCommerce reads × median time + Shopify rate-limit floor)', value: round(floor, 1), unit: 's', note: `product page ${round(pageMs, 1)} ms, variations page ${round(variationsMs, 1)} ms; Shopify ${cost} points: ${round(rateFloor, 1)} s beyond the bucket` },
					{ name: 'time against the floor', value: round(first.seconds / floor, 2), unit: '×' },
					{ name: 'n8n\'s HTTP Request node: the same fewest reads, all at once', value: round(httpMs / 1000, 1), unit: 's', note: `${urls.length} requests, ${round(httpMs / urls.length, 2)} ms each in n8n's node time; Main Stock ${round(ourMs / 1000, 1)} s, ${round(ourMs / urls.length, 2)} ms each, mapped to inventory records` },
					{ name: 'Main Stock against n8n\'s own HTTP Request node', value: round(ourMs / httpMs, 2), unit: '×', goal: '≤ 1.15×' },
					{ name: 'peak memory of the n8n process', value: first.peakRssMb, unit: 'MiB' },
					{ name: 'no-change cycle: requests', value: secondRequests, unit: 'requests', note: `${round(second.seconds, 1)} s, ${second.unchanged} unchanged` },
					{ name: 'no-change cycle: writes', value: secondWrites, unit: 'writes', goal: '0' },
				];
			} finally {
				n8n.dispose();
				await main.close();
				await channel.close();
			}
		},
	},
];

