/**
 * The simulated Etsy shop: listings with their inventory (products, offerings, property values),
 * receipts with transactions and shipments, OAuth codes and tokens, the app's quota, and the emails
 * Etsy would have sent to buyers. A seeded generator fills it; the same seed gives the same shop.
 * Amounts are kept as Etsy sends them: `{ amount, divisor, currency_code }`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { intBetween, pick, seededRandom } from '../common/random';
import { EtsyError } from './spec';

export interface Money {
	amount: number;
	divisor: number;
	currency_code: string;
}

export interface PropertyValue {
	property_id: number;
	property_name: string | null;
	scale_id: number | null;
	scale_name: string | null;
	value_ids: number[];
	values: string[];
}

export interface Offering {
	offering_id: number;
	quantity: number;
	is_enabled: boolean;
	is_deleted: boolean;
	price: Money;
}

export interface Product {
	product_id: number;
	sku: string;
	is_deleted: boolean;
	offerings: Offering[];
	property_values: PropertyValue[];
}

export interface Inventory {
	products: Product[];
	price_on_property: number[];
	quantity_on_property: number[];
	sku_on_property: number[];
}

export interface Listing {
	listing_id: number;
	user_id: number;
	shop_id: number;
	title: string;
	description: string;
	state: 'active' | 'inactive' | 'sold_out' | 'draft' | 'expired';
	created_timestamp: number;
	updated_timestamp: number;
	inventory: Inventory;
}

export interface Transaction {
	transaction_id: number;
	title: string;
	seller_user_id: number;
	buyer_user_id: number;
	created_timestamp: number;
	paid_timestamp: number | null;
	shipped_timestamp: number | null;
	quantity: number;
	receipt_id: number;
	is_digital: boolean;
	listing_id: number;
	product_id: number;
	sku: string;
	price: Money;
	shipping_cost: Money;
	variations: Array<{ property_id: number; value_id: number | null; formatted_name: string; formatted_value: string }>;
	product_data: PropertyValue[];
	shipping_method: string | null;
}

export interface Shipment {
	receipt_shipping_id: number;
	shipment_notification_timestamp: number;
	carrier_name: string;
	tracking_code: string;
}

export interface Receipt {
	receipt_id: number;
	receipt_type: number;
	seller_user_id: number;
	buyer_user_id: number;
	buyer_email: string | null;
	name: string;
	first_line: string | null;
	second_line: string | null;
	city: string | null;
	state: string | null;
	zip: string | null;
	country_iso: string | null;
	status: 'paid' | 'completed' | 'open' | 'payment processing' | 'canceled' | 'fully refunded' | 'partially refunded';
	payment_method: string;
	message_from_buyer: string | null;
	is_paid: boolean;
	is_shipped: boolean;
	created_timestamp: number;
	updated_timestamp: number;
	is_gift: boolean;
	total_price: Money;
	subtotal: Money;
	total_shipping_cost: Money;
	total_tax_cost: Money;
	total_vat_cost: Money;
	discount_amt: Money;
	gift_wrap_price: Money;
	grandtotal: Money;
	shipments: Shipment[];
	transactions: Transaction[];
	refunds: Array<{ amount: Money; created_timestamp: number; reason: string | null; note_from_issuer: string | null; status: string | null }>;
}

export interface EtsyStoreOptions {
	seed: number;
	shopId: number;
	userId: number;
	listings: number;
	receipts: number;
	currency: string;
	/** Epoch seconds of the first seeded receipt. */
	start: number;
	/** Seconds between seeded receipts. */
	spacing: number;
	now?: () => number;
}

/** Etsy's listing property for colour and the "primary/secondary colour" style ids it uses. */
const COLOR = 200;
const SIZE = 100;
const COLORS = ['Black', 'Blue', 'Green', 'Red', 'White'];
const SIZES = ['S', 'M', 'L'];
const NAMES = ['Ann Lee', 'Ben Okafor', 'Chloé Martin', 'Dev Patel', 'Eva Novak', 'Finn Murphy'];
const PLACES = [
	{ city: 'Austin', state: 'TX', zip: '78701', country_iso: 'US', salesTaxBp: 825, vatBp: 0 },
	{ city: 'Brooklyn', state: 'NY', zip: '11201', country_iso: 'US', salesTaxBp: 888, vatBp: 0 },
	{ city: 'Portland', state: 'OR', zip: '97201', country_iso: 'US', salesTaxBp: 0, vatBp: 0 },
	{ city: 'London', state: null, zip: 'SW1A 1AA', country_iso: 'GB', salesTaxBp: 0, vatBp: 2000 },
	{ city: 'Berlin', state: null, zip: '10115', country_iso: 'DE', salesTaxBp: 0, vatBp: 1900 },
];
const CARRIERS = ['USPS', 'UPS', 'FedEx', 'Royal Mail', 'DHL Express'];

export function pkceChallenge(verifier: string): string {
	return createHash('sha256').update(verifier).digest('base64url');
}

export class EtsyStore {
	listings = new Map<number, Listing>();
	receipts: Receipt[] = [];
	/** Buyer emails sent by createReceiptShipment, per receipt: a test can assert "never twice". */
	buyerEmails = new Map<number, number>();
	sellerEmails = 0;
	codes = new Map<string, { challenge: string; redirectUri: string; scopes: string[]; clientId: string }>();
	tokens = new Map<string, { expiresAt: number; scopes: string[] }>();
	refreshTokens = new Map<string, { scopes: string[] }>();
	dailyUsed = 0;
	private clock: () => number;
	private nextId = 1_000_000;
	random: () => number;
	/** Bumped on every change, so tests can reset only when needed. */
	version = 0;

	constructor(readonly options: EtsyStoreOptions) {
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

	id(): number {
		return this.nextId++;
	}

	money(amount: number): Money {
		return { amount, divisor: this.divisor(), currency_code: this.options.currency };
	}

	divisor(): number {
		return ['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'HUF'].includes(this.options.currency) ? 1 : 100;
	}

	reset(): void {
		this.listings = new Map();
		this.receipts = [];
		this.buyerEmails = new Map();
		this.sellerEmails = 0;
		this.dailyUsed = 0;
		this.nextId = 1_000_000;
		this.random = seededRandom(this.options.seed);
		this.seed();
		this.version++;
	}

	// ---- seeding -----------------------------------------------------------------------------------

	private seed(): void {
		const r = this.random;
		const created = this.options.start - 86_400 * 30;
		for (let i = 0; i < this.options.listings; i++) {
			const kind = i % 3; // 0: one product, 1: colours (own quantities), 2: colour × size (shared quantity, price by size)
			const listingId = this.id();
			const base = intBetween(r, 8, 60) * this.divisor() + (this.divisor() > 1 ? intBetween(r, 0, 99) : 0);
			const products: Product[] = [];
			const product = (sku: string, values: PropertyValue[], price: number, quantity: number): Product => ({
				product_id: this.id(), sku, is_deleted: false, property_values: values,
				offerings: [{ offering_id: this.id(), quantity, is_enabled: true, is_deleted: false, price: this.money(price) }],
			});
			let inventory: Inventory;
			if (kind === 0) {
				products.push(product(`ETSY-${i + 1}`, [], base, intBetween(r, 0, 40)));
				inventory = { products, price_on_property: [], quantity_on_property: [], sku_on_property: [] };
			} else if (kind === 1) {
				COLORS.slice(0, 3).forEach((c, k) => products.push(product(`ETSY-${i + 1}-${c.toUpperCase()}`, [this.value(COLOR, 'Primary color', k + 1, c)], base, intBetween(r, 0, 25))));
				inventory = { products, price_on_property: [], quantity_on_property: [COLOR], sku_on_property: [COLOR] };
			} else {
				const shared = intBetween(r, 1, 30);
				COLORS.slice(0, 2).forEach((c, k) => SIZES.forEach((s, j) => products.push(product(
					`ETSY-${i + 1}-${c.toUpperCase()}-${s}`,
					[this.value(COLOR, 'Primary color', k + 1, c), this.value(SIZE, 'Size', 10 + j, s)],
					base + j * this.divisor() * 2,
					shared,
				))));
				inventory = { products, price_on_property: [SIZE], quantity_on_property: [], sku_on_property: [COLOR, SIZE] };
			}
			const state: Listing['state'] = i === 4 ? 'inactive' : this.quantity(inventory) === 0 ? 'sold_out' : 'active';
			this.listings.set(listingId, {
				listing_id: listingId, user_id: this.options.userId, shop_id: this.options.shopId,
				title: `Handmade item ${i + 1}`, description: `Seeded listing ${i + 1}`, state,
				created_timestamp: created + i * 60, updated_timestamp: created + i * 60, inventory,
			});
		}
		for (let i = 0; i < this.options.receipts; i++) {
			const at = this.options.start + i * this.options.spacing;
			const roll = r();
			const status: Receipt['status'] = roll < 0.55 ? 'paid' : roll < 0.8 ? 'completed' : roll < 0.88 ? 'canceled' : roll < 0.94 ? 'open' : 'partially refunded';
			this.createReceipt({ status, at, modifiedAt: at + (status === 'paid' ? 0 : intBetween(r, 60, 7200)) });
		}
	}

	private value(propertyId: number, name: string, valueId: number, value: string): PropertyValue {
		return { property_id: propertyId, property_name: name, scale_id: null, scale_name: null, value_ids: [valueId], values: [value] };
	}

	quantity(inventory: Inventory): number {
		return inventory.products.filter((p) => !p.is_deleted).reduce((sum, p) => sum + p.offerings.filter((o) => !o.is_deleted && o.is_enabled).reduce((s, o) => s + o.quantity, 0), 0);
	}

	/** A receipt as a buyer's checkout makes it; totals are consistent the way Etsy's are. */
	createReceipt(input: { status?: Receipt['status']; at?: number; modifiedAt?: number; country?: string } = {}): Receipt {
		const r = this.random;
		const at = input.at ?? this.nowSeconds();
		const status = input.status ?? 'paid';
		const place = input.country ? (PLACES.find((p) => p.country_iso === input.country) ?? PLACES[0]) : pick(r, PLACES);
		const receiptId = this.id();
		const buyer = intBetween(r, 100_000, 999_999);
		const sellable = [...this.listings.values()].filter((l) => l.state === 'active');
		const count = Math.min(sellable.length, 1 + Math.floor(r() * 3));
		const transactions: Transaction[] = [];
		const paid = status !== 'open' && status !== 'payment processing';
		const shipped = status === 'completed' || status === 'partially refunded';
		for (let k = 0; k < count; k++) {
			const listing = sellable[(Math.floor(r() * sellable.length) + k) % sellable.length];
			if (transactions.some((t) => t.listing_id === listing.listing_id)) continue;
			const product = pick(r, listing.inventory.products.filter((p) => !p.is_deleted));
			const quantity = 1 + Math.floor(r() * 2);
			transactions.push({
				transaction_id: this.id(), title: listing.title, seller_user_id: this.options.userId, buyer_user_id: buyer,
				created_timestamp: at, paid_timestamp: paid ? at : null, shipped_timestamp: shipped ? at + 3600 : null,
				quantity, receipt_id: receiptId, is_digital: false, listing_id: listing.listing_id, product_id: product.product_id, sku: product.sku,
				price: { ...product.offerings[0].price }, shipping_cost: this.money(0),
				variations: product.property_values.map((p) => ({ property_id: p.property_id, value_id: p.value_ids[0] ?? null, formatted_name: p.property_name ?? '', formatted_value: p.values.join(', ') })),
				product_data: product.property_values.map((p) => ({ ...p })),
				shipping_method: 'Standard Shipping',
			});
		}
		const totalPrice = transactions.reduce((s, t) => s + t.price.amount * t.quantity, 0);
		const shipping = intBetween(r, 3, 9) * this.divisor();
		const discount = r() < 0.25 ? Math.floor(totalPrice / 10) : 0;
		const giftWrap = r() < 0.1 ? 4 * this.divisor() : 0;
		const taxable = totalPrice - discount + shipping;
		const tax = Math.round((taxable * place.salesTaxBp) / 10_000);
		const vat = Math.round((taxable * place.vatBp) / 10_000);
		const name = pick(r, NAMES);
		const receipt: Receipt = {
			receipt_id: receiptId, receipt_type: 0, seller_user_id: this.options.userId, buyer_user_id: buyer,
			buyer_email: `${name.split(' ')[0].toLowerCase()}.${buyer}@example.com`, name,
			first_line: `${intBetween(r, 1, 999)} Market Street`, second_line: null, city: place.city, state: place.state, zip: place.zip, country_iso: place.country_iso,
			status, payment_method: 'cc', message_from_buyer: r() < 0.2 ? 'Please gift wrap, thank you!' : null,
			is_paid: paid, is_shipped: shipped, created_timestamp: at, updated_timestamp: input.modifiedAt ?? at, is_gift: giftWrap > 0,
			total_price: this.money(totalPrice), subtotal: this.money(totalPrice - discount), total_shipping_cost: this.money(shipping),
			total_tax_cost: this.money(tax), total_vat_cost: this.money(vat), discount_amt: this.money(discount), gift_wrap_price: this.money(giftWrap),
			grandtotal: this.money(totalPrice - discount + shipping + tax + vat + giftWrap),
			shipments: shipped ? [{ receipt_shipping_id: this.id(), shipment_notification_timestamp: at + 3600, carrier_name: pick(r, CARRIERS), tracking_code: `1Z${intBetween(r, 100_000_000, 999_999_999)}` }] : [],
			transactions,
			refunds: status === 'partially refunded' ? [{ amount: this.money(Math.floor(totalPrice / 4)), created_timestamp: at + 7200, reason: 'damaged', note_from_issuer: null, status: 'REFUNDED' }] : [],
		};
		this.receipts.push(receipt);
		this.version++;
		return receipt;
	}

	receipt(id: number): Receipt {
		const found = this.receipts.find((x) => x.receipt_id === id);
		if (!found) throw new EtsyError(404, `Receipt with receipt_id ${id} could not be found`);
		return found;
	}

	/** The seller (or Etsy) changes a receipt: its last-modified time moves to now. */
	touchReceipt(id: number, patch: Partial<Pick<Receipt, 'status' | 'is_paid' | 'message_from_buyer'>> = {}): Receipt {
		const receipt = this.receipt(id);
		Object.assign(receipt, patch);
		receipt.updated_timestamp = Math.max(this.nowSeconds(), receipt.updated_timestamp);
		this.version++;
		return receipt;
	}

	listing(id: number): Listing {
		const found = this.listings.get(id);
		if (!found) throw new EtsyError(404, `Could not find a Listing with listing_id = ${id}`);
		return found;
	}

	/** A buyer buys `units` of a product on etsy.com (by SKU): its offering's quantity drops. */
	sell(sku: string, units: number): void {
		for (const listing of this.listings.values()) {
			const product = listing.inventory.products.find((p) => p.sku === sku && !p.is_deleted);
			if (!product) continue;
			const shared = listing.inventory.quantity_on_property.length === 0;
			const targets = shared ? listing.inventory.products.filter((p) => !p.is_deleted) : [product];
			for (const p of targets) p.offerings[0].quantity = Math.max(0, p.offerings[0].quantity - units);
			listing.updated_timestamp = this.nowSeconds();
			if (this.quantity(listing.inventory) === 0 && listing.state === 'active') listing.state = 'sold_out';
			this.version++;
			return;
		}
		throw new Error(`sell: no product with SKU ${sku}`);
	}

	// ---- OAuth ---------------------------------------------------------------------------------------

	issueCode(clientId: string, redirectUri: string, challenge: string, scopes: string[]): string {
		const code = randomBytes(16).toString('hex');
		this.codes.set(code, { challenge, redirectUri, scopes, clientId });
		return code;
	}

	issueToken(scopes: string[], lifetimeSeconds: number): { access_token: string; token_type: 'Bearer'; expires_in: number; refresh_token: string } {
		// Etsy's tokens start with the user id.
		const access = `${this.options.userId}.${randomBytes(24).toString('base64url')}`;
		const refresh = `${this.options.userId}.${randomBytes(24).toString('base64url')}`;
		this.tokens.set(access, { expiresAt: this.now() + lifetimeSeconds * 1000, scopes });
		this.refreshTokens.set(refresh, { scopes });
		return { access_token: access, token_type: 'Bearer', expires_in: lifetimeSeconds, refresh_token: refresh };
	}

	expireTokens(): void {
		for (const token of this.tokens.values()) token.expiresAt = 0;
	}

	toJSON(): Record<string, unknown> {
		return {
			shopId: this.options.shopId, listings: [...this.listings.values()], receipts: this.receipts,
			buyerEmails: Object.fromEntries(this.buyerEmails), sellerEmails: this.sellerEmails, dailyUsed: this.dailyUsed, now: new Date(this.now()).toISOString(),
		};
	}
}
