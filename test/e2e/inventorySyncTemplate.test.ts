/**
 * The inventory-sync template, imported as a user would and run by its "Sync Stock Now" trigger in real n8n:
 * Shopify main store → Apply Inventory Rules → WooCommerce channel. Checked on the channel simulator's
 * stock against the rules applied to the main store's, a second run writing nothing, one change in the
 * main store written alone, and a listing that cannot take stock emailed while the rest are written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateCredentials } from './harness/fixtures';
import { N8nInstance } from './harness/n8n';
import { workflowId } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { startSmtpSink } from '../support/smtpSink';
import type { SmtpSink } from '../support/smtpSink';

type Json = Record<string, any>;

describe('inventory-sync template in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let smtp: SmtpSink;
	let shared: string[];

	const mainTotal = (sku: string) => {
		const variant = shopify.store.variants.find((v) => v.sku === sku)!;
		return shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).reduce((s, l) => s + l.available, 0);
	};
	const wooStock = (sku: string) => woo.store.products.find((p) => p.sku === sku)?.stock_quantity;
	/** The template's rules: all the stock, 0 at or below 2. */
	const rule = (q: number) => (q <= 2 ? 0 : q);

	beforeAll(async () => {
		woo = await startWooSimulator({ orders: 0, products: 30, seed: 191 });
		shopify = await startShopifySimulator({ orders: 0, products: 6, seed: 192, locations: 2, restoreRate: 1000, bucketSize: 20000 });
		const simple = woo.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku);
		shared = simple.slice(0, 8).map((p) => p.sku);
		shared.forEach((sku, i) => {
			shopify.store.variants[i].sku = sku;
		});
		// One main-store quantity at the buffer, one just above it.
		const [low, edge] = shared;
		for (const [sku, total] of [[low, 2], [edge, 3]] as const) {
			const variant = shopify.store.variants.find((v) => v.sku === sku)!;
			shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).forEach((l, i) => {
				l.available = i === 0 ? total : 0;
				l.onHand = l.available + l.committed;
			});
		}
		// The channel lists one SKU on an external product: it cannot take stock.
		const external = woo.store.products.find((p) => p.type === 'external')!;
		external.sku = shopify.store.variants[8].sku as string;
		woo.store.changed();
		smtp = await startSmtpSink();
		n8n = N8nInstance.create();
		await n8n.importCredentials(templateCredentials(shopify, woo, smtp.port));
	});
	afterAll(async () => {
		n8n?.dispose();
		await Promise.all([shopify?.close(), woo?.close(), smtp?.close()]);
	});

	it('sets the channel to the rules applied to the main store, writes nothing when nothing changed, one change alone, and emails what cannot take stock', async () => {
		const template = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'inventory-sync.json'), 'utf8')) as Json;
		expect(template.settings.errorWorkflow).toBe('CommerceSyncErrs');
		const workflow = { ...template, id: workflowId('invsync'), active: false };
		await n8n.importWorkflows([workflow as never]);
		const writes = () => woo.log.filter((e) => e.method !== 'GET').length;
		const editor = await n8n.start();
		const run = async () => {
			const execution = await n8n.finished(workflow.id, await n8n.runFromEditor(editor, workflow.id, 'Sync Stock Now', 'trigger'));
			expect([execution.status, execution.run.data.resultData.error?.message]).toEqual(['success', undefined]);
			return execution;
		};
		try {
			await run();
			expect(shared.map((sku) => [sku, wooStock(sku)])).toEqual(shared.map((sku) => [sku, rule(mainTotal(sku))]));
			expect([wooStock(shared[0]), wooStock(shared[1])]).toEqual([0, 3]);
			// The listing that cannot take stock is emailed with its reason, once per run.
			expect(smtp.mails).toHaveLength(1);
			expect(smtp.mails[0].data.replace(/=\r?\n/g, '')).toMatch(/1 listing\(s\) could not take their stock[\s\S]*external product cannot have stock/);

			const before = writes();
			await run();
			expect(writes()).toBe(before);

			// One change in the main store: only that listing is written.
			const changed = shared[4];
			const variant = shopify.store.variants.find((v) => v.sku === changed)!;
			const level = shopify.store.inventoryLevels.find((l) => l.inventoryItemId === variant.inventoryItemId)!;
			level.available += 7;
			level.onHand += 7;
			const again = writes();
			const execution = await run();
			expect(writes() - again).toBe(1);
			expect(wooStock(changed)).toBe(rule(mainTotal(changed)));
			const done = ((execution.run.data.resultData.runData['Update Channel Inventory'][0].data?.main[0] ?? []) as Array<{ json: Json }>).map((i) => i.json);
			expect(done.filter((j) => j.action === 'updated').map((j) => j.sku)).toEqual([changed]);
		} finally {
			await editor.stop();
		}
	});
});
