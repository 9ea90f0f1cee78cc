/**
 * Sync Inventory Both Ways in real n8n against the simulators, asserting on both stores' stock:
 * the first cycle sets the channel from the main store; then changes on both sides in one cycle (a sale
 * on each side of the same SKU, a restock in the main store, a count typed on the channel) all survive;
 * the cycle after that writes nothing on either side (no ping-pong); the rules (a percentage) are applied
 * again to the main store's new quantity; a main-store change whose answer was lost is found there and
 * not booked twice; a refused one keeps the listing unwritten and is booked on the next run.
 */
import { N8nInstance } from './harness/n8n';
import type { CredentialFixture, ExecutionResult } from './harness/n8n';
import { credentialRef, shopifyCredential, wooCredential } from './harness/fixtures';
import { chainWorkflow } from './harness/workflow';
import type { WorkflowJson } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { giveShopifySkus, setShopifyStock, setWooStock, shopifyLevel, wooProductBySku } from '../support/stock';

type Json = Record<string, any>;

describe('two-way inventory sync in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let shopCred: CredentialFixture;
	let wooCred: CredentialFixture;
	/** SKUs both stores carry. */
	let shared: string[];

	/** One location ("Main warehouse"): a variant's Shopify stock is its one level. */
	const shopifyStock = (sku: string) => shopifyLevel(shopify, sku).available;
	const setShopify = (sku: string, available: number) => setShopifyStock(shopify, sku, available);
	const wooStock = (sku: string) => wooProductBySku(woo, sku).stock_quantity;
	const setWoo = (sku: string, quantity: number) => setWooStock(woo, sku, quantity);
	const ok = (r: ExecutionResult) => {
		if (!r.ok) throw new Error(`run failed: ${r.error?.message ?? r.stderr.slice(-1500)}`);
		return r;
	};
	const out = (r: ExecutionResult, output: number) => (r.json('Both Ways', output) ?? []) as Json[];
	const about = (r: ExecutionResult, sku: string) => out(r, 0).find((j) => j.sku === sku);
	const wooWrites = () => woo.log.filter((e) => e.method !== 'GET').length;
	const shopifyWrites = () => shopify.log.filter((e) => /^Inventory(Set|Adjust)$/.test(e.label ?? '')).length;

	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 0, products: 10, seed: 241, restoreRate: 1000, bucketSize: 20000 });
		woo = await startWooSimulator({ orders: 0, products: 30, seed: 242 });
		const simple = woo.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku);
		shared = simple.slice(0, 6).map((p) => p.sku);
		giveShopifySkus(shopify, shared);
		woo.store.changed();
		n8n = N8nInstance.create();
		shopCred = shopifyCredential('twoWayShopCred01', 'Shopify', shopify);
		wooCred = wooCredential('twoWayWooCred001', 'WooCommerce', woo);
		await n8n.importCredentials([shopCred, wooCred]);
	});
	afterAll(async () => {
		n8n?.dispose();
		await Promise.all([shopify?.close(), woo?.close()]);
	});

	const cycle = (name: string, main: 'woocommerce' | 'shopify', skus: string[], rules: Json): WorkflowJson => chainWorkflow(name, [
		{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: main, locations: '', options: { skus: skus.join(',') } }, credentials: credentialRef(main === 'shopify' ? shopCred : wooCred) },
		{ name: 'Rules', type: 'applyInventoryRules', parameters: { rules } },
		{
			name: 'Both Ways', type: 'syncInventoryBothWays',
			parameters: { channel: main === 'shopify' ? 'woocommerce' : 'shopify', mainStore: main, channelLocation: 'Main warehouse', bookAt: '', matchBy: 'sku', dryRun: false, options: {} },
			credentials: { ...credentialRef(shopCred), ...credentialRef(wooCred) },
		},
	]);

	it('WooCommerce main store ⇄ Shopify channel: changes on both sides in one cycle are all kept, and the next cycle writes nothing', async () => {
		const [sold, restocked, counted, quiet] = shared;
		setWoo(sold, 20);
		setWoo(restocked, 4);
		setWoo(counted, 9);
		setWoo(quiet, 7);
		for (const sku of [sold, restocked, counted, quiet]) setShopify(sku, 1);
		const workflow = cycle('two-way woo main', 'woocommerce', [sold, restocked, counted, quiet], { percentage: 100 });
		await n8n.importWorkflows([workflow]);

		// First cycle: no snapshot yet, the channel is set from the main store.
		const first = ok(await n8n.execute(workflow.id));
		expect([sold, restocked, counted, quiet].map(shopifyStock)).toEqual([20, 4, 9, 7]);
		expect(about(first, sold)).toMatchObject({ action: 'updated', before: 1, after: 20, mainStore: { before: 20, change: 0 }, notes: [expect.stringMatching(/^First two-way cycle/)] });

		// Between cycles: 3 sell on the channel and 2 in the main store (same SKU); the main store gets 6
		// more of another; someone counts 12 of a third on the channel.
		setShopify(sold, 17);
		setWoo(sold, 18);
		setWoo(restocked, 10);
		setShopify(counted, 12);
		const second = ok(await n8n.execute(workflow.id));
		expect([sold, restocked, counted, quiet].map((s) => [wooStock(s), shopifyStock(s)])).toEqual([[15, 15], [10, 10], [12, 12], [7, 7]]);
		expect(about(second, sold)).toMatchObject({
			action: 'updated', before: 17, after: 15, mainStore: { before: 18, change: -3 },
			notes: [expect.stringMatching(/channel changed -3 since the last sync \(20 → 17\) and the main store -2 \(20 → 18\): the main store goes 18 → 15/)],
		});
		expect(about(second, counted)).toMatchObject({ action: 'unchanged', before: 12, after: 12, mainStore: { before: 9, change: 3 } });
		expect(about(second, quiet)).toMatchObject({ action: 'unchanged', mainStore: { change: 0 } });
		expect(out(second, 1)).toEqual([]);

		// Nothing changed since: neither store is written (no ping-pong).
		const [w, s] = [wooWrites(), shopifyWrites()];
		const third = ok(await n8n.execute(workflow.id));
		expect([wooWrites() - w, shopifyWrites() - s]).toEqual([0, 0]);
		expect(new Set(out(third, 0).map((j) => j.action))).toEqual(new Set(['unchanged']));
	});

	it('Shopify main store ⇄ WooCommerce channel: the rules are applied again to the main store\'s new quantity, a lost answer is not booked twice, a refused change waits for the next run', async () => {
		const [a, b] = shared.slice(4);
		setShopify(a, 40);
		setShopify(b, 30);
		setWoo(a, 0);
		setWoo(b, 0);
		const workflow = cycle('two-way shopify main', 'shopify', [a, b], { percentage: 50 });
		await n8n.importWorkflows([workflow]);
		ok(await n8n.execute(workflow.id));
		expect([wooStock(a), wooStock(b)]).toEqual([20, 15]);

		// 4 of A sell on the channel: the main store takes them (36) and the channel shows half of that (18).
		setWoo(a, 16);
		const second = ok(await n8n.execute(workflow.id));
		expect([shopifyStock(a), wooStock(a)]).toEqual([36, 18]);
		expect(about(second, a)).toMatchObject({ action: 'updated', before: 16, after: 18, mainStore: { before: 40, change: -4 }, ruleTrace: expect.stringContaining('50%') });

		// 2 of B sell on the channel, and Shopify's answer to the adjustment is lost after it was applied:
		// the node finds the change there (idempotency key) and does not book it again.
		setWoo(b, 13);
		shopify.faults.add({ kind: 'lostAnswer', match: '^InventoryAdjust$', times: 1 });
		const third = ok(await n8n.execute(workflow.id));
		expect([shopifyStock(b), wooStock(b)]).toEqual([28, 14]);
		expect(out(third, 1)).toEqual([]);

		// WooCommerce refuses nothing here, Shopify refuses the booking: the listing is not written, and the
		// next run books the same change once.
		setWoo(a, 15);
		shopify.faults.add({ kind: 'status500', match: '^InventoryAdjust$', times: 10 });
		const fourth = ok(await n8n.execute(workflow.id));
		expect(out(fourth, 1).map((j) => [j.sku, j.action])).toEqual([[a, 'failed']]);
		expect(out(fourth, 1)[0].reason).toMatch(/main store (did not answer|refused)/);
		expect([shopifyStock(a), wooStock(a)]).toEqual([36, 15]);
		shopify.faults.clear();
		ok(await n8n.execute(workflow.id));
		expect([shopifyStock(a), wooStock(a)]).toEqual([33, 16]);
		const [w, s] = [wooWrites(), shopifyWrites()];
		ok(await n8n.execute(workflow.id));
		expect([wooWrites() - w, shopifyWrites() - s]).toEqual([0, 0]);
	});
});
