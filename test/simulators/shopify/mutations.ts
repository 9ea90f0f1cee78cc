/**
 * The Mutation fields the simulator serves, applied to the in-memory store with Shopify's payload
 * shapes: a payload object with `userErrors` (field path, message, code) for business errors, and
 * top-level GraphQL errors for what Shopify rejects before running the mutation. Each mutation links
 * its shopify.dev page; our readings where the docs are silent are marked as such.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError, getDirectiveValues } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { gid, idOf } from './data';
import type { ShopData } from './data';
import {
	allocate, cents, decimal, fulfilledUnits, newId, openFulfillmentOrder, orderTotals, paidCents, refreshFulfillmentState, refundableUnits, refundedUnits,
	taxOn, trackingUrl,
} from './store';
import type {
	FinancialStatus, InventoryBehaviour, RestockType, SimAddress, SimCustomer, SimDiscountCode, SimDraftOrder, SimFulfillment, SimInventoryLevel, SimLineItem,
	SimOrder, SimProduct, SimRefund, SimTaxLine, SimTransaction,
} from './store';
import { quantityOf } from './views';
import type { View, Views } from './views';

type Args = Record<string, unknown>;
type Json = Record<string, unknown>;

export interface UserError {
	field: string[] | null;
	message: string;
	code?: string | null;
}

export interface MutationContext {
	data: ShopData;
	views: Views;
	/** Background jobs by gid (orderCancel): done or not. */
	jobs: Map<string, boolean>;
	/** Idempotency keys seen, with the parameters and the result of the first request. */
	idempotency: Map<string, { params: string; payload: View; failed: boolean }>;
}

function ue(field: Array<string | number> | null, message: string, code?: string | null): UserError {
	return code === undefined ? { field: field?.map(String) ?? null, message } : { field: field?.map(String) ?? null, message, code };
}

function money(bag: unknown): number | undefined {
	const amount = (bag as { shopMoney?: { amount?: unknown } } | undefined)?.shopMoney?.amount;
	return amount === undefined || amount === null ? undefined : cents(String(amount));
}

function address(input: unknown): SimAddress | null {
	if (!input || typeof input !== 'object') return null;
	const a = input as Json;
	const s = (k: string) => (typeof a[k] === 'string' && a[k] !== '' ? (a[k] as string) : null);
	return {
		firstName: s('firstName'), lastName: s('lastName'), company: s('company'), address1: s('address1'), address2: s('address2'), city: s('city'),
		province: s('provinceCode'), provinceCode: s('provinceCode'), zip: s('zip'), countryCode: s('countryCode'), phone: s('phone'),
	};
}

/**
 * OrderCreateTaxLineInput (https://shopify.dev/docs/api/admin-graphql/latest/input-objects/OrderCreateTaxLineInput):
 * priceSet is kept as given. Our reading: without it the tax is the rate on `taxable` (the amount after discounts).
 */
function taxLines(input: unknown, taxable: number, included: boolean): SimTaxLine[] {
	if (!Array.isArray(input)) return [];
	return input.map((raw) => {
		const t = raw as Json;
		const rate = Number(t.rate);
		const price = money(t.priceSet) ?? taxOn(taxable, rate, included);
		return { title: String(t.title), rate, price: decimal(price), channelLiable: t.channelLiable === true };
	});
}

/**
 * Order-level tax lines: "Tax lines specified on the order are split across the _taxable_ line items in the
 * created order" (https://shopify.dev/docs/api/admin-graphql/latest/input-objects/OrderCreateOrderInput#fields-taxLines).
 * Our reading of the split: a given priceSet goes to the taxable lines in proportion to their amount after
 * discounts (largest remainder, so the parts add up to it); without priceSet each line gets the rate on its
 * own amount. With no taxable line there is nowhere to split to, and the tax lines stay on the order.
 */
function splitOrderTaxLines(input: unknown, lines: SimLineItem[], included: boolean): SimTaxLine[] {
	if (!Array.isArray(input) || input.length === 0) return [];
	const amountOf = (l: SimLineItem) => cents(l.unitPrice) * l.quantity - cents(l.discount);
	const taxable = lines.filter((l) => l.taxable);
	if (taxable.length === 0) return taxLines(input, lines.reduce((s, l) => s + amountOf(l), 0), included);
	const amounts = taxable.map(amountOf);
	for (const raw of input as Json[]) {
		const rate = Number(raw.rate);
		const given = money(raw.priceSet);
		const parts = given === undefined ? amounts.map((a) => taxOn(a, rate, included)) : allocate(given, amounts);
		taxable.forEach((l, i) => l.taxLines.push({ title: String(raw.title), rate, price: decimal(parts[i]), channelLiable: raw.channelLiable === true }));
	}
	return [];
}

type DiscountKind = 'itemFixedDiscountCode' | 'itemPercentageDiscountCode' | 'freeShippingDiscountCode';
const DISCOUNT_KINDS: DiscountKind[] = ['itemFixedDiscountCode', 'itemPercentageDiscountCode', 'freeShippingDiscountCode'];

interface DiscountPlan {
	code: SimDiscountCode;
	/** Cents off each line item, in order (all zero for free shipping). */
	lines: number[];
	freeShipping: boolean;
}

/**
 * order.discountCode (https://shopify.dev/docs/api/admin-graphql/latest/input-objects/OrderCreateDiscountCodeInput):
 * one code, of one kind only ("Only one type of discount can be applied to an order"). itemFixedDiscountCode takes
 * amountSet off the line items, spread over them in proportion to price × quantity (largest remainder, so the
 * parts add up to the amount exactly); itemPercentageDiscountCode takes the percentage of the line items' total
 * (rounded to the cent), spread the same way; freeShippingDiscountCode makes every shipping line free.
 * A discount larger than the line items' total is refused (field ["order", "discountCode"]), as Shopify does.
 * Our readings: the error wordings; a negative amount or percentage is refused too; a missing amountSet or
 * percentage is zero; percentages are rounded once on the total rather than line by line.
 */
function discountPlan(input: unknown, lines: SimLineItem[], shippingCents: number, errors: UserError[]): DiscountPlan | null {
	if (!input || typeof input !== 'object') return null;
	const bag = input as Json;
	const kinds = DISCOUNT_KINDS.filter((k) => bag[k] !== undefined && bag[k] !== null);
	if (kinds.length === 0) return null;
	const at = ['order', 'discountCode'];
	if (kinds.length > 1) {
		errors.push(ue(at, 'Only one type of discount can be applied to an order.', 'INVALID'));
		return null;
	}
	const kind = kinds[0];
	const given = bag[kind] as Json;
	const code = String(given.code);
	const totals = lines.map((l) => cents(l.unitPrice) * l.quantity);
	const lineTotal = totals.reduce((s, x) => s + x, 0);
	if (kind === 'freeShippingDiscountCode') {
		return { code: { code, type: 'FREE_SHIPPING', value: '100', amount: decimal(shippingCents) }, lines: totals.map(() => 0), freeShipping: true };
	}
	let amount: number;
	let value: string;
	if (kind === 'itemFixedDiscountCode') {
		amount = money(given.amountSet) ?? 0;
		value = decimal(amount);
		if (amount < 0) errors.push(ue([...at, kind, 'amountSet'], 'Discount amount must be greater than or equal to 0.', 'INVALID'));
	} else {
		const percentage = given.percentage === undefined || given.percentage === null ? 0 : Number(given.percentage);
		// Rounded to 1e-6 first so that binary floats (e.g. 0.1) do not tip a half cent the wrong way.
		amount = Math.round(Number(((lineTotal * percentage) / 100).toFixed(6)));
		value = String(percentage);
		if (percentage < 0) errors.push(ue([...at, kind, 'percentage'], 'Discount percentage must be greater than or equal to 0.', 'INVALID'));
	}
	if (amount > lineTotal) {
		errors.push(ue(at, `Discount amount (${decimal(amount)}) can't be greater than the line items' total (${decimal(lineTotal)}).`, 'INVALID'));
	}
	if (amount < 0 || amount > lineTotal) return null;
	const type = kind === 'itemFixedDiscountCode' ? 'FIXED_AMOUNT' : 'PERCENTAGE';
	return { code: { code, type, value, amount: decimal(amount) }, lines: allocate(amount, totals), freeShipping: false };
}

const INVENTORY_REASONS = [
	'correction', 'cycle_count_available', 'damaged', 'movement_created', 'movement_updated', 'movement_received', 'movement_canceled', 'other',
	'promotion', 'quality_control', 'received', 'reservation_created', 'reservation_deleted', 'reservation_updated', 'restock', 'safety_stock',
	'shrinkage',
];

/**
 * @idempotent(key:) handling for inventory adjust/set and refundCreate (mandatory from 2026-04): the key's first request
 * runs; a retry with the same key and parameters gets the first result without running again; the same
 * key with other parameters, or after a failed attempt, gets a userError.
 * https://shopify.dev/docs/api/usage/implementing-idempotency
 * https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations
 * Our reading: a missing directive is a top-level error with code BAD_REQUEST (the changelog says "an error
 * at runtime" without the wording).
 */
function idempotent(ctx: MutationContext, info: GraphQLResolveInfo, args: Args, empty: View, run: () => { payload: View; failed: boolean }): View {
	const directive = info.schema.getDirective('idempotent');
	const key = directive ? (getDirectiveValues(directive, info.fieldNodes[0], info.variableValues)?.key as string | undefined) : undefined;
	if (key === undefined) {
		throw new GraphQLError(`The @idempotent directive with a key is required for ${info.fieldName} from API version 2026-04.`, {
			extensions: { code: 'BAD_REQUEST', documentation: 'https://shopify.dev/docs/api/usage/idempotent-requests' },
		});
	}
	const params = JSON.stringify({ field: info.fieldName, args });
	const seen = ctx.idempotency.get(key);
	if (seen) {
		if (seen.params !== params) {
			return { ...empty, userErrors: [ue(null, 'The same idempotency key cannot be used with different operation parameters.', 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH')] };
		}
		if (seen.failed) {
			return { ...empty, userErrors: [ue(null, 'A previous request with this idempotency key failed. Retry with a new idempotency key.', 'IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED')] };
		}
		return seen.payload;
	}
	const result = run();
	ctx.idempotency.set(key, { params, payload: result.payload, failed: result.failed });
	return result.payload;
}

/**
 * changeFromQuantity must be present on every quantity/change from 2026-04 (null opts out of the check).
 * https://shopify.dev/changelog/making-changefromquantity-field-required
 * https://shopify.dev/changelog/finalizing-compare-and-swap-redesign-for-inventory-set-quantities
 * Our reading: omitting it is a top-level error (the changelogs say "an error at runtime"), and the fields
 * removed in 2026-04 (compareQuantity, ignoreCompareQuantity) are rejected as Shopify's validation would.
 */
function requireChangeFrom(items: Json[], inputType: string, listName: string): void {
	items.forEach((item, i) => {
		if ('compareQuantity' in item) {
			throw new GraphQLError(`InputObject '${inputType}' doesn't accept argument 'compareQuantity'`, {
				extensions: { code: 'argumentNotAccepted', name: inputType, typeName: 'InputObject', argumentName: 'compareQuantity' },
			});
		}
		if (!('changeFromQuantity' in item)) {
			throw new GraphQLError(`changeFromQuantity is required on input.${listName}[${i}] from API version 2026-04; pass null to skip the compare-and-swap check.`, {
				extensions: { code: 'BAD_REQUEST', documentation: 'https://shopify.dev/changelog/making-changefromquantity-field-required' },
			});
		}
	});
}

interface InventoryTarget {
	level: SimInventoryLevel;
	itemGid: string;
	locationGid: string;
}

/** Resolves item × location pairs, with Shopify's userErrors for unknown, unstocked and bundle items. */
function inventoryTargets(ctx: MutationContext, items: Json[], listName: string, errors: UserError[]): Array<InventoryTarget | undefined> {
	const seen = new Set<string>();
	return items.map((q, i) => {
		const at = ['input', listName, String(i)];
		const itemId = idOf(String(q.inventoryItemId), 'InventoryItem');
		const item = itemId === undefined ? undefined : ctx.data.inventoryItem(itemId);
		if (!item) {
			errors.push(ue([...at, 'inventoryItemId'], 'The specified inventory item could not be found.', 'INVALID_INVENTORY_ITEM'));
			return undefined;
		}
		const locationId = idOf(String(q.locationId), 'Location');
		const location = locationId === undefined ? undefined : ctx.data.location(locationId);
		if (!location) {
			errors.push(ue([...at, 'locationId'], 'The specified location could not be found.', 'INVALID_LOCATION'));
			return undefined;
		}
		const pair = `${item.id}:${location.id}`;
		if (seen.has(pair)) {
			const code = listName === 'quantities' ? 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR' : 'INVALID_INVENTORY_ITEM';
			errors.push(ue([...at], 'The combination of inventoryItemId and locationId must be unique.', code));
			return undefined;
		}
		seen.add(pair);
		// https://shopify.dev/docs/api/admin-graphql/latest/enums/InventorySetQuantitiesUserErrorCode#enums-NON_MUTABLE_INVENTORY_ITEM
		if (ctx.data.variantOfItem(item)?.requiresComponents) {
			const message = 'The specified inventory item is not allowed to be adjusted via API. Example: if the inventory item is a parent bundle.';
			errors.push(ue([...at, 'inventoryItemId'], message, 'NON_MUTABLE_INVENTORY_ITEM'));
			return undefined;
		}
		const level = ctx.data.level(item.id, location.id);
		if (!level) {
			errors.push(ue([...at, 'locationId'], 'The specified inventory item is not stocked at the location.', 'ITEM_NOT_STOCKED_AT_LOCATION'));
			return undefined;
		}
		return { level, itemGid: gid('InventoryItem', item.id), locationGid: gid('Location', location.id) };
	});
}

/** Sets `name` (available or on_hand) on a level, keeping on_hand = available + committed. */
function setQuantity(level: SimInventoryLevel, name: string, value: number): void {
	if (name === 'available') level.available = value;
	else level.available = value - level.committed;
	level.onHand = level.available + level.committed;
}

interface Change {
	name: string;
	delta: number;
	quantityAfterChange: number;
	ledgerDocumentUri: string | null;
	itemGid: string;
	locationGid: string;
}

function adjustmentGroup(ctx: MutationContext, reason: string, referenceDocumentUri: unknown, changes: Change[]): View {
	const id = newId(ctx.data.store);
	return {
		id: gid('InventoryAdjustmentGroup', id), createdAt: ctx.data.now(), reason, referenceDocumentUri: (referenceDocumentUri as string | undefined) ?? null,
		app: null, staffMember: null,
		changes: (args: Args) =>
			changes
				.filter((c) => !Array.isArray(args.inventoryItemIds) || args.inventoryItemIds.includes(c.itemGid))
				.filter((c) => !Array.isArray(args.locationIds) || args.locationIds.includes(c.locationGid))
				.filter((c) => !Array.isArray(args.quantityNames) || args.quantityNames.includes(c.name))
				.map((c) => ({
					name: c.name, delta: c.delta, quantityAfterChange: c.quantityAfterChange, ledgerDocumentUri: c.ledgerDocumentUri,
					item: () => ctx.views.node(c.itemGid), location: () => ctx.views.node(c.locationGid),
				})),
	};
}

/** Records a quantity change and its on_hand echo, as Shopify lists both for an `available` change. */
function recordChanges(changes: Change[], target: InventoryTarget, name: string, delta: number, ledger: string | null): void {
	const { level, itemGid, locationGid } = target;
	changes.push({ name, delta, quantityAfterChange: quantityOf(level, name), ledgerDocumentUri: ledger, itemGid, locationGid });
	if (name === 'available') changes.push({ name: 'on_hand', delta, quantityAfterChange: level.onHand, ledgerDocumentUri: ledger, itemGid, locationGid });
}

/** The stock location orders are taken from: the first active location that fulfils online orders. */
function orderLocation(ctx: MutationContext): number | null {
	const location = ctx.data.store.locations.find((l) => l.isActive && l.fulfillsOnlineOrders) ?? ctx.data.store.locations[0];
	return location?.id ?? null;
}

/** Moves committed stock back to available for the unfulfilled quantities of an order that claimed stock. */
function releaseCommitted(ctx: MutationContext, order: SimOrder, now: string): void {
	if (order.inventoryBehaviour === 'BYPASS' || order.locationId === null) return;
	for (const line of order.lineItems) {
		const variant = line.variantId === null ? undefined : ctx.data.variant(line.variantId);
		const level = variant ? ctx.data.level(variant.inventoryItemId, order.locationId) : undefined;
		if (!level || line.fulfillableQuantity <= 0) continue;
		level.committed -= line.fulfillableQuantity;
		level.available += line.fulfillableQuantity;
		level.onHand = level.available + level.committed;
		level.updatedAt = now;
	}
}

export function mutationRoot(ctx: MutationContext): View {
	const { data, views } = ctx;
	const store = data.store;

	/**
	 * orderCreate: https://shopify.dev/docs/api/admin-graphql/latest/mutations/orderCreate
	 * Stock follows options.inventoryBehaviour (https://shopify.dev/docs/api/admin-graphql/latest/enums/OrderCreateInputsInventoryBehavior):
	 * BYPASS (the default) leaves stock alone; DECREMENT_IGNORING_POLICY claims it even below zero;
	 * DECREMENT_OBEYING_POLICY fails with INVENTORY_CLAIM_FAILED when a DENY-policy variant is short.
	 * Claimed stock moves from available to committed at the order's location. A discount code is applied as
	 * discountPlan describes, order-level tax lines are split over the lines (splitOrderTaxLines).
	 * options (https://shopify.dev/docs/api/admin-graphql/latest/input-objects/OrderCreateOptionsInput): sendReceipt
	 * sends an order confirmation to the order's email (the simulated outbox, store.emails); it and
	 * sendFulfillmentReceipt are recorded on the order, as is order.buyerAcceptsMarketing.
	 * Our readings: without financialStatus the status follows the transactions (PENDING when there are none).
	 */
	const orderCreate = (args: Args): View => {
		const input = (args.order ?? {}) as Json;
		const options = (args.options ?? {}) as Json;
		const behaviour = (options.inventoryBehaviour as InventoryBehaviour | undefined) ?? 'BYPASS';
		const errors: UserError[] = [];
		const now = data.now();
		const included = input.taxesIncluded === true;
		const rawLines = Array.isArray(input.lineItems) ? (input.lineItems as Json[]) : [];
		if (rawLines.length === 0) errors.push(ue(['order', 'lineItems'], 'Line items must have at least one line item', 'INVALID'));
		const lines: SimLineItem[] = [];
		/** Each line's taxLines input, taxed once the discount is known (tax is on the amount after discounts). */
		const lineTaxInputs: unknown[] = [];
		rawLines.forEach((raw, i) => {
			const at = ['order', 'lineItems', String(i)];
			const quantity = Number(raw.quantity);
			if (!Number.isInteger(quantity) || quantity <= 0) errors.push(ue([...at, 'quantity'], 'Quantity must be greater than 0', 'INVALID'));
			let variant;
			if (raw.variantId) {
				const variantId = idOf(String(raw.variantId), 'ProductVariant');
				variant = variantId === undefined ? undefined : data.variant(variantId);
				if (!variant) {
					errors.push(ue([...at, 'variantId'], 'Variant does not exist', 'INVALID'));
					return;
				}
			} else if (!raw.title) {
				errors.push(ue([...at, 'title'], 'Title is required for a line item without a variant', 'INVALID'));
				return;
			}
			const product = variant ? data.product(variant.productId) : undefined;
			const unit = money(raw.priceSet) ?? (variant ? cents(variant.price) : 0);
			const title = (raw.title as string | undefined) ?? product?.title ?? 'Product';
			const variantTitle = (raw.variantTitle as string | undefined) ?? variant?.title ?? null;
			lines.push({
				id: newId(store), variantId: variant?.id ?? null, productId: variant?.productId ?? null,
				sku: (raw.sku as string | undefined) ?? variant?.sku ?? null, title, variantTitle,
				name: variantTitle && variantTitle !== 'Default Title' ? `${title} - ${variantTitle}` : title, vendor: (raw.vendor as string | undefined) ?? product?.vendor ?? null,
				quantity, fulfillableQuantity: quantity, requiresShipping: raw.requiresShipping !== false, taxable: raw.taxable !== false,
				unitPrice: decimal(unit), discount: '0.00', taxLines: [],
			});
			lineTaxInputs.push(raw.taxLines);
		});
		// "Tax lines can be specified on the order or the line items but not both" (OrderCreateOrderInput.taxLines);
		// our reading: both is refused.
		if (Array.isArray(input.taxLines) && input.taxLines.length > 0 && rawLines.some((l) => Array.isArray(l.taxLines) && l.taxLines.length > 0)) {
			errors.push(ue(['order', 'taxLines'], 'Tax lines can be specified on the order or on the line items, but not both.', 'INVALID'));
		}
		const rawShipping = Array.isArray(input.shippingLines) ? (input.shippingLines as Json[]) : [];
		const discount = discountPlan(input.discountCode, lines, rawShipping.reduce((s, x) => s + (money(x.priceSet) ?? 0), 0), errors);
		const locationId = orderLocation(ctx);
		// Stock claims, checked before anything is written.
		const claims = new Map<number, { level: SimInventoryLevel; quantity: number; sku: string | null; policy: string; index: number }>();
		if (behaviour !== 'BYPASS' && locationId !== null) {
			lines.forEach((line, i) => {
				const variant = line.variantId === null ? undefined : data.variant(line.variantId);
				const item = variant ? data.inventoryItem(variant.inventoryItemId) : undefined;
				const level = variant && item?.tracked ? data.level(variant.inventoryItemId, locationId) : undefined;
				if (!variant || !level) return;
				const claim = claims.get(variant.inventoryItemId) ?? { level, quantity: 0, sku: variant.sku, policy: variant.inventoryPolicy, index: i };
				claim.quantity += line.quantity;
				claims.set(variant.inventoryItemId, claim);
			});
			if (behaviour === 'DECREMENT_OBEYING_POLICY') {
				for (const claim of claims.values()) {
					if (claim.policy === 'DENY' && claim.level.available < claim.quantity) {
						errors.push(ue(['order', 'lineItems', String(claim.index)],
							`Unable to claim inventory: ${claim.quantity} of ${claim.sku ?? 'the item'} requested, ${claim.level.available} available.`, 'INVENTORY_CLAIM_FAILED'));
					}
				}
			}
		}
		if (errors.length > 0) return { order: null, userErrors: errors };

		lines.forEach((line, i) => {
			const off = discount?.lines[i] ?? 0;
			line.discount = decimal(off);
			if (discount && !discount.freeShipping) line.codeDiscount = decimal(off);
			line.taxLines = taxLines(lineTaxInputs[i], cents(line.unitPrice) * line.quantity - off, included);
		});
		const orderTaxLines = splitOrderTaxLines(input.taxLines, lines, included);
		const upsert = ((input.customer as Json | undefined)?.toUpsert ?? (input.customer as Json | undefined)?.toAssociate) as Json | undefined;
		const email = (input.email as string | undefined) ?? (upsert?.email as string | undefined) ?? null;
		const customer: SimCustomer | null = upsert || email
			? {
				id: upsert?.id ? (idOf(String(upsert.id), 'Customer') ?? newId(store)) : newId(store),
				firstName: (upsert?.firstName as string | undefined) ?? null, lastName: (upsert?.lastName as string | undefined) ?? null,
				email, phone: (upsert?.phone as string | undefined) ?? null,
			}
			: null;
		const processedAt = typeof input.processedAt === 'string' ? new Date(input.processedAt).toISOString().replace(/\.\d{3}Z$/, 'Z') : now;
		const orderNumber = store.nextOrderNumber++;
		const order: SimOrder = {
			id: newId(store), name: (input.name as string | undefined) ?? `#${orderNumber}`, orderNumber, createdAt: now, updatedAt: now, processedAt,
			cancelledAt: null, cancelReason: null, closed: false, closedAt: null, displayFinancialStatus: 'PENDING', displayFulfillmentStatus: 'UNFULFILLED',
			currencyCode: (input.currency as string | undefined) ?? store.shop.currencyCode, taxesIncluded: included, email,
			phone: (input.phone as string | undefined) ?? null, note: (input.note as string | undefined) ?? null,
			tags: Array.isArray(input.tags) ? [...new Set((input.tags as string[]).map((t) => t.trim()).filter(Boolean))] : [],
			sourceName: (input.sourceName as string | undefined) ?? null, sourceIdentifier: (input.sourceIdentifier as string | undefined) ?? null,
			poNumber: (input.poNumber as string | undefined) ?? null, customer,
			shippingAddress: address(input.shippingAddress), billingAddress: address(input.billingAddress), lineItems: lines,
			shippingLines: rawShipping.map((s) => {
				const price = money(s.priceSet) ?? 0;
				const discounted = discount?.freeShipping ? 0 : price;
				return {
					id: newId(store), title: String(s.title), code: (s.code as string | undefined) ?? null, source: (s.source as string | undefined) ?? null,
					price: decimal(price), discountedPrice: decimal(discounted), taxLines: taxLines(s.taxLines, discounted, included),
				};
			}),
			orderTaxLines,
			transactions: [], customAttributes: (Array.isArray(input.customAttributes) ? (input.customAttributes as Json[]) : []).map((a) => ({ key: String(a.key), value: String(a.value) })),
			inventoryBehaviour: behaviour, locationId, fulfillmentOrders: [], fulfillments: [], refundedAmount: '0.00', refunds: [], test: input.test === true,
			discountCode: discount?.code ?? null, buyerAcceptsMarketing: input.buyerAcceptsMarketing === true,
			receiptRequested: options.sendReceipt === true, receiptSent: options.sendReceipt === true && !!email,
			fulfillmentReceiptRequested: options.sendFulfillmentReceipt === true,
		};
		for (const raw of Array.isArray(input.transactions) ? (input.transactions as Json[]) : []) {
			order.transactions.push({
				id: newId(store), kind: ((raw.kind as string | undefined) ?? 'SALE') as SimTransaction['kind'],
				status: ((raw.status as string | undefined) ?? 'SUCCESS') as SimTransaction['status'], gateway: (raw.gateway as string | undefined) ?? 'manual',
				amount: decimal(money(raw.amountSet) ?? 0), processedAt: typeof raw.processedAt === 'string' ? raw.processedAt : processedAt,
			});
		}
		const total = orderTotals(order).total;
		const paid = paidCents(order);
		const authorized = order.transactions.some((t) => t.kind === 'AUTHORIZATION' && t.status === 'SUCCESS');
		order.displayFinancialStatus = (input.financialStatus as FinancialStatus | undefined)
			?? (paid >= total && paid > 0 ? 'PAID' : paid > 0 ? 'PARTIALLY_PAID' : authorized ? 'AUTHORIZED' : 'PENDING');
		for (const claim of claims.values()) {
			claim.level.available -= claim.quantity;
			claim.level.committed += claim.quantity;
			claim.level.onHand = claim.level.available + claim.level.committed;
			claim.level.updatedAt = now;
		}
		openFulfillmentOrder(store, order);
		store.orders.push(order);
		// options.sendReceipt: "Whether to send an order confirmation to the customer", to the order's email.
		if (order.receiptSent && email) store.emails.push({ to: email, template: 'order_confirmation', orderId: order.id, at: now });
		data.invalidate();
		return { order: views.order(order), userErrors: [] };
	};

	/** draftOrderCreate: https://shopify.dev/docs/api/admin-graphql/latest/mutations/draftOrderCreate */
	const draftOrderCreate = (args: Args): View => {
		const input = (args.input ?? {}) as Json;
		const errors: UserError[] = [];
		const now = data.now();
		const lines: SimDraftOrder['lineItems'] = [];
		(Array.isArray(input.lineItems) ? (input.lineItems as Json[]) : []).forEach((raw, i) => {
			const variantId = raw.variantId ? idOf(String(raw.variantId), 'ProductVariant') : undefined;
			const variant = variantId === undefined ? undefined : data.variant(variantId);
			if (raw.variantId && !variant) {
				errors.push(ue(['lineItems', String(i), 'variantId'], 'Product variant not found'));
				return;
			}
			if (!variant && !raw.title) {
				errors.push(ue(['lineItems', String(i), 'title'], 'Title is required for custom line items'));
				return;
			}
			const price = raw.originalUnitPriceWithCurrency ?? raw.priceOverride;
			const unit = price ? cents(String((price as Json).amount)) : variant ? cents(variant.price) : 0;
			lines.push({
				id: newId(store), variantId: variant?.id ?? null, productId: variant?.productId ?? null, sku: (raw.sku as string | undefined) ?? variant?.sku ?? null,
				title: (raw.title as string | undefined) ?? data.product(variant?.productId ?? 0)?.title ?? 'Product', variantTitle: variant?.title ?? null,
				quantity: Number(raw.quantity), unitPrice: decimal(unit), requiresShipping: raw.requiresShipping !== false, taxable: raw.taxable !== false, custom: !variant,
			});
		});
		if (errors.length > 0) return { draftOrder: null, userErrors: errors };
		const draft: SimDraftOrder = {
			id: newId(store), name: `#D${store.nextDraftNumber++}`, status: 'OPEN', email: (input.email as string | undefined) ?? null,
			note: (input.note as string | undefined) ?? null, tags: Array.isArray(input.tags) ? (input.tags as string[]) : [], taxExempt: input.taxExempt === true,
			shippingAddress: address(input.shippingAddress), billingAddress: address(input.billingAddress), lineItems: lines, createdAt: now, updatedAt: now,
		};
		store.draftOrders.push(draft);
		data.invalidate();
		return { draftOrder: views.draftOrder(draft), userErrors: [] };
	};

	/**
	 * orderCancel: https://shopify.dev/docs/api/admin-graphql/latest/mutations/orderCancel
	 * Shopify runs it as a background Job; the simulator applies it at once and answers with the job
	 * (done: false, as Shopify's first answer; `job(id:)` then says done). restock returns claimed, unfulfilled
	 * stock; refund refunds what was paid (a REFUND transaction), otherwise an unpaid order is voided.
	 */
	const orderCancel = (args: Args): View => {
		const id = idOf(String(args.orderId), 'Order');
		const order = id === undefined ? undefined : data.order(id);
		const fail = (message: string, code: string, field = ['orderId']) => ({ job: null, orderCancelUserErrors: [ue(field, message, code)], userErrors: [ue(field, message)] });
		if (!order) return fail('Order does not exist', 'NOT_FOUND');
		if (order.cancelledAt) return fail('Order has already been cancelled', 'INVALID');
		if (order.fulfillments.some((f) => f.status === 'SUCCESS')) return fail('Cannot cancel an order that has fulfillments', 'INVALID');
		const now = data.now();
		if (args.restock === true) releaseCommitted(ctx, order, now);
		const paid = paidCents(order) - cents(order.refundedAmount);
		if (args.refund === true && paid > 0) {
			order.transactions.push({ id: newId(store), kind: 'REFUND', status: 'SUCCESS', gateway: order.transactions[0]?.gateway ?? 'manual', amount: decimal(paid), processedAt: now });
			order.refundedAmount = decimal(cents(order.refundedAmount) + paid);
			order.displayFinancialStatus = 'REFUNDED';
		} else if (['PENDING', 'AUTHORIZED'].includes(order.displayFinancialStatus)) {
			order.displayFinancialStatus = 'VOIDED';
		}
		order.cancelledAt = now;
		order.cancelReason = String(args.reason);
		order.closed = true;
		order.closedAt = now;
		order.updatedAt = now;
		for (const fo of order.fulfillmentOrders) {
			if (fo.status !== 'CLOSED') {
				fo.status = 'CLOSED';
				fo.updatedAt = now;
			}
		}
		for (const line of order.lineItems) line.fulfillableQuantity = 0;
		data.invalidate();
		const jobId = gid('Job', randomUUID());
		ctx.jobs.set(jobId, true);
		return { job: { id: jobId, done: false, query: () => views.queryRoot() }, orderCancelUserErrors: [], userErrors: [] };
	};

	/**
	 * fulfillmentCreate: https://shopify.dev/docs/api/admin-graphql/latest/mutations/fulfillmentCreate
	 * Fulfils the given fulfillment order lines (all remaining when none are listed), with tracking; a known
	 * carrier without a URL gets one (exact, case-sensitive company match). Claimed stock leaves committed
	 * and on_hand; the order's fulfillment status follows, and a paid, fully fulfilled order is archived.
	 */
	const fulfillmentCreate = (args: Args): View => {
		const input = (args.fulfillment ?? {}) as Json;
		const groups = Array.isArray(input.lineItemsByFulfillmentOrder) ? (input.lineItemsByFulfillmentOrder as Json[]) : [];
		const errors: UserError[] = [];
		if (groups.length === 0) errors.push(ue(['fulfillment', 'lineItemsByFulfillmentOrder'], 'Line items by fulfillment order must not be empty.'));
		let order: SimOrder | undefined;
		const plan: Array<{ fo: SimOrder['fulfillmentOrders'][number]; line: SimOrder['fulfillmentOrders'][number]['lineItems'][number]; quantity: number }> = [];
		groups.forEach((g, gi) => {
			const at = ['fulfillment', 'lineItemsByFulfillmentOrder', String(gi)];
			const foId = idOf(String(g.fulfillmentOrderId), 'FulfillmentOrder');
			const found = foId === undefined ? undefined : data.fulfillmentOrder(foId);
			if (!found) {
				errors.push(ue([...at, 'fulfillmentOrderId'], 'Fulfillment order does not exist.'));
				return;
			}
			if (order && order.id !== found.order.id) {
				errors.push(ue([...at, 'fulfillmentOrderId'], 'All fulfillment orders must belong to the same order.'));
				return;
			}
			order = found.order;
			if (found.fo.status !== 'OPEN' && found.fo.status !== 'IN_PROGRESS') {
				errors.push(ue([...at, 'fulfillmentOrderId'], `Fulfillment order ${g.fulfillmentOrderId} has an unfulfillable status= ${found.fo.status.toLowerCase()}.`));
				return;
			}
			const wanted = Array.isArray(g.fulfillmentOrderLineItems) ? (g.fulfillmentOrderLineItems as Json[]) : undefined;
			if (!wanted) {
				for (const line of found.fo.lineItems) if (line.remainingQuantity > 0) plan.push({ fo: found.fo, line, quantity: line.remainingQuantity });
				return;
			}
			wanted.forEach((w, wi) => {
				const lineId = idOf(String(w.id), 'FulfillmentOrderLineItem');
				const line = found.fo.lineItems.find((l) => l.id === lineId);
				const quantity = Number(w.quantity);
				if (!line) errors.push(ue([...at, 'fulfillmentOrderLineItems', String(wi), 'id'], 'Fulfillment order line item does not exist.'));
				else if (quantity <= 0 || quantity > line.remainingQuantity) {
					errors.push(ue([...at, 'fulfillmentOrderLineItems', String(wi), 'quantity'], `Invalid quantity: ${quantity} requested, ${line.remainingQuantity} remaining.`));
				} else plan.push({ fo: found.fo, line, quantity });
			});
		});
		if (errors.length === 0 && plan.length === 0) errors.push(ue(['fulfillment'], 'There are no line items left to fulfill.'));
		if (errors.length > 0 || !order) return { fulfillment: null, userErrors: errors };
		const now = data.now();
		const tracking = (input.trackingInfo ?? {}) as Json;
		const company = (tracking.company as string | undefined) ?? null;
		const numbers = Array.isArray(tracking.numbers) ? (tracking.numbers as string[]) : tracking.number ? [String(tracking.number)] : [];
		const urls = Array.isArray(tracking.urls) ? (tracking.urls as string[]) : tracking.url ? [String(tracking.url)] : [];
		const trackingInfo = numbers.length > 0
			? numbers.map((n, i) => ({ company, number: n, url: urls[i] ?? trackingUrl(company, n) }))
			: company || urls.length > 0 ? [{ company, number: null, url: urls[0] ?? null }] : [];
		const fulfilled: SimFulfillment['lineItems'] = [];
		for (const step of plan) {
			step.line.remainingQuantity -= step.quantity;
			const item = order.lineItems.find((l) => l.id === step.line.lineItemId);
			if (!item) continue;
			item.fulfillableQuantity -= step.quantity;
			fulfilled.push({ id: newId(store), lineItemId: item.id, quantity: step.quantity });
			const variant = item.variantId === null ? undefined : data.variant(item.variantId);
			const level = variant && order.inventoryBehaviour !== 'BYPASS' ? data.level(variant.inventoryItemId, step.fo.locationId) : undefined;
			if (level) {
				level.committed -= step.quantity;
				level.onHand = level.available + level.committed;
				level.updatedAt = now;
			}
		}
		const fulfillment: SimFulfillment = {
			id: newId(store), orderId: order.id, name: `${order.name}.${order.fulfillments.length + 1}`, locationId: plan[0].fo.locationId, status: 'SUCCESS',
			trackingInfo, notifyCustomer: input.notifyCustomer === true, fulfillmentOrderIds: [...new Set(plan.map((p) => p.fo.id))], lineItems: fulfilled,
			createdAt: now, updatedAt: now,
		};
		order.fulfillments.push(fulfillment);
		refreshFulfillmentState(order, now);
		order.updatedAt = now;
		data.invalidate();
		return { fulfillment: views.fulfillment(order, fulfillment), userErrors: [] };
	};

	/**
	 * fulfillmentTrackingInfoUpdate: https://shopify.dev/docs/api/admin-graphql/latest/mutations/fulfillmentTrackingInfoUpdate
	 * The fulfillment's tracking becomes the input (it replaces, it does not add); a known carrier without a
	 * URL gets one, as in fulfillmentCreate. A cancelled fulfillment cannot be updated (our reading of the
	 * admin, which offers no tracking edit on one).
	 */
	const fulfillmentTrackingInfoUpdate = (args: Args): View => {
		const id = idOf(String(args.fulfillmentId), 'Fulfillment');
		const found = id === undefined ? undefined : data.fulfillment(id);
		if (!found) return { fulfillment: null, userErrors: [ue(['fulfillmentId'], 'Fulfillment does not exist.')] };
		if (found.fulfillment.status !== 'SUCCESS') return { fulfillment: null, userErrors: [ue(['fulfillmentId'], 'Cannot update tracking info on a cancelled fulfillment.')] };
		const tracking = (args.trackingInfoInput ?? {}) as Json;
		const company = (tracking.company as string | undefined) ?? null;
		const numbers = Array.isArray(tracking.numbers) ? (tracking.numbers as string[]) : tracking.number ? [String(tracking.number)] : [];
		const urls = Array.isArray(tracking.urls) ? (tracking.urls as string[]) : tracking.url ? [String(tracking.url)] : [];
		const now = data.now();
		found.fulfillment.trackingInfo = numbers.length > 0
			? numbers.map((n, i) => ({ company, number: n, url: urls[i] ?? trackingUrl(company, n) }))
			: company || urls.length > 0 ? [{ company, number: null, url: urls[0] ?? null }] : [];
		if (args.notifyCustomer === true) found.fulfillment.notifyCustomer = true;
		found.fulfillment.updatedAt = now;
		found.order.updatedAt = now;
		data.invalidate();
		return { fulfillment: views.fulfillment(found.order, found.fulfillment), userErrors: [] };
	};

	/**
	 * inventorySetQuantities (2026-04 rules): https://shopify.dev/docs/api/admin-graphql/latest/mutations/inventorySetQuantities
	 * Absolute `available` or `on_hand` per item × location, all or nothing; `changeFromQuantity` is a
	 * compare-and-swap on the named quantity (CHANGE_FROM_QUANTITY_STALE), null skips it.
	 */
	const inventorySetQuantities = (args: Args, _context: unknown, info: GraphQLResolveInfo): View =>
		idempotent(ctx, info, args, { inventoryAdjustmentGroup: null }, () => {
			const input = (args.input ?? {}) as Json;
			// The schema's default (false) fills the field in when absent, so only a real use can be told apart.
			if (input.ignoreCompareQuantity === true) {
				throw new GraphQLError("InputObject 'InventorySetQuantitiesInput' doesn't accept argument 'ignoreCompareQuantity'", {
					extensions: { code: 'argumentNotAccepted', name: 'InventorySetQuantitiesInput', typeName: 'InputObject', argumentName: 'ignoreCompareQuantity' },
				});
			}
			const quantities = (input.quantities ?? []) as Json[];
			requireChangeFrom(quantities, 'InventoryQuantityInput', 'quantities');
			const name = String(input.name);
			const errors: UserError[] = [];
			if (name !== 'available' && name !== 'on_hand') errors.push(ue(['input', 'name'], "The quantity name must be either 'available' or 'on_hand'.", 'INVALID_NAME'));
			if (!INVENTORY_REASONS.includes(String(input.reason))) errors.push(ue(['input', 'reason'], 'The specified reason is invalid.', 'INVALID_REASON'));
			const targets = inventoryTargets(ctx, quantities, 'quantities', errors);
			quantities.forEach((q, i) => {
				const target = targets[i];
				const at = ['input', 'quantities', String(i)];
				const quantity = Number(q.quantity);
				if (quantity < 0) errors.push(ue([...at, 'quantity'], "The quantity can't be negative.", 'INVALID_QUANTITY_NEGATIVE'));
				if (quantity > 1_000_000_000) errors.push(ue([...at, 'quantity'], "The quantity can't be higher than 1,000,000,000.", 'INVALID_QUANTITY_TOO_HIGH'));
				if (target && q.changeFromQuantity !== null && errors.length === 0 && (name === 'available' || name === 'on_hand')) {
					const current = quantityOf(target.level, name);
					if (current !== q.changeFromQuantity) {
						errors.push(ue([...at, 'changeFromQuantity'], `The changeFromQuantity value does not match persisted value (${current}).`, 'CHANGE_FROM_QUANTITY_STALE'));
					}
				}
			});
			if (errors.length > 0) return { payload: { inventoryAdjustmentGroup: null, userErrors: errors }, failed: true };
			const now = data.now();
			const changes: Change[] = [];
			quantities.forEach((q, i) => {
				const target = targets[i]!;
				const before = quantityOf(target.level, name);
				setQuantity(target.level, name, Number(q.quantity));
				target.level.updatedAt = now;
				recordChanges(changes, target, name, Number(q.quantity) - before, null);
			});
			return { payload: { inventoryAdjustmentGroup: adjustmentGroup(ctx, String(input.reason), input.referenceDocumentUri, changes), userErrors: [] }, failed: false };
		});

	/**
	 * inventoryAdjustQuantities (2026-04 rules): https://shopify.dev/docs/api/admin-graphql/latest/mutations/inventoryAdjustQuantities
	 * Deltas on `available` or `on_hand` (other states are not modelled); ledgerDocumentUri is required for
	 * every name but available and refused with available; `changeFromQuantity` is mandatory (null skips the check).
	 */
	const inventoryAdjustQuantities = (args: Args, _context: unknown, info: GraphQLResolveInfo): View =>
		idempotent(ctx, info, args, { inventoryAdjustmentGroup: null }, () => {
			const input = (args.input ?? {}) as Json;
			const list = (input.changes ?? []) as Json[];
			requireChangeFrom(list, 'InventoryChangeInput', 'changes');
			const name = String(input.name);
			const errors: UserError[] = [];
			if (name !== 'available' && name !== 'on_hand') {
				errors.push(ue(['input', 'name'], `The quantity name '${name}' is not supported (the simulator models available and on_hand).`, 'INVALID_QUANTITY_NAME'));
			}
			if (!INVENTORY_REASONS.includes(String(input.reason))) errors.push(ue(['input', 'reason'], 'The specified reason is invalid.', 'INVALID_REASON'));
			const targets = inventoryTargets(ctx, list, 'changes', errors);
			list.forEach((c, i) => {
				const at = ['input', 'changes', String(i)];
				const ledger = c.ledgerDocumentUri as string | null | undefined;
				if (name === 'available' && ledger) errors.push(ue([...at, 'ledgerDocumentUri'], 'A ledger document URI is not allowed when adjusting available.', 'INVALID_AVAILABLE_DOCUMENT'));
				if (name !== 'available' && !ledger) errors.push(ue([...at, 'ledgerDocumentUri'], `A ledger document URI is required when adjusting ${name}.`, 'INVALID_QUANTITY_DOCUMENT'));
				if (ledger && ledger.startsWith('gid://shopify/')) errors.push(ue([...at, 'ledgerDocumentUri'], 'A Shopify global ID is not a valid ledger document URI.', 'INVALID_LEDGER_DOCUMENT'));
				const target = targets[i];
				if (target && c.changeFromQuantity !== null && (name === 'available' || name === 'on_hand')) {
					const current = quantityOf(target.level, name);
					if (current !== c.changeFromQuantity) {
						errors.push(ue([...at, 'changeFromQuantity'], `The changeFromQuantity value does not match persisted value (${current}).`, 'CHANGE_FROM_QUANTITY_STALE'));
					}
				}
			});
			if (errors.length > 0) return { payload: { inventoryAdjustmentGroup: null, userErrors: errors }, failed: true };
			const now = data.now();
			const changes: Change[] = [];
			list.forEach((c, i) => {
				const target = targets[i]!;
				const delta = Number(c.delta);
				setQuantity(target.level, name, quantityOf(target.level, name) + delta);
				target.level.updatedAt = now;
				recordChanges(changes, target, name, delta, (c.ledgerDocumentUri as string | undefined) ?? null);
			});
			return { payload: { inventoryAdjustmentGroup: adjustmentGroup(ctx, String(input.reason), input.referenceDocumentUri, changes), userErrors: [] }, failed: false };
		});

	/**
	 * refundCreate (2026-04 rules): https://shopify.dev/docs/api/admin-graphql/latest/mutations/refundCreate
	 * (input https://shopify.dev/docs/api/admin-graphql/latest/input-objects/RefundInput). `@idempotent(key:)` is
	 * mandatory from 2026-04 (https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations):
	 * a retry with the same key answers the first result and refunds nothing more. All or nothing: any userError
	 * and nothing is written.
	 *
	 * refundLineItems: at most the line's refundableQuantity ("quantity, minus the refunded quantity"), counting
	 * earlier refunds and earlier entries of the same input. The restock types
	 * (https://shopify.dev/docs/api/admin-graphql/latest/enums/RefundLineItemRestockType):
	 * - CANCEL ("use this when restocking unfulfilled line items") takes unfulfilled units only;
	 * - RETURN ("use this when restocking line items that were fulfilled") and NO_RESTOCK take shipped units first,
	 *   then unfulfilled ones (Shopify refunds shipped quantities first:
	 *   https://community.shopify.dev/t/refunding-an-unfulfilled-item-without-restocking/19953);
	 * - LEGACY_RESTOCK "is not accepted when creating new refunds"; restockType absent is NO_RESTOCK.
	 * Refunded unfulfilled units leave the fulfillment (fulfillableQuantity and the fulfillment order line go
	 * down). Stock, for orders that claimed it (inventoryBehaviour other than BYPASS: a BYPASS order never moves
	 * stock, its fulfillments included) and tracked items: unfulfilled units leave `committed` at the order's
	 * location and, when restocked (RETURN, CANCEL), go back to `available` there; not restocked, on_hand goes
	 * down with them. Shipped units returned (RETURN) are added to available and on_hand at `locationId`, which
	 * is then required. NO_RESTOCK ignores locationId ("If the restockType is NO_RESTOCK, then this value is empty").
	 *
	 * Money moves only through `transactions` (kind REFUND, orderId the refunded order, parentId a successful
	 * sale or capture of it), at most what was received and not yet refunded; the order becomes
	 * PARTIALLY_REFUNDED, or REFUNDED once the refunds reach what was received. A refund without transactions
	 * (a restock, the money settled elsewhere) leaves the financial status alone. `shipping` records the shipping
	 * refunded (amount, which wins over fullRefund; fullRefund: what is left of it), at most what is left.
	 *
	 * Our readings where the docs are silent: the userError wordings and field paths (relative to `input`);
	 * CANCEL on more units than are unfulfilled is refused rather than carried over to shipped units; the refund
	 * line item's price is the unit price after all the line's discounts (a discount code's allocation included),
	 * its subtotal and tax the refunded units' share of the line's amount after discounts and of its tax; the shipping refund carries no tax; `notify` is recorded (no refund
	 * notification reaches the outbox); `currency` and `discrepancyReason` are not checked (one-currency shop); the
	 * order has no duties, so any refundDuties entry is refused.
	 */
	const refundCreate = (args: Args, _context: unknown, info: GraphQLResolveInfo): View =>
		idempotent(ctx, info, args, { order: null, refund: null }, () => {
			const input = (args.input ?? {}) as Json;
			const refused = (errors: UserError[]) => ({ payload: { order: null, refund: null, userErrors: errors }, failed: true });
			const orderId = idOf(String(input.orderId), 'Order');
			const order = orderId === undefined ? undefined : data.order(orderId);
			if (!order) return refused([ue(['orderId'], 'Order does not exist.')]);
			const errors: UserError[] = [];

			interface Step {
				line: SimLineItem;
				quantity: number;
				restockType: RestockType;
				unfulfilled: number;
				shipped: number;
				locationId: number | null;
				/** The order's stock level the unfulfilled units were claimed from. */
				claimed?: SimInventoryLevel;
				/** The level shipped units are returned to. */
				returnedTo?: SimInventoryLevel;
			}
			const steps: Step[] = [];
			const left = new Map<number, { refundable: number; unfulfilled: number; shipped: number }>();
			const rawLines = Array.isArray(input.refundLineItems) ? (input.refundLineItems as Json[]) : [];
			rawLines.forEach((raw, i) => {
				const at = ['refundLineItems', String(i)];
				const lineId = idOf(String(raw.lineItemId), 'LineItem');
				const line = order.lineItems.find((l) => l.id === lineId);
				if (!line) {
					errors.push(ue([...at, 'lineItemId'], 'Line item does not exist on this order.'));
					return;
				}
				const quantity = Number(raw.quantity);
				const restockType = ((raw.restockType as string | null | undefined) ?? 'NO_RESTOCK') as RestockType;
				if (!Number.isInteger(quantity) || quantity <= 0) {
					errors.push(ue([...at, 'quantity'], 'Quantity must be greater than 0.'));
					return;
				}
				if (restockType === 'LEGACY_RESTOCK') {
					errors.push(ue([...at, 'restockType'], 'LEGACY_RESTOCK is not accepted when creating new refunds; use RETURN, CANCEL or NO_RESTOCK.'));
					return;
				}
				let units = left.get(line.id);
				if (!units) {
					const refunded = refundedUnits(order, line.id);
					const refundable = refundableUnits(order, line);
					const unfulfilled = Math.min(refundable, Math.max(0, line.fulfillableQuantity));
					const shipped = Math.min(refundable - unfulfilled, Math.max(0, fulfilledUnits(order, line.id) - (refunded.all - refunded.unfulfilled)));
					units = { refundable, unfulfilled, shipped };
					left.set(line.id, units);
				}
				if (quantity > units.refundable) {
					errors.push(ue([...at, 'quantity'], `Cannot refund ${quantity} of line item ${line.sku ?? line.name}: only ${units.refundable} can be refunded.`));
					return;
				}
				if (restockType === 'CANCEL' && quantity > units.unfulfilled) {
					errors.push(ue([...at, 'quantity'], `Cannot cancel ${quantity} of line item ${line.sku ?? line.name}: only ${units.unfulfilled} are unfulfilled; use RETURN for fulfilled units.`));
					return;
				}
				const shipped = restockType === 'CANCEL' ? 0 : Math.min(quantity, units.shipped);
				const unfulfilled = Math.min(quantity - shipped, units.unfulfilled);
				let location: number | null = null;
				if (restockType !== 'NO_RESTOCK' && raw.locationId !== undefined && raw.locationId !== null) {
					const id = idOf(String(raw.locationId), 'Location');
					if (id === undefined || !data.location(id)) {
						errors.push(ue([...at, 'locationId'], 'Location does not exist.'));
						return;
					}
					location = id;
				}
				if (restockType === 'RETURN' && shipped > 0 && location === null) {
					errors.push(ue([...at, 'locationId'], 'A location is required to restock returned items that were fulfilled.'));
					return;
				}
				const variant = line.variantId === null ? undefined : data.variant(line.variantId);
				const item = variant ? data.inventoryItem(variant.inventoryItemId) : undefined;
				const moves = order.inventoryBehaviour !== 'BYPASS' && !!item?.tracked;
				const claimed = moves && unfulfilled > 0 && order.locationId !== null ? data.level(item!.id, order.locationId) : undefined;
				let returnedTo: SimInventoryLevel | undefined;
				if (moves && restockType === 'RETURN' && shipped > 0 && location !== null) {
					returnedTo = data.level(item!.id, location);
					if (!returnedTo) {
						errors.push(ue([...at, 'locationId'], `Line item ${line.sku ?? line.name} is not stocked at the location.`));
						return;
					}
				}
				units.refundable -= quantity;
				units.unfulfilled -= unfulfilled;
				units.shipped -= shipped;
				steps.push({ line, quantity, restockType, unfulfilled, shipped, locationId: restockType === 'NO_RESTOCK' ? null : (location ?? order.locationId), claimed, returnedTo });
			});

			(Array.isArray(input.refundDuties) ? (input.refundDuties as Json[]) : []).forEach((_d, i) => {
				errors.push(ue(['refundDuties', String(i), 'dutyId'], 'Duty does not exist on this order.'));
			});

			const rawTransactions = Array.isArray(input.transactions) ? (input.transactions as Json[]) : [];
			const amounts: number[] = [];
			rawTransactions.forEach((t, i) => {
				const at = ['transactions', String(i)];
				const amount = cents(String(t.amount));
				amounts.push(amount);
				if (t.kind !== 'REFUND') errors.push(ue([...at, 'kind'], `A refund's transactions must be of kind REFUND, not ${String(t.kind)}.`));
				if (!(amount > 0)) errors.push(ue([...at, 'amount'], 'Amount must be greater than 0.'));
				if (idOf(String(t.orderId), 'Order') !== order.id) errors.push(ue([...at, 'orderId'], "The transaction's order must be the order refunded."));
				if (t.parentId !== undefined && t.parentId !== null) {
					const parentId = idOf(String(t.parentId), 'OrderTransaction');
					const parent = order.transactions.find((x) => x.id === parentId && x.status === 'SUCCESS' && (x.kind === 'SALE' || x.kind === 'CAPTURE'));
					if (!parent) errors.push(ue([...at, 'parentId'], 'Parent transaction does not exist on this order, or is not a successful sale or capture.'));
				}
			});
			const refundTotal = amounts.reduce((s, a) => s + Math.max(0, a), 0);
			const refundableMoney = Math.max(0, paidCents(order) - cents(order.refundedAmount));
			if (refundTotal > refundableMoney) {
				errors.push(ue(['transactions'], `Refund amount (${decimal(refundTotal)}) is more than what can be refunded (${decimal(refundableMoney)}).`));
			}

			const shippingInput = (input.shipping ?? null) as Json | null;
			const shippingLeft = order.shippingLines.reduce((s, l) => s + cents(l.discountedPrice), 0) - order.refunds.reduce((s, r) => s + cents(r.shipping), 0);
			let shipping = 0;
			if (shippingInput) {
				if (shippingInput.amount !== undefined && shippingInput.amount !== null) shipping = cents(String(shippingInput.amount));
				else if (shippingInput.fullRefund === true) shipping = Math.max(0, shippingLeft);
				if (shipping < 0) errors.push(ue(['shipping', 'amount'], 'Shipping amount must be greater than or equal to 0.'));
				else if (shipping > shippingLeft) {
					errors.push(ue(['shipping', 'amount'], `Shipping amount (${decimal(shipping)}) is more than the shipping left to refund (${decimal(Math.max(0, shippingLeft))}).`));
				}
			}
			if (errors.length > 0) return refused(errors);

			const now = data.now();
			const refund: SimRefund = {
				id: newId(store), note: (input.note as string | null | undefined) ?? null, notify: input.notify === true, createdAt: now,
				refundLineItems: [], transactionIds: [], shipping: decimal(shipping),
			};
			for (const step of steps) {
				const { line } = step;
				const restocked = step.restockType === 'RETURN' || step.restockType === 'CANCEL';
				if (step.unfulfilled > 0) {
					line.fulfillableQuantity = Math.max(0, line.fulfillableQuantity - step.unfulfilled);
					let removing = step.unfulfilled;
					for (const fo of order.fulfillmentOrders) {
						if (fo.status === 'CLOSED' || fo.status === 'CANCELLED') continue;
						for (const fl of fo.lineItems) {
							if (fl.lineItemId !== line.id || removing === 0) continue;
							const n = Math.min(removing, fl.remainingQuantity);
							fl.remainingQuantity -= n;
							fl.totalQuantity -= n;
							removing -= n;
							if (n > 0) fo.updatedAt = now;
						}
					}
					if (step.claimed) {
						step.claimed.committed -= step.unfulfilled;
						if (restocked) step.claimed.available += step.unfulfilled;
						step.claimed.onHand = step.claimed.available + step.claimed.committed;
						step.claimed.updatedAt = now;
					}
				}
				if (step.returnedTo) {
					step.returnedTo.available += step.shipped;
					step.returnedTo.onHand = step.returnedTo.available + step.returnedTo.committed;
					step.returnedTo.updatedAt = now;
				}
				const paid = cents(line.unitPrice) * line.quantity - cents(line.discount);
				const tax = line.taxLines.reduce((s, t) => s + cents(t.price), 0);
				const share = (amount: number) => (line.quantity > 0 ? Math.round((amount * step.quantity) / line.quantity) : 0);
				refund.refundLineItems.push({
					id: newId(store), lineItemId: line.id, quantity: step.quantity, restockType: step.restockType, restocked, locationId: step.locationId,
					unfulfilledQuantity: step.unfulfilled, price: decimal(line.quantity > 0 ? Math.round(paid / line.quantity) : 0),
					subtotal: decimal(share(paid)), totalTax: decimal(share(tax)),
				});
			}
			rawTransactions.forEach((t, i) => {
				const parentId = t.parentId === undefined || t.parentId === null ? null : (idOf(String(t.parentId), 'OrderTransaction') ?? null);
				const transaction: SimTransaction = {
					id: newId(store), kind: 'REFUND', status: 'SUCCESS', gateway: String(t.gateway), amount: decimal(amounts[i]), processedAt: now, parentId,
				};
				order.transactions.push(transaction);
				refund.transactionIds.push(transaction.id);
			});
			if (refundTotal > 0) {
				order.refundedAmount = decimal(cents(order.refundedAmount) + refundTotal);
				order.displayFinancialStatus = cents(order.refundedAmount) >= paidCents(order) ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
			}
			order.refunds.push(refund);
			refreshFulfillmentState(order, now);
			order.updatedAt = now;
			data.invalidate();
			return { payload: { order: views.order(order), refund: views.refundOf(order, refund), userErrors: [] }, failed: false };
		});

	/** The taggable resources the simulator has: orders, products, draft orders. */
	const taggable = (id: string): { tags: string[]; touch: (now: string) => void } | undefined => {
		const parsed = /^gid:\/\/shopify\/(\w+)\/(\d+)/.exec(id);
		if (!parsed) return undefined;
		const n = Number(parsed[2]);
		const target = parsed[1] === 'Order' ? data.order(n) : parsed[1] === 'Product' ? data.product(n) : parsed[1] === 'DraftOrder' ? data.draftOrder(n) : undefined;
		return target ? { tags: target.tags, touch: (now) => (target.updatedAt = now) } : undefined;
	};

	/** tagsAdd / tagsRemove: https://shopify.dev/docs/api/admin-graphql/latest/mutations/tagsAdd */
	const tagsChange = (adding: boolean) => (args: Args): View => {
		const id = String(args.id);
		const target = taggable(id);
		if (!target) return { node: null, userErrors: [ue(['id'], 'Resource not found')] };
		const tags = (args.tags as string[]).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
		for (const tag of tags) {
			const at = target.tags.findIndex((t) => t.toLowerCase() === tag.toLowerCase());
			if (adding && at < 0) target.tags.push(tag);
			if (!adding && at >= 0) target.tags.splice(at, 1);
		}
		target.touch(data.now());
		data.invalidate();
		return { node: views.node(id), userErrors: [] };
	};

	/** orderUpdate: https://shopify.dev/docs/api/admin-graphql/latest/mutations/orderUpdate */
	const orderUpdate = (args: Args): View => {
		const input = (args.input ?? {}) as Json;
		const id = idOf(String(input.id), 'Order');
		const order = id === undefined ? undefined : data.order(id);
		if (!order) return { order: null, userErrors: [ue(['id'], 'Order does not exist')] };
		if ('email' in input) order.email = (input.email as string | null) ?? null;
		if ('note' in input) order.note = (input.note as string | null) ?? null;
		if ('poNumber' in input) order.poNumber = (input.poNumber as string | null) ?? null;
		if (Array.isArray(input.tags)) order.tags = [...new Set((input.tags as string[]).map((t) => t.trim()).filter(Boolean))];
		if ('shippingAddress' in input) order.shippingAddress = address(input.shippingAddress);
		if (Array.isArray(input.customAttributes)) order.customAttributes = (input.customAttributes as Json[]).map((a) => ({ key: String(a.key), value: String(a.value) }));
		order.updatedAt = data.now();
		data.invalidate();
		return { order: views.order(order), userErrors: [] };
	};

	/**
	 * productUpdate (the 2024-10+ `product: ProductUpdateInput` form): https://shopify.dev/docs/api/admin-graphql/latest/mutations/productUpdate
	 * The simulator models `status` and `title`; any other field is refused with a userError, so no test
	 * can lean on behaviour the simulator does not have. An unknown product answers "Product does not exist".
	 */
	const productUpdate = (args: Args): View => {
		const input = (args.product ?? {}) as Json;
		if (input.id === undefined || input.id === null) return { product: null, userErrors: [ue(['product', 'id'], 'Product id is required to update a product')] };
		const id = idOf(String(input.id), 'Product');
		const product = id === undefined ? undefined : data.product(id);
		if (!product) return { product: null, userErrors: [ue(['product', 'id'], 'Product does not exist')] };
		// The schema fills in deleteConflictingConstrainedMetafields: false when absent; only a real use is unmodelled.
		const unmodelled = Object.keys(input).filter((k) => !['id', 'status', 'title'].includes(k) && input[k] !== undefined && !(k === 'deleteConflictingConstrainedMetafields' && input[k] === false));
		if (unmodelled.length > 0) return { product: views.product(product), userErrors: [ue(['product', unmodelled[0]], `The simulator does not model ${unmodelled.join(', ')}`)] };
		if (input.title !== undefined) {
			if (typeof input.title !== 'string' || input.title.trim() === '') return { product: views.product(product), userErrors: [ue(['product', 'title'], "Title can't be blank")] };
			product.title = input.title;
		}
		if (input.status !== undefined && input.status !== null) product.status = input.status as SimProduct['status'];
		product.updatedAt = data.now();
		data.invalidate();
		return { product: views.product(product), userErrors: [] };
	};

	/** orderMarkAsPaid: https://shopify.dev/docs/api/admin-graphql/latest/mutations/orderMarkAsPaid */
	const orderMarkAsPaid = (args: Args): View => {
		const input = (args.input ?? {}) as Json;
		const id = idOf(String(input.id), 'Order');
		const order = id === undefined ? undefined : data.order(id);
		if (!order) return { order: null, userErrors: [ue(['id'], 'Order does not exist')] };
		if (!['PENDING', 'PARTIALLY_PAID'].includes(order.displayFinancialStatus) || order.cancelledAt) {
			return { order: views.order(order), userErrors: [ue(['id'], 'Order cannot be marked as paid.')] };
		}
		const now = data.now();
		const due = orderTotals(order).total - paidCents(order);
		order.transactions.push({ id: newId(store), kind: 'SALE', status: 'SUCCESS', gateway: 'manual', amount: decimal(due), processedAt: now });
		order.displayFinancialStatus = 'PAID';
		refreshFulfillmentState(order, now);
		order.updatedAt = now;
		data.invalidate();
		return { order: views.order(order), userErrors: [] };
	};

	return {
		orderCreate,
		draftOrderCreate,
		orderCancel,
		fulfillmentCreate,
		fulfillmentTrackingInfoUpdate,
		inventorySetQuantities,
		inventoryAdjustQuantities,
		tagsAdd: tagsChange(true),
		tagsRemove: tagsChange(false),
		orderUpdate,
		orderMarkAsPaid,
		refundCreate,
		productUpdate,
	};
}
