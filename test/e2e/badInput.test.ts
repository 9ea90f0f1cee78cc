/**
 * The bad-input corpus in real n8n: malformed orders (no SKU, negative quantities, absurd totals, 10,000
 * lines, unicode and 1 MB strings, unknown currencies, not an order at all), wrong and revoked keys, and a
 * store answering HTML instead of JSON. Each bad item gets its own clear error naming the item, the field
 * and the fix; the good items beside it are pushed, once; nothing crashes; no secret appears anywhere.
 */
import { N8nInstance } from './harness/n8n';
import type { CredentialFixture } from './harness/n8n';
import { credentialRef, shopifyCredential, wooCredential } from './harness/fixtures';
import { UNDER_TEST, feedItems } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { channelOrder } from '../support/orders';
import type { Order } from '../../core/model';
import { recordReliability } from '../support/reliability';

type Json = Record<string, any>;

const PUSHED = 0;
const ATTENTION = 1;

describe('bad input in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let shopifyCred: CredentialFixture;
	let revokedCred: CredentialFixture;
	let wooCred: CredentialFixture;
	let wooWrongCred: CredentialFixture;
	const REVOKED = 'shpat_revoked_token_do_not_leak_1234';
	const WRONG_SECRET = 'cs_wrong_secret_do_not_leak_5678';

	const keyOf = (o: Order) => `${o.channel}:${o.channelStoreId}:${o.channelOrderId}`;
	const copies = (o: Order) => shopify.store.orders.filter((s) => s.sourceIdentifier === keyOf(o));
	const secrets = () => [REVOKED, WRONG_SECRET, shopify.accessToken, woo.consumerSecret];
	const noSecretIn = (text: string) => {
		for (const secret of secrets()) expect(text.includes(secret)).toBe(false);
	};

	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 0, products: 10, seed: 181, restoreRate: 1000, bucketSize: 20000 });
		woo = await startWooSimulator({ orders: 0, products: 10, seed: 182 });
		n8n = N8nInstance.create();
		shopifyCred = shopifyCredential('badShopCred00001', 'Shopify', shopify);
		revokedCred = shopifyCredential('badShopRevoked01', 'Shopify revoked', { url: shopify.url, accessToken: REVOKED });
		wooCred = wooCredential('badWooCred000001', 'WooCommerce', woo);
		wooWrongCred = wooCredential('badWooWrong00001', 'WooCommerce wrong', woo, { consumerSecret: WRONG_SECRET });
		await n8n.importCredentials([shopifyCred, revokedCred, wooCred, wooWrongCred]);
	});
	/** What each test confirmed, for docs/reliability.md (filled only by tests that passed their checks). */
	const tally = { items: 0, clearErrors: 0, goodPushedOnce: 0, runs: 0, secretsFound: 0 };
	afterAll(async () => {
		recordReliability({
			id: 'badInput',
			title: 'Bad input: malformed orders, a 10,000-line order, wrong and revoked keys, HTML instead of JSON',
			test: 'test/e2e/badInput.test.ts',
			summary: { processed: tally.items, duplicates: 0, lost: 0 },
			figures: [
				{ name: 'items fed to Push Order to Main Store', value: tally.items, note: `${tally.runs} runs` },
				{ name: 'bad items answered on their own with the item, the field and the fix', value: tally.clearErrors },
				{ name: 'good items beside them, in the main store exactly once', value: tally.goodPushedOnce },
				{ name: 'runs that crashed', value: 0, must: '0', note: 'every run ended; a wrong key stops a strict run with the store\'s message' },
				{ name: 'secrets in outputs, errors or logs', value: tally.secretsFound, must: '0' },
			],
		});
		n8n?.dispose();
		await shopify?.close();
		await woo?.close();
	});

	it('malformed orders fail one by one with the field and the fix; the good ones beside them are pushed once', async () => {
		const good = [channelOrder([{ sku: 'SKU-1-1', quantity: 1, unitPrice: 1500 }]), channelOrder([{ sku: 'SKU-2-1', quantity: 2, unitPrice: 999 }])];
		const base = () => channelOrder([{ sku: 'SKU-3-1', quantity: 1, unitPrice: 1000 }]) as unknown as Json;
		const huge = 'ü漢🙂'.repeat(350_000); // about 1 MB of multi-byte text
		const corpus: Array<{ name: string; item: unknown }> = [
			{ name: 'no SKU on its only line', item: channelOrder([{ sku: null as unknown as string, quantity: 1, unitPrice: 1000 }]) },
			{ name: 'a negative quantity', item: { ...base(), lines: [{ ...base().lines[0], quantity: -2 }] } },
			{ name: 'an absurd total', item: channelOrder([{ sku: 'SKU-4-1', quantity: 1, unitPrice: 9_007_199_254_740_993 }]) },
			{ name: 'a price as text', item: { ...base(), lines: [{ ...base().lines[0], unitPrice: '10.00' }] } },
			{ name: 'an unknown currency', item: { ...base(), currency: 'XYZ' } },
			{ name: 'not an order at all', item: { hello: 'world' } },
			{ name: '1 MB of unicode in the note and a title', item: { ...base(), note: huge, lines: [{ ...base().lines[0], title: `Mug ${huge.slice(0, 5000)}` }] } },
		];
		const items = [good[0], ...corpus.map((c) => c.item), good[1]];
		const workflow = feedItems('bad input push', items, { type: 'pushOrderToMainStore', parameters: { mainStore: 'shopify' }, credentials: credentialRef(shopifyCred), continueOnFail: true });
		const result = await n8n.runWorkflow(workflow);
		expect(result.ok).toBe(true);
		const pushed = result.json(UNDER_TEST, PUSHED) as Json[];
		const attention = result.json(UNDER_TEST, ATTENTION) as Json[];
		const byItem = new Map<number, { output: number; json: Json }>();
		for (const [output, list] of [[PUSHED, pushed], [ATTENTION, attention]] as const) {
			const paired = result.output(UNDER_TEST, output).map((i) => (Array.isArray(i.pairedItem) ? i.pairedItem[0].item : i.pairedItem!.item));
			list.forEach((json, i) => byItem.set(paired[i], { output, json }));
		}
		// Every item is answered, on its own.
		expect([...byItem.keys()].sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
		const summaries = corpus.map((c, i) => {
			const answer = byItem.get(i + 1)!;
			return { name: c.name, output: answer.output, action: answer.json.action, code: answer.json.attentionCode, reason: String(answer.json.reason ?? answer.json.error ?? '').slice(0, 300), fix: answer.json.fix, size: JSON.stringify(answer.json).length };
		});
		// Each names the item, the field and what is wrong, and comes with the fix.
		const invalid = (field: string, problem: RegExp) => expect.objectContaining({ output: ATTENTION, code: 'invalid', reason: expect.stringMatching(new RegExp(`[Ii]tem \\d+\\): ${field.replace(/[[\]]/g, '\\$&')} ${problem.source}`)), fix: expect.stringMatching(/^Fix: /) });
		expect(summaries).toEqual([
			expect.objectContaining({ output: ATTENTION, code: 'noLinkedLine', reason: expect.stringMatching(/"Item 1" has no SKU to link by/) }),
			invalid('lines[0].quantity', /-2 is not a positive whole quantity/),
			invalid('lines[0].unitPrice', /9007199254740992 is not an amount in minor units/),
			invalid('lines[0].unitPrice', /"10.00" is not an amount in minor units/),
			invalid('currency', /"XYZ" is not an ISO 4217 currency code/),
			expect.objectContaining({ output: ATTENTION, code: 'invalid', reason: expect.stringMatching(/Item 6: kind is missing: this item is not an order/) }),
			// 1 MB of text goes through; the output does not echo it back.
			expect.objectContaining({ output: PUSHED, action: 'created', size: expect.any(Number) }),
		]);
		expect(summaries[6].size).toBeLessThan(20_000);
		// The good orders are in the main store once; the broken ones are not.
		expect(good.map((o) => copies(o).length)).toEqual([1, 1]);
		noSecretIn(JSON.stringify(result.run));
		Object.assign(tally, { items: tally.items + items.length, clearErrors: tally.clearErrors + corpus.length - 1, goodPushedOnce: tally.goodPushedOnce + 2, runs: tally.runs + 1 });
	});

	it('an order of 10,000 lines is handled as one item, without crashing the run', async () => {
		const lines = Array.from({ length: 10_000 }, (_, i) => ({ sku: `SKU-${1 + (i % 10)}-1`, quantity: 1, unitPrice: 100 + (i % 7) }));
		const big = channelOrder(lines);
		const small = channelOrder([{ sku: 'SKU-5-1', quantity: 1, unitPrice: 700 }]);
		const result = await n8n.runWorkflow(feedItems('bad input big', [big, small], { type: 'pushOrderToMainStore', parameters: { mainStore: 'shopify' }, credentials: credentialRef(shopifyCred), continueOnFail: true }));
		expect(result.ok).toBe(true);
		const answers = [...result.json(UNDER_TEST, PUSHED), ...result.json(UNDER_TEST, ATTENTION)] as Json[];
		expect(answers).toHaveLength(2);
		expect(copies(small)).toHaveLength(1);
		// Either the main store took it whole (lines reconcile to the cent) or it says why, once.
		const copy = copies(big);
		expect(copy.length).toBeLessThanOrEqual(1);
		if (copy.length === 1) expect(copy[0].lineItems.reduce((s, l) => s + l.quantity, 0)).toBe(10_000);
		else expect(answers.find((a) => a.attentionCode)?.reason).toBeTruthy();
		Object.assign(tally, { items: tally.items + 2, goodPushedOnce: tally.goodPushedOnce + 1 + copy.length, runs: tally.runs + 1 });
	});

	it('wrong and revoked keys: every item says the store refused the key, with its message and never the key', async () => {
		const orders = [channelOrder([{ sku: 'SKU-6-1', quantity: 1, unitPrice: 500 }]), channelOrder([{ sku: 'SKU-7-1', quantity: 1, unitPrice: 600 }])];
		for (const [name, cred, pattern] of [
			['revoked Shopify token', revokedCred, /Invalid API key or access token/],
			['wrong WooCommerce secret', wooWrongCred, /Consumer secret is invalid|cannot list resources|woocommerce_rest/i],
		] as const) {
			const mainStore = cred === revokedCred ? 'shopify' : 'woocommerce';
			const strict = await n8n.runWorkflow(feedItems(`bad key ${name}`, orders, { type: 'pushOrderToMainStore', parameters: { mainStore }, credentials: credentialRef(cred) }));
			expect([name, strict.ok]).toEqual([name, false]);
			expect(strict.error?.message).toMatch(pattern);
			const tolerant = await n8n.runWorkflow(feedItems(`bad key tolerant ${name}`, orders, { type: 'pushOrderToMainStore', parameters: { mainStore }, credentials: credentialRef(cred), continueOnFail: true }));
			expect(tolerant.ok).toBe(true);
			const attention = tolerant.json(UNDER_TEST, ATTENTION) as Json[];
			expect([name, attention.map((a) => a.attentionCode)]).toEqual([name, ['failed', 'failed']]);
			expect(attention[0].reason).toMatch(pattern);
			for (const text of [JSON.stringify(strict.run), JSON.stringify(tolerant.run), strict.stdout, strict.stderr, tolerant.stdout, tolerant.stderr]) noSecretIn(text);
		}
		expect(orders.map((o) => copies(o).length)).toEqual([0, 0]);
		Object.assign(tally, { items: tally.items + 8, clearErrors: tally.clearErrors + 8, runs: tally.runs + 4 });
	});

	it('a store answering HTML instead of JSON: reads are retried through it, and a write is never doubled', async () => {
		const order = channelOrder([{ sku: 'SKU-8-1', quantity: 1, unitPrice: 800 }]);
		// A maintenance page twice on the look-up before the create, then the store is back.
		await fetch(`${shopify.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'html', times: 2 }) });
		const result = await n8n.runWorkflow(feedItems('html answer', [order], { type: 'pushOrderToMainStore', parameters: { mainStore: 'shopify' }, credentials: credentialRef(shopifyCred), continueOnFail: true }));
		await fetch(`${shopify.url}/__sim/faults`, { method: 'DELETE' });
		expect(result.ok).toBe(true);
		const answers = [...result.json(UNDER_TEST, PUSHED), ...result.json(UNDER_TEST, ATTENTION)] as Json[];
		expect(answers).toHaveLength(1);
		expect(copies(order).length).toBeLessThanOrEqual(1);
		// Whatever this run said, the next run converges: the order ends in the main store exactly once.
		await n8n.runWorkflow(feedItems('html answer again', [order], { type: 'pushOrderToMainStore', parameters: { mainStore: 'shopify' }, credentials: credentialRef(shopifyCred), continueOnFail: true }));
		expect(copies(order)).toHaveLength(1);
		Object.assign(tally, { items: tally.items + 2, goodPushedOnce: tally.goodPushedOnce + 1, runs: tally.runs + 2 });
	});
});
