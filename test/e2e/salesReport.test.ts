/**
 * Sales Report in real n8n: orders in the model go in, one report comes out with counts, totals and top
 * products that match the input exactly, a chart that parses as SVG with one series per channel, and an
 * HTML table.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { N8nInstance } from './harness/n8n';
import { UNDER_TEST, feedItems } from './harness/workflow';

function order(channel: string, id: string, createdAt: string, currency: string, lines: Array<[string, number, number]>, status = 'open') {
	return {
		kind: 'order', channel, channelStoreId: `${channel}-store`, channelOrderId: id, channelOrderNumber: `#${id}`,
		createdAt, updatedAt: createdAt, status, financialStatus: 'paid', fulfillmentStatus: 'unfulfilled', currency,
		taxesIncluded: false,
		lines: lines.map(([sku, quantity, unitPrice], i) => ({ channelLineId: String(i), sku, title: `Product ${sku}`, quantity, unitPrice })),
	};
}

describe('Sales Report in real n8n', () => {
	let n8n: N8nInstance;
	beforeAll(() => {
		n8n = N8nInstance.create();
	});
	afterAll(() => n8n.dispose());

	it('counts, totals per currency, top products and a chart with one series per channel', async () => {
		const orders = [
			order('woocommerce', '1', '2026-03-02T10:00:00Z', 'USD', [['MUG', 2, 1250], ['CAP', 1, 2000]]),
			order('woocommerce', '2', '2026-03-03T23:30:00Z', 'USD', [['MUG', 1, 1250]]), // 3 March in UTC, 4 March in Berlin
			order('shopify', '3', '2026-03-03T09:00:00Z', 'EUR', [['CAP', 3, 1800]]),
			order('shopify', '4', '2026-03-04T09:00:00Z', 'EUR', [['MUG', 1, 1100]], 'cancelled'),
			order('shopify', '5', '2026-02-20T09:00:00Z', 'EUR', [['OLD', 9, 100]]), // before the range
		];
		const result = await n8n.runWorkflow(
			feedItems('sales report', orders, {
				type: 'salesReport',
				parameters: { rangeType: 'custom', from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z', timeZone: 'Europe/Berlin', topProducts: 5 },
			}),
		);
		expect(result.ok).toBe(true);
		const [item] = result.output(UNDER_TEST);
		const report = item.json as Record<string, any>;
		expect(report.ordersCounted).toBe(3); // cancelled and out-of-range orders left out
		expect(report.channels).toEqual([
			{ channel: 'shopify', orders: 1, totals: { EUR: 5400 } },
			{ channel: 'woocommerce', orders: 2, totals: { USD: 5750 } },
		]);
		expect(report.topProducts.map((p: any) => [p.sku, p.units, p.revenue])).toEqual([
			['CAP', 4, { EUR: 5400, USD: 2000 }],
			['MUG', 3, { USD: 3750 }],
		]);
		expect(report.daily.map((d: any) => [d.date, d.channel, d.orders])).toEqual([
			['2026-03-02', 'woocommerce', 1],
			['2026-03-03', 'shopify', 1],
			['2026-03-04', 'woocommerce', 1],
		]);
		expect(report.html).toContain('<table');
		expect(report.html).toContain('57.50 USD');
		// Every input item is linked to the report.
		expect(item.pairedItem).toEqual(orders.map((_, i) => ({ item: i })));
		const binary = (item as unknown as { binary: Record<string, { mimeType: string; fileName: string }> }).binary.chart;
		expect(binary).toMatchObject({ mimeType: 'image/svg+xml', fileName: 'sales-report.svg' });
		const svg = result.binary(item, 'chart').toString('utf8');
		expect(XMLValidator.validate(svg)).toBe(true);
		const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg);
		const series = [parsed.svg.g].flat().map((g: Record<string, string>) => g['@_data-channel']);
		expect(series).toEqual(['shopify', 'woocommerce']);
	});

	it('a bad item stops the run with a message naming it, unless Continue On Fail is on', async () => {
		const items = [order('shopify', '1', '2026-03-02T10:00:00Z', 'EUR', [['A', 1, 100]]), { channelOrderNumber: '#BAD', currency: 'EUR', lines: [{ quantity: -2, unitPrice: 5 }] }];
		const params = { rangeType: 'custom', from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z', timeZone: 'UTC' };
		const failed = await n8n.runWorkflow(feedItems('sales report bad', items, { type: 'salesReport', parameters: params }));
		expect(failed.ok).toBe(false);
		expect(failed.error?.message).toBe('order #BAD (item 1): lines[0].quantity -2 is not a positive whole quantity');
		const tolerant = await n8n.runWorkflow(feedItems('sales report tolerant', items, { type: 'salesReport', parameters: params, continueOnFail: true }));
		expect(tolerant.ok).toBe(true);
		const out = tolerant.output(UNDER_TEST);
		expect(out[0].json.ordersCounted).toBe(1);
		expect(out[1]).toMatchObject({ json: { error: 'order #BAD (item 1): lines[0].quantity -2 is not a positive whole quantity' }, pairedItem: { item: 1 } });
	});
});
