/**
 * The store-to-store templates (Syncio / Tipo style, Shopify → Shopify), imported as a user would and
 * run in real n8n against two Shopify simulators: switched on, the order trigger polls the destination
 * store and its paid orders are created once in the source store (production path: published, polled,
 * executed); "Sync Now" (`n8n execute`) sets the destination's stock from the source and sends tracking
 * back once; the two-way variant keeps a sale in each store.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { N8nInstance } from './harness/n8n';
import type { ExecutionResult } from './harness/n8n';
import { shopifyChannelStoreCredential, shopifyCredential, smtpCredential } from './harness/fixtures';
import { runsOnlyOnDemand, workflowId } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { newId } from '../simulators/shopify/store';
import { startSmtpSink } from '../support/smtpSink';
import type { SmtpSink } from '../support/smtpSink';
import { giveShopifySkus, setShopifyStock, shopifyLevel } from '../support/stock';
import { shipOnShopify, shopifyPackages } from '../support/tracking';

type Json = Record<string, any>;

describe('store-to-store templates in real n8n', () => {
	let n8n: N8nInstance;
	let source: ShopifySimulator;
	let destination: ShopifySimulator;
	let smtp: SmtpSink;
	let shared: string[];

	const level = shopifyLevel;
	const stock = (sim: ShopifySimulator, sku: string) => level(sim, sku).available;
	const setStock = setShopifyStock;
	/** The template as switched on here: only the polls and runs the test starts, none at a quarter hour. */
	const load = (file: string) => runsOnlyOnDemand(JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', file), 'utf8')) as Json);
	const ok = (r: ExecutionResult) => {
		if (!r.ok) throw new Error(`run failed: ${r.error?.message ?? r.stderr.slice(-1500)}`);
		return r;
	};
	/** A paid destination-store order of shared SKUs: [sku, units] per line. */
	const sell = (lines: Array<[string, number]>) => {
		return destination.addOrder({
			lineItems: lines.map(([sku, quantity]) => {
				const v = destination.store.variants.find((x) => x.sku === sku)!;
				return {
					id: newId(destination.store), variantId: v.id, productId: v.productId, sku: v.sku, title: `Product ${v.sku}`, variantTitle: v.title, name: `Product ${v.sku}`,
					vendor: null, quantity, fulfillableQuantity: quantity, requiresShipping: true, taxable: false, unitPrice: v.price, discount: '0.00', taxLines: [],
				};
			}),
		});
	};
	const copiesOf = (orderId: number) => source.store.orders.filter((o) => o.sourceIdentifier?.endsWith(`:${orderId}`));

	/** Switched on: `n8n start` polls the trigger at activation; waits for that execution to end. */
	const pollOnce = async (id: string) => {
		const runs = async () => (await n8n.executions(id)).filter((e) => e.mode === 'trigger' && e.status !== 'running' && e.status !== 'new');
		const before = (await runs()).length;
		const server = await n8n.start();
		try {
			for (const deadline = Date.now() + 90_000; (await runs()).length === before;) {
				if (Date.now() > deadline) throw new Error(`no poll:\n${server.log().slice(-2000)}`);
				await new Promise((r) => setTimeout(r, 300));
			}
		} finally {
			await server.stop();
		}
		const last = (await runs()).at(-1)!;
		expect([last.status, last.run.data.resultData.error?.message]).toEqual(['success', undefined]);
	};

	beforeAll(async () => {
		source = await startShopifySimulator({ orders: 0, products: 6, seed: 261, restoreRate: 1000, bucketSize: 20000 });
		destination = await startShopifySimulator({ orders: 0, products: 6, seed: 262, restoreRate: 1000, bucketSize: 20000 });
		// The destination lists the source's products: same SKUs.
		shared = source.store.variants.filter((v) => !v.requiresComponents && v.sku).slice(0, 4).map((v) => v.sku as string);
		giveShopifySkus(destination, shared, destination.store.variants.filter((v) => !v.requiresComponents));
		for (const v of source.store.variants) v.inventoryPolicy = 'CONTINUE';
		smtp = await startSmtpSink();
		n8n = N8nInstance.create();
		await n8n.importCredentials([
			shopifyCredential('cs-shopify-store', 'Shopify store', source),
			shopifyCredential('cs-shopify-destination', 'Shopify destination store', destination),
			shopifyChannelStoreCredential('cs-shopify-destination-channel', 'Shopify destination store (channel store)', destination),
			smtpCredential('cs-smtp', 'SMTP account', smtp.port),
		]);
	});
	afterAll(async () => {
		n8n?.dispose();
		await Promise.all([source?.close(), destination?.close(), smtp?.close()]);
	});

	it('one-way: destination orders are created once in the source store, its stock reaches the destination, tracking goes back once', async () => {
		const template = load('store-to-store.json');
		expect(template.settings.errorWorkflow).toBe('CommerceSyncErrs');
		for (const sku of shared) setStock(source, sku, 50);
		const order = sell([[shared[0], 2], [shared[1], 1]]);
		const workflow = { ...template, id: workflowId('s2s'), active: false };
		await n8n.importWorkflows([workflow as never]);
		await n8n.publish(workflow.id);
		await pollOnce(workflow.id);
		expect(copiesOf(order.id).map((o) => o.lineItems.map((l) => [l.sku, l.quantity]))).toEqual([[[shared[0], 2], [shared[1], 1]]]);
		// The push took the units from the source's stock.
		expect([stock(source, shared[0]), stock(source, shared[1])]).toEqual([48, 49]);

		// Sync Now: the destination shows the source's stock.
		ok(await n8n.execute(workflow.id));
		expect(shared.map((s) => stock(destination, s))).toEqual(shared.map((s) => stock(source, s)));

		// Shipped in the source store: the destination order gets its tracking on the next run, once.
		const [copy] = copiesOf(order.id);
		await shipOnShopify(source, `gid://shopify/Order/${copy.id}`, { company: 'UPS', numbers: ['1ZS2STEMPLATE1'] });
		ok(await n8n.execute(workflow.id));
		ok(await n8n.execute(workflow.id));
		expect(shopifyPackages(destination, `gid://shopify/Order/${order.id}`)).toEqual([expect.objectContaining({ numbers: ['1ZS2STEMPLATE1'], units: 3 })]);
		expect(smtp.mails).toHaveLength(0);
		// Polled again: nothing doubled.
		await pollOnce(workflow.id);
		expect(copiesOf(order.id)).toHaveLength(1);
		await n8n.unpublish(workflow.id);
	});

	it('two-way: a sale in each store in the same cycle is kept on both sides, and destination orders take no stock in the source', async () => {
		const template = load('store-to-store-two-way.json');
		const [a, b] = shared.slice(2);
		setStock(source, a, 20);
		setStock(source, b, 10);
		const workflow = { ...template, id: workflowId('s2s2w'), active: false };
		await n8n.importWorkflows([workflow as never]);
		ok(await n8n.execute(workflow.id));
		expect([stock(destination, a), stock(destination, b)]).toEqual([20, 10]);

		// A buyer takes 3 of A in the destination store (Shopify reserves them); the source sells 2 of A itself.
		const order = sell([[a, 3]]);
		Object.assign(level(destination, a), { available: 17, committed: 3 });
		setStock(source, a, 18);
		// Switched on, the trigger pushes the order into the source store without taking stock there
		// (Inventory: Bypass): the stock sync carries that sale.
		await n8n.publish(workflow.id);
		await pollOnce(workflow.id);
		expect(copiesOf(order.id)).toHaveLength(1);
		expect(stock(source, a)).toBe(18);
		ok(await n8n.execute(workflow.id));
		expect([stock(source, a), stock(destination, a), stock(source, b), stock(destination, b)]).toEqual([15, 15, 10, 10]);
		const sourceWrites = () => source.log.filter((e) => /^Inventory(Set|Adjust)$/.test(e.label ?? '')).length;
		const before = sourceWrites();
		ok(await n8n.execute(workflow.id));
		expect(sourceWrites()).toBe(before);
	});
});
