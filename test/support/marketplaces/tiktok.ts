/** TikTok Shop in the marketplace end-to-end test. */
import type { Marketplace } from './types';
import { startTikTokSimulator } from '../../simulators/tiktok';
import type { TikTokSimulator } from '../../simulators/tiktok';
import { realClock } from '../fetchTransport';
import { tiktokCredentialData, tiktokTransport } from '../tiktokTransport';
import { TikTokChannel } from '../../../platforms/tiktok/channel';

const UPDATE = 'update-inventory-202309';

export const tiktok: Marketplace<TikTokSimulator> = {
	label: 'TikTok Shop',
	channel: 'tiktokShop',
	credentialName: 'Commerce Sync TikTok Shop API',
	start: () => startTikTokSimulator({ orders: 330, products: 20, seed: 84, spacingSeconds: 40 * 60, start: '2026-10-01T00:00:00Z', perSecond: 1000 }),
	demo: (start, port) => startTikTokSimulator({ port, orders: 24, products: 10, seed: 94, spacingSeconds: 3600, start, perSecond: 1000 }),
	// The credential as n8n holds it once the shop is authorized: the refresh token, and the access token
	// preAuthentication got with it (the credential's hidden expirable field).
	credential: (sim, id, name) => ({ id, name, type: 'commerceSyncTikTokShopApi', data: { ...tiktokCredentialData(sim) } }),
	orderIds: (sim) => sim.store.orders.map((o) => o.id),
	cancelledIds: (sim) => sim.store.orders.filter((o) => o.status === 'CANCELLED').map((o) => o.id),
	marketplaceTaxedIds: (sim) => sim.store.orders.filter((o) => Number(o.payment.tax) > 0).map((o) => o.id),
	expireTokens: (sim) => sim.expireTokens(),
	revokeRefreshTokens: (sim) => sim.store.refreshTokens.clear(),
	// TikTok renews tokens with a GET on its auth host (the simulator answers it at the same address).
	tokenPath: '/api/v2/token/refresh',
	tokenMethod: 'GET',
	listingStock: (sim) => new Map(sim.store.products.flatMap((p) => p.skus.map((s) => [s.seller_sku, [...s.stock.values()][0] ?? 0] as [string, number]))),
	stockWrites: (sim, from) => sim.log.slice(from).filter((e) => e.label === UPDATE).length,
	checkBatches(sim, from, updated) {
		// Update Inventory takes the SKUs of one product: one call per product that holds a change.
		const products = new Set(updated.map((u) => u.listingId.split('/')[0]));
		expect(tiktok.stockWrites(sim, from)).toBe(products.size);
	},
	reader: (sim) => new TikTokChannel(tiktokTransport(tiktokCredentialData(sim)), realClock(), 'custom', sim.url, sim.shopCipher),
	newOrder: (sim) => sim.store.createOrder({ status: 'AWAITING_SHIPMENT', units: 1 }).id,
	trackingOn: (sim, id) => [...new Set((sim.store.order(id)?.line_items ?? []).map((l) => l.tracking_number ?? '').filter(Boolean))],
	buyerNotices: (sim, id) => sim.store.buyerNotices.get(id) ?? 0,
	trackingPath: /\/packages\/\d+\/ship$/,
};
