/**
 * The parameters Match Listings and Update Channel Inventory share, so both match a listing the same
 * way: the identifier to match by and the manual link table (channel SKU or listing id → main-store SKU).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { MatchBy } from '../core/listingMatch';

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
