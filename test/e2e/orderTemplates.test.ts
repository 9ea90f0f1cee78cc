/**
 * The order templates beside order sync, imported as a user would and run the way they run for a shop:
 * "push chosen orders now" from the editor; "cancellations and refunds" switched on and polled by real
 * n8n (n8n start polls at activation), mirroring a channel cancellation and a partial refund into the main
 * store once; and "error alerts", the error workflow the others name, emailing the owner when a switched-on
 * workflow fails, without the secret. Checked on the simulators' own records and the mail catcher.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shareChannelSkus, shopifyCredential, templateCredentials } from './harness/fixtures';
import { N8nInstance } from './harness/n8n';
import { workflowId } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { startSmtpSink } from '../support/smtpSink';
import type { SmtpSink } from '../support/smtpSink';

type Json = Record<string, any>;

const template = (file: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', file), 'utf8')) as Json;

describe('order templates in real n8n: manual push, cancellations and refunds, error alerts', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let smtp: SmtpSink;
	/** Channel orders the main store can take: paid, addressed, every line linked. */
	let pushable: WooSimulator['store']['orders'];

	const copies = (order: { id: number }) => shopify.store.orders.filter((o) => o.sourceIdentifier?.endsWith(`:${order.id}`));
	const available = (sku: string) => {
		const variant = shopify.store.variants.find((v) => v.sku === sku)!;
		return shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).reduce((s, l) => s + l.available, 0);
	};
	/** One production poll: `n8n start` polls the switched-on workflows at activation; wait until `settled`. */
	async function poll(settled: () => Promise<boolean>): Promise<void> {
		const server = await n8n.start();
		try {
			const deadline = Date.now() + 90_000;
			while (!(await settled())) {
				if (Date.now() > deadline) throw new Error(`poll did not settle:\n${server.log().slice(-3000)}`);
				await new Promise((r) => setTimeout(r, 300));
			}
		} finally {
			await server.stop();
		}
	}
	const finishedTriggerRuns = async (id: string) => (await n8n.executions(id)).filter((e) => e.mode !== 'manual' && e.status !== 'running' && e.status !== 'new');

	beforeAll(async () => {
		const start = new Date(Date.now() - 10 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		woo = await startWooSimulator({ orders: 30, products: 12, seed: 171, start, orderSpacingMs: 600_000 });
		shopify = await startShopifySimulator({ orders: 0, products: 20, seed: 172, restoreRate: 1000, bucketSize: 20000 });
		shareChannelSkus(woo, shopify, 0);
		const linked = new Set(shopify.store.variants.map((v) => v.sku));
		const addressed = (o: (typeof woo.store.orders)[number]) => !!(o.shipping.address_1 && o.shipping.city && o.shipping.country && (o.shipping.last_name || o.billing.last_name));
		pushable = woo.store.orders.filter((o) => ['processing', 'completed'].includes(o.status) && o.date_paid_gmt && addressed(o) && Number(o.total) > 0
			&& o.line_items.length > 0 && o.line_items.every((l) => l.sku && linked.has(l.sku)));
		expect(pushable.length).toBeGreaterThanOrEqual(4);
		smtp = await startSmtpSink();
		n8n = N8nInstance.create();
		await n8n.importCredentials([...templateCredentials(shopify, woo, smtp.port), shopifyCredential('cs-shopify-revoked', 'Shopify (revoked)', { url: shopify.url, accessToken: 'shpat_revoked_not_a_real_token_0000' })]);
	});
	afterAll(async () => {
		n8n?.dispose();
		await Promise.all([shopify?.close(), woo?.close(), smtp?.close()]);
	});

	it('manual push: only the order numbers typed in are pushed, each once, even when run twice', async () => {
		const [a, b] = pushable;
		const flow = template('manual-push.json');
		const orders = flow.nodes.find((n: Json) => n.name === 'Orders to Push');
		orders.parameters.assignments.assignments[0].value = `#${a.number}, ${b.number}`;
		const workflow = { ...flow, id: workflowId('manualpush'), active: false };
		await n8n.importWorkflows([workflow as never]);
		const editor = await n8n.start();
		try {
			for (const run of [1, 2]) {
				const execution = await n8n.finished(workflow.id, await n8n.runFromEditor(editor, workflow.id, 'Push These Orders', 'trigger'));
				expect([run, execution.status, execution.run.data.resultData.error?.message]).toEqual([run, 'success', undefined]);
			}
		} finally {
			await editor.stop();
		}
		const imported = shopify.store.orders.filter((o) => o.sourceIdentifier?.startsWith('woocommerce:'));
		expect(imported.map((o) => o.sourceIdentifier!.split(':').pop()).sort()).toEqual([String(a.id), String(b.id)].sort());
	});

	it('cancellations and refunds: switched on, a channel cancellation and a partial refund restock the main store once', async () => {
		const [a, b] = pushable; // pushed by the manual push above
		expect([copies(a).length, copies(b).length]).toEqual([1, 1]);
		const flow = { ...template('cancellations-and-refunds.json'), id: workflowId('cancels'), active: false };
		await n8n.importWorkflows([flow as never]);
		await n8n.publish(flow.id);

		// The stock each SKU should get back: the cancelled order's lines, and one unit of the refunded line.
		const refundedLine = b.line_items[0];
		const back = new Map<string, number>();
		for (const l of a.line_items) back.set(l.sku as string, (back.get(l.sku as string) ?? 0) + l.quantity);
		back.set(refundedLine.sku as string, (back.get(refundedLine.sku as string) ?? 0) + 1);
		const before = new Map([...back.keys()].map((sku) => [sku, available(sku)]));
		woo.updateOrder(a.id, { status: 'cancelled' });
		const refund = await fetch(`${woo.siteUrl}/wp-json/wc/v3/orders/${b.id}/refunds`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${woo.consumerKey}:${woo.consumerSecret}`).toString('base64')}` },
			body: JSON.stringify({ amount: (Number(refundedLine.total) / refundedLine.quantity).toFixed(2), api_refund: false, api_restock: false, line_items: [{ id: refundedLine.id, quantity: 1, refund_total: (Number(refundedLine.total) / refundedLine.quantity).toFixed(2) }] }),
		});
		expect(refund.status).toBe(201);

		for (const round of [1, 2]) {
			const runsBefore = (await finishedTriggerRuns(flow.id)).length;
			const readsBefore = woo.log.length;
			// Round 1 (the first poll after switching on) sees the last 30 days' orders; round 2 has nothing
			// new, so the poll emits nothing: wait for its read of the orders and a moment more.
			let readAt = 0;
			await poll(async () => {
				if (round === 1) return (await finishedTriggerRuns(flow.id)).length > runsBefore;
				if (!readAt && woo.log.slice(readsBefore).some((e) => e.path.includes('/orders'))) readAt = Date.now();
				return readAt > 0 && Date.now() - readAt > 3000;
			});
			const runs = await finishedTriggerRuns(flow.id);
			expect([round, runs.map((r) => r.status)]).toEqual([round, ['success']]);
			// The cancelled order is cancelled in the main store and its stock is back; one unit of the refunded line is back.
			expect([round, copies(a).map((o) => o.cancelledAt !== null)]).toEqual([round, [true]]);
			expect([round, [...back.keys()].map((sku) => [sku, available(sku) - before.get(sku)!])]).toEqual([round, [...back.entries()]]);
			expect([round, copies(b).map((o) => o.cancelledAt)]).toEqual([round, [null]]);
		}
	});

	it('error alerts: a switched-on workflow that fails emails the owner the workflow, the step and the error, never the secret', async () => {
		const alerts = template('error-alerts.json');
		expect(alerts.id).toBe('CommerceSyncErrs');
		for (const file of ['order-sync.json', 'manual-push.json', 'cancellations-and-refunds.json', 'daily-sales-report.json']) expect([file, template(file).settings.errorWorkflow]).toEqual([file, 'CommerceSyncErrs']);
		// The cancellations template with its main-store key revoked: its next cancellation fails the run.
		const broken = template('cancellations-and-refunds.json');
		broken.name = 'Cancellations (revoked key)';
		broken.nodes.find((n: Json) => n.name === 'Push Order to Main Store').credentials = { commerceSyncShopifyApi: { id: 'cs-shopify-revoked', name: 'Shopify (revoked)' } };
		const flow = { ...broken, id: workflowId('broken'), active: false };
		await n8n.importWorkflows([alerts as never, flow as never]);
		// n8n 2 runs only a published error workflow.
		await n8n.publish(alerts.id);
		await n8n.publish(flow.id);
		// Its first poll finds the cancelled order of the test before: pushing it fails on the revoked key.
		woo.updateOrder(pushable[0].id, { status: 'cancelled' }); // already so after the test before; makes this test stand alone
		const mailsBefore = smtp.mails.length;
		await poll(async () => smtp.mails.length > mailsBefore).catch(async (error: Error) => {
			const runs = async (id: string) => (await n8n.executions(id)).map((e) => [e.mode, e.status, e.run.data?.resultData?.error?.message]);
			throw new Error(`${error.message}\nbroken: ${JSON.stringify(await runs(flow.id))}\nalerts: ${JSON.stringify(await runs('CommerceSyncErrs'))}`);
		});
		const failed = await finishedTriggerRuns(flow.id);
		expect(failed.map((r) => r.status)).toContain('error');
		const mail = smtp.mails.slice(mailsBefore).map((m) => m.data.replace(/=\r?\n/g, '')).join('\n');
		expect(mail).toContain('Subject: Commerce Sync failed: Cancellations (revoked key)');
		expect(mail).toMatch(/failed at (=22|")Push Order to Main Store/);
		expect(mail).toMatch(/Error: .*(Invalid API key|access token|401|Unauthorized)/i);
		expect(mail).not.toContain('shpat_revoked_not_a_real_token_0000');
	});
});
