/**
 * The marketplace channels in real n8n, each against its simulator, with a Shopify main store:
 *  - Fetch Channel Orders reads every order of the window across many pages, cancelled ones marked,
 *    the tax the marketplace collected kept apart from the seller's, while the access token expires
 *    in the middle of the run (n8n refreshes it through the OAuth2 credential and the run goes on);
 *  - Get Main Store Inventory → Update Channel Inventory writes only changed listings, in the
 *    marketplace's batch sizes, and a second run writes nothing;
 *  - Sync Tracking copies a Shopify fulfillment onto the marketplace order once, even when the first
 *    answer is lost, and never again on later runs (Etsy emails the buyer on every tracking call);
 *  - a revoked refresh token stops the run with a message naming the credential.
 */
import { N8nInstance } from './harness/n8n';
import type { CredentialFixture, ExecutionResult } from './harness/n8n';
import { credentialRef, shopifyCredential } from './harness/fixtures';
import { UNDER_TEST, chainWorkflow, feedItems } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import type { Simulator } from '../simulators/common/server';
import { MARKETPLACES } from '../support/marketplaces';
import { giveShopifySkus, shopifyVariant } from '../support/stock';
import { pushTo, shipOnShopify } from '../support/tracking';
import type { Order } from '../../core/model';

type Json = Record<string, any>;

const ok = (result: ExecutionResult) => {
	if (!result.ok) throw new Error(`run failed: ${result.error?.message ?? result.stderr.slice(-2000)}`);
	return result;
};

describe.each(MARKETPLACES.map((m) => [m.label, m] as const))('%s channel in real n8n', (label, market) => {
	let n8n: N8nInstance;
	let sim: Simulator;
	let shopify: ShopifySimulator;
	let cred: CredentialFixture;
	let shopCred: CredentialFixture;

	beforeAll(async () => {
		sim = await market.start();
		shopify = await startShopifySimulator({ orders: 0, products: 40, seed: 83, restoreRate: 1000, bucketSize: 20000 });
		n8n = N8nInstance.create();
		cred = market.credential(sim, `${market.channel}MarketCred01`.padEnd(16, '0').slice(0, 16), `${label} account`);
		shopCred = shopifyCredential(`shop${market.channel}Main01`.padEnd(16, '0').slice(0, 16), 'Shopify main store', shopify);
		await n8n.importCredentials([cred, shopCred]);
	});
	afterAll(async () => {
		n8n?.dispose();
		await sim?.close();
		await shopify?.close();
	});

	it('reads every order across pages, cancelled ones marked and marketplace tax kept apart, while the access token expires mid-run', async () => {
		// Every answer takes 40 ms, so the read spans seconds; once it is under way the token expires.
		sim.faults.add({ kind: 'slow', delayMs: 40, probability: 1 });
		const workflow = feedItems(`fetch ${market.channel}`, [{}], {
			type: 'fetchChannelOrders', parameters: { channel: market.channel, by: 'updated', range: 'since', since: '2026-09-01T00:00:00Z', options: {} }, credentials: credentialRef(cred),
		});
		await n8n.importWorkflows([workflow]);
		const from = sim.log.length;
		const running = n8n.execute(workflow.id);
		while (sim.log.slice(from).filter((e) => !e.path.startsWith('/__sim') && e.status === 200).length < 3) await new Promise((r) => setTimeout(r, 30));
		market.expireTokens(sim);
		sim.faults.clear();
		const result = ok(await running);

		const log = sim.log.slice(from);
		expect(log.some((e) => e.status === (market.expiredStatus ?? 401))).toBe(true);
		expect(log.filter((e) => e.path === market.tokenPath && e.method === (market.tokenMethod ?? 'POST') && e.status === 200).length).toBeGreaterThanOrEqual(1);
		const orders = result.json(UNDER_TEST) as Json[];
		const ids = orders.map((o) => o.channelOrderId);
		expect([...ids].sort()).toEqual(market.orderIds(sim).sort());
		expect(new Set(ids).size).toBe(ids.length);
		// Several pages were read: more orders than one page holds.
		expect(orders.length).toBeGreaterThan(market.channel === 'ebay' ? 200 : 100);
		const cancelled = market.cancelledIds(sim);
		expect(cancelled.length).toBeGreaterThan(0);
		expect(orders.filter((o) => o.status === 'cancelled').map((o) => o.channelOrderId).sort()).toEqual(cancelled.sort());
		// The marketplace's own tax is on its own tax lines, never the seller's.
		const marketplaceTax = (o: Json) => [...o.lines, ...o.shippingLines].some((l: Json) => l.taxLines.some((t: Json) => t.collector === 'marketplace'));
		const taxed = orders.filter(marketplaceTax).map((o) => o.channelOrderId).sort();
		expect(taxed.length).toBeGreaterThan(0);
		expect(taxed).toEqual(market.marketplaceTaxedIds(sim).sort());
		expect(orders.flatMap((o) => o.problems).filter((p: string) => /total/i.test(p))).toEqual([]);
		expect(result.output(UNDER_TEST).every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);
	});

	it('writes only the listings whose stock changed, in the marketplace\'s batch sizes, and nothing on a second run', async () => {
		const stock = market.listingStock(sim);
		const skus = [...stock.keys()].sort();
		expect(skus.length).toBeGreaterThan(26);
		giveShopifySkus(shopify, skus, shopify.store.variants.filter((v) => !v.requiresComponents));
		// The main store has what the channel has, except 28 SKUs that sold or were counted again.
		const changed = new Map<string, number>();
		skus.forEach((sku, i) => {
			const variant = shopifyVariant(shopify, sku);
			const levels = shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId);
			shopify.store.inventoryItems.find((item) => item.id === variant.inventoryItemId)!.tracked = true;
			const want = i < 28 ? (stock.get(sku)! + 3) % 50 : stock.get(sku)!;
			if (i < 28) changed.set(sku, want);
			levels.forEach((level, k) => Object.assign(level, { available: k === 0 ? want : 0, onHand: k === 0 ? want : 0, committed: 0 }));
		});
		const workflow = chainWorkflow(`stock to ${market.channel}`, [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: { skus: skus.join(',') } }, credentials: credentialRef(shopCred) },
			{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: market.channel, matchBy: 'sku', quantityField: 'quantity', dryRun: false, options: {} }, credentials: credentialRef(cred) },
		]);
		await n8n.importWorkflows([workflow]);
		const from = sim.log.length;
		const first = ok(await n8n.execute(workflow.id));
		const after = market.listingStock(sim);
		for (const sku of skus) expect([sku, after.get(sku)]).toEqual([sku, changed.get(sku) ?? stock.get(sku)]);
		const done = first.json('Update') as Json[];
		expect(done.filter((j) => j.action === 'updated').map((j) => j.sku).sort()).toEqual([...changed.keys()].sort());
		expect(done.filter((j) => j.action === 'unchanged')).toHaveLength(skus.length - changed.size);
		market.checkBatches(sim, from, done.filter((j) => j.action === 'updated').map((j) => ({ sku: String(j.sku), listingId: String(j.listingId) })));

		const again = sim.log.length;
		ok(await n8n.execute(workflow.id));
		expect(market.stockWrites(sim, again)).toBe(0);
	});

	it('copies a Shopify fulfillment onto the marketplace order once, even when the first answer is lost, and never again', async () => {
		const orderId = market.newOrder(sim);
		// eBay reads up to two seconds before now (it refuses a window that ends in the future).
		await new Promise((r) => setTimeout(r, 2500));
		let order: Order | undefined;
		for await (const page of market.reader(sim).readOrders({ since: new Date(Date.now() - 3_600_000).toISOString(), by: 'created' })) {
			order = page.map((o) => o.order).find((o) => o.channelOrderId === orderId) ?? order;
		}
		if (!order) throw new Error(`${label} order ${orderId} not read back`);
		const [mainOrder] = await pushTo(shopify, [order]);
		await shipOnShopify(shopify, mainOrder, { company: 'UPS', numbers: ['1Z999AA10123456784'] });
		// The marketplace takes the tracking, then the connection drops before its answer.
		sim.faults.add({ kind: 'lostAnswer', match: market.trackingPath.source, times: 1 });

		const workflow = chainWorkflow(`tracking to ${market.channel}`, [{
			name: 'Sync', type: 'syncTracking',
			parameters: { channel: market.channel, mainStore: 'shopify', direction: 'mainToChannel', orders: 'changed', lookBackHours: 1, notifyCustomer: true, markCompleted: true, dryRun: false },
			credentials: { ...credentialRef(cred), ...credentialRef(shopCred) },
		}]);
		await n8n.importWorkflows([workflow]);
		const first = await n8n.execute(workflow.id);
		expect(sim.faults.injected.lostAnswer).toBe(1);
		expect(market.trackingOn(sim, orderId)).toEqual(['1Z999AA10123456784']);
		expect(market.buyerNotices(sim, orderId)).toBe(1);
		const mine = (first.json('Sync', 0) as Json[]).concat(first.json('Sync', 1) as Json[]).find((j) => j.channelOrderId === orderId);
		expect(mine).toBeDefined();

		for (let run = 0; run < 2; run++) ok(await n8n.execute(workflow.id));
		expect(market.trackingOn(sim, orderId)).toEqual(['1Z999AA10123456784']);
		expect(market.buyerNotices(sim, orderId)).toBe(1);
	});

	it('a revoked credential stops the run with a message that names it, and no token in it', async () => {
		market.expireTokens(sim);
		market.revokeRefreshTokens(sim);
		const result = await n8n.runWorkflow(feedItems(`fetch ${market.channel} revoked`, [{}], {
			type: 'fetchChannelOrders', parameters: { channel: market.channel, by: 'updated', range: 'since', since: '2026-11-01T00:00:00Z', options: {} }, credentials: credentialRef(cred),
		}));
		expect(result.ok).toBe(false);
		const run = JSON.stringify(result.run ?? {}) + result.stdout;
		const error = result.run?.data.resultData.runData[UNDER_TEST]?.[0]?.error;
		expect(`${error?.message} ${error?.description}`).toContain(market.credentialName);
		const secrets = Object.values(cred.data).flatMap((v) => (typeof v === 'object' && v ? Object.values(v) : [v])).map(String).filter((s) => s.length >= 12 && !s.startsWith('http'));
		for (const secret of secrets) expect(run).not.toContain(secret);
	});
});
