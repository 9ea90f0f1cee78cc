/**
 * Sync Inventory Both Ways' loop on the simulators, without n8n (WooCommerce main store, Shopify
 * channel): a main-store booking whose answer is lost is looked up again and told apart from a sale the
 * main store made since the workflow read its stock, so the channel's sale is booked once: not lost when
 * the booking did not land, not booked twice when it did.
 */
import { syncInventoryBothWays } from '../../platforms/twoWaySync';
import type { TwoWayItem } from '../../platforms/twoWaySync';
import type { StockSnapshot } from '../../core/twoWay';
import { ShopifyChannelInventory } from '../../platforms/shopify/inventory';
import { WooMainInventory } from '../../platforms/woocommerce/inventory';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { giveShopifySkus, setShopifyStock, setWooStock, shopifyLevel, wooProductBySku } from '../support/stock';
import { basic, fetchTransport, realClock } from '../support/fetchTransport';

jest.setTimeout(60_000);

const BOOKING = '^POST /wp-json/wc/v3/products/batch$';

describe('two-way sync: a main-store booking whose answer is lost while the main store sells the same SKU', () => {
	let woo: WooSimulator;
	let shopify: ShopifySimulator;
	let skus: string[];
	const options = { by: 'sku' as const, links: new Map<string, string>(), dryRun: false };
	const stores = () => ({
		main: new WooMainInventory(fetchTransport({ headers: { authorization: basic(woo.consumerKey, woo.consumerSecret) } }), realClock(), woo.siteUrl),
		channel: new ShopifyChannelInventory(fetchTransport({ headers: { 'X-Shopify-Access-Token': shopify.accessToken } }), realClock(), shopify.url, 'Main warehouse'),
	});
	/** The item Get Main Store Inventory → Apply Inventory Rules (100 %) hands the node: the main store's stock as read. */
	const item = (sku: string, read: number): TwoWayItem => ({
		itemIndex: 0, sku, barcode: null, handle: null, quantity: read, state: null, trace: '', mainQuantity: read, rules: null, locationQuantity: read, oneWay: null,
		record: { sku, productId: String(wooProductBySku(woo, sku).id), variantId: null, inventoryItemId: null, locationId: 'woocommerce' },
	});
	const both = (sku: string) => [wooProductBySku(woo, sku).stock_quantity, shopifyLevel(shopify, sku).available];
	/** A first cycle (channel set from the main store, 20 each), then 3 sell on the channel and 1 in the main store after the workflow read 20. */
	async function soldOnBothSides(sku: string): Promise<Map<string, StockSnapshot>> {
		const { main, channel } = stores();
		setWooStock(woo, sku, 20);
		setShopifyStock(shopify, sku, 4);
		const first = await syncInventoryBothWays(channel, main, [item(sku, 20)], new Map(), options);
		expect(both(sku)).toEqual([20, 20]);
		const level = shopifyLevel(shopify, sku);
		Object.assign(level, { available: 17, committed: level.committed + 3, updatedAt: new Date().toISOString() });
		woo.store.changeStock(wooProductBySku(woo, sku), -1, woo.store.now());
		return new Map(first.snapshots);
	}

	beforeAll(async () => {
		woo = await startWooSimulator({ orders: 0, products: 24, seed: 93 });
		shopify = await startShopifySimulator({ orders: 0, products: 4, seed: 94, restoreRate: 1000, bucketSize: 20000 });
		skus = woo.store.products.filter((p) => p.type === 'simple' && p.sku).slice(0, 2).map((p) => p.sku);
		giveShopifySkus(shopify, skus);
	});
	afterAll(async () => {
		await Promise.all([woo.close(), shopify.close()]);
	});

	it('did not land (the connection dropped): found not there, and booked once by the next run', async () => {
		const [sku] = skus;
		const snapshots = await soldOnBothSides(sku);
		woo.faults.add({ kind: 'drop', match: BOOKING, times: 1 });
		const { main, channel } = stores();
		const second = await syncInventoryBothWays(channel, main, [item(sku, 20)], snapshots, options);
		expect(second.outcomes.map((o) => [o.action, o.reason])).toEqual([['failed', expect.stringMatching(/change of -3 for SKU .*, and it is not there; the next run books it/)]]);
		expect(both(sku)).toEqual([19, 17]);
		for (const [key, s] of second.snapshots) snapshots.set(key, s);
		// The next run reads 19 in the main store and books the channel's 3 there, once: 16 on both sides.
		const third = await syncInventoryBothWays(channel, main, [item(sku, 19)], snapshots, options);
		expect(third.mainChanges.map((c) => c.delta)).toEqual([-3]);
		expect(both(sku)).toEqual([16, 16]);
	});

	it('landed (its answer was lost): found there and not booked again; the main store\'s own sale reaches the channel on the next run', async () => {
		const [, sku] = skus;
		const snapshots = await soldOnBothSides(sku);
		woo.faults.add({ kind: 'lostAnswer', match: BOOKING, times: 1 });
		const { main, channel } = stores();
		const second = await syncInventoryBothWays(channel, main, [item(sku, 20)], snapshots, options);
		// Booked (19 - 3 = 16); the channel gets the figure this run knows of, 20 - 3 = 17, which it has.
		expect(second.outcomes.map((o) => [o.action, o.after])).toEqual([['unchanged', 17]]);
		expect(second.mainChanges.map((c) => c.delta)).toEqual([-3]);
		expect(both(sku)).toEqual([16, 17]);
		for (const [key, s] of second.snapshots) snapshots.set(key, s);
		const third = await syncInventoryBothWays(channel, main, [item(sku, 16)], snapshots, options);
		expect([third.mainChanges, third.outcomes.map((o) => [o.action, o.after])]).toEqual([[], [['updated', 16]]]);
		expect(both(sku)).toEqual([16, 16]);
	});
});
