import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import type { Order } from '../../core/model';
import { matchesFilter } from '../../core/orderFilter';
import { resolveWindow } from '../../core/orderWindow';
import type { RangeInput } from '../../core/orderWindow';
import type { OrderWindow } from '../../platforms/channel';
import { CHANNEL_CREDENTIALS, openChannel } from '../../glue/channels';
import { mapItems } from '../../glue/items';
import { CHANNEL_PROPERTY, INCLUDE_RAW, SKIP_UNPAID, STATUS_FILTER, orderItem, readFilter } from '../../glue/orderProperties';

export class FetchChannelOrders implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fetch Channel Orders',
		name: 'fetchChannelOrders',
		icon: 'file:fetchChannelOrders.svg',
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["channel"] + ": orders " + $parameter["by"] + " in range" }}',
		description: 'Reads a sales channel\'s orders for a time range, one item per order in the pack\'s order model',
		defaults: { name: 'Fetch Channel Orders' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: CHANNEL_CREDENTIALS,
		properties: [
			CHANNEL_PROPERTY,
			{
				displayName: 'Orders',
				name: 'by',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Created in the Range', value: 'created', description: 'Orders placed in the range' },
					{ name: 'Updated in the Range', value: 'updated', description: 'Orders placed or changed in the range (paid, shipped, cancelled, refunded)' },
				],
				default: 'created',
			},
			{
				displayName: 'Range',
				name: 'range',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Between Two Dates', value: 'between' },
					{ name: 'Last Hours', value: 'lastHours' },
					{ name: 'Since a Date', value: 'since', description: 'From a date (or an expression) up to now' },
				],
				default: 'lastHours',
			},
			{
				displayName: 'Hours',
				name: 'hours',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 24,
				description: 'How many hours back from now',
				displayOptions: { show: { range: ['lastHours'] } },
			},
			{
				displayName: 'Since',
				name: 'since',
				type: 'dateTime',
				default: '',
				required: true,
				description: 'Start of the range, inclusive (UTC unless the value names its zone)',
				displayOptions: { show: { range: ['since', 'between'] } },
			},
			{
				displayName: 'Until',
				name: 'until',
				type: 'dateTime',
				default: '',
				required: true,
				description: 'End of the range, inclusive',
				displayOptions: { show: { range: ['between'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					INCLUDE_RAW,
					{
						displayName: 'Limit',
						name: 'limit',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 50,
						description: 'Max number of results to return',
					},
					SKIP_UNPAID,
					STATUS_FILTER,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return mapItems(this, async (_json, itemIndex) => {
			const channel = await openChannel(this, this.getNodeParameter('channel', itemIndex) as string);
			const by = this.getNodeParameter('by', itemIndex) as OrderWindow['by'];
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const filter = readFilter(options);
			const limit = typeof options.limit === 'number' ? options.limit : Infinity;
			const range = this.getNodeParameter('range', itemIndex) as RangeInput['range'];
			const window: OrderWindow = resolveWindow(
				{
					by,
					range,
					hours: range === 'lastHours' ? (this.getNodeParameter('hours', itemIndex) as number) : undefined,
					since: range === 'lastHours' ? undefined : this.getNodeParameter('since', itemIndex),
					until: range === 'between' ? this.getNodeParameter('until', itemIndex) : undefined,
				},
				Date.now(),
			);
			// A key-paged read can meet an order twice when it changes while paging: keep its newest version.
			const found = new Map<string, { order: Order; raw: unknown }>();
			for await (const page of channel.readOrders(window)) {
				for (const { order, raw } of page) {
					// Delete first so a newer version moves to the end, in the order it was read.
					found.delete(order.channelOrderId);
					if (matchesFilter(order, filter)) found.set(order.channelOrderId, { order, raw });
				}
				if (found.size >= limit) break;
			}
			return [...found.values()].slice(0, limit).map(({ order, raw }) => orderItem(order, raw, options.includeRaw === true));
		});
	}
}
