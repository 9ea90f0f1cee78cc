/**
 * The simulated eBay seller account: orders (kept in minor units, rendered as the Fulfillment API answers
 * them, with or without TAX_BREAKDOWN), shipping fulfillments, inventory items with their revision counts,
 * OAuth2 codes and tokens, and daily call counts. Seeded, so a run replays.
 */
import { intBetween, pick, seededRandom } from '../common/random';

type Json = Record<string, unknown>;

export interface SimTax {
	type: string;
	cents: number;
}

export interface SimLine {
	lineItemId: string;
	legacyItemId: string;
	sku: string;
	title: string;
	quantity: number;
	unitCents: number;
	promoCents: number;
	shippingCents: number;
	/** Tax the seller collects (their own sales tax registration). */
	sellerTax: SimTax[];
	/** eBay Collect and Remit tax. */
	remitTax: SimTax[];
	refundCents: number;
	aspects?: Array<{ name: string; value: string }>;
}

export interface SimFulfillment {
	fulfillmentId: string;
	lineItems: Array<{ lineItemId: string; quantity: number }>;
	shipmentTrackingNumber?: string;
	shippingCarrierCode?: string;
	shippedDate: string;
}

export interface SimOrder {
	orderId: string;
	created: number;
	modified: number;
	paymentStatus: 'PAID' | 'PENDING' | 'FAILED' | 'FULLY_REFUNDED' | 'PARTIALLY_REFUNDED';
	cancelState: 'NONE_REQUESTED' | 'IN_PROGRESS' | 'CANCELED';
	cancelledAt?: number;
	currency: string;
	buyer: { username: string; fullName: string; email: string; phone: string; address: Json };
	lines: SimLine[];
	fulfillments: SimFulfillment[];
	salesRecordReference: string;
	deliveryDiscountCents: number;
	note?: string;
}

export interface SimItem {
	sku: string;
	title: string;
	quantity: number;
	priceCents: number;
	groupKey?: string;
	upc?: string;
}

export interface EbayStoreOptions {
	seed: number;
	orders: number;
	items: number;
	start: string;
	orderSpacingMs: number;
	currency: string;
	now?: () => number;
}

const EXPONENT: Record<string, number> = { JPY: 0, KWD: 3 };

export function formatMoney(cents: number, currency: string): string {
	const exp = EXPONENT[currency] ?? 2;
	const negative = cents < 0;
	const digits = String(Math.abs(cents)).padStart(exp + 1, '0');
	const text = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
	return negative ? `-${text}` : text;
}

const FIRST = ['Ann', 'Bo', 'Carla', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana'];
const LAST = ['Lee', 'Novak', 'Ortiz', 'Patel', 'Quinn', 'Rossi'];
const STATES = [['CA', 'San Jose', '95131'], ['NY', 'Albany', '12207'], ['TX', 'Austin', '73301'], ['WA', 'Seattle', '98101']];

export class EbayStore {
	orders: SimOrder[] = [];
	items: SimItem[] = [];
	/** Revisions per listing (group key or SKU) per UTC day: "day|key" → count. */
	revisions = new Map<string, number>();
	/** Calls per API per UTC day: "day|api" → count. */
	calls = new Map<string, number>();
	codes = new Map<string, { redirectUri: string; scopes: string[] }>();
	tokens = new Map<string, { expiresAt: number; scopes: string[] }>();
	refreshTokens = new Map<string, { scopes: string[] }>();
	random: () => number;
	private clock: () => number;
	private serial = 0;

	constructor(readonly options: EbayStoreOptions) {
		this.random = seededRandom(options.seed);
		this.clock = options.now ?? (() => Date.now());
		this.seed();
	}

	now(): number {
		return this.clock();
	}

	setClock(now: (() => number) | undefined): void {
		this.clock = now ?? this.options.now ?? (() => Date.now());
	}

	reset(): void {
		this.random = seededRandom(this.options.seed);
		this.orders = [];
		this.items = [];
		this.revisions.clear();
		this.calls.clear();
		this.serial = 0;
		this.seed();
	}

	token(scopes: string[], lifetimeSeconds: number): string {
		const token = `v^1.1#i^1#sim${this.randomAlnum(24)}`;
		this.tokens.set(token, { expiresAt: this.now() + lifetimeSeconds * 1000, scopes });
		return token;
	}

	randomAlnum(n: number): string {
		const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
		let out = '';
		for (let i = 0; i < n; i++) out += chars[Math.floor(this.random() * chars.length)];
		return out;
	}

	private nextOrderId(): string {
		this.serial++;
		const n = String(10_000_000_000 + this.serial * 7919);
		return `${n.slice(0, 2)}-${n.slice(2, 7)}-${n.slice(7, 12)}`;
	}

	private seed(): void {
		const r = this.random;
		for (let i = 0; i < this.options.items; i++) {
			const grouped = i % 5 >= 3;
			this.items.push({
				sku: `EB-${String(i + 1).padStart(4, '0')}`,
				title: `Item ${i + 1}${grouped ? ` - ${i % 5 === 3 ? 'Red' : 'Blue'}` : ''}`,
				quantity: intBetween(r, 0, 40),
				priceCents: intBetween(r, 5, 120) * 100 + pick(r, [0, 49, 99]),
				groupKey: grouped ? `GRP-${Math.floor(i / 5)}` : undefined,
				upc: `0${String(700000000000 + i).slice(0, 11)}`,
			});
		}
		let at = Date.parse(this.options.start);
		for (let i = 0; i < this.options.orders; i++) {
			at += Math.round(this.options.orderSpacingMs * (0.5 + r()));
			this.orders.push(this.makeOrder(at, {}));
		}
	}

	/** A buyer's order, as checkout creates it; `partial` fixes what a test needs. */
	makeOrder(created: number, partial: Partial<SimOrder> & { remit?: boolean }): SimOrder {
		const r = this.random;
		const [state, city, zip] = pick(r, STATES);
		const first = pick(r, FIRST);
		const last = pick(r, LAST);
		const remit = partial.remit ?? r() < 0.4;
		const lines: SimLine[] = [];
		const count = intBetween(r, 1, 3);
		for (let k = 0; k < count && this.items.length > 0; k++) {
			const item = pick(r, this.items);
			if (lines.some((l) => l.sku === item.sku)) continue;
			const quantity = intBetween(r, 1, 3);
			const promoCents = r() < 0.15 ? Math.round(item.priceCents * quantity * 0.1) : 0;
			const shippingCents = pick(r, [0, 0, 399, 599]);
			const base = item.priceCents * quantity - promoCents + shippingCents;
			const remitTax = remit ? [{ type: 'STATE_SALES_TAX', cents: Math.round(base * pick(r, [0.0625, 0.0725, 0.08875])) }] : [];
			const sellerTax = !remit && r() < 0.1 ? [{ type: 'STATE_SALES_TAX', cents: Math.round(base * 0.07) }] : [];
			lines.push({
				lineItemId: String(10_000_000_000 + Math.floor(r() * 89_999_999_999)),
				legacyItemId: String(110_000_000_000 + this.items.indexOf(item)),
				sku: item.sku, title: item.title, quantity, unitCents: item.priceCents, promoCents, shippingCents, sellerTax, remitTax, refundCents: 0,
				...(item.groupKey ? { aspects: [{ name: 'Color', value: item.title.endsWith('Red') ? 'Red' : 'Blue' }] } : {}),
			});
		}
		const roll = r();
		const order: SimOrder = {
			orderId: this.nextOrderId(),
			created,
			modified: created + (r() < 0.3 ? 0 : intBetween(r, 1, 3600) * 1000),
			paymentStatus: roll < 0.06 ? 'PENDING' : 'PAID',
			cancelState: 'NONE_REQUESTED',
			currency: this.options.currency,
			buyer: {
				username: `${first.toLowerCase()}_${last.toLowerCase()}${intBetween(r, 1, 99)}`,
				fullName: `${first} ${last}`,
				email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
				phone: `+1 555 01${intBetween(r, 10, 99)}`,
				address: { addressLine1: `${intBetween(r, 1, 999)} Main St`, city, stateOrProvince: state, postalCode: zip, countryCode: 'US' },
			},
			lines,
			fulfillments: [],
			salesRecordReference: String(1000 + this.serial),
			deliveryDiscountCents: 0,
			...partial,
		};
		if (roll > 0.94 && partial.cancelState === undefined) {
			order.cancelState = 'CANCELED';
			order.paymentStatus = 'FULLY_REFUNDED';
			order.cancelledAt = order.modified;
			for (const l of order.lines) l.refundCents = this.lineTotal(l, true);
		} else if (roll > 0.9 && partial.paymentStatus === undefined && order.lines.length > 0) {
			order.paymentStatus = 'PARTIALLY_REFUNDED';
			order.lines[0].refundCents = order.lines[0].unitCents;
		}
		return order;
	}

	order(id: string): SimOrder | undefined {
		return this.orders.find((o) => o.orderId === id);
	}

	/** A seller or buyer action changes the order: eBay moves lastModifiedDate. */
	touch(order: SimOrder): void {
		order.modified = Math.max(this.now(), order.modified + 1);
	}

	lineTotal(line: SimLine, withRemit: boolean): number {
		const tax = [...line.sellerTax, ...(withRemit ? line.remitTax : [])].reduce((s, t) => s + t.cents, 0);
		return line.unitCents * line.quantity - line.promoCents + line.shippingCents + tax;
	}

	shippedUnits(order: SimOrder, lineItemId: string): number {
		return order.fulfillments.reduce((s, f) => s + f.lineItems.filter((l) => l.lineItemId === lineItemId).reduce((a, l) => a + l.quantity, 0), 0);
	}

	fulfillmentStatus(order: SimOrder, line?: SimLine): 'NOT_STARTED' | 'IN_PROGRESS' | 'FULFILLED' {
		const lines = line ? [line] : order.lines;
		const shipped = lines.map((l) => Math.min(l.quantity, this.shippedUnits(order, l.lineItemId)));
		if (shipped.every((s) => s === 0)) return 'NOT_STARTED';
		return lines.every((l, i) => shipped[i] >= l.quantity) ? 'FULFILLED' : 'IN_PROGRESS';
	}

	/** The order as getOrders/getOrder answer it; Collect and Remit tax is in the totals only with TAX_BREAKDOWN. */
	render(o: SimOrder, breakdown: boolean, apiBase: string): Json {
		const c = o.currency;
		const amount = (cents: number) => ({ value: formatMoney(cents, c), currency: c });
		const sum = (f: (l: SimLine) => number) => o.lines.reduce((s, l) => s + f(l), 0);
		const subtotal = sum((l) => l.unitCents * l.quantity);
		const promo = sum((l) => l.promoCents);
		const shipping = sum((l) => l.shippingCents);
		const tax = sum((l) => [...l.sellerTax, ...(breakdown ? l.remitTax : [])].reduce((s, t) => s + t.cents, 0));
		const total = sum((l) => this.lineTotal(l, breakdown)) - o.deliveryDiscountCents;
		const remit = o.lines.some((l) => l.remitTax.length > 0);
		const paid = o.paymentStatus !== 'PENDING' && o.paymentStatus !== 'FAILED';
		const refunded = sum((l) => l.refundCents);
		const instruction = {
			fulfillmentInstructionsType: 'SHIP_TO',
			minEstimatedDeliveryDate: new Date(o.created + 3 * 86_400_000).toISOString(),
			maxEstimatedDeliveryDate: new Date(o.created + 7 * 86_400_000).toISOString(),
			ebaySupportedFulfillment: false,
			shippingStep: {
				shipTo: { fullName: o.buyer.fullName, contactAddress: o.buyer.address, primaryPhone: { phoneNumber: o.buyer.phone }, email: o.buyer.email },
				shippingCarrierCode: 'USPS', shippingServiceCode: 'USPSPriority',
			},
		};
		return {
			orderId: o.orderId,
			creationDate: new Date(o.created).toISOString(),
			lastModifiedDate: new Date(o.modified).toISOString(),
			orderFulfillmentStatus: this.fulfillmentStatus(o),
			orderPaymentStatus: o.paymentStatus,
			sellerId: 'sim_seller',
			buyer: { username: o.buyer.username, taxAddress: { city: o.buyer.address.city, stateOrProvince: o.buyer.address.stateOrProvince, postalCode: o.buyer.address.postalCode, countryCode: 'US' },
				buyerRegistrationAddress: { fullName: o.buyer.fullName, email: o.buyer.email, contactAddress: o.buyer.address, primaryPhone: { phoneNumber: o.buyer.phone } } },
			...(o.note ? { buyerCheckoutNotes: o.note } : {}),
			pricingSummary: {
				priceSubtotal: amount(subtotal),
				...(promo ? { priceDiscount: amount(-promo) } : {}),
				deliveryCost: amount(shipping),
				...(o.deliveryDiscountCents ? { deliveryDiscount: amount(-o.deliveryDiscountCents) } : {}),
				...(tax ? { tax: amount(tax) } : {}),
				total: amount(total),
			},
			cancelStatus: { cancelState: o.cancelState, cancelRequests: [], ...(o.cancelledAt ? { cancelledDate: new Date(o.cancelledAt).toISOString() } : {}) },
			paymentSummary: {
				payments: [{ paymentMethod: 'EBAY', paymentReferenceId: `PAY-${o.orderId}`, ...(paid ? { paymentDate: new Date(o.created + 1000).toISOString() } : {}),
					amount: amount(sum((l) => this.lineTotal(l, true)) - o.deliveryDiscountCents), paymentStatus: paid ? 'PAID' : o.paymentStatus }],
				refunds: refunded ? [{ refundId: `R-${o.orderId}`, refundStatus: 'REFUNDED', amount: amount(refunded), refundDate: new Date(o.modified).toISOString() }] : [],
				totalDueSeller: amount(total - refunded),
			},
			fulfillmentStartInstructions: [instruction],
			fulfillmentHrefs: o.fulfillments.map((f) => `${apiBase}/sell/fulfillment/v1/order/${o.orderId}/shipping_fulfillment/${f.fulfillmentId}`),
			lineItems: o.lines.map((l) => ({
				lineItemId: l.lineItemId,
				legacyItemId: l.legacyItemId,
				sku: l.sku,
				title: l.title,
				lineItemCost: amount(l.unitCents * l.quantity),
				...(l.promoCents ? { discountedLineItemCost: amount(l.unitCents * l.quantity - l.promoCents) } : {}),
				quantity: l.quantity,
				soldFormat: 'FIXED_PRICE',
				listingMarketplaceId: 'EBAY_US',
				purchaseMarketplaceId: 'EBAY_US',
				lineItemFulfillmentStatus: this.fulfillmentStatus(o, l),
				total: amount(this.lineTotal(l, breakdown)),
				deliveryCost: { shippingCost: amount(l.shippingCents) },
				appliedPromotions: l.promoCents ? [{ promotionId: '5000123', description: '10% off', discountAmount: amount(l.promoCents) }] : [],
				taxes: [...l.sellerTax, ...(breakdown ? l.remitTax : [])].map((t) => ({ amount: amount(t.cents), ...(breakdown ? { taxType: t.type } : {}) })),
				...(l.remitTax.length ? { ebayCollectAndRemitTaxes: l.remitTax.map((t) => ({ taxType: t.type, amount: amount(t.cents), collectionMethod: 'NET' })) } : {}),
				properties: { buyerProtection: true },
				refunds: l.refundCents ? [{ amount: amount(l.refundCents), refundDate: new Date(o.modified).toISOString(), refundId: `R-${l.lineItemId}` }] : [],
				...(l.aspects ? { variationAspects: l.aspects } : {}),
				itemLocation: { location: 'San Jose', countryCode: 'US', postalCode: '95131' },
			})),
			...(remit ? { ebayCollectAndRemitTax: true } : {}),
			salesRecordReference: o.salesRecordReference,
			totalFeeBasisAmount: amount(total),
			totalMarketplaceFee: amount(Math.round(total * 0.1325)),
		};
	}

	toJSON(): Json {
		return { orders: this.orders, items: this.items, revisions: Object.fromEntries(this.revisions), calls: Object.fromEntries(this.calls) };
	}
}
