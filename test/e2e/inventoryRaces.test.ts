/**
 * Update Channel Inventory reads the channel's listings, then writes. These tests change the channel in
 * that gap, through the simulators' one-shot hook (`beforeNext`: runs just before the simulator handles
 * the matching request), in real n8n:
 * - Shopify channel: the write is compare-and-set (`changeFromQuantity`); a sale in the gap makes Shopify
 *   refuse it as stale, the node re-reads and writes the target less the units sold: the sale is kept.
 * - WooCommerce channel: its REST API has no compare-and-set; the write sets the target and the sale is
 *   overwritten. The channel shows the sold units again until the order reaches the main store (Push
 *   Order to Main Store) and the next stock run writes the main store's lower count.
 * - A WooCommerce product deleted in the gap: the batch answers an inline error for it; that listing goes
 *   to Failed with WooCommerce's reason, the others in the same batch are written.
 */
import { N8nInstance } from './harness/n8n';
import type { CredentialFixture, ExecutionResult } from './harness/n8n';
import { credentialRef, shopifyCredential, wooCredential } from './harness/fixtures';
import { chainWorkflow } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { newId } from '../simulators/shopify/store';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { setShopifyStock, setWooStock, shopifyLevel, shopifyVariant, wooProductBySku } from '../support/stock';

type Json = Record<string, any>;

const BATCH = /^POST \/wp-json\/wc\/v3\/products\/batch$/;
const ADDRESS = { first_name: 'Ada', last_name: 'Buyer', address_1: '1 High Street', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB' };

describe('inventory races between read and write, in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let shopCred: CredentialFixture;
	let wooCred: CredentialFixture;
	/** SKUs both stores carry: Shopify variants renamed to WooCommerce simple products' SKUs. */
	let shared: string[];

	const variantOf = (sku: string) => shopifyVariant(shopify, sku);
	/** One location ("Main warehouse"): a variant's Shopify stock is its one level. */
	const level = (sku: string) => shopifyLevel(shopify, sku);
	const setShopify = (sku: string, available: number) => setShopifyStock(shopify, sku, available);
	const wooProduct = (sku: string) => wooProductBySku(woo, sku);
	const wooStock = (sku: string) => wooProduct(sku).stock_quantity;
	const setWoo = (sku: string, quantity: number) => setWooStock(woo, sku, quantity);
	/** A buyer orders `units` on the Shopify store: the order reserves them (available down, committed up). */
	const sellOnShopify = (sku: string, units: number) => {
		const variant = variantOf(sku);
		const product = shopify.store.products.find((p) => p.id === variant.productId)!;
		const order = shopify.addOrder({
			lineItems: [{
				id: newId(shopify.store), variantId: variant.id, productId: variant.productId, sku, title: product.title, variantTitle: variant.title,
				name: `${product.title} - ${variant.title}`, vendor: product.vendor, quantity: units, fulfillableQuantity: units, requiresShipping: true,
				taxable: true, unitPrice: variant.price, discount: '0.00', taxLines: [],
			}],
			inventoryBehaviour: 'DECREMENT_IGNORING_POLICY',
		});
		const l = level(sku);
		Object.assign(l, { available: l.available - units, committed: l.committed + units, updatedAt: new Date().toISOString() });
		return order;
	};
	const ok = (r: ExecutionResult) => {
		if (!r.ok) throw new Error(`run failed: ${r.error?.message ?? r.stderr.slice(-1500)}`);
		return r;
	};
	const out = (r: ExecutionResult, node: string, output: number) => (r.json(node, output) ?? []) as Json[];

	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 0, products: 10, seed: 231, restoreRate: 1000, bucketSize: 20000 });
		woo = await startWooSimulator({ orders: 0, products: 30, seed: 232 });
		const simple = woo.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku);
		shared = simple.slice(0, 7).map((p) => p.sku);
		expect(shopify.store.variants.filter((v) => !v.requiresComponents).length).toBeGreaterThanOrEqual(shared.length);
		shared.forEach((sku, i) => {
			shopify.store.variants[i].sku = sku;
			shopify.store.variants[i].inventoryPolicy = 'CONTINUE';
		});
		woo.store.changed();
		n8n = N8nInstance.create();
		shopCred = shopifyCredential('raceShopCred0001', 'Shopify', shopify);
		wooCred = wooCredential('raceWooCred00001', 'WooCommerce', woo);
		await n8n.importCredentials([shopCred, wooCred]);
	});
	afterAll(async () => {
		n8n?.dispose();
		await Promise.all([shopify?.close(), woo?.close()]);
	});

	it('Shopify channel: a sale between the read and the write is kept (target less the units sold), and not counted twice once its order reaches the main store', async () => {
		const [sku, other] = shared;
		const since = new Date(Date.now() - 1000).toISOString();
		setWoo(sku, 40);
		setWoo(other, 17);
		setShopify(sku, 25);
		setShopify(other, 9);
		const stock = chainWorkflow('race shopify channel', [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'woocommerce', locations: '', options: { skus: `${sku},${other}` } }, credentials: credentialRef(wooCred) },
			{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: 'shopify', channelLocation: 'Main warehouse', matchBy: 'sku', quantityField: 'quantity', dryRun: false, options: {} }, credentials: credentialRef(shopCred) },
		]);
		await n8n.importWorkflows([stock]);

		// Three units sell on Shopify after the node read the listings (25), just before its write arrives.
		let sale: ReturnType<typeof sellOnShopify> | undefined;
		shopify.beforeNext(/^InventorySet$/, () => (sale = sellOnShopify(sku, 3)));
		const writesBefore = shopify.log.filter((e) => e.label === 'InventorySet').length;
		const first = ok(await n8n.execute(stock.id));
		expect(sale).toBeDefined();
		// 40 in the main store, 3 of them sold on the channel meanwhile: 37, not 40.
		expect([level(sku).available, level(sku).committed, level(other).available]).toEqual([37, 3, 17]);
		expect(out(first, 'Update', 0).find((j) => j.sku === sku)).toMatchObject({
			action: 'updated', before: 22, after: 37,
			notes: [expect.stringMatching(/changed from 25 to 22 while writing; the sale is kept: 37 instead of 40/)],
		});
		expect(out(first, 'Update', 0).find((j) => j.sku === other)).toMatchObject({ action: 'updated', before: 9, after: 17, notes: [] });
		expect([out(first, 'Update', 1), out(first, 'Update', 2)]).toEqual([[], []]);
		// Compare-and-set did the work: the first call was refused whole (the sold listing was stale), the
		// other listing was sent again alone, then the sold one with the sale kept.
		expect(shopify.log.filter((e) => e.label === 'InventorySet').length - writesBefore).toBe(3);

		// Stock moves one way: until the sale's order reaches the main store, the next run counts those units again.
		const early = ok(await n8n.execute(stock.id));
		expect(level(sku).available).toBe(40);
		expect(out(early, 'Update', 0).find((j) => j.sku === sku)).toMatchObject({ action: 'updated', before: 37, after: 40 });

		// The order is pushed into the WooCommerce main store (taking its stock there); the next run sets 37, not 34.
		const push = chainWorkflow('race push shopify order', [
			{ name: 'Orders', type: 'fetchChannelOrders', parameters: { channel: 'shopify', by: 'created', range: 'since', since, options: {} }, credentials: credentialRef(shopCred) },
			{ name: 'Push', type: 'pushOrderToMainStore', parameters: { mainStore: 'woocommerce', mode: 'order', linkBy: 'sku', unlinked: 'wait', inventory: 'decrement', dryRun: false, options: {} }, credentials: credentialRef(wooCred) },
		]);
		const pushed = ok(await n8n.runWorkflow(push));
		expect([out(pushed, 'Push', 0).length, out(pushed, 'Push', 1)]).toEqual([1, []]);
		expect(wooStock(sku)).toBe(37);
		const after = ok(await n8n.execute(stock.id));
		expect([level(sku).available, level(sku).committed]).toEqual([37, 3]);
		expect(out(after, 'Update', 0).find((j) => j.sku === sku)).toMatchObject({ action: 'updated', before: 40, after: 37 });
	});

	it('WooCommerce channel (no compare-and-set): a sale between the read and the write is overwritten by the target, and reaches the channel only once its order is in the main store', async () => {
		const [, , sku, other] = shared;
		// Orders placed from here on: the test before pushed its Shopify order into WooCommerce, which is not this test's business.
		const since = new Date(Date.now() - 1000).toISOString();
		setShopify(sku, 40);
		setShopify(other, 17);
		setWoo(sku, 25);
		setWoo(other, 9);
		const stock = chainWorkflow('race woo channel', [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: { skus: `${sku},${other}` } }, credentials: credentialRef(shopCred) },
			{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: 'woocommerce', matchBy: 'sku', quantityField: 'quantity', dryRun: false, options: {} }, credentials: credentialRef(wooCred) },
		]);
		await n8n.importWorkflows([stock]);

		// A buyer checks out 3 on WooCommerce after the node read 25, just before its batch write arrives.
		let sale: ReturnType<typeof woo.addOrder> | undefined;
		woo.beforeNext(BATCH, () => (sale = woo.addOrder({ status: 'processing', line_items: [{ sku, quantity: 3 }], billing: { ...ADDRESS, email: 'ada@example.com' }, shipping: ADDRESS })));
		const first = ok(await n8n.execute(stock.id));
		// The sale took its stock (25 → 22) before the write...
		expect(sale?.line_items.map((l) => [l.sku, l.meta_data.find((m) => m.key === '_reduced_stock')?.value])).toEqual([[sku, '3']]);
		// ...and the write set the main store's 40 over it: the channel offers 3 units that are already sold.
		expect([wooStock(sku), wooStock(other)]).toEqual([40, 17]);
		expect(out(first, 'Update', 0).find((j) => j.sku === sku)).toMatchObject({ action: 'updated', before: 25, after: 40, notes: [] });
		expect(out(first, 'Update', 1)).toEqual([]);

		// The next stock run does not see the sale: the channel already shows the main store's count.
		const writes = () => woo.log.filter((e) => e.method !== 'GET').length;
		const quiet = writes();
		const second = ok(await n8n.execute(stock.id));
		expect(out(second, 'Update', 0).find((j) => j.sku === sku)).toMatchObject({ action: 'unchanged', before: 40 });
		expect(writes()).toBe(quiet);

		// Once the order is pushed into the Shopify main store (taking 3 there), the next run writes 37.
		const push = chainWorkflow('race push woo order', [
			{ name: 'Orders', type: 'fetchChannelOrders', parameters: { channel: 'woocommerce', by: 'created', range: 'since', since, options: {} }, credentials: credentialRef(wooCred) },
			{ name: 'Push', type: 'pushOrderToMainStore', parameters: { mainStore: 'shopify', mode: 'order', linkBy: 'sku', unlinked: 'wait', inventory: 'decrement', dryRun: false, options: {} }, credentials: credentialRef(shopCred) },
		]);
		const pushed = ok(await n8n.runWorkflow(push));
		expect([out(pushed, 'Push', 0).length, out(pushed, 'Push', 1)]).toEqual([1, []]);
		expect([level(sku).available, level(sku).committed]).toEqual([37, 3]);
		const third = ok(await n8n.execute(stock.id));
		expect(wooStock(sku)).toBe(37);
		expect(out(third, 'Update', 0).find((j) => j.sku === sku)).toMatchObject({ action: 'updated', before: 40, after: 37 });
	});

	it('a WooCommerce product deleted between the read and the write goes to Failed with its reason; the others in the same batch are written', async () => {
		const [, , , , a, gone, b] = shared;
		[[a, 11], [gone, 12], [b, 13]].forEach(([sku, q]) => setShopify(sku as string, q as number));
		[[a, 1], [gone, 2], [b, 3]].forEach(([sku, q]) => setWoo(sku as string, q as number));
		const goneId = wooProduct(gone).id;
		// The shop deletes the product permanently while the node is between its read and its write.
		woo.beforeNext(BATCH, () => woo.store.deleteProduct(goneId, true));
		const batches = () => woo.log.filter((e) => BATCH.test(`${e.method} ${e.path}`)).length;
		const before = batches();
		const result = ok(await n8n.runWorkflow(chainWorkflow('race deleted listing', [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: { skus: [a, gone, b].join(',') } }, credentials: credentialRef(shopCred) },
			{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: 'woocommerce', matchBy: 'sku', quantityField: 'quantity', dryRun: false, options: {} }, credentials: credentialRef(wooCred) },
		])));
		expect(batches() - before).toBe(1);
		expect(woo.store.products.some((p) => p.id === goneId)).toBe(false);
		expect([wooStock(a), wooStock(b)]).toEqual([11, 13]);
		expect(out(result, 'Update', 0).map((j) => [j.sku, j.action, j.after])).toEqual([[a, 'updated', 11], [b, 'updated', 13]]);
		expect(out(result, 'Update', 1).map((j) => [j.sku, j.action, j.listingId, j.reason])).toEqual([
			[gone, 'failed', String(goneId), expect.stringMatching(/Invalid ID\. \(woocommerce_rest_product_invalid_id\)/)],
		]);
	});
});
