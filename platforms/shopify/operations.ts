/**
 * The Shopify Admin GraphQL operations the store-facing nodes use, each a validated document (the unit
 * tests check every one against the official schema) and a thin function that sends it through the one
 * client and turns `userErrors` into PlatformError. Look-ups are batched: one request for many SKUs.
 */
import { PlatformError } from '../errors';
import type { Connection, ShopifyClient } from './client';
import { userErrorsOf } from './client';

const VARIANT_FIELDS = `id sku barcode title inventoryPolicy
	product { id handle title status }
	inventoryItem { id tracked }`;

export const VARIANTS_QUERY = `query Variants($first: Int!, $after: String, $query: String) {
	productVariants(first: $first, after: $after, query: $query) { nodes { ${VARIANT_FIELDS} } pageInfo { hasNextPage endCursor } }
}`;

export const PRODUCTS_BY_HANDLE_QUERY = `query ProductsByHandle($first: Int!, $after: String, $query: String) {
	products(first: $first, after: $after, query: $query) {
		nodes { handle variants(first: 50) { nodes { ${VARIANT_FIELDS} } } }
		pageInfo { hasNextPage endCursor }
	}
}`;

export const LOCATIONS_QUERY = `query Locations($first: Int!, $after: String) {
	locations(first: $first, after: $after) { nodes { id name isActive fulfillsOnlineOrders } pageInfo { hasNextPage endCursor } }
}`;

export const INVENTORY_LEVELS_QUERY = `query InventoryLevels($ids: [ID!]!) {
	nodes(ids: $ids) {
		... on InventoryItem {
			id
			inventoryLevels(first: 50) { nodes { location { id } quantities(names: ["available", "on_hand", "committed"]) { name quantity } } }
		}
	}
}`;

export const ORDERS_BY_SOURCE_QUERY = `query OrdersBySource($first: Int!, $after: String, $query: String) {
	orders(first: $first, after: $after, query: $query) { nodes { id name sourceIdentifier tags createdAt cancelledAt } pageInfo { hasNextPage endCursor } }
}`;

export const DRAFTS_BY_TAG_QUERY = `query DraftsByTag($first: Int!, $after: String, $query: String) {
	draftOrders(first: $first, after: $after, query: $query) { nodes { id name tags createdAt status } pageInfo { hasNextPage endCursor } }
}`;

export const SHOP_EMAIL_QUERY = `query ShopEmail { shop { email contactEmail } }`;

export const TAGS_ADD_MUTATION = `mutation TagsAdd($id: ID!, $tags: [String!]!) {
	tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
}`;

export const ORDER_CREATE_MUTATION = `mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
	orderCreate(order: $order, options: $options) { order { id name createdAt } userErrors { field message code } }
}`;

export const DRAFT_ORDER_CREATE_MUTATION = `mutation DraftOrderCreate($input: DraftOrderInput!) {
	draftOrderCreate(input: $input) { draftOrder { id name createdAt } userErrors { field message } }
}`;

export const ORDER_CANCEL_MUTATION = `mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!, $refund: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
	orderCancel(orderId: $orderId, reason: $reason, restock: $restock, refund: $refund, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
		job { id done }
		orderCancelUserErrors { field message code }
	}
}`;

export const FULFILLMENT_ORDERS_QUERY = `query FulfillmentOrders($id: ID!) {
	order(id: $id) {
		fulfillmentOrders(first: 20) {
			nodes { id status lineItems(first: 50) { nodes { id remainingQuantity lineItem { id sku } } } }
		}
	}
}`;

export const FULFILLMENT_CREATE_MUTATION = `mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
	fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id status trackingInfo { company number url } } userErrors { field message } }
}`;

/** `@idempotent` is mandatory on inventory writes from 2026-04: a retry with the same key is applied once. */
export const INVENTORY_SET_MUTATION = `mutation InventorySet($input: InventorySetQuantitiesInput!, $key: String!) {
	inventorySetQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { id } userErrors { field message code } }
}`;

export const INVENTORY_ADJUST_MUTATION = `mutation InventoryAdjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
	inventoryAdjustQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { id createdAt } userErrors { field message code } }
}`;

export const ORDER_LINES_FOR_REFUND_QUERY = `query OrderLinesForRefund($id: ID!) {
	order(id: $id) { id cancelledAt lineItems(first: 100) { nodes { id sku quantity refundableQuantity fulfillableQuantity variant { id } } } }
}`;

/** `@idempotent` is mandatory on refundCreate from 2026-04, as on inventory writes. */
export const REFUND_CREATE_MUTATION = `mutation RefundCreate($input: RefundInput!, $key: String!) {
	refundCreate(input: $input) @idempotent(key: $key) { refund { id } userErrors { field message } }
}`;

export interface RefundableLine {
	id: string;
	sku: string | null;
	quantity: number;
	refundableQuantity: number;
	fulfillableQuantity: number;
	variant: { id: string } | null;
}

export async function orderLinesForRefund(client: ShopifyClient, orderId: string): Promise<{ cancelledAt: string | null; lines: RefundableLine[] }> {
	const data = await client.request<{ order: { cancelledAt: string | null; lineItems: { nodes: RefundableLine[] } } | null }>(ORDER_LINES_FOR_REFUND_QUERY, { id: orderId });
	if (!data.order) throw new PlatformError('Shopify', `order ${orderId} was not found`, 200, 'NOT_FOUND', 'It may have been deleted in Shopify; the refund was not restocked.');
	return { cancelledAt: data.order.cancelledAt, lines: data.order.lineItems.nodes };
}

/** Refunds line items with restock, under an idempotency key (a retry refunds once). */
export async function refundCreate(client: ShopifyClient, key: string, input: Record<string, unknown>): Promise<string> {
	type Payload = { refundCreate: { refund: { id: string } | null; userErrors: Array<{ field: string[] | null; message: string }> } };
	const data = await client.request<Payload>(REFUND_CREATE_MUTATION, { key, input }, { write: true });
	const refused = userErrorsOf(data.refundCreate, 'Refunding');
	if (refused) throw refused;
	return data.refundCreate.refund?.id ?? '';
}

export interface ShopifyVariant {
	id: string;
	sku: string | null;
	barcode: string | null;
	title: string;
	inventoryPolicy: 'DENY' | 'CONTINUE';
	product: { id: string; handle: string; title: string; status: string };
	inventoryItem: { id: string; tracked: boolean };
}

/** Values per search query: Shopify's search string stays short and one page answers most batches. */
const BATCH = 50;

/** A value as a quoted term of Shopify's search syntax. */
export function quoted(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Variants by SKU, barcode or product handle, many values per request. Every value maps to all the
 * variants that carry it (two means ambiguous: the caller flags it rather than guessing).
 */
export async function variantsBy(client: ShopifyClient, by: 'sku' | 'barcode' | 'handle', values: readonly string[]): Promise<Map<string, ShopifyVariant[]>> {
	const found = new Map<string, ShopifyVariant[]>(values.map((v) => [v, []]));
	const unique = [...new Set(values.filter((v) => v !== ''))];
	for (let i = 0; i < unique.length; i += BATCH) {
		const batch = unique.slice(i, i + BATCH);
		const query = batch.map((v) => `${by}:${quoted(v)}`).join(' OR ');
		if (by === 'handle') {
			type Page = { products: Connection<{ handle: string; variants: { nodes: ShopifyVariant[] } }> };
			for await (const nodes of client.pages<Page["products"]["nodes"][number]>(PRODUCTS_BY_HANDLE_QUERY, { first: 3, query }, (d) => (d as Page).products)) {
				for (const product of nodes) found.get(product.handle)?.push(...product.variants.nodes);
			}
		} else {
			type Page = { productVariants: Connection<ShopifyVariant> };
			for await (const nodes of client.pages<ShopifyVariant>(VARIANTS_QUERY, { first: 100, query }, (d) => (d as Page).productVariants)) {
				for (const variant of nodes) {
					const key = by === 'sku' ? variant.sku : variant.barcode;
					if (key !== null) found.get(key)?.push(variant);
				}
			}
		}
	}
	return found;
}

export async function locations(client: ShopifyClient): Promise<Array<{ id: string; name: string; isActive: boolean; fulfillsOnlineOrders: boolean }>> {
	type Location = { id: string; name: string; isActive: boolean; fulfillsOnlineOrders: boolean };
	const all: Location[] = [];
	for await (const nodes of client.pages<Location>(LOCATIONS_QUERY, { first: 100 }, (d) => (d as { locations: Connection<Location> }).locations)) all.push(...nodes);
	return all;
}

export interface SourcedOrder {
	id: string;
	name: string;
	sourceIdentifier: string | null;
	tags: string[];
	createdAt: string;
	cancelledAt: string | null;
}

/**
 * Orders whose `sourceIdentifier` is one of `identifiers`, 50 identifiers per search: how a push looks
 * before it writes (orderCreate has no idempotency key), and after, to find a concurrent duplicate.
 */
export async function ordersBySource(client: ShopifyClient, identifiers: readonly string[]): Promise<Map<string, SourcedOrder[]>> {
	const found = new Map<string, SourcedOrder[]>(identifiers.map((id) => [id, []]));
	const unique = [...new Set(identifiers)];
	for (let i = 0; i < unique.length; i += BATCH) {
		const query = unique.slice(i, i + BATCH).map((id) => `source_identifier:${quoted(id)}`).join(' OR ');
		for await (const nodes of client.pages<SourcedOrder>(ORDERS_BY_SOURCE_QUERY, { first: 100, query }, (d) => (d as { orders: Connection<SourcedOrder> }).orders)) {
			for (const order of nodes) if (order.sourceIdentifier !== null) found.get(order.sourceIdentifier)?.push(order);
		}
	}
	return found;
}

export interface TaggedDraft {
	id: string;
	name: string;
	tags: string[];
	createdAt: string;
	status: string;
}

/** Draft orders carrying one of `tags` (drafts have no sourceIdentifier), 50 tags per search. */
export async function draftsByTag(client: ShopifyClient, tags: readonly string[]): Promise<Map<string, TaggedDraft[]>> {
	const found = new Map<string, TaggedDraft[]>(tags.map((t) => [t, []]));
	const unique = [...new Set(tags)];
	for (let i = 0; i < unique.length; i += BATCH) {
		const query = unique.slice(i, i + BATCH).map((t) => `tag:${quoted(t)}`).join(' OR ');
		for await (const nodes of client.pages<TaggedDraft>(DRAFTS_BY_TAG_QUERY, { first: 100, query }, (d) => (d as { draftOrders: Connection<TaggedDraft> }).draftOrders)) {
			for (const draft of nodes) for (const tag of draft.tags) found.get(tag)?.push(draft);
		}
	}
	return found;
}

export async function shopEmail(client: ShopifyClient): Promise<string | null> {
	const data = await client.request<{ shop: { email: string | null; contactEmail: string | null } }>(SHOP_EMAIL_QUERY);
	return data.shop.contactEmail || data.shop.email || null;
}

export async function tagsAdd(client: ShopifyClient, id: string, tags: string[]): Promise<void> {
	const data = await client.request<{ tagsAdd: { userErrors: Array<{ field: string[] | null; message: string }> } }>(TAGS_ADD_MUTATION, { id, tags });
	const refused = userErrorsOf(data.tagsAdd, 'Adding tags');
	if (refused) throw refused;
}

export type InventoryBehaviour = 'BYPASS' | 'DECREMENT_IGNORING_POLICY' | 'DECREMENT_OBEYING_POLICY';

export interface OrderCreateOptions {
	inventoryBehaviour: InventoryBehaviour;
	sendReceipt?: boolean;
	sendFulfillmentReceipt?: boolean;
}

/** Creates an order; not repeated on a lost answer (the caller looks it up by sourceIdentifier first). */
export async function orderCreate(client: ShopifyClient, order: Record<string, unknown>, options: OrderCreateOptions): Promise<{ id: string; name: string; createdAt: string }> {
	type Payload = { orderCreate: { order: { id: string; name: string; createdAt: string } | null; userErrors: Array<{ field: string[] | null; message: string; code?: string | null }> } };
	const data = await client.request<Payload>(ORDER_CREATE_MUTATION, { order, options: { sendReceipt: false, sendFulfillmentReceipt: false, ...options } }, { write: true });
	const refused = userErrorsOf(data.orderCreate, 'Creating the order');
	if (refused) throw refused;
	if (!data.orderCreate.order) throw new PlatformError('Shopify', 'orderCreate returned no order', 200, undefined);
	return data.orderCreate.order;
}

export async function orderCancel(client: ShopifyClient, orderId: string, options: { restock: boolean; refund: boolean; reason: string; notifyCustomer: boolean; staffNote?: string }): Promise<{ jobId: string | null }> {
	type Payload = { orderCancel: { job: { id: string; done: boolean } | null; orderCancelUserErrors: Array<{ field: string[] | null; message: string; code?: string | null }> } };
	const data = await client.request<Payload>(ORDER_CANCEL_MUTATION, { orderId, ...options }, { write: true });
	const refused = userErrorsOf({ userErrors: data.orderCancel.orderCancelUserErrors }, 'Cancelling the order');
	if (refused) throw refused;
	return { jobId: data.orderCancel.job?.id ?? null };
}

export async function draftOrderCreate(client: ShopifyClient, input: Record<string, unknown>): Promise<{ id: string; name: string; createdAt: string }> {
	type Payload = { draftOrderCreate: { draftOrder: { id: string; name: string; createdAt: string } | null; userErrors: Array<{ field: string[] | null; message: string }> } };
	const data = await client.request<Payload>(DRAFT_ORDER_CREATE_MUTATION, { input }, { write: true });
	const refused = userErrorsOf(data.draftOrderCreate, 'Creating the draft order');
	if (refused) throw refused;
	if (!data.draftOrderCreate.draftOrder) throw new PlatformError('Shopify', 'draftOrderCreate returned no draft order', 200, undefined);
	return data.draftOrderCreate.draftOrder;
}

export interface InventoryUserError {
	field: string[] | null;
	message: string;
	code?: string | null;
}

/**
 * Sets absolute quantities (compare-and-set with `changeFromQuantity`, null to skip the check), under an
 * idempotency key derived by the caller from what it writes, so a retried write is applied once (and may
 * be retried: the key makes it safe). Returns Shopify's userErrors: the mutation is all or nothing, and
 * each error's field path names the quantity it refuses.
 */
export async function inventorySetQuantities(
	client: ShopifyClient,
	key: string,
	quantities: Array<{ inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity: number | null }>,
	reason = 'correction',
): Promise<InventoryUserError[]> {
	type Payload = { inventorySetQuantities: { userErrors: InventoryUserError[] } };
	const data = await client.request<Payload>(INVENTORY_SET_MUTATION, { key, input: { name: 'available', reason, quantities } });
	return data.inventorySetQuantities.userErrors;
}

/** inventorySetQuantities that throws Shopify's refusal as a PlatformError. */
export async function inventorySet(
	client: ShopifyClient,
	key: string,
	quantities: Array<{ inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity: number | null }>,
	reason = 'correction',
): Promise<void> {
	const refused = userErrorsOf({ userErrors: await inventorySetQuantities(client, key, quantities, reason) }, 'Setting inventory');
	if (refused) throw refused;
}

export const PRODUCT_STATUS_MUTATION = `mutation ProductStatus($product: ProductUpdateInput!) {
	productUpdate(product: $product) { product { id status } userErrors { field message } }
}`;

/** Sets a product's status (ACTIVE, DRAFT, ARCHIVED): a listing shown or hidden on a Shopify channel. Setting it twice is harmless. */
export async function productStatus(client: ShopifyClient, productId: string, status: 'ACTIVE' | 'DRAFT'): Promise<void> {
	type Payload = { productUpdate: { userErrors: Array<{ field: string[] | null; message: string }> } };
	const data = await client.request<Payload>(PRODUCT_STATUS_MUTATION, { product: { id: productId, status } });
	const refused = userErrorsOf(data.productUpdate, 'Changing the product status');
	if (refused) throw refused;
}

/**
 * Adjusts available quantities by deltas under an idempotency key: the same key (a retry, or a second
 * worker sending the same adjustment) is applied once, and its first answer is returned again.
 */
export async function inventoryAdjust(
	client: ShopifyClient,
	key: string,
	changes: Array<{ inventoryItemId: string; locationId: string; delta: number }>,
	reason: string,
	referenceDocumentUri: string,
): Promise<{ id: string; createdAt: string }> {
	type Payload = { inventoryAdjustQuantities: { inventoryAdjustmentGroup: { id: string; createdAt: string } | null; userErrors: Array<{ field: string[] | null; message: string; code?: string | null }> } };
	const input = { name: 'available', reason, referenceDocumentUri, changes: changes.map((c) => ({ ...c, changeFromQuantity: null })) };
	const data = await client.request<Payload>(INVENTORY_ADJUST_MUTATION, { key, input }, { write: true });
	const refused = userErrorsOf(data.inventoryAdjustQuantities, 'Adjusting inventory');
	if (refused) throw refused;
	if (!data.inventoryAdjustQuantities.inventoryAdjustmentGroup) throw new PlatformError('Shopify', 'inventoryAdjustQuantities returned no adjustment', 200, undefined);
	return data.inventoryAdjustQuantities.inventoryAdjustmentGroup;
}
