/**
 * Amazon in the marketplace end-to-end test. Two honest differences from the OAuth2 marketplaces:
 *  - Amazon answers an expired access token with 403 (`Unauthorized`, "The access token you provided has
 *    expired"), not 401: `expiredStatus` tells the test which refusal to look for before the refresh.
 *  - searchOrders shows only orders placed more than two minutes ago (a `createdBefore` closer to now is
 *    refused), so the buyer of `newOrder` placed it three minutes before the test reads it.
 */
import type { Marketplace } from './types';
import { startAmazonSimulator } from '../../simulators/amazon';
import type { AmazonSimulator } from '../../simulators/amazon';
import { fetchTransport, realClock } from '../fetchTransport';
import { AmazonChannel } from '../../../platforms/amazon/channel';

const connection = (sim: AmazonSimulator) => ({ region: 'custom', baseUrl: sim.url, marketplaceIds: sim.marketplaceId, sellerId: sim.sellerId });

export const amazon: Marketplace<AmazonSimulator> = {
	label: 'Amazon',
	channel: 'amazon',
	credentialName: 'Commerce Sync Amazon Selling Partner API',
	expiredStatus: 403,
	start: () => startAmazonSimulator({ orders: 330, listings: 40, seed: 84, spacingMs: 40 * 60_000, start: '2026-10-01T00:00:00.000Z' }),
	demo: (start, port) => startAmazonSimulator({ port, orders: 24, listings: 12, seed: 93, spacingMs: 3_600_000, start }),
	credential(sim, id, name) {
		return {
			id, name, type: 'commerceSyncAmazonSpApi',
			data: {
				region: 'custom', baseUrl: sim.url, tokenUrl: `${sim.url}/auth/o2/token`, clientId: sim.clientId, clientSecret: sim.clientSecret,
				refreshToken: sim.issueRefreshToken(), marketplaceIds: sim.marketplaceId, sellerId: sim.sellerId, accessToken: sim.issueToken(),
			},
		};
	},
	orderIds: (sim) => sim.store.orders.map((o) => o.orderId),
	cancelledIds: (sim) => sim.store.orders.filter((o) => o.status === 'CANCELLED').map((o) => o.orderId),
	marketplaceTaxedIds: (sim) => sim.store.orders.filter((o) => o.items.some((i) => i.marketplaceTax && i.taxMinor + i.shippingTaxMinor > 0)).map((o) => o.orderId),
	expireTokens: (sim) => sim.expireTokens(),
	revokeRefreshTokens: (sim) => sim.store.refreshTokens.clear(),
	tokenPath: '/auth/o2/token',
	// The SKUs the seller ships (merchant-fulfilled); Amazon-stocked (FBA) SKUs take no quantity from the seller.
	listingStock: (sim) => new Map(sim.store.listings.filter((l) => l.channel === 'DEFAULT').map((l) => [l.sku, l.quantity])),
	stockWrites: (sim, from) => sim.log.slice(from).filter((e) => e.method === 'PATCH' && e.path.startsWith('/listings/2021-08-01/items/')).length,
	checkBatches(sim, from, updated) {
		// patchListingsItem changes one listing: one accepted patch per changed SKU, and none for another (a
		// patch the rate limiter refused with 429 was not applied, and is sent again after the wait).
		const patched = sim.log.slice(from)
			.filter((e) => e.method === 'PATCH' && e.path.startsWith('/listings/2021-08-01/items/') && e.status !== 429)
			.map((e) => decodeURIComponent(e.path.split('/').pop() ?? ''));
		expect(patched.sort()).toEqual(updated.map((u) => u.sku).sort());
	},
	reader: (sim) => new AmazonChannel(fetchTransport({ headers: { 'x-amz-access-token': sim.issueToken() } }), realClock(), connection(sim)),
	newOrder: (sim) => sim.addOrder({ status: 'UNSHIPPED', fulfilledBy: 'MERCHANT' }, 3 * 60_000).orderId,
	trackingOn: (sim, id) => sim.store.order(id)!.packages.map((p) => p.trackingNumber),
	buyerNotices: (sim, id) => sim.store.buyerNotices.get(id) ?? 0,
	trackingPath: /\/shipmentConfirmation$/,
};
