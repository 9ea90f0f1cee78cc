/**
 * Amazon Orders 2026-01-01 → our order model, on the examples of the spec itself
 * (shared/reference/specs/amazon-spapi-orders_2026-01-01.json: the searchOrders and getOrder examples and
 * sandbox answers), plus the cases the examples lack: a cancelled order, marketplace facilitator tax,
 * discounts, three-decimal currencies and amounts that do not reconcile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { amazonOrderToModel } from '../../platforms/amazon/orderMapping';
import type { AmazonOrder } from '../../platforms/amazon/orderMapping';
import { computeTotals } from '../../core/order';

type Json = Record<string, any>;

const spec = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'shared', 'reference', 'specs', 'amazon-spapi-orders_2026-01-01.json'), 'utf8')) as Json;

/** Every order the spec shows, by id. */
function specOrders(): Map<string, AmazonOrder> {
	const out = new Map<string, AmazonOrder>();
	for (const ops of Object.values(spec.paths) as Json[]) {
		for (const op of Object.values(ops) as Json[]) {
			const ok = op.responses['200'];
			const answers = [...Object.values(ok.examples ?? {}), ...(ok['x-amzn-api-sandbox']?.static ?? []).map((c: Json) => c.response)] as Json[];
			for (const answer of answers) for (const o of answer.orders ?? [answer.order]) out.set(o.orderId, o as AmazonOrder);
		}
	}
	return out;
}

const examples = specOrders();
const example = (id: string) => JSON.parse(JSON.stringify(examples.get(id))) as AmazonOrder;

describe('Amazon order mapping on the spec\'s examples', () => {
	it('finds the spec\'s examples', () => {
		expect(examples.size).toBeGreaterThanOrEqual(8);
	});

	it('maps the searchOrders example: lines, tax, the delivery tip, package, totals to the cent', () => {
		const order = amazonOrderToModel(example('123-4567890-1234567'), 'A1SELLER');
		expect(order).toMatchObject({
			channel: 'amazon', channelStoreId: 'A1SELLER', channelOrderId: '123-4567890-1234567', channelOrderNumber: '123-4567890-1234567',
			createdAt: '2024-12-25T10:30:00.000Z', updatedAt: '2024-12-25T14:45:00.000Z', currency: 'USD',
			status: 'completed', financialStatus: 'paid', fulfillmentStatus: 'fulfilled',
		});
		expect(order.lines.map((l) => [l.sku, l.quantity, l.unitPrice, l.discount, l.taxLines.map((t) => [t.amount, t.collector])])).toEqual([
			['ECHO-DOT-4-CHARCOAL', 2, 4999, 0, [[2, 'seller']]],
			['FIRE-TV-4K-2021', 1, 4999, 0, []],
		]);
		expect(order.feeLines).toEqual([{ title: 'Delivery tip', amount: 500, taxLines: [] }]);
		expect(order.totals.total).toBe(15499);
		expect(order.problems).toEqual([]);
		expect(order.shippingAddress).toMatchObject({ firstName: 'John', lastName: 'Smith', company: 'Smith Industries LLC', city: 'Seattle', provinceCode: 'WA', countryCode: 'US', phone: '555-123-4567' });
		expect(order.customer.email).toBe('buyer-email@marketplace.amazon.com');
	});

	it('maps the getOrder example: tax split between the item and its shipping by the detailed breakdown', () => {
		const order = amazonOrderToModel(example('202-1234567-8901234'), 'A1SELLER');
		expect(order.lines[0]).toMatchObject({ quantity: 3, unitPrice: 2999, taxLines: [{ amount: 300, collector: 'seller' }] });
		expect(order.shippingLines).toEqual([expect.objectContaining({ price: 1000, discount: 0, taxLines: [expect.objectContaining({ amount: 100 })] })]);
		expect(order.totals).toMatchObject({ subtotal: 8997, shipping: 1000, tax: 400, total: 10397 });
		expect(order.problems).toEqual([]);
	});

	it('keeps JPY in whole yen (exponent 0)', () => {
		const order = amazonOrderToModel(example('250-1234567-8901234'), 'A1SELLER');
		expect(order.currency).toBe('JPY');
		expect(order.lines.map((l) => [l.unitPrice, l.quantity])).toEqual([[5980, 1], [6980, 2]]);
		expect(order.totals.total).toBe(19940);
		expect(order.tags).toContain('FBA');
		expect(order.problems).toEqual([]);
	});

	it('marks the marketplace facilitator item of the Turkish example, and Unshipped orders open and paid', () => {
		const tr = example('028-1234567-8901234');
		// The example has the facilitator model but no TAX amount: give it one, as a taxed order would carry.
		tr.orderItems[0].proceeds!.breakdowns!.push({ type: 'TAX', subtotal: { amount: '25.00', currencyCode: 'TRY' } });
		tr.proceeds!.grandTotal!.amount = '150.00';
		const order = amazonOrderToModel(tr, 'A1SELLER');
		expect(order.lines[0].taxLines).toEqual([{ title: 'VAT (collected by Amazon)', ratePercent: null, amount: 2500, collector: 'marketplace' }]);
		expect(order.totals.total).toBe(15000);
		expect(order.problems).toEqual([]);
		const unshipped = amazonOrderToModel(example('171-9876543-2109876'), 'A1SELLER');
		expect(unshipped).toMatchObject({ status: 'open', financialStatus: 'paid', fulfillmentStatus: 'unfulfilled', currency: 'BRL' });
	});

	it('reconciles every example to the cent', () => {
		for (const raw of examples.values()) {
			const order = amazonOrderToModel(JSON.parse(JSON.stringify(raw)) as AmazonOrder, 'S');
			expect([raw.orderId, order.problems.filter((p) => /total/.test(p))]).toEqual([raw.orderId, []]);
			expect(order.totals).toEqual(computeTotals(order));
		}
	});
});

describe('Amazon order mapping beyond the examples', () => {
	const base = (): AmazonOrder => example('114-9876543-1234567');

	it('maps every fulfillment status, v0 spellings too', () => {
		const status = (s: string) => {
			const raw = base();
			raw.fulfillment!.fulfillmentStatus = s;
			const o = amazonOrderToModel(raw, 'S');
			return [o.status, o.financialStatus, o.fulfillmentStatus, o.cancelledAt !== null];
		};
		expect(status('PENDING')).toEqual(['open', 'pending', 'unfulfilled', false]);
		expect(status('PENDING_AVAILABILITY')).toEqual(['open', 'pending', 'unfulfilled', false]);
		expect(status('UNSHIPPED')).toEqual(['open', 'paid', 'unfulfilled', false]);
		expect(status('PARTIALLY_SHIPPED')).toEqual(['open', 'paid', 'partial', false]);
		expect(status('SHIPPED')).toEqual(['completed', 'paid', 'fulfilled', false]);
		expect(status('CANCELLED')).toEqual(['cancelled', 'voided', 'unfulfilled', true]);
		expect(status('Canceled')).toEqual(['cancelled', 'voided', 'unfulfilled', true]);
		expect(status('PartiallyShipped')).toEqual(['open', 'paid', 'partial', false]);
		const odd = base();
		odd.fulfillment!.fulfillmentStatus = 'LOST_IN_SPACE';
		expect(amazonOrderToModel(odd, 'S').problems.join(' ')).toMatch(/LOST_IN_SPACE/);
	});

	it('keeps US marketplace facilitator sales tax apart from the seller\'s, on items and shipping', () => {
		const raw = base();
		const item = raw.orderItems[0];
		item.proceeds!.breakdowns = [
			{ type: 'ITEM', subtotal: { amount: '39.99', currencyCode: 'USD' } },
			{ type: 'SHIPPING', subtotal: { amount: '5.99', currencyCode: 'USD' } },
			{ type: 'DISCOUNT', subtotal: { amount: '-6.00', currencyCode: 'USD' }, detailedBreakdowns: [{ subtype: 'ITEM', value: { amount: '-5.00', currencyCode: 'USD' } }, { subtype: 'SHIPPING', value: { amount: '-1.00', currencyCode: 'USD' } }] },
			{ type: 'TAX', subtotal: { amount: '2.90', currencyCode: 'USD' }, detailedBreakdowns: [{ subtype: 'ITEM', value: { amount: '2.54', currencyCode: 'USD' } }, { subtype: 'SHIPPING', value: { amount: '0.36', currencyCode: 'USD' } }] },
		];
		item.tax = { taxCollections: [{ model: 'MARKETPLACE_FACILITATOR', responsibleParty: 'Amazon Services, Inc.' }] };
		raw.proceeds = { grandTotal: { amount: '42.88', currencyCode: 'USD' } };
		const order = amazonOrderToModel(raw, 'S');
		expect(order.lines[0]).toMatchObject({ unitPrice: 3999, discount: 500, taxLines: [{ title: 'Sales tax (collected by Amazon)', amount: 254, collector: 'marketplace' }] });
		expect(order.shippingLines[0]).toMatchObject({ price: 599, discount: 100, taxLines: [{ amount: 36, collector: 'marketplace' }] });
		expect(order.totals.total).toBe(4288);
		expect(order.problems).toEqual([]);
	});

	it('books a unit price that does not divide evenly as an exact line, and a three-decimal currency exactly', () => {
		const raw = base();
		raw.orderItems[0].quantityOrdered = 3;
		raw.orderItems[0].product.price = { unitPrice: { amount: '3.333', currencyCode: 'KWD' } };
		raw.orderItems[0].proceeds = { breakdowns: [{ type: 'ITEM', subtotal: { amount: '10.000', currencyCode: 'KWD' } }] };
		raw.proceeds = { grandTotal: { amount: '10.000', currencyCode: 'KWD' } };
		const order = amazonOrderToModel(raw, 'S');
		expect(order.currency).toBe('KWD');
		expect(order.lines[0]).toMatchObject({ unitPrice: 3334, quantity: 3, discount: 2 });
		expect(order.totals.total).toBe(10000);
		expect(order.problems).toEqual([]);
	});

	it('says so when Amazon\'s grand total and the lines disagree, and when an FBM order has no address (no PII role)', () => {
		const raw = base();
		raw.proceeds!.grandTotal!.amount = '50.00';
		delete raw.recipient;
		const order = amazonOrderToModel(raw, 'S');
		expect(order.problems.join(' | ')).toMatch(/total is 50.00 but the lines add up to 49.99/);
		expect(order.problems.join(' | ')).toMatch(/no delivery address/);
	});
});
