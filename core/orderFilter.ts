/**
 * Which orders a user asked for: Skip Unpaid Orders and the status filter, shared by Fetch Channel
 * Orders and the Channel Orders Trigger so both nodes mean the same thing by "open" or "paid".
 */
import type { Order } from './model';

export type StatusFilter = 'any' | 'open' | 'unfulfilled' | 'fulfilled' | 'cancelled' | 'refunded';

export interface OrderFilter {
	/** LitCommerce's default imports paid and unpaid orders; on, only paid ones. */
	skipUnpaid: boolean;
	status: StatusFilter;
}

const PAID_STATES = new Set(['paid', 'partiallyPaid', 'partiallyRefunded', 'refunded']);

export function isPaid(order: Order): boolean {
	return PAID_STATES.has(order.financialStatus);
}

export function matchesStatus(order: Order, status: StatusFilter): boolean {
	switch (status) {
		case 'any':
			return true;
		case 'open':
			return order.status === 'open';
		case 'unfulfilled':
			return order.status !== 'cancelled' && order.fulfillmentStatus !== 'fulfilled';
		case 'fulfilled':
			return order.fulfillmentStatus === 'fulfilled';
		case 'cancelled':
			return order.status === 'cancelled';
		case 'refunded':
			return order.financialStatus === 'refunded' || order.financialStatus === 'partiallyRefunded';
	}
}

export function matchesFilter(order: Order, filter: OrderFilter): boolean {
	return (!filter.skipUnpaid || isPaid(order)) && matchesStatus(order, filter.status);
}
