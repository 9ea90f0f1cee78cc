/** Builders for test orders in the model, with totals computed the way every node computes them. */
import type { Order, OrderLine, ShippingLine } from '../../core/model';
import { computeTotals } from '../../core/order';

export function line(sku: string, quantity: number, unitPrice: number, extra: Partial<OrderLine> = {}): OrderLine {
	return {
		channelLineId: sku, sku, title: `Product ${sku}`, variantTitle: null, channelProductId: null, channelVariantId: null,
		quantity, unitPrice, discount: 0, taxLines: [], requiresShipping: true, refundedQuantity: 0, ...extra,
	};
}

export function shipping(price: number, extra: Partial<ShippingLine> = {}): ShippingLine {
	return { title: 'Standard', code: null, price, discount: 0, taxLines: [], ...extra };
}

export function order(lines: OrderLine[], extra: Partial<Omit<Order, 'totals'>> = {}): Order {
	const base: Omit<Order, 'totals'> = {
		kind: 'order', channel: 'woocommerce', channelStoreId: 'https://shop.example', channelOrderId: '1001', channelOrderNumber: '1001',
		createdAt: '2026-03-01T10:00:00.000Z', updatedAt: '2026-03-01T10:00:00.000Z', paidAt: null, cancelledAt: null,
		status: 'open', financialStatus: 'paid', fulfillmentStatus: 'unfulfilled', currency: 'USD', taxesIncluded: false,
		customer: { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', phone: null, channelCustomerId: null },
		shippingAddress: { firstName: 'Ann', lastName: 'Lee', company: null, address1: '1 Main St', address2: null, city: 'Springfield', province: null, provinceCode: null, zip: '12345', countryCode: 'US', phone: null },
		billingAddress: null, lines, shippingLines: [], feeLines: [], orderDiscount: 0, tags: [], note: null, problems: [],
		...extra,
	};
	return { ...base, totals: computeTotals(base) };
}
