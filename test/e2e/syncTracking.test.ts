/**
 * Sync Tracking in real n8n against the simulators, asserting on the stores' own state: tracking goes
 * from the store that shipped to the other one, package by package, once; a re-run writes nothing; a
 * package shipped later adds; WooCommerce with and without the Shipment Tracking extension; carriers
 * renamed, or kept with their URL when unknown; a failing order reported without holding up the others;
 * a channel cancellation cancels the main-store order.
 */
import { N8nInstance } from './harness/n8n';
import type { CredentialFixture, ExecutionResult } from './harness/n8n';
import { credentialRef, shopifyCredential, wooCredential } from './harness/fixtures';
import { UNDER_TEST, chainWorkflow, feedItems } from './harness/workflow';
import type { WorkflowJson } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import type { Order } from '../../core/model';
import {
	newShopifyChannelOrder, newWooChannelOrder, pushTo, setWooStatus, shipOnShopify, shopifyOrder, shopifyPackages, trackOnWoo, wooShipping,
} from '../support/tracking';

type Json = Record<string, any>;

const SYNCED = 0;
const FAILED = 1;
const SYNC = 'Sync';

describe('Sync Tracking in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	/** With the Shipment Tracking extension. */
	let woo: WooSimulator;
	/** Without it: tracking goes into order notes. */
	let bareWoo: WooSimulator;
	let shopifyCred: CredentialFixture;
	let wooCred: CredentialFixture;
	let bareWooCred: CredentialFixture;

	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 0, products: 8, seed: 71, restoreRate: 1000, bucketSize: 20000 });
		woo = await startWooSimulator({ orders: 0, products: 16, seed: 72 });
		bareWoo = await startWooSimulator({ orders: 0, products: 16, seed: 73, shipmentTracking: false });
		n8n = N8nInstance.create();
		shopifyCred = shopifyCredential('shopTrackCred001', 'Shopify store', shopify);
		wooCred = wooCredential('wooTrackCred0001', 'WooCommerce store', woo);
		bareWooCred = wooCredential('wooTrackCred0002', 'WooCommerce store without Shipment Tracking', bareWoo);
		await n8n.importCredentials([shopifyCred, wooCred, bareWooCred]);
	});
	afterAll(async () => {
		n8n?.dispose();
		await shopify?.close();
		await woo?.close();
		await bareWoo?.close();
	});

	const ok = (result: ExecutionResult) => {
		if (!result.ok) throw new Error(`run failed: ${result.error?.message ?? result.stderr.slice(-2000)}`);
		return result;
	};
	const out = (result: ExecutionResult, output: number) => result.json(SYNC, output) as Json[];
	const about = (result: ExecutionResult, output: number, order: Order) => out(result, output).find((j) => j.channelOrderId === order.channelOrderId);
	const syncNode = (channel: 'shopify' | 'woocommerce', mainStore: 'shopify' | 'woocommerce', channelCred: CredentialFixture, parameters: Json = {}) => ({
		name: SYNC, type: 'syncTracking',
		parameters: { channel, mainStore, direction: 'mainToChannel', orders: 'changed', lookBackHours: 1, notifyCustomer: true, markCompleted: true, dryRun: false, ...parameters },
		credentials: { ...credentialRef(channelCred), ...credentialRef(mainStore === 'shopify' ? shopifyCred : wooCred) },
	});
	/** Writes a simulator received since `from` (an index into its log): Shopify's tracking mutations, WooCommerce's non-GET requests. */
	const writesSince = (sim: ShopifySimulator | WooSimulator, from: number) =>
		sim.log.slice(from).filter((e) => ('graphqlUrl' in sim ? /^Tracking/.test(e.label ?? '') : e.method !== 'GET'));

	describe('main store → channel', () => {
		it('copies Shopify fulfillments onto WooCommerce once, package by package, and completes an order only when all of it shipped', async () => {
			const one = await newWooChannelOrder(woo, [1]);
			const two = await newWooChannelOrder(woo, [2, 1]);
			const multi = await newWooChannelOrder(woo, [1]);
			const unknown = await newWooChannelOrder(woo, [1]);
			const failing = await newWooChannelOrder(woo, [1]);
			const [m1, m2, m3, m4, m5] = await pushTo(shopify, [one, two, multi, unknown, failing]);
			await shipOnShopify(shopify, m1, { company: 'UPS', numbers: ['1Z0000000000000001'] });
			await shipOnShopify(shopify, m2, { company: 'FedEx', numbers: ['FX100'] }, [{ index: 0, quantity: 2 }]);
			await shipOnShopify(shopify, m3, { company: 'USPS', numbers: ['9400100000000000000031', '9400100000000000000032'] });
			await shipOnShopify(shopify, m4, { company: 'Speedy Parcels', numbers: ['SP-77'], urls: ['https://speedy.example/track/SP-77'] });
			await shipOnShopify(shopify, m5, { company: 'UPS', numbers: ['1Z0000000000000005'] });
			// WooCommerce keeps failing this one order's tracking writes.
			woo.faults.add({ kind: 'status503', match: `POST /wp-json/wc-shipment-tracking/v3/orders/${failing.channelOrderId}/`, times: 2 });

			const workflow: WorkflowJson = chainWorkflow('tracking shopify to woo', [syncNode('woocommerce', 'shopify', wooCred)]);
			await n8n.importWorkflows([workflow]);
			const first = ok(await n8n.execute(workflow.id));

			expect(wooShipping(woo, one.channelOrderId)).toMatchObject({ status: 'completed', tracking: [{ provider: 'ups', custom: '', number: '1Z0000000000000001' }] });
			expect(wooShipping(woo, two.channelOrderId)).toMatchObject({ status: 'processing', tracking: [{ provider: 'fedex', number: 'FX100' }] });
			expect(wooShipping(woo, multi.channelOrderId)).toMatchObject({ status: 'completed', tracking: [{ provider: 'usps', number: '9400100000000000000031' }, { provider: 'usps', number: '9400100000000000000032' }] });
			// An unknown carrier goes as a custom provider, its own tracking link kept.
			expect(wooShipping(woo, unknown.channelOrderId)).toMatchObject({ status: 'completed', tracking: [{ provider: '', custom: 'Speedy Parcels', link: 'https://speedy.example/track/SP-77', number: 'SP-77' }] });
			expect(wooShipping(woo, failing.channelOrderId)).toMatchObject({ status: 'processing', tracking: [] });

			expect(about(first, SYNCED, one)).toMatchObject({
				action: 'written', path: 'shipmentTracking', completed: true, from: { platform: 'Shopify', orderId: m1 }, to: { platform: 'WooCommerce', statusAfter: 'completed' },
				written: [{ numbers: ['1Z0000000000000001'], carrier: 'UPS', carrierKnown: true }],
			});
			expect(about(first, SYNCED, unknown)?.written).toEqual([expect.objectContaining({ carrier: 'Speedy Parcels', carrierKnown: false, how: 'Shipment Tracking, custom provider "Speedy Parcels"' })]);
			const failed = about(first, FAILED, failing);
			expect(failed).toMatchObject({ action: 'failed', reason: expect.stringMatching(/1Z0000000000000005: the store did not answer twice/) });
			expect(first.output(SYNC, FAILED).map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
			expect(out(first, SYNCED).map((j) => j.channelOrderId).sort()).toEqual([one, two, multi, unknown].map((o) => o.channelOrderId).sort());

			// The second package ships later; WooCommerce answers again. Only what is new is written.
			await shipOnShopify(shopify, m2, { company: 'DHL Express', numbers: ['DHL200'] });
			const before = woo.log.length;
			const second = ok(await n8n.execute(workflow.id));
			expect(wooShipping(woo, two.channelOrderId)).toMatchObject({ status: 'completed', tracking: [{ number: 'FX100' }, { provider: 'dhl', number: 'DHL200' }] });
			expect(wooShipping(woo, failing.channelOrderId)).toMatchObject({ status: 'completed', tracking: [{ number: '1Z0000000000000005' }] });
			expect(writesSince(woo, before).map((e) => e.method).sort()).toEqual(['POST', 'POST', 'PUT', 'PUT']);
			expect(about(second, SYNCED, one)).toMatchObject({ action: 'alreadyThere', written: [] });
			expect(about(second, SYNCED, two)).toMatchObject({ action: 'written', alreadyThere: [{ numbers: ['FX100'] }], written: [{ numbers: ['DHL200'], carrier: 'DHL' }] });

			// A re-run writes nothing.
			const again = woo.log.length;
			const third = ok(await n8n.execute(workflow.id));
			expect(writesSince(woo, again)).toEqual([]);
			expect(out(third, FAILED)).toEqual([]);
			expect(new Set(out(third, SYNCED).map((j) => j.action))).toEqual(new Set(['alreadyThere']));
		});

		it('writes tracking into a customer note on WooCommerce without Shipment Tracking, says so, and never twice', async () => {
			const order = await newWooChannelOrder(bareWoo, [2]);
			const [main] = await pushTo(shopify, [order]);
			await shipOnShopify(shopify, main, { company: 'Royal Mail', numbers: ['RM123456785GB'] });
			const workflow = chainWorkflow('tracking shopify to bare woo', [syncNode('woocommerce', 'shopify', bareWooCred)]);
			await n8n.importWorkflows([workflow]);
			const first = ok(await n8n.execute(workflow.id));
			expect(about(first, SYNCED, order)).toMatchObject({ action: 'written', path: 'orderNotes', written: [{ how: 'order note to the customer', numbers: ['RM123456785GB'] }] });
			const state = wooShipping(bareWoo, order.channelOrderId);
			expect(state.status).toBe('completed');
			expect(state.notes).toEqual([{ customer: true, note: expect.stringMatching(/^Shipped with Royal Mail\. Tracking number: RM123456785GB \(https:\/\/www\.royalmail\.com\/.*RM123456785GB\)\. Items: 2 × .*Shopify order #\d+, by Commerce Sync/) }]);

			const before = bareWoo.log.length;
			const second = ok(await n8n.execute(workflow.id));
			expect(writesSince(bareWoo, before)).toEqual([]);
			expect(about(second, SYNCED, order)).toMatchObject({ action: 'alreadyThere' });
		});

		it('fulfils the Shopify channel order from WooCommerce tracking, adds a later number to the same package, and ships a completed order without tracking', async () => {
			const one = await newShopifyChannelOrder(shopify, [2, 1]);
			const multi = await newShopifyChannelOrder(shopify, [1]);
			const plain = await newShopifyChannelOrder(shopify, [1, 1]);
			const [w1, w2, w3] = await pushTo(woo, [one, multi, plain]);
			await trackOnWoo(woo, w1, { provider: 'Royal Mail', number: 'RM000000001GB' });
			await trackOnWoo(woo, w2, { provider: 'DHL', number: 'DHL-A1' });
			await trackOnWoo(woo, w2, { provider: 'DHL', number: 'DHL-A2' });
			setWooStatus(woo, w3, 'completed');
			const gid = (o: Order) => `gid://shopify/Order/${o.channelOrderId}`;

			const workflow = chainWorkflow('tracking woo to shopify', [syncNode('shopify', 'woocommerce', shopifyCred, { carriers: { row: [{ from: 'DHL', to: 'DHL Express' }] } })]);
			await n8n.importWorkflows([workflow]);
			const first = ok(await n8n.execute(workflow.id));
			expect(shopifyPackages(shopify, gid(one))).toEqual([{ numbers: ['RM000000001GB'], company: 'Royal Mail', urls: [expect.stringContaining('royalmail.com')], units: 3, notify: true }]);
			expect(shopifyPackages(shopify, gid(multi))).toEqual([expect.objectContaining({ numbers: ['DHL-A1', 'DHL-A2'], company: 'DHL Express', units: 1 })]);
			expect(shopifyPackages(shopify, gid(plain))).toEqual([expect.objectContaining({ numbers: [], units: 2 })]);
			expect(shopifyOrder(shopify, gid(one)).displayFulfillmentStatus).toBe('FULFILLED');
			expect(about(first, SYNCED, plain)).toMatchObject({ action: 'written', notes: [expect.stringMatching(/shipped in full there/)] });

			await trackOnWoo(woo, w1, { provider: 'Royal Mail', number: 'RM000000002GB', date: '2026-11-22' });
			const second = ok(await n8n.execute(workflow.id));
			expect(shopifyPackages(shopify, gid(one)).map((p) => p.numbers)).toEqual([['RM000000001GB', 'RM000000002GB']]);
			expect(about(second, SYNCED, one)?.written).toEqual([expect.objectContaining({ numbers: ['RM000000002GB'], how: expect.stringMatching(/^added to fulfillment/) })]);

			const before = shopify.log.length;
			ok(await n8n.execute(workflow.id));
			expect(writesSince(shopify, before)).toEqual([]);
		});
	});

	describe('channel → main store', () => {
		it('copies WooCommerce channel tracking onto the Shopify main order, and cancels it there when the channel cancels', async () => {
			const shipped = await newWooChannelOrder(woo, [1, 2]);
			const dropped = await newWooChannelOrder(woo, [1]);
			const [main, droppedMain] = await pushTo(shopify, [shipped, dropped]);
			await trackOnWoo(woo, shipped.channelOrderId, { provider: 'UPS', number: '1ZCHANNEL0001' });
			setWooStatus(woo, dropped.channelOrderId, 'cancelled');

			const workflow = chainWorkflow('tracking woo channel to shopify', [syncNode('woocommerce', 'shopify', wooCred, { direction: 'channelToMain', notifyCustomer: false })]);
			await n8n.importWorkflows([workflow]);
			const first = ok(await n8n.execute(workflow.id));
			expect(shopifyPackages(shopify, main)).toEqual([{ numbers: ['1ZCHANNEL0001'], company: 'UPS', urls: [expect.stringContaining('ups.com')], units: 3, notify: false }]);
			expect(about(first, SYNCED, shipped)).toMatchObject({ action: 'written', from: { platform: 'WooCommerce' }, to: { platform: 'Shopify', orderId: main } });
			expect(shopifyOrder(shopify, droppedMain).cancelledAt).not.toBeNull();
			expect(about(first, SYNCED, dropped)).toMatchObject({ action: 'cancelled' });

			await trackOnWoo(woo, shipped.channelOrderId, { provider: 'UPS', number: '1ZCHANNEL0002' });
			ok(await n8n.execute(workflow.id));
			expect(shopifyPackages(shopify, main).map((p) => p.numbers)).toEqual([['1ZCHANNEL0001', '1ZCHANNEL0002']]);
			const before = shopify.log.length;
			const third = ok(await n8n.execute(workflow.id));
			expect(writesSince(shopify, before)).toEqual([]);
			expect(about(third, SYNCED, dropped)).toMatchObject({ action: 'alreadyCancelled' });
		});

		it('copies Shopify channel fulfillments onto the WooCommerce main order, the second package later, then completes it', async () => {
			const order = await newShopifyChannelOrder(shopify, [2, 1]);
			const [main] = await pushTo(woo, [order]);
			const gid = `gid://shopify/Order/${order.channelOrderId}`;
			await shipOnShopify(shopify, gid, { company: 'FedEx', numbers: ['FXCH1'] }, [{ index: 0, quantity: 2 }]);

			const workflow = chainWorkflow('tracking shopify channel to woo', [syncNode('shopify', 'woocommerce', shopifyCred, { direction: 'channelToMain' })]);
			await n8n.importWorkflows([workflow]);
			ok(await n8n.execute(workflow.id));
			expect(wooShipping(woo, main)).toMatchObject({ status: 'processing', tracking: [{ provider: 'fedex', number: 'FXCH1' }] });

			await shipOnShopify(shopify, gid, { company: 'UPS', numbers: ['1ZCH-A', '1ZCH-B'] });
			const second = ok(await n8n.execute(workflow.id));
			expect(wooShipping(woo, main)).toMatchObject({ status: 'completed', tracking: [{ number: 'FXCH1' }, { provider: 'ups', number: '1ZCH-A' }, { provider: 'ups', number: '1ZCH-B' }] });
			expect(about(second, SYNCED, order)).toMatchObject({ action: 'written', completed: true, mainStore: { orderId: main } });

			const before = woo.log.length;
			ok(await n8n.execute(workflow.id));
			expect(writesSince(woo, before)).toEqual([]);
		});
	});

	it('takes Push Order\'s items as input: a dry run writes nothing, a wrong item fails alone with its fix', async () => {
		const order = await newWooChannelOrder(woo, [1]);
		const [main] = await pushTo(shopify, [order]);
		await shipOnShopify(shopify, main, { company: 'USPS', numbers: ['9400111100000000000001'] });
		const pushed = { channel: 'woocommerce', channelStoreId: order.channelStoreId, channelOrderId: order.channelOrderId, syncKey: `woocommerce:${order.channelStoreId}:${order.channelOrderId}`, mainStore: { platform: 'Shopify', orderId: main, kind: 'order', cancelled: false } };
		const items = [pushed, { ...pushed, channelStoreId: 'another-shop.example', syncKey: undefined }, { sku: 'not an order' }];
		const node = (dryRun: boolean) => ({ ...syncNode('woocommerce', 'shopify', wooCred, { orders: 'input', dryRun }), name: UNDER_TEST, continueOnFail: true });

		const dry = ok(await n8n.runWorkflow(feedItems('tracking input dry', items, node(true))));
		expect(dry.json(UNDER_TEST, SYNCED)).toEqual([expect.objectContaining({ action: 'wouldWrite', planned: [expect.objectContaining({ kind: 'ship', numbers: ['9400111100000000000001'] }), { kind: 'complete' }] })]);
		expect(wooShipping(woo, order.channelOrderId)).toMatchObject({ status: 'processing', tracking: [] });

		const real = ok(await n8n.runWorkflow(feedItems('tracking input', items, node(false))));
		expect(real.output(UNDER_TEST, SYNCED).map((i) => [i.pairedItem, i.json.action])).toEqual([[{ item: 0 }, 'written']]);
		expect(real.output(UNDER_TEST, FAILED).map((i) => [i.pairedItem, i.json.reason])).toEqual([
			[{ item: 1 }, expect.stringMatching(/channelStoreId is "another-shop.example", but the channel credential is for/)],
			[{ item: 2 }, expect.stringMatching(/channelOrderId is missing/)],
		]);
		expect(wooShipping(woo, order.channelOrderId)).toMatchObject({ status: 'completed', tracking: [{ provider: 'usps', number: '9400111100000000000001' }] });
	});
});
