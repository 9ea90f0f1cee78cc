/**
 * TikTok Shop order → model, on TikTok's official examples (reference/examples) and on a US order whose
 * amounts add up: units grouped into lines by SKU, money in minor units, statuses, TikTok-collected tax
 * kept as the marketplace's, totals to the cent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOrder, totalsMismatches } from '../../core/order';
import { fractionToPercent, tiktokOrderToModel } from '../../platforms/tiktok/orderMapping';
import type { TikTokLineItem, TikTokOrder } from '../../platforms/tiktok/orderMapping';

const EXAMPLES = join(__dirname, '..', '..', '..', 'shared', 'reference', 'examples');
const example = (name: string) => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as { data: { orders: TikTokOrder[] } };

function unit(id: string, extra: Partial<TikTokLineItem> = {}): TikTokLineItem {
	return {
		id, sku_id: '2729382476852921560', product_id: '1729582718312380123', product_name: 'Winter Scarf', sku_name: 'Red', seller_sku: 'SCARF-RED',
		original_price: '20.00', sale_price: '17.00', seller_discount: '2.00', platform_discount: '1.00', currency: 'USD', display_status: 'AWAITING_SHIPMENT',
		package_id: '1153132168123859123', package_status: 'TO_FULFILL', is_gift: false, item_tax: [{ tax_type: 'SALES_TAX', tax_amount: '1.57', tax_rate: '0.0925' }],
		...extra,
	};
}

/** A US order: 2 scarves and 1 hat; shipping 5.99 less 1.00; 9.25% sales tax collected by TikTok. */
function usOrder(extra: Partial<TikTokOrder> = {}): TikTokOrder {
	const hat = unit('577086512123755125', { sku_id: '2729382476852921999', seller_sku: 'HAT-1', product_name: 'Hat', sku_name: 'One size', original_price: '10.00', sale_price: '10.00', seller_discount: '0', platform_discount: '0', item_tax: [{ tax_type: 'SALES_TAX', tax_amount: '0.93', tax_rate: '0.0925' }] });
	return {
		id: '576461413038785752', status: 'AWAITING_SHIPMENT', create_time: 1767600000, update_time: 1767600300, paid_time: 1767600005, user_id: '7021436810468230477', buyer_email: 'v2b2V5@scs2.tiktok.com',
		shipping_type: 'SELLER', delivery_option_name: 'Standard shipping', delivery_option_id: '7091146663229654785',
		payment: {
			currency: 'USD', original_total_product_price: '50.00', seller_discount: '4.00', platform_discount: '2.00', sub_total: '44.00',
			original_shipping_fee: '5.99', shipping_fee_seller_discount: '1.00', shipping_fee_platform_discount: '0', shipping_fee: '4.99',
			product_tax: '4.07', shipping_fee_tax: '0.46', tax: '4.53', total_amount: '53.52',
		},
		recipient_address: { name: 'David Kong', first_name: 'David', last_name: 'Kong', address_line1: '1199 Coleman Ave', postal_code: '95110', region_code: 'US', phone_number: '(+1)213-***-1234',
			district_info: [{ address_level: 'L0', address_name: 'United States' }, { address_level: 'L1', address_name: 'CA' }, { address_level: 'L3', address_name: 'San Jose' }] },
		packages: [{ id: '1153132168123859123' }],
		line_items: [unit('577086512123755123'), unit('577086512123755124'), hat],
		...extra,
	};
}

describe('TikTok Shop order → model', () => {
	it('groups one line item per unit into lines by SKU, in minor units', () => {
		const order = tiktokOrderToModel(usOrder(), 'ROW_SHOP');
		expect(order.lines.map((l) => [l.channelLineId, l.sku, l.quantity, l.unitPrice, l.discount, l.channelVariantId])).toEqual([
			['577086512123755123', 'SCARF-RED', 2, 2000, 600, '2729382476852921560'],
			['577086512123755125', 'HAT-1', 1, 1000, 0, '2729382476852921999'],
		]);
		expect(order).toMatchObject({ channel: 'tiktokShop', channelStoreId: 'ROW_SHOP', channelOrderId: '576461413038785752', status: 'open', financialStatus: 'paid', fulfillmentStatus: 'unfulfilled', paidAt: '2026-01-05T08:00:05.000Z' });
		expect(order.shippingAddress).toMatchObject({ firstName: 'David', lastName: 'Kong', city: 'San Jose', provinceCode: 'CA', countryCode: 'US' });
	});

	it('keeps the tax TikTok collected as the marketplace\'s, and the totals reconcile to the cent', () => {
		const order = tiktokOrderToModel(usOrder(), 'ROW_SHOP');
		expect(order.lines[0].taxLines).toEqual([{ title: 'Sales tax (collected by TikTok Shop)', ratePercent: '9.25', amount: 314, collector: 'marketplace' }]);
		expect(order.lines[1].taxLines).toEqual([{ title: 'Sales tax (collected by TikTok Shop)', ratePercent: '9.25', amount: 93, collector: 'marketplace' }]);
		expect(order.shippingLines).toEqual([{ title: 'Standard shipping', code: '7091146663229654785', price: 599, discount: 100, taxLines: [{ title: 'Shipping tax (collected by TikTok Shop)', ratePercent: null, amount: 46, collector: 'marketplace' }] }]);
		expect(order.totals).toEqual({ subtotal: 5000, discount: 700, shipping: 599, fees: 0, tax: 453, total: 5352 });
		expect(order.problems).toEqual([]);
		expect(totalsMismatches(order)).toEqual([]);
		expect(readOrder(order)).toEqual(order);
	});

	it('maps every documented status', () => {
		const cases: Array<[string, string, string, string]> = [
			['UNPAID', 'open', 'pending', 'unfulfilled'], ['AWAITING_SHIPMENT', 'open', 'paid', 'unfulfilled'], ['AWAITING_COLLECTION', 'completed', 'paid', 'fulfilled'],
			['IN_TRANSIT', 'completed', 'paid', 'fulfilled'], ['DELIVERED', 'completed', 'paid', 'fulfilled'], ['COMPLETED', 'completed', 'paid', 'fulfilled'], ['CANCELLED', 'cancelled', 'refunded', 'unfulfilled'],
		];
		for (const [status, ours, financial, fulfillment] of cases) {
			expect([status, tiktokOrderToModel(usOrder({ status }), 'S')]).toMatchObject([status, { status: ours, financialStatus: financial, fulfillmentStatus: fulfillment }]);
		}
		expect(tiktokOrderToModel(usOrder({ status: 'CANCELLED', paid_time: undefined, cancel_time: 1767700000 }), 'S')).toMatchObject({ financialStatus: 'voided', cancelledAt: '2026-01-06T11:46:40.000Z' });
	});

	it('uses the currency\'s exponent (IDR has 2, JPY none) and reports amounts with more decimals', () => {
		const jpy = usOrder({ payment: { currency: 'JPY', sub_total: '1500', total_amount: '1500', original_total_product_price: '1500' }, line_items: [unit('1', { original_price: '500', sale_price: '500', seller_discount: '0', platform_discount: '0', item_tax: [] }), unit('2', { original_price: '500', sale_price: '500', seller_discount: '0', platform_discount: '0', item_tax: [] }), unit('3', { original_price: '500', sale_price: '500', seller_discount: '0', platform_discount: '0', item_tax: [] })] });
		const order = tiktokOrderToModel(jpy, 'S');
		expect(order.lines).toHaveLength(1);
		expect(order.lines[0]).toMatchObject({ quantity: 3, unitPrice: 500 });
		expect(order.totals.total).toBe(1500);
		expect(order.problems).toEqual([]);
		expect(fractionToPercent('0.0725')).toBe('7.25');
		expect(fractionToPercent('0.35')).toBe('35');
	});

	it('maps the official Get Order Detail (202507) example, field by field', () => {
		const raw = example('tiktokshop-order-detail-202507-response.json').data.orders[0];
		const order = tiktokOrderToModel(raw, 'ROW_RHkDDABBAAB8tKAVoAqsMTjsQZFLyNfY');
		expect(order).toMatchObject({
			channelOrderId: '576461413038785752', currency: 'IDR', status: 'open', financialStatus: 'pending', createdAt: '2021-04-28T12:06:01.000Z', updatedAt: '2021-04-28T14:49:15.000Z',
			customer: { email: 'v2b2V5@chat.seller.tiktok.com', channelCustomerId: '7021436810468230477' }, note: 'Please ship asap!',
		});
		expect(order.lines).toEqual([expect.objectContaining({ channelLineId: '577086512123755123', sku: 'red_iphone_256', quantity: 1, unitPrice: 1, discount: 0, channelProductId: '1729582718312380123', variantTitle: 'Iphone' })]);
		// The example's tax is TikTok's, all of it the marketplace's: shipping_fee_tax (11) on shipping, and since its
		// tax (5000) is not product_tax + shipping_fee_tax + item_insurance_tax, the line takes the rest of tax.
		expect(order.lines[0].taxLines.map((t) => [t.amount, t.collector])).toEqual([[497900, 'marketplace']]);
		expect(order.problems.some((p) => p.startsWith('payment.tax 5000 is not product_tax'))).toBe(true);
		expect(order.shippingLines[0].taxLines.map((t) => [t.amount, t.collector])).toEqual([[1100, 'marketplace']]);
		expect(order.feeLines.map((f) => f.title)).toEqual(['Retail delivery fee', 'Small order fee', 'Buyer service fee', 'Handling fee', 'Shipping insurance', 'Item insurance']);
		// The example's amounts are placeholders ("5000" everywhere) that do not add up; that is reported, not hidden.
		expect(order.problems.some((p) => p.includes('TikTok Shop says the total is 5000'))).toBe(true);
		expect(totalsMismatches(order)).toEqual([]);
	});

	it('maps the official Get Order List (202309) example the same way', () => {
		const raw = (JSON.parse(readFileSync(join(EXAMPLES, 'tiktokshop-order-search-202309-response.json'), 'utf8')) as { data: { orders: TikTokOrder[]; next_page_token: string } }).data.orders[0];
		const order = tiktokOrderToModel(raw, 'S');
		expect(order).toMatchObject({ channelOrderId: '576461413038785752', currency: 'IDR', lines: [expect.objectContaining({ sku: 'red_iphone_256', quantity: 1 })] });
		expect(order.shippingAddress).toMatchObject({ address1: 'TikTok 5800 bristol Pkwy', address2: 'Suite 100', zip: '95110', countryCode: 'US' });
	});
});
