/**
 * The tracking-sync template, imported as a user would (`n8n import:workflow`) and run as its schedule
 * runs it (`n8n execute`: not a manual run, so the node's cursor and retry list are kept), in real n8n:
 * WooCommerce channel orders pushed into the Shopify main store and shipped there get their tracking on
 * the channel once; an order WooCommerce refuses is emailed and written on a later run; a quiet run
 * writes nothing and sends no email.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateCredentials } from './harness/fixtures';
import { N8nInstance } from './harness/n8n';
import type { ExecutionResult } from './harness/n8n';
import { workflowId } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { startSmtpSink } from '../support/smtpSink';
import type { SmtpSink } from '../support/smtpSink';
import { newWooChannelOrder, pushTo, shipOnShopify, wooShipping } from '../support/tracking';

type Json = Record<string, any>;

describe('tracking-sync template in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let smtp: SmtpSink;

	beforeAll(async () => {
		woo = await startWooSimulator({ orders: 0, products: 12, seed: 201 });
		shopify = await startShopifySimulator({ orders: 0, products: 6, seed: 202, restoreRate: 1000, bucketSize: 20000 });
		smtp = await startSmtpSink();
		n8n = N8nInstance.create();
		await n8n.importCredentials(templateCredentials(shopify, woo, smtp.port));
	});
	afterAll(async () => {
		n8n?.dispose();
		await Promise.all([shopify?.close(), woo?.close(), smtp?.close()]);
	});

	const ok = (result: ExecutionResult) => {
		if (!result.ok) throw new Error(`run failed: ${result.error?.message ?? result.stderr.slice(-1500)}`);
		return result;
	};

	it('puts main-store shipments on the channel orders once, emails the one the channel refused, and writes it on the next run', async () => {
		const template = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'tracking-sync.json'), 'utf8')) as Json;
		expect(template.settings.errorWorkflow).toBe('CommerceSyncErrs');
		expect(JSON.stringify(template)).not.toMatch(/shpat_|ck_[0-9a-f]{8}|cs_[0-9a-f]{8}/);
		const workflow = { ...template, id: workflowId('tracksync'), active: false };
		await n8n.importWorkflows([workflow as never]);

		const [shipped, partly, refused, waiting] = [await newWooChannelOrder(woo, [1]), await newWooChannelOrder(woo, [2, 1]), await newWooChannelOrder(woo, [1]), await newWooChannelOrder(woo, [1])];
		const [m1, m2, m3] = await pushTo(shopify, [shipped, partly, refused, waiting]);
		await shipOnShopify(shopify, m1, { company: 'UPS', numbers: ['1ZTEMPLATE0001'] });
		await shipOnShopify(shopify, m2, { company: 'USPS', numbers: ['9400TEMPLATE02'] }, [{ index: 0, quantity: 2 }]);
		await shipOnShopify(shopify, m3, { company: 'FedEx', numbers: ['FXTEMPLATE03'] });
		// WooCommerce fails this order's tracking writes for this run: the first and the one tried after reading the order again.
		woo.faults.add({ kind: 'status500', match: `POST /wp-json/wc-shipment-tracking/v3/orders/${refused.channelOrderId}/`, times: 2 });

		const first = ok(await n8n.execute(workflow.id));
		expect(wooShipping(woo, shipped.channelOrderId)).toMatchObject({ status: 'completed', tracking: [{ provider: 'ups', number: '1ZTEMPLATE0001' }] });
		expect(wooShipping(woo, partly.channelOrderId)).toMatchObject({ status: 'processing', tracking: [{ provider: 'usps', number: '9400TEMPLATE02' }] });
		expect(wooShipping(woo, refused.channelOrderId)).toMatchObject({ status: 'processing', tracking: [] });
		expect(wooShipping(woo, waiting.channelOrderId)).toMatchObject({ status: 'processing', tracking: [] });
		expect(first.json('Sync Tracking', 1).map((j) => j.channelOrderId)).toEqual([refused.channelOrderId]);
		expect(smtp.mails).toHaveLength(1);
		const mail = smtp.mails[0].data.replace(/=\r?\n/g, '');
		expect(mail).toMatch(/1 order\(s\) could not get their tracking/);
		expect(mail).toMatch(new RegExp(`channel order #?${refused.channelOrderNumber} \\(main store #\\d+\\): FXTEMPLATE03: the store did not answer`));

		// The next scheduled run: WooCommerce answers again; only the refused order's tracking is written.
		const before = woo.log.filter((e) => e.method !== 'GET').length;
		ok(await n8n.execute(workflow.id));
		expect(wooShipping(woo, refused.channelOrderId)).toMatchObject({ status: 'completed', tracking: [{ provider: 'fedex', number: 'FXTEMPLATE03' }] });
		expect(woo.log.filter((e) => e.method !== 'GET').length - before).toBe(2);
		expect(smtp.mails).toHaveLength(1);

		// A quiet run: nothing written, no email.
		const quiet = woo.log.filter((e) => e.method !== 'GET').length;
		const third = ok(await n8n.execute(workflow.id));
		expect(woo.log.filter((e) => e.method !== 'GET').length).toBe(quiet);
		expect(third.json('Sync Tracking', 1)).toEqual([]);
		expect(smtp.mails).toHaveLength(1);
	});
});
