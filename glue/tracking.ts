/**
 * The two stores of Sync Tracking, opened from the node's Channel and Main Store selectors. The node
 * needs a channel credential and a main-store credential at once (it reads one side and writes the
 * other), the documented exception to one credential per node. n8n keeps one credential per type on a
 * node and checks a credential's displayOptions on the first entry of its type, so each credential type
 * is listed once, without displayOptions, and the selectors decide which ones are used; the same type on
 * both sides (a Shopify channel into a Shopify main store) would be one store, and is refused.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeCredentialDescription } from 'n8n-workflow';
import { CHANNELS, openChannel, openChannelTracking } from './channels';
import { MAIN_STORES, openMainStore, openMainTracking } from './mainStores';
import type { TrackingSides } from '../platforms/trackingRun';

/**
 * Every credential type a channel or a main store can use, once each, and the channels' second types
 * (a Shopify channel with a Shopify main store takes the channel store's credential as the second type).
 */
export const TWO_STORE_CREDENTIALS: INodeCredentialDescription[] = [
	...new Set([...CHANNELS, ...MAIN_STORES].map((e) => e.credentialType)),
	...new Set(CHANNELS.flatMap((c) => (c.otherStoreCredentialType ? [c.otherStoreCredentialType] : []))),
].map((name) => ({ name, required: false }));

export interface OpenedSides extends TrackingSides {
	channelLabel: string;
	mainLabel: string;
}

/**
 * Checks a two-store node's credentials and says which credential type each side uses: the channel
 * takes its platform's second type when the main store is on the same platform (two Shopify stores),
 * and the two must then be different stores.
 */
export async function checkTwoStores(ctx: IExecuteFunctions, channel: string, mainStore: string, what: string): Promise<{ channelType: string | undefined }> {
	const channelEntry = CHANNELS.find((c) => c.value === channel);
	const mainEntry = MAIN_STORES.find((m) => m.value === mainStore);
	let channelType = channelEntry?.credentialType;
	if (channelEntry && mainEntry && channelEntry.credentialType === mainEntry.credentialType) {
		if (!channelEntry.otherStoreCredentialType) {
			throw new NodeOperationError(ctx.getNode(), `A ${channelEntry.name} channel with a ${mainEntry.name} main store is not supported by ${what} yet`, {
				description: `n8n gives a node one credential of each type, so both sides would be the same store. ${what} works between a channel and a main store of different platforms, or two Shopify stores.`,
			});
		}
		channelType = channelEntry.otherStoreCredentialType;
	}
	const credentials = ctx.getNode().credentials ?? {};
	for (const [type, name, role] of [[channelType, channelEntry?.name, 'channel'], [mainEntry?.credentialType, mainEntry?.name, 'main store']] as const) {
		if (type && !credentials[type]) {
			const which = type === channelEntry?.otherStoreCredentialType ? `${name} (Channel Store)` : `${name}`;
			throw new NodeOperationError(ctx.getNode(), `No credential for the ${role} (${which})`, { description: `Choose the ${which} credential of the ${role} in the node's Credentials.` });
		}
	}
	if (channelType && channelType === channelEntry?.otherStoreCredentialType && mainEntry) {
		const [a, b] = await Promise.all([ctx.getCredentials(channelType), ctx.getCredentials(mainEntry.credentialType)]);
		const store = (c: Record<string, unknown>) => String(c.store ?? '').trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\.myshopify\.com\/?$/, '').replace(/\/+$/, '');
		if (store(a) === store(b)) {
			throw new NodeOperationError(ctx.getNode(), `The channel and the main store are the same Shopify store (${store(a)})`, { description: 'Choose the credential of the other store for the channel (Channel Store credential).' });
		}
	}
	return { channelType };
}

export async function openTrackingSides(ctx: IExecuteFunctions, channel: string, mainStore: string, listChannelOrders: boolean): Promise<OpenedSides> {
	const { channelType } = await checkTwoStores(ctx, channel, mainStore, 'Sync Tracking');
	const channelEntry = CHANNELS.find((c) => c.value === channel);
	const mainEntry = MAIN_STORES.find((m) => m.value === mainStore);
	const [main, mainOrders, channelTracking, channelOrders] = await Promise.all([
		openMainTracking(ctx, mainStore),
		openMainStore(ctx, mainStore),
		openChannelTracking(ctx, channel, channelType),
		listChannelOrders ? openChannel(ctx, channel, channelType) : Promise.resolve(undefined),
	]);
	return {
		channel, main, mainStore: mainOrders, channelTracking, channelOrders,
		channelLabel: channelEntry?.name ?? channel, mainLabel: mainEntry?.name ?? mainStore,
	};
}
