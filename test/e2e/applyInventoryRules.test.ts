/** Apply Inventory Rules in real n8n: quantities, traces, bundles, per-item errors and Continue On Fail. */
import { N8nInstance } from './harness/n8n';
import { UNDER_TEST, feedItems } from './harness/workflow';

describe('Apply Inventory Rules in real n8n', () => {
	let n8n: N8nInstance;
	beforeAll(() => {
		n8n = N8nInstance.create();
	});
	afterAll(() => n8n.dispose());

	const stock = [
		{ sku: 'MUG', quantity: 100, stockManaged: true, productStatus: 'active' },
		{ sku: 'CAP', quantity: 4, stockManaged: true, productStatus: 'active' },
		{ sku: 'GIFT', quantity: 0, stockManaged: false, productStatus: 'active' },
		{ sku: 'KIT', quantity: 0, bundleComponents: [{ sku: 'MUG', quantity: 2 }, { sku: 'CAP', quantity: 1 }] },
		{ sku: 'OLD', quantity: 30, productStatus: 'archived' },
		{ sku: 'VIP', quantity: 100, inventoryRule: { maximum: 3 } },
	];
	const parameters = {
		rules: { percentage: 50, maximum: 40, threshold: 5, fixedQuantity: 99 },
		overrides: { override: [{ sku: 'CAP', threshold: '2', percentage: '100' }] },
	};

	it('computes every channel quantity with its trace and links each output to its input', async () => {
		const result = await n8n.runWorkflow(feedItems('inventory rules', stock, { type: 'applyInventoryRules', parameters }));
		expect(result.ok).toBe(true);
		const out = result.output(UNDER_TEST);
		expect(out.map((i) => [i.json.sku, i.json.channelQuantity, i.json.listingStatus, i.json.ruleTrace])).toEqual([
			['MUG', 40, 'active', '100 → 50% → 50 → max 40 → 40'],
			['CAP', 4, 'active', '4'],
			['GIFT', 99, 'active', '0 → not stock-managed → fixed 99'],
			['KIT', 0, 'outOfStock', 'bundle min(MUG 100/2=50, CAP 4/1=4) → 4 → 50% → 2 → at or below threshold 5 → 0'],
			['OLD', 15, 'inactive', '30 → 50% → 15'],
			['VIP', 3, 'active', '100 → 50% → 50 → max 3 → 3'],
		]);
		expect(out.map((i) => i.pairedItem)).toEqual(stock.map((_, i) => ({ item: i })));
		// The input fields travel with the result.
		expect(out[0].json).toMatchObject({ sku: 'MUG', quantity: 100, mainStoreQuantity: 100 });
	});

	const withBad = [...stock, { sku: 'BROKEN', quantity: 'many' }, { sku: 'OVERSOLD', quantity: -3 }];

	it('without Continue On Fail, a bad item fails the run with the item, field and fix', async () => {
		const result = await n8n.runWorkflow(feedItems('inventory rules bad', withBad, { type: 'applyInventoryRules', parameters }));
		expect(result.ok).toBe(false);
		expect(result.error?.message).toBe('SKU BROKEN (item 6): quantity "many" is not a number');
	});

	it('with Continue On Fail, bad items become error items and the rest are computed', async () => {
		const result = await n8n.runWorkflow(feedItems('inventory rules tolerant', withBad, { type: 'applyInventoryRules', parameters, continueOnFail: true }));
		expect(result.ok).toBe(true);
		const out = result.output(UNDER_TEST);
		expect(out).toHaveLength(8);
		expect(out[6]).toMatchObject({ json: { error: 'SKU BROKEN (item 6): quantity "many" is not a number' }, pairedItem: { item: 6 } });
		expect(out[7].json.error).toBe('SKU OVERSOLD (item 7): quantity is -3: negative stock (oversold) on SKU OVERSOLD');
		expect(out[7].json.description).toMatch(/Treat as 0/);
		expect(out[0].json.channelQuantity).toBe(40);
	});

	it('impossible rules stop the run before any item, saying what to change', async () => {
		const result = await n8n.runWorkflow(
			feedItems('inventory rules impossible', stock, { type: 'applyInventoryRules', parameters: { rules: { minimum: 10, maximum: 5 } } }),
		);
		expect(result.ok).toBe(false);
		expect(result.error?.message).toBe('rules.minimum is 10, above the maximum 5: impossible rules');
	});
});
