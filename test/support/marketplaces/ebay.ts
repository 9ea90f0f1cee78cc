/** eBay in the marketplace end-to-end test. */
import type { Marketplace } from './types';
import { SCOPE_FULFILLMENT, SCOPE_INVENTORY, startEbaySimulator } from '../../simulators/ebay';
import type { EbaySimulator } from '../../simulators/ebay';
import { fetchTransport, realClock } from '../fetchTransport';
import { EbayChannel } from '../../../platforms/ebay/channel';

export const ebay: Marketplace<EbaySimulator> = {
	label: 'eBay',
	channel: 'ebay',
	credentialName: 'Commerce Sync eBay OAuth2 API',
	start: () => startEbaySimulator({ orders: 420, items: 40, seed: 81, orderSpacingMs: 30 * 60_000, start: '2026-10-01T00:00:00.000Z' }),
	demo: (start, port) => startEbaySimulator({ port, orders: 24, items: 12, seed: 91, orderSpacingMs: 3_600_000, start }),
	credential(sim, id, name) {
		const refresh = `v^1.1#i^1#r^1#test-${id}`;
		sim.store.refreshTokens.set(refresh, { scopes: ['https://api.ebay.com/oauth/api_scope', SCOPE_FULFILLMENT, SCOPE_INVENTORY] });
		return {
			id, name, type: 'commerceSyncEbayOAuth2Api',
			data: {
				environment: 'custom', customBaseUrl: sim.url, sellerName: 'sim-seller', clientId: sim.clientId, clientSecret: sim.clientSecret,
				oauthTokenData: { access_token: sim.issueToken(), refresh_token: refresh, token_type: 'Bearer', expires_in: 7200 },
			},
		};
	},
	orderIds: (sim) => sim.store.orders.map((o) => o.orderId),
	cancelledIds: (sim) => sim.store.orders.filter((o) => o.cancelState === 'CANCELED').map((o) => o.orderId),
	marketplaceTaxedIds: (sim) => sim.store.orders.filter((o) => o.lines.some((l) => l.remitTax.length > 0)).map((o) => o.orderId),
	expireTokens(sim) {
		for (const token of sim.store.tokens.values()) token.expiresAt = 0;
	},
	revokeRefreshTokens: (sim) => sim.store.refreshTokens.clear(),
	tokenPath: '/identity/v1/oauth2/token',
	listingStock: (sim) => new Map(sim.store.items.map((i) => [i.sku, i.quantity])),
	stockWrites: (sim, from) => sim.log.slice(from).filter((e) => e.path.endsWith('/bulk_update_price_quantity')).length,
	checkBatches(sim, from, updated) {
		// At most 25 SKUs per bulk call, each changed listing revised once and no other.
		const calls = sim.log.slice(from).filter((e) => e.path.endsWith('/bulk_update_price_quantity')).length;
		expect(calls).toBe(Math.ceil(updated.length / 25));
		const revised = [...sim.store.revisions.entries()].filter(([key]) => updated.some((u) => key.endsWith(`|${u.sku}`))).length;
		expect(revised).toBeLessThanOrEqual(updated.length);
	},
	reader: (sim) => new EbayChannel(fetchTransport({ headers: { authorization: `Bearer ${sim.issueToken()}` } }), realClock(), 'custom', sim.url, 'sim-seller'),
	newOrder: (sim) => sim.addOrder({ paymentStatus: 'PAID', cancelState: 'NONE_REQUESTED' }).orderId,
	trackingOn: (sim, id) => sim.store.order(id)!.fulfillments.map((f) => f.shipmentTrackingNumber ?? ''),
	buyerNotices: (sim, id) => sim.store.order(id)!.fulfillments.length,
	trackingPath: /\/shipping_fulfillment$/,
};
