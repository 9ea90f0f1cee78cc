/**
 * The order-sync template, imported as a user would import it and run by its "Push Recent Orders Now"
 * branch in real n8n: WooCommerce channel → Split Tax → Push Order to Main Store (Shopify) → the order
 * log in an n8n data table and an email listing what needs attention. Checked against the simulators'
 * own records, and run twice to show nothing is doubled.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shareChannelSkus, templateCredentials } from './harness/fixtures';
import { N8nInstance } from './harness/n8n';
import { workflowId } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { startSmtpSink } from '../support/smtpSink';
import type { SmtpSink } from '../support/smtpSink';

type Json = Record<string, any>;

describe('order-sync template in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let smtp: SmtpSink;

	beforeAll(async () => {
		const start = new Date(Date.now() - 10 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		woo = await startWooSimulator({ orders: 40, products: 12, seed: 61, start, orderSpacingMs: 600_000 });
		shopify = await startShopifySimulator({ orders: 0, products: 20, seed: 62, restoreRate: 1000, bucketSize: 20000 });
		// The main store carries most of the channel's SKUs; the rest stay unlinked.
		shareChannelSkus(woo, shopify);
		smtp = await startSmtpSink();
		n8n = N8nInstance.create();
		await n8n.importCredentials(templateCredentials(shopify, woo, smtp.port));
	});
	afterAll(async () => {
		n8n?.dispose();
		await Promise.all([shopify?.close(), woo?.close(), smtp?.close()]);
	});

	it('imports every paid, linked order once, logs every order, and emails what needs attention', async () => {
		const template = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'order-sync.json'), 'utf8')) as Json;
		const linked = new Set(shopify.store.variants.map((v) => v.sku));
		const paidStatuses = new Set(['processing', 'completed', 'on-hold']);
		// The oracle, from the channel's own records and the template's requirements: paid, a buyer with a
		// complete shipping address, a total above 0, and every line's SKU in the main store.
		const addressed = (o: (typeof woo.store.orders)[number]) => !!(o.shipping.address_1 && o.shipping.city && o.shipping.country && (o.shipping.last_name || o.billing.last_name));
		const expected = woo.store.orders.filter((o) => paidStatuses.has(o.status) && o.date_paid_gmt && addressed(o) && Number(o.total) > 0
			&& o.line_items.every((l) => l.sku && linked.has(l.sku)));
		expect(expected.length).toBeGreaterThan(5);
		expect(expected.length).toBeLessThan(woo.store.orders.length);

		// Data tables live in n8n's modules, which only a started n8n loads: run it as a user clicks
		// "Execute workflow" on Push Recent Orders Now, twice.
		const workflow = { ...template, id: workflowId('ordersync'), active: false };
		await n8n.importWorkflows([workflow as never]);
		const editor = await n8n.start();
		try {
			for (const run of [1, 2]) {
				const execution = await n8n.finished(workflow.id, await n8n.runFromEditor(editor, workflow.id, 'Push Recent Orders Now', 'trigger'));
				expect([run, execution.run.data.resultData.error?.message]).toEqual([run, undefined]);
				expect(execution.status).toBe('success');
			}
		} finally {
			await editor.stop();
		}

		const imported = shopify.store.orders.filter((o) => o.sourceIdentifier?.startsWith('woocommerce:'));
		expect(imported.map((o) => o.sourceIdentifier!.split(':').pop()).sort()).toEqual(expected.map((o) => String(o.id)).sort());
		expect(imported.every((o) => o.cancelledAt === null)).toBe(true);
		for (const order of expected) {
			const copy = imported.find((o) => o.sourceIdentifier!.endsWith(`:${order.id}`))!;
			// Product lines link to variants; WooCommerce fees come as custom lines; the paid total matches to the cent.
			expect(copy.lineItems.filter((l) => l.variantId !== null).map((l) => [l.sku, l.quantity])).toEqual(order.line_items.map((l) => [l.sku, l.quantity]));
			expect(copy.lineItems.filter((l) => l.variantId === null).map((l) => l.title)).toEqual(order.fee_lines.map((f) => f.name));
			expect(copy.transactions.map((t) => t.amount)).toEqual([order.total]);
		}

		// The order log: one row per channel order, whatever happened to it, not doubled by the second run.
		const [table] = await n8n.query('SELECT id FROM data_table WHERE name = ?', ['Commerce Sync order log']);
		expect(table).toBeDefined();
		const rows = await n8n.query(`SELECT * FROM data_table_user_${String(table.id)}`, []);
		expect(rows).toHaveLength(woo.store.orders.length);
		expect(rows.filter((r) => r.syncStatus === 'imported')).toHaveLength(expected.length);
		expect(rows.some((r) => r.hasUnlinkedProducts === 1 || r.hasUnlinkedProducts === true)).toBe(true);

		// Each run emails the orders that need attention, one line each with its reason.
		expect(smtp.mails).toHaveLength(2);
		const mail = smtp.mails[0].data.replace(/=\r?\n/g, '');
		const waiting = woo.store.orders.length - expected.length;
		expect(mail).toContain(`Subject: ${waiting} order(s) need attention`);
		expect(mail).toMatch(/is not in the main store/);
	});
});
