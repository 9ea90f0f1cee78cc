/**
 * Fetch Channel Orders and the Channel Orders Trigger in real n8n, against the Shopify and WooCommerce
 * simulators: every order read once over many pages, mapped field by field, wrong keys reported in the
 * platform's words without the secret, and the trigger emitting each order once across polls, changes
 * only when asked, nothing lost after a failed poll.
 */
import { N8nInstance } from './harness/n8n';
import type { CredentialFixture } from './harness/n8n';
import { channelTriggerWorkflow, credentialRef, shopifyCredential, wooCredential } from './harness/fixtures';
import { UNDER_TEST, feedItems } from './harness/workflow';
import type { WorkflowJson } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';

type Json = Record<string, any>;


let shopifyCred: CredentialFixture;
let wooCred: CredentialFixture;
let wooBadCred: CredentialFixture;

function fetchNode(channel: 'shopify' | 'woocommerce', options: Json = {}, extra: Json = {}) {
	return {
		type: 'fetchChannelOrders',
		parameters: { channel, by: 'updated', range: 'since', since: '2000-01-01T00:00:00Z', options, ...extra },
		credentials: credentialRef(channel === 'shopify' ? shopifyCred : wooCred),
	};
}

describe('channel orders in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;

	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 260, products: 20, seed: 11, restoreRate: 1000, bucketSize: 20000 });
		woo = await startWooSimulator({ orders: 240, products: 20, seed: 12, equalTimestampShare: 0.4 });
		n8n = N8nInstance.create();
		shopifyCred = shopifyCredential('shopSimCred00001', 'Shopify simulator', shopify);
		wooCred = wooCredential('wooSimCred000001', 'WooCommerce simulator', woo);
		wooBadCred = wooCredential('wooBadCred000001', 'WooCommerce wrong secret', woo, { keysIn: 'query', consumerSecret: 'cs_not_the_right_secret' });
		const credentials = [shopifyCred, wooCred, wooBadCred];
		await n8n.importCredentials(credentials);
	});
	afterAll(async () => {
		n8n?.dispose();
		await shopify?.close();
		await woo?.close();
	});

	describe('Fetch Channel Orders', () => {
		it('reads every Shopify order once, mapped with exact totals and raw payload on request', async () => {
			const result = await n8n.runWorkflow(feedItems('fetch shopify', [{}], fetchNode('shopify', { includeRaw: true })));
			expect(result.ok).toBe(true);
			const orders = result.json(UNDER_TEST) as Json[];
			expect(orders.map((o) => o.channelOrderId).sort()).toEqual(shopify.store.orders.map((o) => String(o.id)).sort());
			const sim = shopify.store.orders[7];
			const got = orders.find((o) => o.channelOrderId === String(sim.id))!;
			expect(got).toMatchObject({ channel: 'shopify', channelOrderNumber: sim.name, currency: sim.currencyCode });
			expect(got.lines.map((l: Json) => [l.sku, l.quantity])).toEqual(sim.lineItems.map((l) => [l.sku || null, l.quantity]));
			expect(got.raw.id).toBe(`gid://shopify/Order/${sim.id}`);
			// Shopify's own total equals the sum of the mapped lines, to the cent, on every order.
			expect(orders.flatMap((o) => o.problems).filter((p: string) => p.includes('says the total'))).toEqual([]);
			expect(result.output(UNDER_TEST).every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);
		});

		it('reads every WooCommerce order once; Skip Unpaid Orders leaves the unpaid out', async () => {
			const all = await n8n.runWorkflow(feedItems('fetch woo', [{}], fetchNode('woocommerce')));
			expect(all.ok).toBe(true);
			const orders = all.json(UNDER_TEST) as Json[];
			expect(orders.map((o) => o.channelOrderId).sort()).toEqual(woo.store.orders.map((o) => String(o.id)).sort());
			const paid = await n8n.runWorkflow(feedItems('fetch woo paid', [{}], fetchNode('woocommerce', { skipUnpaid: true })));
			const paidIds = (paid.json(UNDER_TEST) as Json[]).map((o) => o.channelOrderId).sort();
			const expected = orders.filter((o) => ['paid', 'partiallyPaid', 'partiallyRefunded', 'refunded'].includes(o.financialStatus));
			expect(paidIds).toEqual(expected.map((o) => o.channelOrderId).sort());
			expect(paidIds.length).toBeLessThan(orders.length);
		});

		it.each(['woocommerce', 'shopify'] as const)('%s: an order placed and another changed while the pages are read are both in, nothing twice', async (channel) => {
			const sim = channel === 'shopify' ? shopify : woo;
			// Every answer takes 300 ms, so the read spans seconds; once it has begun, the store changes.
			await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'slow', delayMs: 300, probability: 1 }) });
			const workflow = feedItems(`fetch ${channel} during paging`, [{}], fetchNode(channel));
			await n8n.importWorkflows([workflow]);
			const logStart = sim.log.length;
			const running = n8n.execute(workflow.id);
			while (sim.log.slice(logStart).filter((e) => e.status !== 0).length < 2) await new Promise((r) => setTimeout(r, 50));
			const placed = String(sim.addOrder().id);
			const changedId = channel === 'shopify' ? shopify.store.orders[2].id : woo.store.orders[2].id;
			if (channel === 'shopify') shopify.updateOrder(changedId, { note: 'changed while paging' });
			else woo.updateOrder(changedId, { customer_note: 'changed while paging' });
			const result = await running;
			await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
			expect(result.ok).toBe(true);
			const ids = (result.json(UNDER_TEST) as Json[]).map((o) => o.channelOrderId);
			const storeIds = (channel === 'shopify' ? shopify.store.orders : woo.store.orders).map((o) => String(o.id));
			expect(new Set(ids).size).toBe(ids.length);
			expect([...ids].sort()).toEqual([...storeIds].sort());
			expect(ids).toContain(placed);
			expect(sim.log.slice(logStart).length).toBeGreaterThanOrEqual(3); // it really paged
		});

		it('wrong keys: WooCommerce\'s own message, no secret anywhere; Continue On Fail keeps going', async () => {
			const node = { ...fetchNode('woocommerce'), credentials: credentialRef(wooBadCred) };
			const failed = await n8n.runWorkflow(feedItems('fetch woo bad', [{}], node));
			expect(failed.ok).toBe(false);
			expect(failed.error?.message).toContain('Consumer secret is invalid.');
			const tolerant = await n8n.runWorkflow(feedItems('fetch woo bad tolerant', [{}], { ...node, continueOnFail: true }));
			expect(tolerant.ok).toBe(true);
			expect((tolerant.json(UNDER_TEST) as Json[])[0].error).toContain('Consumer secret is invalid.');
			for (const text of [JSON.stringify(failed.run), JSON.stringify(tolerant.run), failed.stdout, failed.stderr]) {
				expect(text).not.toContain('cs_not_the_right_secret');
			}
		});
	});

	describe('Channel Orders Trigger', () => {
		const triggerWorkflow = (channel: 'shopify' | 'woocommerce', emitChanges: boolean): WorkflowJson =>
			channelTriggerWorkflow(`trig${channel}${emitChanges ? 'c' : ''}`, channel, channel === 'shopify' ? shopifyCred : wooCred, { emitChanges });

		/** One production poll: n8n start polls once at activation; wait for it to finish, then stop. */
		async function pollOnce(workflow: WorkflowJson, settled: () => Promise<boolean>): Promise<void> {
			const server = await n8n.start();
			try {
				const deadline = Date.now() + 60_000;
				while (!(await settled())) {
					if (Date.now() > deadline) throw new Error(`poll did not finish:\n${server.log().slice(-2000)}`);
					await new Promise((r) => setTimeout(r, 300));
				}
			} finally {
				await server.stop();
			}
		}

		async function emitted(workflow: WorkflowJson): Promise<Json[][]> {
			// Finished trigger runs only: a row exists before n8n has written the run's data.
			const runs = (await n8n.executions(workflow.id)).filter((r) => r.mode !== 'manual' && r.status === 'success' && r.run.data?.resultData?.runData?.Orders);
			return runs.map((r) => (r.run.data?.resultData?.runData?.Orders?.[0]?.data?.main?.[0] ?? []).map((i) => i.json as Json));
		}

		it.each(['woocommerce', 'shopify'] as const)('%s: each order once across polls, a change again only with Emit Changes, nothing lost after a failed poll', async (channel) => {
			const sim = channel === 'shopify' ? shopify : woo;
			const storeIds = () => (channel === 'shopify' ? shopify.store.orders : woo.store.orders).map((o) => String(o.id));
			const plain = triggerWorkflow(channel, false);
			const changes = triggerWorkflow(channel, true);
			await n8n.importWorkflows([plain, changes]);
			const cursorOf = async (w: WorkflowJson) => JSON.stringify(((await n8n.staticData(w.id))?.['node:Orders'] as Json | undefined)?.cursors ?? null);
			const failuresOf = async (w: WorkflowJson) => ((await n8n.staticData(w.id))?.['node:Orders'] as Json | undefined)?.failures as Json | undefined;

			// "Fetch test event" in the editor: a sample of recent orders, and no cursor.
			const editor = await n8n.start();
			try {
				const executionId = await n8n.runFromEditor(editor, plain.id, 'Orders');
				let sample: Json[] = [];
				for (let waited = 0; sample.length === 0 && waited < 30_000; waited += 300) {
					await new Promise((r) => setTimeout(r, 300));
					const run = (await n8n.executions(plain.id)).find((e) => String(e.id) === executionId && e.mode === 'manual');
					sample = (run?.run.data?.resultData?.runData?.Orders?.[0]?.data?.main?.[0] ?? []).map((i) => i.json as Json);
				}
				expect(sample.length).toBe(5);
				expect(sample.every((o) => o.event === 'new' && o.kind === 'order')).toBe(true);
			} finally {
				await editor.stop();
			}
			expect(await cursorOf(plain)).toBe('null'); // the sample moved no cursor
			await n8n.publish(plain.id);
			await n8n.publish(changes.id);

			// Poll 1: everything since the start date, once.
			const before = [await cursorOf(plain), await cursorOf(changes)];
			await pollOnce(plain, async () => (await cursorOf(plain)) !== before[0] && (await cursorOf(changes)) !== before[1]
				&& (await emitted(plain)).length >= 1 && (await emitted(changes)).length >= 1);
			for (const w of [plain, changes]) {
				const runs = await emitted(w);
				expect(runs).toHaveLength(1);
				expect(runs[0].map((o) => o.channelOrderId).sort()).toEqual([...storeIds()].sort());
				expect(new Set(runs[0].map((o) => o.event))).toEqual(new Set(['new']));
			}

			// Between polls: an order is cancelled, a new one placed; and the store fails every request.
			const firstId = Number(storeIds()[0]);
			if (channel === 'shopify') shopify.updateOrder(firstId, { cancelledAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), cancelReason: 'CUSTOMER' });
			else woo.updateOrder(firstId, { status: 'cancelled' });
			const placed = String(sim.addOrder().id);
			await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'status500', probability: 1 }) });
			const cursors = [await cursorOf(plain), await cursorOf(changes)];
			const logBefore = sim.log.length;
			// Two workflows, each trying its read six times before the poll fails.
			await pollOnce(plain, async () => sim.log.slice(logBefore).filter((e) => e.fault).length >= 12);
			// A failed poll moves no cursor, and (failing at activation) does not get the workflow switched off.
			expect([await cursorOf(plain), await cursorOf(changes)]).toEqual(cursors);
			const published = await n8n.query('SELECT id FROM workflow_entity WHERE active = 1 AND id IN (?, ?)', [plain.id, changes.id]);
			expect(published).toHaveLength(2);
			for (const w of [plain, changes]) expect(Object.values((await failuresOf(w)) ?? {})).toEqual([expect.objectContaining({ count: 1 })]);
			await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });

			// Poll 3: the new order once; the cancellation only where Emit Changes is on.
			await pollOnce(plain, async () => (await emitted(plain)).length >= 2 && (await emitted(changes)).length >= 2);
			const [plainRuns, changeRuns] = [await emitted(plain), await emitted(changes)];
			expect(plainRuns.slice(1).flat().map((o) => [o.channelOrderId, o.event])).toEqual([[placed, 'new']]);
			const third = changeRuns.slice(1).flat().map((o) => [o.channelOrderId, o.event]).sort();
			expect(third).toEqual([[String(firstId), 'changed'], [placed, 'new']].sort());
			const change = changeRuns.slice(1).flat().find((o) => o.event === 'changed')!;
			expect(change.status).toBe('cancelled');
			expect(change.changed).toContain('status');
		});
	});
});
