/**
 * WooCommerce as the main store of Push Order to Main Store. The push key is order meta
 * (`commerce_sync_key`). WooCommerce cannot filter orders by meta over REST, so pushed orders are found
 * by reading the orders created since the batch's oldest channel order (oldest id first, so orders
 * created meanwhile append and nothing shifts), or, when that window holds more pages than there are
 * orders to check, by one search per order on the buyer's name; whichever costs fewer requests.
 * Orders are created through /orders/batch, 100 per request.
 *
 * What WooCommerce decides itself, and the node says so: stock is reduced when the order is paid
 * (`set_paid`, or status processing/on-hold/completed), once, for stock-managed products only; tax is
 * computed from WooCommerce's own tax settings (the REST API takes no tax amounts); order numbers are
 * WooCommerce's (the channel's number is kept in meta and the note); its emails follow its settings.
 */
import { allocate, fromMinor, toMinor } from '../../core/money';
import type { Address, Order } from '../../core/model';
import type { LinkBy, MainVariant, PushPlan, PushSettings, PushedRecord } from '../../core/push';
import { PlatformError } from '../errors';
import type { Clock, HttpTransport } from '../http';
import type { CreateOptions, MainStore, RefundedLine } from '../mainStore';
import { UnknownOutcomeError } from '../retry';
import { WOO_MAX_BATCH, WOO_MAX_PER_PAGE, WooClient } from './client';
import { addOrderNote, productsBySku, updateOrder } from './operations';
import type { WooProduct } from './operations';
import type { WooOrder } from './orderMapping';

export const KEY_META = 'commerce_sync_key';
/** Margin before the oldest channel order's creation when reading the window (clock differences). */
const WINDOW_MARGIN_MS = 60 * 60 * 1000;
const DEAD = new Set(['cancelled', 'refunded', 'failed', 'trash']);

type MetaOrder = WooOrder & { meta_data?: Array<{ key: string; value: unknown }> };

function keyOf(order: MetaOrder): string | undefined {
	const meta = (order.meta_data ?? []).find((m) => m.key === KEY_META);
	return meta === undefined ? undefined : String(meta.value);
}

function toRecord(order: MetaOrder): PushedRecord {
	const created = order.date_created_gmt ? `${order.date_created_gmt.replace(/Z?$/, '')}Z` : '';
	return {
		id: String(order.id), number: `#${order.number ?? order.id}`, createdAt: created,
		cancelled: DEAD.has(order.status), kind: order.status === 'checkout-draft' ? 'draft' : 'order',
	};
}

function address(a: Address | null, email?: string | null): Record<string, string> | undefined {
	if (!a) return undefined;
	const out: Record<string, string> = {
		first_name: a.firstName ?? '', last_name: a.lastName ?? '', company: a.company ?? '', address_1: a.address1 ?? '', address_2: a.address2 ?? '',
		city: a.city ?? '', state: a.provinceCode ?? a.province ?? '', postcode: a.zip ?? '', country: a.countryCode ?? '',
	};
	if (a.phone) out.phone = a.phone;
	if (email) out.email = email;
	return out;
}

/** The search term that finds an order we pushed: WooCommerce's order search covers names and emails. */
function searchTerm(order: Order): string | null {
	return order.shippingAddress?.lastName || order.billingAddress?.lastName || order.customer.lastName || order.customer.email || null;
}

export class WooMainStore implements MainStore {
	readonly platform = 'WooCommerce';
	readonly client: WooClient;

	constructor(transport: HttpTransport, clock: Clock, readonly storeId: string) {
		this.client = new WooClient(transport, clock, storeId);
	}

	async variants(by: LinkBy, values: string[]): Promise<Map<string, MainVariant[]>> {
		const toVariant = (p: WooProduct & { slug?: string; attributes?: Array<{ option?: string }> }): MainVariant => ({
			id: String(p.id), productId: String(p.parent_id || p.id), sku: p.sku || null, barcode: null, handle: p.slug ?? null,
			title: p.name, variantTitle: p.parent_id ? (p.attributes ?? []).map((a) => a.option).filter(Boolean).join(', ') || null : null, tracked: p.manage_stock !== false,
		});
		if (by === 'sku') {
			const found = await productsBySku(this.client, values);
			return new Map([...found].map(([sku, products]) => [sku, products.map(toVariant)]));
		}
		if (by === 'handle') {
			const found = new Map<string, MainVariant[]>();
			for (const slug of new Set(values)) {
				const { items } = await this.client.page<WooProduct & { slug?: string }>('/products', { slug, status: 'any', per_page: WOO_MAX_PER_PAGE });
				found.set(slug, items.map(toVariant));
			}
			return found;
		}
		throw new PlatformError('WooCommerce', 'cannot look products up by barcode: its REST API has no barcode (GTIN) filter', 400, 'commerce_sync_unsupported',
			'Set "Link Lines By" to SKU or Handle for a WooCommerce main store, or add manual links from the channel\'s barcodes to SKUs.');
	}

	async pushed(wanted: Array<{ key: string; keyTag: string; order: Order }>): Promise<Map<string, PushedRecord[]>> {
		const out = new Map<string, PushedRecord[]>(wanted.map((w) => [w.key, []]));
		if (wanted.length === 0) return out;
		const collect = (orders: MetaOrder[]) => {
			for (const o of orders) {
				const key = keyOf(o);
				if (key !== undefined) out.get(key)?.push(toRecord(o));
			}
		};
		const oldest = Math.min(...wanted.map((w) => Date.parse(w.order.createdAt)).filter((t) => Number.isFinite(t)));
		const searchable = wanted.every((w) => searchTerm(w.order) !== null);
		if (Number.isFinite(oldest) || !searchable) {
			const after = Number.isFinite(oldest) ? new Date(oldest - WINDOW_MARGIN_MS).toISOString().replace(/\.\d{3}Z$/, '') : undefined;
			const qs = { status: 'any', orderby: 'id', order: 'asc', ...(after ? { after, dates_are_gmt: true } : {}) };
			const first = await this.client.page<MetaOrder>('/orders', { ...qs, per_page: WOO_MAX_PER_PAGE, page: 1 });
			const pages = first.totalPages ?? 1;
			// Reading the window costs `pages` requests; searching costs one per order. Take the cheaper.
			if (pages <= wanted.length || !searchable) {
				collect(first.items);
				for (let page = 2; page <= pages; page++) collect((await this.client.page<MetaOrder>('/orders', { ...qs, per_page: WOO_MAX_PER_PAGE, page })).items);
				return out;
			}
		}
		for (const term of new Set(wanted.map((w) => searchTerm(w.order) as string))) {
			for await (const page of this.client.pages<MetaOrder>('/orders', { search: term, status: 'any', orderby: 'id', order: 'asc' })) collect(page);
		}
		return out;
	}

	async storeEmail(): Promise<string | null> {
		const setting = await this.client.request<{ value?: unknown }>('GET', '/settings/email/woocommerce_email_from_address');
		return typeof setting.value === 'string' && setting.value ? setting.value : null;
	}

	limitations(settings: PushSettings, options: CreateOptions): string[] {
		const notes: string[] = [];
		if (settings.keepOrderNumber) notes.push('WooCommerce numbers orders itself (its REST API cannot set the number); the channel\'s number is in the order\'s meta "commerce_sync_channel_order" and its note.');
		if (settings.unlinked === 'customLines') notes.push('WooCommerce cannot hold a line without a product: unlinked lines are added as fees named after the item, which move no stock.');
		if (options.sendReceipt || options.sendFulfillmentReceipt) notes.push('WooCommerce\'s REST API has no per-order switch for its emails: they follow WooCommerce → Settings → Emails.');
		if (options.mode === 'stockOnly') notes.push('WooCommerce only sets absolute stock over REST: a sale on the main store between the read and the write of Stock Only is overwritten.');
		if (options.inventory === 'bypass' && options.mode === 'order') notes.push('WooCommerce reduces stock of a paid order itself; "Stock: Leave Alone" cannot stop it over the REST API.');
		return notes;
	}

	request(plan: PushPlan, options: CreateOptions): Record<string, unknown> {
		if (options.mode === 'stockOnly') {
			return { stock: plan.lines.filter((l) => l.variant?.tracked).map((l) => ({ product: l.variant?.id, change: -l.quantity })) };
		}
		return { 'POST /orders/batch': { create: [this.body(plan, options)] } };
	}

	private body(plan: PushPlan, options: CreateOptions): Record<string, unknown> {
		const c = plan.currency;
		const productLines = plan.lines.filter((l) => l.variant !== null);
		const customLines = plan.lines.filter((l) => l.variant === null);
		const net = (gross: number, tax: number) => (plan.taxesIncluded ? gross - tax : gross);
		const taxOf = (lines: Array<{ amount: number }>) => lines.reduce((s, t) => s + t.amount, 0);
		// The order-level part of the discount, spread over the lines (WooCommerce discounts live on lines).
		const lineDiscounts = plan.lines.reduce((s, l) => s + l.discount, 0);
		const shippingDiscounts = plan.shipping.reduce((s, x) => s + x.discount, 0);
		const spread = allocate(plan.discount - lineDiscounts - shippingDiscounts, plan.lines.map((l) => l.unitPrice * l.quantity - l.discount));
		const indexOf = new Map(plan.lines.map((l, i) => [l, i]));
		const lineItems = productLines.map((l) => {
			const subtotal = net(l.unitPrice * l.quantity, taxOf(l.taxLines));
			const total = subtotal - l.discount - spread[indexOf.get(l) as number];
			const variant = l.variant as MainVariant;
			const isVariation = variant.productId !== variant.id;
			return {
				product_id: Number(variant.productId), ...(isVariation ? { variation_id: Number(variant.id) } : {}),
				quantity: l.quantity, subtotal: fromMinor(subtotal, c), total: fromMinor(total, c),
				meta_data: [{ key: 'Channel line', value: l.channelLineId }],
			};
		});
		const feeLines = [
			...customLines.map((l) => ({
				name: `${l.title}${l.sku ? ` [${l.sku}]` : ''} × ${l.quantity}`, tax_status: 'none',
				total: fromMinor(net(l.unitPrice * l.quantity, taxOf(l.taxLines)) - l.discount - spread[indexOf.get(l) as number], c),
			})),
			...plan.fees.map((f) => ({ name: f.title, tax_status: 'none', total: fromMinor(net(f.amount, taxOf(f.taxLines)), c) })),
		];
		const paid = plan.paid && options.mode === 'order';
		return {
			status: options.mode === 'draft' ? 'checkout-draft' : paid ? 'processing' : 'pending',
			set_paid: paid,
			currency: c,
			payment_method_title: plan.channelLabel,
			billing: address(plan.billingAddress, plan.email) ?? (plan.email ? { email: plan.email } : undefined),
			shipping: address(plan.shippingAddress),
			customer_note: '',
			line_items: lineItems,
			shipping_lines: plan.shipping.map((s) => ({ method_id: s.code ?? 'commerce_sync', method_title: s.title, total: fromMinor(net(s.price, taxOf(s.taxLines)) - s.discount, c) })),
			fee_lines: feeLines,
			meta_data: [
				{ key: KEY_META, value: plan.key },
				{ key: 'commerce_sync_channel', value: plan.channelLabel },
				{ key: 'commerce_sync_channel_order', value: plan.channelOrderNumber },
				{ key: 'commerce_sync_tags', value: plan.tags.join(', ') },
				{ key: 'commerce_sync_note', value: plan.note },
			],
		};
	}

	async create(plan: PushPlan, options: CreateOptions): Promise<PushedRecord> {
		const [result] = await this.createMany([plan], options);
		if (result instanceof Error) throw result;
		return result;
	}

	/** Up to 100 creates per request; per-order refusals come back inline, as WooCommerce reports them. */
	async createMany(plans: PushPlan[], options: CreateOptions): Promise<Array<PushedRecord | Error>> {
		const results: Array<PushedRecord | Error> = [];
		for (let i = 0; i < plans.length; i += WOO_MAX_BATCH) {
			const slice = plans.slice(i, i + WOO_MAX_BATCH);
			let answer: { create?: Array<MetaOrder | { id: number; error: { code: string; message: string } }> };
			try {
				answer = await this.client.request('POST', '/orders/batch', { body: { create: slice.map((p) => this.body(p, options)) }, write: true });
			} catch (error) {
				results.push(...slice.map(() => (error instanceof Error ? error : new Error(String(error)))));
				continue;
			}
			slice.forEach((_, j) => {
				const one = answer.create?.[j];
				if (!one) results.push(new UnknownOutcomeError({ method: 'POST', url: `${this.client.base}/orders/batch` }, 'the batch answer had no entry for this order'));
				else if ('error' in one && one.error) results.push(new PlatformError('WooCommerce', `Creating the order was refused: ${one.error.message}`, 400, one.error.code));
				else results.push(toRecord(one as MetaOrder));
			});
		}
		return results;
	}

	/**
	 * Stock Only: takes (or gives back) the linked lines' stock without an order. WooCommerce's REST API
	 * only sets absolute quantities, so this reads each product and writes the new quantity, noting the
	 * order on the product (meta `commerce_sync_stock_only`): a sale between the read and the write is
	 * overwritten, and a lost answer cannot be safely resent (the node reports it instead).
	 */
	async adjustStock(plan: PushPlan, direction: 'take' | 'giveBack'): Promise<PushedRecord> {
		const byVariant = new Map<string, { variant: MainVariant; delta: number }>();
		for (const l of plan.lines) {
			if (!l.variant?.tracked) continue;
			const entry = byVariant.get(l.variant.id) ?? { variant: l.variant, delta: 0 };
			entry.delta += direction === 'take' ? -l.quantity : l.quantity;
			byVariant.set(l.variant.id, entry);
		}
		for (const { variant, delta } of byVariant.values()) {
			const isVariation = variant.productId !== variant.id;
			const path = isVariation ? `/products/${variant.productId}/variations/${variant.id}` : `/products/${variant.id}`;
			const current = await this.client.request<WooProduct>('GET', path);
			if (current.manage_stock === false || current.stock_quantity === null) continue;
			await this.client.request('PUT', path, {
				body: { stock_quantity: current.stock_quantity + delta, meta_data: [{ key: 'commerce_sync_stock_only', value: `${direction} ${plan.key} ${delta}` }] },
				write: true,
			});
		}
		return { id: plan.key, number: `${plan.channelLabel} ${plan.channelOrderNumber} (stock only)`, createdAt: new Date().toISOString(), cancelled: direction === 'giveBack', kind: 'stockOnly' };
	}

	/**
	 * Restocks units refunded on the channel: reads the order and its refunds, and refunds only the units
	 * WooCommerce has not refunded yet, with `api_restock` (WooCommerce puts them back in stock) and
	 * `api_refund: false` (no money moves through a payment gateway: the channel refunded the buyer).
	 */
	async restock(record: PushedRecord, lines: RefundedLine[], note: string): Promise<RefundedLine[]> {
		const id = Number(record.id);
		const order = await this.client.request<MetaOrder>('GET', `/orders/${id}`);
		if (DEAD.has(order.status)) return [];
		const already = new Map<number, number>();
		type RefundLine = { quantity: number; product_id?: number; variation_id?: number; meta_data?: Array<{ key: string; value: unknown }> };
		for await (const page of this.client.pages<{ line_items?: RefundLine[] }>(`/orders/${id}/refunds`, { all_item_meta: true })) {
			for (const refund of page) {
				for (const item of refund.line_items ?? []) {
					const named = item.meta_data?.find((m) => m.key === '_refunded_item_id')?.value;
					const of = named !== undefined ? Number(named) : (order.line_items ?? []).find((l) => l.product_id === item.product_id && (l.variation_id ?? 0) === (item.variation_id ?? 0))?.id;
					if (of !== undefined) already.set(of, (already.get(of) ?? 0) + Math.abs(Number(item.quantity) || 0));
				}
			}
		}
		const refundItems: Array<{ id: number; quantity: number; refund_total: string }> = [];
		const done: RefundedLine[] = [];
		let amount = 0;
		const currency = (order as { currency?: string }).currency || lines[0]?.currency || 'USD';
		const taken = new Set<number>();
		for (const line of lines) {
			const main = (order.line_items ?? []).find((l) => !taken.has(l.id) && (line.variant
				? String(l.variation_id || l.product_id) === line.variant.id
				: l.sku === line.sku));
			if (!main) continue;
			taken.add(main.id);
			const units = Math.min(line.units, Number(main.quantity)) - (already.get(main.id) ?? 0);
			if (units <= 0) continue;
			const total = Math.round((toMinor(String(main.total), currency) * units) / Number(main.quantity));
			amount += total;
			refundItems.push({ id: main.id, quantity: units, refund_total: fromMinor(total, currency) });
			done.push({ ...line, units });
		}
		if (refundItems.length === 0) return [];
		await this.client.request('POST', `/orders/${id}/refunds`, {
			body: { amount: fromMinor(amount, currency), reason: note, line_items: refundItems, api_refund: false, api_restock: true },
			write: true,
		});
		return done;
	}

	async cancel(record: PushedRecord, why: { duplicateOf?: PushedRecord; note: string }): Promise<void> {
		// Status cancelled: WooCommerce gives back the stock it reduced for this order (wc_maybe_increase_stock_levels).
		await updateOrder(this.client, Number(record.id), {
			status: 'cancelled',
			meta_data: why.duplicateOf ? [{ key: 'commerce_sync_duplicate_of', value: why.duplicateOf.number }] : [],
		});
		await addOrderNote(this.client, Number(record.id), why.note);
	}
}
