/**
 * `npm run demo`: the pack on the built-in simulators, in real n8n, on this machine.
 * Builds and packs the package, starts a Shopify and a WooCommerce simulator with seeded stores and a
 * local mail catcher, installs the pack into a fresh n8n (the cached, pinned install), imports
 * credentials wired to the simulators and the template workflows, runs the daily sales report and one
 * order-sync cycle (WooCommerce channel → Shopify main store) and prints what they did, switches on a
 * Channel Orders Trigger workflow, and leaves the editor open on http://localhost:5678 with the login
 * printed. Then one inventory-sync cycle (Shopify stock → WooCommerce listings through the rules) and,
 * after a few of the imported orders are shipped in the Shopify simulator, one tracking-sync cycle
 * (their tracking onto the WooCommerce orders). Then the marketplaces: an eBay, an Etsy, an Amazon and a
 * TikTok Shop simulator (ports 8083–8086), each with a day of orders, read and pushed into the Shopify
 * main store. Ctrl-C stops everything it started.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import globalSetup from '../test/e2e/harness/global-setup';
import globalTeardown from '../test/e2e/harness/global-teardown';
import { channelTriggerWorkflow, shareChannelSkus, templateCredentials } from '../test/e2e/harness/fixtures';
import { N8nInstance } from '../test/e2e/harness/n8n';
import type { WorkflowJson } from '../test/e2e/harness/workflow';
import { startShopifySimulator } from '../test/simulators/shopify';
import { startWooSimulator } from '../test/simulators/woocommerce';
import { startSmtpSink } from '../test/support/smtpSink';
import { shipOnShopify } from '../test/support/tracking';
import { MARKETPLACES } from '../test/support/marketplaces';
import { PACKAGE } from '../test/e2e/harness/workflow';

const ROOT = join(__dirname, '..');
const say = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
	say('Building and packing the package…');
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	globalSetup();

	const DAY = 86_400_000;
	const yesterday = Math.floor(Date.now() / DAY) * DAY - DAY;
	const start = new Date(yesterday + 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
	const shopify = await startShopifySimulator({ port: 8081, orders: 200, products: 40, seed: 1, start, orderSpacingMs: 240_000 });
	const woo = await startWooSimulator({ port: 8082, orders: 200, products: 40, seed: 2, start, orderSpacingMs: 240_000 });
	const smtp = await startSmtpSink();
	// The Shopify main store carries the WooCommerce channel's SKUs, all but two, so some orders link and
	// a few wait in Needs Attention as a real shop's would.
	shareChannelSkus(woo, shopify);
	say(`Simulators: Shopify ${shopify.url}, WooCommerce ${woo.siteUrl}; mail catcher on port ${smtp.port}`);

	// The marketplaces, each with a day of orders; a few of each one's SKUs are in the Shopify main store
	// (the last variants, which the WooCommerce SKUs left alone), so some orders link and some wait.
	const markets = await Promise.all(MARKETPLACES.map(async (market, i) => ({ market, sim: await market.demo(start, 8083 + i) })));
	let spare = shopify.store.variants.filter((v) => !v.requiresComponents).length - 1;
	for (const { market, sim } of markets) {
		for (const sku of [...market.listingStock(sim).keys()].slice(0, 8)) {
			const variant = shopify.store.variants.filter((v) => !v.requiresComponents)[spare--];
			if (variant) Object.assign(variant, { sku, inventoryPolicy: 'CONTINUE' });
		}
	}
	say(`Marketplaces: ${markets.map(({ market, sim }) => `${market.label} ${sim.url}`).join(', ')}`);

	const n8n = N8nInstance.create();
	let stopServer: () => Promise<void> = async () => undefined;
	const stop = async () => {
		await stopServer().catch(() => undefined);
		await Promise.all([shopify.close(), woo.close(), smtp.close(), ...markets.map(({ sim }) => sim.close())]);
		n8n.dispose();
		globalTeardown();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	const credentials = templateCredentials(shopify, woo, smtp.port);
	const wooStore = credentials[1];
	await n8n.importCredentials(credentials);
	const templates = readdirSync(join(ROOT, 'workflows')).filter((f) => f.endsWith('.json'));
	const workflows = templates.map((file, i) => ({
		...(JSON.parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')) as WorkflowJson),
		id: `csdemo${String(i).padStart(10, '0')}`,
		active: false,
	}));
	const newOrders = channelTriggerWorkflow('Commerce Sync demo: new WooCommerce orders', 'woocommerce', wooStore, { emitChanges: true, startFrom: 'now' }, 'New WooCommerce Orders');
	// Per marketplace: its orders since the start of yesterday → Push Order to Main Store (Shopify), as the
	// order-sync template does for WooCommerce.
	const marketCredentials = markets.map(({ market, sim }) => market.credential(sim, `csdemo${market.channel}`.padEnd(16, '0').slice(0, 16), `${market.label} (simulator)`));
	await n8n.importCredentials(marketCredentials);
	const shopifyStore = credentials[0];
	const marketWorkflows = markets.map(({ market }, i): WorkflowJson => ({
		id: `csdemomarket${String(i).padStart(4, '0')}`,
		name: `Commerce Sync demo: ${market.label} orders → Shopify`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'trigger', name: 'Push Orders Now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'fetch', name: `${market.label} Orders`, type: `${PACKAGE}.fetchChannelOrders`, typeVersion: 1, position: [240, 0],
				parameters: { channel: market.channel, by: 'created', range: 'since', since: start, options: {} },
				credentials: { [marketCredentials[i].type]: { id: marketCredentials[i].id, name: marketCredentials[i].name } },
			},
			{
				id: 'push', name: 'Push Order to Main Store', type: `${PACKAGE}.pushOrderToMainStore`, typeVersion: 1, position: [480, 0],
				parameters: { mainStore: 'shopify', mode: 'order', linkBy: 'sku', unlinked: 'wait', inventory: 'decrement', keepOrderNumber: false, contactEmail: 'customer', shipping: 'channel', dryRun: false, options: {} },
				credentials: { [shopifyStore.type]: { id: shopifyStore.id, name: shopifyStore.name } },
			},
		],
		connections: {
			'Push Orders Now': { main: [[{ node: `${market.label} Orders`, type: 'main', index: 0 }]] },
			[`${market.label} Orders`]: { main: [[{ node: 'Push Order to Main Store', type: 'main', index: 0 }]] },
		},
	}));
	await n8n.importWorkflows([...workflows, newOrders, ...marketWorkflows]);

	say('Running the daily sales report once…');
	const report = workflows.find((w) => w.name.includes('daily sales report'));
	if (report) {
		const result = await n8n.execute(report.id);
		if (!result.ok) say(`  the report failed: ${result.error?.message ?? 'unknown error'}`);
		else {
			const figures = result.json('Sales Report')[0] as { ordersCounted: number; channels: Array<{ channel: string; orders: number; totals: Record<string, number> }>; topProducts: Array<{ sku: string; units: number }> };
			say(`  yesterday: ${figures.ordersCounted} orders`);
			for (const c of figures.channels) say(`    ${c.channel}: ${c.orders} orders, ${Object.entries(c.totals).map(([cur, v]) => `${(v / 100).toFixed(2)} ${cur}`).join(', ')}`);
			say(`  top product: ${figures.topProducts[0]?.sku} (${figures.topProducts[0]?.units} units); email sent: ${smtp.mails.length} (caught locally)`);
		}
	}

	await n8n.publish(newOrders.id);
	// The n8n child is pending while it starts: Ctrl-C during start-up must stop it too.
	const starting = n8n.start(180_000, 5678);
	stopServer = async () => (await starting).stop();
	const server = await starting;
	await n8n.runFromEditor(server, newOrders.id, 'New WooCommerce Orders'); // creates the owner account

	const orderSync = workflows.find((w) => w.name.includes('order sync'));
	if (orderSync) {
		say('Running one order-sync cycle (WooCommerce orders of the last day → Shopify main store)…');
		const mailsBefore = smtp.mails.length;
		const execution = await n8n.finished(orderSync.id, await n8n.runFromEditor(server, orderSync.id, 'Push Recent Orders Now', 'trigger'), 300_000);
		const runData = execution.run.data.resultData.runData;
		const out = (node: string, output: number) => (runData[node]?.[0]?.data?.main?.[output] ?? []).map((i) => i.json as Record<string, unknown>);
		const pushed = out('Push Order to Main Store', 0);
		const attention = out('Push Order to Main Store', 1);
		if (execution.run.data.resultData.error) say(`  the cycle failed: ${execution.run.data.resultData.error.message}`);
		say(`  imported into Shopify: ${pushed.filter((j) => j.action === 'created').length} orders (stock taken for their linked lines)`);
		const reasons = new Map<string, number>();
		for (const j of attention) reasons.set(String(j.attentionCode), (reasons.get(String(j.attentionCode)) ?? 0) + 1);
		say(`  needs attention: ${attention.length} (${[...reasons].map(([code, n]) => `${n} ${code}`).join(', ')}); alert email sent: ${smtp.mails.length - mailsBefore}`);
		if (attention[0]) say(`    e.g. ${String(attention[0].reason)}`);
		say('  every order is in the data table "Commerce Sync order log" (Overview → Data tables)');
	}
	type Out = (node: string, output: number) => Array<Record<string, unknown>>;
	const runTemplate = async (nameHas: string, trigger: string): Promise<Out | null> => {
		const workflow = workflows.find((w) => w.name.includes(nameHas));
		if (!workflow) return null;
		const execution = await n8n.finished(workflow.id, await n8n.runFromEditor(server, workflow.id, trigger, 'trigger'), 300_000);
		if (execution.run.data.resultData.error) say(`  the cycle failed: ${execution.run.data.resultData.error.message}`);
		const runData = execution.run.data.resultData.runData;
		return (node, output) => (runData[node]?.[0]?.data?.main?.[output] ?? []).map((i) => i.json as Record<string, unknown>);
	};

	say('Running one inventory-sync cycle (Shopify main store stock → rules → WooCommerce listings)…');
	const stock = await runTemplate('inventory sync', 'Sync Stock Now');
	if (stock) {
		const done = stock('Update Channel Inventory', 0);
		say(`  main-store variants read: ${stock('Main Store Stock', 0).length}; WooCommerce listings set: ${done.filter((j) => j.action === 'updated').length}, already right: ${done.filter((j) => j.action === 'unchanged').length}`);
		say(`  could not take stock: ${stock('Update Channel Inventory', 1).length}; not on the channel: ${stock('Update Channel Inventory', 2).length}`);
	}

	// Ship a few of the imported orders in the Shopify simulator, as the shop would, then sync tracking.
	const shipped = shopify.store.orders.filter((o) => o.sourceIdentifier?.startsWith('woocommerce:') && o.cancelledAt === null).slice(0, 5);
	for (const [i, o] of shipped.entries()) await shipOnShopify(shopify, `gid://shopify/Order/${o.id}`, { company: i % 2 ? 'USPS' : 'UPS', numbers: [`1ZDEMO${String(o.id).slice(-8)}`] });
	say(`Shipped ${shipped.length} of the imported orders in the Shopify simulator; running one tracking-sync cycle (Shopify → WooCommerce)…`);
	const tracking = await runTemplate('tracking sync', 'Sync Tracking Now');
	if (tracking) {
		const synced = tracking('Sync Tracking', 0);
		say(`  tracking written to WooCommerce orders: ${synced.filter((j) => j.action === 'written').length}, completed there: ${synced.filter((j) => j.completed === true).length}, failed: ${tracking('Sync Tracking', 1).length}`);
	}

	say('Reading each marketplace\'s orders since yesterday and pushing them into the Shopify main store…');
	for (const [i, { market }] of markets.entries()) {
		const execution = await n8n.finished(marketWorkflows[i].id, await n8n.runFromEditor(server, marketWorkflows[i].id, 'Push Orders Now', 'trigger'), 600_000);
		const runData = execution.run.data.resultData.runData;
		const out = (node: string, output: number) => (runData[node]?.[0]?.data?.main?.[output] ?? []).map((item) => item.json as Record<string, unknown>);
		if (execution.run.data.resultData.error) say(`  ${market.label}: the run failed: ${execution.run.data.resultData.error.message}`);
		else {
			const read = out(`${market.label} Orders`, 0);
			const created = out('Push Order to Main Store', 0).filter((j) => j.action === 'created').length;
			const attention = out('Push Order to Main Store', 1);
			const reasons = new Map<string, number>();
			for (const j of attention) reasons.set(String(j.attentionCode), (reasons.get(String(j.attentionCode)) ?? 0) + 1);
			say(`  ${market.label}: ${read.length} orders read (${read.filter((o) => o.status === 'cancelled').length} cancelled), ${created} imported into Shopify, ${attention.length} need attention (${[...reasons].map(([code, n]) => `${n} ${code}`).join(', ')})`);
		}
	}

	say();
	say('n8n is running with the pack: http://localhost:5678');
	say('  login: owner@example.com / Commerce-Sync-1');
	say(`  workflows: ${[...workflows.map((w) => w.name), newOrders.name, ...marketWorkflows.map((w) => w.name)].join('; ')}`);
	say(`  place an order in the WooCommerce simulator (curl -X POST ${woo.url}/__sim/orders) and the switched-on`);
	say('  "new WooCommerce orders" workflow picks it up within a minute.');
	say('Ctrl-C stops n8n and the simulators.');

}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
