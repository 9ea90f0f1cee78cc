/**
 * The seeded demo store: a catalogue (simple products with and without managed stock, variable products
 * whose variations manage their own stock, inherit the parent's or manage none, a few items without SKU),
 * customers in eight countries, and orders in every core status with taxes (shipping tax too), coupons,
 * fees, refunds, notes and shipment tracking, then one external and one grouped product (last, so they
 * shift no other id). Same seed, same store. Orders are built straight into records with the store's own
 * arithmetic (50,000 in about two seconds), so totals reconcile to the cent; a product or variation whose
 * stock a seeded order reduced carries that moment as its date_modified, as WooCommerce's save leaves it.
 * 25,000 products (about 50,000 SKUs in simple products and variations) seed in about a second.
 */
import { intBetween, pick, seededRandom } from '../common/random';
import { blankProduct, blankVariation, emptyAddress, sanitizeTitle, TRACKING_META_KEY } from './store';
import type { Sellable, WooStore } from './store';
import { COUPONS, money, toCents } from './totals';
import type { WooAddress, WooCustomer, WooImage, WooOrderRecord, WooProductRecord, WooVariationRecord } from './types';

// Builtins bound once per module: under jest every global lookup crosses the vm context's interceptor (~1 µs).
const { floor, round, min, max } = Math;

type Rng = () => number;

const DAY = 86_400_000;

function weighted<T>(rng: Rng, items: ReadonlyArray<readonly [T, number]>): T {
	const total = items.reduce((a, [, w]) => a + w, 0);
	let r = rng() * total;
	for (const [item, w] of items) {
		r -= w;
		if (r < 0) return item;
	}
	return items[items.length - 1][0];
}

interface Template {
	noun: string;
	code: string;
	category: string;
	cents: readonly [number, number];
	attributes?: ReadonlyArray<'Color' | 'Size'>;
	taxClass?: string;
	virtual?: boolean;
}

const CATALOGUE: Template[] = [
	{ noun: 'T-Shirt', code: 'TEE', category: 'Clothing', cents: [19, 34], attributes: ['Color', 'Size'] },
	{ noun: 'Hoodie', code: 'HOOD', category: 'Clothing', cents: [45, 79], attributes: ['Color', 'Size'] },
	{ noun: 'Mug', code: 'MUG', category: 'Kitchen', cents: [12, 22] },
	{ noun: 'Cap', code: 'CAP', category: 'Accessories', cents: [15, 29], attributes: ['Color'] },
	{ noun: 'Tote Bag', code: 'TOTE', category: 'Accessories', cents: [15, 25] },
	{ noun: 'Poster', code: 'POST', category: 'Decor', cents: [10, 35] },
	{ noun: 'Socks', code: 'SOCK', category: 'Clothing', cents: [9, 15], attributes: ['Size'] },
	{ noun: 'Notebook', code: 'NOTE', category: 'Stationery', cents: [6, 18] },
	{ noun: 'Water Bottle', code: 'BOTL', category: 'Kitchen', cents: [18, 32] },
	{ noun: 'Cookbook', code: 'BOOK', category: 'Books', cents: [19, 39], taxClass: 'reduced-rate' },
	{ noun: 'Sticker Pack', code: 'STIK', category: 'Stationery', cents: [3, 9] },
	{ noun: 'Gift Card', code: 'GIFT', category: 'Gift Cards', cents: [25, 100], virtual: true },
];

/** Names as the REST API returns them: titles typed in wp-admin come back HTML-encoded. */
const ADJECTIVES = ['Classic', 'Organic', 'Vintage', 'Everyday', 'Premium', 'Nordic', 'Coastal', 'Midnight', 'Urban', 'Alpine', 'Retro', 'Café', 'Salt &amp; Pepper', 'Essential', 'Sunday'];

const ATTRIBUTES = {
	Color: { id: 1, options: ['Black', 'White', 'Navy', 'Red', 'Forest Green', 'Heather Grey'], codes: ['BLK', 'WHT', 'NVY', 'RED', 'GRN', 'GRY'] },
	Size: { id: 0, options: ['XS', 'S', 'M', 'L', 'XL', 'XXL'], codes: ['XS', 'S', 'M', 'L', 'XL', 'XXL'] },
} as const;

const CATEGORY_IDS: Record<string, number> = { Clothing: 15, Kitchen: 16, Accessories: 17, Decor: 18, Stationery: 19, Books: 20, 'Gift Cards': 21 };

interface Place {
	country: string;
	weight: number;
	cities: ReadonlyArray<readonly [string, string, string]>;
	street: (rng: Rng) => string;
	phone: (rng: Rng) => string;
	shipping: number;
}

function digits(rng: Rng, n: number): string {
	let s = '';
	for (let i = 0; i < n; i++) s += floor(rng() * 10);
	return s;
}

const PLACES: Place[] = [
	{ country: 'US', weight: 40, cities: [['San Francisco', 'CA', '94103'], ['Los Angeles', 'CA', '90012'], ['New York', 'NY', '10001'], ['Austin', 'TX', '73301'], ['Seattle', 'WA', '98101'], ['Chicago', 'IL', '60601']],
		street: (r) => `${intBetween(r, 1, 2999)} ${pick(r, ['Market Street', 'Mission St', 'Broadway', 'Main St', 'Pine Street', 'Elm Avenue'])}`, phone: (r) => `(${digits(r, 3)}) 555-${digits(r, 4)}`, shipping: 795 },
	{ country: 'GB', weight: 15, cities: [['London', '', 'SW1A 1AA'], ['Manchester', '', 'M1 1AE'], ['Bristol', '', 'BS1 4DJ']],
		street: (r) => `${intBetween(r, 1, 220)} ${pick(r, ['High Street', 'Station Road', 'Church Lane', 'Victoria Road'])}`, phone: (r) => `07700 900${digits(r, 3)}`, shipping: 1295 },
	{ country: 'DE', weight: 12, cities: [['Berlin', '', '10115'], ['München', '', '80331'], ['Köln', '', '50667']],
		street: (r) => `${pick(r, ['Hauptstraße', 'Bahnhofstraße', 'Schillerstraße', 'Gartenweg'])} ${intBetween(r, 1, 120)}`, phone: (r) => `+49 30 ${digits(r, 7)}`, shipping: 1295 },
	{ country: 'FR', weight: 6, cities: [['Paris', '', '75001'], ['Lyon', '', '69001']],
		street: (r) => `${intBetween(r, 1, 90)} ${pick(r, ['Rue de Rivoli', 'Avenue Jean Jaurès', 'Rue Victor Hugo'])}`, phone: (r) => `+33 6 ${digits(r, 8)}`, shipping: 1295 },
	{ country: 'NL', weight: 5, cities: [['Amsterdam', '', '1012 AB'], ['Utrecht', '', '3511 AA']],
		street: (r) => `${pick(r, ['Prinsengracht', 'Keizersgracht', 'Damrak'])} ${intBetween(r, 1, 400)}`, phone: (r) => `+31 6 ${digits(r, 8)}`, shipping: 1295 },
	{ country: 'CA', weight: 9, cities: [['Toronto', 'ON', 'M5V 2T6'], ['Ottawa', 'ON', 'K1P 1J1'], ['Vancouver', 'BC', 'V6B 1A1']],
		street: (r) => `${intBetween(r, 1, 900)} ${pick(r, ['King St W', 'Queen Street', 'Granville St'])}`, phone: (r) => `(${digits(r, 3)}) 555-${digits(r, 4)}`, shipping: 1495 },
	{ country: 'AU', weight: 7, cities: [['Sydney', 'NSW', '2000'], ['Melbourne', 'VIC', '3000']],
		street: (r) => `${intBetween(r, 1, 300)} ${pick(r, ['George St', 'Collins Street', 'Pitt St'])}`, phone: (r) => `04${digits(r, 8)}`, shipping: 1995 },
	{ country: 'BR', weight: 6, cities: [['Rio de Janeiro', 'RJ', '20040-002'], ['São Paulo', 'SP', '01310-100']],
		street: (r) => `${pick(r, ['Av. Paulista', 'Rua Augusta', 'Av. Brasil'])}, ${intBetween(r, 10, 2000)}`, phone: (r) => `(11) 9${digits(r, 4)}-${digits(r, 4)}`, shipping: 1995 },
];

const PLACE_BY_COUNTRY = new Map(PLACES.map((p) => [p.country, p]));

const FIRST = ['John', 'Maria', 'Chen', 'Aisha', 'Lukas', 'Sofía', 'João', 'Zoë', 'Emma', 'Noah', 'Olivia', 'Liam', 'Mia', 'Yuki', 'Fatima', 'Oliver', 'Charlotte', 'Mateo', 'Anna', 'Jan'];
const LAST = ['Doe', 'Silva', 'Müller', 'Smith', 'García', 'Nguyen', 'Kowalski', "O'Brien", 'Johansson', 'Rossi', 'Dubois', 'Tanaka', 'Khan', 'Jansen', 'Brown', 'Martin'];
const COMPANIES = ['Acme Corp', 'Müller & Söhne GmbH', 'Northwind Traders', 'Blue Harbor Ltd', 'Café Lumière SARL'];
const AGENTS = [
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
	'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
];
const NOTES = [
	'Please leave the parcel at the back door.',
	'Gift — please don\'t include the invoice.',
	'Bitte beim Nachbarn abgeben.',
	'Call before delivery: the bell is broken.',
	'Ship together with my previous order if possible 🙏',
];
const PAYMENT_TITLES: Record<string, string> = {
	bacs: 'Direct bank transfer', cheque: 'Check payments', cod: 'Cash on delivery', stripe: 'Credit / Debit Card', paypal: 'PayPal',
};
const CARRIERS: Record<string, string[]> = {
	US: ['usps', 'ups', 'fedex', 'dhl-us'], CA: ['canada-post'], GB: ['royal-mail', 'dpd-co-uk'], DE: ['deutsche-post-dhl', 'hermes', 'dpd-de'],
	FR: ['colissimo'], NL: ['postnl'], AU: ['australia-post'], BR: ['correios'],
};

/** Weighted choices, hoisted so the order loop allocates nothing for them. */
const W = {
	lines: [[1, 50], [2, 28], [3, 12], [4, 6], [5, 3], [6, 1]],
	quantity: [[1, 72], [2, 18], [3, 5], [4, 3], [6, 2]],
	shipping: [['flat_rate', 85], ['free_shipping', 9], ['local_pickup', 6]],
	onHold: [['bacs', 80], ['cheque', 20]],
	pending: [['stripe', 50], ['paypal', 40], ['bacs', 10]],
	failed: [['stripe', 70], ['paypal', 30]],
	cancelled: [['stripe', 40], ['paypal', 30], ['bacs', 30]],
	paid: [['stripe', 55], ['paypal', 30], ['cod', 10], ['bacs', 5]],
	refunded: [['stripe', 60], ['paypal', 35], ['bacs', 5]],
	coupons: [[COUPONS[0], 5], [COUPONS[1], 3], [COUPONS[2], 1], [COUPONS[3], 1]],
} as const;

const SOURCES = ['typein', 'organic', 'referral', 'utm'];
const DEVICES = ['Desktop', 'Mobile', 'Mobile', 'Tablet'];

const STATUS_WEIGHTS = [
	['completed', 45], ['processing', 18], ['pending', 8], ['on-hold', 7], ['cancelled', 8], ['refunded', 5], ['failed', 9],
] as const;

const asciiNames = new Map<string, string>();

/** "João" → "joao", for e-mail addresses (memoised: names come from short lists). */
/** A random whole number of seconds, in ms. */
function seconds(rng: Rng, min: number, max: number): number {
	return intBetween(rng, min, max) * 1000;
}

function ascii(text: string): string {
	let out = asciiNames.get(text);
	if (out === undefined) {
		out = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
		asciiNames.set(text, out);
	}
	return out;
}

function person(rng: Rng, place: Place, withCompany: boolean): { first: string; last: string; address: WooAddress } {
	const first = pick(rng, FIRST);
	const last = pick(rng, LAST);
	const [city, state, postcode] = pick(rng, place.cities);
	const address: WooAddress = {
		first_name: first, last_name: last, company: withCompany ? pick(rng, COMPANIES) : '', address_1: place.street(rng),
		address_2: rng() < 0.15 ? `Apt ${intBetween(rng, 1, 40)}` : '', city, state, postcode, country: place.country, phone: place.phone(rng),
	};
	return { first, last, address };
}

function billingOf(address: WooAddress, email: string): WooAddress {
	const billing = emptyAddress(true);
	Object.assign(billing, address, { email });
	return billing;
}

function shippingOf(address: WooAddress | undefined): WooAddress {
	const shipping = emptyAddress(false);
	if (address) for (const k of Object.keys(shipping) as Array<keyof WooAddress>) (shipping as unknown as Record<string, string>)[k] = address[k] ?? '';
	return shipping;
}

/** Shop prices: 19.00, 18.50, 18.95, 18.99. */
function priceCents(rng: Rng, range: readonly [number, number]): number {
	return intBetween(rng, range[0], range[1]) * 100 - pick(rng, [0, 0, 50, 5, 1]);
}

/** The state the order loop carries from one order to the next. */
interface OrderSeeding {
	store: WooStore;
	rng: Rng;
	sellables: Sellable[];
	placeWeights: ReadonlyArray<readonly [Place, number]>;
	refunds: Array<{ order: WooOrderRecord; at: number; total: string; reason: string }>;
	/** Units sold per product id (total_sales). */
	sales: Map<number, number>;
	/** When each stock-holding record (and a variation's parent) was last saved by a stock reduction. */
	stockSaved: Map<WooProductRecord | WooVariationRecord, number>;
	/** Creation clock of the seeded orders. */
	t: number;
	prevCreated: number;
	prevModified: number;
	latest: number;
}

/** One seeded order (its own function: V8 optimises it far better than a loop body in a long function). */
function seedOrder(st: OrderSeeding, i: number): void {
	const { store, rng, sellables, placeWeights, refunds, sales } = st;
	const o = store.options;
	const time = store.time;
	const share = o.equalTimestampShare;
	if (i > 0) st.t += floor((o.orderSpacingMs * (0.5 + rng())) / 1000) * 1000;
	const t = st.t;
	if (rng() < 0.08) store.seq.post++; // a draft or an upload took a post id in between
	const status = weighted(rng, STATUS_WEIGHTS);
	const customer = rng() < 0.65 ? pick(rng, store.customers) : undefined;
	const place = customer ? PLACE_BY_COUNTRY.get(customer.billing.country)! : weighted(rng, placeWeights);
	const guest = customer ? undefined : person(rng, place, rng() < 0.05);
	const billing = customer ? { ...customer.billing } : billingOf(guest!.address, `${ascii(guest!.first)}${intBetween(rng, 1, 999)}@example.org`);

	// Lines: distinct products, as a cart merges repeats.
	const lineCount = weighted(rng, W.lines);
	const picked = new Set<number>();
	const order = store.blankOrder(0, t, billing);
	for (let k = 0; k < lineCount && sellables.length; k++) {
		const s = pick(rng, sellables);
		if (picked.has(s.record.id)) continue;
		picked.add(s.record.id);
		const qty = weighted(rng, W.quantity);
		order.line_items.push(store.newLineItem(s, qty));
	}
	const virtualOnly = order.line_items.every((l) => store.product(l.product_id)?.virtual);
	const method = virtualOnly ? 'none' : weighted(rng, W.shipping);
	const shipTo = method === 'none' || (method === 'local_pickup' && rng() < 0.5)
		? undefined
		: rng() < 0.1 ? person(rng, place, false).address : customer ? customer.shipping : guest!.address;
	if (shipTo) order.shipping = shippingOf(shipTo);
	order.customer_id = customer?.id ?? 0;
	order.created_via = rng() < 0.96 ? 'checkout' : 'admin';
	order.customer_ip_address = `${intBetween(rng, 11, 223)}.${intBetween(rng, 0, 255)}.${intBetween(rng, 0, 255)}.${intBetween(rng, 1, 254)}`;
	order.customer_user_agent = pick(rng, AGENTS);
	order.cart_hash = Array.from({ length: 32 }, () => floor(rng() * 16).toString(16)).join('');
	order.customer_note = rng() < 0.06 ? pick(rng, NOTES) : '';
	const payment = status === 'on-hold'
		? weighted(rng, W.onHold)
		: status === 'pending' ? weighted(rng, W.pending)
			: status === 'failed' ? weighted(rng, W.failed)
				: status === 'cancelled' ? weighted(rng, W.cancelled)
					: weighted(rng, status === 'refunded' ? W.refunded : W.paid);
	order.payment_method = payment;
	order.payment_method_title = PAYMENT_TITLES[payment];
	if (method !== 'none') {
		const subtotal = order.line_items.reduce((a, l) => a + toCents(l.subtotal), 0);
		const free = method === 'free_shipping' || (method === 'flat_rate' && place.country === 'US' && subtotal >= 10_000);
		const items = order.line_items.map((l) => `${l.name} &times; ${l.quantity}`).join(', ');
		order.shipping_lines.push({
			id: store.nextItemId(), method_title: method === 'local_pickup' ? 'Local pickup' : free ? 'Free shipping' : 'Flat rate',
			method_id: method === 'flat_rate' && free ? 'free_shipping' : method, instance_id: String(method === 'local_pickup' ? 3 : free ? 2 : 1),
			total: money(method === 'flat_rate' && !free ? place.shipping : 0), total_tax: '0.00', taxes: [],
			meta_data: [{ id: store.nextMetaId(), key: 'Items', value: items, display_key: 'Items', display_value: items }],
		});
	}
	if (rng() < 0.05) {
		order.fee_lines.push({ id: store.nextItemId(), name: 'Gift wrapping', tax_class: '', tax_status: 'taxable', amount: '4.95', total: '4.95', total_tax: '0.00', taxes: [], meta_data: [] });
	}
	if (payment === 'cod' && rng() < 0.5) {
		order.fee_lines.push({ id: store.nextItemId(), name: 'Cash on delivery fee', tax_class: '', tax_status: 'none', amount: '2.50', total: '2.50', total_tax: '0.00', taxes: [], meta_data: [] });
	}
	if (rng() < 0.12) {
		const c = weighted(rng, W.coupons);
		order.coupon_lines.push({ id: store.nextItemId(), code: c.code, discount: '0.00', discount_tax: '0.00', meta_data: [], discount_type: c.discount_type, nominal_amount: Number(c.amount), free_shipping: false });
	}
	store.recalculate(order, order.coupon_lines.length > 0);
	order.meta_data.push(
		{ id: store.nextMetaId(), key: 'is_vat_exempt', value: 'no' },
		{ id: store.nextMetaId(), key: '_wc_order_attribution_source_type', value: pick(rng, SOURCES) },
		{ id: store.nextMetaId(), key: '_wc_order_attribution_device_type', value: pick(rng, DEVICES) },
	);

	// Timeline: created → paid → completed / refunded / cancelled; date_modified is the last event.
	let created = t;
	let paid: number | undefined;
	let completed: number | undefined;
	let modified: number;
	switch (status) {
		case 'processing': paid = created + seconds(rng, 2, 180); modified = paid + seconds(rng, 0, 2); break;
		case 'completed': paid = created + seconds(rng, 2, 180); completed = paid + seconds(rng, 7200, 5 * 86400); modified = completed; break;
		case 'refunded': paid = created + seconds(rng, 2, 180); modified = paid + seconds(rng, 86400, 20 * 86400); break;
		case 'on-hold': modified = created + seconds(rng, 1, 5); break;
		case 'cancelled': modified = created + 3600_000 + seconds(rng, 0, 120); break; // unpaid order held for 60 minutes
		case 'failed': modified = created + seconds(rng, 10, 90); break;
		default: modified = created + seconds(rng, 0, 3);
	}
	// A share of orders saved in the same second as the previous one.
	if (i > 0 && rng() < share) {
		modified = st.prevModified;
		if (created > modified) created = max(st.prevCreated, modified);
		if (paid !== undefined) paid = min(max(paid, created), modified);
		if (completed !== undefined) completed = min(max(completed, created), modified);
	}
	order.id = store.nextPostId();
	order.number = String(order.id);
	order.status = status;
	order.date_created = time.local(created);
	order.date_created_gmt = time.gmt(created);
	order.date_modified = time.local(modified);
	order.date_modified_gmt = time.gmt(modified);
	if (paid !== undefined) {
		order.date_paid = time.local(paid);
		order.date_paid_gmt = time.gmt(paid);
		if (payment === 'stripe') order.transaction_id = `pi_${store.randomAlnum(24, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
		if (payment === 'paypal') order.transaction_id = store.randomAlnum(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
	}
	if (completed !== undefined) {
		order.date_completed = time.local(completed);
		order.date_completed_gmt = time.gmt(completed);
	}

	// What checkout and the status hooks left behind: reduced stock, sales counts, notes.
	const reduced = status === 'processing' || status === 'completed' || status === 'on-hold' || status === 'refunded';
	const flags = store.flagsOf(order.id);
	flags.stockReduced = reduced;
	flags.salesRecorded = reduced;
	if (reduced) {
		// wc_reduce_stock_levels() saved each stock holder when the order was paid (or put on hold); a
		// variation's save saves its parent too (WC_Product_Variable::sync), see WooStore.changeStock.
		const at = paid ?? modified;
		for (const line of order.line_items) {
			const s = store.sellable(line.variation_id || line.product_id);
			const holder = s && store.stockHolder(s);
			if (s && holder) {
				line.meta_data.push({ id: store.nextMetaId(), key: '_reduced_stock', value: String(line.quantity), display_key: '_reduced_stock', display_value: String(line.quantity) });
				st.stockSaved.set(holder, max(st.stockSaved.get(holder) ?? 0, at));
				if (s.kind === 'variation') st.stockSaved.set(s.parent, max(st.stockSaved.get(s.parent) ?? 0, at));
			}
			sales.set(line.product_id, (sales.get(line.product_id) ?? 0) + line.quantity);
		}
	}
	const note = (at: number, text: string) => store.addNote(order.id, text, { at });
	if (status === 'on-hold') note(modified, `${payment === 'bacs' ? 'Awaiting BACS payment' : 'Awaiting check payment'} Order status changed from Pending payment to On hold.`);
	if (paid !== undefined) note(paid, 'Order status changed from Pending payment to Processing.');
	if (completed !== undefined) note(completed, 'Order status changed from Processing to Completed.');
	if (status === 'cancelled') note(modified, 'Unpaid order cancelled - time limit reached. Order status changed from Pending payment to Cancelled.');
	if (status === 'failed') note(modified, 'Order status changed from Pending payment to Failed.');
	if (status === 'refunded') {
		refunds.push({ order, at: modified, total: order.total, reason: rng() < 0.5 ? 'Customer request' : '' });
		note(modified, `Order status changed from Processing to Refunded.`);
	}
	if (o.shipmentTracking && completed !== undefined && method !== 'none' && method !== 'local_pickup' && rng() < 0.85) {
		const country = order.shipping.country || order.billing.country;
		order.meta_data.push({
			id: store.nextMetaId(), key: TRACKING_META_KEY, value: [{
				tracking_provider: pick(rng, CARRIERS[country] ?? ['dhl']), custom_tracking_provider: '', custom_tracking_link: '',
				tracking_number: `${store.randomAlnum(2, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}${digits(rng, 9)}${country}`,
				date_shipped: String(floor(completed / 1000) - (floor(completed / 1000) % 86400)), tracking_id: store.randomHex(32),
			}],
		});
	}
	store.orders.push(order);
	st.prevCreated = created;
	st.prevModified = modified;
	st.latest = max(st.latest, modified);
}

/** Fills `store` from its options. */
export function seedStore(store: WooStore): void {
	const o = store.options;
	const rng = seededRandom(o.seed);
	const time = store.time;
	const site = o.siteUrl;
	const t0 = floor(Date.parse(o.start) / 1000) * 1000;
	if (Number.isNaN(t0)) throw new Error(`startWooSimulator: start "${o.start}" is not a date`);
	store.seq.post = 9; // WordPress's sample page and friends
	store.seq.comment = 1;
	store.seq.meta = 100;
	store.seq.item = 0;

	// ---- catalogue --------------------------------------------------------------------------
	// Names repeat after 180 products: the second of a name is "… II", the third "… III" and so on.
	const names = new Map<string, number>();
	for (let i = 0; i < o.products; i++) {
		const tpl = CATALOGUE[i % CATALOGUE.length];
		const plain = `${ADJECTIVES[(i * 7 + floor(rng() * 3)) % ADJECTIVES.length]} ${tpl.noun}`;
		const seen = (names.get(plain) ?? 0) + 1;
		names.set(plain, seen);
		const name = seen === 1 ? plain : `${plain} ${roman(seen)}`;
		const created = t0 - intBetween(rng, 30, 400) * DAY - intBetween(rng, 0, 86_399) * 1000;
		const modified = min(t0 - DAY, created + intBetween(rng, 0, 20) * DAY);
		const image = (n: number): WooImage => {
			const id = store.nextPostId();
			const ymd = time.local(created);
			return {
				id, date_created: time.local(created), date_created_gmt: time.gmt(created), date_modified: time.local(created), date_modified_gmt: time.gmt(created),
				src: `${site}/wp-content/uploads/${ymd.slice(0, 4)}/${ymd.slice(5, 7)}/${sanitizeTitle(name)}-${n}.jpg`, name: `${sanitizeTitle(name)}-${n}`, alt: '',
			};
		};
		const images = [image(1), ...(rng() < 0.4 ? [image(2)] : [])];
		const p = blankProduct(store.nextPostId(), name, site, time, created);
		p.slug = sanitizeTitle(name);
		p.permalink = `${site}/product/${p.slug}/`;
		p.date_modified = time.local(modified);
		p.date_modified_gmt = time.gmt(modified);
		p.images = images;
		p.categories = [{ id: CATEGORY_IDS[tpl.category], name: tpl.category, slug: sanitizeTitle(tpl.category) }];
		p.description = `<p>The ${name}: made to last, shipped from our own warehouse.</p>\n`;
		p.short_description = `<p>${tpl.noun} from the ${tpl.category.toLowerCase()} range.</p>\n`;
		p.tax_class = tpl.taxClass ?? '';
		p.weight = tpl.virtual ? '' : (intBetween(rng, 1, 20) / 10).toFixed(1);
		// A few products carry no SKU (index 3 always, so every store has one).
		p.sku = i === 3 || rng() < 0.04 ? '' : `${tpl.code}-${String(i + 1).padStart(4, '0')}`;
		const base = priceCents(rng, tpl.cents);
		const variable = !!tpl.attributes && o.variationsPerProduct > 0;
		if (tpl.virtual) {
			p.virtual = true;
			p.tax_status = 'none';
			p.shipping_required = false;
			p.regular_price = money(base);
			p.price = p.regular_price;
		} else if (!variable) {
			p.regular_price = money(base);
			if (rng() < 0.12) {
				p.sale_price = money(round((base * 0.8) / 100) * 100 - 1);
				p.on_sale = true;
			}
			p.price = p.on_sale ? p.sale_price : p.regular_price;
			// Managed stock for most; index 2 is always unmanaged, index 4 always managed.
			const managed = i === 4 || (i !== 2 && rng() < 0.65);
			if (managed) {
				p.manage_stock = true;
				p.stock_quantity = rng() < 0.1 ? 0 : intBetween(rng, 1, 150);
				p.backorders = rng() < 0.15 ? 'notify' : 'no';
			} else if (rng() < 0.06) {
				p.stock_status = 'outofstock';
			}
			store.deriveStockStatus(p);
		}
		store.products.push(p);

		if (variable) {
			p.type = 'variable';
			const attrs = tpl.attributes!;
			const combos: Array<Array<{ id: number; name: string; option: string; code: string }>> = [[]];
			for (const a of attrs) {
				const def = ATTRIBUTES[a];
				const next: typeof combos = [];
				for (const c of combos) def.options.forEach((opt, k) => next.push([...c, { id: def.id, name: a, option: opt, code: def.codes[k] }]));
				combos.splice(0, combos.length, ...next);
			}
			// Spread the picks over the combinations, deterministically.
			const count = min(o.variationsPerProduct, combos.length);
			const step = combos.length / count;
			const chosen = Array.from({ length: count }, (_, k) => combos[floor(k * step + rng() * step * 0.5) % combos.length]);
			p.attributes = attrs.map((a, position) => ({
				id: ATTRIBUTES[a].id, name: a, position, visible: true, variation: true,
				options: ATTRIBUTES[a].options.filter((opt) => chosen.some((c) => c.some((x) => x.name === a && x.option === opt))),
			}));
			p.default_attributes = [];
			// Parent-level stock for some (index 0 always), own stock for the others.
			const parentManaged = i === 0 || rng() < 0.2;
			if (parentManaged) {
				p.manage_stock = true;
				p.stock_quantity = intBetween(rng, 20, 200);
			}
			for (const combo of chosen) {
				const v = blankVariation(store.nextPostId(), p, combo.map(({ id, name: n, option }) => ({ id, name: n, option })), site, time, created);
				v.date_modified = p.date_modified;
				v.date_modified_gmt = p.date_modified_gmt;
				const own = p.sku && rng() < 0.04 ? '' : `${p.sku || `${tpl.code}-${i + 1}`}-${combo.map((c) => c.code).join('-')}`;
				v.sku = own;
				const extra = combo.some((c) => c.option === 'XL' || c.option === 'XXL') ? 200 : 0;
				v.regular_price = money(base + extra);
				if (rng() < 0.1) {
					v.sale_price = money(round(((base + extra) * 0.8) / 100) * 100 - 1);
					v.on_sale = true;
				}
				v.price = v.on_sale ? v.sale_price : v.regular_price;
				v.weight = p.weight;
				v.tax_class = p.tax_class;
				if (rng() < 0.5) {
					const id = store.nextPostId();
					v.image = { ...images[0], id, src: images[0].src.replace(/-1\.jpg$/, `-${combo.map((c) => c.code.toLowerCase()).join('-')}.jpg`) };
				}
				if (!parentManaged && rng() < 0.75) {
					v.manage_stock = true;
					v.stock_quantity = rng() < 0.1 ? 0 : intBetween(rng, 1, 60);
					v.backorders = rng() < 0.1 ? 'notify' : 'no';
				}
				store.deriveStockStatus(v);
				store.variations.push(v);
				p.variations.push(v.id);
			}
		}
	}
	store.reindex();
	for (const p of store.products) if (p.type === 'variable') store.syncVariable(p);
	// Related: the first five other products of the same category (the first six of each are enough).
	const firstOfCategory = new Map<number | undefined, WooProductRecord[]>();
	for (const p of store.products) {
		const key = p.categories[0]?.id;
		const list = firstOfCategory.get(key) ?? [];
		if (list.length < 6) list.push(p);
		firstOfCategory.set(key, list);
	}
	for (const p of store.products) p.related_ids = (firstOfCategory.get(p.categories[0]?.id) ?? []).filter((q) => q !== p).slice(0, 5).map((q) => q.id);

	// ---- customers --------------------------------------------------------------------------
	const placeWeights = PLACES.map((p) => [p, p.weight] as const);
	const customerCount = max(10, min(5000, Math.ceil(o.orders / 6)));
	for (let i = 0; i < customerCount; i++) {
		const place = weighted(rng, placeWeights);
		const who = person(rng, place, rng() < 0.1);
		const email = `${ascii(who.first)}.${ascii(who.last)}${i + 2}@example.com`;
		const customer: WooCustomer = {
			id: i + 2, email, first_name: who.first, last_name: who.last, billing: billingOf(who.address, email), shipping: shippingOf(who.address),
		};
		store.customers.push(customer);
	}

	// ---- orders -----------------------------------------------------------------------------
	const sellables: Sellable[] = [];
	for (const p of store.products) {
		if (p.type === 'variable') {
			for (const v of store.variationsOf(p.id)) sellables.push({ kind: 'variation', record: v, parent: p });
		} else {
			sellables.push({ kind: 'product', record: p });
		}
	}
	const refunds: Array<{ order: WooOrderRecord; at: number; total: string; reason: string }> = [];
	const sales = new Map<number, number>();
	const stockSaved = new Map<WooProductRecord | WooVariationRecord, number>();
	const st: OrderSeeding = { store, rng, sellables, placeWeights, refunds, sales, stockSaved, t: t0, prevCreated: t0, prevModified: 0, latest: t0 };
	for (let i = 0; i < o.orders; i++) seedOrder(st, i);
	// Refunds are posts too: their ids come after the orders placed before them.
	// Each is a full refund of the amount, entered by hand in wp-admin (no items, no restock, no gateway).
	refunds.sort((a, b) => a.at - b.at);
	for (const r of refunds) {
		const id = store.nextPostId();
		r.order.refunds.push({ id, reason: r.reason, total: `-${r.total}` });
		store.refunds.push({
			id, parent_id: r.order.id, date_created: store.time.local(r.at), date_created_gmt: store.time.gmt(r.at), amount: r.total, reason: r.reason,
			refunded_by: store.settings.apiUser.id, refunded_payment: false, meta_data: [], line_items: [], shipping_lines: [], tax_lines: [], fee_lines: [],
		});
	}
	for (const [productId, qty] of sales) {
		const p = store.product(productId);
		if (p) p.total_sales += qty;
	}
	for (const [rec, at] of stockSaved) {
		if (time.gmt(at) > rec.date_modified_gmt) {
			rec.date_modified = time.local(at);
			rec.date_modified_gmt = time.gmt(at);
		}
	}
	if (o.otherProductTypes !== false && o.products > 0) seedOtherTypes(store, t0);
	store.clockFloor = st.latest;
}

/**
 * One external and one grouped product, after everything else (so the ids, SKUs and orders seeded above
 * are the same with or without them). Neither is purchasable, so checkout never picks them. The external
 * one links to a partner shop and cannot manage stock; the grouped one lists three simple products and
 * has no stock of its own.
 */
function seedOtherTypes(store: WooStore, t0: number): void {
	const { time } = store;
	const site = store.options.siteUrl;
	const created = t0 - 45 * DAY;
	const modified = t0 - 2 * DAY;
	const make = (name: string, sku: string, category: string): WooProductRecord => {
		const p = blankProduct(store.nextPostId(), name, site, time, created);
		p.date_modified = time.local(modified);
		p.date_modified_gmt = time.gmt(modified);
		p.sku = sku;
		p.purchasable = false;
		p.categories = [{ id: CATEGORY_IDS[category], name: category, slug: sanitizeTitle(category) }];
		return p;
	};
	const external = make('Artist Edition Print (Partner Gallery)', 'EXT-PRINT-0001', 'Decor');
	external.type = 'external';
	external.external_url = 'https://partner-gallery.example/prints/artist-edition';
	external.button_text = 'Buy at the gallery';
	external.regular_price = '45.00';
	external.price = '45.00';
	external.description = '<p>Printed and shipped by our partner gallery.</p>\n';
	const grouped = make('Kitchen Starter Set', 'GRP-KITCHEN-0001', 'Kitchen');
	grouped.type = 'grouped';
	grouped.grouped_products = store.products.filter((p) => p.type === 'simple' && p.status === 'publish' && p.sku).slice(0, 3).map((p) => p.id);
	grouped.description = '<p>Everything for a first kitchen, each piece on its own page.</p>\n';
	store.products.push(external, grouped); // WooStore.reset() indexes them
	store.syncGrouped(grouped);
}

/** 2 → "II", 14 → "XIV". */
function roman(n: number): string {
	const digits: Array<[number, string]> = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
	let out = '';
	for (const [value, text] of digits) {
		while (n >= value) {
			out += text;
			n -= value;
		}
	}
	return out;
}
