import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOrder, totalsMismatches } from '../../core/order';
import { wooGmtToIso, wooOrderToModel } from '../../platforms/woocommerce/orderMapping';
import type { WooOrder } from '../../platforms/woocommerce/orderMapping';

const examples = join(__dirname, '..', '..', '..', 'shared', 'reference', 'examples');
const load = <T>(name: string): T => JSON.parse(readFileSync(join(examples, name), 'utf8')) as T;

describe('WooCommerce order → model, on the official example payloads', () => {
	const order = wooOrderToModel(load<WooOrder>('woocommerce-order.json'), 'https://example.com');

	it('keeps the identity a shop owner searches by', () => {
		expect(order).toMatchObject({
			channel: 'woocommerce', channelStoreId: 'https://example.com', channelOrderId: '727', channelOrderNumber: '727',
		});
	});

	it('reads GMT dates as UTC, not the shop\'s local time', () => {
		expect(order.createdAt).toBe('2017-03-22T19:28:02.000Z');
		expect(order.updatedAt).toBe('2017-03-22T19:28:08.000Z');
		expect(order.paidAt).toBe('2017-03-22T19:28:08.000Z');
	});

	it('maps processing to paid and not yet shipped', () => {
		expect(order).toMatchObject({ status: 'open', financialStatus: 'paid', fulfillmentStatus: 'unfulfilled' });
	});

	it('reads every line with its SKU, quantity, unit price and tax, in cents', () => {
		expect(order.lines.map((l) => [l.sku, l.quantity, l.unitPrice, l.discount, l.taxLines.map((t) => [t.title, t.amount])])).toEqual([
			[null, 2, 300, 0, [['State Tax', 45]]],
			['Bar3', 1, 1200, 0, [['State Tax', 90]]],
		]);
		expect(order.lines[1].title).toBe('Ship Your Idea – Color: Black, Size: M Test');
		expect(order.lines[1].variantTitle).toBe('pa_color: black, size: M Test');
		expect(order.lines[1]).toMatchObject({ channelProductId: '22', channelVariantId: '23', channelLineId: '316' });
	});

	it('totals reconcile to the cent with WooCommerce\'s own total (29.35)', () => {
		expect(order.totals).toEqual({ subtotal: 1800, discount: 0, shipping: 1000, fees: 0, tax: 135, total: 2935 });
		expect(totalsMismatches(order)).toEqual([]);
		expect(readOrder(order)).toEqual(order);
	});

	it('lists a line without SKU as a problem instead of failing the order', () => {
		expect(order.problems).toEqual(['line 1 (Woo Single #1) has no SKU']);
	});

	it('maps the customer and both addresses', () => {
		expect(order.customer).toMatchObject({ email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe' });
		expect(order.shippingAddress).toMatchObject({ address1: '969 Market', city: 'San Francisco', provinceCode: 'CA', zip: '94103', countryCode: 'US' });
		expect(order.billingAddress?.phone).toBe('(555) 555-5555');
	});

	it('maps the orders list example: a completed order with two refunds is partially refunded', () => {
		const list = load<WooOrder[]>('woocommerce-orders-list.json').map((o) => wooOrderToModel(o, 's'));
		expect(list.map((o) => [o.channelOrderId, o.status, o.financialStatus, o.fulfillmentStatus, o.totals.total])).toEqual([
			['727', 'open', 'paid', 'unfulfilled', 2935],
			['723', 'completed', 'partiallyRefunded', 'fulfilled', 3900],
		]);
	});
});

describe('WooCommerce odd payloads are emitted with their problems', () => {
	const base = load<WooOrder>('woocommerce-order.json');

	it('a total that disagrees with its lines is named, not silently fixed', () => {
		const order = wooOrderToModel({ ...base, total: '30.00' }, 's');
		expect(order.problems).toContain('WooCommerce says the total is 30.00 but the lines add up to 29.35');
		expect(order.totals.total).toBe(2935);
	});

	it('a subtotal that does not divide by the quantity stays exact through the line discount', () => {
		const line = { ...base.line_items![1], quantity: 3, subtotal: '10.00', total: '10.00', taxes: [] };
		const order = wooOrderToModel({ ...base, line_items: [line], shipping_lines: [], total: '10.00', tax_lines: [] }, 's');
		expect(order.lines[0]).toMatchObject({ unitPrice: 334, quantity: 3, discount: 2 });
		expect(order.totals.total).toBe(1000);
	});

	it('an unknown currency is reported and amounts are not guessed', () => {
		const order = wooOrderToModel({ ...base, currency: 'XYZ' }, 's');
		expect(order.problems[0]).toMatch(/currency "XYZ"/);
	});

	it('a cancelled order carries a cancellation time so downstream can restock', () => {
		const order = wooOrderToModel({ ...base, status: 'cancelled' }, 's');
		expect(order.status).toBe('cancelled');
		expect(order.cancelledAt).toBe('2017-03-22T19:28:08.000Z');
	});

	it('a refund of the whole total makes the order refunded', () => {
		const order = wooOrderToModel({ ...base, refunds: [{ id: 1, total: '-29.35' }] }, 's');
		expect(order.financialStatus).toBe('refunded');
	});

	it('dates with or without a zone read the same instant', () => {
		expect(wooGmtToIso('2024-01-02T03:04:05')).toBe('2024-01-02T03:04:05.000Z');
		expect(wooGmtToIso('2024-01-02T03:04:05Z')).toBe('2024-01-02T03:04:05.000Z');
		expect(wooGmtToIso(null)).toBeNull();
	});
});
