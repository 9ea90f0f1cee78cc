import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { listingKey, updateChannelStock } from '../../platforms/inventorySync';
import type { StockItem, StockOutcome } from '../../platforms/inventorySync';
import { CHANNEL_CREDENTIALS, openChannelInventory } from '../../glue/channels';
import { CHANNEL_LOCATION, LOCATION_MAPPING, LINK_OPTIONS, MATCH_BY, readLinks, readLocationMapping, readMatchBy, readStockItem } from '../../glue/inventoryProperties';
import { channelLocationNames, locationKey, quantitiesByChannelLocation, readItemLocations, validateMapping } from '../../core/locationMap';
import type { ItemLocation, LocationMapping } from '../../core/locationMap';
import { failedJson, itemError } from '../../glue/items';
import { CHANNEL_PROPERTY } from '../../glue/orderProperties';

const DONE = 0;
const FAILED = 1;
const NOT_ON_CHANNEL = 2;
/** Runs in a row a listing may fail with the same quantity before it is suspended. */
const SUSPEND_AFTER = 3;

function outcomeJson(o: StockOutcome, platform: string): IDataObject {
	return {
		action: o.action,
		sku: o.item.sku,
		channel: platform,
		listingId: o.listing?.listingId ?? null,
		listingTitle: o.listing?.title ?? null,
		...(o.listing?.location ? { location: o.listing.location } : {}),
		before: o.before,
		after: o.after,
		...(o.reason ? { reason: o.reason } : {}),
		...(o.item.trace ? { ruleTrace: o.item.trace } : {}),
		...(o.statusBefore ? { statusBefore: o.statusBefore, statusAfter: o.statusAfter ?? null } : {}),
		notes: o.notes,
	};
}

export class UpdateChannelInventory implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Update Channel Inventory',
		name: 'updateChannelInventory',
		icon: 'file:updateChannelInventory.svg',
		group: ['output'],
		version: 1,
		subtitle: '={{ "to " + $parameter["channel"] }}',
		description: 'Sets the stock of the channel\'s listings that match the items, writing only what changed',
		defaults: { name: 'Update Channel Inventory' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Done', 'Failed', 'Not on Channel'],
		credentials: CHANNEL_CREDENTIALS,
		properties: [
			{ ...CHANNEL_PROPERTY, description: 'The sales channel whose listings get the stock' },
			{ ...CHANNEL_LOCATION, displayOptions: { show: { channel: ['shopify'], locationMapping: ['one'] } } },
			...LOCATION_MAPPING,
			MATCH_BY,
			{
				displayName: 'Quantity Field',
				name: 'quantityField',
				type: 'string',
				default: 'channelQuantity',
				description: 'The item field holding the quantity to set (Apply Inventory Rules writes channelQuantity; without it, quantity is used)',
			},
			{
				displayName: 'Listing Status',
				name: 'listingStatus',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Leave As Is', value: 'leave', description: 'Only quantities are written' },
					{
						name: 'Follow Inventory Rules',
						value: 'follow',
						description: 'Hide listings whose item is out of stock (unless Keep Listing Active) or inactive, and show them again when it is active',
					},
				],
				default: 'leave',
				description: 'Whether to show or hide listings as the items\' listingStatus says (Apply Inventory Rules writes it). WooCommerce hides a product as a draft and a variation as private; Shopify hides the whole product as a draft. Only listings this node hid are shown again.',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to only show what would be written, writing nothing',
			},
			LINK_OPTIONS,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const inputs = this.getInputData();
		const outputs: INodeExecutionData[][] = [[], [], []];
		const quantityField = String(this.getNodeParameter('quantityField', 0, 'channelQuantity')) || 'channelQuantity';
		const channelName = this.getNodeParameter('channel', 0) as string;
		let mapping: LocationMapping | null;
		try {
			mapping = channelName === 'shopify' ? readLocationMapping(this.getNodeParameter('locationMapping', 0, 'one'), this.getNodeParameter('locationMap', 0, {})) : null;
			if (mapping) validateMapping(mapping);
		} catch (error) {
			throw itemError(this, error, 0, undefined);
		}
		const fail = (i: number, error: unknown) => {
			const failure = itemError(this, error, i, inputs[i].json, (json) => (json.sku ? `SKU ${String(json.sku)}` : undefined));
			if (!this.continueOnFail()) throw failure;
			outputs[FAILED].push({ json: failedJson(failure, { sku: inputs[i].json.sku ?? null }), pairedItem: { item: i } });
		};
		let items: StockItem[] = [];
		// With mapped locations: each item's stock per main-store location, then per channel location.
		const located = new Map<StockItem, ItemLocation[]>();
		for (let i = 0; i < inputs.length; i++) {
			try {
				const item = readStockItem(inputs[i].json, i, quantityField);
				if (mapping) located.set(item, readItemLocations(inputs[i].json.locations));
				items.push(item);
			} catch (error) {
				fail(i, error);
			}
		}
		if (mapping) {
			const known = new Set([...located.values()].flatMap((locations) => locations.map((l) => locationKey(l.locationName))));
			items = items.filter((item) => {
				try {
					item.quantities = quantitiesByChannelLocation(mapping, located.get(item) ?? [], known);
					return true;
				} catch (error) {
					fail(item.itemIndex, error);
					return false;
				}
			});
		}
		if (items.length === 0) return outputs;

		const dryRun = this.getNodeParameter('dryRun', 0) === true;
		// Listings failing with the same quantity run after run are suspended, not retried forever.
		const memory = this.getWorkflowStaticData('node') as { failures?: Record<string, { count: number; quantity: number }>; hidden?: string[] };
		const failures = (memory.failures ??= {});
		// Listings (or products) this node hid, so that it shows only those again.
		const hiddenBySync = new Set(memory.hidden ?? []);
		const followStatus = this.getNodeParameter('listingStatus', 0, 'leave') === 'follow';
		let outcomes: StockOutcome[];
		let platform = channelName;
		try {
			const channel = await openChannelInventory(this, channelName, mapping
				? { names: channelLocationNames(mapping, [...located.values()].map((locations) => ({ locations }))), skipUnknown: mapping.mode === 'sameNames' }
				: String(this.getNodeParameter('channelLocation', 0, '')));
			platform = channel.platform;
			outcomes = await updateChannelStock(channel, items, {
				by: readMatchBy(this.getNodeParameter('matchBy', 0)),
				links: readLinks((this.getNodeParameter('options', 0, {}) as IDataObject).links),
				dryRun,
				...(followStatus ? { listingStatus: { hiddenBySync } } : {}),
				suspended: (key, quantity) => (failures[key]?.count ?? 0) >= SUSPEND_AFTER && failures[key]?.quantity === quantity,
			});
		} catch (error) {
			const failure = itemError(this, error, items[0].itemIndex, undefined);
			if (!this.continueOnFail()) throw failure;
			for (const item of items) outputs[FAILED].push({ json: failedJson(failure, { sku: item.sku }), pairedItem: { item: item.itemIndex } });
			return outputs;
		}
		if (followStatus && !dryRun) memory.hidden = [...hiddenBySync];
		for (const o of outcomes) {
			if (!dryRun && o.listing) {
				if (o.action === 'failed') {
					const last = failures[listingKey(o.listing)];
					failures[listingKey(o.listing)] = { count: last && last.quantity === o.target ? last.count + 1 : 1, quantity: o.target };
				} else if (o.action === 'updated' || o.action === 'unchanged') delete failures[listingKey(o.listing)];
			}
			const output = o.action === 'notOnChannel' ? NOT_ON_CHANNEL : o.action === 'failed' || o.action === 'ambiguous' || o.action === 'suspended' ? FAILED : DONE;
			outputs[output].push({ json: outcomeJson(o, platform), pairedItem: { item: o.item.itemIndex } });
		}
		return outputs;
	}
}
