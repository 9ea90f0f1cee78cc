/**
 * Reading an order item into the model (with errors that name the field), and the arithmetic every
 * node agrees on: what the totals of an order are, and whether the totals it carries add up.
 */
import { InputError } from './errors';
import { currencyExponent } from './money';
import type { FeeLine, Order, OrderLine, OrderTotals, ShippingLine, TaxLine } from './model';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function minor(value: unknown, field: string, options: { min?: number } = {}): number {
	if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
		throw new InputError(
			field,
			`${JSON.stringify(value) ?? 'nothing'} is not an amount in minor units`,
			'amounts in the order model are whole numbers of the currency\'s minor unit (12.30 USD is 1230)',
		);
	}
	if (options.min !== undefined && value < options.min) {
		throw new InputError(field, `${value} is below ${options.min}`, `give a value of at least ${options.min}`);
	}
	return value;
}

function text(value: unknown, fallback: string): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? fallback : String(value);
}

function optionalText(value: unknown): string | null {
	return value === undefined || value === null || value === '' ? null : String(value);
}

function list(value: unknown, field: string): unknown[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) throw new InputError(field, 'is not a list', `give ${field} as an array`);
	return value;
}

function readTaxLines(value: unknown, field: string): TaxLine[] {
	return list(value, field).map((raw, i) => {
		const at = `${field}[${i}]`;
		if (!isObject(raw)) throw new InputError(at, 'is not an object', 'give each tax line as {title, ratePercent, amount}');
		return {
			title: text(raw.title, 'Tax'),
			ratePercent: optionalText(raw.ratePercent),
			amount: minor(raw.amount, `${at}.amount`),
			collector: raw.collector === 'marketplace' ? 'marketplace' : 'seller',
		};
	});
}

function refunded(value: unknown, quantity: number, field: string): number {
	if (value === undefined || value === null) return 0;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > quantity) {
		throw new InputError(field, `${JSON.stringify(value)} is not a number of refunded units between 0 and the line's quantity (${quantity})`, 'give how many units of the line were refunded, or leave it out');
	}
	return value;
}

function readLine(raw: unknown, i: number): OrderLine {
	const at = `lines[${i}]`;
	if (!isObject(raw)) throw new InputError(at, 'is not an object', 'give each order line as an object');
	const quantity = raw.quantity;
	if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity <= 0) {
		throw new InputError(
			`${at}.quantity`,
			`${JSON.stringify(quantity) ?? 'nothing'} is not a positive whole quantity`,
			'give the number of units ordered, 1 or more',
		);
	}
	return {
		channelLineId: text(raw.channelLineId, String(i + 1)),
		sku: optionalText(raw.sku),
		title: text(raw.title, ''),
		variantTitle: optionalText(raw.variantTitle),
		channelProductId: optionalText(raw.channelProductId),
		channelVariantId: optionalText(raw.channelVariantId),
		quantity,
		unitPrice: minor(raw.unitPrice, `${at}.unitPrice`, { min: 0 }),
		discount: raw.discount === undefined ? 0 : minor(raw.discount, `${at}.discount`, { min: 0 }),
		taxLines: readTaxLines(raw.taxLines, `${at}.taxLines`),
		requiresShipping: raw.requiresShipping !== false,
		refundedQuantity: refunded(raw.refundedQuantity, quantity, `${at}.refundedQuantity`),
	};
}

function readShipping(raw: unknown, i: number): ShippingLine {
	const at = `shippingLines[${i}]`;
	if (!isObject(raw)) throw new InputError(at, 'is not an object', 'give each shipping line as an object');
	return {
		title: text(raw.title, 'Shipping'),
		code: optionalText(raw.code),
		price: minor(raw.price, `${at}.price`, { min: 0 }),
		discount: raw.discount === undefined ? 0 : minor(raw.discount, `${at}.discount`, { min: 0 }),
		taxLines: readTaxLines(raw.taxLines, `${at}.taxLines`),
	};
}

function readFee(raw: unknown, i: number): FeeLine {
	const at = `feeLines[${i}]`;
	if (!isObject(raw)) throw new InputError(at, 'is not an object', 'give each fee line as an object');
	return {
		title: text(raw.title, 'Fee'),
		amount: minor(raw.amount, `${at}.amount`),
		taxLines: readTaxLines(raw.taxLines, `${at}.taxLines`),
	};
}

/** The totals an order's lines imply. */
export function computeTotals(order: Omit<Order, 'totals'>): OrderTotals {
	let subtotal = 0;
	let discount = order.orderDiscount;
	let tax = 0;
	for (const line of order.lines) {
		subtotal += line.unitPrice * line.quantity;
		discount += line.discount;
		for (const t of line.taxLines) tax += t.amount;
	}
	let shipping = 0;
	for (const s of order.shippingLines) {
		shipping += s.price;
		discount += s.discount;
		for (const t of s.taxLines) tax += t.amount;
	}
	let fees = 0;
	for (const f of order.feeLines) {
		fees += f.amount;
		for (const t of f.taxLines) tax += t.amount;
	}
	const total = subtotal - discount + shipping + fees + (order.taxesIncluded ? 0 : tax);
	return { subtotal, discount, shipping, fees, tax, total };
}

/** The fields of `totals` that disagree with what the lines imply, as readable sentences. */
export function totalsMismatches(order: Order): string[] {
	const expected = computeTotals(order);
	const out: string[] = [];
	for (const key of Object.keys(expected) as Array<keyof OrderTotals>) {
		if (order.totals[key] !== expected[key]) {
			out.push(`totals.${key} is ${order.totals[key]} but the lines add up to ${expected[key]}`);
		}
	}
	return out;
}

/**
 * Reads an item's JSON as an order. Structural problems (a missing currency, a quantity that is not a
 * positive whole number, an amount that is not whole minor units) throw an InputError naming the field.
 * Missing totals are computed; totals that are present must add up unless `allowMismatch` is set.
 */
export function readOrder(json: unknown, options: { allowMismatch?: boolean } = {}): Order {
	if (!isObject(json)) throw new InputError('(item)', 'is not an order object', 'connect a node that outputs orders, such as Fetch Channel Orders');
	// Something else entirely (no kind, no lines, no channel id): say so, rather than name its first missing field.
	if (json.kind !== 'order' && !Array.isArray(json.lines) && json.channelOrderId === undefined) {
		throw new InputError('kind', `is ${json.kind === undefined ? 'missing' : JSON.stringify(json.kind)}: this item is not an order (it has no lines and no channelOrderId)`, 'connect a node that outputs orders, such as Fetch Channel Orders or Channel Orders Trigger (their items have kind "order")');
	}
	const currency = text(json.currency, '');
	currencyExponent(currency, 'currency');
	const rawLines = list(json.lines, 'lines');
	const base: Omit<Order, 'totals'> = {
		kind: 'order',
		channel: text(json.channel, 'unknown'),
		channelStoreId: text(json.channelStoreId, ''),
		channelOrderId: text(json.channelOrderId, ''),
		channelOrderNumber: text(json.channelOrderNumber, text(json.channelOrderId, '')),
		createdAt: text(json.createdAt, ''),
		updatedAt: text(json.updatedAt, text(json.createdAt, '')),
		paidAt: optionalText(json.paidAt),
		cancelledAt: optionalText(json.cancelledAt),
		status: json.status === 'cancelled' || json.status === 'completed' ? json.status : 'open',
		financialStatus: (optionalText(json.financialStatus) ?? 'unknown') as Order['financialStatus'],
		fulfillmentStatus: (optionalText(json.fulfillmentStatus) ?? 'unknown') as Order['fulfillmentStatus'],
		currency,
		taxesIncluded: json.taxesIncluded === true,
		customer: (isObject(json.customer) ? json.customer : {
			email: null, firstName: null, lastName: null, phone: null, channelCustomerId: null,
		}) as unknown as Order['customer'],
		shippingAddress: (isObject(json.shippingAddress) ? json.shippingAddress : null) as Order['shippingAddress'],
		billingAddress: (isObject(json.billingAddress) ? json.billingAddress : null) as Order['billingAddress'],
		lines: rawLines.map(readLine),
		shippingLines: list(json.shippingLines, 'shippingLines').map(readShipping),
		feeLines: list(json.feeLines, 'feeLines').map(readFee),
		orderDiscount: json.orderDiscount === undefined ? 0 : minor(json.orderDiscount, 'orderDiscount', { min: 0 }),
		tags: list(json.tags, 'tags').map((t) => String(t)),
		note: optionalText(json.note),
		problems: list(json.problems, 'problems').map((p) => String(p)),
	};
	const computed = computeTotals(base);
	if (json.totals === undefined || json.totals === null) return { ...base, totals: computed };
	if (!isObject(json.totals)) throw new InputError('totals', 'is not an object', 'give totals as {subtotal, discount, shipping, fees, tax, total} or leave it out');
	const given = json.totals;
	const totals: OrderTotals = {
		subtotal: given.subtotal === undefined ? computed.subtotal : minor(given.subtotal, 'totals.subtotal'),
		discount: given.discount === undefined ? computed.discount : minor(given.discount, 'totals.discount'),
		shipping: given.shipping === undefined ? computed.shipping : minor(given.shipping, 'totals.shipping'),
		fees: given.fees === undefined ? computed.fees : minor(given.fees, 'totals.fees'),
		tax: given.tax === undefined ? computed.tax : minor(given.tax, 'totals.tax'),
		total: given.total === undefined ? computed.total : minor(given.total, 'totals.total'),
	};
	const order: Order = { ...base, totals };
	if (!options.allowMismatch) {
		const mismatches = totalsMismatches(order);
		if (mismatches.length > 0) {
			throw new InputError(
				mismatches[0].split(' ')[0],
				`the order's lines do not add up: ${mismatches.join('; ')}`,
				'correct the line amounts or the totals so they agree, or leave totals out to have them computed',
			);
		}
	}
	return order;
}
