/**
 * The inventory-sync template, imported as a user would (`n8n import:workflow`) in real n8n: Shopify main
 * store → Apply Inventory Rules → WooCommerce channel. Clicked in the editor ("Sync Stock Now", which
 * always reads all the stock): the channel simulator's stock equals the rules applied to the main store's,
 * a second click writes nothing, a listing that cannot take stock is emailed while the rest are written.
 * Run as the schedule runs it (`n8n execute`: not a manual run, so n8n keeps Only Changed's cursor): a
 * quiet run reads no stock and writes nothing, one main-store change is read and written alone. And the
 * template itself names its credentials only and holds no secret.
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
	const load = () => JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'inventory-sync.json'), 'utf8')) as Json;
	const wooWrites = () => woo.log.filter((e) => e.method !== 'GET').length;

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

	it('clicked in the editor: sets the channel to the rules applied to the main store, writes nothing when nothing changed, one change alone, and emails what cannot take stock', async () => {
		const template = load();
		expect(template.settings.errorWorkflow).toBe('CommerceSyncErrs');
		const workflow = { ...template, id: workflowId('invsync'), active: false };
		await n8n.importWorkflows([workflow as never]);
		const writes = wooWrites;
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

			// One change in the main store: a click reads all the stock (the editor keeps no cursor: a full
			// check, as the Setup note says) and writes only that listing.
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
			expect(execution.run.data.resultData.runData['Main Store Stock'][0].data?.main[0]).toHaveLength(shopify.store.variants.filter((v) => v.sku).length);
		} finally {
			await editor.stop();
		}
	});

	it('run as the schedule runs it: a quiet run reads no stock and writes nothing; one main-store change is read alone and reaches the channel', async () => {
		// `n8n execute` starts at the Manual Trigger in "cli" mode; n8n keeps static data (Only Changed's
		// cursor) for every mode but a manual editor run, so this runs the template as its schedule does.
		const workflow = { ...load(), id: workflowId('invsyncsched'), active: false };
		await n8n.importWorkflows([workflow as never]);
		const ok = (r: ExecutionResult) => {
			if (!r.ok) throw new Error(`run failed: ${r.error?.message ?? r.stderr.slice(-1500)}`);
			return r;
		};
		const read = (r: ExecutionResult) => r.json('Main Store Stock').map((j) => j.sku);
		// Someone changed two listings on the channel by hand: the first run reads all the stock and puts them right.
		for (const sku of [shared[2], shared[3]]) woo.store.products.find((p) => p.sku === sku)!.stock_quantity = 99;
		woo.store.changed();
		const first = ok(await n8n.execute(workflow.id));
		expect(read(first).sort()).toEqual(shopify.store.variants.map((v) => v.sku).filter(Boolean).sort());
		expect(shared.map((sku) => [sku, wooStock(sku)])).toEqual(shared.map((sku) => [sku, rule(mainTotal(sku))]));
		expect(await n8n.staticData(workflow.id)).toMatchObject({ 'node:Main Store Stock': { since: expect.any(Object) } });

		const quiet = wooWrites();
		const mails = smtp.mails.length;
		expect(read(ok(await n8n.execute(workflow.id)))).toEqual([]);
		expect([wooWrites(), smtp.mails.length]).toEqual([quiet, mails]);

		// A stock count in the main store (Shopify moves the level's updated_at): only that variant is read and written.
		const changed = shared[5];
		const variant = shopify.store.variants.find((v) => v.sku === changed)!;
		const level = shopify.store.inventoryLevels.find((l) => l.inventoryItemId === variant.inventoryItemId)!;
		Object.assign(level, { available: level.available + 5, onHand: level.onHand + 5, updatedAt: new Date().toISOString() });
		const third = ok(await n8n.execute(workflow.id));
		expect(read(third)).toEqual([changed]);
		expect(wooWrites() - quiet).toBe(1);
		expect(wooStock(changed)).toBe(rule(mainTotal(changed)));
		expect(third.json('Update Channel Inventory').map((j) => [j.sku, j.action, j.after])).toEqual([[changed, 'updated', rule(mainTotal(changed))]]);
		expect(smtp.mails.length).toBe(mails);
	});

	it('is a template a shop owner can import: our nodes, credentials named not stored, no Start node, no secrets, notes that match its rules', () => {
		const template = load();
		const text = JSON.stringify(template);
		const placeholders = new Set(templateCredentials(shopify, woo, smtp.port).map((c) => c.id));
		for (const node of template.nodes as Json[]) {
			expect([node.name, String(node.type).split('.')[0]]).toEqual([node.name, expect.stringMatching(/^n8n-nodes-(commerce-sync|base)$/)]);
			expect(node.type).not.toBe('n8n-nodes-base.start');
			for (const ref of Object.values((node.credentials ?? {}) as Record<string, Json>)) {
				expect([node.name, Object.keys(ref).sort(), placeholders.has(ref.id)]).toEqual([node.name, ['id', 'name'], true]);
			}
		}
		expect((template.nodes as Json[]).filter((n) => String(n.type).startsWith('n8n-nodes-commerce-sync.')).map((n) => n.type).sort()).toEqual([
			'n8n-nodes-commerce-sync.applyInventoryRules', 'n8n-nodes-commerce-sync.getMainStoreInventory', 'n8n-nodes-commerce-sync.updateChannelInventory',
		]);
		// Nothing secret-shaped: Shopify tokens, WooCommerce keys, the simulators' own keys, passwords.
		for (const secret of [shopify.accessToken, woo.consumerKey, woo.consumerSecret]) expect(text).not.toContain(secret);
		expect(text).not.toMatch(/shp(at|ca|pa|ss)_|\b(ck|cs)_[0-9a-f]{8,}|"(password|accessToken|consumerKey|consumerSecret|apiKey|token)"\s*:/i);
		// The sticky notes explain the rules the template really applies.
		const rules = (template.nodes as Json[]).find((n) => n.type === 'n8n-nodes-commerce-sync.applyInventoryRules')!.parameters;
		const notes = (template.nodes as Json[]).filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => String(n.parameters.content)).join('\n');
		expect(notes).toContain(`**Percentage ${String(rules.rules.percentage)}**`);
		expect(notes).toContain(`**Out-of-Stock Threshold ${String(rules.rules.threshold)}**`);
		expect(notes).toContain(`**Keep Listing Active ${rules.keepListingActive ? 'on' : 'off'}**`);
		expect(notes).toMatch(/one \*\*Update Channel Inventory\*\* per channel/);
	});
});
