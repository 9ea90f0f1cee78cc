/**
 * A WooCommerce REST API v3 simulator (https://woocommerce.github.io/woocommerce-rest-api-docs/) for
 * tests and benchmarks: a seeded store behind /wp-json/wc/v3 (orders, notes, refunds, products, variations,
 * batches) and the Shipment Tracking extension's /wp-json/wc-shipment-tracking/v3, on the shared
 * simulator base (fault injection, request log, /__sim/*).
 *
 * Inspection routes besides the shared ones: GET /__sim/state (the store as JSON), POST /__sim/orders
 * (a customer places an order; body = partial order, as addOrder), POST /__sim/orders/{id} (an edit in
 * wp-admin; body = patch, as updateOrder), POST /__sim/clock {"now": ISO | null, "advanceMs"?: n}.
 */
import { startSimulator } from '../common/server';
import type { SimRequest, SimResponse, Simulator } from '../common/server';
import { pick } from '../common/random';
import { orderAnswer } from './answers';
import { WooRestError } from './errors';
import { wooRoutes } from './routes';
import { seedStore } from './seed';
import { ORDER_STATUSES, WooStore, isObject } from './store';
import type { Body, Sellable } from './store';
import type { WooOrderRecord } from './types';

export { WooStore, ORDER_STATUSES, PAYMENT_GATEWAYS } from './store';
export { WooRestError } from './errors';
export type { WooStoreOptions, Body as WooOrderInput } from './store';
export type {
	WooAddress, WooCoupon, WooCouponLine, WooCustomer, WooFeeLine, WooItemMeta, WooLineItem, WooMeta, WooNote, WooOrderRecord,
	WooOrderStatus, WooProductRecord, WooRefundRecord, WooRefundRef, WooShippingLine, WooTaxLine, WooTaxRate, WooTaxShare, WooTrackingItem, WooVariationRecord,
} from './types';

export interface WooSimOptions {
	port?: number;
	seed?: number;
	products?: number;
	variationsPerProduct?: number;
	orders?: number;
	/** First seeded order date, ISO. */
	start?: string;
	/** Mean time between seeded orders (each gap is 0.5–1.5× this, whole seconds). */
	orderSpacingMs?: number;
	/** Share of seeded orders with the same date_modified as the previous one (default 0.2). */
	equalTimestampShare?: number;
	consumerKey?: string;
	consumerSecret?: string;
	/** The key's permissions (default read_write). */
	keyPermissions?: 'read' | 'write' | 'read_write';
	/** The Shipment Tracking extension is installed (default true). */
	shipmentTracking?: boolean;
	currency?: string;
	/** Site timezone: 'UTC' (default), 'UTC+2', '+05:30' or an IANA name such as 'Europe/Berlin'. */
	timezone?: string;
	/** Clock override (ms since epoch). Default: the real clock, never earlier than the newest seeded date. */
	now?: () => number;
	/**
	 * Seed one external and one grouped product after the catalogue, the orders and the refunds (default
	 * true): their ids come last, so every other seeded id and SKU is the same with or without them.
	 */
	otherProductTypes?: boolean;
}

/**
 * An order as a customer would place it: any field of a WooCommerce create body (line_items by
 * product_id / variation_id / sku and quantity, status, billing, shipping, meta_data, customer_note,
 * payment_method, coupon_lines, fee_lines, shipping_lines), plus `date_created_gmt` to back-date it.
 * What is left out is drawn at random from the catalogue and the customers.
 */
export type WooOrderPartial = Body & { status?: string; date_created_gmt?: string };

export interface WooSimulator extends Simulator {
	store: WooStore;
	/** The site URL to configure in a client (= url). */
	siteUrl: string;
	consumerKey: string;
	consumerSecret: string;
	/** A customer places an order through checkout (created_via "checkout"; stock and notes as WooCommerce does). */
	addOrder(partial?: WooOrderPartial): WooOrderRecord;
	/** A shop manager edits an order (a REST update body); date_modified moves. */
	updateOrder(id: number, patch: Body): WooOrderRecord;
}

const DEFAULTS = {
	seed: 1,
	products: 24,
	variationsPerProduct: 4,
	orders: 200,
	start: '2025-01-06T08:00:00Z',
	orderSpacingMs: 300_000,
	equalTimestampShare: 0.2,
	consumerKey: 'ck_sim_key',
	consumerSecret: 'cs_sim_secret',
	shipmentTracking: true,
	currency: 'USD',
	timezone: 'UTC',
};

const STATUS_PAYMENT: Record<string, string> = { 'on-hold': 'bacs', pending: 'stripe', failed: 'stripe', cancelled: 'stripe' };

/** A checkout body for `addOrder`: a customer, one to three lines, flat-rate shipping, card payment. */
function checkoutBody(store: WooStore, partial: WooOrderPartial): Body {
	const r = store.random;
	const customer = store.customers.length ? pick(r, store.customers) : undefined;
	const sellables: Sellable[] = [];
	for (const p of store.products) {
		if (p.status !== 'publish' || !p.purchasable) continue;
		if (p.type === 'variable') for (const v of store.variationsOf(p.id)) sellables.push({ kind: 'variation', record: v, parent: p });
		else sellables.push({ kind: 'product', record: p });
	}
	const lines: Body[] = [];
	const count = 1 + Math.floor(r() * 3);
	for (let i = 0; i < count && sellables.length; i++) {
		const s = pick(r, sellables);
		if (!lines.some((l) => l.product_id === s.record.id)) lines.push({ product_id: s.record.id, quantity: 1 + Math.floor(r() * 2) });
	}
	const status = typeof partial.status === 'string' ? partial.status : 'processing';
	const payment = STATUS_PAYMENT[status] ?? 'stripe';
	return {
		customer_id: customer?.id ?? 0,
		billing: customer?.billing ?? {},
		shipping: customer?.shipping ?? {},
		payment_method: payment,
		payment_method_title: payment === 'bacs' ? 'Direct bank transfer' : 'Credit / Debit Card',
		line_items: lines,
		shipping_lines: [{ method_id: 'flat_rate', method_title: 'Flat rate', instance_id: '1', total: '7.95' }],
		status,
	};
}

export async function startWooSimulator(options: WooSimOptions = {}): Promise<WooSimulator> {
	const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & WooSimOptions;
	let store: WooStore | undefined;
	let siteUrl = '';
	const getStore = () => store!;
	let handle: ((req: SimRequest) => SimResponse) | undefined;

	function addOrder(partial: WooOrderPartial = {}): WooOrderRecord {
		const s = getStore();
		if (partial.status !== undefined && !ORDER_STATUSES.includes(String(partial.status))) {
			throw new WooRestError(400, 'rest_invalid_param', `addOrder: unknown status "${String(partial.status)}"`);
		}
		const { date_created_gmt, ...rest } = partial;
		const at = typeof date_created_gmt === 'string' ? Math.floor(Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(date_created_gmt) ? date_created_gmt : `${date_created_gmt}Z`) / 1000) * 1000 : s.now();
		if (Number.isNaN(at)) throw new WooRestError(400, 'rest_invalid_param', `addOrder: date_created_gmt "${String(date_created_gmt)}" is not a date`);
		const body = { ...checkoutBody(s, partial), ...rest };
		const r = s.random;
		const extra: Partial<WooOrderRecord> = {
			customer_ip_address: `203.0.113.${1 + Math.floor(r() * 250)}`,
			customer_user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
			cart_hash: s.randomHex(32),
		};
		const paid = ['processing', 'completed'].includes(String(body.status));
		if (paid && body.payment_method === 'stripe' && !body.transaction_id) body.transaction_id = `pi_${s.randomAlnum(24)}`;
		return s.createOrder(body, 'checkout', extra, at);
	}

	function updateOrder(id: number, patch: Body): WooOrderRecord {
		const s = getStore();
		if (patch.status !== undefined && !ORDER_STATUSES.includes(String(patch.status))) {
			throw new WooRestError(400, 'rest_invalid_param', `updateOrder: unknown status "${String(patch.status)}"`);
		}
		if (!s.order(id)) throw new WooRestError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
		return s.updateOrder(id, patch);
	}

	function inspect(req: SimRequest): SimResponse | undefined {
		const s = getStore();
		const what = req.path.slice('/__sim/'.length).replace(/\/+$/, '');
		try {
			if (what === 'state' && req.method === 'GET') return { status: 200, body: s.toJSON() };
			if (what === 'orders' && req.method === 'POST') {
				return { status: 201, body: orderAnswer(s, addOrder(isObject(req.json) ? req.json : {}), siteUrl) };
			}
			const m = /^orders\/(\d+)$/.exec(what);
			if (m && req.method === 'POST') {
				return { status: 200, body: orderAnswer(s, updateOrder(Number(m[1]), isObject(req.json) ? req.json : {}), siteUrl) };
			}
			if (what === 'clock' && req.method === 'POST') {
				const body = isObject(req.json) ? req.json : {};
				if (body.now === null) s.setClock(options.now);
				else if (typeof body.now === 'string') {
					const fixed = Date.parse(body.now);
					if (Number.isNaN(fixed)) return { status: 400, body: { error: `not a date: ${body.now}` } };
					let t = fixed;
					s.setClock(() => t);
					if (typeof body.advanceMs === 'number') t += body.advanceMs;
				} else if (typeof body.advanceMs === 'number') {
					const base = s.now() + body.advanceMs;
					s.setClock(() => base);
				}
				return { status: 200, body: { now: new Date(s.now()).toISOString() } };
			}
		} catch (e) {
			if (e instanceof WooRestError) return { status: e.status, body: e.body() };
			throw e;
		}
		return undefined;
	}

	const sim = await startSimulator((req) => handle!(req), {
		port: o.port,
		inspect,
		reset: () => {
			getStore().setClock(options.now);
			getStore().reset();
		},
		label: (req) => {
			const m = /^\/wp-json\/(wc\/v3|wc-shipment-tracking\/v3)\/([a-z_-]+)/.exec(req.path);
			return m ? `${req.method} ${m[2]}` : undefined;
		},
	});
	siteUrl = sim.url;
	store = new WooStore(
		{
			siteUrl, seed: o.seed, products: o.products, variationsPerProduct: o.variationsPerProduct, orders: o.orders, start: o.start,
			orderSpacingMs: o.orderSpacingMs, equalTimestampShare: o.equalTimestampShare, shipmentTracking: o.shipmentTracking,
			currency: o.currency, timezone: o.timezone, now: o.now, otherProductTypes: o.otherProductTypes,
		},
		seedStore,
	);
	handle = wooRoutes({
		store, site: () => siteUrl, consumerKey: o.consumerKey, consumerSecret: o.consumerSecret,
		keyPermissions: o.keyPermissions ?? 'read_write', shipmentTracking: o.shipmentTracking,
	});
	return Object.assign(sim, { store, siteUrl, consumerKey: o.consumerKey, consumerSecret: o.consumerSecret, addOrder, updateOrder });
}
