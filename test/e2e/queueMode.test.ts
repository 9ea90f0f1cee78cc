/**
 * Queue mode (scale-out) in real n8n: PostgreSQL, Redis, `n8n start` as the main and two
 * `n8n worker --concurrency=5`, the packed pack installed for every process (test/e2e/harness/queue.ts).
 * The order-sync and inventory-sync templates are published as a user publishes them, with a Webhook
 * trigger added beside their own triggers so that several production executions start at the same
 * moment: the main takes the calls (and runs the order poll), the workers run the executions.
 * - order sync: every paid, linked channel order is in the Shopify simulator exactly once (a copy two
 *   runs created at the same moment is cancelled and restocked: none stays live), stock taken once;
 * - inventory sync: the channel's stock equals the rules applied to the main store's, each run writes
 *   only listings that were off, a main-store change is written alone, a quiet round writes nothing;
 * - every execution is in PostgreSQL, finished with success, and both workers ran some.
 * About 2 minutes (PostgreSQL migrations, three n8n processes): `npm run test:queue`, run by .ci/run after `npm test`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shareChannelSkus, shopifyCredential, templateCredentials, wooCredential } from './harness/fixtures';
import { QueueModeN8n, webhookRegistered } from './harness/queue';
import { runsOnlyOnDemand, workflowId } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { startSmtpSink } from '../support/smtpSink';
import type { SmtpSink } from '../support/smtpSink';

type Json = Record<string, any>;

/** Executions started at the same moment, per round. */
const OVERLAP = 6;
const WORKERS = 2;

/** The template as published here: only the activation poll and the webhook runs the test fires, no clock-driven run. */
const template = (file: string) => runsOnlyOnDemand(JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', file), 'utf8')) as Json);

/** The template with a Webhook trigger feeding `target` beside its own triggers: a production run on demand. */
function withWebhook(workflow: Json, path: string, target: string): Json {
	return {
		...workflow,
		nodes: [...workflow.nodes, {
			id: randomUUID(), name: 'Run Now (webhook)', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 400], webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
		}],
		connections: { ...workflow.connections, 'Run Now (webhook)': { main: [[{ node: target, type: 'main', index: 0 }]] } },
	};
}

describe('queue mode: main + 2 workers on PostgreSQL and Redis', () => {
	let n8n: QueueModeN8n;
	let smtp: SmtpSink;
	/** Order sync: a WooCommerce channel with a day of orders, pushed into a Shopify main store. */
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	/** Inventory sync: its own pair, as in the inventory-sync template test. */
	let stockShop: ShopifySimulator;
	let stockWoo: WooSimulator;
	let mainUrl: string;
	const suiteStarted = Date.now();
	const report: Record<string, unknown> = {};

	const orderSync = { ...withWebhook(template('order-sync.json'), 'queue-order-sync', "Fetch Last Day's Orders"), id: workflowId('queueorders'), active: false };
	const inventorySync = (() => {
		// The template names the same credentials as order sync: point this copy at the second pair.
		const text = JSON.stringify(template('inventory-sync.json'))
			.replace(/"id":"cs-shopify-store","name":"Shopify store"/g, '"id":"cs-shopify-stock","name":"Shopify store (stock)"')
			.replace(/"id":"cs-woocommerce-store","name":"WooCommerce store"/g, '"id":"cs-woo-stock","name":"WooCommerce store (stock)"');
		return { ...withWebhook(JSON.parse(text) as Json, 'queue-inventory-sync', 'Main Store Stock'), id: workflowId('queuestock'), active: false };
	})();

	/** Fires `count` production runs at once through the workflow's webhook (n8n answers once each is queued). */
	const fire = async (path: string, count: number) => {
		const answers = await Promise.all(Array.from({ length: count }, () => fetch(`${mainUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })));
		expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
	};
	const registered = (path: string) => webhookRegistered(mainUrl, path, () => n8n.writeLogs());
	/** Waits until the workflow has `count` stored executions, all ended; returns them (oldest first). */
	const settled = async (id: string, count: number, timeoutMs = 240_000) => {
		for (const deadline = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 500))) {
			const rows = await n8n.query('SELECT id, status, mode FROM execution_entity WHERE "workflowId" = ? ORDER BY id', [id]);
			if (rows.length >= count && rows.every((r) => !['new', 'running', 'waiting'].includes(String(r.status)))) return rows;
			if (Date.now() > deadline) throw new Error(`${rows.length}/${count} executions ended: ${JSON.stringify(rows)}; logs in ${n8n.writeLogs()}`);
		}
	};

	/** The workflow's executions that did not succeed, with the error n8n stored: [] when all succeeded. */
	const failures = async (id: string) => (await n8n.executions(id)).filter((e) => e.status !== 'success')
		.map((e) => [e.id, e.mode, e.status, e.run.data.resultData.error?.node?.name, e.run.data.resultData.error?.message, e.run.data.resultData.error?.description]);

	beforeAll(async () => {
		const start = new Date(Date.now() - 10 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		woo = await startWooSimulator({ orders: 40, products: 12, seed: 61, start, orderSpacingMs: 600_000 });
		shopify = await startShopifySimulator({ orders: 0, products: 20, seed: 62, restoreRate: 1000, bucketSize: 20000 });
		shareChannelSkus(woo, shopify);
		stockWoo = await startWooSimulator({ orders: 0, products: 30, seed: 191 });
		stockShop = await startShopifySimulator({ orders: 0, products: 6, seed: 192, locations: 2, restoreRate: 1000, bucketSize: 20000 });
		smtp = await startSmtpSink();

		const servicesStarted = Date.now();
		n8n = await QueueModeN8n.startServices();
		await n8n.importCredentials([
			...templateCredentials(shopify, woo, smtp.port),
			shopifyCredential('cs-shopify-stock', 'Shopify store (stock)', stockShop),
			wooCredential('cs-woo-stock', 'WooCommerce store (stock)', stockWoo),
		]);
		report.setupMs = Date.now() - servicesStarted;
	});
	afterAll(async () => {
		report.totalMs = Date.now() - suiteStarted;
		// The measured result README "Scaling out" quotes.
		console.log(`queue-mode result: ${JSON.stringify(report)}; logs in ${n8n?.writeLogs()}`);
		await n8n?.stop();
		await Promise.all([shopify?.close(), woo?.close(), stockShop?.close(), stockWoo?.close(), smtp?.close()]);
	});

	it(`order sync: the poll on the main and ${OVERLAP} overlapping webhook runs on the workers push every paid, linked order exactly once, stock taken once`, async () => {
		const linked = new Set(shopify.store.variants.map((v) => v.sku));
		const paid = new Set(['processing', 'completed', 'on-hold']);
		const addressed = (o: (typeof woo.store.orders)[number]) => !!(o.shipping.address_1 && o.shipping.city && o.shipping.country && (o.shipping.last_name || o.billing.last_name));
		const expected = woo.store.orders.filter((o) => paid.has(o.status) && o.date_paid_gmt && addressed(o) && Number(o.total) > 0
			&& o.line_items.every((l) => l.sku && linked.has(l.sku)));
		expect(expected.length).toBeGreaterThan(5);
		// Stock the orders take: tracked variants, the units of every expected order's lines.
		const tracked = new Set(shopify.store.inventoryItems.filter((i) => i.tracked).map((i) => i.id));
		const stock = () => new Map(shopify.store.variants.filter((v) => tracked.has(v.inventoryItemId)).map((v) => [v.sku,
			shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === v.inventoryItemId).reduce((s, l) => s + l.available, 0)]));
		const before = stock();
		const taken = new Map<string | null, number>();
		for (const order of expected) for (const line of order.line_items) taken.set(line.sku, (taken.get(line.sku) ?? 0) + line.quantity);

		await n8n.importWorkflows([orderSync as never]);
		await n8n.publish(orderSync.id);
		// The main polls at activation; the run it queues waits in Redis for a worker, then runs beside the webhook runs.
		const started = Date.now();
		const [main] = await Promise.all([n8n.startMain(), n8n.startWorkers(WORKERS, 5)]);
		mainUrl = `http://127.0.0.1:${main.port}`;
		report.n8nStartMs = Date.now() - started;
		await registered('queue-order-sync');
		const fired = Date.now();
		await fire('queue-order-sync', OVERLAP);
		const runs = await settled(orderSync.id, OVERLAP + 1);
		report.orderSyncMs = Date.now() - fired;

		// None lost, all succeeded: the activation poll (mode trigger) and every webhook call.
		expect(runs.map((r) => String(r.mode)).sort()).toEqual(['trigger', ...Array<string>(OVERLAP).fill('webhook')]);
		expect(await failures(orderSync.id)).toEqual([]);
		expect(runs.map((r) => [r.id, r.status])).toEqual(runs.map((r) => [r.id, 'success']));
		const ranBy = n8n.workerOf();
		expect(runs.map((r) => [r.id, n8n.workerNames.includes(ranBy.get(Number(r.id)) ?? '')])).toEqual(runs.map((r) => [r.id, true]));
		report.orderSyncExecutionsPerWorker = Object.fromEntries(n8n.workerNames.map((w) => [w, runs.filter((r) => ranBy.get(Number(r.id)) === w).length]));

		// Exactly one live copy of each expected order, none of the others; a copy two runs created at the
		// same moment is cancelled (and restocked) by the run that lost.
		const copies = shopify.store.orders.filter((o) => o.sourceIdentifier?.startsWith('woocommerce:'));
		const live = copies.filter((o) => o.cancelledAt === null);
		expect(live.map((o) => o.sourceIdentifier!.split(':').pop()).sort()).toEqual(expected.map((o) => String(o.id)).sort());
		const raced = copies.filter((o) => o.cancelledAt !== null);
		expect(raced.every((o) => o.tags.includes('Commerce Sync duplicate'))).toBe(true);
		report.orderSync = { orders: expected.length, liveDuplicates: live.length - new Set(live.map((o) => o.sourceIdentifier)).size, racedCopiesCancelled: raced.length };

		// The template's order log (an n8n data table in PostgreSQL): one row per channel order. n8n's Data
		// Table upsert is a read then a write, so runs at the same moment may each add a row: measured, not asserted.
		const [table] = await n8n.query('SELECT id FROM data_table WHERE name = ?', ['Commerce Sync order log']);
		const rows = await n8n.query(`SELECT "syncNumber" FROM "data_table_user_${String(table.id)}"`, []);
		report.orderLog = { rows: rows.length, channelOrders: woo.store.orders.length, distinct: new Set(rows.map((r) => r.syncNumber)).size };
		expect(new Set(rows.map((r) => r.syncNumber)).size).toBe(woo.store.orders.length);

		// Stock taken once per order, whatever the races.
		const after = stock();
		expect([...after].map(([sku, q]) => [sku, q])).toEqual([...before].map(([sku, q]) => [sku, q - (taken.get(sku) ?? 0)]));
		// Both workers ran executions: the work really was spread.
		expect(n8n.workerNames.map((w) => runs.some((r) => ranBy.get(Number(r.id)) === w))).toEqual(n8n.workerNames.map(() => true));
	});

	it(`inventory sync: ${OVERLAP} overlapping runs set the channel to the rules applied to the main store, write only listings that were off, then a change alone, then nothing`, async () => {
		const simple = stockWoo.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku);
		const shared = simple.slice(0, 6).map((p) => p.sku);
		shared.forEach((sku, i) => {
			stockShop.store.variants[i].sku = sku;
		});
		// Two listings someone changed by hand on the channel.
		for (const sku of shared.slice(2, 4)) stockWoo.store.products.find((p) => p.sku === sku)!.stock_quantity = 99;
		stockWoo.store.changed();
		const mainTotal = (sku: string) => {
			const variant = stockShop.store.variants.find((v) => v.sku === sku)!;
			return stockShop.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).reduce((s, l) => s + l.available, 0);
		};
		const channel = (sku: string) => stockWoo.store.products.find((p) => p.sku === sku)?.stock_quantity;
		/** The template's rules: all the stock, 0 at or below 2. */
		const rule = (q: number) => (q <= 2 ? 0 : q);
		const oracle = () => shared.map((sku) => [sku, rule(mainTotal(sku))]);
		const writes = () => stockWoo.log.filter((e) => e.method !== 'GET').length;

		await n8n.importWorkflows([inventorySync as never]);
		await n8n.publish(inventorySync.id);
		// A workflow published while the main runs reaches it through the database and Redis.
		await registered('queue-inventory-sync');
		/** One round: OVERLAP runs at once; what each execution updated (SKU → `after`), and the channel writes. */
		let total = 0;
		const round = async () => {
			const writesBefore = writes();
			const fired = Date.now();
			await fire('queue-inventory-sync', OVERLAP);
			total += OVERLAP;
			const rows = await settled(inventorySync.id, total);
			const mine = rows.slice(-OVERLAP);
			expect(await failures(inventorySync.id)).toEqual([]);
			expect(mine.map((r) => [r.id, r.mode, r.status])).toEqual(mine.map((r) => [r.id, 'webhook', 'success']));
			const runs = (await n8n.executions(inventorySync.id)).filter((e) => mine.some((r) => Number(r.id) === e.id));
			const updated = runs.map((e) => ((e.run.data.resultData.runData['Update Channel Inventory']?.[0]?.data?.main[0] ?? []) as Array<{ json: Json }>)
				.filter((i) => i.json.action === 'updated').map((i) => [String(i.json.sku), Number(i.json.after)] as [string, number]));
			return { updated, ids: mine.map((r) => Number(r.id)), channelWrites: writes() - writesBefore, ms: Date.now() - fired };
		};

		// Round 1, no cursor yet: every run reads all the stock. Each writes only listings that were off the
		// rules when it read them, each at most once, with the rules' value; the channel ends on the oracle.
		const off = new Set(shared.filter((sku) => channel(sku) !== rule(mainTotal(sku))));
		expect(off.size).toBeGreaterThanOrEqual(2);
		const first = await round();
		expect(shared.map((sku) => [sku, channel(sku)])).toEqual(oracle());
		for (const run of first.updated) {
			expect(run.map(([sku]) => sku).filter((sku) => !off.has(sku))).toEqual([]);
			expect(new Set(run.map(([sku]) => sku)).size).toBe(run.length);
			expect(run.filter(([sku, after]) => after !== rule(mainTotal(sku)))).toEqual([]);
		}
		expect(new Set(first.updated.flat().map(([sku]) => sku))).toEqual(off);

		// Round 2: one stock count in the main store. The runs share the cursor the first round stored: they
		// read that variant alone, and only it is written (the same value by every run that saw it off).
		const changed = shared[5];
		const variant = stockShop.store.variants.find((v) => v.sku === changed)!;
		const level = stockShop.store.inventoryLevels.find((l) => l.inventoryItemId === variant.inventoryItemId)!;
		Object.assign(level, { available: level.available + 5, onHand: level.onHand + 5, updatedAt: new Date().toISOString() });
		const second = await round();
		expect(shared.map((sku) => [sku, channel(sku)])).toEqual(oracle());
		expect([...new Set(second.updated.flat().map(([sku]) => sku))]).toEqual([changed]);
		expect(second.updated.every((run) => run.length <= 1)).toBe(true);

		// Round 3: nothing changed: no run writes anything.
		const third = await round();
		expect([third.channelWrites, third.updated.flat()]).toEqual([0, []]);

		const ranBy = n8n.workerOf();
		const all = [...first.ids, ...second.ids, ...third.ids];
		expect(all.filter((id) => !ranBy.has(id))).toEqual([]);
		report.inventorySyncExecutionsPerWorker = Object.fromEntries(n8n.workerNames.map((w) => [w, all.filter((id) => ranBy.get(id) === w).length]));
		report.inventorySync = {
			roundMs: [first.ms, second.ms, third.ms],
			listingsOff: off.size,
			writesPerRound: [first, second, third].map((r) => r.updated.flat().length),
			// Listings written by more than one run of a round (the same value: WooCommerce has no compare-and-set).
			repeatedWrites: [first, second, third].map((r) => r.updated.flat().length - new Set(r.updated.flat().map(([sku]) => sku)).size),
		};
		expect(n8n.workerNames.map((w) => all.some((id) => ranBy.get(id) === w))).toEqual(n8n.workerNames.map(() => true));
	});

	it('no execution was lost or failed: PostgreSQL holds every one, each ended in success', async () => {
		const rows = await n8n.query('SELECT "workflowId", status, count(*)::int AS n FROM execution_entity GROUP BY "workflowId", status ORDER BY 1, 2', []);
		expect(rows).toEqual([
			{ workflowId: orderSync.id, status: 'success', n: OVERLAP + 1 },
			{ workflowId: inventorySync.id, status: 'success', n: 3 * OVERLAP },
		].sort((a, b) => (a.workflowId < b.workflowId ? -1 : 1)));
		const ranBy = n8n.workerOf();
		report.executionsPerWorker = Object.fromEntries(n8n.workerNames.map((w) => [w, [...ranBy.values()].filter((v) => v === w).length]));
	});
});
