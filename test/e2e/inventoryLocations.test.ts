/**
 * Location mapping in real n8n, Shopify store to Shopify store (Syncio's shape): each channel location
 * gets the stock of the main-store locations mapped to it, by the same name or by a table, with the
 * inventory rules applied to each location's own stock; channel locations nobody maps are left alone; a
 * misspelt table row fails with the row and the fix named.
 */
import { N8nInstance } from './harness/n8n';
import type { CredentialFixture, ExecutionResult } from './harness/n8n';
import { credentialRef, shopifyCredential } from './harness/fixtures';
import { chainWorkflow } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';

type Json = Record<string, any>;

describe('location mapping in real n8n (Shopify → Shopify)', () => {
	let n8n: N8nInstance;
	let main: ShopifySimulator;
	let channel: ShopifySimulator;
	let mainCred: CredentialFixture;
	let channelCred: CredentialFixture;
	const SKUS = ['SKU-1-1', 'SKU-1-2', 'SKU-2-1'];

	const levelOf = (sim: ShopifySimulator, sku: string, locationName: string) => {
		const variant = sim.store.variants.find((v) => v.sku === sku)!;
		const location = sim.store.locations.find((l) => l.name === locationName)!;
		return sim.store.inventoryLevels.find((l) => l.inventoryItemId === variant.inventoryItemId && l.locationId === location.id)!;
	};
	const set = (sim: ShopifySimulator, sku: string, locationName: string, quantity: number) => {
		const level = levelOf(sim, sku, locationName);
		level.available = quantity;
		level.onHand = quantity + level.committed;
	};
	const channelAt = (sku: string, locationName: string) => levelOf(channel, sku, locationName).available;
	const ok = (r: ExecutionResult) => {
		if (!r.ok) throw new Error(`run failed: ${r.error?.message ?? r.stderr.slice(-1500)}`);
		return r;
	};
	const workflow = (name: string, update: Json, continueOnFail = false) => chainWorkflow(name, [
		{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: { skus: SKUS.join(',') } }, credentials: credentialRef(mainCred) },
		{ name: 'Rules', type: 'applyInventoryRules', parameters: { rules: { percentage: 50, rounding: 'down', threshold: 1 } } },
		{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: 'shopify', matchBy: 'sku', quantityField: 'channelQuantity', dryRun: false, options: {}, ...update }, credentials: credentialRef(channelCred), continueOnFail },
	]);

	beforeAll(async () => {
		// Main store: Main warehouse, Location 2, Location 3. Channel: Main warehouse, Location 2, and an Outlet.
		main = await startShopifySimulator({ orders: 0, products: 3, seed: 131, locations: 3, restoreRate: 1000, bucketSize: 20000 });
		channel = await startShopifySimulator({ orders: 0, products: 3, seed: 132, locations: 3, restoreRate: 1000, bucketSize: 20000 });
		channel.store.locations[2].name = 'Outlet';
		SKUS.forEach((sku, i) => {
			set(main, sku, 'Main warehouse', 20 + i);
			set(main, sku, 'Location 2', 7 + i);
			set(main, sku, 'Location 3', 1 + i);
			for (const name of ['Main warehouse', 'Location 2', 'Outlet']) set(channel, sku, name, 99);
		});
		n8n = N8nInstance.create();
		mainCred = shopifyCredential('locMainShop00001', 'Main Shopify', main);
		channelCred = shopifyCredential('locChanShop00001', 'Channel Shopify', channel);
		await n8n.importCredentials([mainCred, channelCred]);
	});
	afterAll(async () => {
		n8n?.dispose();
		await main?.close();
		await channel?.close();
	});

	it('Same Names: each channel location gets its namesake\'s stock under the rules; an unmapped channel location is left alone', async () => {
		const result = ok(await n8n.runWorkflow(workflow('locations same names', { locationMapping: 'sameNames' })));
		// 50 % of each location, rounded down; at or below 1 → 0.
		expect(SKUS.map((sku) => [channelAt(sku, 'Main warehouse'), channelAt(sku, 'Location 2'), channelAt(sku, 'Outlet')])).toEqual([[10, 3, 99], [10, 4, 99], [11, 4, 99]]);
		const done = result.json('Update', 0) as Json[];
		expect(done.filter((j) => j.sku === 'SKU-1-1').map((j) => [j.location, j.before, j.after]).sort()).toEqual([['Location 2', 99, 3], ['Main warehouse', 99, 10]]);
		const again = ok(await n8n.runWorkflow(workflow('locations same names', { locationMapping: 'sameNames' })));
		expect((again.json('Update', 0) as Json[]).every((j) => j.action === 'unchanged')).toBe(true);
	});

	it('Table: two main-store locations feed the Outlet, summed after the rules; a misspelt row is named with its fix', async () => {
		const table = { row: [{ main: 'Main warehouse', channel: 'Main warehouse' }, { main: 'Location 2', channel: 'Outlet' }, { main: 'location 3 ', channel: 'Outlet' }] };
		ok(await n8n.runWorkflow(workflow('locations table', { locationMapping: 'table', locationMap: table })));
		// Outlet = ⌊50 % of Location 2⌋ + (Location 3 at or below the threshold 1 → 0, else ⌊50 %⌋).
		expect(SKUS.map((sku) => channelAt(sku, 'Outlet'))).toEqual([3 + 0, 4 + 1, 4 + 1]);
		expect(SKUS.map((sku) => channelAt(sku, 'Main warehouse'))).toEqual([10, 10, 11]);

		const typo = { row: [{ main: 'Main Warehuose', channel: 'Main warehouse' }] };
		const failed = ok(await n8n.runWorkflow(workflow('locations typo', { locationMapping: 'table', locationMap: typo }, true)));
		const errors = failed.json('Update', 1) as Json[];
		expect(errors).toHaveLength(SKUS.length);
		expect(errors[0]).toMatchObject({ reason: expect.stringMatching(/locationMap\[0\]\.main "Main Warehuose" is not a location the items were read at/), fix: expect.stringMatching(/fix the name/) });
	});
});
