/**
 * The simulated TikTok Shop: products with SKUs and per-warehouse stock, orders (one line item per unit,
 * as TikTok lists them) with their packages, tokens, and the buyer notices shipping sends. A seeded
 * generator fills it; the same seed gives the same shop. Amounts are kept as TikTok sends them: decimal
 * strings in the order's currency.
 */
import { randomBytes } from 'node:crypto';
import { intBetween, pick, seededRandom } from '../common/random';
import { TikTokError } from './spec';

export interface SimSku {
	id: string;
	seller_sku: string;
	price: number;
	/** Warehouse id → available quantity. */
	stock: Map<string, number>;
}

export interface SimProduct {
	product_id: string;
	title: string;
	status: 'ACTIVATE' | 'SELLER_DEACTIVATED';
	skus: SimSku[];
	update_time: number;
}

export interface SimLineItem {
	id: string;
	sku_id: string;
	product_id: string;
	product_name: string;
	sku_name: string;
	seller_sku: string;
	original_price: string;
	sale_price: string;
	seller_discount: string;
	platform_discount: string;
	currency: string;
	display_status: string;
	package_id: string;
	package_status: string;
	tracking_number?: string;
	shipping_provider_id?: string;
	shipping_provider_name?: string;
	rts_time?: number;
	is_gift: boolean;
	item_tax: Array<{ tax_type: string; tax_amount: string; tax_rate: string }>;
}

export interface SimOrder {
	id: string;
	status: string;
	create_time: number;
	update_time: number;
	paid_time?: number;
	cancel_time?: number;
	user_id: string;
	buyer_email: string;
	buyer_message: string;
	shipping_type: 'SELLER' | 'TIKTOK';
	delivery_option_id: string;
	delivery_option_name: string;
	fulfillment_type: string;
	payment: Record<string, string>;
	recipient_address: Record<string, unknown>;
	packages: Array<{ id: string }>;
	line_items: SimLineItem[];
}

export interface TikTokStoreOptions {
	seed: number;
	products: number;
	orders: number;
	currency: string;
	/** Epoch seconds of the first seeded order. */
	start: number;
	spacing: number;
	now?: () => number;
}

export const WAREHOUSE = '7068517275539719942';
export const SECOND_WAREHOUSE = '7068517275539719943';
/** The shipping providers the seeded shop's delivery option offers (id → name). */
export const PROVIDERS: Record<string, string> = { '6617675021119438849': 'UPS', '6617675021119438850': 'USPS', '6617675021119438851': 'FedEx' };

const NAMES = [['Ann', 'Lee'], ['Ben', 'Okafor'], ['Chloe', 'Martin'], ['Dev', 'Patel'], ['Eva', 'Novak']];
const PLACES = [
	{ state: 'CA', city: 'San Jose', zip: '95110', taxBp: 925 },
	{ state: 'TX', city: 'Austin', zip: '78701', taxBp: 825 },
	{ state: 'OR', city: 'Portland', zip: '97201', taxBp: 0 },
	{ state: 'NY', city: 'Brooklyn', zip: '11201', taxBp: 888 },
];

const cents = (n: number) => (n / 100).toFixed(2);

export class TikTokStore {
	products: SimProduct[] = [];
	orders: SimOrder[] = [];
	tokens = new Map<string, { expiresAt: number }>();
	refreshTokens = new Set<string>();
	/** Buyer notices sent by Ship Package, per order: a test can assert "never twice". */
	buyerNotices = new Map<string, number>();
	random: () => number;
	private clock: () => number;
	private nextId = 1_000_000;

	constructor(readonly options: TikTokStoreOptions) {
		this.clock = options.now ?? (() => Date.now());
		this.random = seededRandom(options.seed);
		this.seed();
	}

	now(): number {
		return this.clock();
	}

	nowSeconds(): number {
		return Math.floor(this.clock() / 1000);
	}

	setClock(now: (() => number) | undefined): void {
		this.clock = now ?? this.options.now ?? (() => Date.now());
	}

	/** TikTok's ids are long digit strings. */
	id(): string {
		return `57${String(this.nextId++).padStart(16, '0')}`;
	}

	reset(): void {
		this.products = [];
		this.orders = [];
		this.buyerNotices = new Map();
		this.nextId = 1_000_000;
		this.random = seededRandom(this.options.seed);
		this.seed();
	}

	private seed(): void {
		const r = this.random;
		for (let i = 0; i < this.options.products; i++) {
			const count = 1 + (i % 3);
			const price = intBetween(r, 800, 6000);
			const skus: SimSku[] = Array.from({ length: count }, (_, k) => ({
				id: this.id(), seller_sku: `TT-${i + 1}${count > 1 ? `-${['S', 'M', 'L'][k]}` : ''}`, price: price + k * 100,
				// Every fifth product is stocked in two warehouses.
				stock: new Map(i % 5 === 4 ? [[WAREHOUSE, intBetween(r, 0, 40)], [SECOND_WAREHOUSE, intBetween(r, 0, 10)]] : [[WAREHOUSE, intBetween(r, 0, 40)]]),
			}));
			this.products.push({ product_id: this.id(), title: `Product ${i + 1}`, status: 'ACTIVATE', skus, update_time: this.options.start });
		}
		for (let i = 0; i < this.options.orders; i++) {
			const at = this.options.start + i * this.options.spacing;
			const roll = r();
			const status = roll < 0.55 ? 'AWAITING_SHIPMENT' : roll < 0.75 ? 'IN_TRANSIT' : roll < 0.85 ? 'COMPLETED' : roll < 0.93 ? 'CANCELLED' : 'UNPAID';
			this.createOrder({ status, at, updatedAt: at + (status === 'AWAITING_SHIPMENT' ? 0 : intBetween(r, 60, 7200)) });
		}
	}

	/** An order as a buyer's checkout makes it; its payment adds up the way TikTok's does. */
	createOrder(input: { status?: string; at?: number; updatedAt?: number; units?: number; shippingType?: 'SELLER' | 'TIKTOK' } = {}): SimOrder {
		const r = this.random;
		const at = input.at ?? this.nowSeconds();
		const status = input.status ?? 'AWAITING_SHIPMENT';
		const place = pick(r, PLACES);
		const [first, last] = pick(r, NAMES);
		const orderId = this.id();
		const packageId = this.id();
		const lineItems: SimLineItem[] = [];
		const kinds = input.units !== undefined ? 1 : 1 + Math.floor(r() * 2);
		let productTax = 0;
		for (let k = 0; k < kinds; k++) {
			const product = this.products[(Math.floor(r() * this.products.length) + k) % this.products.length];
			const sku = pick(r, product.skus);
			const units = input.units ?? 1 + Math.floor(r() * 3);
			const sellerDiscount = r() < 0.3 ? Math.floor(sku.price / 10) : 0;
			const platformDiscount = r() < 0.2 ? 100 : 0;
			const net = sku.price - sellerDiscount - platformDiscount;
			const unitTax = Math.round((net * place.taxBp) / 10_000);
			for (let u = 0; u < units; u++) {
				productTax += unitTax;
				lineItems.push({
					id: this.id(), sku_id: sku.id, product_id: product.product_id, product_name: product.title, sku_name: sku.seller_sku.split('-').slice(2).join(' ') || 'Default',
					seller_sku: sku.seller_sku, original_price: cents(sku.price), sale_price: cents(net), seller_discount: cents(sellerDiscount), platform_discount: cents(platformDiscount),
					currency: this.options.currency, display_status: status, package_id: packageId, package_status: 'TO_FULFILL', is_gift: false,
					item_tax: unitTax > 0 ? [{ tax_type: 'SALES_TAX', tax_amount: cents(unitTax), tax_rate: (place.taxBp / 10_000).toString() }] : [],
				});
			}
		}
		const original = lineItems.reduce((s, l) => s + Math.round(Number(l.original_price) * 100), 0);
		const sellerDiscount = lineItems.reduce((s, l) => s + Math.round(Number(l.seller_discount) * 100), 0);
		const platformDiscount = lineItems.reduce((s, l) => s + Math.round(Number(l.platform_discount) * 100), 0);
		const subTotal = original - sellerDiscount - platformDiscount;
		const originalShipping = intBetween(r, 0, 2) * 299;
		const shippingDiscount = originalShipping > 0 && r() < 0.3 ? originalShipping : 0;
		const shippingFee = originalShipping - shippingDiscount;
		const shippingTax = Math.round((shippingFee * place.taxBp) / 10_000);
		const retailDelivery = place.state === 'CO' ? 28 : 0;
		const tax = productTax + shippingTax;
		const order: SimOrder = {
			id: orderId, status, create_time: at, update_time: input.updatedAt ?? at,
			paid_time: status === 'UNPAID' ? undefined : at + 5, cancel_time: status === 'CANCELLED' ? (input.updatedAt ?? at) : undefined,
			user_id: String(intBetween(r, 7_000_000_000, 7_999_999_999)), buyer_email: `${first.toLowerCase()}@scs2.tiktok.example`, buyer_message: r() < 0.2 ? 'Please ship asap!' : '',
			shipping_type: input.shippingType ?? 'SELLER', delivery_option_id: '7091146663229654785', delivery_option_name: 'Standard shipping', fulfillment_type: 'FULFILLMENT_BY_SELLER',
			payment: {
				currency: this.options.currency, sub_total: cents(subTotal), shipping_fee: cents(shippingFee), seller_discount: cents(sellerDiscount), platform_discount: cents(platformDiscount),
				total_amount: cents(subTotal + shippingFee + tax + retailDelivery), original_total_product_price: cents(original), original_shipping_fee: cents(originalShipping),
				shipping_fee_seller_discount: cents(shippingDiscount), shipping_fee_platform_discount: '0.00', shipping_fee_cofunded_discount: '0.00',
				tax: cents(tax), product_tax: cents(productTax), shipping_fee_tax: cents(shippingTax), retail_delivery_fee: cents(retailDelivery),
			},
			recipient_address: status === 'UNPAID' ? {} : {
				name: `${first} ${last}`, first_name: first, last_name: last, phone_number: '(+1)213-***-1234', region_code: 'US', postal_code: place.zip,
				address_line1: `${intBetween(r, 1, 999)} Market St`, address_line2: '', full_address: `${place.city}, ${place.state}`,
				district_info: [{ address_level_name: 'Country', address_name: 'United States', address_level: 'L0' }, { address_level_name: 'State', address_name: place.state, address_level: 'L1' }, { address_level_name: 'City', address_name: place.city, address_level: 'L3' }],
			},
			packages: [{ id: packageId }],
			line_items: lineItems,
		};
		if (['IN_TRANSIT', 'COMPLETED'].includes(status)) this.markShipped(order, `1Z${intBetween(r, 100_000_000, 999_999_999)}`, '6617675021119438849', at + 3600);
		if (status === 'CANCELLED') for (const l of order.line_items) l.package_status = 'CANCELLED';
		this.orders.push(order);
		return order;
	}

	markShipped(order: SimOrder, tracking: string, providerId: string, when: number): void {
		for (const l of order.line_items) Object.assign(l, { tracking_number: tracking, shipping_provider_id: providerId, shipping_provider_name: PROVIDERS[providerId] ?? 'Other', rts_time: when, package_status: 'PROCESSING' });
	}

	order(id: string): SimOrder | undefined {
		return this.orders.find((o) => o.id === id);
	}

	/** The seller (or TikTok) changes an order: its update time moves to now. */
	touchOrder(id: string, patch: Partial<Pick<SimOrder, 'status' | 'buyer_message'>> = {}): SimOrder {
		const order = this.order(id);
		if (!order) throw new TikTokError(404, 21008111, 'The order or package does not belong to the current seller.');
		Object.assign(order, patch);
		order.update_time = Math.max(this.nowSeconds(), order.update_time);
		return order;
	}

	sku(skuId: string): { product: SimProduct; sku: SimSku } | undefined {
		for (const product of this.products) {
			const sku = product.skus.find((s) => s.id === skuId);
			if (sku) return { product, sku };
		}
		return undefined;
	}

	/** A buyer buys on TikTok: the SKU's first warehouse drops. */
	sell(sellerSku: string, units: number): void {
		for (const product of this.products) {
			const sku = product.skus.find((s) => s.seller_sku === sellerSku);
			if (!sku) continue;
			const [warehouse, quantity] = [...sku.stock.entries()][0];
			sku.stock.set(warehouse, Math.max(0, quantity - units));
			return;
		}
		throw new Error(`sell: no SKU ${sellerSku}`);
	}

	issueToken(lifetimeSeconds: number): { access_token: string; access_token_expire_in: number; refresh_token: string; refresh_token_expire_in: number } {
		const access = `TTP_${randomBytes(24).toString('base64url')}`;
		const refresh = `TTP_${randomBytes(24).toString('base64url')}`;
		const expiresAt = this.nowSeconds() + lifetimeSeconds;
		this.tokens.set(access, { expiresAt });
		this.refreshTokens.add(refresh);
		return { access_token: access, access_token_expire_in: expiresAt, refresh_token: refresh, refresh_token_expire_in: this.nowSeconds() + 365 * 86_400 };
	}

	expireTokens(): void {
		for (const token of this.tokens.values()) token.expiresAt = 0;
	}

	toJSON(): Record<string, unknown> {
		return {
			products: this.products.map((p) => ({ ...p, skus: p.skus.map((s) => ({ ...s, stock: Object.fromEntries(s.stock) })) })),
			orders: this.orders, buyerNotices: Object.fromEntries(this.buyerNotices), now: new Date(this.now()).toISOString(),
		};
	}
}
