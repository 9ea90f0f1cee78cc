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

/** Every credential type a channel or a main store can use, once each (nodes that use both sides). */
export const TWO_STORE_CREDENTIALS: INodeCredentialDescription[] = [...new Set([...CHANNELS, ...MAIN_STORES].map((e) => e.credentialType))].map((name) => ({ name, required: false }));

export interface OpenedSides extends TrackingSides {
	channelLabel: string;
	mainLabel: string;
}

/**
 * Checks a two-store node's credentials: a channel and a main store of different credential types, each
 * with its credential chosen. Returns the two entries.
 */
export function checkTwoStores(ctx: IExecuteFunctions, channel: string, mainStore: string, what: string) {
	const channelEntry = CHANNELS.find((c) => c.value === channel);
	const mainEntry = MAIN_STORES.find((m) => m.value === mainStore);
	if (channelEntry && mainEntry && channelEntry.credentialType === mainEntry.credentialType) {
		throw new NodeOperationError(ctx.getNode(), `A ${channelEntry.name} channel with a ${mainEntry.name} main store is not supported by ${what} yet`, {
			description: `n8n gives a node one credential of each type, so both sides would be the same store. ${what} works between a channel and a main store of different platforms (for example a WooCommerce channel and a Shopify main store).`,
		});
	}
	const credentials = ctx.getNode().credentials ?? {};
	for (const [entry, role] of [[channelEntry, 'channel'], [mainEntry, 'main store']] as const) {
		if (entry && !credentials[entry.credentialType]) {
			throw new NodeOperationError(ctx.getNode(), `No credential for the ${role} (${entry.name})`, { description: `Choose the ${entry.name} credential of the ${role} in the node's Credentials.` });
		}
	}
	return { channelEntry, mainEntry };
}

export async function openTrackingSides(ctx: IExecuteFunctions, channel: string, mainStore: string, listChannelOrders: boolean): Promise<OpenedSides> {
	const { channelEntry, mainEntry } = checkTwoStores(ctx, channel, mainStore, 'Sync Tracking');
	const [main, mainOrders, channelTracking, channelOrders] = await Promise.all([
		openMainTracking(ctx, mainStore),
		openMainStore(ctx, mainStore),
		openChannelTracking(ctx, channel),
		listChannelOrders ? openChannel(ctx, channel) : Promise.resolve(undefined),
	]);
	return {
		channel, main, mainStore: mainOrders, channelTracking, channelOrders,
		channelLabel: channelEntry?.name ?? channel, mainLabel: mainEntry?.name ?? mainStore,
	};
}
