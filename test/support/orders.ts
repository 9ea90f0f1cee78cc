/**
 * Channel orders in the pack's model for tests of the store-facing nodes: an eBay (or any channel) order
 * with the lines asked for, a complete buyer and address, totals computed the way every node agrees on.
 */
import type { Order, OrderLine } from '../../core/model';
import { computeTotals } from '../../core/order';

export interface LineSpec {
	sku: string | null;
	quantity: number;
	/** Minor units. */
	unitPrice: number;
	title?: string;
	discount?: number;
	tax?: number;
}

let sequence = 0;

export function channelOrder(lines: LineSpec[], overrides: Partial<Omit<Order, 'totals' | 'lines'>> = {}): Order {
	sequence += 1;
	const id = overrides.channelOrderId ?? `12-${String(10000 + sequence)}-${String(Date.now() % 100000).padStart(5, '0')}`;
	const modelLines: OrderLine[] = lines.map((l, i) => ({
		channelLineId: `${id}-L${i + 1}`, sku: l.sku, title: l.title ?? `Item ${l.sku ?? i + 1}`, variantTitle: null,
		channelProductId: `LIST-${l.sku ?? i}`, channelVariantId: null, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount ?? 0,
		taxLines: l.tax ? [{ title: 'Sales Tax', ratePercent: '8.25', amount: l.tax, collector: 'seller' }] : [], requiresShipping: true, refundedQuantity: 0,
	}));
	const address = { firstName: 'Ada', lastName: 'Lovelace', company: null, address1: '12 Analytical Row', address2: null, city: 'London', province: null, provinceCode: null, zip: 'N1 7AA', countryCode: 'GB', phone: '+44 20 7946 0000' };
	const base: Omit<Order, 'totals'> = {
		kind: 'order', channel: 'ebay', channelStoreId: 'ebay-seller-1', channelOrderId: id, channelOrderNumber: id,
		createdAt: new Date(Date.now() - 60_000).toISOString(), updatedAt: new Date().toISOString(), paidAt: new Date().toISOString(), cancelledAt: null,
		status: 'open', financialStatus: 'paid', fulfillmentStatus: 'unfulfilled', currency: 'USD', taxesIncluded: false,
		customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', phone: null, channelCustomerId: 'ada-1' },
		shippingAddress: address, billingAddress: address, lines: modelLines,
		shippingLines: [{ title: 'USPS Priority', code: 'USPSPriority', price: 799, discount: 0, taxLines: [] }], feeLines: [], orderDiscount: 0,
		tags: [], note: null, problems: [],
		...overrides,
	};
	return { ...base, totals: computeTotals(base) };
}

/** The same order with `units` of line `index` refunded on the channel, the order still open. */
export function refunded(order: Order, index: number, units: number): Order {
	return {
		...order, financialStatus: 'partiallyRefunded', updatedAt: new Date().toISOString(),
		lines: order.lines.map((l, i) => (i === index ? { ...l, refundedQuantity: units } : l)),
	};
}

/** The same order, cancelled on the channel (as the trigger emits a change). */
export function cancelled(order: Order): Order {
	return { ...order, status: 'cancelled', cancelledAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
}
