/**
 * The Main Store selector of the store-facing nodes, in one place: each entry names its credential and
 * opens the platform's MainStore over n8n's authenticated HTTP.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import type { MainInventory } from '../platforms/inventory';
import type { MainStore } from '../platforms/mainStore';
import { ShopifyMainInventory } from '../platforms/shopify/inventory';
import { WooMainInventory } from '../platforms/woocommerce/inventory';
import { ShopifyMainStore } from '../platforms/shopify/mainStore';
import { WooMainStore } from '../platforms/woocommerce/mainStore';
import type { TrackingStore } from '../platforms/tracking';
import { ShopifyTrackingStore } from '../platforms/shopify/tracking';
import { WooTrackingStore } from '../platforms/woocommerce/tracking';
import { n8nClock, n8nTransport } from './http';

interface MainStoreEntry {
	value: string;
	name: string;
	description: string;
	credentialType: string;
	open(credentials: Record<string, unknown>, ctx: IExecuteFunctions): MainStore;
	inventory(credentials: Record<string, unknown>, ctx: IExecuteFunctions): MainInventory;
	/** The main store's fulfillments and tracking (Sync Tracking). */
	tracking(credentials: Record<string, unknown>, ctx: IExecuteFunctions): TrackingStore;
}

export const MAIN_STORES: MainStoreEntry[] = [
	{
		value: 'shopify',
		name: 'Shopify',
		description: 'Create orders in a Shopify store with the Admin GraphQL API',
		credentialType: 'commerceSyncShopifyApi',
		open: (credentials, ctx) => new ShopifyMainStore(n8nTransport(ctx, 'commerceSyncShopifyApi'), n8nClock, String(credentials.store ?? ''), String(credentials.apiVersion || '') || undefined),
		inventory: (credentials, ctx) =>
			new ShopifyMainInventory(n8nTransport(ctx, 'commerceSyncShopifyApi'), n8nClock, String(credentials.store ?? ''), String(credentials.apiVersion || '') || undefined, n8nTransport(ctx, null)),
		tracking: (credentials, ctx) => new ShopifyTrackingStore(n8nTransport(ctx, 'commerceSyncShopifyApi'), n8nClock, String(credentials.store ?? ''), String(credentials.apiVersion || '') || undefined),
	},
	{
		value: 'woocommerce',
		name: 'WooCommerce',
		description: 'Create orders in a WooCommerce store with the REST API v3',
		credentialType: 'commerceSyncWooCommerceApi',
		open: (credentials, ctx) => new WooMainStore(n8nTransport(ctx, 'commerceSyncWooCommerceApi'), n8nClock, String(credentials.siteUrl ?? '')),
		inventory: (credentials, ctx) => new WooMainInventory(n8nTransport(ctx, 'commerceSyncWooCommerceApi'), n8nClock, String(credentials.siteUrl ?? '')),
		tracking: (credentials, ctx) => new WooTrackingStore(n8nTransport(ctx, 'commerceSyncWooCommerceApi'), n8nClock, String(credentials.siteUrl ?? '')),
	},
];

export const MAIN_STORE_PROPERTY: INodeProperties = {
	displayName: 'Main Store',
	name: 'mainStore',
	type: 'options',
	noDataExpression: true,
	options: MAIN_STORES.map((m) => ({ name: m.name, value: m.value, description: m.description })),
	default: 'shopify',
	description: 'The store that holds the orders and the stock: orders from every channel are created here',
};

export const MAIN_STORE_CREDENTIALS: INodeCredentialDescription[] = MAIN_STORES.map((m) => ({
	name: m.credentialType,
	required: true,
	displayOptions: { show: { mainStore: [m.value] } },
}));

function entryOf(ctx: IExecuteFunctions, value: string): MainStoreEntry {
	const entry = MAIN_STORES.find((m) => m.value === value);
	if (!entry) throw new NodeOperationError(ctx.getNode(), `Unknown main store "${value}"`, { description: `Choose one of: ${MAIN_STORES.map((m) => m.name).join(', ')}.` });
	return entry;
}

export async function openMainInventory(ctx: IExecuteFunctions, value: string): Promise<MainInventory> {
	const entry = entryOf(ctx, value);
	return entry.inventory(await ctx.getCredentials(entry.credentialType), ctx);
}

export async function openMainTracking(ctx: IExecuteFunctions, value: string): Promise<TrackingStore> {
	const entry = entryOf(ctx, value);
	return entry.tracking(await ctx.getCredentials(entry.credentialType), ctx);
}

export async function openMainStore(ctx: IExecuteFunctions, value: string): Promise<MainStore> {
	const entry = entryOf(ctx, value);
	return entry.open(await ctx.getCredentials(entry.credentialType), ctx);
}
