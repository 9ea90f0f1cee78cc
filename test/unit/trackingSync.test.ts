/**
 * The tracking loop over the simulators, without n8n: what a lost answer, a store that keeps failing and
 * a partial shipment do to the other store's state. These protect "never twice": a write whose answer
 * was lost is looked up before anything is written again.
 */
import { ShopifyMainStore } from '../../platforms/shopify/mainStore';
import { ShopifyTrackingStore } from '../../platforms/shopify/tracking';
import { changedMainOrders, findMainOrders, syncPairs } from '../../platforms/trackingRun';
import type { TrackingRunOptions, TrackingSides } from '../../platforms/trackingRun';
import { WooMainStore } from '../../platforms/woocommerce/mainStore';
import { WooTrackingStore } from '../../platforms/woocommerce/tracking';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { realClock } from '../support/fetchTransport';
import {
	newShopifyChannelOrder, newWooChannelOrder, pushTo, shipOnShopify, shopifyPackages, shopifyTransport, trackOnWoo, wooShipping, wooTransport,
} from '../support/tracking';

jest.setTimeout(60_000);

const OPTIONS: TrackingRunOptions = {
	direction: 'mainToChannel', settings: { carrierOverrides: [], markCompleted: true }, write: { notifyCustomer: true, customerNote: false }, dryRun: false, cancelOnChannelCancel: true,
};
const fault = (url: string, rule: Record<string, unknown>) => fetch(`${url}/__sim/faults`, { method: 'POST', body: JSON.stringify(rule) });

describe('Sync Tracking against the simulators', () => {
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let shopifyToWoo: TrackingSides;
	let wooToShopify: TrackingSides;

	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 0, products: 6, seed: 3, restoreRate: 1000, bucketSize: 20000 });
		woo = await startWooSimulator({ orders: 0, products: 12, seed: 4 });
		const shopifyTracking = new ShopifyTrackingStore(shopifyTransport(shopify), realClock(), shopify.url);
		const wooTracking = new WooTrackingStore(wooTransport(woo), realClock(), woo.siteUrl);
		shopifyToWoo = { channel: 'woocommerce', main: shopifyTracking, mainStore: new ShopifyMainStore(shopifyTransport(shopify), realClock(), shopify.url), channelTracking: wooTracking };
		wooToShopify = { channel: 'shopify', main: wooTracking, mainStore: new WooMainStore(wooTransport(woo), realClock(), woo.siteUrl), channelTracking: shopifyTracking };
	});
	afterAll(async () => {
		await shopify?.close();
		await woo?.close();
	});
	afterEach(async () => {
		await fetch(`${shopify.url}/__sim/faults`, { method: 'DELETE' }).catch(() => undefined);
		await fetch(`${woo.siteUrl}/__sim/faults`, { method: 'DELETE' }).catch(() => undefined);
	});

	it('writes a tracking number once when WooCommerce applied it but the answer was lost', async () => {
		const order = await newWooChannelOrder(woo, [1]);
		const [main] = await pushTo(shopify, [order]);
		await shipOnShopify(shopify, main, { company: 'UPS', numbers: ['1ZLOST0001'] });
		await fault(woo.siteUrl, { kind: 'lostAnswer', match: `POST /wp-json/wc-shipment-tracking/v3/orders/${order.channelOrderId}/shipment-trackings`, times: 1 });

		const pairs = await changedMainOrders(shopifyToWoo, new Date(Date.now() - 60_000).toISOString());
		const mine = pairs.filter((p) => p.channelOrderId === order.channelOrderId);
		const [result] = await syncPairs(shopifyToWoo, mine, OPTIONS);

		expect(wooShipping(woo, order.channelOrderId).tracking.map((t) => [t.provider, t.number])).toEqual([['ups', '1ZLOST0001']]);
		expect(wooShipping(woo, order.channelOrderId).status).toBe('completed');
		expect(result.outcome).toBe('written');
		expect(result.notes.join(' ')).toMatch(/answer was lost; the order was read again/);
	});

	it('reports a write the store keeps failing, writes the other orders, and leaves that order open', async () => {
		const failing = await newWooChannelOrder(woo, [1]);
		const fine = await newWooChannelOrder(woo, [1]);
		const mains = await pushTo(shopify, [failing, fine]);
		await shipOnShopify(shopify, mains[0], { company: 'USPS', numbers: ['9400FAIL01'] });
		await shipOnShopify(shopify, mains[1], { company: 'USPS', numbers: ['9400FINE01'] });
		await fault(woo.siteUrl, { kind: 'status503', match: `POST /wp-json/wc-shipment-tracking/v3/orders/${failing.channelOrderId}/`, times: 10 });

		const pairs = (await changedMainOrders(shopifyToWoo, new Date(Date.now() - 60_000).toISOString())).filter((p) => [failing.channelOrderId, fine.channelOrderId].includes(p.channelOrderId));
		const results = await syncPairs(shopifyToWoo, pairs, OPTIONS);
		const byId = new Map(results.map((r) => [r.pair.channelOrderId, r]));

		expect(byId.get(failing.channelOrderId)).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/9400FAIL01: the store did not answer twice; nothing was repeated blindly/) });
		expect(wooShipping(woo, failing.channelOrderId)).toMatchObject({ status: 'processing', tracking: [] });
		expect(byId.get(fine.channelOrderId)?.outcome).toBe('written');
		expect(wooShipping(woo, fine.channelOrderId)).toMatchObject({ status: 'completed', tracking: [expect.objectContaining({ number: '9400FINE01' })] });
	});

	it('creates one Shopify fulfillment when fulfillmentCreate\'s answer is lost, and adds a later number to it', async () => {
		const order = await newShopifyChannelOrder(shopify, [2, 1]);
		const [main] = await pushTo(woo, [order]);
		await trackOnWoo(woo, main, { provider: 'Royal Mail', number: 'RM111GB' });
		await fault(shopify.url, { kind: 'lostAnswer', match: 'TrackingFulfillmentCreate', times: 1 });
		const pair = { itemIndex: null, key: `shopify:${wooToShopify.channelTracking.storeId}:${order.channelOrderId}`, channelOrderId: order.channelOrderId, channelOrderNumber: null, mainOrderId: null, mainOrderNumber: null, order: null };
		await findMainOrders(wooToShopify.mainStore, [pair]);
		expect(pair.mainOrderId).toBe(main);

		const [first] = await syncPairs(wooToShopify, [pair], OPTIONS);
		const gid = `gid://shopify/Order/${order.channelOrderId}`;
		expect(first.outcome).toBe('written');
		expect(shopifyPackages(shopify, gid)).toEqual([{ numbers: ['RM111GB'], company: 'Royal Mail', urls: [expect.stringContaining('RM111GB')], units: 3, notify: true }]);

		await trackOnWoo(woo, main, { provider: 'Royal Mail', number: 'RM222GB', date: '2026-11-21' });
		const [later] = await syncPairs(wooToShopify, [pair], OPTIONS);
		expect(later.tracking?.written.map((w) => w.numbers)).toEqual([['RM222GB']]);
		expect(shopifyPackages(shopify, gid).map((p) => p.numbers)).toEqual([['RM111GB', 'RM222GB']]);
		const [again] = await syncPairs(wooToShopify, [pair], OPTIONS);
		expect([again.outcome, again.tracking?.written]).toEqual(['alreadyThere', []]);
	});
});
