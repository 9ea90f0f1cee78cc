/**
 * The options Fetch Channel Orders and the Channel Orders Trigger share (Skip Unpaid Orders, status,
 * Include Raw Payload), so both nodes say and mean the same, and the item an order becomes.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { Order } from '../core/model';
import type { OrderFilter, StatusFilter } from '../core/orderFilter';
import { CHANNEL_OPTIONS } from './channels';

export const CHANNEL_PROPERTY: INodeProperties = {
	displayName: 'Channel',
	name: 'channel',
	type: 'options',
	noDataExpression: true,
	options: CHANNEL_OPTIONS,
	default: 'shopify',
	description: 'The sales channel whose orders to read',
};

export const SKIP_UNPAID: INodeProperties = {
	displayName: 'Skip Unpaid Orders',
	name: 'skipUnpaid',
	type: 'boolean',
	default: false,
	description: 'Whether to leave out orders that are not paid yet (pending, authorized only). Off: paid and unpaid orders both come out, as LitCommerce imports them.',
};

export const STATUS_FILTER: INodeProperties = {
	displayName: 'Status',
	name: 'status',
	type: 'options',
	options: [
		{ name: 'Any', value: 'any' },
		{ name: 'Cancelled', value: 'cancelled' },
		{ name: 'Fulfilled', value: 'fulfilled', description: 'Shipped in full' },
		{ name: 'Open', value: 'open', description: 'Neither cancelled nor completed' },
		{ name: 'Refunded', value: 'refunded', description: 'Refunded in full or in part' },
		{ name: 'Unfulfilled', value: 'unfulfilled', description: 'Not cancelled and not shipped in full' },
	],
	default: 'any',
	description: 'Only orders in this state',
};

export const INCLUDE_RAW: INodeProperties = {
	displayName: 'Include Raw Payload',
	name: 'includeRaw',
	type: 'boolean',
	default: false,
	description: 'Whether to add the platform\'s own order object as `raw`, for expressions that need a field the model does not carry',
};

export function readFilter(options: IDataObject): OrderFilter {
	return { skipUnpaid: options.skipUnpaid === true, status: (options.status as StatusFilter | undefined) ?? 'any' };
}

/** An order as an n8n item: the model, plus the platform's payload when asked for. */
export function orderItem(order: Order, raw: unknown, includeRaw: boolean, extra: IDataObject = {}): IDataObject {
	return { ...(order as unknown as IDataObject), ...extra, ...(includeRaw ? { raw: raw as IDataObject } : {}) };
}
