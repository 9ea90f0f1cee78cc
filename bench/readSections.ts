/**
 * Reading orders from the stores: the pack's clients against the simulators at the platforms' limits,
 * each figure next to the floor the rate limit allows, and the trigger reading 10,000 orders in real n8n.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShopifyChannel } from '../platforms/shopify/channel';
import { WooChannel } from '../platforms/woocommerce/channel';
import type { SalesChannel } from '../platforms/channel';
import { channelTriggerWorkflow, credentialRef, shopifyCredential, wooCredential } from '../test/e2e/harness/fixtures';
import { N8nInstance } from '../test/e2e/harness/n8n';
import type { CredentialFixture } from '../test/e2e/harness/n8n';
import { workflowId } from '../test/e2e/harness/workflow';
import type { WorkflowJson } from '../test/e2e/harness/workflow';
import { startShopifySimulator } from '../test/simulators/shopify';
import { startWooSimulator } from '../test/simulators/woocommerce';
import { basic, fetchTransport, realClock } from '../test/support/fetchTransport';
import { median, round, timeInN8n } from './harness';
import type { BenchFigure, BenchSection } from './harness';

const SINCE = '2000-01-01T00:00:00Z';

interface RemoteSim {
	url: string;
	siteUrl?: string;
	consumerKey?: string;
	consumerSecret?: string;
	accessToken?: string;
	orders: number;
	close(): Promise<void>;
}

/** A simulator in a child process (bench/simChild.ts). */
function remoteSim(kind: 'woocommerce' | 'shopify', options: Record<string, unknown>): Promise<RemoteSim> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', join(__dirname, 'simChild.ts'), kind, JSON.stringify(options)], {
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const eol = out.indexOf('\n');
			if (eol < 0) return;
			const info = JSON.parse(out.slice(0, eol)) as Omit<RemoteSim, 'close'>;
			resolve({ ...info, close: () => new Promise<void>((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))) });
		});
		child.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
	});
}

async function readAll(channel: SalesChannel): Promise<{ ids: Set<string>; orders: number; seconds: number }> {
	const started = process.hrtime.bigint();
	const ids = new Set<string>();
	let orders = 0;
	for await (const page of channel.readOrders({ since: SINCE, by: 'updated' })) {
		for (const { order } of page) ids.add(order.channelOrderId), orders++;
	}
	return { ids, orders, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}


/**
 * Publishes the workflow, starts n8n (which polls once at activation) and waits for the execution. The
 * poll's own time is read off the simulator's request log: first request to last answer.
 */
async function firstPollInN8n(
	workflow: WorkflowJson,
	credential: CredentialFixture,
	simLog: Array<{ at: number }>,
): Promise<{ pollSeconds: number; requests: number; emitted: number; peakRssMb: number }> {
	const n8n = N8nInstance.create();
	try {
		await n8n.importCredentials([credential]);
		await n8n.importWorkflows([workflow]);
		await n8n.publish(workflow.id);
		const logStart = simLog.length;
		const server = await n8n.start(180_000);
		try {
			const started = Date.now();
			for (;;) {
				const rows = await n8n.query('SELECT id FROM execution_entity WHERE workflowId = ? AND finished = 1', [workflow.id]);
				if (rows.length > 0) break;
				if (Date.now() - started > 900_000) throw new Error(`no execution after 15 minutes:\n${server.log().slice(-2000)}`);
				await new Promise((r) => setTimeout(r, 500));
			}
			const peakRssMb = peakOf(server.pid);
			const stored = await n8n.executions(workflow.id);
			const emitted = stored[0].run.data.resultData.runData.Orders?.[0]?.data?.main?.[0]?.length ?? 0;
			const entries = simLog.slice(logStart);
			const pollSeconds = entries.length ? (entries[entries.length - 1].at - entries[0].at) / 1000 : Number.NaN;
			return { pollSeconds, requests: entries.length, emitted, peakRssMb };
		} finally {
			await server.stop();
		}
	} finally {
		n8n.dispose();
	}
}

/** Peak resident memory of a process (VmHWM), in MiB. */
function peakOf(pid: number | undefined): number {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
	} catch {
		return 0;
	}
}

export const READ_SECTIONS: BenchSection[] = [
	{
		id: 'reads-woocommerce',
		title: 'WooCommerce: read 10,000 orders (REST v3, key paging, 100 per page)',
		async run() {
			const sim = await remoteSim('woocommerce', { orders: 10_000, products: 50, seed: 31 });
			const [key, secret] = [sim.consumerKey!, sim.consumerSecret!];
			try {
				const transport = fetchTransport({ headers: { authorization: basic(key, secret) } });
				const channel = new WooChannel(transport, realClock(), sim.siteUrl!);
				const clean = await readAll(channel);
				const requests = transport.sent.length;
				// WooCommerce has no core rate limit: the floor is the fewest pages, one after another, at the server's
				// own time for a page of the same query.
				const minimum = Math.ceil(10_000 / 100);
				const pageMs = await median(9, () =>
					fetch(`${sim.siteUrl}/wp-json/wc/v3/orders?per_page=100&page=37&orderby=modified&order=asc&dates_are_gmt=true&status=any&modified_after=2000-01-01T00:00:00`, {
						headers: { authorization: basic(key, secret) },
					}).then((r) => r.json()),
				);
				const floor = (minimum * pageMs) / 1000;
				await fetch(`${sim.url}/__sim/faults`, {
					method: 'POST',
					body: JSON.stringify([{ kind: 'status429', probability: 0.05, retryAfterSeconds: 0.2 }, { kind: 'status503', probability: 0.05, retryAfterSeconds: 0.2 }]),
				});
				const faulted = await readAll(new WooChannel(fetchTransport({ headers: { authorization: basic(key, secret) } }), realClock(), sim.siteUrl!));
				return [
					{ name: 'orders read', value: clean.ids.size, unit: 'orders', goal: '10000, none twice', note: `${clean.orders - clean.ids.size} read twice` },
					{ name: 'time', value: round(clean.seconds), unit: 's', goal: '≤ 1.15 × floor' },
					{ name: 'floor (100 pages × median page time)', value: round(floor), unit: 's', note: `median page ${round(pageMs, 1)} ms` },
					{ name: 'time / floor', value: round(clean.seconds / floor), unit: '×' },
					{ name: 'requests', value: requests, unit: 'requests', note: `minimum ${minimum}` },
					{ name: 'with 10% injected 429/503: orders read', value: faulted.ids.size, unit: 'orders', note: `${round(faulted.seconds)} s, 0 failures seen` },
				] satisfies BenchFigure[];
			} finally {
				await sim.close();
			}
		},
	},
	{
		id: 'reads-shopify-paged',
		title: 'Shopify: read 300 orders page by page at the Standard plan\'s limits (100 points/s, 2,000-point bucket)',
		async run() {
			const sim = await remoteSim('shopify', { orders: 300, products: 50, seed: 32, restoreRate: 100, bucketSize: 2000 });
			try {
				const transport = fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken! } });
				const clock = realClock();
				const channel = new ShopifyChannel(transport, clock, sim.url);
				const read = await readAll(channel);
				const { actualCost, requests, throttled } = channel.client.stats;
				// The bucket starts full; beyond it, every point of actual cost takes 1/100 s to restore.
				const floor = Math.max(0, actualCost - 2000) / 100;
				return [
					{ name: 'orders read', value: read.ids.size, unit: 'orders', goal: '300, none twice' },
					{ name: 'time', value: round(read.seconds), unit: 's', goal: '≤ 1.15 × floor' },
					{ name: 'floor ((actual cost − bucket) ÷ restore rate)', value: round(floor), unit: 's', note: `${actualCost} points actual, ${round(actualCost / 300, 1)} per order` },
					{ name: 'time / floor', value: round(read.seconds / floor), unit: '×' },
					{ name: 'requests', value: requests, unit: 'requests', note: `${throttled} THROTTLED answers, ${round(clock.slept / 1000, 1)} s slept before sending` },
				] satisfies BenchFigure[];
			} finally {
				await sim.close();
			}
		},
	},
	{
		id: 'reads-shopify-bulk',
		title: 'Shopify: read 10,000 orders with a bulk operation at the Standard plan\'s limits',
		async run() {
			const sim = await remoteSim('shopify', { orders: 10_000, products: 50, seed: 33, restoreRate: 100, bucketSize: 2000 });
			try {
				const transport = fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken! } });
				const clock = realClock();
				const channel = new ShopifyChannel(transport, clock, sim.url, { download: fetchTransport() });
				const read = await readAll(channel);
				const bulk = channel.lastBulk;
				// The floor is the simulated store's own time from starting the operation to the file being
				// ready (computing the result, then 10,000 objects/s after a 0.5 s start, its defaults): a
				// client cannot finish before that. Paging the same 10,000 orders would instead take the rate
				// limit's (10,000 × ~38 points − 2,000) ÷ 100 ≈ 3,800 s.
				const operations = (await (await fetch(`${sim.url}/__sim/bulk`)).json()) as Array<{ simServerMs: number | null }>;
				const floor = (operations[operations.length - 1]?.simServerMs ?? Number.NaN) / 1000;
				return [
					{ name: 'orders read', value: read.ids.size, unit: 'orders', goal: '10000, none twice' },
					{ name: 'time', value: round(read.seconds), unit: 's', goal: '≤ 1.15 × floor' },
					{ name: 'floor (the store\'s own time to produce the file)', value: round(floor), unit: 's', note: `${bulk?.objectCount ?? '?'} objects, ${round((bulk?.downloadedBytes ?? 0) / 2 ** 20, 1)} MiB JSONL` },
					{ name: 'time / floor', value: round(read.seconds / floor), unit: '×' },
					{ name: 'requests', value: channel.client.stats.requests + 1, unit: 'requests', note: `${bulk?.polls ?? '?'} status polls (done after ${round((bulk?.waitedMs ?? 0) / 1000)} s), 1 download` },
				] satisfies BenchFigure[];
			} finally {
				await sim.close();
			}
		},
	},
	{
		id: 'trigger-n8n',
		title: 'Channel Orders Trigger in real n8n: first poll of 10,000 orders',
		async run() {
			const figures: BenchFigure[] = [];
			const woo = await startWooSimulator({ orders: 10_000, products: 50, seed: 34 });
			try {
				const cred = wooCredential('benchWooCred0001', 'Woo bench', woo);
				const r = await firstPollInN8n(channelTriggerWorkflow('bench trigger woocommerce', 'woocommerce', cred), cred, woo.log);
				figures.push({ name: 'WooCommerce: poll time (first request to last answer)', value: round(r.pollSeconds), unit: 's', note: `${r.emitted} orders emitted, ${r.requests} requests` });
				figures.push({ name: 'WooCommerce: n8n peak memory', value: r.peakRssMb, unit: 'MiB' });
			} finally {
				await woo.close();
			}
			const shop = await startShopifySimulator({ orders: 10_000, products: 50, seed: 35, restoreRate: 100, bucketSize: 2000 });
			try {
				const cred = shopifyCredential('benchShopCred001', 'Shopify bench', shop);
				const r = await firstPollInN8n(channelTriggerWorkflow('bench trigger shopify', 'shopify', cred), cred, shop.log);
				figures.push({ name: 'Shopify (bulk, Standard plan): poll time', value: round(r.pollSeconds), unit: 's', note: `${r.emitted} orders emitted, ${r.requests} requests; floor ≈ 0.5 s + objects ÷ 10,000/s of simulated processing` });
				figures.push({ name: 'Shopify: n8n peak memory', value: r.peakRssMb, unit: 'MiB' });
			} finally {
				await shop.close();
			}
			return figures;
		},
	},
	{
		id: 'woocommerce-n8n',
		title: 'WooCommerce in n8n: 10,000 orders through Fetch Channel Orders and through n8n\'s built-in WooCommerce node',
		async run() {
			const sim = await remoteSim('woocommerce', { orders: 10_000, products: 50, seed: 36 });
			try {
				const ourCred = wooCredential('benchWooOurs0001', 'Woo ours', { siteUrl: sim.siteUrl!, consumerKey: sim.consumerKey!, consumerSecret: sim.consumerSecret! });
				const builtinCred = { id: 'benchWooBuiltin1', name: 'Woo builtin', type: 'wooCommerceApi', data: { url: sim.siteUrl, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, includeCredentialsInQuery: false } };
				/** Manual Trigger → `node`, timed by n8n; requests counted on the simulator's log. */
				const run = async (name: string, node: WorkflowJson['nodes'][number], credential: CredentialFixture) => {
					const workflow: WorkflowJson = {
						id: workflowId(name), name, active: false, settings: { executionOrder: 'v1' },
						nodes: [{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, node],
						connections: { Manual: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
					};
					const logBefore = ((await (await fetch(`${sim.url}/__sim/log`)).json()) as unknown[]).length;
					const timed = await timeInN8n(workflow, { nodeName: node.name, credentials: [credential] });
					const requests = ((await (await fetch(`${sim.url}/__sim/log`)).json()) as unknown[]).length - logBefore;
					const ids = new Set(timed.output.map((i) => String(i.json.channelOrderId ?? i.json.id)));
					return { seconds: timed.nodeMs / 1000, items: timed.items, unique: ids.size, requests, peakRssMb: timed.peakRssMb };
				};
				const ours = await run('bench fetch ours', {
					id: 'f', name: 'Fetch', type: 'n8n-nodes-commerce-sync.fetchChannelOrders', typeVersion: 1, position: [200, 0],
					parameters: { channel: 'woocommerce', by: 'updated', range: 'since', since: SINCE, options: {} },
					credentials: credentialRef(ourCred),
				}, ourCred);
				const builtin = await run('bench fetch builtin', {
					id: 'b', name: 'Builtin', type: 'n8n-nodes-base.wooCommerce', typeVersion: 1, position: [200, 0],
					parameters: { resource: 'order', operation: 'getAll', returnAll: true, options: {} },
					credentials: credentialRef(builtinCred),
				}, builtinCred);
				return [
					{ name: 'Fetch Channel Orders: node time', value: round(ours.seconds), unit: 's', note: `${ours.unique} orders (${ours.items} items), ${ours.requests} requests, n8n peak ${ours.peakRssMb} MiB` },
					{ name: 'built-in WooCommerce node (Get Many, Return All): node time', value: round(builtin.seconds), unit: 's', note: `${builtin.unique} orders (${builtin.items} items), ${builtin.requests} requests, n8n peak ${builtin.peakRssMb} MiB; raw WooCommerce objects, offset paging` },
				] satisfies BenchFigure[];
			} finally {
				await sim.close();
			}
		},
	},
];
