/**
 * The Channel selector of every channel node, in one place: each entry names its credential and opens
 * the platform's SalesChannel over n8n's authenticated HTTP. Adding a marketplace is one entry here, its
 * platform folder and its credential; the nodes build their selector and credential list from this.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeCredentialDescription, INodePropertyOptions, IPollFunctions } from 'n8n-workflow';
import type { SalesChannel } from '../platforms/channel';
import type { ChannelInventory } from '../platforms/inventory';
import { ShopifyChannelInventory } from '../platforms/shopify/inventory';
import { WooChannelInventory } from '../platforms/woocommerce/inventory';
import type { Clock, HttpTransport } from '../platforms/http';
import { ShopifyChannel } from '../platforms/shopify/channel';
import { WooChannel } from '../platforms/woocommerce/channel';
import type { TrackingStore } from '../platforms/tracking';
import { ShopifyTrackingStore } from '../platforms/shopify/tracking';
import { WooTrackingStore } from '../platforms/woocommerce/tracking';
import { EbayChannel } from '../platforms/ebay/channel';
import { EbayChannelInventory } from '../platforms/ebay/inventory';
import { EbayTrackingStore } from '../platforms/ebay/tracking';
import { EtsyChannel } from '../platforms/etsy/channel';
import { EtsyChannelInventory } from '../platforms/etsy/inventory';
import { EtsyTrackingStore } from '../platforms/etsy/tracking';
import { etsyApiKey, etsyBaseUrl } from '../platforms/etsy/client';
import { TikTokChannel } from '../platforms/tiktok/channel';
import { TikTokChannelInventory } from '../platforms/tiktok/inventory';
import { TikTokTrackingStore } from '../platforms/tiktok/tracking';
import { isTikTokExpiredAnswer, tiktokTokenRefused } from '../platforms/tiktok/client';
import { AmazonChannel } from '../platforms/amazon/channel';
import { AmazonChannelInventory } from '../platforms/amazon/inventory';
import { AmazonTrackingStore } from '../platforms/amazon/tracking';
import { amazonTokenRefused, isExpiredTokenAnswer } from '../platforms/amazon/client';
import type { AmazonConnection } from '../platforms/amazon/client';
import { n8nClock, n8nTransport } from './http';
import type { TransportOptions } from './http';

export interface ChannelEntry {
	value: string;
	name: string;
	description: string;
	credentialType: string;
	/**
	 * A second credential type for the same platform, used for the channel by nodes that also hold a
	 * main-store credential of `credentialType` (n8n gives a node one credential per type).
	 */
	otherStoreCredentialType?: string;
	/**
	 * How an expired access token of the credential is renewed and the request sent again: OAuth2 (eBay,
	 * Etsy) or n8n's preAuthentication (Amazon, TikTok Shop). Absent: the credential holds no expiring token.
	 */
	tokens?: TransportOptions;
	/** `download` carries no credential: for files on storage hosts (Shopify bulk results). */
	open(credentials: ICredentialDataDecryptedObject, transport: HttpTransport, clock: Clock, download: HttpTransport): SalesChannel;
	/**
	 * The channel's listings and stock; `location` names where its stock is written, where it has locations:
	 * one name, or several for mapped locations (unknown ones skipped with `skipUnknown`).
	 */
	inventory(credentials: ICredentialDataDecryptedObject, transport: HttpTransport, clock: Clock, location: ChannelLocations, download: HttpTransport): ChannelInventory;
	/** The channel's fulfillments and tracking (Sync Tracking). */
	tracking(credentials: ICredentialDataDecryptedObject, transport: HttpTransport, clock: Clock): TrackingStore;
}

export type ChannelLocations = string | { names: string[]; skipUnknown: boolean };

const text = (value: unknown) => String(value ?? '');

/** The eBay credential's environment, base URL and seller name, as every eBay class takes them. */
const ebayArgs = (c: ICredentialDataDecryptedObject) => [text(c.environment || 'production'), text(c.customBaseUrl), text(c.sellerName)] as const;

/** The Etsy credential's shop, x-api-key (keystring:shared secret) and API root. */
const etsyArgs = (c: ICredentialDataDecryptedObject) =>
	[text(c.shopId), etsyApiKey(text(c.clientId), text(c.sharedSecret)), etsyBaseUrl(text(c.environment), text(c.baseUrl))] as const;

/** The TikTok Shop credential's environment, base URL and shop cipher. */
const tiktokArgs = (c: ICredentialDataDecryptedObject) => [text(c.environment || 'production'), text(c.baseUrl), text(c.shopCipher)] as const;

/** The Amazon credential's region, base URL, marketplaces and seller id. */
const amazonArgs = (c: ICredentialDataDecryptedObject): AmazonConnection =>
	({ region: text(c.region || 'na'), baseUrl: text(c.baseUrl), marketplaceIds: text(c.marketplaceIds), sellerId: text(c.sellerId) });

export const CHANNELS: ChannelEntry[] = [
	{
		value: 'shopify',
		name: 'Shopify Store',
		description: 'Orders of a Shopify store, read with the Admin GraphQL API',
		credentialType: 'commerceSyncShopifyApi',
		otherStoreCredentialType: 'commerceSyncShopifyOtherStoreApi',
		open: (credentials, transport, clock, download) =>
			new ShopifyChannel(transport, clock, String(credentials.store ?? ''), { apiVersion: String(credentials.apiVersion || '') || undefined, download }),
		inventory: (credentials, transport, clock, location, download) =>
			new ShopifyChannelInventory(transport, clock, String(credentials.store ?? ''), location, String(credentials.apiVersion || '') || undefined, download),
		tracking: (credentials, transport, clock) => new ShopifyTrackingStore(transport, clock, String(credentials.store ?? ''), String(credentials.apiVersion || '') || undefined),
	},
	{
		value: 'woocommerce',
		name: 'WooCommerce Store',
		description: 'Orders of a WooCommerce store, read with the REST API v3',
		credentialType: 'commerceSyncWooCommerceApi',
		open: (credentials, transport, clock) => new WooChannel(transport, clock, String(credentials.siteUrl ?? '')),
		inventory: (credentials, transport, clock) => new WooChannelInventory(transport, clock, String(credentials.siteUrl ?? '')),
		tracking: (credentials, transport, clock) => new WooTrackingStore(transport, clock, String(credentials.siteUrl ?? '')),
	},
	{
		value: 'ebay',
		name: 'eBay',
		description: 'Orders of an eBay seller account, read with the Sell Fulfillment API',
		credentialType: 'commerceSyncEbayOAuth2Api',
		tokens: { oauth2: true },
		open: (c, transport, clock) => new EbayChannel(transport, clock, ...ebayArgs(c)),
		inventory: (c, transport, clock) => new EbayChannelInventory(transport, clock, ...ebayArgs(c)),
		tracking: (c, transport, clock) => new EbayTrackingStore(transport, clock, ...ebayArgs(c)),
	},
	{
		value: 'etsy',
		name: 'Etsy Shop',
		description: 'Receipts of an Etsy shop, read with the Open API v3',
		credentialType: 'commerceSyncEtsyOAuth2Api',
		tokens: { oauth2: true },
		open: (c, transport, clock) => new EtsyChannel(transport, clock, ...etsyArgs(c)),
		inventory: (c, transport, clock) => new EtsyChannelInventory(transport, clock, ...etsyArgs(c)),
		tracking: (c, transport, clock) => new EtsyTrackingStore(transport, clock, ...etsyArgs(c)),
	},
	{
		value: 'amazon',
		name: 'Amazon',
		description: 'Orders of an Amazon seller account, read with the Selling Partner API (Orders 2026-01-01)',
		credentialType: 'commerceSyncAmazonSpApi',
		tokens: { preAuthentication: { tokenProperty: 'accessToken', expired: isExpiredTokenAnswer, refused: amazonTokenRefused } },
		open: (c, transport, clock) => new AmazonChannel(transport, clock, amazonArgs(c)),
		inventory: (c, transport, clock) => new AmazonChannelInventory(transport, clock, amazonArgs(c)),
		tracking: (c, transport, clock) => new AmazonTrackingStore(transport, clock, amazonArgs(c)),
	},
	{
		value: 'tiktokShop',
		name: 'TikTok Shop',
		description: 'Orders of a TikTok Shop, read with the Open API (202309 and later)',
		credentialType: 'commerceSyncTikTokShopApi',
		// The access token is the credential's expirable field, renewed from the refresh token by preAuthentication.
		tokens: { preAuthentication: { tokenProperty: 'accessToken', expired: isTikTokExpiredAnswer, refused: tiktokTokenRefused } },
		open: (c, transport, clock) => new TikTokChannel(transport, clock, ...tiktokArgs(c)),
		inventory: (c, transport, clock) => new TikTokChannelInventory(transport, clock, ...tiktokArgs(c)),
		tracking: (c, transport, clock) => new TikTokTrackingStore(transport, clock, ...tiktokArgs(c), text(c.shippingProviders)),
	},
];

/** The selector's options, alphabetized as n8n's lint wants. */
export const CHANNEL_OPTIONS: INodePropertyOptions[] = CHANNELS.map((c) => ({ name: c.name, value: c.value, description: c.description }))
	.sort((a, b) => a.name.localeCompare(b.name));

/** One credential per channel, shown only when that channel is selected. */
export const CHANNEL_CREDENTIALS: INodeCredentialDescription[] = CHANNELS.map((c) => ({
	name: c.credentialType,
	required: true,
	displayOptions: { show: { channel: [c.value] } },
}));

function entryOf(ctx: IExecuteFunctions | IPollFunctions, channel: string): ChannelEntry {
	const entry = CHANNELS.find((c) => c.value === channel);
	if (!entry) throw new NodeOperationError(ctx.getNode(), `Unknown channel "${channel}"`, { description: `Choose one of: ${CHANNELS.map((c) => c.name).join(', ')}.` });
	return entry;
}

/**
 * The channel's entry, its credential and the transport that signs with it. `credentialType`: another
 * type than the channel's usual one (a two-store node's second store).
 */
async function connect(ctx: IExecuteFunctions | IPollFunctions, channel: string, credentialType?: string) {
	const entry = entryOf(ctx, channel);
	const type = credentialType ?? entry.credentialType;
	return { entry, credentials: await ctx.getCredentials(type), transport: n8nTransport(ctx, type, entry.tokens) };
}

export async function openChannel(ctx: IExecuteFunctions | IPollFunctions, channel: string, credentialType?: string): Promise<SalesChannel> {
	const { entry, credentials, transport } = await connect(ctx, channel, credentialType);
	return entry.open(credentials, transport, n8nClock, n8nTransport(ctx, null));
}

export async function openChannelInventory(ctx: IExecuteFunctions, channel: string, location: ChannelLocations, credentialType?: string): Promise<ChannelInventory> {
	const { entry, credentials, transport } = await connect(ctx, channel, credentialType);
	return entry.inventory(credentials, transport, n8nClock, location, n8nTransport(ctx, null));
}

export async function openChannelTracking(ctx: IExecuteFunctions, channel: string, credentialType?: string): Promise<TrackingStore> {
	const { entry, credentials, transport } = await connect(ctx, channel, credentialType);
	return entry.tracking(credentials, transport, n8nClock);
}
