/** The benchmark sections. Each returns figures; add a section here to have it run and recorded. */
import { applyInventoryRules, DEFAULT_FIELDS } from '../core/inventoryRules';
import type { RuleConfig } from '../core/inventoryRules';
import { readOrder } from '../core/order';
import { readTaxRules, splitTax } from '../core/tax';
import { generatedItemsWorkflow, round, timeInN8n } from './harness';
import type { BenchSection } from './harness';
import { INVENTORY_SECTIONS } from './inventorySections';
import { MARKETPLACE_SECTIONS } from './marketplaceSections';
import { PUSH_SECTIONS } from './pushSections';
import { READ_SECTIONS } from './readSections';
import { TRACKING_SECTIONS } from './trackingSections';

export type { BenchFigure, BenchSection } from './harness';

const SALES_ORDER = `(i) => ({
	kind: 'order', channel: ['shopify', 'woocommerce', 'ebay'][i % 3], channelStoreId: 's', channelOrderId: String(i),
	channelOrderNumber: '#' + i, createdAt: new Date(Date.UTC(2026, 2, 1) + (i % 30) * 86400000 + (i % 86400) * 1000).toISOString(),
	status: 'open', financialStatus: 'paid', fulfillmentStatus: 'unfulfilled', currency: 'USD', taxesIncluded: false,
	lines: [
		{ channelLineId: '1', sku: 'SKU-' + (i % 500), title: 'Product ' + (i % 500), quantity: 1 + (i % 3), unitPrice: 1999 },
		{ channelLineId: '2', sku: 'SKU-' + (i % 37), title: 'Product ' + (i % 37), quantity: 1, unitPrice: 550 },
	],
})`;

/** Items per second of `work` over `count` items, best of 3 runs, with the heap growth of the last. */
function throughput(count: number, work: () => void): { perSecond: number; seconds: number; heapMb: number } {
	let best = Infinity;
	let heap = 0;
	for (let run = 0; run < 3; run++) {
		const before = process.memoryUsage().heapUsed;
		const start = process.hrtime.bigint();
		work();
		const seconds = Number(process.hrtime.bigint() - start) / 1e9;
		heap = (process.memoryUsage().heapUsed - before) / 2 ** 20;
		best = Math.min(best, seconds);
	}
	return { perSecond: Math.round(count / best), seconds: round(best, 3), heapMb: round(Math.max(0, heap), 0) };
}

const RULES: RuleConfig = {
	percentage: 80, rounding: 'down', maximum: 500, minimum: 1, threshold: 2, fixedQuantity: 99,
	keepListingActive: false, negativeQuantities: 'zero', overrides: {}, overrideField: 'inventoryRule', fields: DEFAULT_FIELDS,
};

const INVENTORY_ITEM = `(i) => ({ kind: 'inventory', sku: 'SKU-' + i, quantity: (i * 7919) % 1000, stockManaged: i % 10 !== 0, productStatus: 'active' })`;

export const SECTIONS: BenchSection[] = [
	{
		id: 'core-rules',
		title: 'Core: inventory rule evaluations (1,000,000 records)',
		async run() {
			const count = 1_000_000;
			const records = Array.from({ length: count }, (_, i) => ({ sku: `SKU-${i}`, quantity: (i * 7919) % 1000, stockManaged: i % 10 !== 0, productStatus: 'active' }));
			const t = throughput(count, () => {
				applyInventoryRules(records, RULES);
			});
			return [
				{ name: 'rule evaluations per second', value: t.perSecond, unit: '/s', goal: '≥ 1,000,000/s' },
				{ name: 'time for 1,000,000 records', value: t.seconds, unit: 's' },
				{ name: 'heap growth (results kept)', value: t.heapMb, unit: 'MB' },
				{ name: 'peak memory of the bench process so far', value: round(process.resourceUsage().maxRSS / 1024, 0), unit: 'MB' },
			];
		},
	},
	{
		id: 'core-tax',
		title: 'Core: tax splits (200,000 orders of 3 lines and shipping)',
		async run() {
			const count = 200_000;
			const rules = readTaxRules({ mode: 'applyRate', rate: '19', label: 'VAT', pricesIncludeTax: true, addShippingTax: true, overrideChannelTax: false });
			const orders = Array.from({ length: count }, (_, i) =>
				readOrder({
					channel: 'etsy', channelOrderId: String(i), currency: 'EUR', createdAt: '2026-03-01T00:00:00Z',
					lines: [1, 2, 3].map((k) => ({ sku: `S${k}`, quantity: k, unitPrice: 1000 + ((i * k) % 5000) })),
					shippingLines: [{ title: 'Post', price: 495 }],
				}),
			);
			const t = throughput(count, () => {
				for (const o of orders) splitTax(o, rules);
			});
			return [
				{ name: 'tax splits per second', value: t.perSecond, unit: '/s', goal: '≥ 200,000/s' },
				{ name: 'time for 200,000 orders', value: t.seconds, unit: 's' },
				{ name: 'peak memory of the bench process so far', value: round(process.resourceUsage().maxRSS / 1024, 0), unit: 'MB' },
			];
		},
	},
	{
		id: 'rules-n8n',
		title: 'Apply Inventory Rules: 50,000 items inside a real n8n execution',
		async run() {
			const count = 50_000;
			const t = await timeInN8n(
				generatedItemsWorkflow('bench inventory rules', count, INVENTORY_ITEM, {
					type: 'applyInventoryRules',
					parameters: { rules: { percentage: 80, maximum: 500, minimum: 1, threshold: 2, fixedQuantity: 99 }, negativeQuantities: 'zero' },
				}),
			);
			if (t.items !== count) throw new Error(`expected ${count} items out, got ${t.items}`);
			return [
				{ name: 'Apply Inventory Rules node time (n8n executionTime)', value: round(t.nodeMs / 1000), unit: 's', goal: '< 5 s beyond start-up' },
				{ name: 'whole n8n run incl. start-up and generating the items', value: round(t.wallMs / 1000, 1), unit: 's' },
				{ name: 'peak memory of the n8n process', value: t.peakRssMb, unit: 'MB' },
			];
		},
	},
	{
		id: 'sales-report-n8n',
		title: 'Sales Report: 100,000 orders inside a real n8n execution',
		async run() {
			const count = 100_000;
			const t = await timeInN8n(
				generatedItemsWorkflow('bench sales report', count, SALES_ORDER, {
					type: 'salesReport',
					parameters: { rangeType: 'custom', from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', timeZone: 'Europe/Berlin', topProducts: 10 },
				}),
			);
			return [
				{ name: 'orders', value: count, unit: '' },
				{ name: 'Sales Report node time (n8n executionTime)', value: round(t.nodeMs / 1000), unit: 's', goal: '< 2 s' },
				{ name: 'whole n8n run incl. start-up and generating the orders', value: round(t.wallMs / 1000, 1), unit: 's' },
				{ name: 'peak memory of the n8n process', value: t.peakRssMb, unit: 'MB' },
			];
		},
	},
	...READ_SECTIONS,
	...PUSH_SECTIONS,
	...INVENTORY_SECTIONS,
	...TRACKING_SECTIONS,
	...MARKETPLACE_SECTIONS,
];
