import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { readTwoWayFields } from '../../core/twoWay';
import type { StockSnapshot } from '../../core/twoWay';
import type { StockOutcome } from '../../platforms/inventorySync';
import { syncInventoryBothWays } from '../../platforms/twoWaySync';
import type { TwoWayItem } from '../../platforms/twoWaySync';
import { openChannelInventory } from '../../glue/channels';
import { CHANNEL_LOCATION, LINK_OPTIONS, MATCH_BY, readLinks, readMatchBy, readStockItem } from '../../glue/inventoryProperties';
import { failedJson, itemError } from '../../glue/items';
import { MAIN_STORE_PROPERTY, openMainInventory } from '../../glue/mainStores';
import { CHANNEL_PROPERTY } from '../../glue/orderProperties';
import { TWO_STORE_CREDENTIALS, checkTwoStores } from '../../glue/tracking';

const DONE = 0;
const FAILED = 1;
const NOT_ON_CHANNEL = 2;

interface Memory {
	/** Per channel store: listing key → [main-store units, channel units] after the last sync. */
	snapshots?: Record<string, Record<string, [number, number]>>;
}

function readItem(json: IDataObject, itemIndex: number, bookAt: string): TwoWayItem {
	const item = readStockItem(json, itemIndex, 'channelQuantity');
	const fields = readTwoWayFields(json, bookAt);
	return {
		...item,
		mainQuantity: fields.mainQuantity, rules: fields.rules, locationQuantity: fields.locationQuantity, oneWay: fields.oneWay,
		record: { sku: json.sku === undefined || json.sku === null ? '' : String(json.sku), productId: fields.productId, variantId: fields.variantId, inventoryItemId: fields.inventoryItemId, locationId: fields.locationId },
	};
}

function outcomeJson(o: StockOutcome, platform: string, mainDelta: number | undefined, dryRun: boolean): IDataObject {
	return {
		action: o.action,
		sku: o.item.sku,
		channel: platform,
		listingId: o.listing?.listingId ?? null,
		listingTitle: o.listing?.title ?? null,
		before: o.before,
		after: o.after,
		mainStore: { before: (o.item as TwoWayItem).mainQuantity, change: mainDelta ?? 0, ...(dryRun && mainDelta ? { dryRun: true } : {}) },
		...(o.reason ? { reason: o.reason } : {}),
		...(o.item.trace ? { ruleTrace: o.item.trace } : {}),
		notes: o.notes,
	};
}

export class SyncInventoryBothWays implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sync Inventory Both Ways',
		name: 'syncInventoryBothWays',
		icon: 'file:syncInventoryBothWays.svg',
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["mainStore"] + " ⇄ " + $parameter["channel"] }}',
		description: 'Two-way stock sync: changes made on the channel reach the main store, and the main store\'s stock (through the inventory rules) reaches the channel',
		defaults: { name: 'Sync Inventory Both Ways' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Done', 'Failed', 'Not on Channel'],
		credentials: TWO_STORE_CREDENTIALS,
		properties: [
			{
				displayName: 'Give it every SKU of the main store each run (Get Main Store Inventory without Only Changed, then Apply Inventory Rules): a channel change is only seen on a listing whose item arrives. Orders from this channel must then not take stock in the main store (Push Order to Main Store → Inventory: Bypass), or a sale is counted twice.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{ ...CHANNEL_PROPERTY, description: 'The sales channel whose listings sync both ways with the main store' },
			{ ...MAIN_STORE_PROPERTY, description: 'The store the items\' stock was read from; the channel\'s own changes are booked there' },
			{ ...CHANNEL_LOCATION, displayOptions: { show: { channel: ['shopify'] } } },
			{
				displayName: 'Book Channel Changes At',
				name: 'bookAt',
				type: 'string',
				default: '',
				placeholder: 'Main warehouse',
				description: 'The main-store location (by name) that takes the channel\'s sales and counts; empty: each item\'s first location',
				displayOptions: { show: { mainStore: ['shopify'] } },
			},
			MATCH_BY,
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to only show what would change on both sides, writing nothing',
			},
			LINK_OPTIONS,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const inputs = this.getInputData();
		const outputs: INodeExecutionData[][] = [[], [], []];
		const channelName = this.getNodeParameter('channel', 0) as string;
		const mainName = this.getNodeParameter('mainStore', 0) as string;
		const bookAt = mainName === 'shopify' ? String(this.getNodeParameter('bookAt', 0, '') ?? '') : '';
		const dryRun = this.getNodeParameter('dryRun', 0) === true;
		const failItem = (i: number, error: unknown, sku: unknown) => {
			const failure = itemError(this, error, i, inputs[i]?.json, (json) => (json.sku ? `SKU ${String(json.sku)}` : undefined));
			if (!this.continueOnFail()) throw failure;
			outputs[FAILED].push({ json: failedJson(failure, { sku: sku ?? null }), pairedItem: { item: i } });
		};
		const items: TwoWayItem[] = [];
		for (let i = 0; i < inputs.length; i++) {
			try {
				items.push(readItem(inputs[i].json, i, bookAt));
			} catch (error) {
				failItem(i, error, inputs[i].json.sku);
			}
		}
		if (items.length === 0) return outputs;

		const memory = this.getWorkflowStaticData('node') as Memory;
		let platform = channelName;
		try {
			const { channelType } = await checkTwoStores(this, channelName, mainName, 'Sync Inventory Both Ways');
			const [channel, main] = await Promise.all([
				openChannelInventory(this, channelName, String(this.getNodeParameter('channelLocation', 0, '') ?? ''), channelType),
				openMainInventory(this, mainName),
			]);
			platform = channel.platform;
			const stored = ((memory.snapshots ??= {})[channel.storeId] ??= {});
			const snapshots = new Map<string, StockSnapshot>(Object.entries(stored).map(([k, [m, c]]) => [k, { m, c }]));
			const result = await syncInventoryBothWays(channel, main, items, snapshots, {
				by: readMatchBy(this.getNodeParameter('matchBy', 0)),
				links: readLinks((this.getNodeParameter('options', 0, {}) as IDataObject).links),
				dryRun,
			});
			if (!dryRun) for (const [key, s] of result.snapshots) stored[key] = [s.m, s.c];
			const changeOf = new Map(result.mainChanges.map((c) => [c.listingId, c.delta]));
			for (const o of result.outcomes) {
				const output = o.action === 'notOnChannel' ? NOT_ON_CHANNEL : o.action === 'failed' || o.action === 'ambiguous' || o.action === 'suspended' ? FAILED : DONE;
				outputs[output].push({ json: outcomeJson(o, platform, o.listing ? changeOf.get(o.listing.listingId) : undefined, dryRun), pairedItem: { item: o.item.itemIndex } });
			}
		} catch (error) {
			const failure = itemError(this, error, items[0].itemIndex, undefined);
			if (!this.continueOnFail()) throw failure;
			for (const item of items) outputs[FAILED].push({ json: failedJson(failure, { sku: item.sku }), pairedItem: { item: item.itemIndex } });
		}
		return outputs;
	}
}
