import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import type { Order } from '../../core/model';
import { readOrder } from '../../core/order';
import { renderChartSvg, renderHtml } from '../../core/reportRender';
import { buildSalesReport, resolveRange } from '../../core/salesReport';
import type { RangeType } from '../../core/salesReport';
import { itemError } from '../../glue/items';

export class SalesReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sales Report',
		name: 'salesReport',
		icon: 'file:salesReport.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["rangeType"] === "lastDays" ? "Last " + $parameter["days"] + " days" : $parameter["rangeType"] }}',
		description: 'What sold where: orders and totals per channel, top products, daily totals, a chart and an HTML table for email',
		defaults: { name: 'Sales Report' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Period',
				name: 'rangeType',
				type: 'options',
				options: [
					{ name: 'Last N Days', value: 'lastDays', description: 'Whole days, today included' },
					{ name: 'Today', value: 'today' },
					{ name: 'Yesterday', value: 'yesterday' },
					{ name: 'Custom Range', value: 'custom' },
				],
				default: 'lastDays',
			},
			{
				displayName: 'Days',
				name: 'days',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 7,
				displayOptions: { show: { rangeType: ['lastDays'] } },
			},
			{
				displayName: 'From',
				name: 'from',
				type: 'dateTime',
				default: '',
				required: true,
				displayOptions: { show: { rangeType: ['custom'] } },
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'dateTime',
				default: '',
				required: true,
				description: 'End of the range (exclusive)',
				displayOptions: { show: { rangeType: ['custom'] } },
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: 'Where days begin and end, as an IANA name. Empty uses the workflow\'s time zone.',
			},
			{
				displayName: 'Channels',
				name: 'channels',
				type: 'multiOptions',
				options: [
					{ name: 'Amazon', value: 'amazon' },
					{ name: 'eBay', value: 'ebay' },
					{ name: 'Etsy', value: 'etsy' },
					{ name: 'Shopify', value: 'shopify' },
					{ name: 'TikTok Shop', value: 'tiktokShop' },
					{ name: 'WooCommerce', value: 'woocommerce' },
				],
				default: [],
				description: 'Only orders from these channels. None selected: all.',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: [
					{ name: 'Open', value: 'open' },
					{ name: 'Completed', value: 'completed' },
					{ name: 'Cancelled', value: 'cancelled' },
				],
				default: ['open', 'completed'],
				description: 'Only orders in these statuses. None selected: all.',
			},
			{
				displayName: 'Split by Status',
				name: 'byStatus',
				type: 'boolean',
				default: false,
				description: 'Whether to break each channel\'s orders and totals down by order status',
			},
			{
				displayName: 'Top Products',
				name: 'topProducts',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 10,
				description: 'How many best-selling products (by units) to list',
			},
			{
				displayName: 'Convert to One Currency',
				name: 'convert',
				type: 'boolean',
				default: false,
				description: 'Whether to add up different currencies with exchange rates you give. Off: totals are kept per currency, never added across currencies.',
			},
			{
				displayName: 'Report Currency',
				name: 'reportCurrency',
				type: 'string',
				default: 'USD',
				displayOptions: { show: { convert: [true] } },
			},
			{
				displayName: 'Exchange Rates',
				name: 'rates',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add rate',
				displayOptions: { show: { convert: [true] } },
				description: 'Orders in a currency without a rate are left out and counted as skipped',
				options: [
					{
						displayName: 'Rate',
						name: 'rate',
						values: [
							{ displayName: 'Currency', name: 'currency', type: 'string', default: 'EUR' },
							{ displayName: 'Rate', name: 'rate', type: 'string', default: '1.08', description: 'Units of the report currency for 1 unit of this currency' },
						],
					},
				],
			},
			{
				displayName: 'Put Chart in Field',
				name: 'binaryProperty',
				type: 'string',
				default: 'chart',
				description: 'Binary field for the SVG chart (attach it in Send Email)',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const orders: Order[] = [];
		const errors: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				orders.push(readOrder(items[i].json, { allowMismatch: true }));
			} catch (error) {
				const failure = itemError(this, error, i, items[i].json, (json) => (json.channelOrderNumber ? `order ${String(json.channelOrderNumber)}` : undefined));
				if (!this.continueOnFail()) throw failure;
				errors.push({ json: { error: failure.message }, pairedItem: { item: i } });
			}
		}
		const timeZone = (this.getNodeParameter('timeZone', 0) as string) || this.getTimezone();
		const rangeType = this.getNodeParameter('rangeType', 0) as RangeType;
		const range = resolveRange(
			rangeType,
			Date.now(),
			timeZone,
			rangeType === 'lastDays' ? (this.getNodeParameter('days', 0) as number) : undefined,
			rangeType === 'custom' ? { from: this.getNodeParameter('from', 0) as string, to: this.getNodeParameter('to', 0) as string } : undefined,
		);
		const convert = this.getNodeParameter('convert', 0) as boolean;
		const rates: Record<string, string> = {};
		if (convert) {
			const list = (this.getNodeParameter('rates', 0, {}) as { rate?: Array<{ currency: string; rate: string }> }).rate ?? [];
			for (const r of list) rates[r.currency.trim().toUpperCase()] = String(r.rate).trim();
		}
		const report = buildSalesReport(orders, {
			...range,
			timeZone,
			channels: this.getNodeParameter('channels', 0) as string[],
			statuses: this.getNodeParameter('statuses', 0) as string[],
			byStatus: this.getNodeParameter('byStatus', 0) as boolean,
			topProducts: this.getNodeParameter('topProducts', 0) as number,
			...(convert ? { reportCurrency: (this.getNodeParameter('reportCurrency', 0) as string).trim().toUpperCase(), rates } : {}),
		});
		const svg = renderChartSvg(report);
		const binaryProperty = this.getNodeParameter('binaryProperty', 0) as string;
		const binary = await this.helpers.prepareBinaryData(Buffer.from(svg, 'utf8'), 'sales-report.svg', 'image/svg+xml');
		const out: INodeExecutionData = {
			json: { ...(report as unknown as IDataObject), html: renderHtml(report) },
			binary: { [binaryProperty]: binary },
			pairedItem: items.map((_, i) => ({ item: i })),
		};
		return [[out, ...errors]];
	}
}
