/**
 * The inventory sync's platform side on the simulators, without n8n: the main store's stock read per
 * location, and a channel's listings written only where they differ, in batches, a sale on the channel
 * between read and write kept, a listing that cannot take stock reported without failing the others.
 */
import { ShopifyChannelInventory, ShopifyMainInventory } from '../../platforms/shopify/inventory';
import { WooChannelInventory, WooMainInventory } from '../../platforms/woocommerce/inventory';
import type { ChannelInventory, ListingWrite } from '../../platforms/inventory';
import { keepChannelSales, updateChannelStock } from '../../platforms/inventorySync';
import type { StockItem } from '../../platforms/inventorySync';
import type { InventoryRecord } from '../../core/model';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { basic, fetchTransport, realClock } from '../support/fetchTransport';

jest.setTimeout(60_000);

const item = (itemIndex: number, sku: string, quantity: number): StockItem => ({ itemIndex, sku, barcode: null, handle: null, quantity, state: null, trace: `rule ${itemIndex}` });

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
	const out: T[] = [];
	for await (const page of pages) out.push(...page);
	return out;
}

describe('keeping a channel sale made between read and write', () => {
	it('takes the units sold since the read off the new quantity, never below zero', () => {
		expect([keepChannelSales(10, 7, 5), keepChannelSales(10, 7, 7), keepChannelSales(1, 7, 2), keepChannelSales(4, null, 3), keepChannelSales(4, 3, 9)]).toEqual([8, 10, 0, 4, 4]);
	});
});

describe('Shopify stock', () => {
	let sim: ShopifySimulator;
	const transport = () => fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } });
	const available = (sku: string, locationId?: number) => {
		const variant = sim.store.variants.find((v) => v.sku === sku)!;
		return sim.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId && (locationId === undefined || l.locationId === locationId)).reduce((s, l) => s + l.available, 0);
	};

	beforeAll(async () => {
		sim = await startShopifySimulator({ orders: 0, products: 8, seed: 91, restoreRate: 1000, bucketSize: 20000, bundleParents: 1 });
	});
	afterAll(() => sim.close());

	it('reads every variant with its quantity per location, summed over the chosen ones', async () => {
		const main = new ShopifyMainInventory(transport(), realClock(), sim.url);
		const records: InventoryRecord[] = await all(main.read({ locationNames: [], skus: [] }));
		expect(records.map((r) => r.sku).sort()).toEqual(sim.store.variants.map((v) => v.sku).sort());
		const one = records.find((r) => r.sku === 'SKU-2-1')!;
		expect(one.quantity).toBe(available('SKU-2-1'));
		expect(one.locations).toHaveLength(sim.store.locations.filter((l) => l.isActive).length);
		const first = sim.store.locations[0];
		const atOne = await all(main.read({ locationNames: [first.name], skus: ['SKU-2-1'] }));
		expect(atOne.map((r) => [r.sku, r.quantity, r.locations.length])).toEqual([['SKU-2-1', available('SKU-2-1', first.id), 1]]);
		await expect(all(main.read({ locationNames: ['Nowhere'], skus: [] }))).rejects.toThrow(/no location named "Nowhere"/);
		// A bundle parent comes with its components, so Apply Inventory Rules can compute its stock from them.
		const bundle = sim.store.variants.find((v) => v.requiresComponents)!;
		expect(records.find((r) => r.sku === bundle.sku)!.bundleComponents).toEqual(bundle.components!.map((c) => ({ sku: sim.store.variants.find((v) => v.id === c.variantId)!.sku, quantity: c.quantity })));
		expect(records.filter((r) => r.bundleComponents !== null)).toHaveLength(1);
	});

	it('a whole-catalogue read goes through one bulk operation, with the same records as paging, downloaded without the token', async () => {
		const paged = await all(new ShopifyMainInventory(transport(), realClock(), sim.url).read({ locationNames: [], skus: [] }));
		const before = sim.log.length;
		const main = new ShopifyMainInventory(transport(), realClock(), sim.url, undefined, fetchTransport({}));
		const bulk = await all(main.read({ locationNames: [], skus: [] }));
		const bySku = (records: InventoryRecord[]) => [...records].sort((a, b) => a.sku.localeCompare(b.sku));
		expect(bySku(bulk)).toEqual(bySku(paged));
		expect(main.lastBulk?.objectCount).toBeGreaterThan(sim.store.variants.length);
		// Locations, start, status polls, the download, the bundle components: a handful, however large the store.
		const requests = sim.log.slice(before);
		expect(requests.length).toBeLessThan(15);
		expect(requests.filter((e) => e.path.includes('bulk')).every((e) => !JSON.stringify(e).includes(sim.accessToken))).toBe(true);
		// A channel reads its whole catalogue the same way.
		const channelBefore = sim.log.length;
		const channel = new ShopifyChannelInventory(transport(), realClock(), sim.url, '', undefined, fetchTransport({}));
		const listings = await all(channel.listings({ skus: [] }));
		expect(listings.map((l) => l.sku).sort()).toEqual(sim.store.variants.map((v) => v.sku).sort());
		expect(sim.log.length - channelBefore).toBeLessThan(15);
	});

	it('reads only the variants whose stock changed since a cursor', async () => {
		const main = new ShopifyMainInventory(transport(), realClock(), sim.url);
		// Shopify's timestamps are whole seconds: the change lands a second after the cursor.
		const cursor = new Date().toISOString();
		await new Promise((r) => setTimeout(r, 1100));
		const variant = sim.store.variants.find((v) => v.sku === 'SKU-4-2')!;
		const location = sim.store.locations[0];
		await fetch(`${sim.graphqlUrl}`, {
			method: 'POST', headers: { 'content-type': 'application/json', 'X-Shopify-Access-Token': sim.accessToken },
			body: JSON.stringify({
				query: 'mutation A($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) @idempotent(key: "changed-since-test") { userErrors { message } } }',
				variables: { input: { name: 'available', reason: 'correction', changes: [{ inventoryItemId: `gid://shopify/InventoryItem/${variant.inventoryItemId}`, locationId: `gid://shopify/Location/${location.id}`, delta: -1, changeFromQuantity: null }] } },
			}),
		});
		const changed = await all(main.read({ locationNames: [], skus: [], changedSince: cursor }));
		expect(changed.map((r) => r.sku)).toEqual(['SKU-4-2']);
		expect(changed[0].quantity).toBe(available('SKU-4-2'));
	});

	it('writes only what differs, keeps a sale made meanwhile, and reports a bundle parent without failing the batch', async () => {
		const location = sim.store.locations.find((l) => l.isActive)!;
		const channel = new ShopifyChannelInventory(transport(), realClock(), sim.url, location.name);
		const bundle = sim.store.variants.find((v) => v.requiresComponents)!;
		const now = (sku: string) => available(sku, location.id);
		const items = [item(0, 'SKU-1-1', now('SKU-1-1')), item(1, 'SKU-1-2', 40), item(2, 'SKU-3-1', 41), item(3, bundle.sku as string, 5), item(4, 'NOT-LISTED', 3)];

		// A sale of 2 units of SKU-3-1 lands on the channel after the read, just before the write.
		let sold = false;
		const selling: ChannelInventory = Object.assign(Object.create(channel) as ChannelInventory, {
			write: async (writes: ListingWrite[]) => {
				if (!sold) {
					sold = true;
					const variant = sim.store.variants.find((v) => v.sku === 'SKU-3-1')!;
					const level = sim.store.inventoryLevels.find((l) => l.inventoryItemId === variant.inventoryItemId && l.locationId === location.id)!;
					level.available -= 2;
					level.onHand -= 2;
				}
				return channel.write(writes);
			},
		});
		const outcomes = await updateChannelStock(selling, items, { by: 'sku', links: new Map(), dryRun: false });
		expect(outcomes.map((o) => [o.item.sku, o.action])).toEqual([
			['SKU-1-1', 'unchanged'], ['SKU-1-2', 'updated'], ['SKU-3-1', 'updated'], [bundle.sku, 'failed'], ['NOT-LISTED', 'notOnChannel'],
		]);
		expect([now('SKU-1-2'), now('SKU-3-1')]).toEqual([40, 39]);
		expect(outcomes[2].notes.join(' ')).toMatch(/the sale is kept: 39 instead of 41/);
		expect(outcomes[3].reason).toMatch(/bundle parent/);

		const again = await updateChannelStock(channel, items.slice(0, 2), { by: 'sku', links: new Map(), dryRun: false });
		expect(again.map((o) => o.action)).toEqual(['unchanged', 'unchanged']);

		// The channel sells back to the figure it had before the first write: the same write, in a later
		// run, is a new write (not taken for a replay of the first one by its idempotency key).
		const variant = sim.store.variants.find((v) => v.sku === 'SKU-1-2')!;
		const level = sim.store.inventoryLevels.find((l) => l.inventoryItemId === variant.inventoryItemId && l.locationId === location.id)!;
		const first = outcomes[1].before as number;
		level.available = first;
		level.onHand = first + level.committed;
		const later = await updateChannelStock(channel, [items[1]], { by: 'sku', links: new Map(), dryRun: false });
		expect([later[0].action, now('SKU-1-2')]).toEqual(['updated', 40]);
	});

	it('hides a Shopify product only when none of its variants is in stock, and shows it again when one is', async () => {
		const location = sim.store.locations.find((l) => l.isActive)!;
		const channel = new ShopifyChannelInventory(transport(), realClock(), sim.url, location.name);
		const product = (sku: string) => sim.store.products.find((p) => p.id === sim.store.variants.find((v) => v.sku === sku)!.productId)!;
		const hiddenBySync = new Set<string>();
		const run = (states: Array<[string, number, StockItem['state']]>) =>
			updateChannelStock(channel, states.map(([sku, q, st], i) => ({ ...item(i, sku, q), state: st })), { by: 'sku', links: new Map(), dryRun: false, listingStatus: { hiddenBySync } });
		// Product 5: one variant out of stock, one still in stock → the product stays shown.
		const mixed = await run([['SKU-5-1', 0, 'outOfStock'], ['SKU-5-2', 3, 'active']]);
		expect(mixed.map((o) => o.statusAfter)).toEqual(['shown', 'shown']);
		expect(product('SKU-5-1').status).toBe('ACTIVE');
		// Both out of stock → the product is a draft; one back in stock → active again.
		await run([['SKU-5-1', 0, 'outOfStock'], ['SKU-5-2', 0, 'outOfStock']]);
		expect(product('SKU-5-1').status).toBe('DRAFT');
		expect([...hiddenBySync]).toEqual([`gid://shopify/Product/${product('SKU-5-1').id}`]);
		const back = await run([['SKU-5-1', 2, 'active'], ['SKU-5-2', 0, 'outOfStock']]);
		expect(back.map((o) => [o.statusBefore, o.statusAfter])).toEqual([['hidden', 'shown'], ['hidden', 'shown']]);
		expect(product('SKU-5-1').status).toBe('ACTIVE');
		expect(hiddenBySync.size).toBe(0);
	});
});

describe('WooCommerce stock', () => {
	let sim: WooSimulator;
	const transport = () => fetchTransport({ headers: { authorization: basic(sim.consumerKey, sim.consumerSecret) } });

	beforeAll(async () => {
		sim = await startWooSimulator({ orders: 0, products: 24, seed: 92 });
	});
	afterAll(() => sim.close());

	it('reads products and variations as records, and writes only what differs through the batch routes', async () => {
		const main = new WooMainInventory(transport(), realClock(), sim.siteUrl);
		const records = await all(main.read({ locationNames: [], skus: [] }));
		const simpleSkus = sim.store.products.filter((p) => p.type === 'simple' && p.sku).map((p) => p.sku);
		const variationSkus = sim.store.variations.filter((v) => v.sku).map((v) => v.sku);
		expect(records.map((r) => r.sku).sort()).toEqual([...simpleSkus, ...variationSkus].sort());

		const simple = sim.store.products.find((p) => p.type === 'simple' && p.manage_stock && p.sku)!;
		const variation = sim.store.variations.find((v) => v.manage_stock === true && v.sku)!;
		const channel = new WooChannelInventory(transport(), realClock(), sim.siteUrl);
		const external = sim.store.products.find((p) => p.type === 'external')!;
		const items = [item(0, simple.sku, 33), item(1, variation.sku, 7), item(2, external.sku, 4), item(3, 'NOT-LISTED', 1)];
		const logBefore = sim.log.length;
		const outcomes = await updateChannelStock(channel, items, { by: 'sku', links: new Map(), dryRun: false });
		expect(outcomes.map((o) => o.action)).toEqual(['updated', 'updated', 'failed', 'notOnChannel']);
		expect(outcomes[2].reason).toMatch(/an external product cannot have stock/);
		expect([simple.stock_quantity, sim.store.variations.find((v) => v.id === variation.id)!.stock_quantity]).toEqual([33, 7]);
		const requests = sim.log.slice(logBefore).map((e) => `${e.method} ${e.path.replace(/\d+/g, 'N')}`);
		expect(requests.filter((r) => r.startsWith('POST'))).toEqual(['POST /wp-json/wc/vN/products/batch', 'POST /wp-json/wc/vN/products/N/variations/batch']);
		const again = await updateChannelStock(channel, items.slice(0, 2), { by: 'sku', links: new Map(), dryRun: false });
		expect(again.map((o) => o.action)).toEqual(['unchanged', 'unchanged']);
	});

	it('writes a variation whose stock is its parent\'s on the parent, leaving the variation inheriting', async () => {
		const parent = sim.store.products.find((p) => p.type === 'variable' && p.manage_stock && sim.store.variations.some((v) => v.parent_id === p.id && !v.manage_stock && v.sku))!;
		const variation = sim.store.variations.find((v) => v.parent_id === parent.id && !v.manage_stock && v.sku)!;
		const channel = new WooChannelInventory(transport(), realClock(), sim.siteUrl);
		const [outcome] = await updateChannelStock(channel, [item(0, variation.sku, 12)], { by: 'sku', links: new Map(), dryRun: false });
		expect(outcome.action).toBe('updated');
		expect([parent.stock_quantity, variation.manage_stock]).toEqual([12, false]);
	});

	it('variations selling from their parent\'s stock get the smallest of their quantities, and a second run leaves them alone', async () => {
		const parent = sim.store.products.find((p) => p.type === 'variable' && p.manage_stock && sim.store.variations.filter((v) => v.parent_id === p.id && !v.manage_stock && v.sku).length >= 2)!;
		const [a, b] = sim.store.variations.filter((v) => v.parent_id === parent.id && !v.manage_stock && v.sku);
		const channel = new WooChannelInventory(transport(), realClock(), sim.siteUrl);
		// Read whole (by barcode-less handle matching is not it): manual links make the node read the catalogue, parents included.
		const run = () => updateChannelStock(channel, [item(0, a.sku, 9), item(1, b.sku, 4)], { by: 'sku', links: new Map([['__none__', '__none__']]), dryRun: false });
		const first = await run();
		expect(parent.stock_quantity).toBe(4);
		expect(first.map((o) => [o.action, o.after])).toEqual([['updated', 4], ['updated', 4]]);
		expect(first[0].notes.join(' ')).toMatch(/shares its stock with 1 other listing\(s\).*smallest of their quantities, 4 \(its own would be 9\)/);
		const second = await run();
		expect(second.map((o) => o.action)).toEqual(['unchanged', 'unchanged']);
	});

	it('hides a listing whose item is out of stock and shows it again once back, but never one the shop hid itself', async () => {
		const channel = new WooChannelInventory(transport(), realClock(), sim.siteUrl);
		const [a, b] = sim.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku && p.status === 'publish').slice(-2);
		const variation = sim.store.variations.find((v) => v.manage_stock === true && v.sku && v.status === 'publish')!;
		b.status = 'draft'; // the shop's own choice
		const hiddenBySync = new Set<string>();
		const state = (i: StockItem, s: StockItem['state']): StockItem => ({ ...i, state: s });
		const out = await updateChannelStock(channel, [state(item(0, a.sku, 0), 'outOfStock'), state(item(1, b.sku, 5), 'active'), state(item(2, variation.sku, 0), 'inactive')], { by: 'sku', links: new Map(), dryRun: false, listingStatus: { hiddenBySync } });
		expect(out.map((o) => [o.action, o.statusBefore, o.statusAfter])).toEqual([['updated', 'shown', 'hidden'], ['updated', 'hidden', 'hidden'], ['updated', 'shown', 'hidden']]);
		expect(out[1].notes.join(' ')).toMatch(/this sync did not hide it/);
		// A product is hidden as a draft; a variation as private (WooCommerce's "Enabled" box), its parent untouched.
		expect([a.status, b.status, sim.store.variations.find((v) => v.id === variation.id)!.status]).toEqual(['draft', 'draft', 'private']);
		expect(sim.store.products.find((p) => p.id === variation.parent_id)!.status).toBe('publish');
		expect([...hiddenBySync].sort()).toEqual([String(a.id), String(variation.id)].sort());

		const back = await updateChannelStock(channel, [state(item(0, a.sku, 4), 'active'), state(item(1, b.sku, 5), 'active'), state(item(2, variation.sku, 3), 'active')], { by: 'sku', links: new Map(), dryRun: false, listingStatus: { hiddenBySync } });
		expect(back.map((o) => o.statusAfter)).toEqual(['shown', 'hidden', 'shown']);
		expect([a.status, b.status, sim.store.variations.find((v) => v.id === variation.id)!.status, a.stock_quantity]).toEqual(['publish', 'draft', 'publish', 4]);
		expect(hiddenBySync.size).toBe(0);
		// Nothing left to change: nothing written.
		const before = sim.log.length;
		const third = await updateChannelStock(channel, [state(item(0, a.sku, 4), 'active'), state(item(1, b.sku, 5), 'active')], { by: 'sku', links: new Map(), dryRun: false, listingStatus: { hiddenBySync } });
		expect(third.map((o) => o.action)).toEqual(['unchanged', 'unchanged']);
		expect(sim.log.slice(before).filter((e) => e.method === 'POST')).toHaveLength(0);
	});
});
