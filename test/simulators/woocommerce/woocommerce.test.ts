/**
 * The WooCommerce simulator against WooCommerce's documented behaviour
 * (https://woocommerce.github.io/woocommerce-rest-api-docs/), over real HTTP: authentication and its
 * errors, parameter validation, paging headers, exclusive date filters at one-second resolution, why
 * offset paging loses orders, stock reduced once by set_paid, refunds and their restocking, batch limits,
 * the Shipment Tracking extension, and seeded orders whose totals reconcile. For inventory sync: stock
 * fields of products and variations, `modified_after` exact for every stock change, stock batches with
 * inline errors (unknown ids, external products), and a 25,000-product catalogue.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wooOrderToModel } from '../../../platforms/woocommerce/orderMapping';
import type { WooOrder } from '../../../platforms/woocommerce/orderMapping';
import { startWooSimulator, WooStore } from '.';
import type { WooOrderRecord, WooSimulator } from '.';
import { gmtToMs, isoSeconds } from './dates';
import { seedStore } from './seed';
import { money, toCents } from './totals';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

interface CallOptions {
	body?: unknown;
	query?: Record<string, string | number | boolean>;
	/** 'basic' (default), 'query', or none. */
	auth?: 'basic' | 'query' | 'none';
	key?: string;
	secret?: string;
}

async function call(sim: WooSimulator, method: string, path: string, options: CallOptions = {}): Promise<{ status: number; headers: Headers; body: Json }> {
	const url = new URL(`${sim.url}${path.startsWith('/__sim') ? '' : '/wp-json'}${path}`);
	for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
	const auth = options.auth ?? 'basic';
	const key = options.key ?? sim.consumerKey;
	const secret = options.secret ?? sim.consumerSecret;
	if (auth === 'query') {
		url.searchParams.set('consumer_key', key);
		url.searchParams.set('consumer_secret', secret);
	}
	const headers: Record<string, string> = {};
	if (auth === 'basic') headers.authorization = basic(key, secret);
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const visible = (sim: WooSimulator) => sim.store.orders.filter((o) => o.status !== 'trash');

describe('WooCommerce simulator', () => {
	let sim: WooSimulator;
	beforeAll(async () => {
		sim = await startWooSimulator({ orders: 1000, products: 24, seed: 7 });
	});
	afterAll(() => sim.close());
	let cleanVersion = -1;
	beforeEach(async () => {
		// Regenerating takes a moment under jest: only when a test changed something.
		if (sim.store.version !== cleanVersion) {
			await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
			cleanVersion = sim.store.version;
		}
		await fetch(`${sim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ now: null }) });
	});

	describe('authentication', () => {
		it('refuses a request without keys with WooCommerce\'s permission error', async () => {
			const res = await call(sim, 'GET', '/wc/v3/orders', { auth: 'none' });
			expect(res.status).toBe(401);
			expect(res.body).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
			const create = await call(sim, 'POST', '/wc/v3/orders', { auth: 'none', body: {} });
			expect(create.body.code).toBe('woocommerce_rest_cannot_create');
		});

		it('tells a wrong key from a wrong secret, and never echoes the secret', async () => {
			const key = await call(sim, 'GET', '/wc/v3/orders', { key: 'ck_not_a_key' });
			expect(key.status).toBe(401);
			expect(key.body).toEqual({ code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.', data: { status: 401 } });
			const secret = await call(sim, 'GET', '/wc/v3/orders', { secret: 'cs_wrong_secret_value' });
			expect(secret.status).toBe(401);
			expect(secret.body).toEqual({ code: 'woocommerce_rest_authentication_error', message: 'Consumer secret is invalid.', data: { status: 401 } });
			expect(JSON.stringify(secret.body)).not.toContain('cs_wrong_secret_value');
			// A wrong key is refused before routing: even an unknown route answers 401.
			expect((await call(sim, 'GET', '/wc/v3/nothing-here', { key: 'ck_nope' })).status).toBe(401);
		});

		it('accepts the keys in the query string (servers that strip Authorization)', async () => {
			const ok = await call(sim, 'GET', '/wc/v3/orders', { auth: 'query' });
			expect(ok.status).toBe(200);
			expect(ok.body).toHaveLength(10);
			const bad = await call(sim, 'GET', '/wc/v3/orders', { auth: 'query', secret: 'cs_wrong' });
			expect(bad.body.message).toBe('Consumer secret is invalid.');
		});

		it('refuses writes with a read-only key', async () => {
			const readOnly = await startWooSimulator({ orders: 3, products: 4, keyPermissions: 'read' });
			try {
				expect((await call(readOnly, 'GET', '/wc/v3/orders')).status).toBe(200);
				const write = await call(readOnly, 'POST', '/wc/v3/orders', { body: {} });
				expect(write.status).toBe(401);
				expect(write.body.message).toBe('The API key provided does not have write permissions.');
			} finally {
				await readOnly.close();
			}
		});
	});

	describe('parameters', () => {
		it('refuses per_page above 100 with WordPress\'s message, before checking keys', async () => {
			for (const auth of ['basic', 'none'] as const) {
				const res = await call(sim, 'GET', '/wc/v3/orders', { auth, query: { per_page: 101 } });
				expect(res.status).toBe(400);
				expect(res.body).toMatchObject({
					code: 'rest_invalid_param',
					message: 'Invalid parameter(s): per_page',
					data: { status: 400, params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } },
				});
			}
			expect((await call(sim, 'GET', '/wc/v3/orders', { query: { per_page: 100 } })).body).toHaveLength(100);
		});

		it('refuses dates that are not ISO 8601 date-times (a bare date included)', async () => {
			for (const bad of ['2025-01-32T00:00:00', 'yesterday', '2025-01-06']) {
				const res = await call(sim, 'GET', '/wc/v3/orders', { query: { modified_after: bad } });
				expect(res.status).toBe(400);
				expect(res.body.data.params).toEqual({ modified_after: 'Invalid date.' });
			}
		});

		it('answers an unknown route with rest_no_route', async () => {
			const res = await call(sim, 'GET', '/wc/v3/ordres');
			expect(res.status).toBe(404);
			expect(res.body).toEqual({ code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
		});
	});

	it('pages through 1,000 orders: X-WP-Total, X-WP-TotalPages, Link, newest first with ties by id', async () => {
		const ids: number[] = [];
		let previous: Json;
		for (let page = 1; page <= 10; page++) {
			const res = await call(sim, 'GET', '/wc/v3/orders', { query: { per_page: 100, page } });
			expect(res.status).toBe(200);
			expect(res.headers.get('x-wp-total')).toBe('1000');
			expect(res.headers.get('x-wp-totalpages')).toBe('10');
			const link = res.headers.get('link') ?? '';
			if (page < 10) expect(link).toContain(`<${sim.url}/wp-json/wc/v3/orders?per_page=100&page=${page + 1}>; rel="next"`);
			else expect(link).not.toContain('rel="next"');
			if (page > 1) expect(link).toContain(`page=${page - 1}>; rel="prev"`);
			for (const o of res.body as Json[]) {
				if (previous) {
					// date desc, then id desc ("date ID")
					expect(o.date_created_gmt < previous.date_created_gmt || (o.date_created_gmt === previous.date_created_gmt && o.id < previous.id)).toBe(true);
				}
				previous = o;
				ids.push(o.id);
			}
		}
		expect(new Set(ids).size).toBe(1000);
		expect([...ids].sort((a, b) => a - b)).toEqual(visible(sim).map((o) => o.id).sort((a, b) => a - b));
		const beyond = await call(sim, 'GET', '/wc/v3/orders', { query: { per_page: 100, page: 11 } });
		expect(beyond.status).toBe(200);
		expect(beyond.body).toEqual([]);
		expect(beyond.headers.get('x-wp-total')).toBe('1000');
		expect(beyond.headers.get('link')).toContain('page=10>; rel="prev"');
	});

	describe('date filters', () => {
		/** A date_modified shared by at least two orders (the seed makes a share of them equal). */
		function sharedStamp(): string {
			const counts = new Map<string, number>();
			for (const o of visible(sim)) counts.set(o.date_modified_gmt, (counts.get(o.date_modified_gmt) ?? 0) + 1);
			return [...counts].find(([, n]) => n >= 2)![0];
		}
		const after = (stamp: string, extra: Record<string, string | boolean> = {}) =>
			call(sim, 'GET', '/wc/v3/orders', { query: { modified_after: stamp, dates_are_gmt: true, orderby: 'modified', order: 'asc', per_page: 100, ...extra } });

		it('modified_after is exclusive at one-second resolution', async () => {
			const stamp = sharedStamp();
			const expected = visible(sim).filter((o) => o.date_modified_gmt > stamp).length;
			const res = await after(stamp);
			expect(Number(res.headers.get('x-wp-total'))).toBe(expected);
			expect((res.body as Json[]).every((o) => o.date_modified_gmt > stamp)).toBe(true);
			// Fractions are cut to the second: .999 still excludes the orders of that second.
			expect((await after(`${stamp}.999`)).headers.get('x-wp-total')).toBe(String(expected));
			// One second earlier includes them; so does a "Z" suffix's equal instant exclude them on a UTC site.
			const earlier = isoSeconds(gmtToMs(stamp) - 1000);
			const withSecond = visible(sim).filter((o) => o.date_modified_gmt > earlier).length;
			expect(withSecond).toBeGreaterThanOrEqual(expected + 2);
			expect((await after(earlier)).headers.get('x-wp-total')).toBe(String(withSecond));
			expect((await after(`${stamp}Z`)).headers.get('x-wp-total')).toBe(String(expected));
			// The results come sorted by date_modified, ties by id.
			const all: Json[] = [];
			for (let page = 1; ; page++) {
				const r = await after(earlier, { page: String(page) });
				all.push(...r.body);
				if (page >= Number(r.headers.get('x-wp-totalpages'))) break;
			}
			for (let i = 1; i < all.length; i++) {
				const [a, b] = [all[i - 1], all[i]];
				expect(a.date_modified_gmt < b.date_modified_gmt || (a.date_modified_gmt === b.date_modified_gmt && a.id < b.id)).toBe(true);
			}
		});

		it('reads filters in site time unless dates_are_gmt=true', async () => {
			const berlin = await startWooSimulator({ orders: 60, products: 6, timezone: 'UTC+2', seed: 3 });
			try {
				const o = berlin.store.orders[30];
				expect(o.date_modified).toBe(isoSeconds(gmtToMs(o.date_modified_gmt) + 2 * 3600_000));
				const gmtCount = berlin.store.orders.filter((x) => x.date_modified_gmt > o.date_modified_gmt).length;
				const localCount = berlin.store.orders.filter((x) => x.date_modified > o.date_modified_gmt).length;
				expect(localCount).toBeGreaterThan(gmtCount);
				const q = { modified_after: o.date_modified_gmt, per_page: 100 };
				expect((await call(berlin, 'GET', '/wc/v3/orders', { query: { ...q, dates_are_gmt: true } })).headers.get('x-wp-total')).toBe(String(gmtCount));
				// The same GMT value without dates_are_gmt is read as Berlin time: a two-hour wider window.
				expect((await call(berlin, 'GET', '/wc/v3/orders', { query: q })).headers.get('x-wp-total')).toBe(String(localCount));
			} finally {
				await berlin.close();
			}
		});
	});

	it('offset paging skips an order placed while it reads; modified_after then finds it', async () => {
		// Every write after the seeded data happens a day later, at a known second.
		const latest = Math.max(...sim.store.orders.map((o) => gmtToMs(o.date_modified_gmt)));
		await call(sim, 'POST', '/__sim/clock', { body: { now: new Date(latest + 86_400_000).toISOString() } });
		const seen: number[] = [];
		let watermark = '';
		for (let offset = 0; offset < 1000; offset += 100) {
			const res = await call(sim, 'GET', '/wc/v3/orders', { query: { per_page: 100, offset } });
			for (const o of res.body as Json[]) {
				seen.push(o.id);
				if (o.date_modified_gmt > watermark) watermark = o.date_modified_gmt;
			}
			if (offset === 0) {
				const placed = await call(sim, 'POST', '/__sim/orders', { body: {} });
				expect(placed.status).toBe(201);
			}
		}
		const added = Math.max(...sim.store.orders.map((o) => o.id));
		// The newest order went to the top: it is never read, and the last order of page 1 is read twice.
		expect(seen).toHaveLength(1000);
		expect(seen).not.toContain(added);
		expect(new Set(seen).size).toBe(999);
		// Reading by change time from the highest date_modified seen finds exactly what was missed.
		const since = await call(sim, 'GET', '/wc/v3/orders', { query: { modified_after: watermark, dates_are_gmt: true, orderby: 'modified', order: 'asc' } });
		expect((since.body as Json[]).map((o) => o.id)).toEqual([added]);
		expect(since.body[0]).toMatchObject({ created_via: 'checkout', status: 'processing' });
	});

	describe('orders and stock', () => {
		async function managedProduct(stock: number): Promise<Json> {
			const product = sim.store.products.find((p) => p.type === 'simple' && !p.virtual)!;
			const res = await call(sim, 'PUT', `/wc/v3/products/${product.id}`, { body: { manage_stock: true, stock_quantity: stock } });
			expect(res.status).toBe(200);
			return res.body;
		}
		const stockOf = async (id: number) => (await call(sim, 'GET', `/wc/v3/products/${id}`)).body.stock_quantity;

		it('set_paid marks the order paid and reduces stock exactly once', async () => {
			const product = await managedProduct(10);
			const created = await call(sim, 'POST', '/wc/v3/orders', {
				body: {
					set_paid: true, payment_method: 'bacs', billing: { first_name: 'Ada', last_name: 'Lovelace', country: 'GB', email: 'ada@example.com' },
					line_items: [{ product_id: product.id, quantity: 2 }], meta_data: [{ key: '_commerce_sync_source', value: 'etsy:1234' }],
				},
			});
			expect(created.status).toBe(201);
			expect(created.headers.get('location')).toBe(`${sim.url}/wp-json/wc/v3/orders/${created.body.id}`);
			expect(created.body).toMatchObject({ status: 'processing', created_via: 'rest-api', needs_payment: false });
			expect(created.body.date_paid_gmt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
			expect(created.body.meta_data).toEqual(expect.arrayContaining([expect.objectContaining({ key: '_commerce_sync_source', value: 'etsy:1234' })]));
			// Priced from the product; GB VAT at 20 %.
			const line = created.body.line_items[0];
			expect(line.subtotal).toBe((toCents(product.price) * 2 / 100).toFixed(2));
			expect(line.taxes[0].id).toBe(4);
			expect(created.body.tax_lines[0]).toMatchObject({ rate_id: 4, label: 'VAT', rate_percent: 20 });
			expect(await stockOf(product.id)).toBe(8);

			const id = created.body.id;
			await call(sim, 'PUT', `/wc/v3/orders/${id}`, { body: { status: 'completed' } });
			await call(sim, 'PUT', `/wc/v3/orders/${id}`, { body: { set_paid: true } });
			await call(sim, 'PUT', `/wc/v3/orders/${id}`, { body: { status: 'processing' } });
			expect(await stockOf(product.id)).toBe(8);
			const notes = (await call(sim, 'GET', `/wc/v3/orders/${id}/notes`)).body as Json[];
			expect(notes.filter((n) => n.note.startsWith('Stock levels reduced:'))).toHaveLength(1);

			// Cancelling gives the stock back (wc_maybe_increase_stock_levels).
			await call(sim, 'PUT', `/wc/v3/orders/${id}`, { body: { status: 'cancelled' } });
			expect(await stockOf(product.id)).toBe(10);
			// A pending order does not touch stock.
			const pending = await call(sim, 'POST', '/wc/v3/orders', { body: { line_items: [{ product_id: product.id, quantity: 3 }] } });
			expect(pending.body.status).toBe('pending');
			expect(await stockOf(product.id)).toBe(10);
		});

		it('reduces the parent\'s stock for a variation that inherits it, and finds lines by SKU', async () => {
			const parent = sim.store.products.find((p) => p.type === 'variable' && p.manage_stock)!;
			const variation = sim.store.variationsOf(parent.id).find((v) => !v.manage_stock && v.sku)!;
			const answered = (await call(sim, 'GET', `/wc/v3/products/${parent.id}/variations/${variation.id}`)).body;
			expect(answered).toMatchObject({ manage_stock: 'parent', stock_quantity: parent.stock_quantity });
			const before = parent.stock_quantity!;
			const res = await call(sim, 'POST', '/wc/v3/orders', { body: { status: 'processing', line_items: [{ sku: variation.sku, quantity: 1 }] } });
			expect(res.body.line_items[0]).toMatchObject({ product_id: parent.id, variation_id: variation.id, sku: variation.sku, parent_name: parent.name });
			expect((await call(sim, 'GET', `/wc/v3/products/${parent.id}`)).body.stock_quantity).toBe(before - 1);
		});

		it('creates a line without a product for an unknown SKU, as WooCommerce does', async () => {
			const res = await call(sim, 'POST', '/wc/v3/orders', { body: { line_items: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] } });
			expect(res.status).toBe(201);
			expect(res.body.line_items[0]).toMatchObject({ product_id: 0, sku: null, total: '0.00' });
			const missing = await call(sim, 'POST', '/wc/v3/orders', { body: { line_items: [{ quantity: 1 }] } });
			expect(missing.body).toEqual({ code: 'woocommerce_rest_required_product_reference', message: 'Product ID or SKU is required.', data: { status: 400 } });
		});

		it('answers unknown ids like WooCommerce: 404 to read, 400 to update', async () => {
			expect((await call(sim, 'GET', '/wc/v3/orders/999999')).body).toEqual({ code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
			expect((await call(sim, 'PUT', '/wc/v3/orders/999999', { body: {} })).status).toBe(400);
		});

		it('keeps notes without touching date_modified; any save moves it', async () => {
			await call(sim, 'POST', '/__sim/clock', { body: { now: '2030-01-01T00:00:00Z' } });
			const order = sim.store.orders[5];
			const before = order.date_modified_gmt;
			const note = await call(sim, 'POST', `/wc/v3/orders/${order.id}/notes`, { body: { note: 'Shipped with DHL', customer_note: true } });
			expect(note.status).toBe(201);
			expect(note.body).toMatchObject({ note: 'Shipped with DHL', customer_note: true, author: 'system', date_created_gmt: '2030-01-01T00:00:00' });
			expect((await call(sim, 'GET', `/wc/v3/orders/${order.id}`)).body.date_modified_gmt).toBe(before);
			expect((await call(sim, 'GET', `/wc/v3/orders/${order.id}/notes`)).body[0].note).toBe('Shipped with DHL');
			const saved = await call(sim, 'PUT', `/wc/v3/orders/${order.id}`, { body: {} });
			expect(saved.body.date_modified_gmt).toBe('2030-01-01T00:00:00');
			expect((await call(sim, 'POST', `/wc/v3/orders/${order.id}/notes`, { body: {} })).body.code).toBe('rest_missing_callback_param');
		});
	});

	describe('refunds', () => {
		/** A paid (processing) bacs order of `quantity` units of a product whose stock (10) is managed; GB VAT applies. */
		async function paidOrder(quantity: number): Promise<{ product: Json; order: Json; line: Json }> {
			const simple = sim.store.products.find((p) => p.type === 'simple' && !p.virtual && toCents(p.price) > 0)!;
			const product = (await call(sim, 'PUT', `/wc/v3/products/${simple.id}`, { body: { manage_stock: true, stock_quantity: 10 } })).body;
			const res = await call(sim, 'POST', '/wc/v3/orders', {
				body: {
					set_paid: true, payment_method: 'bacs', payment_method_title: 'Direct bank transfer',
					billing: { first_name: 'Ada', last_name: 'Lovelace', country: 'GB', email: 'ada@example.com' },
					line_items: [{ product_id: product.id, quantity }],
				},
			});
			expect(res.body).toMatchObject({ status: 'processing', payment_method: 'bacs' });
			expect(res.body.line_items[0].taxes).toHaveLength(1);
			return { product, order: res.body, line: res.body.line_items[0] };
		}
		const stockOf = async (id: number) => (await call(sim, 'GET', `/wc/v3/products/${id}`)).body.stock_quantity;
		const notesOf = async (id: number) => ((await call(sim, 'GET', `/wc/v3/orders/${id}/notes`)).body as Json[]).map((n) => n.note);
		/** The refund body for `units` of the order's only line, its tax shared pro rata. */
		const refundOf = (line: Json, units: number, taxCents: number) => ({
			id: line.id, quantity: units, refund_total: money((toCents(line.total) / line.quantity) * units),
			refund_tax: [{ id: line.taxes[0].id, refund_total: money(taxCents) }],
		});

		it('refunds 1 of 3 units with api_restock: stock +1 exactly, _reduced_stock 2, the order stays processing', async () => {
			const { product, order, line } = await paidOrder(3);
			expect(await stockOf(product.id)).toBe(7);
			const unitTax = Math.round(toCents(line.total_tax) / 3);
			const amount = money(toCents(line.total) / 3 + unitTax);
			const nextId = sim.store.seq.post + 1;
			const res = await call(sim, 'POST', `/wc/v3/orders/${order.id}/refunds`, {
				body: { amount, reason: 'Damaged in transit', api_refund: false, line_items: [refundOf(line, 1, unitTax)] },
			});
			expect(res.status).toBe(201);
			// A post id; WooCommerce builds the Location from its route pattern and leaves the order id pattern in.
			expect(res.body.id).toBe(nextId);
			expect(res.headers.get('location')).toBe(`${sim.url}/wp-json/wc/v3/orders/(?P<order_id>[\\d]+)/refunds/${nextId}`);
			// The create answer is in the edit context: refunded_payment (a view-only field) is left out.
			expect(res.body).toMatchObject({ amount, reason: 'Damaged in transit', refunded_by: 1, meta_data: [] });
			expect(res.body).not.toHaveProperty('refunded_payment');
			expect(await stockOf(product.id)).toBe(8);

			const after = (await call(sim, 'GET', `/wc/v3/orders/${order.id}`)).body;
			expect(after.status).toBe('processing');
			expect(after.refunds).toEqual([{ id: nextId, reason: 'Damaged in transit', total: `-${amount}` }]);
			expect(after.date_modified_gmt >= order.date_modified_gmt).toBe(true);
			const meta = Object.fromEntries((after.line_items[0].meta_data as Json[]).map((m) => [m.key, m.value]));
			expect(meta).toMatchObject({ _reduced_stock: '2', _restock_refunded_items: '1' });
			expect(await notesOf(order.id)).toContain(`Item #${product.id} stock increased from 7 to 8.`);
		});

		it('lists and reads refunds with negative quantities and totals, and _refunded_item_id', async () => {
			const { order, line } = await paidOrder(3);
			const unitTax = Math.round(toCents(line.total_tax) / 3);
			const created = await call(sim, 'POST', `/wc/v3/orders/${order.id}/refunds`, { body: { api_refund: false, line_items: [refundOf(line, 1, unitTax)] } });
			expect(created.status).toBe(201);
			// Without `amount`, WooCommerce adds up refund_total and refund_tax.
			expect(created.body.amount).toBe(money(toCents(line.total) / 3 + unitTax));

			const list = await call(sim, 'GET', `/wc/v3/orders/${order.id}/refunds`);
			expect(list.status).toBe(200);
			expect(list.headers.get('x-wp-total')).toBe('1');
			expect(list.headers.get('x-wp-totalpages')).toBe('1');
			const [refund] = list.body as Json[];
			expect(refund).toMatchObject({ id: created.body.id, amount: created.body.amount, reason: '', refunded_by: 1, refunded_payment: false });
			const unit = money(toCents(line.total) / 3);
			expect(refund.line_items).toHaveLength(1);
			const item = refund.line_items[0];
			expect(item).toMatchObject({
				name: line.name, product_id: line.product_id, variation_id: 0, quantity: -1, subtotal: `-${unit}`, total: `-${unit}`,
				total_tax: money(-unitTax), subtotal_tax: money(-unitTax), sku: line.sku, price: toCents(unit) / 100,
				taxes: [{ id: line.taxes[0].id, total: String(-unitTax / 100), subtotal: String(-unitTax / 100) }],
				meta_data: [expect.objectContaining({ key: '_refunded_item_id', value: String(line.id) })],
			});
			expect(item.id).not.toBe(line.id);
			// refund_total is a write-only request field: answers do not carry it.
			expect(item).not.toHaveProperty('refund_total');
			expect(refund.tax_lines).toEqual([expect.objectContaining({ rate_id: line.taxes[0].id, tax_total: money(-unitTax), shipping_tax_total: '0.00' })]);
			expect(refund._links.up[0].href).toBe(`${sim.url}/wp-json/wc/v3/orders/${order.id}`);

			const one = await call(sim, 'GET', `/wc/v3/orders/${order.id}/refunds/${refund.id}`);
			expect(one.body).toEqual(refund);
			const elsewhere = await call(sim, 'GET', `/wc/v3/orders/${sim.store.orders[0].id}/refunds/${refund.id}`);
			expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'woocommerce_rest_invalid_order_refund_id']);
			expect((await call(sim, 'GET', `/wc/v3/orders/${order.id}/refunds/999999`)).body.code).toBe('woocommerce_rest_shop_order_refund_invalid_id');
			expect((await call(sim, 'GET', `/wc/v3/orders/${order.id}/refunds`, { auth: 'none' })).status).toBe(401);
		});

		it('refunding the rest makes the order refunded', async () => {
			const { product, order, line } = await paidOrder(3);
			const unitTax = Math.round(toCents(line.total_tax) / 3);
			const first = await call(sim, 'POST', `/wc/v3/orders/${order.id}/refunds`, { body: { api_refund: false, line_items: [refundOf(line, 1, unitTax)] } });
			const rest = await call(sim, 'POST', `/wc/v3/orders/${order.id}/refunds`, {
				body: { api_refund: false, reason: 'Returned', line_items: [refundOf(line, 2, toCents(line.total_tax) - unitTax)] },
			});
			expect(rest.status).toBe(201);
			expect(toCents(first.body.amount) + toCents(rest.body.amount)).toBe(toCents(order.total));
			expect(await stockOf(product.id)).toBe(10);
			const after = (await call(sim, 'GET', `/wc/v3/orders/${order.id}`)).body;
			expect(after.status).toBe('refunded');
			// Newest first, totals negative.
			expect(after.refunds).toEqual([
				{ id: rest.body.id, reason: 'Returned', total: `-${rest.body.amount}` },
				{ id: first.body.id, reason: '', total: `-${first.body.amount}` },
			]);
			const notes = await notesOf(order.id);
			expect(notes).toContain('Order status changed from Processing to Refunded.');
			// Nothing was left for wc_order_fully_refunded to refund.
			expect(notes).not.toContain('Order status set to refunded. To return funds to the customer you will need to issue a refund through your payment gateway.');
			expect((await call(sim, 'GET', `/wc/v3/orders/${order.id}/refunds`)).body.map((r: Json) => r.line_items[0].quantity)).toEqual([-2, -1]);
		});

		it('refuses an over-refund, a gateway refund on an offline gateway, and a numeric amount', async () => {
			const { product, order } = await paidOrder(2);
			const posts = sim.store.seq.post;
			const over = await call(sim, 'POST', `/wc/v3/orders/${order.id}/refunds`, { body: { amount: money(toCents(order.total) + 1), api_refund: false } });
			expect(over.status).toBe(500);
			expect(over.body).toEqual({ code: 'woocommerce_rest_cannot_create_order_refund', message: 'Invalid refund amount.', data: { status: 500 } });
			expect(sim.store.seq.post).toBe(posts);
			// api_refund defaults to true: the bacs gateway cannot refund. The refund was saved, then deleted.
			const gateway = await call(sim, 'POST', `/wc/v3/orders/${order.id}/refunds`, { body: { amount: '1.00' } });
			expect(gateway.status).toBe(500);
			expect(gateway.body).toEqual({
				code: 'woocommerce_rest_cannot_create_order_refund', message: 'The payment gateway for this order does not support automatic refunds.', data: { status: 500 },
			});
			expect(sim.store.seq.post).toBe(posts + 1);
			const negative = await call(sim, 'POST', `/wc/v3/orders/${order.id}/refunds`, { body: { amount: '-1.00', api_refund: false } });
			expect([negative.status, negative.body.code]).toEqual([400, 'woocommerce_rest_invalid_order_refund']);
			const numeric = await call(sim, 'POST', `/wc/v3/orders/${order.id}/refunds`, { body: { amount: 1, api_refund: false } });
			expect(numeric.body.data.params).toEqual({ amount: 'amount is not of type string.' });
			expect((await call(sim, 'POST', '/wc/v3/orders/999999/refunds', { body: { amount: '1.00', api_refund: false } })).body.code).toBe('woocommerce_rest_invalid_order_id');
			const after = (await call(sim, 'GET', `/wc/v3/orders/${order.id}`)).body;
			expect([after.status, after.refunds]).toEqual(['processing', []]);
			expect((await call(sim, 'GET', `/wc/v3/orders/${order.id}/refunds`)).body).toEqual([]);
			expect(await stockOf(product.id)).toBe(8);
		});

		it('cancelling after a partial refund gives back only the units not restocked yet', async () => {
			const { product, order, line } = await paidOrder(3);
			const unitTax = Math.round(toCents(line.total_tax) / 3);
			await call(sim, 'POST', `/wc/v3/orders/${order.id}/refunds`, { body: { api_refund: false, line_items: [refundOf(line, 1, unitTax)] } });
			expect(await stockOf(product.id)).toBe(8);
			const cancelled = await call(sim, 'PUT', `/wc/v3/orders/${order.id}`, { body: { status: 'cancelled' } });
			expect(cancelled.body.status).toBe('cancelled');
			expect(await stockOf(product.id)).toBe(10);
			expect((await notesOf(order.id)).filter((n: string) => n.startsWith('Stock levels increased:'))).toEqual([expect.stringMatching(/ 8&rarr;10$/)]);
			const keys = (cancelled.body.line_items[0].meta_data as Json[]).map((m) => m.key);
			expect(keys).not.toContain('_reduced_stock');
			expect(keys).toContain('_restock_refunded_items');
		});

		it('refunds what is left when an order is set to refunded by hand (wc_order_fully_refunded)', async () => {
			const { product, order } = await paidOrder(2);
			const res = await call(sim, 'PUT', `/wc/v3/orders/${order.id}`, { body: { status: 'refunded' } });
			expect(res.body.status).toBe('refunded');
			expect(res.body.refunds).toEqual([{ id: expect.any(Number), reason: 'Order fully refunded.', total: `-${order.total}` }]);
			const [refund] = (await call(sim, 'GET', `/wc/v3/orders/${order.id}/refunds`)).body as Json[];
			expect(refund).toMatchObject({ amount: order.total, line_items: [], refunded_payment: false });
			expect(await notesOf(order.id)).toContain('Order status set to refunded. To return funds to the customer you will need to issue a refund through your payment gateway.');
			// No restock: the units stay sold.
			expect(await stockOf(product.id)).toBe(8);
		});

		it('serves the refunds of seeded refunded orders', async () => {
			const seeded = sim.store.orders.find((o) => o.status === 'refunded')!;
			const list = (await call(sim, 'GET', `/wc/v3/orders/${seeded.id}/refunds`)).body as Json[];
			expect(list.map((r) => [r.id, `-${r.amount}`])).toEqual(seeded.refunds.map((r) => [r.id, r.total]));
		});
	});

	describe('batches', () => {
		it('refuses more than 100 objects in one batch', async () => {
			const res = await call(sim, 'POST', '/wc/v3/orders/batch', { body: { create: Array.from({ length: 60 }, () => ({})), delete: Array.from({ length: 41 }, (_, i) => i + 1) } });
			expect(res.status).toBe(413);
			expect(res.body).toEqual({ code: 'woocommerce_rest_request_entity_too_large', message: 'Unable to accept more than 100 items for this request.', data: { status: 413 } });
		});

		it('reports each object\'s error inline and applies the rest', async () => {
			const product = sim.store.products.find((p) => p.type === 'simple')!;
			const target = sim.store.orders[10];
			const res = await call(sim, 'POST', '/wc/v3/orders/batch', {
				body: {
					create: [{ line_items: [{ product_id: product.id, quantity: 1 }] }, { line_items: [{ quantity: 1 }] }],
					update: [{ id: target.id, customer_note: 'batched' }, { id: 999999, status: 'completed' }],
					delete: [sim.store.orders[11].id],
				},
			});
			expect(res.status).toBe(200);
			expect(res.body.create[0]).toMatchObject({ status: 'pending' });
			expect(res.body.create[1]).toEqual({ id: 0, error: { code: 'woocommerce_rest_required_product_reference', message: 'Product ID or SKU is required.', data: { status: 400 } } });
			expect(res.body.update[0]).toMatchObject({ id: target.id, customer_note: 'batched' });
			expect(res.body.update[1]).toEqual({ id: 999999, error: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 400 } } });
			expect(res.body.delete[0].id).toBeDefined();
			expect(sim.store.order(res.body.delete[0].id)).toBeUndefined();
		});

		it('updates variations in a batch per parent product', async () => {
			const parent = sim.store.products.find((p) => p.type === 'variable' && !p.manage_stock && sim.store.variationsOf(p.id).some((v) => v.manage_stock))!;
			const v = sim.store.variationsOf(parent.id).find((x) => x.manage_stock)!;
			const res = await call(sim, 'POST', `/wc/v3/products/${parent.id}/variations/batch`, { body: { update: [{ id: v.id, stock_quantity: 0 }] } });
			expect(res.body.update[0]).toMatchObject({ id: v.id, stock_quantity: 0, stock_status: v.backorders === 'no' ? 'outofstock' : 'onbackorder' });
		});
	});

	describe('products', () => {
		it('finds exact SKUs, variations included, and refuses a price sent as a number', async () => {
			const simple = sim.store.products.find((p) => p.type === 'simple' && p.sku)!;
			const variation = sim.store.variations.find((v) => v.sku)!;
			const res = await call(sim, 'GET', '/wc/v3/products', { query: { sku: `${simple.sku},${variation.sku}` } });
			expect((res.body as Json[]).map((p) => p.id).sort()).toEqual([simple.id, variation.id].sort());
			expect((res.body as Json[]).find((p) => p.id === variation.id).type).toBe('variation');
			expect((await call(sim, 'GET', '/wc/v3/products', { query: { sku: simple.sku.slice(0, -1) } })).body).toEqual([]);
			const bad = await call(sim, 'PUT', `/wc/v3/products/${simple.id}`, { body: { regular_price: 12.5 } });
			expect(bad.body.data.params).toEqual({ regular_price: 'regular_price is not of type string.' });
		});

		it('ignores stock_quantity when stock is not managed', async () => {
			const unmanaged = sim.store.products.find((p) => p.type === 'simple' && !p.manage_stock)!;
			const res = await call(sim, 'PUT', `/wc/v3/products/${unmanaged.id}`, { body: { stock_quantity: 5 } });
			expect(res.status).toBe(200);
			expect(res.body).toMatchObject({ manage_stock: false, stock_quantity: null });
		});
	});

	describe('inventory: stock reads and batch writes', () => {
		/** Every page of a collection, 100 at a time. */
		async function all(path: string, query: Record<string, string | number | boolean> = {}): Promise<Json[]> {
			const out: Json[] = [];
			for (let page = 1; ; page++) {
				const res = await call(sim, 'GET', path, { query: { ...query, per_page: 100, page } });
				expect(res.status).toBe(200);
				out.push(...(res.body as Json[]));
				if (page >= Number(res.headers.get('x-wp-totalpages'))) return out;
			}
		}
		const byId = (a: number, b: number) => a - b;
		const external = () => sim.store.products.find((p) => p.type === 'external')!;
		const grouped = () => sim.store.products.find((p) => p.type === 'grouped')!;

		it('answers every product and variation with its stock fields, manage_stock "parent" included', async () => {
			const products = await all('/wc/v3/products', { status: 'any', orderby: 'id', order: 'asc' });
			expect(products.map((p) => p.id)).toEqual(sim.store.products.filter((p) => p.status !== 'trash').map((p) => p.id).sort(byId));
			for (const p of products) {
				expect(typeof p.manage_stock).toBe('boolean');
				expect(p.manage_stock ? Number.isInteger(p.stock_quantity) : p.stock_quantity === null).toBe(true);
				expect(['instock', 'outofstock', 'onbackorder']).toContain(p.stock_status);
				expect(['no', 'notify', 'yes']).toContain(p.backorders);
				expect(p.date_modified_gmt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
			}
			// The seed ends with one external and one grouped product: neither can be bought nor hold stock.
			const ext = products.find((p) => p.type === 'external');
			expect(ext).toMatchObject({ manage_stock: false, stock_quantity: null, stock_status: 'instock', backorders: 'no', purchasable: false, external_url: expect.stringMatching(/^https:\/\//) });
			const group = products.find((p) => p.type === 'grouped');
			expect(group).toMatchObject({ manage_stock: false, stock_quantity: null, purchasable: false, regular_price: '' });
			expect(group.grouped_products.length).toBeGreaterThan(0);
			expect(Math.max(ext.id, group.id)).toBe(Math.max(...products.map((p) => p.id)));
			expect((await call(sim, 'GET', '/wc/v3/products', { query: { type: 'external' } })).body.map((p: Json) => p.id)).toEqual([ext.id]);
			// Variations: their own stock (true), their parent's ("parent", with the parent's quantity), or none.
			const kinds = new Set<string>();
			for (const parent of products.filter((p) => p.type === 'variable')) {
				const variations = await all(`/wc/v3/products/${parent.id}/variations`, { orderby: 'id', order: 'asc' });
				expect(variations.map((v) => v.id)).toEqual([...parent.variations].sort(byId));
				for (const v of variations) {
					if (v.manage_stock === 'parent') {
						expect([parent.manage_stock, v.stock_quantity]).toEqual([true, parent.stock_quantity]);
						kinds.add('parent');
					} else if (v.manage_stock === true) {
						expect(Number.isInteger(v.stock_quantity)).toBe(true);
						kinds.add('own');
					} else {
						expect([v.manage_stock, v.stock_quantity, v.backorders]).toEqual([false, null, 'no']);
						kinds.add('none');
					}
				}
			}
			expect([...kinds].sort()).toEqual(['none', 'own', 'parent']);
			// A comma list of SKUs finds products and variations, each by its own SKU.
			const simple = sim.store.products.find((p) => p.type === 'simple' && p.sku)!;
			const variation = sim.store.variations.find((v) => v.sku && v.manage_stock)!;
			const found = await call(sim, 'GET', '/wc/v3/products', { query: { sku: [simple.sku, variation.sku, ext.sku, 'NO-SUCH-SKU'].join(','), status: 'any' } });
			expect((found.body as Json[]).map((p) => p.id).sort(byId)).toEqual([simple.id, variation.id, ext.id].sort(byId));
			expect((found.body as Json[]).find((p) => p.id === variation.id)).toMatchObject({ type: 'variation', manage_stock: true, stock_quantity: variation.stock_quantity });
		});

		it('modified_after finds exactly the products and variations whose stock changed after an instant', async () => {
			const { store } = sim;
			const stamps = [...store.orders, ...store.products, ...store.variations].map((r) => gmtToMs(r.date_modified_gmt));
			const t0 = Math.max(...stamps) + 86_400_000;
			await call(sim, 'POST', '/__sim/clock', { body: { now: new Date(t0).toISOString() } });
			const cursor = isoSeconds(t0);
			// Everything below happens one second after the cursor.
			await call(sim, 'POST', '/__sim/clock', { body: { advanceMs: 1000 } });

			const simples = store.products.filter((p) => p.type === 'simple' && p.status === 'publish' && p.manage_stock);
			const [written, sold] = simples;
			const unmanaged = store.products.find((p) => p.type === 'simple' && p.status === 'publish' && !p.manage_stock)!;
			const ownParent = store.products.find((p) => p.type === 'variable' && !p.manage_stock && store.variationsOf(p.id).some((v) => v.manage_stock))!;
			const own = store.variationsOf(ownParent.id).find((v) => v.manage_stock)!;
			const holder = store.products.find((p) => p.type === 'variable' && p.manage_stock)!;
			const inheriting = store.variationsOf(holder.id)[0];
			const before = { written: written.stock_quantity, sold: sold.stock_quantity!, own: own.stock_quantity!, holder: holder.stock_quantity! };

			// A stock write, and a paid order: stock reduced on the simple product, the variation and the parent
			// that holds its variations' stock; the unmanaged product's line changes nothing.
			const batch = await call(sim, 'POST', '/wc/v3/products/batch', { body: { update: [{ id: written.id, stock_quantity: 42 }] } });
			expect(batch.body.update[0]).toMatchObject({ id: written.id, stock_quantity: 42 });
			const order = await call(sim, 'POST', '/wc/v3/orders', {
				body: {
					set_paid: true,
					line_items: [
						{ product_id: sold.id, quantity: 2 }, { product_id: unmanaged.id, quantity: 1 },
						{ product_id: ownParent.id, variation_id: own.id, quantity: 1 }, { product_id: holder.id, variation_id: inheriting.id, quantity: 3 },
					],
				},
			});
			expect(order.body.status).toBe('processing');

			const changed = await all('/wc/v3/products', { modified_after: cursor, dates_are_gmt: true, status: 'any', orderby: 'id', order: 'asc' });
			expect(changed.map((p) => p.id)).toEqual([written.id, sold.id, ownParent.id, holder.id].sort(byId));
			const stock = Object.fromEntries(changed.map((p) => [p.id, p.stock_quantity]));
			expect([stock[written.id], stock[sold.id], stock[holder.id]]).toEqual([42, before.sold - 2, before.holder - 3]);
			for (const p of changed) expect(p.date_modified_gmt > cursor).toBe(true);
			// The complement, read the other way.
			const unchanged = await call(sim, 'GET', '/wc/v3/products', { query: { modified_before: isoSeconds(t0 + 1000), dates_are_gmt: true, per_page: 1 } });
			expect(Number(unchanged.headers.get('x-wp-total'))).toBe(store.products.length - 4);
			expect(store.product(unmanaged.id)!.date_modified_gmt < cursor).toBe(true);

			// The variation that holds its own stock was saved; its parent too (WC_Product_Variable::sync). A variation
			// that inherits its parent's stock was not saved: it is found through its parent, and answers its quantity.
			const ownChanged = await call(sim, 'GET', `/wc/v3/products/${ownParent.id}/variations`, { query: { modified_after: cursor, dates_are_gmt: true } });
			expect((ownChanged.body as Json[]).map((v) => [v.id, v.stock_quantity])).toEqual([[own.id, before.own - 1]]);
			const inherited = await call(sim, 'GET', `/wc/v3/products/${holder.id}/variations`, { query: { modified_after: cursor, dates_are_gmt: true } });
			expect(inherited.body).toEqual([]);
			const all3 = await call(sim, 'GET', `/wc/v3/products/${holder.id}/variations/${inheriting.id}`);
			expect(all3.body).toMatchObject({ manage_stock: 'parent', stock_quantity: before.holder - 3 });
			expect(all3.body.date_modified_gmt < cursor).toBe(true);

			// A refund that restocks moves the product again; nothing else.
			const cursor2 = isoSeconds(store.now());
			await call(sim, 'POST', '/__sim/clock', { body: { advanceMs: 1000 } });
			const line = (order.body.line_items as Json[]).find((l) => l.product_id === sold.id)!;
			const refund = await call(sim, 'POST', `/wc/v3/orders/${order.body.id}/refunds`, {
				body: { api_refund: false, line_items: [{ id: line.id, quantity: 1, refund_total: money(toCents(line.total) / 2) }] },
			});
			expect(refund.status).toBe(201);
			const restocked = await all('/wc/v3/products', { modified_after: cursor2, dates_are_gmt: true, status: 'any' });
			expect(restocked.map((p) => [p.id, p.stock_quantity])).toEqual([[sold.id, before.sold - 1]]);
			// Cancelling gives back the rest: the simple product, the variation (and so its parent), the stock-holding parent.
			const cursor3 = isoSeconds(store.now());
			await call(sim, 'POST', '/__sim/clock', { body: { advanceMs: 1000 } });
			await call(sim, 'PUT', `/wc/v3/orders/${order.body.id}`, { body: { status: 'cancelled' } });
			const given = await all('/wc/v3/products', { modified_after: cursor3, dates_are_gmt: true, status: 'any', orderby: 'modified', order: 'asc' });
			expect(given.map((p) => p.id).sort(byId)).toEqual([sold.id, ownParent.id, holder.id].sort(byId));
			expect(Object.fromEntries(given.map((p) => [p.id, p.stock_quantity]))).toMatchObject({ [sold.id]: before.sold, [holder.id]: before.holder });
		});

		it('applies the good items of a batch and answers an unknown id and an external product inline', async () => {
			const good = sim.store.products.find((p) => p.type === 'simple' && p.manage_stock && p.status === 'publish')!;
			const ext = external();
			const group = grouped();
			const extBefore = structuredClone(ext);
			const latest = Math.max(...[...sim.store.products, ...sim.store.orders].map((r) => gmtToMs(r.date_modified_gmt)));
			await call(sim, 'POST', '/__sim/clock', { body: { now: new Date(latest + 86_400_000).toISOString() } });
			const res = await call(sim, 'POST', '/wc/v3/products/batch', {
				body: {
					update: [
						{ id: good.id, manage_stock: true, stock_quantity: 7 },
						{ id: 999999, manage_stock: true, stock_quantity: 7 },
						{ id: ext.id, manage_stock: true, stock_quantity: 7 },
						{ id: ext.id, backorders: 'notify' },
						{ id: group.id, manage_stock: true, stock_quantity: 7, stock_status: 'outofstock' },
						{ id: sim.store.variations[0].id, stock_quantity: 7 },
					],
				},
			});
			expect(res.status).toBe(200);
			const [ok, unknown, extStock, extBackorders, groupAnswer, variation] = res.body.update as Json[];
			expect(ok).toMatchObject({ id: good.id, type: 'simple', manage_stock: true, stock_quantity: 7, stock_status: 'instock' });
			expect(unknown).toEqual({ id: 999999, error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 400 } } });
			expect(extStock).toEqual({ id: ext.id, error: { code: 'product_external_invalid_manage_stock', message: 'External products cannot be stock managed.', data: { status: 400 } } });
			expect(extBackorders).toEqual({ id: ext.id, error: { code: 'product_external_invalid_backorders', message: 'External products cannot be backordered.', data: { status: 400 } } });
			// A grouped product does not refuse: the REST controller switches stock management off again (200, no quantity).
			expect(groupAnswer).toMatchObject({ id: group.id, type: 'grouped', manage_stock: false, stock_quantity: null, stock_status: 'outofstock' });
			expect(variation).toEqual({
				id: sim.store.variations[0].id,
				error: { code: 'woocommerce_rest_invalid_product_id', message: 'To manipulate product variations you should use the /products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.', data: { status: 404 } },
			});
			expect(sim.store.product(good.id)!.stock_quantity).toBe(7);
			// The refused external product was not saved at all; the grouped one was (date_modified moved).
			expect(sim.store.product(ext.id)).toEqual(extBefore);
			expect(sim.store.product(group.id)!.date_modified_gmt).toBe(isoSeconds(latest + 86_400_000));
			// An external product takes manage_stock false (and ignores a quantity) without an error.
			const quiet = await call(sim, 'PUT', `/wc/v3/products/${ext.id}`, { body: { manage_stock: false, stock_quantity: 3, stock_status: 'outofstock' } });
			expect(quiet.status).toBe(200);
			expect(quiet.body).toMatchObject({ manage_stock: false, stock_quantity: null, stock_status: 'instock' });
			// Variations: an unknown id inline, the others applied.
			const parent = sim.store.products.find((p) => p.type === 'variable' && !p.manage_stock && sim.store.variationsOf(p.id).some((v) => v.manage_stock))!;
			const v = sim.store.variationsOf(parent.id).find((x) => x.manage_stock)!;
			const vres = await call(sim, 'POST', `/wc/v3/products/${parent.id}/variations/batch`, { body: { update: [{ id: 999999, stock_quantity: 1 }, { id: v.id, manage_stock: true, stock_quantity: 11 }] } });
			expect(vres.body.update[0]).toEqual({ id: 999999, error: { code: 'woocommerce_rest_product_variation_invalid_id', message: 'Invalid ID.', data: { status: 400 } } });
			expect(vres.body.update[1]).toMatchObject({ id: v.id, manage_stock: true, stock_quantity: 11 });
		});

		it('takes at most 100 objects per batch (woocommerce_rest_batch_items_limit) and applies none of a larger one', async () => {
			const targets = sim.store.products.filter((p) => p.type === 'simple' && p.manage_stock).slice(0, 5);
			const before = targets.map((p) => p.stock_quantity);
			const update = Array.from({ length: 101 }, (_, i) => ({ id: targets[i % targets.length].id, stock_quantity: 1000 + i }));
			for (const path of ['/wc/v3/products/batch', `/wc/v3/products/${sim.store.products.find((p) => p.type === 'variable')!.id}/variations/batch`]) {
				const res = await call(sim, 'POST', path, { body: { update } });
				expect(res.status).toBe(413);
				expect(res.body).toEqual({ code: 'woocommerce_rest_request_entity_too_large', message: 'Unable to accept more than 100 items for this request.', data: { status: 413 } });
			}
			expect(targets.map((p) => p.stock_quantity)).toEqual(before);
			const hundred = await call(sim, 'POST', '/wc/v3/products/batch', { body: { update: update.slice(0, 100) } });
			expect(hundred.status).toBe(200);
			expect(hundred.body.update).toHaveLength(100);
			expect(targets.map((p) => p.stock_quantity)).toEqual(targets.map((_, i) => 1000 + 95 + i));
		});
	});

	describe('Shipment Tracking extension', () => {
		it('adds, lists and deletes trackings', async () => {
			const order = sim.store.orders.find((o) => o.status === 'processing' && o.shipping.country === 'US')!;
			const base = `/wc-shipment-tracking/v3/orders/${order.id}/shipment-trackings`;
			const added = await call(sim, 'POST', base, { body: { tracking_provider: 'USPS', tracking_number: '9400111899223100001234', date_shipped: '2025-02-01' } });
			expect(added.status).toBe(201);
			expect(added.body).toMatchObject({
				tracking_provider: 'USPS', tracking_number: '9400111899223100001234', date_shipped: '2025-02-01',
				tracking_link: 'https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=9400111899223100001234',
			});
			expect(added.body.tracking_id).toMatch(/^[0-9a-f]{32}$/);
			const custom = await call(sim, 'POST', base, { body: { custom_tracking_provider: 'Local Courier', custom_tracking_link: 'https://courier.example/t/42', tracking_number: '42' } });
			expect(custom.body).toMatchObject({ tracking_provider: 'Local Courier', tracking_link: 'https://courier.example/t/42' });
			expect((await call(sim, 'GET', base)).body).toHaveLength(2);
			const meta = (await call(sim, 'GET', `/wc/v3/orders/${order.id}`)).body.meta_data.find((m: Json) => m.key === '_wc_shipment_tracking_items');
			expect(meta.value[0]).toMatchObject({ tracking_provider: 'usps', tracking_number: '9400111899223100001234' });
			expect((await call(sim, 'DELETE', `${base}/${added.body.tracking_id}`)).status).toBe(200);
			expect((await call(sim, 'GET', base)).body).toHaveLength(1);
			expect((await call(sim, 'POST', base, { body: { tracking_provider: 'UPS' } })).body.code).toBe('rest_missing_callback_param');
			expect((await call(sim, 'GET', '/wc-shipment-tracking/v3/orders/999999/shipment-trackings')).body.code).toBe('woocommerce_rest_order_invalid_id');
			const providers = await call(sim, 'GET', `${base}/providers`, { auth: 'none' });
			expect(Object.keys(providers.body['United States'])).toContain('USPS');
		});

		it('has no routes when the extension is not installed', async () => {
			const bare = await startWooSimulator({ orders: 5, products: 4, shipmentTracking: false });
			try {
				const id = bare.store.orders[0].id;
				for (const [method, path] of [['GET', `/orders/${id}/shipment-trackings`], ['POST', `/orders/${id}/shipment-trackings`], ['GET', '/shipment-trackings/providers']]) {
					const res = await call(bare, method, `/wc-shipment-tracking/v3${path}`, { body: method === 'POST' ? { tracking_number: '1' } : undefined });
					expect(res.status).toBe(404);
					expect(res.body).toEqual({ code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
				}
				expect(bare.store.orders.some((o) => o.meta_data.some((m) => m.key === '_wc_shipment_tracking_items'))).toBe(false);
			} finally {
				await bare.close();
			}
		});
	});

	describe('seeded store', () => {
		it('orders reconcile to the cent and carry every field the client maps', () => {
			const statuses = new Set<string>();
			const features = { shippingTax: 0, coupons: 0, fees: 0, multiLine: 0, noSku: 0, variations: 0, refunds: 0, twoRates: 0 };
			for (const o of sim.store.orders) {
				statuses.add(o.status);
				for (const f of ['total', 'total_tax', 'cart_tax', 'shipping_total', 'shipping_tax', 'discount_total', 'discount_tax'] as const) {
					expect(o[f]).toMatch(/^\d+\.\d{2}$/);
				}
				for (const f of ['date_created', 'date_created_gmt', 'date_modified', 'date_modified_gmt'] as const) expect(o[f]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
				const sum = (xs: Array<{ total: string }>) => xs.reduce((a, x) => a + toCents(x.total), 0);
				const lineTax = o.line_items.reduce((a, l) => a + toCents(l.total_tax), 0) + o.fee_lines.reduce((a, f) => a + toCents(f.total_tax), 0);
				expect(toCents(o.total)).toBe(sum(o.line_items) + sum(o.fee_lines) + toCents(o.shipping_total) + toCents(o.total_tax));
				expect(toCents(o.total_tax)).toBe(toCents(o.cart_tax) + toCents(o.shipping_tax));
				expect(toCents(o.cart_tax)).toBe(lineTax);
				expect(o.tax_lines.reduce((a, t) => a + toCents(t.tax_total), 0)).toBe(toCents(o.cart_tax));
				expect(o.tax_lines.reduce((a, t) => a + toCents(t.shipping_tax_total), 0)).toBe(toCents(o.shipping_tax));
				expect(toCents(o.discount_total)).toBe(o.line_items.reduce((a, l) => a + toCents(l.subtotal) - toCents(l.total), 0));
				expect(o.coupon_lines.reduce((a, c) => a + toCents(c.discount), 0)).toBe(toCents(o.discount_total));
				for (const l of o.line_items) expect(toCents(l.total_tax)).toBe(l.taxes.reduce((a, t) => a + toCents(t.total), 0));
				if (toCents(o.shipping_tax) > 0) features.shippingTax++;
				if (o.coupon_lines.length) features.coupons++;
				if (o.fee_lines.length) features.fees++;
				if (o.line_items.length > 1) features.multiLine++;
				if (o.line_items.some((l) => !l.sku)) features.noSku++;
				if (o.line_items.some((l) => l.variation_id)) features.variations++;
				if (o.refunds.length) features.refunds++;
				if (o.tax_lines.length > 1) features.twoRates++;
				if (o.date_paid_gmt) expect(o.date_paid_gmt <= o.date_modified_gmt).toBe(true);

				const model = wooOrderToModel(o as unknown as WooOrder, sim.siteUrl);
				expect(model.problems.filter((p) => p.includes('total'))).toEqual([]);
				expect(model.totals.total).toBe(toCents(o.total));
			}
			expect([...statuses].sort()).toEqual(['cancelled', 'completed', 'failed', 'on-hold', 'pending', 'processing', 'refunded']);
			for (const [feature, count] of Object.entries(features)) expect([feature, count > 0]).toEqual([feature, true]);
			// About a fifth of the orders share their date_modified with the previous one.
			const equal = sim.store.orders.filter((o, i) => i > 0 && o.date_modified_gmt === sim.store.orders[i - 1].date_modified_gmt).length;
			expect(equal).toBeGreaterThan(150);
			expect(equal).toBeLessThan(260);
		});

		it('is deterministic for a seed', () => {
			const options = {
				siteUrl: 'https://shop.example', seed: 42, products: 30, variationsPerProduct: 4, orders: 400, start: '2025-03-01T00:00:00Z',
				orderSpacingMs: 60_000, equalTimestampShare: 0.2, shipmentTracking: true, currency: 'EUR', timezone: 'Europe/Berlin',
			};
			const digest = (s: WooStore) => createHash('sha256').update(JSON.stringify(s.toJSON())).digest('hex');
			expect(digest(new WooStore(options, seedStore))).toBe(digest(new WooStore(options, seedStore)));
			expect(digest(new WooStore({ ...options, seed: 43 }, seedStore))).not.toBe(digest(new WooStore(options, seedStore)));
		});

		it('generates 50,000 orders in seconds (measured in plain Node: jest slows every global lookup)', async () => {
			const script = [
				"const { WooStore } = require('./test/simulators/woocommerce/store');",
				"const { seedStore } = require('./test/simulators/woocommerce/seed');",
				'const t = Date.now();',
				"const s = new WooStore({ siteUrl: 'http://x', seed: 9, products: 60, variationsPerProduct: 4, orders: 50000, start: '2025-01-06T08:00:00Z', orderSpacingMs: 300000, equalTimestampShare: 0.2, shipmentTracking: true, currency: 'USD', timezone: 'UTC' }, seedStore);",
				'process.stdout.write(JSON.stringify({ ms: Date.now() - t, orders: s.orders.length }));',
			].join('\n');
			// Asynchronously: blocking the event loop for seconds would stall the simulator's own sockets.
			const { stdout } = await promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
				cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' },
			});
			const { ms, orders } = JSON.parse(stdout) as { ms: number; orders: number };
			expect(orders).toBe(50_000);
			expect(ms).toBeLessThan(10_000); // about 2-3 s on a small 2-core VM
		}, 30_000);

		it('starts with 25,000 products, about 50,000 SKUs in simple products and variations, and pages them all', async () => {
			const big = await startWooSimulator({ products: 25_000, orders: 0, seed: 11 });
			try {
				const { store } = big;
				const simple = store.products.filter((p) => p.type === 'simple');
				const variable = store.products.filter((p) => p.type === 'variable');
				expect(store.products).toHaveLength(25_002);
				expect(store.products.slice(-2).map((p) => p.type)).toEqual(['external', 'grouped']);
				expect(simple.length + store.variations.length).toBeGreaterThanOrEqual(49_000);
				const own = [...store.products, ...store.variations].map((r) => r.sku).filter(Boolean);
				expect(new Set(own).size).toBe(own.length);
				const ids = [...store.products, ...store.variations].map((r) => r.id);
				expect(new Set(ids).size).toBe(ids.length);
				for (const p of variable) {
					expect(p.variations.length).toBeGreaterThanOrEqual(1);
					expect(store.variationsOf(p.id).every((v) => v.parent_id === p.id)).toBe(true);
				}
				expect(variable.reduce((n, p) => n + p.variations.length, 0)).toBe(store.variations.length);

				// Every product, 100 at a time, by id: each once, in order, with the paging headers.
				const seen: number[] = [];
				for (let page = 1; ; page++) {
					const res = await call(big, 'GET', '/wc/v3/products', { query: { per_page: 100, page, orderby: 'id', order: 'asc', status: 'any' } });
					expect([res.status, res.headers.get('x-wp-total'), res.headers.get('x-wp-totalpages')]).toEqual([200, '25002', '251']);
					seen.push(...(res.body as Json[]).map((p) => p.id));
					if (page === 251) break;
				}
				expect(seen).toEqual(store.products.map((p) => p.id));
				// Variations of the first and last variable products, and SKU look-ups at both ends of the catalogue.
				for (const p of [variable[0], variable[variable.length - 1]]) {
					const res = await call(big, 'GET', `/wc/v3/products/${p.id}/variations`, { query: { per_page: 100, orderby: 'id', order: 'asc' } });
					expect((res.body as Json[]).map((v) => [v.id, v.stock_quantity])).toEqual(store.variationsOf(p.id).map((v) => [v.id, v.manage_stock ? v.stock_quantity : p.manage_stock ? p.stock_quantity : null]));
				}
				const wanted = [simple[0], simple[simple.length - 1], store.variations[store.variations.length - 1]].filter((r) => r.sku);
				const bySku = await call(big, 'GET', '/wc/v3/products', { query: { sku: wanted.map((r) => r.sku).join(','), status: 'any' } });
				expect((bySku.body as Json[]).map((p) => p.id).sort((a, b) => a - b)).toEqual(wanted.map((r) => r.id).sort((a, b) => a - b));
			} finally {
				await big.close();
			}
		}, 120_000);

		it('keeps line and order shapes like WooCommerce\'s own examples', async () => {
			const order: WooOrderRecord = sim.store.orders.find((o) => o.line_items.some((l) => l.variation_id))!;
			const answered = (await call(sim, 'GET', `/wc/v3/orders/${order.id}`)).body;
			const example = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'examples', 'woocommerce-order.json'), 'utf8'));
			const keys = (o: object) => Object.keys(o);
			// Every field of the official example is present (newer fields may follow).
			expect(keys(answered)).toEqual(expect.arrayContaining(keys(example)));
			expect(Object.keys(answered.line_items[0])).toEqual(expect.arrayContaining(Object.keys(example.line_items[0])));
			const variationLine = answered.line_items.find((l: Json) => l.variation_id);
			expect(variationLine.meta_data.some((m: Json) => m.display_key && m.display_value)).toBe(true);
		});
	});
});
