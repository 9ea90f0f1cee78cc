/**
 * Secrets stay secret: after real n8n has read from and pushed to both simulators, with right and wrong
 * keys (the wrong WooCommerce secret sent in the query string, where a careless error would print the
 * URL), and the two-store nodes (Sync Tracking, Sync Inventory Both Ways) with both credentials, no secret appears in any node output, error, execution record, log line or anywhere in n8n's
 * database file except the encrypted credential store.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { N8nInstance } from './harness/n8n';
import type { ExecutionResult } from './harness/n8n';
import { credentialRef, shopifyCredential, wooCredential } from './harness/fixtures';
import { feedItems } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { channelOrder } from '../support/orders';
import { recordReliability } from '../support/reliability';

const SHOPIFY_TOKEN = 'shpat_e2eSecretToken7f3a9c21d';
const WOO_KEY = 'ck_e2eSecretKey0b81d44e';
const WOO_SECRET = 'cs_e2eSecretValue5c02aa91';
const WRONG_SECRET = 'cs_e2eWrongSecret9d17ef30';
const WRONG_TOKEN = 'shpat_e2eWrongToken44c0b7';
const SECRETS = [SHOPIFY_TOKEN, WOO_KEY, WOO_SECRET, WRONG_SECRET, WRONG_TOKEN];

describe('secrets in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;

	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 20, products: 6, seed: 71, restoreRate: 1000, bucketSize: 20000, accessToken: SHOPIFY_TOKEN });
		woo = await startWooSimulator({ orders: 20, products: 20, seed: 72, consumerKey: WOO_KEY, consumerSecret: WOO_SECRET });
		n8n = N8nInstance.create();
	});
	afterAll(async () => {
		n8n?.dispose();
		await shopify?.close();
		await woo?.close();
	});

	it('never shows a token or consumer secret in outputs, errors, logs or the database', async () => {
		const shop = shopifyCredential('secretShopCred01', 'Shopify', shopify);
		const shopWrong = { ...shopifyCredential('secretShopBad001', 'Shopify wrong token', shopify), data: { store: shopify.url, accessToken: WRONG_TOKEN, apiVersion: '2026-10' } };
		const wooRight = wooCredential('secretWooCred001', 'WooCommerce', woo, { keysIn: 'query' });
		const wooWrong = wooCredential('secretWooBad0001', 'WooCommerce wrong secret', woo, { keysIn: 'query', consumerSecret: WRONG_SECRET });
		await n8n.importCredentials([shop, shopWrong, wooRight, wooWrong]);
		const fetch = (channel: string, credential: typeof shop) => ({
			type: 'fetchChannelOrders', parameters: { channel, by: 'updated', range: 'since', since: '2000-01-01T00:00:00Z', options: { includeRaw: true } }, credentials: credentialRef(credential),
		});
		const push = (mainStore: string, credential: typeof shop) => ({ type: 'pushOrderToMainStore', parameters: { mainStore, unlinked: 'customLines' }, credentials: credentialRef(credential) });
		// The two-store nodes hold a channel and a main-store credential at once.
		const track = (wooCred: typeof shop) => ({
			type: 'syncTracking', credentials: { ...credentialRef(wooCred), ...credentialRef(shop) },
			parameters: { channel: 'woocommerce', mainStore: 'shopify', direction: 'channelToMain', orders: 'changed', lookBackHours: 24 * 365 * 30, notifyCustomer: false, markCompleted: true, dryRun: true },
		});
		const bothWays = (shopCred: typeof shop) => ({
			type: 'syncInventoryBothWays', credentials: { ...credentialRef(shopCred), ...credentialRef(wooRight) },
			parameters: { channel: 'shopify', mainStore: 'woocommerce', channelLocation: '', matchBy: 'sku', dryRun: true, options: {} },
		});
		const stock = { sku: 'SKU-1-1', quantity: 5, mainStoreQuantity: 5, channelQuantity: 5, stockManaged: true, locations: [{ locationId: 'woo', locationName: 'WooCommerce', quantity: 5 }] };
		const order = channelOrder([{ sku: 'SKU-1-1', quantity: 1, unitPrice: 1000 }]);
		const runs: ExecutionResult[] = [];
		for (const [name, node] of [
			['fetch shopify', fetch('shopify', shop)], ['fetch woo', fetch('woocommerce', wooRight)],
			['fetch shopify wrong', fetch('shopify', shopWrong)], ['fetch woo wrong', fetch('woocommerce', wooWrong)],
			['push shopify', push('shopify', shop)], ['push woo', push('woocommerce', wooRight)],
			['push shopify wrong', push('shopify', shopWrong)], ['push woo wrong', push('woocommerce', wooWrong)],
			['track', track(wooRight)], ['track wrong', track(wooWrong)],
			['both ways', bothWays(shop)], ['both ways wrong', bothWays(shopWrong)],
		] as const) {
			runs.push(await n8n.runWorkflow(feedItems(name, [name.startsWith('both') ? stock : order], node)));
		}
		// The runs did what they should: reads and pushes with good keys, the platforms' refusals with bad ones.
		expect(runs.map((r) => r.ok)).toEqual([true, true, false, false, true, true, false, false, true, false, true, false]);
		expect(runs[3].error?.message).toMatch(/consumer secret|signature|invalid/i);

		const leaks: string[] = [];
		for (const [i, run] of runs.entries()) {
			const text = `${run.stdout}\n${run.stderr}\n${JSON.stringify(run.run ?? {})}`;
			for (const secret of SECRETS) if (text.includes(secret)) leaks.push(`run ${i}: ${secret}`);
		}
		// Everything n8n stored: executions, workflows, static data, the event log; credentials are encrypted.
		const folder = join(n8n.userFolder, '.n8n');
		const stored = (readdirSync(folder, { recursive: true }) as string[]).flatMap((file) => {
			try {
				return [{ file, bytes: readFileSync(join(folder, file)) }];
			} catch {
				return [];
			}
		});
		for (const { file, bytes } of stored) for (const secret of SECRETS) if (bytes.includes(secret)) leaks.push(`${file}: ${secret}`);
		expect(leaks).toEqual([]);
		// The scan reads what n8n stored in plain text: the workflows' names and the orders it read are there.
		expect(stored.some(({ bytes }) => bytes.includes('fetch woo wrong'))).toBe(true);
		expect(stored.some(({ bytes }) => bytes.includes(order.channelOrderId))).toBe(true);
		recordReliability({
			id: 'secrets',
			title: 'Secrets: tokens and consumer secrets, right and wrong, never in outputs, errors, logs or n8n\'s database',
			test: 'test/e2e/secrets.test.ts',
			summary: { processed: runs.length },
			figures: [
				{ name: 'runs scanned (reads, pushes, two-store nodes; right and wrong keys)', value: runs.length, note: `${runs.filter((r) => !r.ok).length} of them refused by the store` },
				{ name: 'files in n8n\'s folder scanned (database, logs, event log)', value: stored.length, note: `${stored.reduce((n, f) => n + f.bytes.length, 0).toLocaleString('en')} bytes` },
				{ name: 'secrets found', value: leaks.length, must: '0', note: `${SECRETS.length} secrets looked for; the encrypted credential store holds them encrypted` },
			],
			notes: ['Queue mode (PostgreSQL, Redis, worker logs) is scanned by the queue-mode scenario above.'],
		});
	});
});
