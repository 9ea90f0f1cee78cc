/**
 * Push Order to Main Store, the decisions: which orders may go (Syncio's requirements), how each line
 * links to a main-store variant, what the main-store order looks like (numbers, tags, note, contact email,
 * shipping, tax), the key that makes a push exactly-once, and what to do when an order that was already
 * pushed comes back (cancelled or refunded). Pure: the platforms turn a PushPlan into their own request.
 */
import { createHash } from 'crypto';
import { InputError } from './errors';
import type { Address, Order, OrderLine, ShippingLine, TaxLine } from './model';
import { isPaid } from './orderFilter';

export type LinkBy = 'sku' | 'barcode' | 'handle';
/** wait: the order waits until every line is linked; customLines: unlinked lines go as text lines; onlyLinked: they stay out. */
export type UnlinkedMode = 'wait' | 'customLines' | 'onlyLinked';
export type PushMode = 'order' | 'draft' | 'stockOnly';
/** LitCommerce's three states. */
export type SyncStatus = 'imported' | 'stockOnly' | 'notImported';

/** A main-store variant as every platform describes it. */
export interface MainVariant {
	id: string;
	productId: string;
	sku: string | null;
	barcode: string | null;
	handle: string | null;
	/** Product and variant, as the store shows it (e.g. "T-shirt - Blue"). */
	title: string;
	/** The variant's own title (e.g. "Blue"); null for a product without variants. */
	variantTitle: string | null;
	/** Whether the main store counts this variant's stock. */
	tracked: boolean;
	/** Where the store keeps this variant's stock, when it is not the variant itself (Shopify's InventoryItem). */
	inventoryItemId?: string;
}

export interface ShippingRule {
	/** Order subtotal (after discounts) from which this rate applies, minor units. */
	fromSubtotal: number;
	price: number;
	title: string;
}

export interface PushSettings {
	mode: PushMode;
	require: { paid: boolean; customer: boolean; positiveTotal: boolean; linkedLine: boolean };
	linkBy: LinkBy;
	/** Manual links: channel SKU (or listing id) → main-store identifier; they win over automatic matching. */
	links: ReadonlyMap<string, string>;
	unlinked: UnlinkedMode;
	keepOrderNumber: boolean;
	orderNumberPrefix: string;
	extraTags: string[];
	contactEmail: { use: 'customer' | 'store' | 'fixed' | 'none'; fixed: string };
	shipping: { use: 'channel' | 'rules'; rules: ShippingRule[] };
	/** Cancel (with restock) main-store orders whose channel order was cancelled or refunded. */
	cancelOnChannelCancel: boolean;
	/** Create nothing: only mirror cancellations and refunds of orders already in the main store. */
	onlyPushed?: boolean;
}

/** The deterministic key of one channel order in one main store: the same order always maps to it. */
export function pushKey(order: Pick<Order, 'channel' | 'channelStoreId' | 'channelOrderId'>): string {
	return `${order.channel}:${order.channelStoreId}:${order.channelOrderId}`;
}

/** A short form of the key that fits a tag (Syncio keeps tags to 40 characters) and a search term. */
export function keyTag(key: string): string {
	return `cs-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

const CHANNEL_LABELS: Record<string, string> = {
	shopify: 'Shopify', woocommerce: 'WooCommerce', ebay: 'eBay', etsy: 'Etsy', amazon: 'Amazon', tiktokShop: 'TikTok Shop',
};

export function channelLabel(channel: string): string {
	return CHANNEL_LABELS[channel] ?? channel;
}

export const MAX_TAG_LENGTH = 40;

export function clipTag(tag: string): string {
	const t = tag.replace(/,/g, ' ').trim();
	return t.length <= MAX_TAG_LENGTH ? t : t.slice(0, MAX_TAG_LENGTH).trim();
}

// ---- linking ------------------------------------------------------------------------------------------

export interface LineLink {
	line: OrderLine;
	/** The identifier looked up (after manual links), or null when the line has none. */
	identifier: string | null;
	variant: MainVariant | null;
	/** Why the line is not linked: no identifier, not found, or two variants share it. */
	problem: 'noIdentifier' | 'notFound' | 'ambiguous' | null;
	candidates: number;
}

/** The identifier a line is looked up by: a manual link first (by SKU, then listing/variant id), else its SKU. */
export function lineIdentifier(line: OrderLine, settings: Pick<PushSettings, 'links'>): string | null {
	for (const id of [line.sku, line.channelVariantId, line.channelProductId]) {
		if (id && settings.links.has(id)) return settings.links.get(id) ?? null;
	}
	return line.sku && line.sku.trim() !== '' ? line.sku.trim() : null;
}

function lineVariantTitle(line: OrderLine): string | null {
	return line.variantTitle ? line.variantTitle.trim().toLowerCase() : null;
}

export function linkLines(order: Order, found: ReadonlyMap<string, MainVariant[]>, settings: Pick<PushSettings, 'links'>): LineLink[] {
	return order.lines.map((line) => {
		const identifier = lineIdentifier(line, settings);
		if (identifier === null) return { line, identifier, variant: null, problem: 'noIdentifier', candidates: 0 };
		let candidates = found.get(identifier) ?? [];
		// A handle names a product: its variant is the one whose title the channel line names.
		if (candidates.length > 1 && lineVariantTitle(line)) {
			const named = candidates.filter((v) => v.variantTitle !== null && v.variantTitle.toLowerCase() === lineVariantTitle(line));
			if (named.length === 1) candidates = named;
		}
		if (candidates.length === 1) return { line, identifier, variant: candidates[0], problem: null, candidates: 1 };
		return { line, identifier, variant: null, problem: candidates.length === 0 ? 'notFound' : 'ambiguous', candidates: candidates.length };
	});
}

function describeUnlinked(links: LineLink[], linkBy: LinkBy): string {
	return links
		.filter((l) => l.variant === null)
		.map((l) => {
			const name = `"${l.line.title}"`;
			if (l.problem === 'noIdentifier') return `${name} has no SKU to link by`;
			if (l.problem === 'ambiguous') return `${name} (${linkBy} ${l.identifier}) matches ${l.candidates} main-store variants`;
			return `${name} (${linkBy} ${l.identifier}) is not in the main store`;
		})
		.join('; ');
}

// ---- requirements -------------------------------------------------------------------------------------

export interface Attention {
	/** A stable code for filters and the order log. */
	code: 'unpaid' | 'noCustomer' | 'zeroTotal' | 'unlinked' | 'ambiguous' | 'noLinkedLine' | 'cancelledBeforePush' | 'notPushed' | 'failed' | 'raceLost' | 'unknownOutcome';
	reason: string;
}

function customerName(order: Order): string | null {
	const a = order.shippingAddress ?? order.billingAddress;
	const parts = [order.customer.firstName ?? a?.firstName, order.customer.lastName ?? a?.lastName].filter((p) => p && p.trim());
	return parts.length ? parts.join(' ') : null;
}

function hasAddress(a: Address | null): boolean {
	return !!a && !!a.address1?.trim() && !!a.city?.trim() && !!a.countryCode?.trim();
}

/** Syncio's requirements, each switchable; the first unmet one is the reason. */
export function unmetRequirement(order: Order, links: LineLink[], settings: PushSettings): Attention | null {
	const r = settings.require;
	if (r.paid && !isPaid(order)) {
		return { code: 'unpaid', reason: `not paid yet (payment status: ${order.financialStatus}); it is pushed once it is paid` };
	}
	if (r.customer) {
		const needsShipping = order.lines.some((l) => l.requiresShipping);
		const address = needsShipping ? order.shippingAddress : order.shippingAddress ?? order.billingAddress;
		if (!customerName(order)) return { code: 'noCustomer', reason: 'has no customer name; add it on the channel or turn off "Require Customer Name and Address"' };
		if (!hasAddress(address)) return { code: 'noCustomer', reason: `has no complete ${needsShipping ? 'shipping ' : ''}address (street, city and country); add it on the channel or turn off "Require Customer Name and Address"` };
	}
	if (r.positiveTotal && order.totals.total <= 0) {
		return { code: 'zeroTotal', reason: 'has a total of 0; turn off "Require a Total Above 0" to import free orders' };
	}
	const linked = links.filter((l) => l.variant !== null).length;
	const ambiguous = links.filter((l) => l.problem === 'ambiguous');
	if (ambiguous.length > 0 && settings.unlinked === 'wait') {
		return { code: 'ambiguous', reason: `cannot be linked without guessing: ${describeUnlinked(ambiguous, settings.linkBy)}; give each variant its own ${settings.linkBy} or add a manual link` };
	}
	if (r.linkedLine && linked === 0) {
		return { code: 'noLinkedLine', reason: `has no line linked to the main store: ${describeUnlinked(links, settings.linkBy)}` };
	}
	if (settings.unlinked === 'wait' && linked < links.length) {
		return { code: 'unlinked', reason: `has unlinked products: ${describeUnlinked(links, settings.linkBy)}. It is pushed on a later run once they are linked (or set "Unlinked Products" to "Import as Custom Lines")` };
	}
	return null;
}

// ---- the plan -----------------------------------------------------------------------------------------

export interface PlannedLine {
	/** null for a custom (text) line that moves no stock. */
	variant: MainVariant | null;
	sku: string | null;
	title: string;
	variantTitle: string | null;
	quantity: number;
	unitPrice: number;
	discount: number;
	taxLines: TaxLine[];
	requiresShipping: boolean;
	channelLineId: string;
}

export interface PlannedShipping {
	title: string;
	code: string | null;
	price: number;
	discount: number;
	taxLines: TaxLine[];
}

/** What to create in the main store, independent of the platform. */
export interface PushPlan {
	key: string;
	keyTag: string;
	/** The order name when the channel's number is kept (e.g. "EBAY-12-345"), else null for the store's own. */
	name: string | null;
	currency: string;
	taxesIncluded: boolean;
	email: string | null;
	phone: string | null;
	customer: { firstName: string | null; lastName: string | null; email: string | null; phone: string | null };
	shippingAddress: Address | null;
	billingAddress: Address | null;
	lines: PlannedLine[];
	shipping: PlannedShipping[];
	fees: Array<{ title: string; amount: number; taxLines: TaxLine[] }>;
	/** Σ line, shipping and order discounts of the pushed lines, minor units. */
	discount: number;
	/** What the main-store order totals: it equals the channel's total when every line goes. */
	total: number;
	/** Marketplace-collected tax, kept out of the main store's tax (the marketplace remits it). */
	marketplaceTax: number;
	paid: boolean;
	processedAt: string;
	tags: string[];
	note: string;
	channel: string;
	channelLabel: string;
	channelOrderNumber: string;
	/** Lines left out (Push Only Linked Lines), named in the note. */
	omitted: Array<{ title: string; sku: string | null; quantity: number }>;
}

const sellerTax = (lines: TaxLine[]) => lines.filter((t) => t.collector !== 'marketplace');
const sumTax = (lines: TaxLine[]) => lines.reduce((s, t) => s + t.amount, 0);

function shippingFor(order: Order, lines: PlannedLine[], settings: PushSettings): PlannedShipping[] {
	const channel = (s: ShippingLine): PlannedShipping => ({ title: s.title, code: s.code, price: s.price, discount: s.discount, taxLines: sellerTax(s.taxLines) });
	if (settings.shipping.use === 'channel') return order.shippingLines.map(channel);
	const subtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity - l.discount, 0);
	const rule = [...settings.shipping.rules].sort((a, b) => b.fromSubtotal - a.fromSubtotal).find((r) => subtotal >= r.fromSubtotal);
	if (!rule) return [{ title: 'Free shipping', code: null, price: 0, discount: 0, taxLines: [] }];
	return [{ title: rule.title || 'Shipping', code: null, price: rule.price, discount: 0, taxLines: [] }];
}

export function contactEmail(order: Order, settings: PushSettings, storeEmail: string | null): string | null {
	switch (settings.contactEmail.use) {
		case 'customer':
			return order.customer.email;
		case 'store':
			return storeEmail;
		case 'fixed':
			return settings.contactEmail.fixed.trim() || null;
		default:
			return null;
	}
}

/** Builds the main-store order from the channel order and its links (requirements already met). */
export function planPush(order: Order, links: LineLink[], settings: PushSettings, storeEmail: string | null): PushPlan {
	const key = pushKey(order);
	const label = channelLabel(order.channel);
	const number = order.channelOrderNumber.replace(/^#/, '');
	const omitted: PushPlan['omitted'] = [];
	const lines: PlannedLine[] = [];
	for (const link of links) {
		const l = link.line;
		if (!link.variant && settings.unlinked === 'onlyLinked') {
			omitted.push({ title: l.title, sku: l.sku, quantity: l.quantity });
			continue;
		}
		lines.push({
			variant: link.variant, sku: l.sku, title: l.title, variantTitle: l.variantTitle, quantity: l.quantity,
			unitPrice: l.unitPrice, discount: l.discount, taxLines: sellerTax(l.taxLines), requiresShipping: l.requiresShipping, channelLineId: l.channelLineId,
		});
	}
	const shipping = shippingFor(order, lines, settings);
	const fees = order.feeLines.map((f) => ({ title: f.title, amount: f.amount, taxLines: sellerTax(f.taxLines) }));
	const everyLine = omitted.length === 0;
	// An order-level discount follows the lines pushed, by their share of the subtotal.
	const allSubtotal = order.lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
	const pushedSubtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
	const orderDiscount = everyLine || allSubtotal === 0 ? order.orderDiscount : Math.floor((order.orderDiscount * pushedSubtotal) / allSubtotal);
	const discount = orderDiscount + lines.reduce((s, l) => s + l.discount, 0) + shipping.reduce((s, x) => s + x.discount, 0);
	const tax = sumTax(lines.flatMap((l) => l.taxLines)) + sumTax(shipping.flatMap((s) => s.taxLines)) + sumTax(fees.flatMap((f) => f.taxLines));
	const gross = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0) + shipping.reduce((s, x) => s + x.price, 0) + fees.reduce((s, f) => s + f.amount, 0);
	const total = gross - discount + (order.taxesIncluded ? 0 : tax);
	const marketplaceTax = order.totals.tax - sumTax(order.lines.flatMap((l) => sellerTax(l.taxLines)))
		- sumTax(order.shippingLines.flatMap((s) => sellerTax(s.taxLines))) - sumTax(order.feeLines.flatMap((f) => sellerTax(f.taxLines)));
	const noteParts = [`Imported from ${label} order ${number} (${order.channelStoreId}) by Commerce Sync.`];
	if (omitted.length) noteParts.push(`Not in this order (not linked to this store): ${omitted.map((o) => `${o.quantity} × ${o.title}${o.sku ? ` [${o.sku}]` : ''}`).join(', ')}.`);
	if (marketplaceTax > 0) noteParts.push(`${label} collected ${marketplaceTax} minor units of ${order.currency} tax itself; it is not in this order's tax.`);
	if (order.note) noteParts.push(`Buyer's note: ${order.note}`);
	const tags = [...new Set([clipTag('Commerce Sync'), clipTag(label), clipTag(`${label} ${number}`), keyTag(key), ...settings.extraTags.map(clipTag)].filter(Boolean))];
	const name = settings.keepOrderNumber ? `${settings.orderNumberPrefix}${number}` : null;
	const email = contactEmail(order, settings, storeEmail);
	return {
		key, keyTag: keyTag(key), name, currency: order.currency, taxesIncluded: order.taxesIncluded, email,
		phone: order.customer.phone ?? order.shippingAddress?.phone ?? null,
		customer: { firstName: order.customer.firstName ?? order.shippingAddress?.firstName ?? null, lastName: order.customer.lastName ?? order.shippingAddress?.lastName ?? null, email, phone: order.customer.phone },
		shippingAddress: order.shippingAddress, billingAddress: order.billingAddress ?? order.shippingAddress,
		lines, shipping, fees, discount, total, marketplaceTax, paid: isPaid(order), processedAt: order.createdAt,
		tags, note: noteParts.join('\n'), channel: order.channel, channelLabel: label, channelOrderNumber: order.channelOrderNumber, omitted,
	};
}

// ---- what happens to one order ------------------------------------------------------------------------

/** A main-store order (or stock-only record) that carries a push key. */
export interface PushedRecord {
	id: string;
	number: string;
	/** For ordering duplicates: the oldest wins. Numeric ids compare as numbers. */
	createdAt: string;
	cancelled: boolean;
	kind: 'order' | 'draft' | 'stockOnly';
	/** Stock Only: units already given back per channel line (partial refunds), as the node remembers them. */
	givenBack?: Record<string, number>;
}

/** The one record that stands for a key when several exist (a race): the oldest live one, by creation then id. */
export function winner(records: readonly PushedRecord[]): PushedRecord | undefined {
	const live = records.filter((r) => !r.cancelled);
	const pool = live.length ? live : records;
	return [...pool].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || compareIds(a.id, b.id))[0];
}

function compareIds(a: string, b: string): number {
	const na = Number(a.replace(/\D/g, ''));
	const nb = Number(b.replace(/\D/g, ''));
	return Number.isFinite(na) && Number.isFinite(nb) && na !== nb ? na - nb : a.localeCompare(b);
}

export function isCancellation(order: Order): boolean {
	return order.status === 'cancelled' || order.financialStatus === 'refunded' || order.financialStatus === 'voided';
}

export type Decision =
	| { action: 'create' }
	| { action: 'alreadyThere'; record: PushedRecord }
	| { action: 'cancel'; record: PushedRecord }
	| { action: 'alreadyCancelled'; record: PushedRecord }
	/** Some units were refunded on the channel while the order stays open: restock them in the main store. */
	| { action: 'restock'; record: PushedRecord }
	| { action: 'attention'; attention: Attention };

/** Given what the main store already holds under this order's key, what to do. */
export function decide(order: Order, existing: readonly PushedRecord[], links: LineLink[], settings: PushSettings): Decision {
	const record = winner(existing.filter((r) => r.kind === (settings.mode === 'draft' ? 'draft' : settings.mode === 'stockOnly' ? 'stockOnly' : 'order')));
	if (isCancellation(order)) {
		if (!record) {
			return { action: 'attention', attention: { code: 'cancelledBeforePush', reason: `was ${order.status === 'cancelled' ? 'cancelled' : order.financialStatus} on ${channelLabel(order.channel)} before it was pushed; nothing to import` } };
		}
		if (record.cancelled) return { action: 'alreadyCancelled', record };
		return settings.cancelOnChannelCancel && record.kind !== 'draft' ? { action: 'cancel', record } : { action: 'alreadyThere', record };
	}
	if (record && record.kind !== 'draft' && !record.cancelled && order.lines.some((l) => l.refundedQuantity > 0)) return { action: 'restock', record };
	if (record) return { action: 'alreadyThere', record };
	if (settings.onlyPushed) {
		return { action: 'attention', attention: { code: 'notPushed', reason: 'is not in the main store, and this push only mirrors cancellations and refunds (Only Orders Already in the Main Store is on); nothing to do' } };
	}
	const unmet = unmetRequirement(order, links, settings);
	if (unmet) return { action: 'attention', attention: unmet };
	return { action: 'create' };
}

export function syncStatusOf(action: string, mode: PushMode): SyncStatus {
	if (action === 'attention' || action === 'wouldCreate') return 'notImported';
	return mode === 'stockOnly' ? 'stockOnly' : 'imported';
}

/** Reads the shipping-rate table of the node (decimal amounts in the order's currency) into minor units. */
export function readShippingRules(rows: Array<{ fromSubtotal: number; price: number; title?: string }>, toMinor: (amount: number, field: string) => number): ShippingRule[] {
	return rows.map((row, i) => {
		if (row.price < 0 || row.fromSubtotal < 0) throw new InputError(`shippingRules[${i}]`, 'has a negative amount', 'give amounts of 0 or more');
		return { fromSubtotal: toMinor(row.fromSubtotal, `shippingRules[${i}].fromSubtotal`), price: toMinor(row.price, `shippingRules[${i}].price`), title: row.title?.trim() || 'Shipping' };
	});
}
