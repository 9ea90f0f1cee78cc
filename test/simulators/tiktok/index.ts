/**
 * A TikTok Shop Open API simulator for tests and benchmarks, on the shared simulator base (fault
 * injection, request log, /__sim/*):
 *  - every API request signed exactly as TikTok documents it (HMAC-SHA256 with the app secret over
 *    app_secret + path + sorted key+value of the query but `sign` and `access_token` + body + app_secret),
 *    a wrong `sign` refused with 106001, a `timestamp` off by more than `timestampWindowSeconds` with 106002;
 *  - the `x-tts-access-token` header: unknown → 105001, expired (after `tokenLifetimeSeconds`, or
 *    /__sim/expire-tokens) → 105002, both HTTP 401; GET /api/v2/token/refresh renews it from the
 *    refresh token (the host is auth.tiktok-shops.com in production, this server here);
 *  - a per-second request limit answered with HTTP 429 and code 36009004;
 *  - every answer in the `{ code, message, request_id, data }` envelope; every request checked against
 *    the doc records (spec.ts);
 *  - order search (update/create time filters, sort, page_size ≤ 100, opaque page tokens that are
 *    offsets, so a client that follows them while orders change can skip one), order detail (ids ≤ 50),
 *    inventory search and update (all warehouses of a SKU required, per-SKU errors in `data.errors`),
 *    ship package (self shipment: tracking number and provider; once: a second ship is refused), and the
 *    buyer notices shipping sends.
 * Inspection routes besides the shared ones: GET /__sim/state, POST /__sim/expire-tokens,
 * POST /__sim/clock {"now": ISO | null}.
 */
import { randomBytes } from 'node:crypto';
import { setClockRoute } from '../common/clock';
import { startSimulator } from '../common/server';
import type { SimRequest, SimResponse, Simulator } from '../common/server';
import { tiktokSign } from '../../../platforms/tiktok/sign';
import { INVALID_PARAM, TikTokError, TikTokSpec } from './spec';
import { PROVIDERS, TikTokStore, WAREHOUSE } from './store';
import type { SimOrder } from './store';

export { TikTokStore, PROVIDERS, WAREHOUSE, SECOND_WAREHOUSE } from './store';
export type { SimOrder, SimProduct, SimSku, SimLineItem } from './store';
export { TikTokError, TikTokSpec } from './spec';

export interface TikTokSimOptions {
	port?: number;
	seed?: number;
	products?: number;
	orders?: number;
	currency?: string;
	/** First seeded order, ISO. */
	start?: string;
	spacingSeconds?: number;
	appKey?: string;
	appSecret?: string;
	shopCipher?: string;
	tokenLifetimeSeconds?: number;
	timestampWindowSeconds?: number;
	perSecond?: number;
	now?: () => number;
}

export interface TikTokSimulator extends Simulator {
	store: TikTokStore;
	baseUrl: string;
	appKey: string;
	appSecret: string;
	shopCipher: string;
	/** A valid access token (the authorization done). */
	issueToken(): string;
	/** A fresh access and refresh token pair. */
	issueTokens(): { access_token: string; refresh_token: string };
	expireTokens(): void;
	/** "UPS=…, USPS=…" for the credential. */
	providerMapping: string;
	options: { tokenLifetimeSeconds: number; timestampWindowSeconds: number; perSecond: number };
}

const DEFAULTS = {
	seed: 1, products: 15, orders: 60, currency: 'USD', start: '2026-01-05T09:00:00Z', spacingSeconds: 1800,
	appKey: '6simappkey01', appSecret: 'simappsecret0123456789abcdef', shopCipher: 'ROW_SimShopCipher01',
	tokenLifetimeSeconds: 7 * 86_400, timestampWindowSeconds: 300, perSecond: 50,
};

const ok = (data: unknown): SimResponse => ({ status: 200, body: { code: 0, message: 'Success', request_id: requestId(), data } });
const requestId = () => `2026${randomBytes(13).toString('hex').toUpperCase()}`;

function orderAnswer(order: SimOrder): Record<string, unknown> {
	return JSON.parse(JSON.stringify(order)) as Record<string, unknown>;
}

export async function startTikTokSimulator(options: TikTokSimOptions = {}): Promise<TikTokSimulator> {
	const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & TikTokSimOptions;
	const spec = new TikTokSpec();
	const store = new TikTokStore({ seed: o.seed, products: o.products, orders: o.orders, currency: o.currency, start: Math.floor(Date.parse(o.start) / 1000), spacing: o.spacingSeconds, now: o.now });
	const limits = { tokenLifetimeSeconds: o.tokenLifetimeSeconds, timestampWindowSeconds: o.timestampWindowSeconds, perSecond: o.perSecond };
	const recent: number[] = [];

	function checkSignature(req: SimRequest): void {
		const q = req.query;
		if (q.get('app_key') !== o.appKey) throw new TikTokError(401, 106003, 'Invalid credentials. The \'app_key\' query parameter is invalid.');
		const timestamp = Number(q.get('timestamp'));
		if (!Number.isInteger(timestamp) || Math.abs(store.nowSeconds() - timestamp) > limits.timestampWindowSeconds) {
			throw new TikTokError(401, 106002, 'Invalid credentials. The \'timestamp\' query parameter is invalid or expired.');
		}
		const params: Record<string, string> = {};
		for (const key of new Set(q.keys())) params[key] = q.get(key) ?? '';
		const expected = tiktokSign(o.appSecret, req.path, params, req.rawBody);
		if (q.get('sign') !== expected) throw new TikTokError(401, 106001, 'Invalid credentials. The \'sign\' query parameter is invalid.');
	}

	function checkToken(req: SimRequest): void {
		const token = store.tokens.get(req.headers['x-tts-access-token'] ?? '');
		if (!token) throw new TikTokError(401, 105001, 'Invalid credentials. The access token is invalid.');
		if (token.expiresAt <= store.nowSeconds()) throw new TikTokError(401, 105002, 'Expired credentials. The access token has expired.');
	}

	function throttle(): void {
		const now = Date.now();
		while (recent.length > 0 && recent[0] <= now - 1000) recent.shift();
		if (recent.length >= limits.perSecond) throw new TikTokError(429, 36009004, 'Too many requests. Please retry later.', { 'retry-after': '1' });
		recent.push(now);
	}

	function refresh(req: SimRequest): SimResponse {
		const q = req.query;
		if (q.get('app_key') !== o.appKey || q.get('app_secret') !== o.appSecret) return { status: 200, body: { code: 36004004, message: 'invalid app_key or app_secret', request_id: requestId(), data: null } };
		if (q.get('grant_type') !== 'refresh_token') return { status: 200, body: { code: INVALID_PARAM, message: 'grant_type must be refresh_token', request_id: requestId(), data: null } };
		if (!store.refreshTokens.has(q.get('refresh_token') ?? '')) return { status: 200, body: { code: 36004004, message: 'invalid refresh_token', request_id: requestId(), data: null } };
		const tokens = store.issueToken(limits.tokenLifetimeSeconds);
		return ok({ ...tokens, open_id: 'sim-open-id', seller_name: 'Sim Shop', seller_base_region: 'US', user_type: 0, granted_scopes: ['seller.order.info', 'seller.product.write', 'seller.fulfillment.basic'] });
	}

	function searchOrders(query: Record<string, unknown>, body: Record<string, unknown>): SimResponse {
		const size = query.page_size as number;
		if (size < 1 || size > 100) throw new TikTokError(400, INVALID_PARAM, 'Invalid parameter: \'page_size\' must be within [1, 100]');
		const field = (query.sort_field as string | undefined) ?? 'create_time';
		if (field !== 'create_time' && field !== 'update_time') throw new TikTokError(400, INVALID_PARAM, `Invalid parameter: 'sort_field' must be create_time or update_time, got '${field}'`);
		const order = (query.sort_order as string | undefined) ?? 'DESC';
		if (order !== 'ASC' && order !== 'DESC') throw new TikTokError(400, INVALID_PARAM, `Invalid parameter: 'sort_order' must be ASC or DESC, got '${order}'`);
		const within = (value: number, ge: unknown, lt: unknown) => (ge === undefined || value >= (ge as number)) && (lt === undefined || value < (lt as number));
		const list = store.orders.filter((x) => within(x.create_time, body.create_time_ge, body.create_time_lt) && within(x.update_time, body.update_time_ge, body.update_time_lt)
			&& (body.order_status === undefined || x.status === body.order_status) && (body.shipping_type === undefined || x.shipping_type === body.shipping_type)
			&& (body.buyer_user_id === undefined || x.user_id === body.buyer_user_id))
			.sort((a, b) => ((a[field] - b[field]) || a.id.localeCompare(b.id)) * (order === 'ASC' ? 1 : -1));
		let offset = 0;
		if (query.page_token !== undefined) {
			const decoded = /^o:(\d+)$/.exec(Buffer.from(String(query.page_token), 'base64').toString('utf8'));
			if (!decoded) throw new TikTokError(400, INVALID_PARAM, 'Invalid parameter: \'page_token\' is invalid');
			offset = Number(decoded[1]);
		}
		const page = list.slice(offset, offset + size);
		const next = offset + size < list.length ? Buffer.from(`o:${offset + size}`).toString('base64') : '';
		return ok({ next_page_token: next, total_count: list.length, orders: page.map(orderAnswer) });
	}

	function orderDetail(query: Record<string, unknown>): SimResponse {
		const ids = query.ids as string[];
		const orders = ids.map((id) => store.order(id));
		if (orders.some((x) => x === undefined)) throw new TikTokError(200, 21008111, 'The order or package does not belong to the current seller.');
		return ok({ orders: (orders as SimOrder[]).map(orderAnswer) });
	}

	function inventorySearch(body: { product_ids?: string[]; sku_ids?: string[] }): SimResponse {
		const skuIds = body.sku_ids && body.sku_ids.length > 0 ? new Set(body.sku_ids) : undefined;
		const productIds = !skuIds && body.product_ids && body.product_ids.length > 0 ? new Set(body.product_ids) : undefined;
		const inventory = store.products
			.filter((p) => !productIds || productIds.has(p.product_id))
			.map((p) => ({
				product_id: p.product_id,
				skus: p.skus.filter((s) => !skuIds || skuIds.has(s.id)).map((s) => {
					const warehouses = [...s.stock.entries()].map(([warehouse_id, quantity]) => ({ warehouse_id, available_quantity: quantity, committed_quantity: 0 }));
					const total = warehouses.reduce((sum, w) => sum + w.available_quantity, 0);
					return { id: s.id, seller_sku: s.seller_sku, total_available_quantity: total, total_committed_quantity: 0, warehouse_inventory: warehouses };
				}),
			}))
			.filter((p) => p.skus.length > 0);
		return ok({ inventory });
	}

	function inventoryUpdate(productId: string, body: { skus: Array<{ id: string; inventory: Array<{ warehouse_id?: string; quantity: number }> }> }): SimResponse {
		const product = store.products.find((p) => p.product_id === productId);
		if (!product) throw new TikTokError(200, 12052032, 'The product does not exist');
		if (product.status !== 'ACTIVATE') throw new TikTokError(200, 12052048, 'You cannot edit the specified product(s) as it isn\'t listed in your account or shop. ');
		if (body.skus.length > 100) throw new TikTokError(200, 12052050, 'A single product cannot have more than 100 different SKUs');
		const errors: unknown[] = [];
		for (const entry of body.skus) {
			const sku = product.skus.find((s) => s.id === entry.id);
			if (!sku) throw new TikTokError(200, 12052031, 'Invalid product ID(s) found');
			const warehouses = [...sku.stock.keys()];
			const given = entry.inventory.map((i) => i.warehouse_id ?? (warehouses.length === 1 ? warehouses[0] : ''));
			if (given.some((w) => !w) || warehouses.some((w) => !given.includes(w))) throw new TikTokError(200, 12019028, 'Multiple warehouses detected. Include all warehouse IDs and the corresponding details and try again.');
			const unknown = given.find((w) => !sku.stock.has(w));
			// The record says [1, 99,999]; 0 (sold out) is accepted here as Seller Center accepts it.
			const outOfRange = entry.inventory.find((i) => i.quantity < 0 || i.quantity > 99_999);
			if (unknown || outOfRange) {
				errors.push({ code: 12052990, message: 'Check failed', detail: { sku_id: sku.id, extra_errors: [unknown ? { warehouse_id: unknown, code: 12052097, message: 'The warehouse does not exist' } : { warehouse_id: outOfRange?.warehouse_id ?? WAREHOUSE, code: 12052055, message: 'The SKU inventory quantity for the warehouse must be within allowed limits.' }] } });
				continue;
			}
			entry.inventory.forEach((i, k) => sku.stock.set(given[k], i.quantity));
		}
		product.update_time = store.nowSeconds();
		return ok({ errors });
	}

	function ship(packageId: string, body: { handover_method?: string; self_shipment?: { tracking_number: string; shipping_provider_id: string } }): SimResponse {
		const order = store.orders.find((x) => x.packages.some((p) => p.id === packageId));
		if (!order) throw new TikTokError(200, 21011028, 'The package does not belong to the current shop.   ');
		if (order.status === 'CANCELLED') throw new TikTokError(200, 21011041, 'Cannot complete the operation when order is cancelled. ');
		const units = order.line_items.filter((l) => l.package_id === packageId);
		if (units.some((l) => l.tracking_number) || order.status !== 'AWAITING_SHIPMENT') throw new TikTokError(200, 21011040, 'Package has already been shipped.');
		if (order.shipping_type === 'SELLER') {
			const self = body.self_shipment;
			if (!self) throw new TikTokError(200, 11001002, 'invalid param.');
			if (!PROVIDERS[self.shipping_provider_id] || !/^[A-Za-z0-9]{6,40}$/.test(self.tracking_number)) throw new TikTokError(200, 21011022, 'Invalid tracking number or provider ID. Please double check and try again.');
			store.markShipped(order, self.tracking_number, self.shipping_provider_id, store.nowSeconds());
		} else {
			store.markShipped(order, `TT${store.id()}`, '6617675021119438849', store.nowSeconds());
		}
		order.status = 'IN_TRANSIT';
		for (const l of order.line_items) l.display_status = 'IN_TRANSIT';
		order.update_time = store.nowSeconds();
		store.buyerNotices.set(order.id, (store.buyerNotices.get(order.id) ?? 0) + 1);
		return ok({});
	}

	function api(req: SimRequest): SimResponse {
		const found = spec.find(req.method, req.path);
		if (!found && !(req.method === 'GET' && req.path === '/authorization/202309/shops')) throw new TikTokError(404, 36009002, `Path not found: ${req.method} ${req.path}`);
		throttle();
		checkSignature(req);
		checkToken(req);
		if (!found) return ok({ shops: [{ id: '7000714532876273420', name: 'Sim Shop', region: 'US', seller_type: 'LOCAL', cipher: o.shopCipher, code: 'USLCSIM01' }] });
		const { operation, params } = found;
		if ((req.headers['content-type'] ?? '').split(';')[0].trim() !== 'application/json' && req.method === 'POST') throw new TikTokError(400, INVALID_PARAM, 'Invalid parameter: content-type must be application/json');
		if (req.rawBody && req.json === undefined) throw new TikTokError(400, INVALID_PARAM, 'Invalid parameter: the body is not JSON');
		const query = spec.readQuery(operation, req.query);
		if (query.shop_cipher !== undefined && query.shop_cipher !== o.shopCipher) throw new TikTokError(403, 106011, 'Invalid shop_cipher: the shop is not authorized for this app.');
		const body = spec.readBody(operation, req.json);
		switch (operation.id) {
			case 'get-order-list-202309': return searchOrders(query, body);
			case 'get-order-detail-202507': return orderDetail(query);
			case 'inventory-search-202309': return inventorySearch(body);
			case 'update-inventory-202309': return inventoryUpdate(params.product_id, body as Parameters<typeof inventoryUpdate>[1]);
			case 'ship-package-202309': return ship(params.package_id, body);
			default: throw new TikTokError(501, 36009002, `${operation.id} is not simulated`);
		}
	}

	function handle(req: SimRequest): SimResponse {
		try {
			if (req.path === '/api/v2/token/refresh' && req.method === 'GET') return refresh(req);
			return api(req);
		} catch (error) {
			if (!(error instanceof TikTokError)) throw error;
			return { status: error.status, headers: error.headers, body: { code: error.code, message: error.message, request_id: requestId(), data: null } };
		}
	}

	function inspect(req: SimRequest): SimResponse | undefined {
		const what = req.path.slice('/__sim/'.length).replace(/\/+$/, '');
		const body = (req.json && typeof req.json === 'object' ? req.json : {}) as Record<string, unknown>;
		if (what === 'state' && req.method === 'GET') return { status: 200, body: store.toJSON() };
		if (what === 'expire-tokens' && req.method === 'POST') {
			store.expireTokens();
			return { status: 200, body: { expired: store.tokens.size } };
		}
		if (what === 'clock' && req.method === 'POST') return setClockRoute(store, body, options.now);
		return undefined;
	}

	const sim = await startSimulator(handle, {
		port: o.port,
		inspect,
		reset: () => {
			store.setClock(options.now);
			store.reset();
			recent.length = 0;
		},
		label: (req) => spec.find(req.method, req.path)?.operation.id ?? (req.path === '/api/v2/token/refresh' ? 'tokenRefresh' : undefined),
	});
	return Object.assign(sim, {
		store, baseUrl: sim.url, appKey: o.appKey, appSecret: o.appSecret, shopCipher: o.shopCipher,
		issueToken: () => store.issueToken(limits.tokenLifetimeSeconds).access_token,
		issueTokens: () => store.issueToken(limits.tokenLifetimeSeconds),
		expireTokens: () => store.expireTokens(),
		providerMapping: Object.entries(PROVIDERS).map(([id, name]) => `${name}=${id}`).join(', '),
		options: limits,
	});
}
