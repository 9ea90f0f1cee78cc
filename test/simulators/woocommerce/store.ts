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
 */
import { seededRandom } from '../common/random';
import { SiteTime, gmtToMs } from './dates';
import { WooRestError } from './errors';
import { COUPONS, TAX_RATES, applyCoupons, calculateTotals, money, toCents } from './totals';
import type {
	StockStatus,
	WooAddress,
	WooCoupon,
	WooCustomer,
	WooItemMeta,
	WooLineItem,
	WooMeta,
	WooNote,
	WooOrderRecord,
	WooProductRecord,
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
	};
	readonly coupons: WooCoupon[] = COUPONS;
	readonly taxRates: WooTaxRate[] = TAX_RATES;

	products: WooProductRecord[] = [];
	variations: WooVariationRecord[] = [];
	orders: WooOrderRecord[] = [];
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
		this.customers = [];
		this.notes = new Map();
		this.flags = new Map();
		this.seq = { post: 0, comment: 0, item: 0, meta: 0 };
		this.random = seededRandom(this.options.seed ^ 0x5eed);
		this.clockFloor = 0;
		this.generate(this);
		this.reindex();
	}

	/** Call after editing records directly (not through the store), so list answers re-sort. */
	changed(): void {
		this.version++;
	}

	reindex(): void {
		this.productIndex = new Map(this.products.map((p) => [p.id, p]));
		this.variationIndex = new Map(this.variations.map((v) => [v.id, v]));
		this.orderIndex = new Map(this.orders.map((o) => [o.id, o]));
		this.orderPos = new Map(this.orders.map((o, i) => [o.id, i]));
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

	/** wc_get_product_id_by_sku(): products and variations by their OWN SKU (an inherited one does not match). */
	idBySku(sku: string): number {
		if (!sku) return 0;
		for (const p of this.products) if (p.sku === sku && p.status !== 'trash') return p.id;
		for (const v of this.variations) if (v.sku === sku && v.status !== 'trash') return v.id;
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

	/** wc_update_product_stock(): writes the quantity, re-derives the status, saves (date_modified), syncs the parent. */
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

	/** wc_maybe_reduce_stock_levels(): once per order. */
	maybeReduceStock(order: WooOrderRecord, at: number): void {
		const flags = this.flagsOf(order.id);
		if (flags.stockReduced) return;
		const changes: string[] = [];
		for (const item of order.line_items) {
			const s = this.sellable(item.variation_id || item.product_id);
			if (!s || item.meta_data.some((m) => m.key === '_reduced_stock')) continue;
			const holder = this.stockHolder(s);
			if (!holder) continue;
			const { from, to } = this.changeStock(holder, -item.quantity, at);
			item.meta_data.push({ id: this.nextMetaId(), key: '_reduced_stock', value: String(item.quantity), display_key: '_reduced_stock', display_value: String(item.quantity) });
			changes.push(`${this.formattedName(s)} ${from}&rarr;${to}`);
		}
		if (changes.length) this.addNote(order.id, `Stock levels reduced: ${changes.join(', ')}`, { at });
		flags.stockReduced = true;
	}

	/** wc_maybe_increase_stock_levels(): gives back what `_reduced_stock` records. */
	maybeIncreaseStock(order: WooOrderRecord, at: number): void {
		const flags = this.flagsOf(order.id);
		if (!flags.stockReduced) return;
		const changes: string[] = [];
		for (const item of order.line_items) {
			const meta = item.meta_data.find((m) => m.key === '_reduced_stock');
			if (!meta) continue;
			item.meta_data = item.meta_data.filter((m) => m !== meta);
			const s = this.sellable(item.variation_id || item.product_id);
			const holder = s && this.stockHolder(s);
			if (!s || !holder) continue;
			const { from, to } = this.changeStock(holder, Number(meta.value), at);
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

	/** wc_maybe_adjust_line_item_product_stock(): an edited quantity on an order whose stock was reduced. */
	private adjustLineStock(order: WooOrderRecord, item: WooLineItem, at: number): void {
		if (!this.flagsOf(order.id).stockReduced) return;
		const s = this.sellable(item.variation_id || item.product_id);
		const holder = s && this.stockHolder(s);
		if (!holder) return;
		const meta = item.meta_data.find((m) => m.key === '_reduced_stock');
		const diff = item.quantity - Number(meta?.value ?? 0);
		if (diff === 0) return;
		this.changeStock(holder, -diff, at);
		if (meta) {
			meta.value = String(item.quantity);
			meta.display_value = meta.value;
		} else {
			item.meta_data.push({ id: this.nextMetaId(), key: '_reduced_stock', value: String(item.quantity), display_key: '_reduced_stock', display_value: String(item.quantity) });
		}
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
			this.version++;
			return before;
		}
		if (order.status === 'trash') throw new WooRestError(410, 'woocommerce_rest_already_trashed', 'The shop_order has already been deleted.');
		order.meta_data.push({ id: this.nextMetaId(), key: '_wp_trash_meta_status', value: `wc-${order.status}` });
		order.status = 'trash';
		this.saveOrder(order, at);
		return before;
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

	/** The stock and price props shared by products and variations (prepare_object_for_database). */
	private applyStockAndPrice(rec: WooProductRecord | WooVariationRecord, body: Body, isVariation: boolean): void {
		if (body.sku !== undefined && body.sku !== null) {
			const sku = String(body.sku).trim();
			const taken = sku ? this.skuTaken(sku, rec.id) : 0;
			if (taken) {
				throw new WooRestError(400, 'product_invalid_sku', 'Invalid or duplicated SKU.', { resource_id: taken, unique_sku: `${sku}-1` });
			}
			rec.sku = sku;
		}
		if (body.regular_price !== undefined && body.regular_price !== null) rec.regular_price = body.regular_price === '' ? '' : money(toCents(body.regular_price as string));
		if (body.sale_price !== undefined && body.sale_price !== null) rec.sale_price = body.sale_price === '' ? '' : money(toCents(body.sale_price as string));
		if ('type' in rec && rec.type === 'variable') {
			// price comes from the variations (syncVariable)
		} else {
			rec.on_sale = rec.sale_price !== '' && toCents(rec.sale_price) < toCents(rec.regular_price);
			rec.price = rec.on_sale ? rec.sale_price : rec.regular_price;
		}
		if (typeof body.tax_status === 'string') rec.tax_status = body.tax_status as WooProductRecord['tax_status'];
		if (typeof body.tax_class === 'string') rec.tax_class = body.tax_class;
		if (typeof body.status === 'string') rec.status = body.status;
		if (body.manage_stock !== undefined && body.manage_stock !== null) rec.manage_stock = body.manage_stock === true || body.manage_stock === 'true' || body.manage_stock === 1;
		const stockStatus = typeof body.stock_status === 'string' ? (body.stock_status as StockStatus) : rec.stock_status;
		if (typeof body.backorders === 'string') rec.backorders = body.backorders as WooProductRecord['backorders'];
		if (rec.manage_stock) {
			if (!('type' in rec && rec.type === 'variable')) rec.stock_status = stockStatus;
			if (body.stock_quantity !== undefined && body.stock_quantity !== null) rec.stock_quantity = trunc(Number(body.stock_quantity)) || 0;
			else if (body.inventory_delta !== undefined && body.inventory_delta !== null) rec.stock_quantity = (rec.stock_quantity ?? 0) + (trunc(Number(body.inventory_delta)) || 0);
			else if (rec.stock_quantity === null) rec.stock_quantity = 0;
			if (body.low_stock_amount !== undefined) rec.low_stock_amount = body.low_stock_amount === null ? null : trunc(Number(body.low_stock_amount));
		} else {
			// Not managed: the quantity is cleared and a posted stock_quantity is ignored without a word.
			rec.stock_quantity = null;
			rec.stock_status = stockStatus;
			if (isVariation) rec.backorders = 'no';
		}
		this.deriveStockStatus(rec);
		if (Array.isArray(body.meta_data)) this.setOrderMeta(rec.meta_data, body.meta_data);
		if (typeof body.description === 'string') rec.description = body.description;
		if (typeof body.weight === 'string') rec.weight = body.weight;
		if (body.menu_order !== undefined) rec.menu_order = Number(body.menu_order) || 0;
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
		if (body.type === 'simple' || body.type === 'variable') rec.type = body.type;
		if (typeof body.short_description === 'string') rec.short_description = body.short_description;
		if (typeof body.featured === 'boolean') rec.featured = body.featured;
		if (typeof body.virtual === 'boolean') rec.virtual = body.virtual;
		this.applyStockAndPrice(rec, body, false);
	}

	/** POST /products: simple or variable, with the props the simulator models. */
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
		parent.variations.push(rec.id);
		this.syncVariable(parent);
		this.touch(parent, at);
		this.touch(rec, at);
		return rec;
	}

	deleteVariation(productId: number, id: number): WooVariationRecord {
		const rec = this.variation(id);
		if (!rec || rec.parent_id !== productId) throw new WooRestError(404, 'woocommerce_rest_product_variation_invalid_id', 'Invalid ID.');
		this.variations = this.variations.filter((v) => v.id !== id);
		this.variationIndex.delete(id);
		const parent = this.product(productId);
		if (parent) {
			parent.variations = parent.variations.filter((v) => v !== id);
			this.syncVariable(parent);
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
			notes: Object.fromEntries(this.notes),
			orderFlags: Object.fromEntries(this.flags),
			sequences: this.seq,
		};
	}
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
