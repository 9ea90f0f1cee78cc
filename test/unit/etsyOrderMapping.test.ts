/**
 * Etsy receipt → order model: money objects to minor units, statuses, lines, and Etsy's collected sales
 * tax and VAT kept as marketplace tax (never the seller's), with totals that reconcile to the cent.
 * The receipt below follows the spec's ShopReceipt schema field by field (the spec carries no example).
 */
import { readOrder, totalsMismatches } from '../../core/order';
import { loadSpec, specProblems } from '../support/specShape';
import { readTaxRules, splitTax } from '../../core/tax';
import { ETSY_SALES_TAX_TITLE, ETSY_VAT_TITLE, etsyMoneyToDecimal, etsyMoneyToMinor, etsyReceiptToModel } from '../../platforms/etsy/orderMapping';
import type { EtsyMoney, EtsyReceipt } from '../../platforms/etsy/orderMapping';

const usd = (amount: number): EtsyMoney => ({ amount, divisor: 100, currency_code: 'USD' });

function receipt(extra: Partial<EtsyReceipt> = {}): EtsyReceipt {
	return {
		receipt_id: 3_012_345_678, status: 'paid', buyer_user_id: 555, buyer_email: 'ann.lee@example.com', name: 'Ann Mary Lee',
		first_line: '12 Congress Ave', second_line: 'Apt 3', city: 'Austin', state: 'TX', zip: '78701', country_iso: 'US',
		message_from_buyer: 'Thanks!', is_paid: true, is_shipped: false, created_timestamp: 1_767_600_000, updated_timestamp: 1_767_603_600,
		is_gift: false,
		total_price: usd(5997), subtotal: usd(5397), total_shipping_cost: usd(599), total_tax_cost: usd(495), total_vat_cost: usd(0),
		discount_amt: usd(600), gift_wrap_price: usd(0), grandtotal: usd(5397 + 599 + 495),
		shipments: [],
		transactions: [
			{
				transaction_id: 41, title: 'Mug', quantity: 2, listing_id: 900, product_id: 9001, sku: 'MUG-BLUE', price: usd(1999), paid_timestamp: 1_767_600_060,
				variations: [{ property_id: 200, value_id: 2, formatted_name: 'Primary color', formatted_value: 'Blue' }], shipping_method: 'Standard',
			},
			{ transaction_id: 42, title: 'Card', quantity: 1, listing_id: 901, product_id: 9011, sku: '', price: usd(1999), paid_timestamp: 1_767_600_060 },
		],
		refunds: [],
		...extra,
	};
}

describe('Etsy receipt → order model', () => {
	it('is tested on a fixture with only the fields, types and values of the official schema', () => {
		expect(specProblems(loadSpec('etsy-openapi-v3.json'), { $ref: '#/components/schemas/ShopReceipt' }, receipt())).toEqual([]);
	});

	it('turns money objects into integer minor units with the currency exponent', () => {
		expect(etsyMoneyToMinor(usd(1999), 'USD')).toBe(1999);
		expect(etsyMoneyToMinor({ amount: 2500, divisor: 1, currency_code: 'JPY' }, 'JPY')).toBe(2500);
		expect(etsyMoneyToMinor({ amount: 12345, divisor: 1000, currency_code: 'KWD' }, 'KWD')).toBe(12345);
		expect(etsyMoneyToMinor({ amount: 1999, divisor: 100, currency_code: 'KWD' }, 'KWD')).toBe(19990);
		const inexact: string[] = [];
		expect(etsyMoneyToMinor({ amount: 12345, divisor: 1000, currency_code: 'USD' }, 'USD', (e) => inexact.push(e))).toBe(1235);
		expect(inexact).toEqual(['12345/1000']);
		expect(etsyMoneyToDecimal(usd(1999))).toBe(19.99);
		expect(JSON.stringify(etsyMoneyToDecimal(usd(10)))).toBe('0.1');
	});

	const order = etsyReceiptToModel(receipt(), '12345678');

	it('keeps the identity, dates and buyer of the receipt', () => {
		expect(order).toMatchObject({ channel: 'etsy', channelStoreId: '12345678', channelOrderId: '3012345678', channelOrderNumber: '3012345678' });
		expect(order.createdAt).toBe('2026-01-05T08:00:00.000Z');
		expect(order.updatedAt).toBe('2026-01-05T09:00:00.000Z');
		expect(order.paidAt).toBe('2026-01-05T08:01:00.000Z');
		expect(order.customer).toMatchObject({ email: 'ann.lee@example.com', firstName: 'Ann Mary', lastName: 'Lee', channelCustomerId: '555' });
		expect(order.shippingAddress).toMatchObject({ address1: '12 Congress Ave', address2: 'Apt 3', city: 'Austin', provinceCode: 'TX', zip: '78701', countryCode: 'US' });
	});

	it('reads transactions as lines with SKU, quantity, unit price and the buyer\'s choices', () => {
		expect(order.lines.map((l) => [l.channelLineId, l.sku, l.quantity, l.unitPrice, l.variantTitle, l.channelProductId, l.channelVariantId])).toEqual([
			['41', 'MUG-BLUE', 2, 1999, 'Primary color: Blue', '900', '9001'],
			['42', null, 1, 1999, null, '901', '9011'],
		]);
		expect(order.problems).toEqual(['line 2 (Card) has no SKU']);
	});

	it('keeps sales tax collected by Etsy as marketplace tax, allocated exactly, and the totals reconcile with grandtotal', () => {
		const taxLines = [...order.lines.flatMap((l) => l.taxLines), ...order.shippingLines.flatMap((s) => s.taxLines)];
		expect(taxLines.every((t) => t.collector === 'marketplace' && t.title === ETSY_SALES_TAX_TITLE)).toBe(true);
		expect(taxLines.reduce((s, t) => s + t.amount, 0)).toBe(495);
		expect(order.totals).toEqual({ subtotal: 5997, discount: 600, shipping: 599, fees: 0, tax: 495, total: 6491 });
		expect(order.orderDiscount).toBe(600);
		expect(totalsMismatches(order)).toEqual([]);
		expect(readOrder(order)).toEqual(order);
	});

	it('keeps VAT collected by Etsy apart from sales tax, and neither counts as the seller\'s tax', () => {
		const gb = etsyReceiptToModel(receipt({ country_iso: 'GB', state: null, total_tax_cost: usd(0), total_vat_cost: usd(1199), grandtotal: usd(5397 + 599 + 1199), gift_wrap_price: usd(400) }), 's');
		const vat = gb.lines.flatMap((l) => l.taxLines).concat(gb.shippingLines.flatMap((s) => s.taxLines));
		expect(vat.every((t) => t.title === ETSY_VAT_TITLE && t.collector === 'marketplace')).toBe(true);
		expect(gb.totals.tax).toBe(1199);
		expect(gb.feeLines).toEqual([{ title: 'Gift wrap', amount: 400, taxLines: [] }]);
		// grandtotal left out gift wrap here: the mismatch is reported, not hidden.
		expect(gb.problems.some((p) => p.includes('grand total'))).toBe(true);
		// Split Tax must not take Etsy's tax for the seller's: it applies the seller's rate on top.
		const result = splitTax(gb, readTaxRules({ mode: 'applyRate', rate: '20', label: 'VAT', pricesIncludeTax: true, addShippingTax: false, overrideChannelTax: false }));
		expect(result.taxDecision).not.toBe('kept channel tax');
		expect(result.order.lines.flatMap((l) => l.taxLines).filter((t) => t.collector === 'marketplace').reduce((s, t) => s + t.amount, 0))
			.toBe(gb.lines.flatMap((l) => l.taxLines).reduce((s, t) => s + t.amount, 0));
	});

	it('maps Etsy statuses to paid, shipped, cancelled and refunded', () => {
		const map = (extra: Partial<EtsyReceipt>) => {
			const o = etsyReceiptToModel(receipt(extra), 's');
			return [o.status, o.financialStatus, o.fulfillmentStatus];
		};
		expect(map({})).toEqual(['open', 'paid', 'unfulfilled']);
		expect(map({ status: 'completed', is_shipped: true })).toEqual(['completed', 'paid', 'fulfilled']);
		expect(map({ status: 'open', is_paid: false })).toEqual(['open', 'pending', 'unfulfilled']);
		expect(map({ status: 'payment processing', is_paid: false })).toEqual(['open', 'pending', 'unfulfilled']);
		expect(map({ status: 'canceled', is_paid: false })).toEqual(['cancelled', 'voided', 'unfulfilled']);
		expect(map({ status: 'canceled', is_paid: true })).toEqual(['cancelled', 'refunded', 'unfulfilled']);
		expect(map({ status: 'fully refunded' })).toEqual(['cancelled', 'refunded', 'unfulfilled']);
		expect(map({ status: 'partially refunded', is_shipped: true, refunds: [{ amount: usd(500) }] })).toEqual(['completed', 'partiallyRefunded', 'fulfilled']);
		expect(etsyReceiptToModel(receipt({ is_paid: false, status: 'open' }), 's').paidAt).toBeNull();
		expect(etsyReceiptToModel(receipt({ status: 'canceled' }), 's').cancelledAt).toBe('2026-01-05T09:00:00.000Z');
	});
});
