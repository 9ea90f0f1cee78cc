/**
 * The parameters Match Listings and Update Channel Inventory share, so both match a listing the same
 * way: the identifier to match by and the manual link table (channel SKU or listing id → main-store SKU).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { MatchBy } from '../core/listingMatch';
import type { LocationMapping } from '../core/locationMap';
import { readStockQuantity } from '../core/stockTarget';
import type { ListingState } from '../platforms/inventory';
import type { StockItem } from '../platforms/inventorySync';

export const MATCH_BY: INodeProperties = {
	displayName: 'Match By',
	name: 'matchBy',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'SKU', value: 'sku' },
		{ name: 'Barcode', value: 'barcode', description: 'Shopify barcodes; WooCommerce has no barcode field' },
		{ name: 'Handle', value: 'handle', description: 'Shopify product handle; WooCommerce product slug' },
	],
	default: 'sku',
	description: 'Which identifier links a channel listing to a main-store product (ignoring case and surrounding spaces)',
};

export const CHANNEL_LOCATION: INodeProperties = {
	displayName: 'Channel Location',
	name: 'channelLocation',
	type: 'string',
	default: '',
	placeholder: 'Main warehouse',
	description: 'Shopify channels: the location whose stock is read and written, by name; empty: the first active location. WooCommerce has no locations.',
	displayOptions: { show: { channel: ['shopify'] } },
};

/** How main-store locations feed channel locations (Update Channel Inventory, channels with locations). */
export const LOCATION_MAPPING: INodeProperties[] = [
	{
		displayName: 'Location Mapping',
		name: 'locationMapping',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'One Location', value: 'one', description: 'The item\'s quantity (summed over the main store\'s chosen locations) goes to Channel Location' },
			{ name: 'Same Names', value: 'sameNames', description: 'Each channel location gets the stock of the main-store location with the same name' },
			{ name: 'Table', value: 'table', description: 'Rows of main-store location → channel location; several rows into one channel location are summed' },
		],
		default: 'one',
		description: 'Which main-store locations feed which channel location. With mapping, the rules apply to each location\'s own stock (Apply Inventory Rules writes locations[].channelQuantity).',
		displayOptions: { show: { channel: ['shopify'] } },
	},
	{
		displayName: 'Location Table',
		name: 'locationMap',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		displayOptions: { show: { channel: ['shopify'], locationMapping: ['table'] } },
		options: [
			{
				name: 'row',
				displayName: 'Row',
				values: [
					{ displayName: 'Main-Store Location', name: 'main', type: 'string', default: '', placeholder: 'Warehouse East' },
					{ displayName: 'Channel Location', name: 'channel', type: 'string', default: '', placeholder: 'East' },
				],
			},
		],
	},
];

export function readLocationMapping(mode: unknown, table: unknown): LocationMapping | null {
	if (mode === 'sameNames') return { mode: 'sameNames' };
	if (mode !== 'table') return null;
	const rows = ((((table ?? {}) as IDataObject).row as IDataObject[] | undefined) ?? []).map((r) => ({ main: String(r.main ?? ''), channel: String(r.channel ?? '') }));
	return { mode: 'table', rows };
}

export const MANUAL_LINKS: INodeProperties = {
	displayName: 'Manual Links',
	name: 'links',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	description: 'Listings linked by hand: they win over matching. Give a channel SKU or listing ID and the main-store SKU it is.',
	options: [
		{
			name: 'link',
			displayName: 'Link',
			values: [
				{ displayName: 'Channel SKU or Listing ID', name: 'channel', type: 'string', default: '' },
				{ displayName: 'Main-Store SKU', name: 'main', type: 'string', default: '' },
			],
		},
	],
};

/** The Options collection of the listing nodes: the manual link table (read with readLinks). */
export const LINK_OPTIONS: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [MANUAL_LINKS],
};

export function readLinks(value: unknown): Map<string, string> {
	const links = new Map<string, string>();
	for (const link of (((value ?? {}) as IDataObject).link as IDataObject[] | undefined) ?? []) {
		const from = String(link.channel ?? '').trim();
		const to = String(link.main ?? '').trim();
		if (from && to) links.set(from, to);
	}
	return links;
}

export function readMatchBy(value: unknown): MatchBy {
	return value === 'barcode' || value === 'handle' ? value : 'sku';
}

/** An input item as the stock-writing nodes read it: its identifiers, the quantity in `quantityField`, its listing status and rule trace. */
export function readStockItem(json: IDataObject, itemIndex: number, quantityField: string): StockItem {
	const text = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));
	const state = json.listingStatus;
	return {
		itemIndex, sku: text(json.sku), barcode: text(json.barcode), handle: text(json.handle), quantity: readStockQuantity(json, quantityField),
		state: state === 'active' || state === 'outOfStock' || state === 'inactive' ? (state as ListingState) : null,
		trace: typeof json.ruleTrace === 'string' ? json.ruleTrace : '',
	};
}
