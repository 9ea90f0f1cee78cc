/** Split Tax in real n8n: taxes that add up, channel tax kept, per-item errors and Continue On Fail. */
import { N8nInstance } from './harness/n8n';
import { UNDER_TEST, feedItems } from './harness/workflow';

const order = (number: string, lines: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({
	kind: 'order', channel: 'etsy', channelStoreId: 'shop', channelOrderId: number, channelOrderNumber: number,
	createdAt: '2026-03-01T10:00:00Z', currency: 'EUR', taxesIncluded: false,
	shippingAddress: { countryCode: 'DE' },
	shippingLines: [{ title: 'DHL', price: 490 }],
	lines: lines.map((l, i) => ({ channelLineId: String(i), title: `Line ${i}`, ...l })),
	...extra,
});

describe('Split Tax in real n8n', () => {
	let n8n: N8nInstance;
	beforeAll(() => {
		n8n = N8nInstance.create();
	});
	afterAll(() => n8n.dispose());

	const orders = [
		order('A-1', [{ sku: 'MUG', quantity: 3, unitPrice: 1190 }, { sku: 'CAP', quantity: 1, unitPrice: 2380 }]),
		order('A-2', [{ sku: 'MUG', quantity: 1, unitPrice: 1000, taxLines: [{ title: 'Channel VAT', ratePercent: '19', amount: 160 }] }]),
		order('A-3', [{ sku: 'MUG', quantity: 1, unitPrice: 1000 }], { shippingAddress: { countryCode: 'FR' } }),
	];
	const parameters = {
		mode: 'applyRate', rate: 20, label: 'VAT', pricesIncludeTax: true, addShippingTax: true,
		ratesByCountry: { country: [{ country: 'DE', rate: 19, label: 'MwSt' }] },
	};

	it('splits tax out of gross prices so that line, shipping and order tax agree to the cent', async () => {
		const result = await n8n.runWorkflow(feedItems('split tax', orders, { type: 'splitTax', parameters }));
		expect(result.ok).toBe(true);
		const [a1, a2, a3] = result.json(UNDER_TEST) as Array<Record<string, any>>;
		// 35.70 + 23.80 + 4.90 shipping = 64.40 gross at 19% → 10.28 tax
		expect(a1.totals).toEqual({ subtotal: 5950, discount: 0, shipping: 490, fees: 0, tax: 1028, total: 6440 });
		const parts = [...a1.lines, ...a1.shippingLines].map((l: any) => l.taxLines[0].amount);
		expect(parts.reduce((s: number, x: number) => s + x, 0)).toBe(1028);
		expect(a1.lines[0].taxLines[0]).toEqual({ title: 'MwSt', ratePercent: '19', amount: 570, collector: 'seller' });
		expect(a1.taxDecision).toBe('19% MwSt included: 1028 of 6440');
		expect(a2.taxDecision).toBe('kept channel tax');
		expect(a2.lines[0].taxLines).toEqual([{ title: 'Channel VAT', ratePercent: '19', amount: 160, collector: 'seller' }]);
		expect(a3.taxDecision).toBe('20% VAT included: 248 of 1490');
		expect(result.output(UNDER_TEST).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	const bad = [...orders, order('B-1', [{ sku: 'X', quantity: 1, unitPrice: 100 }], { currency: 'EURO' }), order('B-2', [{ sku: 'Y', quantity: 0, unitPrice: 100 }])];

	it('without Continue On Fail, a bad order fails the run naming it and the field', async () => {
		const result = await n8n.runWorkflow(feedItems('split tax bad', bad, { type: 'splitTax', parameters }));
		expect(result.ok).toBe(false);
		expect(result.error?.message).toBe('order B-1 (item 3): currency "EURO" is not an ISO 4217 currency code');
	});

	it('with Continue On Fail, bad orders become error items and the others are split', async () => {
		const result = await n8n.runWorkflow(feedItems('split tax tolerant', bad, { type: 'splitTax', parameters, continueOnFail: true }));
		expect(result.ok).toBe(true);
		const out = result.output(UNDER_TEST);
		expect(out.map((i) => i.json.error ?? i.json.taxDecision)).toEqual([
			'19% MwSt included: 1028 of 6440',
			'kept channel tax',
			'20% VAT included: 248 of 1490',
			'order B-1 (item 3): currency "EURO" is not an ISO 4217 currency code',
			'order B-2 (item 4): lines[0].quantity 0 is not a positive whole quantity',
		]);
		expect(out[4]).toMatchObject({ pairedItem: { item: 4 }, json: { description: 'Fix: give the number of units ordered, 1 or more.' } });
	});
});
