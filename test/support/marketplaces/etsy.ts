/** Etsy in the marketplace end-to-end test. */
import type { Marketplace } from './types';
import { startEtsySimulator } from '../../simulators/etsy';
import type { EtsySimulator } from '../../simulators/etsy';
import { fetchTransport, realClock } from '../fetchTransport';
import { EtsyChannel } from '../../../platforms/etsy/channel';

export const etsy: Marketplace<EtsySimulator> = {
	label: 'Etsy',
	channel: 'etsy',
	credentialName: 'Commerce Sync Etsy OAuth2 API',
	start: () => startEtsySimulator({ receipts: 330, listings: 14, seed: 82, spacingSeconds: 40 * 60, start: '2026-10-01T00:00:00Z' }),
	demo: (start, port) => startEtsySimulator({ port, receipts: 24, listings: 8, seed: 92, spacingSeconds: 3600, start }),
	credential(sim, id, name) {
		const token = sim.store.issueToken(['transactions_r', 'transactions_w', 'listings_r', 'listings_w', 'shops_r'], sim.options.tokenLifetimeSeconds);
		return {
			id, name, type: 'commerceSyncEtsyOAuth2Api',
			data: {
				environment: 'custom', baseUrl: sim.baseUrl, clientId: sim.keystring, sharedSecret: sim.sharedSecret, shopId: sim.shopId,
				oauthTokenData: { access_token: token.access_token, refresh_token: token.refresh_token, token_type: 'Bearer', expires_in: token.expires_in },
			},
		};
	},
	orderIds: (sim) => sim.store.receipts.map((r) => String(r.receipt_id)),
	cancelledIds: (sim) => sim.store.receipts.filter((r) => r.status === 'canceled').map((r) => String(r.receipt_id)),
	marketplaceTaxedIds: (sim) => sim.store.receipts.filter((r) => r.total_tax_cost.amount > 0 || r.total_vat_cost.amount > 0).map((r) => String(r.receipt_id)),
	expireTokens: (sim) => sim.expireTokens(),
	revokeRefreshTokens: (sim) => sim.store.refreshTokens.clear(),
	tokenPath: '/v3/public/oauth/token',
	listingStock: (sim) => new Map([...sim.store.listings.values()]
		.filter((l) => ['active', 'sold_out', 'inactive'].includes(l.state))
		.flatMap((l) => l.inventory.products.filter((p) => !p.is_deleted && p.sku).map((p) => [p.sku, p.offerings.find((o) => !o.is_deleted)?.quantity ?? 0] as [string, number]))),
	stockWrites: (sim, from) => sim.log.slice(from).filter((e) => e.method === 'PUT' && /\/listings\/\d+\/inventory$/.test(e.path)).length,
	checkBatches(sim, from, updated) {
		// Etsy replaces a listing's whole inventory per call: one PUT per listing that holds a change.
		const listings = new Set(updated.map((u) => u.listingId.split('/')[0]));
		expect(etsy.stockWrites(sim, from)).toBe(listings.size);
	},
	reader: (sim) => new EtsyChannel(
		fetchTransport({ headers: { authorization: `Bearer ${sim.issueToken()}` } }), realClock(), sim.shopId, sim.apiKey, sim.baseUrl,
	),
	newOrder: (sim) => String(sim.store.createReceipt({ status: 'paid' }).receipt_id),
	trackingOn: (sim, id) => sim.store.receipt(Number(id)).shipments.map((s) => s.tracking_code),
	buyerNotices: (sim, id) => sim.store.buyerEmails.get(Number(id)) ?? 0,
	trackingPath: /\/receipts\/\d+\/tracking$/,
};
