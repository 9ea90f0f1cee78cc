/**
 * The simulated Amazon seller account: orders (amounts in minor units, rendered as the Orders API
 * 2026-01-01 answers them for the asked `includedData`), packages confirmed with v0 confirmShipment,
 * listings with their fulfilment channel and quantity, Login with Amazon tokens. Seeded, so a run replays.
 */
import { intBetween, pick, seededRandom } from '../common/random';

type Json = Record<string, unknown>;

export type SimStatus = 'PENDING_AVAILABILITY' | 'PENDING' | 'UNSHIPPED' | 'PARTIALLY_SHIPPED' | 'SHIPPED' | 'CANCELLED' | 'UNFULFILLABLE';

export interface SimItem {
	orderItemId: string;
	sku: string;
	asin: string;
	title: string;
	quantity: number;
	unitMinor: number;
	shippingMinor: number;
	/** Promotion on the item (positive). */
	discountMinor: number;
	shippingDiscountMinor: number;
	taxMinor: number;
	shippingTaxMinor: number;
	/** Amazon is the marketplace facilitator for this item's tax. */
	marketplaceTax: boolean;
	/** EU VAT reporting scheme, when one applies. */
	scheme?: 'UOSS' | 'IOSS';
	shipped: number;
}

export interface SimPackage {
	packageReferenceId: string;
	carrierCode: string;
	carrierName?: string;
	shippingMethod?: string;
	trackingNumber: string;
	shipDate: string;
	created: number;
	items: Array<{ orderItemId: string; quantity: number }>;
}

export interface SimOrder {
	orderId: string;
	created: number;
	updated: number;
	marketplaceId: string;
	currency: string;
	status: SimStatus;
	fulfilledBy: 'MERCHANT' | 'AMAZON';
	serviceLevel: string;
	programs: string[];
	buyer: { name: string; email: string };
	address: { name: string; addressLine1: string; city: string; stateOrRegion: string; postalCode: string; countryCode: string; phone: string };
	items: SimItem[];
	packages: SimPackage[];
	tipMinor: number;
}

export interface SimListing {
	sku: string;
	asin: string;
	title: string;
	productType: string;
	/** DEFAULT (merchant-fulfilled) or AMAZON_NA / AMAZON_EU (FBA). */
	channel: string;
	quantity: number;
	leadTimeDays?: number;
	status: string[];
	created: number;
	updated: number;
	priceMinor: number;
}

export interface AmazonStoreOptions {
	seed: number;
	orders: number;
	listings: number;
	start: string;
	spacingMs: number;
	marketplaceId: string;
	currency: string;
	now?: () => number;
}

const EXPONENT: Record<string, number> = { JPY: 0, KWD: 3 };

export function formatAmount(minor: number, currency: string): string {
	const exp = EXPONENT[currency] ?? 2;
	const negative = minor < 0;
	const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
	const text = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
	return negative ? `-${text}` : text;
}

const FIRST = ['Ann', 'Bo', 'Carla', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana'];
const LAST = ['Lee', 'Novak', 'Ortiz', 'Patel', 'Quinn', 'Rossi'];
const PLACES = [['CA', 'San Jose', '95131'], ['NY', 'Albany', '12207'], ['TX', 'Austin', '73301'], ['WA', 'Seattle', '98101']];
const STATUSES: SimStatus[] = ['UNSHIPPED', 'UNSHIPPED', 'UNSHIPPED', 'SHIPPED', 'SHIPPED', 'PARTIALLY_SHIPPED', 'PENDING', 'CANCELLED'];

export class AmazonStore {
	orders: SimOrder[] = [];
	listings: SimListing[] = [];
	tokens = new Map<string, { expiresAt: number }>();
	refreshTokens = new Set<string>();
	/** Shipment confirmations per order: Amazon emails the buyer on each. */
	buyerNotices = new Map<string, number>();
	/** Pagination tokens issued: token → the query it continues and where. */
	pageTokens = new Map<string, { query: string; offset: number; issued: number }>();
	random: () => number;
	private clock: () => number;
	private serial = 0;

	constructor(readonly options: AmazonStoreOptions) {
		this.random = seededRandom(options.seed);
		this.clock = options.now ?? (() => Date.now());
		this.seed();
	}

	now(): number {
		return this.clock();
	}

	reset(): void {
		this.random = seededRandom(this.options.seed);
		this.orders = [];
		this.listings = [];
		this.buyerNotices.clear();
		this.pageTokens.clear();
		this.serial = 0;
		this.seed();
	}

	randomAlnum(n: number): string {
		const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
		return Array.from({ length: n }, () => chars[Math.floor(this.random() * chars.length)]).join('');
	}

	token(lifetimeSeconds: number): string {
		const token = `Atza|sim${this.randomAlnum(40)}`;
		this.tokens.set(token, { expiresAt: this.now() + lifetimeSeconds * 1000 });
		return token;
	}

	private seed(): void {
		const start = Date.parse(this.options.start);
		for (let i = 0; i < this.options.listings; i++) {
			const sku = `AMZ-${String(i + 1).padStart(4, '0')}`;
			this.listings.push({
				sku, asin: `B0${String(10_000_000 + i * 7919).slice(0, 8)}`, title: `Sim product ${i + 1}`, productType: pick(this.random, ['HOME', 'TOY_FIGURE', 'SHIRT', 'KITCHEN']),
				// One listing in seven is stocked by Amazon (FBA).
				channel: i % 7 === 6 ? 'AMAZON_NA' : 'DEFAULT', quantity: intBetween(this.random, 0, 40), leadTimeDays: 2,
				status: ['BUYABLE', 'DISCOVERABLE'], created: start - 86_400_000 * 30, updated: start - 86_400_000, priceMinor: intBetween(this.random, 999, 8999),
			});
		}
		for (let i = 0; i < this.options.orders; i++) {
			const created = start + i * this.options.spacingMs;
			this.orders.push(this.makeOrder(created, { status: STATUSES[i % STATUSES.length] }));
		}
	}

	makeOrder(created: number, partial: Partial<SimOrder> = {}): SimOrder {
		this.serial++;
		const r = this.random;
		const id = `${String(100 + (this.serial % 900))}-${String(1_000_000 + this.serial * 7).slice(0, 7)}-${String(2_000_000 + intBetween(r, 0, 7_999_999)).slice(0, 7)}`;
		const [state, city, zip] = pick(r, PLACES);
		const first = pick(r, FIRST);
		const last = pick(r, LAST);
		const fulfilledBy = partial.fulfilledBy ?? (this.serial % 9 === 0 ? 'AMAZON' : 'MERCHANT');
		const catalogue = this.listings.filter((l) => (fulfilledBy === 'AMAZON') === (l.channel !== 'DEFAULT'));
		const count = Math.max(partial.status === 'PARTIALLY_SHIPPED' ? 2 : 1, intBetween(r, 1, 3));
		// Amazon collects sales tax as marketplace facilitator in most US states: two orders in three here.
		const marketplaceTax = this.serial % 3 !== 0;
		const items: SimItem[] = Array.from({ length: count }, (_, k) => {
			const listing = catalogue.length > 0 ? pick(r, catalogue) : undefined;
			const quantity = intBetween(r, 1, 3);
			const unit = listing?.priceMinor ?? intBetween(r, 999, 8999);
			const shipping = k === 0 ? intBetween(r, 0, 1) * 599 : 0;
			const discount = this.serial % 4 === 0 && k === 0 ? Math.min(500, unit) : 0;
			const taxable = unit * quantity - discount;
			return {
				orderItemId: `${String(this.serial).padStart(6, '0')}${String(k + 1).padStart(8, '0')}`,
				sku: listing?.sku ?? `AMZ-X${k}`, asin: listing?.asin ?? 'B000000000', title: listing?.title ?? 'Sim product',
				quantity, unitMinor: unit, shippingMinor: shipping, discountMinor: discount, shippingDiscountMinor: 0,
				taxMinor: Math.round(taxable * 0.0725), shippingTaxMinor: Math.round(shipping * 0.0725), marketplaceTax, shipped: 0,
			};
		});
		const order: SimOrder = {
			orderId: id, created, updated: created, marketplaceId: this.options.marketplaceId, currency: this.options.currency,
			status: 'UNSHIPPED', fulfilledBy, serviceLevel: pick(r, ['STANDARD', 'EXPEDITED', 'SECOND_DAY']), programs: this.serial % 5 === 0 ? ['PRIME'] : [],
			buyer: { name: `${first} ${last}`, email: `${this.randomAlnum(12).toLowerCase()}@marketplace.amazon.com` },
			address: { name: `${first} ${last}`, addressLine1: `${intBetween(r, 1, 999)} Main Street`, city, stateOrRegion: state, postalCode: zip, countryCode: 'US', phone: '+1 555-0100' },
			items, packages: [], tipMinor: 0,
			...partial,
		};
		const status = partial.status ?? 'UNSHIPPED';
		order.status = status;
		if (status === 'SHIPPED' || status === 'PARTIALLY_SHIPPED') {
			// Partly shipped: the first item went out (the order has two at least).
			const ship = status === 'SHIPPED' ? order.items : order.items.slice(0, 1);
			for (const item of ship) item.shipped = item.quantity;
			if (fulfilledBy === 'MERCHANT') {
				order.packages.push({
					packageReferenceId: '1', carrierCode: 'UPS', trackingNumber: `1Z${this.randomAlnum(16).toUpperCase()}`, shipDate: new Date(created + 3_600_000).toISOString(),
					created: created + 3_600_000, items: ship.map((i) => ({ orderItemId: i.orderItemId, quantity: i.shipped })),
				});
			}
			order.updated = created + 3_600_000;
		}
		if (status === 'CANCELLED') order.updated = created + 1_800_000;
		return order;
	}

	order(id: string): SimOrder | undefined {
		return this.orders.find((o) => o.orderId === id);
	}

	listing(sku: string): SimListing | undefined {
		return this.listings.find((l) => l.sku === sku);
	}

	touch(order: SimOrder): void {
		// lastUpdatedTime strictly moves forward, even within one millisecond.
		order.updated = Math.max(this.now(), order.updated + 1);
	}

	/** The order as the 2026-01-01 API renders it for `included` datasets. */
	render(o: SimOrder, included: Set<string>): Json {
		const money = (minor: number) => ({ amount: formatAmount(minor, o.currency), currencyCode: o.currency });
		const cancelled = o.status === 'CANCELLED';
		const items = o.items.map((i) => {
			const breakdowns: Json[] = [{ type: 'ITEM', subtotal: money(i.unitMinor * i.quantity) }];
			if (i.shippingMinor) breakdowns.push({ type: 'SHIPPING', subtotal: money(i.shippingMinor) });
			if (i.discountMinor || i.shippingDiscountMinor) {
				breakdowns.push({
					type: 'DISCOUNT', subtotal: money(-(i.discountMinor + i.shippingDiscountMinor)),
					detailedBreakdowns: [
						...(i.discountMinor ? [{ subtype: 'ITEM', value: money(-i.discountMinor) }] : []),
						...(i.shippingDiscountMinor ? [{ subtype: 'SHIPPING', value: money(-i.shippingDiscountMinor) }] : []),
					],
				});
			}
			if (i.taxMinor || i.shippingTaxMinor) {
				breakdowns.push({
					type: 'TAX', subtotal: money(i.taxMinor + i.shippingTaxMinor),
					detailedBreakdowns: [
						...(i.taxMinor ? [{ subtype: 'ITEM', value: money(i.taxMinor) }] : []),
						...(i.shippingTaxMinor ? [{ subtype: 'SHIPPING', value: money(i.shippingTaxMinor) }] : []),
					],
				});
			}
			const total = i.unitMinor * i.quantity + i.shippingMinor - i.discountMinor - i.shippingDiscountMinor + i.taxMinor + i.shippingTaxMinor;
			return {
				orderItemId: i.orderItemId,
				quantityOrdered: i.quantity,
				product: { asin: i.asin, title: i.title, sellerSku: i.sku, condition: { conditionType: 'NEW', conditionSubtype: 'NEW' }, price: { unitPrice: money(i.unitMinor) } },
				...(included.has('PROCEEDS') ? { proceeds: { proceedsTotal: money(total), breakdowns } } : {}),
				...(included.has('PROMOTION') && i.discountMinor ? { promotion: { breakdowns: [{ promotionId: 'SIM-PROMO' }] } } : {}),
				...(included.has('CANCELLATION') && cancelled ? { cancellation: { cancellationRequest: { requester: 'BUYER', cancelReason: 'Changed mind' }, cancellationExecution: { cancelledBy: 'MERCHANT', cancelReason: 'Buyer requested cancellation' } } } : {}),
				...(included.has('FULFILLMENT') ? { fulfillment: { quantityFulfilled: i.shipped, quantityUnfulfilled: cancelled ? 0 : i.quantity - i.shipped } } : {}),
				...(included.has('TAX') && i.marketplaceTax ? {
					tax: {
						...(i.scheme ? { taxCalculationBreakdowns: [{ reportingScheme: i.scheme }] } : {}),
						taxCollections: [{ model: 'MARKETPLACE_FACILITATOR', responsibleParty: 'Amazon Services, Inc.' }],
					},
				} : {}),
			};
		});
		const sum = (f: (i: SimItem) => number) => o.items.reduce((s, i) => s + f(i), 0);
		const orderBreakdowns: Json[] = [
			{ type: 'ITEM', subtotal: money(sum((i) => i.unitMinor * i.quantity)) },
			...(sum((i) => i.shippingMinor) ? [{ type: 'SHIPPING', subtotal: money(sum((i) => i.shippingMinor)) }] : []),
			...(sum((i) => i.discountMinor + i.shippingDiscountMinor) ? [{ type: 'DISCOUNT', subtotal: money(-sum((i) => i.discountMinor + i.shippingDiscountMinor)) }] : []),
			...(sum((i) => i.taxMinor + i.shippingTaxMinor) ? [{ type: 'TAX', subtotal: money(sum((i) => i.taxMinor + i.shippingTaxMinor)) }] : []),
			...(o.tipMinor ? [{ type: 'DELIVERY_TIP', status: 'FINALIZED', subtotal: money(o.tipMinor) }] : []),
		];
		const grand = sum((i) => i.unitMinor * i.quantity + i.shippingMinor - i.discountMinor - i.shippingDiscountMinor + i.taxMinor + i.shippingTaxMinor) + o.tipMinor;
		return {
			orderId: o.orderId,
			createdTime: new Date(o.created).toISOString(),
			lastUpdatedTime: new Date(o.updated).toISOString(),
			programs: o.programs,
			salesChannel: { channelName: 'AMAZON', marketplaceId: o.marketplaceId, marketplaceName: 'Amazon.com' },
			...(included.has('BUYER') ? { buyer: { buyerName: o.buyer.name, ...(o.fulfilledBy === 'MERCHANT' ? { buyerEmail: o.buyer.email } : {}) } } : {}),
			...(included.has('RECIPIENT') ? { recipient: { deliveryAddress: { ...o.address, addressType: 'RESIDENTIAL', ...(o.fulfilledBy === 'AMAZON' ? { phone: undefined } : {}) } } } : {}),
			...(included.has('PROCEEDS') ? { proceeds: { grandTotal: money(grand), breakdowns: orderBreakdowns } } : {}),
			...(included.has('FULFILLMENT') ? { fulfillment: { fulfillmentStatus: o.status, fulfilledBy: o.fulfilledBy, fulfillmentServiceLevel: o.serviceLevel } } : {}),
			orderItems: items,
			...(included.has('PACKAGES') && o.fulfilledBy === 'MERCHANT' ? {
				packages: o.packages.map((p) => ({
					packageReferenceId: p.packageReferenceId, createdTime: new Date(p.created).toISOString(), packageStatus: { status: 'SHIPPED', detailedStatus: 'PICKED_UP' },
					carrier: p.carrierCode === 'Other' ? p.carrierName : p.carrierCode, shipTime: p.shipDate, ...(p.shippingMethod ? { shippingService: p.shippingMethod } : {}),
					trackingNumber: p.trackingNumber, packageItems: p.items,
				})),
			} : {}),
		};
	}

	renderListing(l: SimListing, included: Set<string>, marketplaceId: string): Json {
		return {
			sku: l.sku,
			...(included.has('summaries') ? {
				summaries: [{
					marketplaceId, asin: l.asin, productType: l.productType, conditionType: 'new_new', status: l.status, itemName: l.title,
					createdDate: new Date(l.created).toISOString(), lastUpdatedDate: new Date(l.updated).toISOString(),
				}],
			} : {}),
			...(included.has('fulfillmentAvailability') ? { fulfillmentAvailability: [{ fulfillmentChannelCode: l.channel, quantity: l.quantity }] } : {}),
			...(included.has('offers') ? { offers: [{ marketplaceId, offerType: 'B2C', price: { amount: formatAmount(l.priceMinor, this.options.currency), currencyCode: this.options.currency } }] } : {}),
			...(included.has('attributes') ? {
				attributes: { fulfillment_availability: [{ fulfillment_channel_code: l.channel, quantity: l.quantity, ...(l.leadTimeDays !== undefined ? { lead_time_to_ship_max_days: l.leadTimeDays } : {}) }] },
			} : {}),
			...(included.has('issues') ? { issues: [] } : {}),
		};
	}

	toJSON(): Json {
		return {
			orders: this.orders.length,
			listings: this.listings.map((l) => ({ sku: l.sku, channel: l.channel, quantity: l.quantity, leadTimeDays: l.leadTimeDays })),
			packages: Object.fromEntries(this.orders.filter((o) => o.packages.length > 0).map((o) => [o.orderId, o.packages])),
			buyerNotices: Object.fromEntries(this.buyerNotices),
		};
	}
}
