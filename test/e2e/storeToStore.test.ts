/**
 * Two Shopify stores in one node (Syncio / Tipo style, store to store), in real n8n against two Shopify
 * simulators: the channel store's credential is the second Shopify type, the main store's the first.
 * Tracking shipped in the main store reaches the channel store's order once; stock syncs both ways
 * between the stores; the same store on both sides, or a missing channel-store credential, is refused
 * with a message naming the fix.
 */
import { N8nInstance } from './harness/n8n';
import type { CredentialFixture, ExecutionResult } from './harness/n8n';
import { credentialRef, shopifyChannelStoreCredential, shopifyCredential } from './harness/fixtures';
import { UNDER_TEST, chainWorkflow, feedItems } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { giveShopifySkus, setShopifyStock, shopifyLevel } from '../support/stock';
import { newShopifyChannelOrder, pushTo, shipOnShopify, shopifyPackages } from '../support/tracking';

type Json = Record<string, any>;

describe('store to store: two Shopify stores in one node, in real n8n', () => {
	let n8n: N8nInstance;
	/** The source store: it holds the stock and ships. */
	let main: ShopifySimulator;
	/** The destination store: it sells, its orders are pushed to the source. */
	let shop: ShopifySimulator;
	let mainCred: CredentialFixture;
	let shopCred: CredentialFixture;
	let sameStoreCred: CredentialFixture;
	let shared: string[];

	const level = shopifyLevel;
	const setStock = setShopifyStock;
	const ok = (r: ExecutionResult) => {
		if (!r.ok) throw new Error(`run failed: ${r.error?.message ?? r.stderr.slice(-1500)}`);
		return r;
	};

	beforeAll(async () => {
		main = await startShopifySimulator({ orders: 0, products: 6, seed: 251, restoreRate: 1000, bucketSize: 20000 });
		shop = await startShopifySimulator({ orders: 0, products: 6, seed: 252, restoreRate: 1000, bucketSize: 20000 });
		shared = shop.store.variants.filter((v) => !v.requiresComponents && v.sku).slice(0, 3).map((v) => v.sku as string);
		giveShopifySkus(main, shared, main.store.variants.filter((v) => !v.requiresComponents));
		n8n = N8nInstance.create();
		mainCred = shopifyCredential('s2sMainCred00001', 'Source store', main);
		shopCred = shopifyChannelStoreCredential('s2sShopCred00001', 'Destination store', shop);
		sameStoreCred = shopifyChannelStoreCredential('s2sSameCred00001', 'Source store again', main);
		await n8n.importCredentials([mainCred, shopCred, sameStoreCred]);
	});
	afterAll(async () => {
		n8n?.dispose();
		await Promise.all([main?.close(), shop?.close()]);
	});

	it('tracking shipped in the source store reaches the destination store\'s order once', async () => {
		const order = await newShopifyChannelOrder(shop, [2, 1]);
		const [mainOrder] = await pushTo(main, [order]);
		await shipOnShopify(main, mainOrder, { company: 'UPS', numbers: ['1ZSTORE2STORE01'] });
		const workflow = chainWorkflow('store to store tracking', [{
			name: 'Sync', type: 'syncTracking',
			parameters: { channel: 'shopify', mainStore: 'shopify', direction: 'mainToChannel', orders: 'changed', lookBackHours: 1, notifyCustomer: true, markCompleted: true, dryRun: false },
			credentials: { ...credentialRef(mainCred), ...credentialRef(shopCred) },
		}]);
		await n8n.importWorkflows([workflow]);
		const first = ok(await n8n.execute(workflow.id));
		const gid = `gid://shopify/Order/${order.channelOrderId}`;
		expect(shopifyPackages(shop, gid)).toEqual([expect.objectContaining({ numbers: ['1ZSTORE2STORE01'], company: 'UPS', units: 3 })]);
		expect(first.json('Sync', 0)).toEqual([expect.objectContaining({ action: 'written', channelOrderId: order.channelOrderId, from: expect.objectContaining({ platform: 'Shopify', orderId: mainOrder }) })]);
		const before = shop.log.filter((e) => /^Tracking/.test(e.label ?? '')).length;
		ok(await n8n.execute(workflow.id));
		expect(shop.log.filter((e) => /^Tracking/.test(e.label ?? '')).length).toBe(before);
	});

	it('stock syncs both ways between the two stores', async () => {
		const [a, b] = shared;
		setStock(main, a, 30);
		setStock(main, b, 8);
		setStock(shop, a, 0);
		setStock(shop, b, 0);
		const workflow = chainWorkflow('store to store two-way', [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: { skus: `${a},${b}` } }, credentials: credentialRef(mainCred) },
			{ name: 'Rules', type: 'applyInventoryRules', parameters: { rules: { percentage: 100 } } },
			{
				name: 'Both Ways', type: 'syncInventoryBothWays',
				parameters: { channel: 'shopify', mainStore: 'shopify', channelLocation: 'Main warehouse', bookAt: '', matchBy: 'sku', dryRun: false, options: {} },
				credentials: { ...credentialRef(mainCred), ...credentialRef(shopCred) },
			},
		]);
		await n8n.importWorkflows([workflow]);
		ok(await n8n.execute(workflow.id));
		expect([level(shop, a).available, level(shop, b).available]).toEqual([30, 8]);
		// 5 of A sell in the destination store, 1 of B in the source store.
		setStock(shop, a, 25);
		setStock(main, b, 7);
		const second = ok(await n8n.execute(workflow.id));
		expect([a, b].map((s) => [level(main, s).available, level(shop, s).available])).toEqual([[25, 25], [7, 7]]);
		expect(second.json('Both Ways', 0).find((j) => j.sku === a)).toMatchObject({ action: 'unchanged', mainStore: { before: 30, change: -5 } });
	});

	it('refuses the same store on both sides, and a missing destination-store credential, naming the fix', async () => {
		const node = (credentials: Json) => ({
			name: UNDER_TEST, type: 'syncTracking', continueOnFail: true,
			parameters: { channel: 'shopify', mainStore: 'shopify', direction: 'mainToChannel', orders: 'input', notifyCustomer: false, markCompleted: true, dryRun: true },
			credentials,
		});
		const item = [{ channel: 'shopify', channelOrderId: '1' }];
		const same = ok(await n8n.runWorkflow(feedItems('s2s same store', item, node({ ...credentialRef(mainCred), ...credentialRef(sameStoreCred) }))));
		expect(same.json(UNDER_TEST, 1)).toEqual([expect.objectContaining({ action: 'failed', reason: expect.stringMatching(/channel and the main store are the same Shopify store/) })]);
		const missing = ok(await n8n.runWorkflow(feedItems('s2s no channel cred', item, node(credentialRef(mainCred)))));
		expect(missing.json(UNDER_TEST, 1)).toEqual([{
			action: 'failed', reason: 'No credential for the channel (Shopify Store (Channel Store))',
			fix: 'Choose the Shopify Store (Channel Store) credential of the channel in the node\'s Credentials.',
		}]);
	});
});
