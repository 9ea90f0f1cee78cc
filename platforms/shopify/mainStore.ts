/**
 * Shopify as the main store of Push Order to Main Store. The push key goes in the order's
 * `sourceIdentifier` (searchable: `source_identifier:"…"`) and, short, in a tag (drafts have no
 * sourceIdentifier, so drafts are found by that tag). Stock follows `inventoryBehaviour`, chosen explicitly:
 * Shopify's default (BYPASS) would silently take nothing.
 */
import { fromMinor } from '../../core/money';
import { PlatformError } from '../errors';
import type { Address, TaxLine } from '../../core/model';
import type { LinkBy, MainVariant, PlannedLine, PushPlan, PushSettings, PushedRecord } from '../../core/push';
import type { Clock, HttpTransport } from '../http';
import type { CreateOptions, MainStore, RefundedLine } from '../mainStore';
import { ShopifyClient } from './client';
import { draftOrderCreate, draftsByTag, inventoryAdjust, locations, orderCancel, orderCreate, orderLinesForRefund, ordersBySource, refundCreate, shopEmail, tagsAdd, variantsBy } from './operations';
import { UnknownOutcomeError } from '../retry';
import type { InventoryBehaviour } from './operations';

const BEHAVIOUR: Record<CreateOptions['inventory'], InventoryBehaviour> = {
	decrement: 'DECREMENT_OBEYING_POLICY',
	decrementIgnoringPolicy: 'DECREMENT_IGNORING_POLICY',
	bypass: 'BYPASS',
};

function money(minor: number, currency: string) {
	return { shopMoney: { amount: fromMinor(minor, currency), currencyCode: currency } };
}

function taxLines(lines: TaxLine[], currency: string) {
	return lines.map((t) => ({
		title: t.title,
		// Shopify takes the rate as a decimal fraction (0.2 for 20 %); a channel that gave only an amount has no rate.
		rate: t.ratePercent === null ? '0' : decimalFraction(t.ratePercent),
		priceSet: money(t.amount, currency),
	}));
}

/** "7.25" → "0.0725", exactly (no floating point). */
export function decimalFraction(percent: string): string {
	const [whole, fraction = ''] = percent.trim().split('.');
	const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
	const scale = fraction.length + 2;
	const padded = digits.padStart(scale + 1, '0');
	const text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`.replace(/0+$/, '').replace(/\.$/, '');
	return text === '' ? '0' : text;
}

/** A linked line carries the main store's SKU (the channel's may be a barcode or handle it was linked by). */
function skuOf(l: PlannedLine): { sku?: string } {
	const sku = l.variant ? l.variant.sku : l.sku;
	return sku ? { sku } : {};
}

function address(a: Address | null) {
	if (!a) return undefined;
	const out: Record<string, string> = {};
	const fields: Array<[keyof Address, string]> = [
		['firstName', 'firstName'], ['lastName', 'lastName'], ['company', 'company'], ['address1', 'address1'], ['address2', 'address2'],
		['city', 'city'], ['provinceCode', 'provinceCode'], ['zip', 'zip'], ['countryCode', 'countryCode'], ['phone', 'phone'],
	];
	for (const [from, to] of fields) if (a[from]) out[to] = String(a[from]);
	return out;
}

export class ShopifyMainStore implements MainStore {
	readonly platform = 'Shopify';
	readonly client: ShopifyClient;

	constructor(transport: HttpTransport, clock: Clock, readonly storeId: string, apiVersion?: string) {
		this.client = new ShopifyClient(transport, clock, storeId, apiVersion);
	}

	async variants(by: LinkBy, values: string[]): Promise<Map<string, MainVariant[]>> {
		const found = await variantsBy(this.client, by, values);
		return new Map([...found].map(([value, variants]) => [value, variants.map((v) => ({
			id: v.id, productId: v.product.id, sku: v.sku, barcode: v.barcode, handle: v.product.handle,
			title: v.title === 'Default Title' ? v.product.title : `${v.product.title} - ${v.title}`,
			variantTitle: v.title === 'Default Title' ? null : v.title, tracked: v.inventoryItem.tracked, inventoryItemId: v.inventoryItem.id,
		}))]));
	}

	async pushed(wanted: Array<{ key: string; keyTag: string }>): Promise<Map<string, PushedRecord[]>> {
		const out = new Map<string, PushedRecord[]>(wanted.map((w) => [w.key, []]));
		if (wanted.length === 0) return out;
		const orders = await ordersBySource(this.client, wanted.map((w) => w.key));
		for (const [key, list] of orders) {
			out.get(key)?.push(...list.map((o) => ({ id: o.id, number: o.name, createdAt: o.createdAt, cancelled: o.cancelledAt !== null, kind: 'order' as const })));
		}
		const drafts = await draftsByTag(this.client, wanted.map((w) => w.keyTag));
		for (const w of wanted) {
			out.get(w.key)?.push(...(drafts.get(w.keyTag) ?? []).map((d) => ({ id: d.id, number: d.name, createdAt: d.createdAt, cancelled: false, kind: 'draft' as const })));
		}
		return out;
	}

	storeEmail(): Promise<string | null> {
		return shopEmail(this.client);
	}

	limitations(settings: PushSettings, options: CreateOptions): string[] {
		const notes: string[] = [];
		if (options.mode === 'draft' && options.inventory !== 'bypass') notes.push('Draft orders take no stock in Shopify until they are completed.');
		if (options.mode === 'draft' && settings.keepOrderNumber) notes.push('Shopify numbers draft orders itself (#D1, #D2…); the channel\'s number is in the tags and note.');
		return notes;
	}

	request(plan: PushPlan, options: CreateOptions): Record<string, unknown> {
		if (options.mode === 'stockOnly') {
			return { inventoryAdjustQuantities: { key: `${plan.keyTag}-stock-take`, changes: plan.lines.filter((l) => l.variant?.tracked).map((l) => ({ inventoryItemId: l.variant?.inventoryItemId, delta: -l.quantity })) } };
		}
		return options.mode === 'draft' ? { draftOrderCreate: { input: this.draftInput(plan) } } : { orderCreate: { order: this.orderInput(plan, options), options: this.createOptions(options) } };
	}

	private createOptions(options: CreateOptions) {
		return { inventoryBehaviour: BEHAVIOUR[options.inventory], sendReceipt: options.sendReceipt, sendFulfillmentReceipt: options.sendFulfillmentReceipt };
	}

	private orderInput(plan: PushPlan, options: CreateOptions): Record<string, unknown> {
		const c = plan.currency;
		const lineItems = [
			...plan.lines.map((l) => ({
				...(l.variant ? { variantId: l.variant.id } : { title: l.title, ...(l.variantTitle ? { variantTitle: l.variantTitle } : {}) }),
				...skuOf(l),
				quantity: l.quantity,
				priceSet: money(l.unitPrice, c),
				requiresShipping: l.requiresShipping,
				taxLines: taxLines(l.taxLines, c),
			})),
			// Fees (gift wrap, handling) have no place of their own in orderCreate: they go as custom lines.
			...plan.fees.map((f) => ({ title: f.title, quantity: 1, priceSet: money(f.amount, c), requiresShipping: false, taxLines: taxLines(f.taxLines, c) })),
		];
		const order: Record<string, unknown> = {
			currency: c,
			lineItems,
			shippingLines: plan.shipping.map((s) => ({ title: s.title, ...(s.code ? { code: s.code } : {}), priceSet: money(s.price - s.discount, c), taxLines: taxLines(s.taxLines, c) })),
			taxesIncluded: plan.taxesIncluded,
			sourceName: plan.channel,
			sourceIdentifier: plan.key,
			tags: plan.tags,
			note: plan.note,
			processedAt: plan.processedAt,
			customAttributes: [{ key: 'Channel', value: plan.channelLabel }, { key: 'Channel order', value: plan.channelOrderNumber }],
			buyerAcceptsMarketing: options.marketingOptIn,
			financialStatus: plan.paid ? 'PAID' : 'PENDING',
		};
		if (plan.name) order.name = plan.name;
		if (plan.email) order.email = plan.email;
		if (plan.phone) order.phone = plan.phone;
		const shippingAddress = address(plan.shippingAddress);
		const billingAddress = address(plan.billingAddress);
		if (shippingAddress) order.shippingAddress = shippingAddress;
		if (billingAddress) order.billingAddress = billingAddress;
		if (plan.email) {
			order.customer = { toUpsert: { email: plan.email, ...(plan.customer.firstName ? { firstName: plan.customer.firstName } : {}), ...(plan.customer.lastName ? { lastName: plan.customer.lastName } : {}) } };
		}
		const lineDiscount = plan.discount - plan.shipping.reduce((s, x) => s + x.discount, 0);
		if (lineDiscount > 0) order.discountCode = { itemFixedDiscountCode: { code: `${plan.channelLabel} discount`, amountSet: money(lineDiscount, c) } };
		if (plan.paid && plan.total > 0) {
			order.transactions = [{ kind: 'SALE', status: 'SUCCESS', gateway: plan.channelLabel, amountSet: money(plan.total, c), processedAt: plan.processedAt }];
		}
		return order;
	}

	private draftInput(plan: PushPlan): Record<string, unknown> {
		const c = plan.currency;
		const input: Record<string, unknown> = {
			lineItems: [
				...plan.lines.map((l) => ({
					...(l.variant ? { variantId: l.variant.id } : { title: l.title }),
					...skuOf(l),
					quantity: l.quantity,
					priceOverride: { amount: fromMinor(l.unitPrice, c), currencyCode: c },
					requiresShipping: l.requiresShipping,
				})),
				...plan.fees.map((f) => ({ title: f.title, quantity: 1, priceOverride: { amount: fromMinor(f.amount, c), currencyCode: c }, requiresShipping: false })),
			],
			tags: plan.tags,
			note: plan.note,
			sourceName: plan.channel,
			customAttributes: [{ key: 'Channel', value: plan.channelLabel }, { key: 'Channel order', value: plan.channelOrderNumber }],
		};
		if (plan.email) input.email = plan.email;
		const shippingAddress = address(plan.shippingAddress);
		const billingAddress = address(plan.billingAddress);
		if (shippingAddress) input.shippingAddress = shippingAddress;
		if (billingAddress) input.billingAddress = billingAddress;
		const shipping = plan.shipping[0];
		if (shipping) input.shippingLine = { title: shipping.title, priceWithCurrency: { amount: fromMinor(plan.shipping.reduce((s, x) => s + x.price - x.discount, 0), c), currencyCode: c } };
		const lineDiscount = plan.discount - plan.shipping.reduce((s, x) => s + x.discount, 0);
		if (lineDiscount > 0) input.appliedDiscount = { title: `${plan.channelLabel} discount`, value: Number(fromMinor(lineDiscount, c)), valueType: 'FIXED_AMOUNT' };
		return input;
	}

	async create(plan: PushPlan, options: CreateOptions): Promise<PushedRecord> {
		if (options.mode === 'draft') {
			const draft = await draftOrderCreate(this.client, this.draftInput(plan));
			return { id: draft.id, number: draft.name, createdAt: draft.createdAt, cancelled: false, kind: 'draft' };
		}
		const order = await orderCreate(this.client, this.orderInput(plan, options), this.createOptions(options));
		return { id: order.id, number: order.name, createdAt: order.createdAt, cancelled: false, kind: 'order' };
	}

	private location: Promise<string> | undefined;

	/** Where Stock Only takes stock: the first active location that fulfils online orders (where orders take it). */
	private stockLocation(): Promise<string> {
		this.location ??= locations(this.client).then((all) => {
			const chosen = all.find((l) => l.isActive && l.fulfillsOnlineOrders) ?? all.find((l) => l.isActive);
			if (!chosen) throw new PlatformError('Shopify', 'the store has no active location to take stock from', 200, undefined);
			return chosen.id;
		});
		return this.location;
	}

	/**
	 * Stock Only: takes (or gives back) the linked, tracked lines' stock without an order, as one
	 * adjustment under an idempotency key made from the order's key, so a retry, an overlapping run or a
	 * second worker sending it again is applied once; a lost answer is resent with the same key.
	 */
	async adjustStock(plan: PushPlan, direction: 'take' | 'giveBack'): Promise<PushedRecord> {
		const locationId = await this.stockLocation();
		const byItem = new Map<string, number>();
		for (const l of plan.lines) {
			if (!l.variant?.tracked || !l.variant.inventoryItemId) continue;
			byItem.set(l.variant.inventoryItemId, (byItem.get(l.variant.inventoryItemId) ?? 0) + (direction === 'take' ? -l.quantity : l.quantity));
		}
		const changes = [...byItem].map(([inventoryItemId, delta]) => ({ inventoryItemId, locationId, delta }));
		const key = `${plan.keyTag}-stock-${direction}`;
		const send = () => inventoryAdjust(this.client, key, changes, direction === 'take' ? 'other' : 'restock', `commerce-sync://order/${encodeURIComponent(plan.key)}`);
		const group = changes.length === 0 ? { id: '', createdAt: new Date().toISOString() } : await send().catch((error: unknown) => {
			if (error instanceof UnknownOutcomeError) return send();
			throw error;
		});
		return { id: group.id, number: `${plan.channelLabel} ${plan.channelOrderNumber} (stock only)`, createdAt: group.createdAt, cancelled: direction === 'giveBack', kind: 'stockOnly' };
	}

	/**
	 * Restocks units refunded on the channel: reads the order's lines, refunds only the units Shopify has
	 * not refunded yet (unshipped units as CANCEL, shipped ones as RETURN to the stock location), under a
	 * key made from the order and the units, so a repeat or a retry refunds nothing more. No money moves:
	 * the channel refunded the buyer.
	 */
	async restock(record: PushedRecord, lines: RefundedLine[], note: string): Promise<RefundedLine[]> {
		const order = await orderLinesForRefund(this.client, record.id);
		if (order.cancelledAt) return [];
		const refundLineItems: Array<Record<string, unknown>> = [];
		const done: RefundedLine[] = [];
		const taken = new Set<string>();
		for (const line of lines) {
			const main = order.lines.find((l) => !taken.has(l.id) && (line.variant ? l.variant?.id === line.variant.id : l.sku === line.sku));
			if (!main) continue;
			taken.add(main.id);
			const alreadyRefunded = main.quantity - main.refundableQuantity;
			const units = Math.min(line.units, main.quantity) - alreadyRefunded;
			if (units <= 0) continue;
			const unshipped = Math.min(units, main.fulfillableQuantity);
			if (unshipped > 0) refundLineItems.push({ lineItemId: main.id, quantity: unshipped, restockType: 'CANCEL' });
			if (units > unshipped) refundLineItems.push({ lineItemId: main.id, quantity: units - unshipped, restockType: 'RETURN', locationId: await this.stockLocation() });
			done.push({ ...line, units });
		}
		if (refundLineItems.length === 0) return [];
		const key = `${record.id.replace(/\D/g, '')}-refund-${refundLineItems.map((r) => `${String(r.lineItemId).replace(/\D/g, '')}x${String(r.quantity)}`).join('-')}-of-${lines.map((l) => l.units).join('.')}`;
		await refundCreate(this.client, key, { orderId: record.id, note: note.slice(0, 255), notify: false, refundLineItems });
		return done;
	}

	async cancel(record: PushedRecord, why: { duplicateOf?: PushedRecord; note: string }): Promise<void> {
		await orderCancel(this.client, record.id, { restock: true, refund: true, reason: why.duplicateOf ? 'OTHER' : 'CUSTOMER', notifyCustomer: false, staffNote: why.note.slice(0, 255) });
		await tagsAdd(this.client, record.id, [why.duplicateOf ? 'Commerce Sync duplicate' : 'Commerce Sync cancelled']);
	}
}
