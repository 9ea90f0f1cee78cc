/**
 * The inventory pipeline in real n8n, on the simulators, both ways round: Get Main Store Inventory →
 * Apply Inventory Rules → Update Channel Inventory, checked on the channel simulator's stock; a second
 * cycle with nothing changed writes nothing; the whole rule set with Listing Status following the rules
 * (out-of-stock and inactive listings hidden, shown again by the workflow that hid them); a bundle parent is reported while the rest are written;
 * Match Listings reports linked, unlinked and ambiguous listings.
 */
import { N8nInstance } from './harness/n8n';
import type { ExecutionResult } from './harness/n8n';
import { credentialRef, shopifyCredential, wooCredential } from './harness/fixtures';
import { chainWorkflow } from './harness/workflow';
import type { CredentialFixture } from './harness/n8n';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';

type Json = Record<string, any>;

describe('inventory sync in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let shopCred: CredentialFixture;
	let wooCred: CredentialFixture;
	/** The SKUs both stores carry: Shopify variants renamed to WooCommerce simple products' SKUs. */
	let shared: string[];

	const level = (sku: string, locationName = 'Main warehouse') => {
		const variant = shopify.store.variants.find((v) => v.sku === sku)!;
		const location = shopify.store.locations.find((l) => l.name === locationName)!;
		return shopify.store.inventoryLevels.find((l) => l.inventoryItemId === variant.inventoryItemId && l.locationId === location.id)!;
	};
	const mainTotal = (sku: string) => {
		const variant = shopify.store.variants.find((v) => v.sku === sku)!;
		return shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).reduce((s, l) => s + l.available, 0);
	};
	const setMain = (sku: string, total: number) => {
		const variant = shopify.store.variants.find((v) => v.sku === sku)!;
		const levels = shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId);
		levels.forEach((l, i) => {
			l.available = i === 0 ? total : 0;
			l.onHand = l.available + l.committed;
		});
	};
	const wooStock = (sku: string) => woo.store.products.find((p) => p.sku === sku)?.stock_quantity;
	const ok = (r: ExecutionResult) => {
		if (!r.ok) throw new Error(`run failed: ${r.error?.message ?? r.stderr.slice(-1500)}`);
		return r;
	};
	const out = (r: ExecutionResult, node: string, output: number) => r.json(node, output) as Json[];

	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 0, products: 8, seed: 101, restoreRate: 1000, bucketSize: 20000, bundleParents: 1 });
		woo = await startWooSimulator({ orders: 0, products: 30, seed: 102 });
		const simple = woo.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku);
		shared = simple.slice(0, 6).map((p) => p.sku);
		shared.forEach((sku, i) => {
			shopify.store.variants[i].sku = sku;
		});
		n8n = N8nInstance.create();
		shopCred = shopifyCredential('invShopCred00001', 'Shopify', shopify);
		wooCred = wooCredential('invWooCred000001', 'WooCommerce', woo);
		await n8n.importCredentials([shopCred, wooCred]);
	});
	afterAll(async () => {
		n8n?.dispose();
		await shopify?.close();
		await woo?.close();
	});

	it('Shopify main store → WooCommerce channel through the rules, and a second cycle writes nothing', async () => {
		// 50 %, rounded down, at most 20, 0 at or below 2 in the main store.
		const [a, b, c, d] = shared;
		setMain(a, 30);
		setMain(b, 5);
		setMain(c, 2);
		setMain(d, 100);
		const workflow = chainWorkflow('inventory shopify to woo', [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: {} }, credentials: credentialRef(shopCred) },
			{ name: 'Rules', type: 'applyInventoryRules', parameters: { rules: { percentage: 50, rounding: 'down', maximum: 20, minimum: 0, threshold: 2, fixedQuantity: 99 } } },
			{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: 'woocommerce', matchBy: 'sku', quantityField: 'channelQuantity', dryRun: false, options: {} }, credentials: credentialRef(wooCred) },
		]);
		await n8n.importWorkflows([workflow]);
		const first = ok(await n8n.execute(workflow.id));
		expect([wooStock(a), wooStock(b), wooStock(c), wooStock(d)]).toEqual([15, 2, 0, 20]);
		const done = out(first, 'Update', 0);
		expect(done.find((j) => j.sku === a)).toMatchObject({ action: 'updated', after: 15, ruleTrace: expect.any(String) });
		// The Shopify bundle parent's stock is computed from its components, read with it.
		const bundle = shopify.store.variants.find((v) => v.requiresComponents)!;
		const parts = bundle.components!.map((c) => ({ sku: shopify.store.variants.find((v) => v.id === c.variantId)!.sku as string, units: c.quantity }));
		const expectedBundle = Math.min(...parts.map((p) => Math.floor(mainTotal(p.sku) / p.units)));
		expect(out(first, 'Rules', 0).find((j) => j.sku === bundle.sku)).toMatchObject({ mainStoreQuantity: expectedBundle, ruleTrace: expect.stringMatching(/^bundle min\(/) });
		// Every Shopify SKU not listed on WooCommerce is reported, not silently dropped.
		expect(out(first, 'Update', 2).map((j) => j.sku).sort()).toEqual(shopify.store.variants.map((v) => v.sku).filter((s) => !shared.includes(s as string)).sort());

		const logBefore = woo.log.length;
		const second = ok(await n8n.execute(workflow.id));
		expect(out(second, 'Update', 0).every((j) => j.action === 'unchanged')).toBe(true);
		expect(woo.log.slice(logBefore).filter((e) => e.method !== 'GET')).toEqual([]);
	});

	it('the whole rule set decides quantity and listing status: percentage, minimum, maximum, threshold, untracked stock, Keep Listing Active', async () => {
		const variantOf = (sku: string) => shopify.store.variants.find((v) => v.sku === sku)!;
		// f moves to a Shopify product that carries no other shared SKU, so that product can be a draft alone.
		const [a, b, c, d, e, f] = shared;
		const fFrom = variantOf(f);
		const fVariant = shopify.store.variants.find((v) => !v.requiresComponents && shopify.store.variants.every((o) => o.productId !== v.productId || !shared.includes(o.sku as string)))!;
		const fVariantSku = fVariant.sku;
		fFrom.sku = 'MOVED-F';
		fVariant.sku = f;
		// e is not tracked in the main store; f's product is a draft there.
		const eItem = shopify.store.inventoryItems.find((i) => i.id === variantOf(e).inventoryItemId)!;
		eItem.tracked = false;
		const fProduct = shopify.store.products.find((p) => p.id === variantOf(f).productId)!;
		fProduct.status = 'DRAFT';
		const inactive = new Set([f]);
		try {
			setMain(a, 30); // 50 % → 15
			setMain(b, 100); // 50 % → 50, at most 20 → 20
			setMain(c, 6); // 50 % → 3, at least 4 → 4
			setMain(d, 2); // at the threshold 2 → 0, out of stock
			setMain(e, 7); // untracked → the fixed 9
			setMain(f, 40);
			const wooProduct = (sku: string) => woo.store.products.find((p) => p.sku === sku)!;
			const rules = (keepListingActive: boolean) => ({ rules: { percentage: 50, rounding: 'down', maximum: 20, minimum: 4, threshold: 2, fixedQuantity: 9 }, keepListingActive });
			const cycle = (keep: boolean) => chainWorkflow(`inventory rules keep ${String(keep)}`, [
				{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: { skus: shared.join(',') } }, credentials: credentialRef(shopCred) },
				{ name: 'Rules', type: 'applyInventoryRules', parameters: rules(keep) },
				{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: 'woocommerce', matchBy: 'sku', quantityField: 'channelQuantity', listingStatus: 'follow', dryRun: false, options: {} }, credentials: credentialRef(wooCred) },
			]);
			const withoutKeep = cycle(false);
			await n8n.importWorkflows([withoutKeep]);
			const first = ok(await n8n.execute(withoutKeep.id));
			expect([a, b, c, d, e].map((sku) => [sku, wooStock(sku)])).toEqual([[a, 15], [b, 20], [c, 4], [d, 0], [e, 9]]);
			// Out of stock without Keep Listing Active: hidden; the draft main-store product: hidden; the rest shown.
			expect(shared.map((sku) => [sku, wooProduct(sku).status])).toEqual(shared.map((sku) => [sku, sku === d || inactive.has(sku) ? 'draft' : 'publish']));
			const done = out(first, 'Update', 0);
			expect(done.find((j) => j.sku === d)).toMatchObject({ after: 0, statusBefore: 'shown', statusAfter: 'hidden', ruleTrace: expect.stringMatching(/threshold 2/) });
			expect(done.find((j) => j.sku === e)).toMatchObject({ after: 9, ruleTrace: expect.stringMatching(/fixed 9/) });

			// A second workflow with Keep Listing Active wants d shown at 0; it did not hide d, so it leaves it hidden.
			const withKeep = cycle(true);
			await n8n.importWorkflows([withKeep]);
			const second = ok(await n8n.execute(withKeep.id));
			// Each workflow remembers only what it hid: nothing a shop (or another workflow) hid is published.
			expect(wooProduct(d).status).toBe('draft');
			expect(out(second, 'Update', 0).find((j) => j.sku === d)).toMatchObject({ statusBefore: 'hidden', statusAfter: 'hidden', notes: [expect.stringMatching(/did not hide it/)] });
			const again = ok(await n8n.execute(withoutKeep.id));
			expect(out(again, 'Update', 0).filter((j) => j.action !== 'unchanged')).toEqual([]);
			setMain(d, 12); // 50 % → 6
			const back = ok(await n8n.execute(withoutKeep.id));
			expect([wooStock(d), wooProduct(d).status]).toEqual([6, 'publish']);
			expect(out(back, 'Update', 0).find((j) => j.sku === d)).toMatchObject({ before: 0, after: 6, statusBefore: 'hidden', statusAfter: 'shown' });
			// The first workflow republishes what it hid once the main store has it active again.
			fProduct.status = 'ACTIVE';
			eItem.tracked = true;
			ok(await n8n.execute(withoutKeep.id));
			expect(shared.map((sku) => wooProduct(sku).status)).toEqual(shared.map(() => 'publish'));
			expect([wooStock(e), wooStock(f)]).toEqual([4, 20]);
		} finally {
			fProduct.status = 'ACTIVE';
			eItem.tracked = true;
			fVariant.sku = fVariantSku;
			fFrom.sku = f;
		}
	});

	it('WooCommerce main store → Shopify channel at one location; a bundle parent is reported and the rest written', async () => {
		const bundle = shopify.store.variants.find((v) => v.requiresComponents)!;
		const bundleProduct = woo.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku)[7];
		bundleProduct.sku = bundle.sku as string;
		woo.store.changed();
		const workflow = chainWorkflow('inventory woo to shopify', [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'woocommerce', locations: '', options: {} }, credentials: credentialRef(wooCred) },
			{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: 'shopify', channelLocation: 'Main warehouse', matchBy: 'sku', quantityField: 'quantity', dryRun: false, options: {} }, credentials: credentialRef(shopCred) },
		]);
		const result = ok(await n8n.runWorkflow(workflow));
		for (const sku of shared) expect([sku, level(sku).available]).toEqual([sku, wooStock(sku)]);
		expect(out(result, 'Update', 1).map((j) => [j.sku, j.action, j.reason])).toEqual([[bundle.sku, 'failed', expect.stringMatching(/bundle parent/)]]);
		expect(mainTotal(shared[0])).toBeGreaterThanOrEqual(level(shared[0]).available);
	});

	it('Only Changed Since Last Run reads what changed since the last complete read (WooCommerce main store)', async () => {
		const workflow = chainWorkflow('inventory changed only', [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'woocommerce', locations: '', options: { onlyChanged: true } }, credentials: credentialRef(wooCred) },
		]);
		await n8n.importWorkflows([workflow]);
		const all = out(ok(await n8n.execute(workflow.id)), 'Main Stock', 0);
		const product = woo.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku).at(-1)!;
		await fetch(`${woo.siteUrl}/wp-json/wc/v3/products/${product.id}`, {
			method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${woo.consumerKey}:${woo.consumerSecret}`).toString('base64')}` },
			body: JSON.stringify({ stock_quantity: 77 }),
		});
		const changed = out(ok(await n8n.execute(workflow.id)), 'Main Stock', 0);
		// The cursor keeps a minute of overlap, so writes of the tests just before may come again; never the whole catalogue.
		expect(changed.find((j) => j.sku === product.sku)).toMatchObject({ quantity: 77 });
		expect(changed.length).toBeLessThan(all.length / 3);
	});

	it('Match Listings links the shared SKUs, reports the others, and flags two variants sharing a SKU', async () => {
		shopify.store.variants[6].sku = shared[5]; // now two Shopify variants carry this SKU
		const workflow = chainWorkflow('match listings', [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: {} }, credentials: credentialRef(shopCred) },
			{ name: 'Match', type: 'matchListings', parameters: { channel: 'woocommerce', matchBy: 'sku', options: { links: { link: [{ channel: woo.store.products.filter((p) => p.type === 'simple' && p.sku)[10].sku, main: shared[0] }] } } }, credentials: credentialRef(wooCred) },
		]);
		const result = ok(await n8n.runWorkflow(workflow));
		const linked = out(result, 'Match', 0);
		// The oracle from the two stores' records: WooCommerce SKUs exactly one Shopify variant carries.
		const carriers = (sku: string) => shopify.store.variants.filter((v) => v.sku === sku).length;
		const expected = woo.store.products.filter((p) => p.type === 'simple' && p.sku && carriers(p.sku) === 1).map((p) => p.sku);
		expect(expected).toEqual(expect.arrayContaining(shared.slice(0, 5)));
		expect(linked.filter((j) => j.via === 'sku').map((j) => j.listing.sku).sort()).toEqual(expected.sort());
		expect(linked.filter((j) => j.via === 'manual').map((j) => j.product.sku)).toEqual([shared[0]]);
		const unlinked = out(result, 'Match', 1);
		expect(unlinked.find((j) => j.listing.sku === shared[5])).toMatchObject({ status: 'ambiguous', reason: expect.stringMatching(/matches 2 main-store variants/) });
		expect(unlinked.filter((j) => j.status === 'unlinked').length).toBeGreaterThan(5);
	});
});
