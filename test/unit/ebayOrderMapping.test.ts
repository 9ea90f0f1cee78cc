/**
 * eBay order → model: payment and cancellation states, SKU lines in minor units with the currency's
 * exponent, and eBay's Collect and Remit tax kept apart from the seller's, with totals to the cent.
 * (The Fulfillment spec carries no example payloads; the fixture follows its field descriptions.)
 */
import { readOrder, totalsMismatches } from '../../core/order';
import { loadSpec, specProblems } from '../support/specShape';
import { ebayOrderToModel, marketplaceCollectedTax } from '../../platforms/ebay/orderMapping';
import type { EbayOrder } from '../../platforms/ebay/orderMapping';

const usd = (value: string) => ({ value, currency: 'USD' });

function usOrder(extra: Partial<EbayOrder> = {}): EbayOrder {
	return {
		orderId: '12-34567-89012',
		creationDate: '2026-02-01T10:00:00.000Z',
		lastModifiedDate: '2026-02-01T12:30:00.000Z',
		orderFulfillmentStatus: 'NOT_STARTED',
		orderPaymentStatus: 'PAID',
		buyer: { username: 'ann_lee', buyerRegistrationAddress: { fullName: 'Ann Lee', email: 'ann@example.com', primaryPhone: { phoneNumber: '555-0100' } } },
		cancelStatus: { cancelState: 'NONE_REQUESTED', cancelRequests: [] },
		pricingSummary: { priceSubtotal: usd('59.98'), priceDiscount: usd('-5.00'), deliveryCost: usd('5.00'), tax: usd('4.45'), total: usd('64.43') },
		paymentSummary: { payments: [{ paymentMethod: 'EBAY', paymentStatus: 'PAID', paymentDate: '2026-02-01T10:00:05.000Z', amount: usd('64.43') }], refunds: [] },
		fulfillmentStartInstructions: [{ fulfillmentInstructionsType: 'SHIP_TO', shippingStep: { shippingServiceCode: 'USPSPriority', shipTo: { fullName: 'Ann Lee', contactAddress: { addressLine1: '1 Main St', city: 'San Jose', stateOrProvince: 'CA', postalCode: '95131', countryCode: 'US' } } } }],
		ebayCollectAndRemitTax: true,
		lineItems: [
			{
				lineItemId: '10001', legacyItemId: '110001', sku: 'MUG-RED', title: 'Mug', quantity: 2,
				lineItemCost: usd('49.98'), discountedLineItemCost: usd('44.98'), total: usd('54.43'),
				deliveryCost: { shippingCost: usd('5.00') },
				appliedPromotions: [{ promotionId: 'P1', description: '10% off', discountAmount: usd('5.00') }],
				taxes: [{ taxType: 'STATE_SALES_TAX', amount: usd('4.45') }],
				ebayCollectAndRemitTaxes: [{ taxType: 'STATE_SALES_TAX', amount: usd('4.45'), collectionMethod: 'NET' }],
				variationAspects: [{ name: 'Color', value: 'Red' }],
				refunds: [],
			},
			{ lineItemId: '10002', legacyItemId: '110002', sku: 'COASTER', title: 'Coaster', quantity: 1, lineItemCost: usd('10.00'), total: usd('10.00'), deliveryCost: { shippingCost: usd('0.00') }, taxes: [], refunds: [] },
		],
		...extra,
	};
}

describe('eBay order → model', () => {
	it('is tested on a fixture with only the fields, types and values of the official schema', () => {
		expect(specProblems(loadSpec('ebay-sell_fulfillment_v1_oas3.json'), { $ref: '#/components/schemas/Order' }, usOrder())).toEqual([]);
	});

	it('keeps eBay-collected sales tax as marketplace tax, not the seller\'s, and totals reconcile to the cent', () => {
		const order = ebayOrderToModel(usOrder(), 'sim_seller');
		expect(order.lines[0].taxLines).toEqual([{ title: 'Sales tax (collected by eBay)', ratePercent: null, amount: 445, collector: 'marketplace' }]);
		expect(marketplaceCollectedTax(order)).toBe(445);
		expect(order.totals).toEqual({ subtotal: 5998, discount: 500, shipping: 500, fees: 0, tax: 445, total: 6443 });
		expect(order.problems).toEqual([]);
		expect(totalsMismatches(order)).toEqual([]);
		expect(readOrder(order)).toEqual(order);
	});

	it('reads lines with SKU, quantity, unit price and promotion in minor units', () => {
		const order = ebayOrderToModel(usOrder(), 'sim_seller');
		expect(order.lines.map((l) => [l.channelLineId, l.sku, l.quantity, l.unitPrice, l.discount, l.variantTitle])).toEqual([
			['10001', 'MUG-RED', 2, 2499, 500, 'Color: Red'],
			['10002', 'COASTER', 1, 1000, 0, null],
		]);
		expect(order).toMatchObject({ channel: 'ebay', channelOrderId: '12-34567-89012', channelOrderNumber: '12-34567-89012', status: 'open', financialStatus: 'paid', fulfillmentStatus: 'unfulfilled', paidAt: '2026-02-01T10:00:05.000Z' });
		expect(order.shippingAddress).toMatchObject({ firstName: 'Ann', lastName: 'Lee', provinceCode: 'CA', countryCode: 'US' });
	});

	it('keeps tax the seller collected as seller tax when eBay did not collect it', () => {
		const raw = usOrder({ ebayCollectAndRemitTax: undefined });
		delete raw.lineItems?.[0].ebayCollectAndRemitTaxes;
		const order = ebayOrderToModel(raw, 's');
		expect(order.lines[0].taxLines).toEqual([{ title: 'Sales tax', ratePercent: null, amount: 445, collector: 'seller' }]);
		expect(order.problems).toEqual([]);
	});

	it('still reconciles an answer without TAX_BREAKDOWN, whose total leaves eBay\'s tax out', () => {
		const raw = usOrder({ pricingSummary: { priceSubtotal: usd('59.98'), priceDiscount: usd('-5.00'), deliveryCost: usd('5.00'), total: usd('59.98') } });
		(raw.lineItems ?? [])[0].taxes = [];
		const order = ebayOrderToModel(raw, 's');
		expect(marketplaceCollectedTax(order)).toBe(445);
		expect(order.totals.total).toBe(6443);
		expect(order.problems).toEqual([]);
	});

	it('maps unpaid, cancelled and refunded orders from orderPaymentStatus and cancelStatus', () => {
		expect(ebayOrderToModel(usOrder({ orderPaymentStatus: 'PENDING' }), 's')).toMatchObject({ financialStatus: 'pending', paidAt: null, status: 'open' });
		const cancelled = ebayOrderToModel(usOrder({ orderPaymentStatus: 'FULLY_REFUNDED', cancelStatus: { cancelState: 'CANCELED', cancelledDate: '2026-02-02T09:00:00.000Z' } }), 's');
		expect(cancelled).toMatchObject({ status: 'cancelled', financialStatus: 'refunded', cancelledAt: '2026-02-02T09:00:00.000Z' });
		const partly = usOrder({ orderPaymentStatus: 'PARTIALLY_REFUNDED' });
		(partly.lineItems ?? [])[0].refunds = [{ amount: usd('22.49') }];
		const refunded = ebayOrderToModel(partly, 's');
		expect(refunded.financialStatus).toBe('partiallyRefunded');
		expect(refunded.lines[0].refundedQuantity).toBe(1);
		expect(ebayOrderToModel(usOrder({ orderFulfillmentStatus: 'FULFILLED' }), 's')).toMatchObject({ status: 'completed', fulfillmentStatus: 'fulfilled' });
	});

	it('uses the currency\'s exponent (JPY has no minor unit) and flags a total that does not add up', () => {
		const jpy = (value: string) => ({ value, currency: 'JPY' });
		const order = ebayOrderToModel({
			orderId: '1', orderPaymentStatus: 'PAID', creationDate: '2026-02-01T00:00:00.000Z',
			pricingSummary: { priceSubtotal: jpy('3000'), deliveryCost: jpy('500'), total: jpy('3600') },
			fulfillmentStartInstructions: [{ shippingStep: { shipTo: { fullName: 'Ken', contactAddress: { countryCode: 'JP' } } } }],
			lineItems: [{ lineItemId: 'a', sku: 'TEA', title: 'Tea', quantity: 3, lineItemCost: jpy('3000'), taxes: [] }],
		}, 's');
		expect(order.currency).toBe('JPY');
		expect(order.lines[0].unitPrice).toBe(1000);
		expect(order.totals.total).toBe(3500);
		expect(order.problems).toEqual(['eBay says the total is 3600 but the lines add up to 3500']);
	});

	it('books eBay-collected recycling fees as fee lines, not tax', () => {
		const raw = usOrder({ pricingSummary: { priceSubtotal: usd('59.98'), priceDiscount: usd('-5.00'), deliveryCost: usd('5.00'), tax: usd('4.45'), fee: usd('3.00'), total: usd('67.43') } });
		const line = (raw.lineItems ?? [])[0];
		line.taxes = [...(line.taxes ?? []), { taxType: 'TIRE_RECYCLING_FEE', amount: usd('3.00') }];
		line.ebayCollectAndRemitTaxes = [...(line.ebayCollectAndRemitTaxes ?? []), { taxType: 'TIRE_RECYCLING_FEE', amount: usd('3.00') }];
		const order = ebayOrderToModel(raw, 's');
		expect(order.feeLines).toEqual([{ title: 'Tire recycling fee (collected by eBay)', amount: 300, taxLines: [] }]);
		expect(order.totals.tax).toBe(445);
		expect(order.problems).toEqual([]);
	});
});
