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
import { runsOnlyOnDemand, workflowId } from './harness/workflow';
import { readState } from './harness/paths';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { startSmtpSink } from '../support/smtpSink';
import type { SmtpSink } from '../support/smtpSink';

type Json = Record<string, any>;

// The template keeps its order log with Data Table 1.1 (create the table if missing, upsert rows). n8n
// 1.x's Data Table node is version 1 with row operations only, so the template needs n8n 2.x; README says so.
const needsN8n2 = readState().n8nVersion.startsWith('1.') ? describe.skip : describe;

needsN8n2('order-sync template in real n8n', () => {
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

	it('switched on, it starts with the last day\'s orders without doubling any, imports a new order once, and its cancellation cancels it', async () => {
		const template = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'order-sync.json'), 'utf8')) as Json;
		// Only the activation polls this test starts: the Hourly Catch-up must not add a run at :07.
		const workflow = { ...runsOnlyOnDemand(template), id: workflowId('ordersyncon'), active: false };
		await n8n.importWorkflows([workflow as never]);
		await n8n.publish(workflow.id);
		const runs = async () => (await n8n.executions(workflow.id)).filter((e) => e.mode === 'trigger' && e.status !== 'running' && e.status !== 'new');
		/** One production poll: \`n8n start\` polls at activation; wait until it has read the orders and ended. */
		const poll = async (emits: boolean) => {
			const before = (await runs()).length;
			const reads = woo.log.length;
			const server = await n8n.start();
			try {
				let readAt = 0;
				for (const deadline = Date.now() + 90_000; ;) {
					if (Date.now() > deadline) throw new Error(`no poll:\n${server.log().slice(-2000)}`);
					if (!readAt && woo.log.slice(reads).some((e) => e.path.includes('/orders'))) readAt = Date.now();
					if (emits ? (await runs()).length > before : readAt > 0 && Date.now() - readAt > 3000) break;
					await new Promise((r) => setTimeout(r, 300));
				}
			} finally {
				await server.stop();
			}
		};
		// Activation: the trigger starts with the last day's orders, the ones the manual branch already
		// pushed (the test before): it recognises every one of them, doubling none.
		const before = shopify.store.orders.length;
		await poll(true);
		expect(shopify.store.orders.length).toBe(before);
		const placed = woo.addOrder({ status: 'processing' });
		// Link every line of the new order: a main-store variant no channel order uses takes a missing SKU.
		const wooSkus = new Set(woo.store.orders.flatMap((o) => o.line_items.map((l) => l.sku)));
		for (const line of placed.line_items) {
			if (shopify.store.variants.some((v) => v.sku === line.sku)) continue;
			const spare = shopify.store.variants.find((v) => !v.requiresComponents && !wooSkus.has(v.sku as string))!;
			spare.sku = line.sku as string;
			spare.inventoryPolicy = 'CONTINUE';
		}
		await poll(true);
		const copy = () => shopify.store.orders.filter((o) => o.sourceIdentifier?.endsWith(`:${placed.id}`));
		expect(copy().map((o) => o.lineItems.map((l) => [l.sku, l.quantity]))).toEqual([placed.line_items.map((l) => [l.sku, l.quantity])]);
		expect((await runs()).map((r) => r.status)).toEqual(['success', 'success']);
		// The channel cancels it: the next poll cancels the main-store copy (and restocks); a poll after that changes nothing.
		woo.updateOrder(placed.id, { status: 'cancelled' });
		await poll(true);
		expect(copy().map((o) => o.cancelledAt !== null)).toEqual([true]);
		await poll(false);
		expect((await runs()).map((r) => r.status)).toEqual(['success', 'success', 'success']);
		expect(copy()).toHaveLength(1);
	});
});
