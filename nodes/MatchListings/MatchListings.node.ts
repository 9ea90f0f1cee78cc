import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { matchListings } from '../../core/listingMatch';
import type { ChannelListing } from '../../platforms/inventory';
import { CHANNEL_CREDENTIALS, openChannelInventory } from '../../glue/channels';
import { CHANNEL_LOCATION, LINK_OPTIONS, MATCH_BY, readLinks, readMatchBy } from '../../glue/inventoryProperties';
import { itemError } from '../../glue/items';
import { CHANNEL_PROPERTY } from '../../glue/orderProperties';

const LINKED = 0;
const UNLINKED = 1;

function listingJson(l: ChannelListing): IDataObject {
	return { listingId: l.listingId, parentId: l.parentId, sku: l.sku, barcode: l.barcode, handle: l.handle, title: l.title, quantity: l.quantity, state: l.state };
}

export class MatchListings implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Match Listings',
		name: 'matchListings',
		icon: 'file:matchListings.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["channel"] + " by " + $parameter["matchBy"] }}',
		description: 'Links every listing of a channel to the main-store product it is (the items), by SKU, barcode or handle or by hand',
		defaults: { name: 'Match Listings' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Linked', 'Unlinked'],
		credentials: CHANNEL_CREDENTIALS,
		properties: [
			{ ...CHANNEL_PROPERTY, description: 'The sales channel whose listings to match' },
			CHANNEL_LOCATION,
			MATCH_BY,
			LINK_OPTIONS,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const inputs = this.getInputData();
		const outputs: INodeExecutionData[][] = [[], []];
		const text = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));
		const records = inputs.map((input, itemIndex) => ({ itemIndex, json: input.json, sku: text(input.json.sku), barcode: text(input.json.barcode), handle: text(input.json.handle) }));
		try {
			const channel = await openChannelInventory(this, this.getNodeParameter('channel', 0) as string, String(this.getNodeParameter('channelLocation', 0, '')));
			const listings: ChannelListing[] = [];
			for await (const page of channel.listings({ skus: [] })) listings.push(...page);
			const matches = matchListings(listings, records, {
				by: readMatchBy(this.getNodeParameter('matchBy', 0)),
				links: readLinks((this.getNodeParameter('options', 0, {}) as IDataObject).links),
			});
			for (const m of matches) {
				if (m.status === 'linked') {
					outputs[LINKED].push({ json: { listing: listingJson(m.listing), product: m.record.json, via: m.via }, pairedItem: { item: m.record.itemIndex } });
				} else {
					// An unlinked listing comes from the channel, not from an item: it is paired with every item it was compared with.
					const paired = m.status === 'ambiguous' ? m.candidates.map((c) => ({ item: c.itemIndex })) : records.map((r) => ({ item: r.itemIndex }));
					outputs[UNLINKED].push({
						json: { listing: listingJson(m.listing), status: m.status, reason: `${channel.platform} listing "${m.listing.title}" (${m.listing.listingId}) ${m.reason}` },
						pairedItem: paired.length > 0 ? paired : { item: 0 },
					});
				}
			}
		} catch (error) {
			const failure = itemError(this, error, 0, undefined);
			if (!this.continueOnFail()) throw failure;
			return [[{ json: { error: failure.message }, pairedItem: { item: 0 } }], []];
		}
		return outputs;
	}
}
