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
import { SCOPE_FULFILLMENT, SCOPE_INVENTORY, startEbaySimulator } from '../simulators/ebay';
import type { EbaySimulator } from '../simulators/ebay';
import { startEtsySimulator } from '../simulators/etsy';
import type { EtsySimulator } from '../simulators/etsy';
import type { Simulator } from '../simulators/common/server';
import { fetchTransport, realClock } from '../support/fetchTransport';
import { giveShopifySkus, shopifyVariant } from '../support/stock';
import { pushTo, shipOnShopify } from '../support/tracking';
import { EbayChannel } from '../../platforms/ebay/channel';
import { EtsyChannel } from '../../platforms/etsy/channel';
import type { SalesChannel } from '../../platforms/channel';
import type { Order } from '../../core/model';

type Json = Record<string, any>;

/** What the test needs of a marketplace and its simulator, so both run the same cases. */
interface Marketplace<S extends Simulator> {
	channel: 'ebay' | 'etsy';
	credentialName: string;
	start(): Promise<S>;
	/** The credential as n8n holds it after the OAuth2 consent: an access token and a refresh token. */
	credential(sim: S, id: string, name: string): CredentialFixture;
	/** Every order id the simulator holds (all fall inside the test's window). */
	orderIds(sim: S): string[];
	cancelledIds(sim: S): string[];
	/** Ids of orders whose tax the marketplace collected. */
	marketplaceTaxedIds(sim: S): string[];
	expireTokens(sim: S): void;
	revokeRefreshTokens(sim: S): void;
	tokenPath: string;
	/** The SKUs of the listings Update Channel Inventory writes, and their quantities on the channel now. */
	listingStock(sim: S): Map<string, number>;
	/** Requests that wrote stock since log entry `from`. */
	stockWrites(sim: S, from: number): number;
	/** Listing revisions the marketplace counted (eBay's 250-a-day limit), or null where it has none. */
	revisions(sim: S): number | null;
	/** The channel class, over plain fetch, to read an order as our model (to push it into the main store). */
	reader(sim: S): SalesChannel;
	/** A new paid order of one line, as a buyer places it. */
	newOrder(sim: S): string;
	/** The tracking numbers on the marketplace order, one per call that wrote one. */
	trackingOn(sim: S, orderId: string): string[];
	/** How often the buyer was told about a shipment (Etsy emails on every tracking call; eBay on each fulfillment). */
	buyerNotices(sim: S, orderId: string): number;
	trackingPath: RegExp;
}

const ebay: Marketplace<EbaySimulator> = {
	channel: 'ebay',
	credentialName: 'Commerce Sync eBay OAuth2 API',
	start: () => startEbaySimulator({ orders: 420, items: 40, seed: 81, orderSpacingMs: 30 * 60_000, start: '2026-10-01T00:00:00.000Z' }),
	credential(sim, id, name) {
		const refresh = `v^1.1#i^1#r^1#test-${id}`;
		sim.store.refreshTokens.set(refresh, { scopes: ['https://api.ebay.com/oauth/api_scope', SCOPE_FULFILLMENT, SCOPE_INVENTORY] });
		return {
			id, name, type: 'commerceSyncEbayOAuth2Api',
			data: {
				environment: 'custom', customBaseUrl: sim.url, sellerName: 'sim-seller', clientId: sim.clientId, clientSecret: sim.clientSecret,
				oauthTokenData: { access_token: sim.issueToken(), refresh_token: refresh, token_type: 'Bearer', expires_in: 7200 },
			},
		};
	},
	orderIds: (sim) => sim.store.orders.map((o) => o.orderId),
	cancelledIds: (sim) => sim.store.orders.filter((o) => o.cancelState === 'CANCELED').map((o) => o.orderId),
	marketplaceTaxedIds: (sim) => sim.store.orders.filter((o) => o.lines.some((l) => l.remitTax.length > 0)).map((o) => o.orderId),
	expireTokens(sim) {
		for (const token of sim.store.tokens.values()) token.expiresAt = 0;
	},
	revokeRefreshTokens: (sim) => sim.store.refreshTokens.clear(),
	tokenPath: '/identity/v1/oauth2/token',
	listingStock: (sim) => new Map(sim.store.items.map((i) => [i.sku, i.quantity])),
	stockWrites: (sim, from) => sim.log.slice(from).filter((e) => e.path.endsWith('/bulk_update_price_quantity')).length,
	revisions: (sim) => [...sim.store.revisions.values()].reduce((a, b) => a + b, 0),
	reader: (sim) => new EbayChannel(fetchTransport({ headers: { authorization: `Bearer ${sim.issueToken()}` } }), realClock(), 'custom', sim.url, 'sim-seller'),
	newOrder: (sim) => sim.addOrder({ paymentStatus: 'PAID', cancelState: 'NONE_REQUESTED' }).orderId,
	trackingOn: (sim, id) => sim.store.order(id)!.fulfillments.map((f) => f.shipmentTrackingNumber ?? ''),
	buyerNotices: (sim, id) => sim.store.order(id)!.fulfillments.length,
	trackingPath: /\/shipping_fulfillment$/,
};

const etsy: Marketplace<EtsySimulator> = {
	channel: 'etsy',
	credentialName: 'Commerce Sync Etsy OAuth2 API',
	start: () => startEtsySimulator({ receipts: 330, listings: 14, seed: 82, spacingSeconds: 40 * 60, start: '2026-10-01T00:00:00Z' }),
	credential(sim, id, name) {
		const token = sim.store.issueToken(['transactions_r', 'transactions_w', 'listings_r', 'listings_w', 'shops_r'], sim.options.tokenLifetimeSeconds);
		return {
			id, name, type: 'commerceSyncEtsyOAuth2Api',
			data: {
				environment: 'custom', baseUrl: sim.baseUrl, clientId: sim.keystring, sharedSecret: sim.sharedSecret, shopId: sim.shopId,
				oauthTokenData: { access_token: token.access_token, refresh_token: token.refresh_token, token_type: 'Bearer', expires_in: token.expires_in },
			},
		};
	},
	orderIds: (sim) => sim.store.receipts.map((r) => String(r.receipt_id)),
	cancelledIds: (sim) => sim.store.receipts.filter((r) => r.status === 'canceled').map((r) => String(r.receipt_id)),
	marketplaceTaxedIds: (sim) => sim.store.receipts.filter((r) => r.total_tax_cost.amount > 0 || r.total_vat_cost.amount > 0).map((r) => String(r.receipt_id)),
	expireTokens: (sim) => sim.expireTokens(),
	revokeRefreshTokens: (sim) => sim.store.refreshTokens.clear(),
	tokenPath: '/v3/public/oauth/token',
	listingStock: (sim) => new Map([...sim.store.listings.values()]
		.filter((l) => ['active', 'sold_out', 'inactive'].includes(l.state))
		.flatMap((l) => l.inventory.products.filter((p) => !p.is_deleted && p.sku).map((p) => [p.sku, p.offerings.find((o) => !o.is_deleted)?.quantity ?? 0] as [string, number]))),
	stockWrites: (sim, from) => sim.log.slice(from).filter((e) => e.method === 'PUT' && /\/listings\/\d+\/inventory$/.test(e.path)).length,
	revisions: () => null,
	reader: (sim) => new EtsyChannel(
		fetchTransport({ headers: { authorization: `Bearer ${sim.issueToken()}` } }), realClock(), sim.shopId, sim.apiKey, sim.baseUrl,
	),
	newOrder: (sim) => String(sim.store.createReceipt({ status: 'paid' }).receipt_id),
	trackingOn: (sim, id) => sim.store.receipt(Number(id)).shipments.map((s) => s.tracking_code),
	buyerNotices: (sim, id) => sim.store.buyerEmails.get(Number(id)) ?? 0,
	trackingPath: /\/receipts\/\d+\/tracking$/,
};

const ok = (result: ExecutionResult) => {
	if (!result.ok) throw new Error(`run failed: ${result.error?.message ?? result.stderr.slice(-2000)}`);
	return result;
};

describe.each([['eBay', ebay], ['Etsy', etsy]] as Array<[string, Marketplace<Simulator>]>)('%s channel in real n8n', (label, market) => {
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
		expect(log.some((e) => e.status === 401)).toBe(true);
		expect(log.filter((e) => e.path === market.tokenPath && e.method === 'POST' && e.status === 200).length).toBeGreaterThanOrEqual(1);
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
		const taxed = orders.filter((o) => o.lines.some((l: Json) => l.taxLines.some((t: Json) => t.collector === 'marketplace')));
		expect(taxed.length).toBeGreaterThan(0);
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
		const revisionsBefore = market.revisions(sim);
		const first = ok(await n8n.execute(workflow.id));
		const after = market.listingStock(sim);
		for (const sku of skus) expect([sku, after.get(sku)]).toEqual([sku, changed.get(sku) ?? stock.get(sku)]);
		const done = first.json('Update') as Json[];
		expect(done.filter((j) => j.action === 'updated').map((j) => j.sku).sort()).toEqual([...changed.keys()].sort());
		expect(done.filter((j) => j.action === 'unchanged')).toHaveLength(skus.length - changed.size);
		if (market.channel === 'ebay') {
			// 28 changed SKUs at most 25 per call: two calls, each changed listing revised once, no other.
			expect(market.stockWrites(sim, from)).toBe(2);
			expect(market.revisions(sim)! - revisionsBefore!).toBe(changed.size);
		} else {
			// Etsy replaces a listing's whole inventory per call: one PUT per listing that holds a change.
			const listingsChanged = new Set(done.filter((j) => j.action === 'updated').map((j) => String(j.listingId).split('/')[0]));
			expect(market.stockWrites(sim, from)).toBeLessThanOrEqual(listingsChanged.size);
			expect(market.stockWrites(sim, from)).toBeGreaterThan(0);
		}

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
