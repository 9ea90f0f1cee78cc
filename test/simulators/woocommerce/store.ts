/**
 * The simulated WooCommerce store: products, variations, orders, notes, stock, and the order lifecycle
 * the REST API triggers (WC_REST_Orders_Controller::save_object, WC_Order::payment_complete, the
 * status-transition hooks of wc-stock-functions.php). Plain JSON records, served whole by GET /__sim/state.
 *
 * Behaviour worth knowing (all as WooCommerce does it; docs: https://woocommerce.github.io/woocommerce-rest-api-docs/):
 * - Stock is reduced once per order when it reaches processing, completed or on-hold, or on payment
 *   (`set_paid`), and given back when it goes to cancelled or pending; an order-level flag
 *   (`_order_stock_reduced`) and the line meta `_reduced_stock` keep it to once.
 * - Every save bumps date_modified, even one that changes nothing. Adding a note does not save the order;
 *   writing shipment tracking does (a meta write saves the order under HPOS, WooCommerce's default storage).
 * - A line item whose product id or SKU is unknown is NOT an error: the line is created without a product
 *   (product_id 0, price 0 unless given), as WC_REST_Orders_V2_Controller::prepare_line_items does.
 * - An unknown coupon fails the request after the new order has been saved (calculate_totals saves it),
 *   so the 400 leaves a pending order behind.
 * - Refunds (wc_create_refund) are shop_order_refund posts: ids from the post sequence, items with negative
 *   quantities and totals. `api_restock` gives back the refunded units and lowers the line's `_reduced_stock`,
 *   so a later cancel gives back only the rest. Every payment gateway of the simulated shop is an offline one
 *   without refund support, so `api_refund: true` (the default) fails: callers send `api_refund: false`.
 *   An order whose refunds reach its total becomes `refunded`; setting `refunded` by hand refunds the rest.
 * - Every stock change saves the record that holds the stock, so its date_modified moves and `modified_after`
 *   finds it; a variation's save saves its parent too, a parent's save does not save the variations that
 *   inherit its stock (see changeStock).
 * - External products cannot manage stock (manage_stock true or backorders → 400 inline in a batch), grouped
 *   products silently do not (manage_stock / stock_quantity are dropped, 200); see applyStockAndPrice.
 */
import { seededRandom } from '../common/random';
import { SiteTime, gmtToMs } from './dates';
import { WooRestError } from './errors';
import { COUPONS, TAX_RATES, applyCoupons, calculateTotals, money, phpFloat, rateCode, toCents } from './totals';
import type {
	StockStatus,
	WooAddress,
	WooCoupon,
	WooCustomer,
	WooFeeLine,
	WooItemMeta,
	WooLineItem,
	WooMeta,
	WooNote,
	WooOrderRecord,
	WooProductRecord,
	WooRefundRecord,
	WooShippingLine,
	WooTaxLine,
	WooTaxRate,
	WooTrackingItem,
	WooVariationRecord,
} from './types';

// Builtins bound once per module: under jest every global lookup crosses the vm context's interceptor (~1 µs).
const { floor, min, max, trunc } = Math;

export const WC_VERSION = '9.8.5';

/** wc_get_order_statuses() plus auto-draft, as the orders schema lists them. */
export const ORDER_STATUSES = ['auto-draft', 'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft'];

/** wc_get_order_status_name(). */
export const STATUS_LABELS: Record<string, string> = {
	pending: 'Pending payment', processing: 'Processing', 'on-hold': 'On hold', completed: 'Completed',
	cancelled: 'Cancelled', refunded: 'Refunded', failed: 'Failed', 'checkout-draft': 'Draft', trash: 'Trash',
	'auto-draft': 'Pending payment',
};

export const TRACKING_META_KEY = '_wc_shipment_tracking_items';

/** The error WC_REST_Order_Refunds_Controller wraps every wc_create_refund failure in (status 500). */
export const CANNOT_REFUND = 'woocommerce_rest_cannot_create_order_refund';

/**
 * The shop's payment gateways (WC_Payment_Gateways::payment_gateways()), by id. All of them are modelled as
 * offline / manual gateways that do not support refunds (`supports('refunds')` false), so a refund with
 * `api_refund: true` fails as WooCommerce fails it. Set `refunds: true` on one to model a gateway that refunds.
 */
export const PAYMENT_GATEWAYS: Record<string, { title: string; refunds: boolean }> = {
	bacs: { title: 'Direct bank transfer', refunds: false },
	cheque: { title: 'Check payments', refunds: false },
	cod: { title: 'Cash on delivery', refunds: false },
	stripe: { title: 'Credit / Debit Card', refunds: false },
	paypal: { title: 'PayPal', refunds: false },
};

export interface WooStoreOptions {
	siteUrl: string;
	seed: number;
	products: number;
	variationsPerProduct: number;
	orders: number;
	/** First seeded order, ISO. */
	start: string;
	orderSpacingMs: number;
	equalTimestampShare: number;
	shipmentTracking: boolean;
	currency: string;
	/** 'UTC', 'UTC+2', '+02:00' or an IANA zone. */
	timezone: string;
	/** Clock override (ms). Without it, the real clock, never earlier than the newest seeded timestamp. */
	now?: () => number;
	/** Seed one external and one grouped product after the rest (default true). */
	otherProductTypes?: boolean;
}

/** Per-order state WooCommerce keeps outside the REST answer (order_stock_reduced, recorded_sales). */
export interface OrderFlags {
	stockReduced: boolean;
	salesRecorded: boolean;
}

export type Body = Record<string, unknown>;
export const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

export type Sellable = { kind: 'product'; record: WooProductRecord } | { kind: 'variation'; record: WooVariationRecord; parent: WooProductRecord };

export function emptyAddress(billing: boolean): WooAddress {
	const a: WooAddress = { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', phone: '' };
	if (!billing) return a;
	const { phone, ...rest } = a;
	return { ...rest, email: '', phone };
}

const titles = new Map<string, string>();

/** sanitize_title() for the simple cases the simulator meets (memoised: the same few names recur). */
export function sanitizeTitle(text: string): string {
	let slug = titles.get(text);
	if (slug === undefined) {
		slug = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/&[a-z]+;/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
		if (titles.size < 10_000) titles.set(text, slug);
	}
	return slug;
}

export class WooStore {
	readonly options: WooStoreOptions;
	readonly time: SiteTime;
	readonly settings: {
		currency: string; timezone: string; pricesIncludeTax: boolean; taxBasedOn: 'shipping'; baseCountry: string; baseState: string;
		manageStock: boolean; notifyNoStockAmount: number; wcVersion: string; apiUser: { id: number; name: string };
		/** WooCommerce → Settings → Emails → "From" address (woocommerce_email_from_address). */
		emailFromAddress: string;
		/** Installed payment gateways by id (an order's payment_method); see PAYMENT_GATEWAYS. */
		paymentGateways: Record<string, { title: string; refunds: boolean }>;
	};
	readonly coupons: WooCoupon[] = COUPONS;
	readonly taxRates: WooTaxRate[] = TAX_RATES;

	products: WooProductRecord[] = [];
	variations: WooVariationRecord[] = [];
	orders: WooOrderRecord[] = [];
	/** Refunds of all orders, oldest first (each order lists its own in `refunds`, newest first). */
	refunds: WooRefundRecord[] = [];
	customers: WooCustomer[] = [];
	notes = new Map<number, WooNote[]>();
	flags = new Map<number, OrderFlags>();
	/** Id sequences: WordPress posts (products, variations, orders, refunds, images), comments (notes), order items, meta rows. */
	seq = { post: 0, comment: 0, item: 0, meta: 0 };
	/** Bumped by every write; list answers cache their sort on it. */
	version = 0;
	/** Runtime randomness (order keys, tracking ids, checkout orders), seeded so runs replay. */
	random: () => number;

	private productIndex = new Map<number, WooProductRecord>();
	private variationIndex = new Map<number, WooVariationRecord>();
	private orderIndex = new Map<number, WooOrderRecord>();
	private orderPos = new Map<number, number>();
	private refundIndex = new Map<number, WooRefundRecord>();
	private refundsByOrder = new Map<number, WooRefundRecord[]>();
	/**
	 * Own SKU → products then variations carrying it (the `_sku` meta WooCommerce queries), built on first use
	 * and dropped whenever a SKU may have changed (a write with `sku`, a create or delete, `changed()`), so
	 * look-ups in a 50,000-SKU catalogue do not scan it.
	 */
	private skuIndex: Map<string, Array<WooProductRecord | WooVariationRecord>> | undefined;
	private clock: (() => number) | undefined;
	/** Newest timestamp of the seeded data: the real clock never answers earlier. */
	clockFloor = 0;

	constructor(options: WooStoreOptions, generate: (store: WooStore) => void) {
		this.options = options;
		this.time = new SiteTime(options.timezone);
		this.settings = {
			currency: options.currency, timezone: options.timezone, pricesIncludeTax: false, taxBasedOn: 'shipping',
			baseCountry: 'US', baseState: 'CA', manageStock: true, notifyNoStockAmount: 0, wcVersion: WC_VERSION,
			apiUser: { id: 1, name: 'admin' }, emailFromAddress: 'shop@woo-sim.example',
			paymentGateways: structuredClone(PAYMENT_GATEWAYS),
		};
		this.clock = options.now;
		this.random = seededRandom(options.seed ^ 0x5eed);
		this.generate = generate;
		this.reset();
	}

	private readonly generate: (store: WooStore) => void;

	/** Back to the seeded state (same seed, same data). */
	reset(): void {
		this.products = [];
		this.variations = [];
		this.orders = [];
		this.refunds = [];
		this.customers = [];
		this.notes = new Map();
		this.flags = new Map();
		this.seq = { post: 0, comment: 0, item: 0, meta: 0 };
		this.random = seededRandom(this.options.seed ^ 0x5eed);
		this.clockFloor = 0;
		this.generate(this);
		this.reindex();
	}

	/** Call after editing records directly (not through the store), so list answers re-sort and SKU look-ups see new SKUs. */
	changed(): void {
		this.version++;
		this.skuIndex = undefined;
	}

	reindex(): void {
		this.productIndex = new Map(this.products.map((p) => [p.id, p]));
		this.variationIndex = new Map(this.variations.map((v) => [v.id, v]));
		this.orderIndex = new Map(this.orders.map((o) => [o.id, o]));
		this.orderPos = new Map(this.orders.map((o, i) => [o.id, i]));
		this.refundIndex = new Map(this.refunds.map((r) => [r.id, r]));
		this.refundsByOrder = new Map();
		for (const r of this.refunds) {
			const list = this.refundsByOrder.get(r.parent_id);
			if (list) list.push(r);
			else this.refundsByOrder.set(r.parent_id, [r]);
		}
		this.skuIndex = undefined;
		this.version++;
	}

	get currency(): string {
		return this.settings.currency;
	}

	// ---- clock and ids ------------------------------------------------------------------------

	/** Now, at whole seconds. */
	now(): number {
		const t = floor((this.clock ? this.clock() : Date.now()) / 1000) * 1000;
		return this.clock ? t : max(t, this.clockFloor);
	}

	/** Replaces the clock (ms); undefined → the real clock. */
	setClock(clock: (() => number) | undefined): void {
		this.clock = clock;
	}

	nextPostId(): number {
		return ++this.seq.post;
	}

	nextItemId = (): number => ++this.seq.item;

	nextMetaId(): number {
		return ++this.seq.meta;
	}

	randomHex(length: number): string {
		let s = '';
		while (s.length < length) s += floor(this.random() * 16).toString(16);
		return s;
	}

	randomAlnum(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
		let s = '';
		for (let i = 0; i < length; i++) s += alphabet[floor(this.random() * alphabet.length)];
		return s;
	}

	/** wc_generate_order_key(). */
	orderKey(): string {
		return `wc_order_${this.randomAlnum(13, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
	}

	// ---- look-ups -----------------------------------------------------------------------------

	order(id: number): WooOrderRecord | undefined {
		return this.orderIndex.get(id);
	}

	product(id: number): WooProductRecord | undefined {
		return this.productIndex.get(id);
	}

	variation(id: number): WooVariationRecord | undefined {
		return this.variationIndex.get(id);
	}

	variationsOf(productId: number): WooVariationRecord[] {
		const p = this.product(productId);
		return p ? p.variations.map((id) => this.variationIndex.get(id)).filter((v): v is WooVariationRecord => !!v) : [];
	}

	/** wc_get_product(): a product or a variation by post id. */
	sellable(id: number): Sellable | undefined {
		const p = this.productIndex.get(id);
		if (p) return { kind: 'product', record: p };
		const v = this.variationIndex.get(id);
		const parent = v && this.productIndex.get(v.parent_id);
		return v && parent ? { kind: 'variation', record: v, parent } : undefined;
	}

	/** Products, then variations, whose OWN SKU is `sku` (an inherited one does not match), any status. */
	recordsBySku(sku: string): ReadonlyArray<WooProductRecord | WooVariationRecord> {
		if (!sku) return [];
		if (!this.skuIndex) {
			const index = new Map<string, Array<WooProductRecord | WooVariationRecord>>();
			const add = (r: WooProductRecord | WooVariationRecord) => {
				if (!r.sku) return;
				const list = index.get(r.sku);
				if (list) list.push(r);
				else index.set(r.sku, [r]);
			};
			for (const p of this.products) add(p);
			for (const v of this.variations) add(v);
			this.skuIndex = index;
		}
		return this.skuIndex.get(sku) ?? [];
	}

	/** wc_get_product_id_by_sku(): products and variations by their OWN SKU (an inherited one does not match). */
	idBySku(sku: string): number {
		for (const r of this.recordsBySku(sku)) if (r.status !== 'trash') return r.id;
		return 0;
	}

	/** The SKU WooCommerce shows: a variation without its own SKU shows its parent's. */
	displaySku(s: Sellable): string {
		return s.kind === 'variation' ? s.record.sku || s.parent.sku : s.record.sku;
	}

	/** Variation name as WC_Product_Variation generates it: "Parent - Black, M". */
	variationName(v: WooVariationRecord, parent: WooProductRecord): string {
		return `${parent.name} - ${v.attributes.map((a) => a.option).join(', ')}`;
	}

	flagsOf(orderId: number): OrderFlags {
		let f = this.flags.get(orderId);
		if (!f) {
			f = { stockReduced: false, salesRecorded: false };
			this.flags.set(orderId, f);
		}
		return f;
	}

	// ---- stock --------------------------------------------------------------------------------

	/** Which record holds the stock of a sellable (get_stock_managed_by_id), or undefined when unmanaged. */
	stockHolder(s: Sellable): WooProductRecord | WooVariationRecord | undefined {
		if (!this.settings.manageStock) return undefined;
		if (s.kind === 'product') return s.record.manage_stock ? s.record : undefined;
		if (s.record.manage_stock) return s.record;
		return s.parent.manage_stock ? s.parent : undefined;
	}

	/** validate_props(): a managed item's stock status follows its quantity and backorder setting. */
	deriveStockStatus(rec: { manage_stock: boolean; stock_quantity: number | null; backorders: string; stock_status: StockStatus }): void {
		if (rec.manage_stock && rec.stock_quantity !== null) {
			rec.stock_status = rec.stock_quantity > this.settings.notifyNoStockAmount ? 'instock' : rec.backorders !== 'no' ? 'onbackorder' : 'outofstock';
		}
		const r = rec as { backorders_allowed?: boolean; backordered?: boolean };
		r.backorders_allowed = rec.backorders !== 'no';
		r.backordered = rec.stock_status === 'onbackorder';
	}

	/**
	 * WC_Product_Variable::sync(): price from the cheapest variation, stock status from the children, and
	 * variations that inherit the parent's stock follow its status.
	 */
	syncVariable(parent: WooProductRecord): void {
		if (parent.type !== 'variable') return;
		const children = this.variationsOf(parent.id);
		if (parent.manage_stock && parent.stock_quantity !== null) {
			this.deriveStockStatus(parent);
			for (const v of children) {
				if (v.manage_stock) continue;
				v.stock_status = parent.stock_status;
				v.backordered = v.stock_status === 'onbackorder';
			}
		}
		const live = children.filter((v) => v.status === 'publish');
		const prices = live.map((v) => toCents(v.price)).filter((c) => c > 0);
		parent.price = prices.length ? money(min(...prices)) : '';
		parent.regular_price = '';
		parent.sale_price = '';
		parent.on_sale = live.some((v) => v.on_sale);
		parent.purchasable = live.length > 0;
		// A variable product's own status always comes from its children.
		const statuses = children.map((v) => v.stock_status);
		if (statuses.length) parent.stock_status = statuses.includes('instock') ? 'instock' : statuses.includes('onbackorder') ? 'onbackorder' : 'outofstock';
		parent.backordered = false;
	}

	touch(rec: { date_modified: string; date_modified_gmt: string }, at: number): void {
		rec.date_modified = this.time.local(at);
		rec.date_modified_gmt = this.time.gmt(at);
		this.version++;
	}

	/**
	 * wc_update_product_stock(): writes the quantity on the record that holds the stock
	 * (get_stock_managed_by_id), re-derives the status and saves it — and every save moves date_modified
	 * (WC_Product_Data_Store_CPT::update writes post_modified even when nothing else changed). So every
	 * stock change (order reduce / increase, refund restock, line quantity edit, REST write) is visible to
	 * `modified_after` on the record that holds the stock.
	 *
	 * A variation's save also moves its PARENT's date_modified: WC_Product::save() queues the parent
	 * (maybe_defer_product_sync → wc_deferred_product_sync), and at the end of the request
	 * WC_Post_Data::deferred_product_sync runs WC_Product_Variable::sync( $parent ), which saves the parent.
	 * The other way round it does not: when the parent holds the stock (variations with manage_stock
	 * "parent"), only the parent is saved; sync_managed_variation_stock_status() writes the inheriting
	 * variations' `_stock_status` meta directly, so their own date_modified stays where it was.
	 */
	changeStock(holder: WooProductRecord | WooVariationRecord, delta: number, at: number): { from: number; to: number } {
		const from = holder.stock_quantity ?? 0;
		holder.stock_quantity = from + delta;
		this.deriveStockStatus(holder);
		this.touch(holder, at);
		const parent = 'type' in holder ? (holder.type === 'variable' ? holder : undefined) : this.product(holder.parent_id);
		if (parent) {
			this.syncVariable(parent);
			if (parent !== holder) this.touch(parent, at);
		}
		return { from, to: holder.stock_quantity };
	}

	private formattedName(s: Sellable): string {
		const sku = this.displaySku(s);
		const name = s.kind === 'variation' ? this.variationName(s.record, s.parent) : s.record.name;
		return `${name} (${sku || `#${s.record.id}`})`;
	}

	/**
	 * wc_maybe_reduce_stock_levels(): once per order. A line is skipped while its `_reduced_stock` is truthy
	 * (PHP: "0", left by refunds that restocked every unit, is not), and add_meta_data(..., unique) replaces it.
	 */
	maybeReduceStock(order: WooOrderRecord, at: number): void {
		const flags = this.flagsOf(order.id);
		if (flags.stockReduced) return;
		const changes: string[] = [];
		for (const item of order.line_items) {
			const s = this.sellable(item.variation_id || item.product_id);
			if (!s || phpTruthy(itemMeta(item, '_reduced_stock')?.value)) continue;
			const holder = this.stockHolder(s);
			if (!holder) continue;
			const { from, to } = this.changeStock(holder, -item.quantity, at);
			item.meta_data = item.meta_data.filter((m) => m.key !== '_reduced_stock');
			item.meta_data.push({ id: this.nextMetaId(), key: '_reduced_stock', value: String(item.quantity), display_key: '_reduced_stock', display_value: String(item.quantity) });
			changes.push(`${this.formattedName(s)} ${from}&rarr;${to}`);
		}
		if (changes.length) this.addNote(order.id, `Stock levels reduced: ${changes.join(', ')}`, { at });
		flags.stockReduced = true;
	}

	/**
	 * wc_maybe_increase_stock_levels(): gives back what `_reduced_stock` records — after a refund with
	 * api_restock, only the units not restocked yet (wc_restock_refunded_items lowered it). A line whose
	 * `_reduced_stock` is falsy ("0": all of it restocked) or whose product no longer manages stock is
	 * skipped and keeps its meta; the others lose it.
	 */
	maybeIncreaseStock(order: WooOrderRecord, at: number): void {
		const flags = this.flagsOf(order.id);
		if (!flags.stockReduced) return;
		const changes: string[] = [];
		for (const item of order.line_items) {
			const meta = itemMeta(item, '_reduced_stock');
			if (!meta || !phpTruthy(meta.value)) continue;
			const s = this.sellable(item.variation_id || item.product_id);
			const holder = s && this.stockHolder(s);
			if (!s || !holder) continue;
			const { from, to } = this.changeStock(holder, stockAmount(meta.value), at);
			item.meta_data = item.meta_data.filter((m) => m !== meta);
			changes.push(`${this.formattedName(s)} ${from}&rarr;${to}`);
		}
		if (changes.length) this.addNote(order.id, `Stock levels increased: ${changes.join(', ')}`, { at });
		flags.stockReduced = false;
	}

	/** wc_update_total_sales_counts(): once per order, on the parent product; no save, so no date_modified. */
	private recordSales(order: WooOrderRecord): void {
		const flags = this.flagsOf(order.id);
		if (flags.salesRecorded) return;
		for (const item of order.line_items) {
			const p = this.product(item.product_id);
			if (p) p.total_sales += item.quantity;
		}
		flags.salesRecorded = true;
		this.version++; // orderby=popularity reads total_sales
	}

	// ---- notes --------------------------------------------------------------------------------

	addNote(orderId: number, text: string, options: { at: number; customer?: boolean; author?: string }): WooNote {
		const note: WooNote = {
			id: ++this.seq.comment, author: options.author ?? 'system', date_created: this.time.local(options.at),
			date_created_gmt: this.time.gmt(options.at), note: text, customer_note: options.customer ?? false,
		};
		const list = this.notes.get(orderId) ?? [];
		list.push(note);
		this.notes.set(orderId, list);
		return note;
	}

	/** Newest first (wc_get_order_notes: date_created DESC, then id). */
	notesOf(orderId: number, type: 'any' | 'customer' | 'internal' = 'any'): WooNote[] {
		return [...(this.notes.get(orderId) ?? [])]
			.filter((n) => type === 'any' || (type === 'customer') === n.customer_note)
			.sort((a, b) => (a.date_created_gmt < b.date_created_gmt ? 1 : a.date_created_gmt > b.date_created_gmt ? -1 : b.id - a.id));
	}

	deleteNote(orderId: number, noteId: number): WooNote | undefined {
		const list = this.notes.get(orderId) ?? [];
		const i = list.findIndex((n) => n.id === noteId);
		if (i < 0) return undefined;
		return list.splice(i, 1)[0];
	}

	// ---- orders: lifecycle --------------------------------------------------------------------

	private taxContext = {
		taxStatusOf: (productId: number, variationId: number): string => {
			return this.sellable(variationId || productId)?.record.tax_status ?? 'taxable';
		},
	};

	/** calculate_totals(true), with the coupons re-applied when `coupons` is set. */
	recalculate(order: WooOrderRecord, applyCouponLines: boolean): void {
		const shares = applyCouponLines ? applyCoupons(order, this.coupons) : undefined;
		calculateTotals(order, this.taxContext, { country: this.settings.baseCountry, state: this.settings.baseState }, this.nextItemId, shares);
	}

	/** WC_Order::set_status + maybe_set_date_paid / maybe_set_date_completed. Returns the transition, if any. */
	private setStatus(order: WooOrderRecord, to: string, at: number): { from: string; to: string } | undefined {
		const from = order.status;
		if (from === to) return undefined;
		order.status = to;
		if ((to === 'processing' || to === 'completed') && !order.date_paid_gmt) {
			order.date_paid = this.time.local(at);
			order.date_paid_gmt = this.time.gmt(at);
		}
		if (to === 'completed') {
			order.date_completed = this.time.local(at);
			order.date_completed_gmt = this.time.gmt(at);
		}
		return { from, to };
	}

	/** WC_Order::status_transition(): the hooks first (stock, sales), then the note. */
	private afterTransition(order: WooOrderRecord, t: { from: string; to: string }, at: number): void {
		if (t.to === 'processing' || t.to === 'completed' || t.to === 'on-hold') {
			this.maybeReduceStock(order, at);
			this.recordSales(order);
		}
		if (t.to === 'cancelled' || t.to === 'pending') this.maybeIncreaseStock(order, at);
		if (t.to === 'refunded') this.orderFullyRefunded(order, at);
		this.addNote(order.id, `Order status changed from ${STATUS_LABELS[t.from] ?? t.from} to ${STATUS_LABELS[t.to] ?? t.to}.`, { at });
	}

	/** WC_Order::payment_complete(). */
	private paymentComplete(order: WooOrderRecord, transactionId: string, at: number): void {
		if (!['on-hold', 'pending', 'failed', 'cancelled'].includes(order.status)) return;
		if (transactionId) order.transaction_id = transactionId;
		if (!order.date_paid_gmt) {
			order.date_paid = this.time.local(at);
			order.date_paid_gmt = this.time.gmt(at);
		}
		const t = this.setStatus(order, this.needsProcessing(order) ? 'processing' : 'completed', at);
		this.saveOrder(order, at);
		if (t) this.afterTransition(order, t, at);
		this.maybeReduceStock(order, at); // the woocommerce_payment_complete hook
	}

	/** Stores the (possibly copied) record and bumps date_modified: every save does. */
	private saveOrder(order: WooOrderRecord, at: number): void {
		order.date_modified = this.time.local(at);
		order.date_modified_gmt = this.time.gmt(at);
		const pos = this.orderPos.get(order.id);
		if (pos === undefined) {
			this.orderPos.set(order.id, this.orders.length);
			this.orders.push(order);
		} else {
			this.orders[pos] = order;
		}
		this.orderIndex.set(order.id, order);
		this.version++;
	}

	/** WC_Order::needs_processing(): a line whose product exists and is not both virtual and downloadable. */
	needsProcessing(order: WooOrderRecord): boolean {
		return order.line_items.some((l) => {
			const s = this.sellable(l.variation_id || l.product_id);
			return s !== undefined && !(s.record.virtual && s.record.downloadable);
		});
	}

	needsPayment(order: WooOrderRecord): boolean {
		return (order.status === 'pending' || order.status === 'failed') && toCents(order.total) > 0;
	}

	/**
	 * WC_Abstract_Order::set_status(): an unknown status quietly becomes "pending". Single REST requests
	 * never get here with one (the schema refuses it with a 400); batch items do, as in WooCommerce.
	 */
	private checkStatus(value: unknown): string | undefined {
		if (value === undefined || value === null || value === '') return undefined;
		return typeof value === 'string' && ORDER_STATUSES.includes(value) ? value : 'pending';
	}

	/** The product reference of a posted line (get_product_id): SKU first, then variation_id, then product_id. */
	private postedProductId(posted: Body, action: 'create' | 'update'): number {
		if (posted.sku) return this.idBySku(String(posted.sku));
		if (posted.product_id && !posted.variation_id) return Number(posted.product_id) || 0;
		if (posted.variation_id) return Number(posted.variation_id) || 0;
		if (action === 'update') return 0;
		throw new WooRestError(400, 'woocommerce_rest_required_product_reference', 'Product ID or SKU is required.');
	}

	/** WC_Order_Item_Product::set_product(): ids, name, tax class, image and the variation's attributes as meta. */
	private setProduct(item: WooLineItem, s: Sellable): void {
		item.product_id = s.kind === 'variation' ? s.parent.id : s.record.id;
		item.variation_id = s.kind === 'variation' ? s.record.id : 0;
		item.name = s.kind === 'variation' ? this.variationName(s.record, s.parent) : s.record.name;
		item.tax_class = s.record.tax_class === 'parent' && s.kind === 'variation' ? s.parent.tax_class : s.record.tax_class;
		item.sku = this.displaySku(s) || '';
		const image = s.kind === 'variation' ? s.record.image ?? s.parent.images[0] : s.record.images[0];
		item.image = { id: image?.id ?? 0, src: image?.src ?? '' };
		item.parent_name = s.kind === 'variation' ? s.parent.name : null;
		item.meta_data = item.meta_data.filter((m) => !m.key.startsWith('pa_') && !(s.kind === 'variation' && s.parent.attributes.some((a) => sanitizeTitle(a.name) === m.key)));
		if (s.kind === 'variation') {
			for (const a of s.record.attributes) {
				const key = a.id ? `pa_${sanitizeTitle(a.name)}` : sanitizeTitle(a.name);
				const value = a.id ? sanitizeTitle(a.option) : a.option;
				item.meta_data.push({ id: this.nextMetaId(), key, value, display_key: a.name, display_value: a.option });
			}
		}
	}

	/** Unit price for a new line: get_price() (sale price when on sale), 0 when the product has none. */
	private priceOf(s: Sellable): number {
		return toCents(s.record.price);
	}

	/** A new line for a product at its current price (what a cart line becomes at checkout). */
	newLineItem(s: Sellable, quantity: number): WooLineItem {
		const item = this.prepareLineItem({ product_id: s.record.id, quantity }, 'create');
		return item;
	}

	private setItemMeta(meta: WooItemMeta[], posted: unknown): void {
		if (!Array.isArray(posted)) return;
		for (const m of posted) {
			if (!isObject(m) || m.key === undefined) continue;
			const key = String(m.key);
			const value = m.value ?? null;
			const existing = m.id ? meta.find((x) => x.id === Number(m.id)) : meta.find((x) => x.key === key);
			if (existing) {
				existing.key = key;
				existing.value = value;
				existing.display_key = key;
				existing.display_value = value;
			} else {
				meta.push({ id: this.nextMetaId(), key, value, display_key: key, display_value: value });
			}
		}
	}

	/** WC_Data::update_meta_data for order meta: by id, else the first with the key, else a new row. */
	setOrderMeta(meta: WooMeta[], posted: unknown): void {
		if (!Array.isArray(posted)) return;
		for (const m of posted) {
			if (!isObject(m) || m.key === undefined) continue;
			const existing = m.id ? meta.find((x) => x.id === Number(m.id)) : meta.find((x) => x.key === String(m.key));
			if (existing) {
				existing.key = String(m.key);
				existing.value = m.value ?? null;
			} else {
				meta.push({ id: this.nextMetaId(), key: String(m.key), value: m.value ?? null });
			}
		}
	}

	/** prepare_line_items(). */
	private prepareLineItem(posted: Body, action: 'create' | 'update', existing?: WooLineItem): WooLineItem {
		const item: WooLineItem = existing ?? {
			id: this.nextItemId(), name: '', product_id: 0, variation_id: 0, quantity: 1, tax_class: '', subtotal: '0.00',
			subtotal_tax: '0.00', total: '0.00', total_tax: '0.00', taxes: [], meta_data: [], sku: null, price: 0,
			image: { id: 0, src: '' }, parent_name: null,
		};
		const id = this.postedProductId(posted, action);
		const s = id ? this.sellable(id) : undefined;
		const current = item.variation_id || item.product_id;
		if (s && s.record.id !== current) {
			this.setProduct(item, s);
			if (action === 'create') {
				const qty = posted.quantity !== undefined && posted.quantity !== null ? Number(posted.quantity) : 1;
				const total = money(this.priceOf(s) * qty);
				item.total = total;
				item.subtotal = total;
			}
		}
		if (posted.name !== undefined && posted.name !== null) item.name = String(posted.name);
		if (posted.quantity !== undefined && posted.quantity !== null) item.quantity = trunc(Number(posted.quantity));
		if (posted.total !== undefined && posted.total !== null) item.total = money(toCents(posted.total as string));
		if (posted.subtotal !== undefined && posted.subtotal !== null) item.subtotal = money(toCents(posted.subtotal as string));
		if (posted.tax_class !== undefined && posted.tax_class !== null) item.tax_class = String(posted.tax_class);
		this.setItemMeta(item.meta_data, posted.meta_data);
		return item;
	}

	/**
	 * wc_maybe_adjust_line_item_product_stock(): an edited quantity on an order whose stock was reduced.
	 * Units already restocked by refunds (`_restock_refunded_items`) count as given back:
	 * diff = quantity - restocked - _reduced_stock, and `_reduced_stock` becomes quantity - restocked.
	 */
	private adjustLineStock(order: WooOrderRecord, item: WooLineItem, at: number): void {
		if (!this.flagsOf(order.id).stockReduced) return;
		const s = this.sellable(item.variation_id || item.product_id);
		const holder = s && this.stockHolder(s);
		if (!holder) return;
		const meta = itemMeta(item, '_reduced_stock');
		const restocked = stockAmount(itemMeta(item, '_restock_refunded_items')?.value);
		const diff = item.quantity - restocked - stockAmount(meta?.value);
		if (diff === 0) return;
		this.changeStock(holder, -diff, at);
		setItemMetaValue(item, '_reduced_stock', String(item.quantity - restocked), this.nextMetaId.bind(this));
	}

	/** Applies the writable order props of a create/update body to a working copy (prepare_object_for_database). */
	private applyOrderProps(order: WooOrderRecord, body: Body, creating: boolean, at: number): void {
		if (body.parent_id !== undefined && body.parent_id !== null) order.parent_id = Number(body.parent_id) || 0;
		if (typeof body.currency === 'string' && body.currency) order.currency = body.currency;
		if (body.customer_id !== undefined && body.customer_id !== null) order.customer_id = Number(body.customer_id) || 0;
		if (typeof body.customer_note === 'string') order.customer_note = body.customer_note;
		for (const type of ['billing', 'shipping'] as const) {
			const posted = body[type];
			if (!isObject(posted)) continue;
			for (const [k, v] of Object.entries(posted)) {
				if (!(k in order[type]) || v === null || v === undefined) continue;
				if (type === 'billing' && k === 'email' && v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(v))) {
					throw new WooRestError(400, 'order_invalid_billing_email', 'Invalid billing email address');
				}
				(order[type] as unknown as Record<string, string>)[k] = String(v);
			}
		}
		for (const key of ['payment_method', 'payment_method_title', 'transaction_id'] as const) {
			if (typeof body[key] === 'string') order[key] = body[key] as string;
		}
		this.setOrderMeta(order.meta_data, body.meta_data);

		for (const key of ['line_items', 'shipping_lines', 'fee_lines'] as const) {
			const list = body[key];
			if (!Array.isArray(list)) continue;
			for (const posted of list) {
				if (!isObject(posted)) continue;
				const isNull = ['product_id', 'method_id', 'method_title', 'name', 'code'].some((k) => k in posted && posted[k] === null);
				if (isNull || (posted.quantity !== undefined && posted.quantity !== null && Number(posted.quantity) === 0)) {
					// remove_item($item['id']): nothing happens without a known id.
					const id = Number(posted.id);
					if (key === 'line_items') order.line_items = order.line_items.filter((i) => i.id !== id);
					else if (key === 'shipping_lines') order.shipping_lines = order.shipping_lines.filter((i) => i.id !== id);
					else order.fee_lines = order.fee_lines.filter((i) => i.id !== id);
					continue;
				}
				const action = posted.id ? 'update' : 'create';
				const existing = action === 'update' ? (order[key] as Array<{ id: number }>).find((i) => i.id === Number(posted.id)) : undefined;
				if (action === 'update' && !existing) {
					throw new WooRestError(400, 'woocommerce_rest_invalid_item_id', 'Order item ID provided is not associated with order.');
				}
				if (key === 'line_items') {
					const item = this.prepareLineItem(posted, action, existing as WooLineItem | undefined);
					if (action === 'create') order.line_items.push(item);
					else if (!creating) this.adjustLineStock(order, item, at);
				} else if (key === 'shipping_lines') {
					if (action === 'create' && !posted.method_id) {
						throw new WooRestError(400, 'woocommerce_rest_invalid_shipping_item', 'Shipping method ID is required.');
					}
					const line = (existing as WooOrderRecord['shipping_lines'][number] | undefined) ?? {
						id: this.nextItemId(), method_title: '', method_id: '', instance_id: '', total: '0.00', total_tax: '0.00', taxes: [], meta_data: [],
					};
					if (posted.method_id !== undefined) line.method_id = String(posted.method_id);
					if (posted.method_title !== undefined) line.method_title = String(posted.method_title);
					if (posted.instance_id !== undefined) line.instance_id = String(posted.instance_id);
					if (posted.total !== undefined) line.total = money(toCents(posted.total as string));
					this.setItemMeta(line.meta_data, posted.meta_data);
					if (action === 'create') order.shipping_lines.push(line);
				} else {
					if (action === 'create' && !posted.name) throw new WooRestError(400, 'woocommerce_rest_invalid_fee_item', 'Fee name is required.');
					const fee = (existing as WooOrderRecord['fee_lines'][number] | undefined) ?? {
						id: this.nextItemId(), name: '', tax_class: '', tax_status: 'taxable' as const, amount: '', total: '0.00', total_tax: '0.00', taxes: [], meta_data: [],
					};
					if (posted.name !== undefined) fee.name = String(posted.name);
					if (posted.tax_class !== undefined) fee.tax_class = String(posted.tax_class);
					if (posted.tax_status === 'none' || posted.tax_status === 'taxable') fee.tax_status = posted.tax_status;
					if (posted.total !== undefined) fee.total = money(toCents(posted.total as string));
					this.setItemMeta(fee.meta_data, posted.meta_data);
					if (action === 'create') order.fee_lines.push(fee);
				}
			}
		}
	}

	/** WC_REST_Orders_Controller::calculate_coupons(): validates every code, then replaces the coupon lines. */
	private setCoupons(order: WooOrderRecord, posted: unknown[]): void {
		const codes: string[] = [];
		for (const item of posted) {
			if (!isObject(item)) continue;
			if (item.id) throw new WooRestError(400, 'woocommerce_rest_coupon_item_id_readonly', 'Coupon item ID is readonly.');
			if (!item.code) throw new WooRestError(400, 'woocommerce_rest_invalid_coupon', 'Coupon code is required.');
			const code = String(item.code).trim().toLowerCase(); // wc_format_coupon_code
			if (!this.coupons.some((c) => c.code === code)) {
				throw new WooRestError(400, 'woocommerce_rest_invalid_coupon', `Coupon "${code}" does not exist!`);
			}
			codes.push(code);
		}
		order.coupon_lines = codes.map((code) => {
			const kept = order.coupon_lines.find((c) => c.code === code);
			return kept ?? { id: this.nextItemId(), code, discount: '0.00', discount_tax: '0.00', meta_data: [], discount_type: 'percent', nominal_amount: 0, free_shipping: false };
		});
	}

	blankOrder(id: number, at: number, billing: WooAddress = emptyAddress(true)): WooOrderRecord {
		return {
			id, parent_id: 0, number: String(id), order_key: this.orderKey(), created_via: 'rest-api', version: WC_VERSION, status: 'pending',
			currency: this.settings.currency, date_created: this.time.local(at), date_created_gmt: this.time.gmt(at),
			date_modified: this.time.local(at), date_modified_gmt: this.time.gmt(at), discount_total: '0.00', discount_tax: '0.00',
			shipping_total: '0.00', shipping_tax: '0.00', cart_tax: '0.00', total: '0.00', total_tax: '0.00',
			prices_include_tax: this.settings.pricesIncludeTax, customer_id: 0, customer_ip_address: '', customer_user_agent: '',
			customer_note: '', billing, shipping: emptyAddress(false), payment_method: '', payment_method_title: '',
			transaction_id: '', date_paid: null, date_paid_gmt: null, date_completed: null, date_completed_gmt: null, cart_hash: '',
			meta_data: [], line_items: [], tax_lines: [], shipping_lines: [], fee_lines: [], coupon_lines: [], refunds: [],
		};
	}

	private checkCustomer(body: Body): void {
		const id = body.customer_id;
		if (id === undefined || id === null || Number(id) === 0) return;
		if (!this.customers.some((c) => c.id === Number(id))) {
			throw new WooRestError(400, 'woocommerce_rest_invalid_customer_id', 'Customer ID is invalid.');
		}
	}

	/**
	 * POST /orders (WC_REST_Orders_Controller::save_object, creating). `via` sets created_via ("rest-api",
	 * or "checkout" for orders the simulator places as a customer); `extra` fills checkout-only fields.
	 */
	createOrder(body: Body, via = 'rest-api', extra: Partial<WooOrderRecord> = {}, at = this.now()): WooOrderRecord {
		if (body.id) throw new WooRestError(400, 'woocommerce_rest_shop_order_exists', 'Cannot create existing shop_order.');
		const status = this.checkStatus(body.status) ?? 'pending';
		// Work on a record with a placeholder id: nothing is stored if preparing it fails.
		const order = this.blankOrder(0, at);
		Object.assign(order, extra);
		order.created_via = via;
		this.applyOrderProps(order, body, true, at);
		this.checkCustomer(body);
		// calculate_totals() saves the order: from here on it exists, whatever fails next.
		order.id = this.nextPostId();
		order.number = String(order.id);
		this.recalculate(order, false);
		this.saveOrder(order, at);
		if (Array.isArray(body.coupon_lines)) {
			this.setCoupons(order, body.coupon_lines);
			this.recalculate(order, true);
		}
		const t = this.setStatus(order, status, at);
		this.saveOrder(order, at);
		if (t) this.afterTransition(order, t, at);
		if (body.set_paid === true || body.set_paid === 'true') {
			this.paymentComplete(order, typeof body.transaction_id === 'string' ? body.transaction_id : '', at);
		}
		return order;
	}

	/**
	 * PUT /orders/{id} (save_object, updating). Unknown id → 400, as update_item answers. The stored
	 * record is changed in place (callers may hold it); a request that fails before WooCommerce's first
	 * save changes nothing.
	 */
	updateOrder(id: number, body: Body, at = this.now()): WooOrderRecord {
		const order = this.order(id);
		if (!order) throw new WooRestError(400, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
		const status = this.checkStatus(body.status);
		const draft = structuredClone(order);
		this.applyOrderProps(draft, body, false, at);
		this.checkCustomer(body);
		Object.assign(order, draft);
		const touchesTotals = ['billing', 'shipping', 'line_items', 'shipping_lines', 'fee_lines', 'coupon_lines'].some((k) => body[k] !== undefined && body[k] !== null);
		if (touchesTotals) {
			this.recalculate(order, false);
			this.saveOrder(order, at);
		}
		if (Array.isArray(body.coupon_lines)) {
			this.setCoupons(order, body.coupon_lines);
			this.recalculate(order, true);
		}
		const t = status ? this.setStatus(order, status, at) : undefined;
		this.saveOrder(order, at);
		if (t) this.afterTransition(order, t, at);
		if ((body.set_paid === true || body.set_paid === 'true') && this.needsPayment(order)) {
			this.paymentComplete(order, typeof body.transaction_id === 'string' ? body.transaction_id : '', at);
		}
		return order;
	}

	/** DELETE /orders/{id}: to the trash (410 when already there), or gone with force. Returns the order as it was. */
	deleteOrder(id: number, force: boolean, at = this.now()): WooOrderRecord {
		const order = this.order(id);
		if (!order) throw new WooRestError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
		const before = structuredClone(order);
		if (force) {
			this.orders.splice(this.orderPos.get(id)!, 1);
			this.orderIndex.delete(id);
			this.orderPos = new Map(this.orders.map((o, i) => [o.id, i]));
			this.notes.delete(id);
			this.flags.delete(id);
			// The order's refunds (its child orders) go with it.
			if (this.refundsByOrder.has(id)) {
				this.refunds = this.refunds.filter((r) => r.parent_id !== id);
				for (const r of this.refundsByOrder.get(id)!) this.refundIndex.delete(r.id);
				this.refundsByOrder.delete(id);
			}
			this.version++;
			return before;
		}
		if (order.status === 'trash') throw new WooRestError(410, 'woocommerce_rest_already_trashed', 'The shop_order has already been deleted.');
		order.meta_data.push({ id: this.nextMetaId(), key: '_wp_trash_meta_status', value: `wc-${order.status}` });
		order.status = 'trash';
		this.saveOrder(order, at);
		return before;
	}

	// ---- refunds (wc_create_refund, wc_restock_refunded_items, WC_REST_Order_Refunds_Controller) ------

	/** A refund by id (wc_get_order on a shop_order_refund). */
	refund(id: number): WooRefundRecord | undefined {
		return this.refundIndex.get(id);
	}

	/** An order's refunds, newest first (WC_Order::get_refunds: date_created DESC, ties by id). */
	refundsOf(orderId: number): WooRefundRecord[] {
		return [...(this.refundsByOrder.get(orderId) ?? [])].sort((a, b) =>
			(a.date_created_gmt < b.date_created_gmt ? 1 : a.date_created_gmt > b.date_created_gmt ? -1 : b.id - a.id));
	}

	/** get_total_refunded(), in cents: from the order's refund list, so seeded and posted refunds both count. */
	refundedCents(order: WooOrderRecord): number {
		let cents = 0;
		for (const r of order.refunds) cents -= toCents(r.total);
		return cents;
	}

	/** get_remaining_refund_amount(), in cents. */
	remainingRefundCents(order: WooOrderRecord): number {
		return toCents(order.total) - this.refundedCents(order);
	}

	/**
	 * POST /orders/{id}/refunds (WC_REST_Order_Refunds_Controller::prepare_object_for_database, v3):
	 * RestApiUtil::adjust_create_refund_request_parameters, then wc_create_refund. `body` has been through
	 * the schema (api_refund / api_restock default true). Errors as WooCommerce answers them:
	 * 400 `..._exists` for a posted id, 404 `woocommerce_rest_invalid_order_id`, 400
	 * `woocommerce_rest_invalid_order_refund` for a negative amount, 500 `woocommerce_rest_cannot_create_order_refund`
	 * for whatever wc_create_refund refuses ("Invalid refund amount.", the gateway's refusal).
	 */
	createRefund(orderId: number, body: Body, at = this.now()): WooRefundRecord {
		if (phpTruthy(body.id)) throw new WooRestError(400, 'woocommerce_rest_shop_order_refund_exists', 'Cannot create existing shop_order_refund.');
		const req = adjustRefundRequest(body);
		const order = this.order(orderId);
		if (!order) throw new WooRestError(404, 'woocommerce_rest_invalid_order_id', 'Invalid order ID.');
		// `0 > $request['amount']`: PHP 8 compares a non-numeric string with 0 as strings.
		if (req.amount.numeric ? req.amount.value < 0 : req.amount.raw < '0') {
			throw new WooRestError(400, 'woocommerce_rest_invalid_order_refund', 'Refund amount must be greater than zero.');
		}
		const refund = this.makeRefund(order, req, at);
		if (Array.isArray(body.meta_data)) this.setOrderMeta(refund.meta_data, body.meta_data);
		return refund;
	}

	/**
	 * wc_create_refund(): checks the amount against what is left to refund, builds the refund (negative
	 * copies of the posted order items, tax lines per rate), asks the gateway when `refundPayment`, restocks
	 * when `restock`, then marks the order refunded when nothing is left (woocommerce_order_fully_refunded)
	 * and saves it (date_modified moves either way). A gateway refusal deletes the refund after its ids
	 * were taken, as WooCommerce deletes the saved refund.
	 */
	private makeRefund(order: WooOrderRecord, req: RefundRequest, at: number): WooRefundRecord {
		const remaining = this.remainingRefundCents(order);
		const remainingItems = Math.abs(this.itemCount(order) - this.itemCountRefunded(order.id));
		const a = req.amount;
		if (a.numeric ? a.value < 0 || a.value > remaining / 100 : a.raw < '0' || a.raw > money(remaining)) {
			throw new WooRestError(500, CANNOT_REFUND, 'Invalid refund amount.');
		}
		const amountCents = a.numeric ? toCents(String(a.value)) : 0;
		const refund: WooRefundRecord = {
			id: this.nextPostId(), parent_id: order.id, date_created: this.time.local(at), date_created_gmt: this.time.gmt(at),
			amount: money(amountCents), reason: req.reason ?? '', refunded_by: this.settings.apiUser.id, refunded_payment: false,
			meta_data: [], line_items: [], shipping_lines: [], tax_lines: [], fee_lines: [],
		};
		let refundItemCount = 0;
		const cartTaxes = new Map<number, number>();
		const shippingTaxes = new Map<number, number>();
		const addTaxes = (into: Map<number, number>, taxes: Map<number, number>) => {
			for (const [rate, cents] of taxes) into.set(rate, (into.get(rate) ?? 0) + cents);
		};
		// $order->get_items( array( 'line_item', 'fee', 'shipping' ) ): lines, then fees, then shipping.
		const items: Array<['line', WooLineItem] | ['fee', WooFeeLine] | ['shipping', WooShippingLine]> = [
			...order.line_items.map((i) => ['line', i] as ['line', WooLineItem]),
			...order.fee_lines.map((i) => ['fee', i] as ['fee', WooFeeLine]),
			...order.shipping_lines.map((i) => ['shipping', i] as ['shipping', WooShippingLine]),
		];
		for (const [kind, item] of items) {
			const posted = req.lines.get(item.id);
			if (!posted) continue;
			const qty = posted.qty ?? 0;
			if (phpEmpty(qty) && phpEmpty(posted.refund_total) && phpEmpty(posted.refund_tax)) continue;
			const total = -numericCents(posted.refund_total); // wc_format_refund_total()
			const taxes = new Map([...refundTaxes(posted.refund_tax)].map(([rate, cents]) => [rate, -cents]));
			let taxTotal = 0;
			for (const cents of taxes.values()) taxTotal += cents;
			const meta = [{ id: this.nextMetaId(), key: '_refunded_item_id', value: String(item.id), display_key: '_refunded_item_id', display_value: String(item.id) }];
			const shares = (withSubtotal: boolean) => [...taxes].map(([id, cents]) => ({ id, total: phpFloat(cents), subtotal: withSubtotal ? phpFloat(cents) : '' }));
			if (kind === 'line') {
				const units = stockAmount(qty);
				refund.line_items.push({
					id: this.nextItemId(), name: item.name, product_id: item.product_id, variation_id: item.variation_id, quantity: units ? -units : 0,
					tax_class: item.tax_class, subtotal: money(total), subtotal_tax: money(taxTotal), total: money(total), total_tax: money(taxTotal),
					taxes: shares(true), meta_data: meta, sku: item.sku, price: units ? total / 100 / -units : 0, image: { ...item.image }, parent_name: item.parent_name,
				});
				addTaxes(cartTaxes, taxes);
			} else if (kind === 'fee') {
				refund.fee_lines.push({
					id: this.nextItemId(), name: item.name, tax_class: item.tax_class, tax_status: item.tax_status, amount: item.amount,
					total: money(total), total_tax: money(taxTotal), taxes: shares(false), meta_data: meta,
				});
				addTaxes(cartTaxes, taxes);
			} else {
				refund.shipping_lines.push({
					id: this.nextItemId(), method_title: item.method_title, method_id: item.method_id, instance_id: item.instance_id,
					total: money(total), total_tax: money(taxTotal), taxes: shares(false), meta_data: meta,
				});
				addTaxes(shippingTaxes, taxes);
			}
			refundItemCount += Number(qty) || 0;
		}
		// update_taxes(): one tax line per rate of the refunded items (rate 0 skipped).
		for (const rateId of new Set([...cartTaxes.keys(), ...shippingTaxes.keys()])) {
			if (!rateId) continue;
			const rate = this.taxRates.find((r) => r.id === rateId);
			const line: WooTaxLine = {
				id: this.nextItemId(), rate_code: rate ? rateCode(rate) : '', rate_id: rateId, label: rate?.name || 'Tax', compound: rate?.compound ?? false,
				tax_total: money(cartTaxes.get(rateId) ?? 0), shipping_tax_total: money(shippingTaxes.get(rateId) ?? 0),
				rate_percent: rate ? Number(rate.rate) : 0, meta_data: [],
			};
			refund.tax_lines.push(line);
		}
		if (req.refundPayment) {
			// wc_refund_payment(): WooCommerce's own messages; the saved refund is deleted again.
			const gateways = this.settings.paymentGateways;
			const gateway = Object.prototype.hasOwnProperty.call(gateways, order.payment_method) ? gateways[order.payment_method] : undefined;
			if (!gateway) throw new WooRestError(500, CANNOT_REFUND, 'The payment gateway for this order does not exist.');
			if (!gateway.refunds) throw new WooRestError(500, CANNOT_REFUND, 'The payment gateway for this order does not support automatic refunds.');
			refund.refunded_payment = true;
		}
		this.refunds.push(refund);
		this.refundIndex.set(refund.id, refund);
		const own = this.refundsByOrder.get(order.id);
		if (own) own.push(refund);
		else this.refundsByOrder.set(order.id, [refund]);
		order.refunds.unshift({ id: refund.id, reason: refund.reason, total: `-${refund.amount}` });
		this.version++;
		if (req.restock) this.restockRefundedItems(order, req.lines, at);
		const partial = remaining - amountCents > 0 || (req.linesGiven && this.hasFreeItem(order) && remainingItems - refundItemCount > 0);
		if (!partial) {
			// woocommerce_order_fully_refunded: $order->update_status( 'refunded' ).
			const t = this.setStatus(order, 'refunded', at);
			if (t) {
				this.saveOrder(order, at);
				this.afterTransition(order, t, at);
			}
		}
		this.saveOrder(order, at);
		return refund;
	}

	/**
	 * wc_restock_refunded_items(): for each refunded order line with a quantity, whose stock was reduced
	 * (`_reduced_stock` truthy) and whose product manages stock: stock += quantity, `_reduced_stock` -=
	 * quantity, `_restock_refunded_items` += quantity, and a note "Item #<product id> stock increased from X to Y.".
	 */
	private restockRefundedItems(order: WooOrderRecord, lines: Map<number, Body>, at: number): void {
		for (const item of order.line_items) {
			const posted = lines.get(item.id);
			if (!posted || posted.qty === undefined || posted.qty === null) continue;
			const s = this.sellable(item.variation_id || item.product_id);
			const reduced = itemMeta(item, '_reduced_stock');
			if (!reduced || !phpTruthy(reduced.value) || !phpTruthy(posted.qty) || !s) continue;
			const holder = this.stockHolder(s);
			if (!holder) continue;
			const qty = stockAmount(posted.qty);
			const { from, to } = this.changeStock(holder, qty, at);
			const next = this.nextMetaId.bind(this);
			setItemMetaValue(item, '_reduced_stock', String(stockAmount(reduced.value) - qty), next);
			setItemMetaValue(item, '_restock_refunded_items', String(qty + stockAmount(itemMeta(item, '_restock_refunded_items')?.value)), next);
			this.addNote(order.id, `Item #${s.record.id} stock increased from ${from} to ${to}.`, { at });
		}
	}

	/**
	 * wc_order_fully_refunded() (woocommerce_order_status_refunded): an order set to refunded by hand is
	 * refunded for what is left — no items, no gateway, no restock — and gets WooCommerce's reminder note.
	 */
	private orderFullyRefunded(order: WooOrderRecord, at: number): void {
		const max = this.remainingRefundCents(order);
		if (max === 0) return;
		try {
			this.makeRefund(order, {
				amount: { numeric: true, value: max / 100 }, reason: 'Order fully refunded.', lines: new Map(), linesGiven: false, refundPayment: false, restock: false,
			}, at);
		} catch (e) {
			if (!(e instanceof WooRestError)) throw e; // wc_create_refund's WP_Error is ignored here
		}
		this.addNote(order.id, 'Order status set to refunded. To return funds to the customer you will need to issue a refund through your payment gateway.', { at });
	}

	/**
	 * DELETE /orders/{id}/refunds/{refund_id} with force (refunds cannot be trashed). The order is not
	 * saved and keeps its status; stock is not touched.
	 */
	deleteRefund(refundId: number): WooRefundRecord | undefined {
		const refund = this.refund(refundId);
		if (!refund) return undefined;
		this.refunds = this.refunds.filter((r) => r !== refund);
		this.refundIndex.delete(refundId);
		const own = this.refundsByOrder.get(refund.parent_id);
		if (own) this.refundsByOrder.set(refund.parent_id, own.filter((r) => r !== refund));
		const order = this.order(refund.parent_id);
		if (order) order.refunds = order.refunds.filter((r) => r.id !== refundId);
		this.version++;
		return refund;
	}

	/** get_item_count(): units over the order's lines. */
	private itemCount(order: WooOrderRecord): number {
		return order.line_items.reduce((n, l) => n + l.quantity, 0);
	}

	/** get_item_count_refunded(): units over the refunds' lines (absint per refund). */
	private itemCountRefunded(orderId: number): number {
		let n = 0;
		for (const r of this.refundsByOrder.get(orderId) ?? []) n += Math.abs(r.line_items.reduce((m, l) => m + l.quantity, 0));
		return n;
	}

	/** has_free_item(): a line whose total is zero. */
	private hasFreeItem(order: WooOrderRecord): boolean {
		return order.line_items.some((l) => toCents(l.total) === 0);
	}

	// ---- shipment tracking (WC_Shipment_Tracking_Actions) -------------------------------------

	trackingItems(order: WooOrderRecord): WooTrackingItem[] {
		const meta = order.meta_data.find((m) => m.key === TRACKING_META_KEY);
		return Array.isArray(meta?.value) ? (meta!.value as WooTrackingItem[]) : [];
	}

	/** Writes the meta; with HPOS a meta write saves the order (after_meta_change), so date_modified moves. */
	private saveTrackingItems(order: WooOrderRecord, items: WooTrackingItem[], at: number): void {
		const meta = order.meta_data.find((m) => m.key === TRACKING_META_KEY);
		if (meta) meta.value = items;
		else order.meta_data.push({ id: this.nextMetaId(), key: TRACKING_META_KEY, value: items });
		this.saveOrder(order, at);
	}

	/** add_tracking_item(): provider slug via sanitize_title, date_shipped via strtotime (now when unreadable). */
	addTracking(order: WooOrderRecord, args: Body, at = this.now()): WooTrackingItem {
		const shipped = parseShippedDate(args.date_shipped);
		const item: WooTrackingItem = {
			tracking_provider: sanitizeTitle(String(args.tracking_provider ?? '')),
			custom_tracking_provider: String(args.custom_tracking_provider ?? '').trim(),
			custom_tracking_link: String(args.custom_tracking_link ?? '').trim(),
			tracking_number: String(args.tracking_number ?? '').trim(),
			date_shipped: String(floor((shipped ?? at) / 1000)),
			tracking_id: this.randomHex(32),
		};
		this.saveTrackingItems(order, [...this.trackingItems(order), item], at);
		return item;
	}

	deleteTracking(order: WooOrderRecord, trackingId: string, at = this.now()): boolean {
		const items = this.trackingItems(order);
		const left = items.filter((t) => t.tracking_id !== trackingId);
		if (left.length === items.length) return false;
		this.saveTrackingItems(order, left, at);
		return true;
	}

	// ---- products -----------------------------------------------------------------------------

	private skuTaken(sku: string, selfId: number): number {
		const id = this.idBySku(sku);
		return id && id !== selfId ? id : 0;
	}

	/**
	 * The stock and price props shared by products and variations: WC_REST_Products_Controller and
	 * WC_REST_Product_Variations_Controller::prepare_object_for_database, then validate_props() on save.
	 * Works on a copy: a thrown error (WC_Data_Exception → the item's WP_Error) leaves the record untouched.
	 *
	 * Products, with stock management on in the settings (woocommerce_manage_stock):
	 * - `manage_stock` then `backorders` go through the product's setters first. WC_Product_External's throw:
	 *   manage_stock `true` → 400 product_external_invalid_manage_stock, backorders other than "no" → 400
	 *   product_external_invalid_backorders; anything else is forced to false / "no" without a word.
	 * - grouped: manage_stock is switched off again, the quantity cleared, `stock_status` kept as posted —
	 *   a grouped product "accepts" manage_stock / stock_quantity and answers 200 with neither (no error).
	 * - external: the same, and stock_status is always "instock".
	 * - managed: stock_quantity (else inventory_delta) is written, and the status follows the quantity.
	 * - not managed: the quantity is cleared; a posted stock_quantity is ignored without a word.
	 * Variations: manage_stock, stock_status, backorders as posted; a variation that does not manage its own
	 * stock gets backorders "no" and no quantity (it may still inherit the parent's: manage_stock "parent").
	 */
	private applyStockAndPrice(rec: WooProductRecord | WooVariationRecord, body: Body, isVariation: boolean): void {
		const isset = (k: string) => body[k] !== undefined && body[k] !== null;
		const type = isVariation ? 'variation' : (rec as WooProductRecord).type;
		if (isset('sku')) {
			const sku = String(body.sku).trim();
			const taken = sku ? this.skuTaken(sku, rec.id) : 0;
			if (taken) {
				throw new WooRestError(400, 'product_invalid_sku', 'Invalid or duplicated SKU.', { resource_id: taken, unique_sku: `${sku}-1` });
			}
			if (sku !== rec.sku) this.skuIndex = undefined;
			rec.sku = sku;
		}
		if (type === 'variable' || type === 'grouped') {
			// Prices come from the children (syncVariable / syncGrouped); the REST controller clears the own ones.
			rec.regular_price = '';
			rec.sale_price = '';
		} else {
			if (isset('regular_price')) rec.regular_price = body.regular_price === '' ? '' : money(toCents(body.regular_price as string));
			if (isset('sale_price')) rec.sale_price = body.sale_price === '' ? '' : money(toCents(body.sale_price as string));
			rec.on_sale = rec.sale_price !== '' && toCents(rec.sale_price) < toCents(rec.regular_price);
			rec.price = rec.on_sale ? rec.sale_price : rec.regular_price;
		}
		if (typeof body.tax_status === 'string') rec.tax_status = body.tax_status as WooProductRecord['tax_status'];
		if (typeof body.tax_class === 'string') rec.tax_class = body.tax_class;
		if (typeof body.status === 'string') rec.status = body.status;

		const stockStatus = isset('stock_status') ? (String(body.stock_status) as StockStatus) : rec.stock_status;
		const external = (code: string, message: string) => new WooRestError(400, code, message);
		const quantity = () => {
			if (isset('stock_quantity')) rec.stock_quantity = stockAmount(body.stock_quantity);
			else if (isset('inventory_delta')) rec.stock_quantity = (rec.stock_quantity ?? 0) + stockAmount(body.inventory_delta);
			else if (rec.stock_quantity === null) rec.stock_quantity = 0;
			if (body.low_stock_amount !== undefined) rec.low_stock_amount = body.low_stock_amount === null ? null : stockAmount(body.low_stock_amount);
		};
		if (isVariation) {
			if (isset('manage_stock')) rec.manage_stock = stringToBool(body.manage_stock);
			if (isset('stock_status')) rec.stock_status = stockStatus;
			if (isset('backorders')) rec.backorders = body.backorders as WooProductRecord['backorders'];
			if (rec.manage_stock) quantity();
		} else if (!this.settings.manageStock) {
			// Stock management off for the whole shop: only the status is written.
			if (type === 'external' && stockStatus !== 'instock') throw external('product_external_invalid_stock_status', 'External products cannot be stock managed.');
			if (type !== 'variable') rec.stock_status = stockStatus;
		} else {
			if (isset('manage_stock')) {
				if (type === 'external' && body.manage_stock === true) throw external('product_external_invalid_manage_stock', 'External products cannot be stock managed.');
				rec.manage_stock = type === 'external' ? false : stringToBool(body.manage_stock);
			}
			if (isset('backorders')) {
				if (type === 'external' && body.backorders !== 'no') throw external('product_external_invalid_backorders', 'External products cannot be backordered.');
				rec.backorders = body.backorders as WooProductRecord['backorders'];
			}
			if (type === 'grouped' || type === 'external') {
				rec.manage_stock = false;
				rec.stock_status = type === 'external' ? 'instock' : stockStatus;
			} else if (rec.manage_stock) {
				if (type !== 'variable') rec.stock_status = stockStatus;
				quantity();
			} else {
				rec.stock_status = stockStatus;
			}
		}
		if (!rec.manage_stock) {
			// validate_props(): without stock management there is no quantity, backorder or low-stock setting.
			rec.stock_quantity = null;
			rec.backorders = 'no';
			rec.low_stock_amount = null;
		}
		this.deriveStockStatus(rec);
		if (Array.isArray(body.meta_data)) this.setOrderMeta(rec.meta_data, body.meta_data);
		if (typeof body.description === 'string') rec.description = body.description;
		if (typeof body.weight === 'string') rec.weight = body.weight;
		if (body.menu_order !== undefined) rec.menu_order = Number(body.menu_order) || 0;
	}

	/**
	 * WC_Product_Grouped::sync(): the price is the cheapest child's, on sale when a child is. Children are
	 * ordinary products (`grouped_products`); their own saves do not touch the grouped product.
	 */
	syncGrouped(rec: WooProductRecord): void {
		if (rec.type !== 'grouped') return;
		const children = rec.grouped_products.map((id) => this.product(id)).filter((p): p is WooProductRecord => !!p && p.status === 'publish');
		const prices = children.map((c) => c.price).filter((p) => p !== '').map((p) => toCents(p));
		rec.price = prices.length ? money(min(...prices)) : '';
		rec.on_sale = children.some((c) => c.on_sale);
	}

	/** PUT /products/{id}. A variation's id is refused, as WooCommerce refuses it. */
	updateProduct(id: number, body: Body, at = this.now()): WooProductRecord {
		if (this.variation(id)) {
			throw new WooRestError(404, 'woocommerce_rest_invalid_product_id', 'To manipulate product variations you should use the /products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.');
		}
		const stored = this.product(id);
		if (!stored) throw new WooRestError(400, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
		const rec = structuredClone(stored);
		this.applyProductProps(rec, body);
		Object.assign(stored, rec);
		this.touch(stored, at);
		this.syncVariable(stored);
		return stored;
	}

	private applyProductProps(rec: WooProductRecord, body: Body): void {
		if (typeof body.name === 'string') rec.name = body.name;
		if (typeof body.slug === 'string') rec.slug = body.slug;
		if (body.type === 'simple' || body.type === 'variable' || body.type === 'grouped' || body.type === 'external') rec.type = body.type;
		if (typeof body.short_description === 'string') rec.short_description = body.short_description;
		if (typeof body.featured === 'boolean') rec.featured = body.featured;
		if (typeof body.virtual === 'boolean') rec.virtual = body.virtual;
		this.applyStockAndPrice(rec, body, false);
		// is_purchasable(): external and grouped products never are; the others when they have a price.
		if (rec.type === 'external' || rec.type === 'grouped') rec.purchasable = false;
		if (rec.type === 'external') {
			if (typeof body.external_url === 'string') rec.external_url = body.external_url;
			if (typeof body.button_text === 'string') rec.button_text = body.button_text;
		}
		if (rec.type === 'grouped' && Array.isArray(body.grouped_products)) {
			rec.grouped_products = [...new Set(body.grouped_products.map((id) => trunc(Number(id)) || 0).filter((id) => id > 0))];
		}
		this.syncGrouped(rec);
	}

	/** POST /products: simple, variable, grouped or external, with the props the simulator models. */
	createProduct(body: Body, at = this.now()): WooProductRecord {
		if (body.id) throw new WooRestError(400, 'woocommerce_rest_product_exists', 'Cannot create existing product.');
		const name = typeof body.name === 'string' ? body.name : 'Product';
		const rec = blankProduct(0, name, this.options.siteUrl, this.time, at);
		this.applyProductProps(rec, body);
		rec.id = this.nextPostId();
		rec.slug = rec.slug || `${sanitizeTitle(name) || 'product'}-${rec.id}`;
		rec.permalink = `${this.options.siteUrl}/product/${rec.slug}/`;
		this.products.push(rec);
		this.productIndex.set(rec.id, rec);
		this.skuIndex = undefined;
		this.touch(rec, at);
		return rec;
	}

	deleteProduct(id: number, force: boolean, at = this.now()): WooProductRecord {
		const rec = this.product(id);
		if (!rec) throw new WooRestError(404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
		const before = structuredClone(rec);
		if (!force) {
			if (rec.status === 'trash') throw new WooRestError(410, 'woocommerce_rest_already_trashed', 'The product has already been deleted.');
			rec.status = 'trash';
			this.touch(rec, at);
			return before;
		}
		this.products = this.products.filter((p) => p.id !== id);
		this.productIndex.delete(id);
		for (const vid of rec.variations) this.variationIndex.delete(vid);
		this.variations = this.variations.filter((v) => v.parent_id !== id);
		this.skuIndex = undefined;
		this.version++;
		return before;
	}

	/** PUT /products/{pid}/variations/{vid}. */
	updateVariation(productId: number, id: number, body: Body, at = this.now()): WooVariationRecord {
		const stored = this.variation(id);
		if (!stored || stored.parent_id !== productId) throw new WooRestError(400, 'woocommerce_rest_product_variation_invalid_id', 'Invalid ID.');
		const rec = structuredClone(stored);
		this.applyStockAndPrice(rec, body, true);
		Object.assign(stored, rec);
		this.touch(stored, at);
		const parent = this.product(productId);
		if (parent) {
			this.syncVariable(parent);
			this.touch(parent, at);
		}
		return stored;
	}

	createVariation(productId: number, body: Body, at = this.now()): WooVariationRecord {
		const parent = this.product(productId);
		if (!parent) throw new WooRestError(404, 'woocommerce_rest_product_variation_invalid_parent', 'Cannot set attributes due to invalid parent product.');
		const attributes = Array.isArray(body.attributes)
			? body.attributes.filter(isObject).map((a) => {
				const match = parent.attributes.find((pa) => (a.id && pa.id === Number(a.id)) || (a.name && sanitizeTitle(pa.name) === sanitizeTitle(String(a.name))));
				return match ? { id: match.id, name: match.name, option: String(a.option ?? '') } : undefined;
			}).filter((a): a is { id: number; name: string; option: string } => !!a)
			: [];
		const rec = blankVariation(0, parent, attributes, this.options.siteUrl, this.time, at);
		this.applyStockAndPrice(rec, body, true);
		rec.id = this.nextPostId();
		this.variations.push(rec);
		this.variationIndex.set(rec.id, rec);
		this.skuIndex = undefined;
		parent.variations.push(rec.id);
		this.syncVariable(parent);
		this.touch(parent, at);
		this.touch(rec, at);
		return rec;
	}

	/** DELETE a variation: WC_Product::delete() queues the parent's sync too, which saves it (date_modified). */
	deleteVariation(productId: number, id: number, at = this.now()): WooVariationRecord {
		const rec = this.variation(id);
		if (!rec || rec.parent_id !== productId) throw new WooRestError(404, 'woocommerce_rest_product_variation_invalid_id', 'Invalid ID.');
		this.variations = this.variations.filter((v) => v.id !== id);
		this.variationIndex.delete(id);
		this.skuIndex = undefined;
		const parent = this.product(productId);
		if (parent) {
			parent.variations = parent.variations.filter((v) => v !== id);
			this.syncVariable(parent);
			this.touch(parent, at);
		}
		this.version++;
		return rec;
	}

	/** Everything, as plain JSON (GET /__sim/state). */
	toJSON(): Record<string, unknown> {
		return {
			settings: this.settings,
			taxRates: this.taxRates,
			coupons: this.coupons,
			customers: this.customers,
			products: this.products,
			variations: this.variations,
			orders: this.orders,
			refunds: this.refunds,
			notes: Object.fromEntries(this.notes),
			orderFlags: Object.fromEntries(this.flags),
			sequences: this.seq,
		};
	}
}

// ---- PHP's notion of values, as the refund code reads the request and the item meta ---------------

const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** PHP empty(): null, false, 0, "", "0" and empty arrays (a JSON {} is one). */
function phpEmpty(v: unknown): boolean {
	if (v === undefined || v === null || v === false || v === 0 || v === '' || v === '0') return true;
	if (Array.isArray(v)) return v.length === 0;
	if (v instanceof Map) return v.size === 0;
	return isObject(v) && Object.keys(v).length === 0;
}

const phpTruthy = (v: unknown): boolean => !phpEmpty(v);

/** PHP is_numeric(): decimal numbers with optional sign, exponent and surrounding spaces (no hex, no "Infinity"). */
function isNumeric(v: unknown): boolean {
	if (typeof v === 'number') return Number.isFinite(v);
	return typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v);
}

const numericCents = (v: unknown): number => (isNumeric(v) ? toCents(String(v).trim()) : 0);

/** wc_stock_amount() (intval): "2.7" → 2, "3 units" → 3, anything else → 0. */
function stockAmount(v: unknown): number {
	if (typeof v === 'number') return Number.isFinite(v) ? trunc(v) : 0;
	if (typeof v === 'boolean') return v ? 1 : 0;
	if (typeof v !== 'string') return 0;
	const n = parseFloat(v);
	return Number.isFinite(n) ? trunc(n) : 0;
}

/** wc_string_to_bool(): true, 1, "1", "yes", "true" (any case). */
function stringToBool(v: unknown): boolean {
	if (typeof v === 'boolean') return v;
	if (v === 1) return true;
	return typeof v === 'string' && ['1', 'yes', 'true'].includes(v.toLowerCase());
}

/** A PHP array key: integers and integer strings become integers; other keys can never name an item. */
function phpKey(k: unknown): number | undefined {
	if (typeof k === 'number') return Number.isFinite(k) ? trunc(k) : undefined;
	return typeof k === 'string' && /^(0|-?[1-9]\d*)$/.test(k) ? Number(k) : undefined;
}

/** The values of a sequential PHP array (a JSON list, or an object keyed "0".."n-1"); undefined when associative. */
function phpList(v: unknown): unknown[] | undefined {
	if (Array.isArray(v)) return v;
	if (!isObject(v)) return undefined;
	const keys = Object.keys(v);
	return keys.every((k, i) => k === String(i)) ? Object.values(v) : undefined;
}

/** foreach over a PHP value: a scalar gives nothing. */
function phpValues(v: unknown): unknown[] {
	if (v instanceof Map) return [...v.values()];
	if (Array.isArray(v)) return v;
	return isObject(v) ? Object.values(v) : [];
}

/** `$item->get_meta( $key, true )`: the first meta with that key. */
function itemMeta(item: { meta_data: WooItemMeta[] }, key: string): WooItemMeta | undefined {
	return item.meta_data.find((m) => m.key === key);
}

/** `$item->update_meta_data( $key, $value )`: the first meta with that key, else a new one. */
function setItemMetaValue(item: { meta_data: WooItemMeta[] }, key: string, value: string, nextMetaId: () => number): void {
	const meta = itemMeta(item, key);
	if (meta) {
		meta.value = value;
		meta.display_value = value;
	} else {
		item.meta_data.push({ id: nextMetaId(), key, value, display_key: key, display_value: value });
	}
}

/** A refund request in wc_create_refund's terms. */
export interface RefundRequest {
	/** What `amount` compares as: a number, or (PHP 8) a non-numeric string compared as a string. */
	amount: { numeric: true; value: number } | { numeric: false; raw: string };
	/** null when empty (the refund's reason is then ""). */
	reason: string | null;
	/** By order item id: { qty, refund_total, refund_tax }. */
	lines: Map<number, Body>;
	/** `! empty( $args['line_items'] )`. */
	linesGiven: boolean;
	refundPayment: boolean;
	restock: boolean;
}

/**
 * RestApiUtil::adjust_create_refund_request_parameters(): an empty reason becomes null, api_refund /
 * api_restock default to true, the documented `line_items: [{ id, quantity, refund_total, refund_tax:
 * [{ id, refund_total }] }]` becomes `{ [id]: { qty, refund_total, refund_tax: { [rate id]: amount } } }`
 * (a list with an entry lacking `id` is kept as sent, so it names no item), and a missing `amount` is the
 * sum of every line's refund_total and refund_tax — when all of them are numeric; else it stays unset (0).
 */
function adjustRefundRequest(body: Body): RefundRequest {
	const posted = body.line_items;
	const linesGiven = !phpEmpty(posted);
	let entries: Array<[unknown, unknown]> = [];
	if (linesGiven && (Array.isArray(posted) || isObject(posted))) {
		const list = phpList(posted);
		if (list && list.every((i) => isObject(i) && isSet(i.id))) {
			entries = list.map((raw) => {
				const item: Body = { ...(raw as Body) };
				if (isSet(item.quantity) && !isSet(item.qty)) item.qty = item.quantity;
				delete item.quantity;
				if (isSet(item.refund_tax)) item.refund_tax = adjustRefundTaxes(item.refund_tax);
				const id = item.id;
				delete item.id;
				return [id, item];
			});
		} else {
			entries = list ? list.map((v, i) => [i, v]) : Object.entries(posted as Body);
		}
	}
	const lines = new Map<number, Body>();
	for (const [k, v] of entries) {
		const key = phpKey(k);
		if (key !== undefined) lines.set(key, isObject(v) ? v : {});
	}
	let amount: RefundRequest['amount'];
	if (!isSet(body.amount)) {
		const cents = entries.length ? amountFromLines(entries.map(([, v]) => v)) : undefined;
		amount = { numeric: true, value: (cents ?? 0) / 100 };
	} else if (isNumeric(body.amount)) {
		amount = { numeric: true, value: Number(body.amount) };
	} else {
		amount = { numeric: false, raw: String(body.amount) };
	}
	return {
		amount, reason: phpEmpty(body.reason) ? null : String(body.reason), lines, linesGiven,
		refundPayment: typeof body.api_refund === 'boolean' ? body.api_refund : true,
		restock: typeof body.api_restock === 'boolean' ? body.api_restock : true,
	};
}

/** adjust_taxes_for_create_refund_request_line_item(): [{ id, refund_total }] → { [id]: refund_total }, else as sent. */
function adjustRefundTaxes(raw: unknown): unknown {
	const list = phpList(raw);
	if (!list || !list.length) return raw;
	const out = new Map<unknown, unknown>();
	for (const t of list) {
		if (!isObject(t) || !isSet(t.id) || !isSet(t.refund_total)) return raw;
		out.set(t.id, t.refund_total);
	}
	return out;
}

/** calculate_refund_amount_from_line_items(), in cents; undefined when some value is not numeric. */
function amountFromLines(items: unknown[]): number | undefined {
	let cents = 0;
	for (const item of items) {
		if (!isObject(item) || !isNumeric(item.refund_total)) return undefined;
		cents += numericCents(item.refund_total);
		if (!isSet(item.refund_tax)) continue;
		for (const tax of phpValues(item.refund_tax)) {
			if (!isNumeric(tax)) return undefined;
			cents += numericCents(tax);
		}
	}
	return cents;
}

/** wc_create_refund's `(array) refund_tax`, numeric entries only: rate id → cents (positive as sent). */
function refundTaxes(raw: unknown): Map<number, number> {
	const out = new Map<number, number>();
	if (!isSet(raw)) return out;
	const entries: Array<[unknown, unknown]> = raw instanceof Map ? [...raw] : Array.isArray(raw) ? raw.map((v, i) => [i, v]) : isObject(raw) ? Object.entries(raw) : [[0, raw]];
	for (const [k, v] of entries) {
		const key = phpKey(k);
		if (key !== undefined && isNumeric(v)) out.set(key, numericCents(v));
	}
	return out;
}

/** The extension's strtotime(): dates and date-times; anything else (e.g. a bare Unix timestamp) → undefined. */
function parseShippedDate(value: unknown): number | undefined {
	if (typeof value !== 'string' || !value.trim()) return undefined;
	const v = value.trim();
	if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return gmtToMs(`${v}T00:00:00`);
	if (/^@\d+$/.test(v)) return Number(v.slice(1)) * 1000;
	if (/^\d+$/.test(v)) return undefined;
	const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
	return Number.isNaN(t) ? undefined : t;
}

export function blankProduct(id: number, name: string, siteUrl: string, time: SiteTime, at: number): WooProductRecord {
	const slug = sanitizeTitle(name);
	return {
		id, name, slug, permalink: `${siteUrl}/product/${slug}/`, date_created: time.local(at), date_created_gmt: time.gmt(at),
		date_modified: time.local(at), date_modified_gmt: time.gmt(at), type: 'simple', status: 'publish', featured: false,
		catalog_visibility: 'visible', description: '', short_description: '', sku: '', price: '', regular_price: '', sale_price: '',
		date_on_sale_from: null, date_on_sale_from_gmt: null, date_on_sale_to: null, date_on_sale_to_gmt: null, on_sale: false,
		purchasable: true, total_sales: 0, virtual: false, downloadable: false, downloads: [], download_limit: -1, download_expiry: -1,
		external_url: '', button_text: '', tax_status: 'taxable', tax_class: '', manage_stock: false, stock_quantity: null,
		stock_status: 'instock', backorders: 'no', backorders_allowed: false, backordered: false, low_stock_amount: null,
		sold_individually: false, weight: '', dimensions: { length: '', width: '', height: '' }, shipping_required: true,
		shipping_taxable: true, shipping_class: '', shipping_class_id: 0, reviews_allowed: true, average_rating: '0.00', rating_count: 0,
		related_ids: [], upsell_ids: [], cross_sell_ids: [], parent_id: 0, purchase_note: '', categories: [], tags: [], images: [],
		attributes: [], default_attributes: [], variations: [], grouped_products: [], menu_order: 0, meta_data: [],
	};
}

export function blankVariation(
	id: number,
	parent: WooProductRecord,
	attributes: Array<{ id: number; name: string; option: string }>,
	siteUrl: string,
	time: SiteTime,
	at: number,
): WooVariationRecord {
	const query = attributes.map((a) => `attribute_${a.id ? `pa_${sanitizeTitle(a.name)}` : sanitizeTitle(a.name)}=${encodeURIComponent(a.id ? sanitizeTitle(a.option) : a.option)}`).join('&');
	return {
		id, parent_id: parent.id, date_created: time.local(at), date_created_gmt: time.gmt(at), date_modified: time.local(at),
		date_modified_gmt: time.gmt(at), description: '', permalink: `${siteUrl}/product/${parent.slug}/${query ? `?${query}` : ''}`,
		sku: '', price: '', regular_price: '', sale_price: '', date_on_sale_from: null, date_on_sale_from_gmt: null, date_on_sale_to: null,
		date_on_sale_to_gmt: null, on_sale: false, status: 'publish', purchasable: true, virtual: false, downloadable: false, downloads: [],
		download_limit: -1, download_expiry: -1, tax_status: 'taxable', tax_class: '', manage_stock: false, stock_quantity: null,
		stock_status: 'instock', backorders: 'no', backorders_allowed: false, backordered: false, low_stock_amount: null, weight: '',
		dimensions: { length: '', width: '', height: '' }, shipping_class: '', shipping_class_id: 0, image: null, attributes, menu_order: 0,
		meta_data: [],
	};
}
