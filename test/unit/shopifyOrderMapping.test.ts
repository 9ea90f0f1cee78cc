/**
 * Shopify orders as the GraphQL API returns them (from the simulator, which follows the official schema)
 * mapped into the model field by field, against the store's own records: what every Shopify-reading
 * node hands downstream.
 */
import { ShopifyChannel } from '../../platforms/shopify/channel';
import type { Order } from '../../core/model';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { orderTotals } from '../simulators/shopify/store';
import { fetchTransport, realClock } from '../support/fetchTransport';

jest.setTimeout(60_000);

const cents = (amount: string) => Math.round(Number(amount) * 100);
const FINANCIAL: Record<string, string> = {
	PENDING: 'pending', AUTHORIZED: 'authorized', PARTIALLY_PAID: 'partiallyPaid', PAID: 'paid',
	PARTIALLY_REFUNDED: 'partiallyRefunded', REFUNDED: 'refunded', VOIDED: 'voided', EXPIRED: 'voided',
};

describe('Shopify order mapping, field by field against the store', () => {
	let sim: ShopifySimulator;
	let mapped: Map<string, Order>;
	beforeAll(async () => {
		sim = await startShopifySimulator({ orders: 200, products: 20, seed: 41, restoreRate: 1000, bucketSize: 20000 });
		// An order with more lines than a page of orders asks for (5): the rest must be read in follow-ups.
		const template = sim.store.orders.find((o) => o.lineItems.length > 0 && o.lineItems[0].sku)!.lineItems[0];
		sim.addOrder({ lineItems: Array.from({ length: 12 }, (_, i) => ({ ...template, id: 9_000_000 + i, quantity: 1 + (i % 3) })) });
		const channel = new ShopifyChannel(fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } }), realClock(), sim.url);
		mapped = new Map();
		for await (const page of channel.readOrders({ since: '2000-01-01T00:00:00Z', by: 'updated' })) {
			for (const { order } of page) mapped.set(order.channelOrderId, order);
		}
	});
	afterAll(() => sim.close());

	it('reads every line of an order with more lines than the first page holds', () => {
		const big = sim.store.orders.find((o) => o.lineItems.length === 12)!;
		const m = mapped.get(String(big.id))!;
		expect(m.lines.map((l) => l.channelLineId)).toEqual(big.lineItems.map((l) => String(l.id)));
		expect(m.problems).toEqual([]);
	});

	it('maps every order\'s identity, dates, status, customer and addresses', () => {
		expect(mapped.size).toBe(sim.store.orders.length);
		for (const o of sim.store.orders) {
			const m = mapped.get(String(o.id))!;
			expect({
				number: m.channelOrderNumber, created: m.createdAt, updated: m.updatedAt, currency: m.currency, taxesIncluded: m.taxesIncluded,
				cancelled: m.status === 'cancelled', cancelledAt: m.cancelledAt, financial: m.financialStatus, email: m.customer.email,
				city: m.shippingAddress?.city ?? null, zip: m.shippingAddress?.zip ?? null, country: m.shippingAddress?.countryCode ?? null, tags: m.tags, note: m.note,
			}).toEqual({
				number: o.name, created: new Date(o.createdAt).toISOString(), updated: new Date(o.updatedAt).toISOString(), currency: o.currencyCode,
				taxesIncluded: o.taxesIncluded, cancelled: o.cancelledAt !== null, cancelledAt: o.cancelledAt ? new Date(o.cancelledAt).toISOString() : null,
				financial: FINANCIAL[o.displayFinancialStatus] ?? 'unknown', email: o.email ?? o.customer?.email ?? null,
				city: o.shippingAddress?.city ?? null, zip: o.shippingAddress?.zip ?? null, country: o.shippingAddress?.countryCode ?? null, tags: o.tags, note: o.note,
			});
		}
	});

	it('maps lines, their prices, discounts and taxes in minor units, and totals that match the store\'s', () => {
		for (const o of sim.store.orders) {
			const m = mapped.get(String(o.id))!;
			expect(m.lines.map((l) => [l.sku, l.quantity, l.unitPrice, l.discount, l.taxLines.reduce((s, t) => s + t.amount, 0)])).toEqual(
				o.lineItems.map((l) => [l.sku || null, l.quantity, cents(l.unitPrice), cents(l.discount), l.taxLines.reduce((s, t) => s + cents(t.price), 0)]),
			);
			expect(m.lines.flatMap((l) => l.taxLines.map((t) => t.collector))).toEqual(
				o.lineItems.flatMap((l) => l.taxLines.filter((t) => cents(t.price) !== 0).map((t) => (t.channelLiable ? 'marketplace' : 'seller'))),
			);
			expect(m.shippingLines.map((s) => [s.title, s.price, s.discount])).toEqual(
				o.shippingLines.map((s) => [s.title, cents(s.price), cents(s.price) - cents(s.discountedPrice)]),
			);
			const t = orderTotals(o);
			expect(m.totals.total).toBe(t.total);
			expect(m.totals.tax).toBe(t.tax);
			expect(m.problems.filter((p) => p.includes('says the total'))).toEqual([]);
			expect(m.problems.filter((p) => p.includes('has no SKU')).length).toBe(o.lineItems.filter((l) => !l.sku).length);
		}
	});
});
