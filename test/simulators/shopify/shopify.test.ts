/**
 * The Shopify simulator over real HTTP: what a client can observe must match Shopify's documented
 * behaviour (auth, validation, keyset pagination, calculated cost and throttling, the mutations' stock
 * rules, REST Link paging and its bucket), and the pack's own order mapping must read it exactly.
 */
import { ORDER_FIELDS, shopifyOrderToModel } from '../../../platforms/shopify/orderMapping';
import type { GqlOrder } from '../../../platforms/shopify/orderMapping';
import { startShopifySimulator } from './index';
import { gqlDecimal } from './views';
import type { ShopifySimulator } from './index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function gql(sim: ShopifySimulator, query: string, variables: Json = {}, token = sim.accessToken): Promise<{ status: number; body: Json }> {
	const response = await fetch(sim.graphqlUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
		body: JSON.stringify({ query, variables }),
	});
	return { status: response.status, body: (await response.json()) as Json };
}

const PAGE = `query Page($first: Int!, $after: String, $sortKey: OrderSortKeys, $query: String) {
	orders(first: $first, after: $after, sortKey: $sortKey, query: $query) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } }
}`;

const LEVEL = `query Level($id: ID!, $loc: ID!) {
	inventoryItem(id: $id) { inventoryLevel(locationId: $loc) { quantities(names: ["available", "on_hand", "committed"]) { name quantity } } }
}`;

const SET = `mutation Set($input: InventorySetQuantitiesInput!) {
	inventorySetQuantities(input: $input) @idempotent(key: "KEY") {
		inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
		userErrors { field message code }
	}
}`;

describe('Shopify simulator', () => {
	let sim: ShopifySimulator;
	beforeAll(async () => {
		sim = await startShopifySimulator({ orders: 1000, products: 4, variantsPerProduct: 2, seed: 5, stock: 3, bundleParents: 1, restoreRate: 1e6, bucketSize: 1e6 });
	});
	afterAll(() => sim.close());
	beforeEach(() => fetch(`${sim.url}/__sim/reset`, { method: 'POST' }));

	async function levels(variantIndex = 0): Promise<Record<string, number>> {
		const variant = sim.store.variants[variantIndex];
		const r = await gql(sim, LEVEL, { id: `gid://shopify/InventoryItem/${variant.inventoryItemId}`, loc: `gid://shopify/Location/${sim.store.locations[0].id}` });
		return Object.fromEntries((r.body.data.inventoryItem.inventoryLevel.quantities as Json[]).map((q) => [q.name, q.quantity]));
	}

	async function readAll(sortKey: string, onPage?: (index: number, ids: string[]) => void): Promise<string[]> {
		const ids: string[] = [];
		let after: string | null = null;
		for (let page = 0; ; page++) {
			const r = await gql(sim, PAGE, { first: 250, after, sortKey });
			expect(r.body.errors).toBeUndefined();
			const connection = r.body.data.orders;
			const pageIds = (connection.nodes as Json[]).map((n) => n.id as string);
			ids.push(...pageIds);
			onPage?.(page, pageIds);
			if (!connection.pageInfo.hasNextPage) return ids;
			after = connection.pageInfo.endCursor;
		}
	}

	describe('requests', () => {
		it('refuses a missing or wrong access token with Shopify\'s 401', async () => {
			for (const token of ['', 'shpat_not_the_token']) {
				const r = await gql(sim, '{ shop { name } }', {}, token);
				expect(r.status).toBe(401);
				expect(r.body).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
			}
			const unknown = await fetch(`${sim.url}/admin/api/2026-10/nothing-here`, { headers: { 'x-shopify-access-token': sim.accessToken } });
			expect(unknown.status).toBe(404);
		});

		it('answers a field the schema lacks with a validation error and no data', async () => {
			const r = await gql(sim, '{ orders(first: 1) { nodes { id foo } } }');
			expect(r.status).toBe(200);
			expect(r.body.data).toBeUndefined();
			expect(r.body.errors).toEqual([
				{ message: "Field 'foo' doesn't exist on type 'Order'", locations: [{ line: 1, column: 33 }], extensions: { code: 'undefinedField', typeName: 'Order', fieldName: 'foo' } },
			]);
			const big = await gql(sim, '{ orders(first: 251) { nodes { id } } }');
			expect(big.body.errors[0].message).toBe('The first argument cannot exceed 250.');
			const none = await gql(sim, '{ orders { nodes { id } } }');
			expect(none.body.errors[0].message).toBe('you must provide one of first or last');
		});

		it('labels requests with the operation name or first root field, for fault rules', async () => {
			await gql(sim, PAGE, { first: 1 });
			await gql(sim, '{ shop { name } }');
			const log = (await (await fetch(`${sim.url}/__sim/log`)).json()) as Json[];
			expect(log.map((e) => e.label)).toEqual(['Page', 'shop']);
		});
	});

	describe('orders and pagination', () => {
		it('pages 250 at a time through 1,000 orders, each exactly once', async () => {
			for (const sortKey of ['ID', 'UPDATED_AT', 'CREATED_AT', 'PROCESSED_AT']) {
				let pages = 0;
				const ids = await readAll(sortKey, () => pages++);
				expect(pages).toBe(4);
				expect(new Set(ids).size).toBe(1000);
				expect([...ids].sort()).toEqual(sim.store.orders.map((o) => `gid://shopify/Order/${o.id}`).sort());
			}
			// The seed's equal timestamps make the UPDATED_AT case meaningful.
			expect(new Set(sim.store.orders.map((o) => o.updatedAt)).size).toBeLessThan(950);
		});

		it('returns an order updated while paging again at the end, and misses none (keyset cursors)', async () => {
			let moved = '';
			const ids = await readAll('UPDATED_AT', (page, pageIds) => {
				if (page !== 0) return;
				moved = pageIds[10];
				sim.updateOrder(moved, { note: 'changed while paging' });
			});
			expect(new Set(ids).size).toBe(1000);
			expect(ids.filter((id) => id === moved)).toHaveLength(2);
			expect(ids[ids.length - 1]).toBe(moved);
			expect(ids).toHaveLength(1001);
		});

		it('filters with Shopify search syntax', async () => {
			const count = async (query: string) => (await gql(sim, '{ ordersCount(query: $q) { count } }'.replace('$q', JSON.stringify(query)))).body.data.ordersCount.count;
			const cutoff = sim.store.orders[600].updatedAt;
			expect(await count(`updated_at:>'${cutoff}'`)).toBe(sim.store.orders.filter((o) => o.updatedAt > cutoff).length);
			expect(await count(`updated_at:>=${cutoff.replace('Z', '')}`)).toBe(sim.store.orders.filter((o) => o.updatedAt >= cutoff).length);
			expect(await count('financial_status:pending')).toBe(sim.store.orders.filter((o) => o.displayFinancialStatus === 'PENDING').length);
			expect(await count('status:cancelled')).toBe(sim.store.orders.filter((o) => o.cancelledAt).length);
			expect(await count('tag:wholesale AND -fulfillment_status:shipped')).toBe(
				sim.store.orders.filter((o) => o.tags.includes('wholesale') && o.displayFulfillmentStatus !== 'FULFILLED').length,
			);
			expect(await count(`name:${sim.store.orders[3].name.slice(1)}`)).toBe(1);
		});

		it('serves every field the pack reads, and the pack maps each order to Shopify\'s own total', async () => {
			const r = await gql(sim, `{ orders(first: 3, query: "financial_status:partially_refunded") { nodes { ${ORDER_FIELDS} } } }`);
			expect(r.body.errors).toBeUndefined();
			const raw = r.body.data.orders.nodes[0] as GqlOrder;
			expect(raw.totalPriceSet.shopMoney.currencyCode).toBe('USD');
			expect(raw.transactions.map((t) => t.kind)).toEqual(['SALE', 'REFUND']);
			let after: string | null = null;
			let mapped = 0;
			for (;;) {
				const page = await gql(sim, `query($after: String) { orders(first: 3, after: $after) { nodes { ${ORDER_FIELDS} } pageInfo { hasNextPage endCursor } } }`, { after });
				for (const order of page.body.data.orders.nodes as GqlOrder[]) {
					const model = shopifyOrderToModel(order, sim.store.shop.myshopifyDomain);
					expect(model.problems.filter((p) => !p.includes('has no SKU'))).toEqual([]);
					mapped++;
				}
				if (!page.body.data.orders.pageInfo.hasNextPage || mapped >= 120) break;
				after = page.body.data.orders.pageInfo.endCursor;
			}
			expect(mapped).toBe(120);
		});

		it('looks up catalogue and stock: variants by SKU, nodes, inventory levels', async () => {
			const [a, b] = sim.store.variants;
			const r = await gql(sim, `{
				productVariants(first: 10, query: "sku:${a.sku} OR sku:${b.sku}") { nodes { sku barcode inventoryItem { id } product { handle } } }
				nodes(ids: ["gid://shopify/ProductVariant/${a.id}", "gid://shopify/Order/${sim.store.orders[0].id}", "gid://shopify/Order/1"]) { id __typename }
				locations(first: 5) { nodes { id name } }
				shop { name myshopifyDomain currencyCode ianaTimezone plan { displayName } }
			}`);
			expect(r.body.errors).toBeUndefined();
			expect(r.body.data.productVariants.nodes.map((v: Json) => v.sku)).toEqual([a.sku, b.sku]);
			expect(r.body.data.nodes.map((n: Json | null) => n?.__typename ?? null)).toEqual(['ProductVariant', 'Order', null]);
			expect(r.body.data.shop.ianaTimezone).toBe('UTC');
			expect(await levels(0)).toEqual({ available: 3, on_hand: 3, committed: 0 });
		});
	});

	describe('cost and throttling', () => {
		it('reports the cost on every answer and gives back what a query did not use', async () => {
			const small = await startShopifySimulator({ orders: 300, seed: 2, bucketSize: 600, restoreRate: 1 });
			try {
				const one = await gql(small, PAGE, { first: 250, query: `name:${small.store.orders[0].name}` });
				expect(one.body.extensions.cost).toMatchObject({ requestedQueryCost: 252, actualQueryCost: 3, throttleStatus: { maximumAvailable: 600, restoreRate: 1 } });
				expect(one.body.extensions.cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(597);
				const a = await gql(small, PAGE, { first: 250 });
				const b = await gql(small, PAGE, { first: 250 });
				expect([a.body.errors, b.body.errors]).toEqual([undefined, undefined]);
				// 600 - 3 - 252 - 252 leaves less than a page: the next query is refused unexecuted.
				const c = await gql(small, PAGE, { first: 250 });
				expect(c.status).toBe(200);
				expect(c.body.data).toBeUndefined();
				expect(c.body.errors).toEqual([{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }]);
				expect(c.body.extensions.cost.requestedQueryCost).toBe(252);
				expect(c.body.extensions.cost.actualQueryCost).toBeNull();
				expect(c.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(252);
				expect(c.body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 600, restoreRate: 1 });
			} finally {
				await small.close();
			}
		});

		it('refuses a query over 1,000 points before running it', async () => {
			const r = await gql(sim, '{ orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }');
			const cost = 2 + 250 * (1 + 2 + 250);
			expect(r.body.data).toBeUndefined();
			expect(r.body.errors).toEqual([{
				message: `Query cost is ${cost}, which exceeds the single query max cost limit (1000).`,
				extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost: 1000 },
			}]);
		});
	});

	describe('mutations', () => {
		const CREATE = `mutation Create($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
			orderCreate(order: $order, options: $options) { order { id name displayFinancialStatus totalPriceSet { shopMoney { amount } } } userErrors { field message code } }
		}`;
		const order = (quantity: number) => ({
			lineItems: [{ variantId: `gid://shopify/ProductVariant/${sim.store.variants[0].id}`, quantity }],
			transactions: [{ kind: 'SALE', status: 'SUCCESS', amountSet: { shopMoney: { amount: '1.00', currencyCode: 'USD' } } }],
			sourceName: 'ebay', sourceIdentifier: 'EB-1', tags: ['channel:ebay'],
		});

		it('orderCreate leaves stock alone by default and claims it only when asked, obeying the policy', async () => {
			const before = sim.store.orders.length;
			const bypass = await gql(sim, CREATE, { order: order(2) });
			expect(bypass.body.data.orderCreate.userErrors).toEqual([]);
			expect(bypass.body.data.orderCreate.order.displayFinancialStatus).toBe('PARTIALLY_PAID');
			expect(await levels(0)).toEqual({ available: 3, on_hand: 3, committed: 0 });

			const obey = await gql(sim, CREATE, { order: order(2), options: { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' } });
			expect(obey.body.data.orderCreate.userErrors).toEqual([]);
			expect(await levels(0)).toEqual({ available: 1, on_hand: 3, committed: 2 });

			const short = await gql(sim, CREATE, { order: order(2), options: { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' } });
			expect(short.body.data.orderCreate.order).toBeNull();
			expect(short.body.data.orderCreate.userErrors).toMatchObject([{ code: 'INVENTORY_CLAIM_FAILED', field: ['order', 'lineItems', '0'] }]);
			expect(await levels(0)).toEqual({ available: 1, on_hand: 3, committed: 2 });

			const ignore = await gql(sim, CREATE, { order: order(2), options: { inventoryBehaviour: 'DECREMENT_IGNORING_POLICY' } });
			expect(ignore.body.data.orderCreate.userErrors).toEqual([]);
			expect(await levels(0)).toEqual({ available: -1, on_hand: 3, committed: 4 });
			expect(sim.store.orders.length).toBe(before + 3);
			expect(ignore.body.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
		});

		describe('orderCreate details', () => {
			const M = '{ shopMoney { amount currencyCode } }';
			const READ = `query Read($id: ID!) { order(id: $id) {
				id name email phone note tags sourceName sourceIdentifier processedAt customAttributes { key value }
				customerAcceptsMarketing discountCode discountCodes
				discountApplications(first: 5) { nodes {
					__typename index allocationMethod targetSelection targetType ... on DiscountCodeApplication { code }
					value { __typename ... on MoneyV2 { amount currencyCode } ... on PricingPercentageValue { percentage } } } }
				subtotalPriceSet ${M} totalDiscountsSet ${M} cartDiscountAmountSet ${M} totalShippingPriceSet ${M} currentShippingPriceSet ${M}
				totalTaxSet ${M} totalPriceSet ${M} currentTotalPriceSet ${M} currentSubtotalPriceSet ${M} currentTotalDiscountsSet ${M}
				taxLines { title rate priceSet ${M} }
				lineItems(first: 10) { nodes {
					title sku requiresShipping variant { id } originalTotalSet ${M} totalDiscountSet ${M} discountedTotalSet ${M}
					withCode: discountedTotalSet(withCodeDiscounts: true) ${M} discountedUnitPriceAfterAllDiscountsSet ${M}
					discountAllocations { allocatedAmountSet ${M} discountApplication { index } } taxLines { title rate priceSet ${M} } } }
				shippingLines(first: 5) { nodes {
					title code originalPriceSet ${M} discountedPriceSet ${M}
					discountAllocations { allocatedAmountSet ${M} discountApplication { targetType } } taxLines { title priceSet ${M} } } }
			} }`;
			const money = (amount: string) => ({ shopMoney: { amount, currencyCode: 'USD' } });
			const line = (title: string, price: string, quantity: number, extra: Json = {}) => ({ title, quantity, priceSet: money(price), requiresShipping: true, ...extra });
			const amount = (bag: Json | null) => (bag ? bag.shopMoney.amount : null);

			/** Creates the order and reads it back through order(id:); the order as the store holds it, too. */
			async function create(input: Json, options?: Json): Promise<{ errors: Json[]; read: Json; stored: Json }> {
				const r = await gql(sim, CREATE, { order: input, options });
				expect(r.body.errors).toBeUndefined();
				const { order, userErrors } = r.body.data.orderCreate;
				if (!order) return { errors: userErrors, read: {}, stored: {} };
				const read = await gql(sim, READ, { id: order.id });
				expect(read.body.errors).toBeUndefined();
				const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as Json;
				return { errors: userErrors, read: read.body.data.order, stored: (state.orders as Json[]).find((o) => `gid://shopify/Order/${o.id}` === order.id)! };
			}

			it('spreads a fixed discount code over the line items to the cent, and every total follows', async () => {
				const { errors, read, stored } = await create({
					lineItems: [
						line('Left', '33.33', 1, { taxLines: [{ title: 'VAT', rate: 0.1 }] }),
						line('Right', '66.67', 2, { taxLines: [{ title: 'VAT', rate: 0.1 }] }),
					],
					shippingLines: [{ title: 'Standard', code: 'STD', priceSet: money('5.00') }],
					discountCode: { itemFixedDiscountCode: { code: 'TENOFF', amountSet: money('10.00') } },
				});
				expect(errors).toEqual([]);
				// 10.00 over 33.33 and 133.34: 1.9998 and 8.0002, largest remainder → 2.00 and 8.00.
				expect(stored.lineItems.map((l: Json) => [l.discount, l.codeDiscount])).toEqual([['2.00', '2.00'], ['8.00', '8.00']]);
				expect(stored.discountCode).toEqual({ code: 'TENOFF', type: 'FIXED_AMOUNT', value: '10.00', amount: '10.00' });
				// Tax is on the amount after the discount: 10 % of 31.33 and of 125.34.
				expect(read.lineItems.nodes.map((l: Json) => amount(l.taxLines[0].priceSet))).toEqual(['3.13', '12.53']);
				expect({
					subtotal: amount(read.subtotalPriceSet), discounts: amount(read.totalDiscountsSet), cart: amount(read.cartDiscountAmountSet),
					shipping: amount(read.totalShippingPriceSet), currentShipping: amount(read.currentShippingPriceSet), tax: amount(read.totalTaxSet),
					total: amount(read.totalPriceSet), current: amount(read.currentTotalPriceSet), currentSubtotal: amount(read.currentSubtotalPriceSet),
					currentDiscounts: amount(read.currentTotalDiscountsSet),
				}).toEqual({
					subtotal: '156.67', discounts: '10.0', cart: '10.0', shipping: '5.0', currentShipping: '5.0', tax: '15.66',
					total: '177.33', current: '177.33', currentSubtotal: '156.67', currentDiscounts: '10.0',
				});
				// An order-level code: in discountAllocations, not in totalDiscountSet nor the default discountedTotalSet.
				expect(read.lineItems.nodes.map((l: Json) => ({
					total: amount(l.originalTotalSet), lineDiscount: amount(l.totalDiscountSet), discounted: amount(l.discountedTotalSet),
					withCode: amount(l.withCode), unitAfterAll: amount(l.discountedUnitPriceAfterAllDiscountsSet),
					allocations: l.discountAllocations.map((a: Json) => [amount(a.allocatedAmountSet), a.discountApplication.index]),
				}))).toEqual([
					{ total: '33.33', lineDiscount: '0.0', discounted: '33.33', withCode: '31.33', unitAfterAll: '31.33', allocations: [['2.0', 0]] },
					{ total: '133.34', lineDiscount: '0.0', discounted: '133.34', withCode: '125.34', unitAfterAll: '62.67', allocations: [['8.0', 0]] },
				]);
				expect(read).toMatchObject({ discountCode: 'TENOFF', discountCodes: ['TENOFF'] });
				expect(read.discountApplications.nodes).toEqual([{
					__typename: 'DiscountCodeApplication', index: 0, allocationMethod: 'ACROSS', targetSelection: 'ALL', targetType: 'LINE_ITEM', code: 'TENOFF',
					value: { __typename: 'MoneyV2', amount: '10.0', currencyCode: 'USD' },
				}]);
				expect(read.shippingLines.nodes[0]).toMatchObject({ code: 'STD', discountedPriceSet: money('5.0'), discountAllocations: [] });
			});

			it('takes a percentage code off the line items, rounded once and spread exactly', async () => {
				const { errors, read, stored } = await create({
					lineItems: [line('Mug', '19.99', 3), line('Card', '5.01', 1)],
					shippingLines: [{ title: 'Standard', priceSet: money('4.99') }],
					discountCode: { itemPercentageDiscountCode: { code: 'SAVE15', percentage: 15 } },
				});
				expect(errors).toEqual([]);
				// 15 % of 64.98 = 9.747 → 9.75, spread over 59.97 and 5.01 → 9.00 and 0.75.
				expect(stored.lineItems.map((l: Json) => l.discount)).toEqual(['9.00', '0.75']);
				expect(stored.discountCode).toEqual({ code: 'SAVE15', type: 'PERCENTAGE', value: '15', amount: '9.75' });
				expect([amount(read.subtotalPriceSet), amount(read.totalDiscountsSet), amount(read.totalPriceSet)]).toEqual(['55.23', '9.75', '60.22']);
				expect(read.discountApplications.nodes[0]).toMatchObject({ code: 'SAVE15', allocationMethod: 'ACROSS', targetType: 'LINE_ITEM', value: { percentage: 15 } });
			});

			it('makes shipping free with a free shipping code, its tax with it', async () => {
				const { errors, read, stored } = await create({
					lineItems: [line('Lamp', '40.00', 1)],
					shippingLines: [{ title: 'Express', code: 'EXP', priceSet: money('7.50'), taxLines: [{ title: 'VAT', rate: 0.2 }] }],
					discountCode: { freeShippingDiscountCode: { code: 'SHIPFREE' } },
				});
				expect(errors).toEqual([]);
				expect(stored.shippingLines[0]).toMatchObject({ price: '7.50', discountedPrice: '0.00', taxLines: [{ title: 'VAT', price: '0.00' }] });
				expect(stored.discountCode).toEqual({ code: 'SHIPFREE', type: 'FREE_SHIPPING', value: '100', amount: '7.50' });
				expect(read.shippingLines.nodes[0]).toMatchObject({
					originalPriceSet: money('7.5'), discountedPriceSet: money('0.0'),
					discountAllocations: [{ allocatedAmountSet: money('7.5'), discountApplication: { targetType: 'SHIPPING_LINE' } }],
				});
				expect({
					subtotal: amount(read.subtotalPriceSet), discounts: amount(read.totalDiscountsSet), cart: amount(read.cartDiscountAmountSet),
					shipping: amount(read.totalShippingPriceSet), currentShipping: amount(read.currentShippingPriceSet), total: amount(read.totalPriceSet),
				}).toEqual({ subtotal: '40.0', discounts: '7.5', cart: null, shipping: '7.5', currentShipping: '0.0', total: '40.0' });
				expect(read.discountApplications.nodes[0]).toMatchObject({ allocationMethod: 'EACH', targetType: 'SHIPPING_LINE', value: { percentage: 100 } });
				expect(read.lineItems.nodes[0].discountAllocations).toEqual([]);
			});

			it('refuses a discount larger than the line items, a percentage over 100 and two kinds at once', async () => {
				const before = sim.store.orders.length;
				const base = { lineItems: [line('A', '60.00', 1), line('B', '40.00', 1)], shippingLines: [{ title: 'Standard', priceSet: money('5.00') }] };
				const tooMuch = await create({ ...base, discountCode: { itemFixedDiscountCode: { code: 'BIG', amountSet: money('100.01') } } });
				expect(tooMuch.errors).toMatchObject([{ field: ['order', 'discountCode'], code: 'INVALID' }]);
				expect(tooMuch.errors[0].message).toContain('100.01');
				const overPercent = await create({ ...base, discountCode: { itemPercentageDiscountCode: { code: 'ALL', percentage: 100.5 } } });
				expect(overPercent.errors).toMatchObject([{ field: ['order', 'discountCode'], code: 'INVALID' }]);
				const two = await create({
					...base, discountCode: { itemFixedDiscountCode: { code: 'A', amountSet: money('1.00') }, freeShippingDiscountCode: { code: 'B' } },
				});
				expect(two.errors).toMatchObject([{ field: ['order', 'discountCode'], code: 'INVALID' }]);
				expect(sim.store.orders.length).toBe(before);
				// The whole line items' total is allowed: only shipping is left to pay.
				const all = await create({ ...base, discountCode: { itemFixedDiscountCode: { code: 'ALL', amountSet: money('100.00') } } });
				expect(all.errors).toEqual([]);
				expect([amount(all.read.subtotalPriceSet), amount(all.read.totalPriceSet)]).toEqual(['0.0', '5.0']);
				expect(all.stored.lineItems.map((l: Json) => l.discount)).toEqual(['60.00', '40.00']);
			});

			it('records the receipt options and marketing consent, and sends the confirmation to the outbox', async () => {
				const outbox = async () => ((await (await fetch(`${sim.url}/__sim/state`)).json()) as Json).emails as Json[];
				expect(await outbox()).toEqual([]);
				const sent = await create(
					{ lineItems: [line('A', '10.00', 1)], email: 'buyer@example.com', buyerAcceptsMarketing: true },
					{ sendReceipt: true, sendFulfillmentReceipt: true },
				);
				expect(sent.errors).toEqual([]);
				expect(sent.stored).toMatchObject({ buyerAcceptsMarketing: true, receiptRequested: true, receiptSent: true, fulfillmentReceiptRequested: true });
				expect(sent.read.customerAcceptsMarketing).toBe(true);
				const mails = await outbox();
				expect(mails).toEqual([{ to: 'buyer@example.com', template: 'order_confirmation', orderId: sent.stored.id, at: sent.stored.createdAt }]);

				// Asked for, but nobody to send it to.
				const noEmail = await create({ lineItems: [line('A', '10.00', 1)] }, { sendReceipt: true });
				expect(noEmail.stored).toMatchObject({ buyerAcceptsMarketing: false, receiptRequested: true, receiptSent: false, fulfillmentReceiptRequested: false });
				// The defaults (sendReceipt false): nothing sent.
				const quiet = await create({ lineItems: [line('A', '10.00', 1)], email: 'quiet@example.com' });
				expect(quiet.stored).toMatchObject({ receiptRequested: false, receiptSent: false, fulfillmentReceiptRequested: false });
				expect(quiet.read.customerAcceptsMarketing).toBe(false);
				expect(await outbox()).toHaveLength(1);
				await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
				expect(await outbox()).toEqual([]);
			});

			it('keeps what the order was created with, readable through order(id:) and orders(query:)', async () => {
				const variant = sim.store.variants[0];
				const { errors, read } = await create({
					name: 'EB-1001', email: 'kept@example.com', phone: '+15555550123', note: 'Leave at the door', tags: ['channel:ebay', 'vip'],
					sourceName: 'ebay', sourceIdentifier: 'EB-ORDER-77', processedAt: '2025-06-01T10:00:00Z',
					customAttributes: [{ key: 'Channel', value: 'eBay' }, { key: 'Channel order', value: '77' }],
					lineItems: [
						{ variantId: `gid://shopify/ProductVariant/${variant.id}`, quantity: 2, priceSet: money('12.00'), requiresShipping: true },
						{ title: 'Gift wrap', sku: 'WRAP-1', quantity: 1, priceSet: money('3.00'), requiresShipping: false, taxable: false },
					],
					shippingLines: [{ title: 'Royal Mail', code: 'RM-48', priceSet: money('4.00'), taxLines: [{ title: 'VAT', rate: 0.2, priceSet: money('0.80') }] }],
					taxLines: [{ title: 'VAT', rate: 0.2, priceSet: money('4.80') }],
				});
				expect(errors).toEqual([]);
				expect(read).toMatchObject({
					name: 'EB-1001', email: 'kept@example.com', phone: '+15555550123', note: 'Leave at the door', tags: ['channel:ebay', 'vip'],
					sourceName: 'ebay', sourceIdentifier: 'EB-ORDER-77', processedAt: '2025-06-01T10:00:00Z',
					customAttributes: [{ key: 'Channel', value: 'eBay' }, { key: 'Channel order', value: '77' }],
					discountCode: null, discountCodes: [], discountApplications: { nodes: [] }, cartDiscountAmountSet: null,
				});
				expect(read.lineItems.nodes.map((l: Json) => [l.title, l.sku, l.requiresShipping, l.variant?.id ?? null])).toEqual([
					['Product 1', variant.sku, true, `gid://shopify/ProductVariant/${variant.id}`],
					['Gift wrap', 'WRAP-1', false, null],
				]);
				// Order-level tax lines are split over the taxable line items (here the one), and summed on the order.
				expect(read.lineItems.nodes.map((l: Json) => l.taxLines.map((t: Json) => [t.title, t.rate, amount(t.priceSet)]))).toEqual([[['VAT', 0.2, '4.8']], []]);
				expect(read.shippingLines.nodes[0]).toMatchObject({ title: 'Royal Mail', code: 'RM-48', taxLines: [{ title: 'VAT', priceSet: money('0.8') }] });
				expect(read.taxLines).toEqual([{ title: 'VAT', rate: 0.2, priceSet: money('5.6') }]);
				expect([amount(read.totalTaxSet), amount(read.totalPriceSet)]).toEqual(['5.6', '36.6']);

				const found = await gql(sim, `{ orders(first: 5, query: "source_identifier:EB-ORDER-77") { nodes { id name sourceName tags shippingLine { code } } } }`);
				expect(found.body.data.orders.nodes).toEqual([{ id: read.id, name: 'EB-1001', sourceName: 'ebay', tags: ['channel:ebay', 'vip'], shippingLine: { code: 'RM-48' } }]);

				// "Tax lines can be specified on the order or the line items but not both."
				const both = await create({
					lineItems: [line('A', '10.00', 1, { taxLines: [{ title: 'VAT', rate: 0.2 }] })], taxLines: [{ title: 'VAT', rate: 0.2 }],
				});
				expect(both.errors).toMatchObject([{ field: ['order', 'taxLines'], code: 'INVALID' }]);
			});

			it('splits an order-level tax amount over the taxable lines in proportion, to the cent', async () => {
				const { errors, read, stored } = await create({
					lineItems: [line('A', '10.00', 1), line('B', '20.00', 1), line('C', '0.01', 1)],
					taxLines: [{ title: 'GST', rate: 0.05, priceSet: money('1.00') }],
					discountCode: { itemFixedDiscountCode: { code: 'FIVE', amountSet: money('5.00') } },
				});
				expect(errors).toEqual([]);
				// After the discount the lines are 8.33, 16.67 and 0.01: 1.00 → 0.33 + 0.67 + 0.00.
				expect(stored.lineItems.map((l: Json) => l.discount)).toEqual(['1.67', '3.33', '0.00']);
				expect(stored.lineItems.map((l: Json) => l.taxLines.map((t: Json) => t.price))).toEqual([['0.33'], ['0.67'], ['0.00']]);
				expect(stored.orderTaxLines).toEqual([]);
				expect(read.taxLines).toEqual([{ title: 'GST', rate: 0.05, priceSet: money('1.0') }]);
				expect(amount(read.totalPriceSet)).toBe('26.01');
			});
		});

		it('orderCancel runs as a job, restocks what the order claimed, refunds what was paid', async () => {
			const created = await gql(sim, CREATE, { order: order(2), options: { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' } });
			const id = created.body.data.orderCreate.order.id;
			expect(await levels(0)).toEqual({ available: 1, on_hand: 3, committed: 2 });
			const cancel = await gql(sim, `mutation { orderCancel(orderId: "${id}", reason: CUSTOMER, restock: true, refund: true, notifyCustomer: false) {
				job { id done } orderCancelUserErrors { field message code } } }`);
			expect(cancel.body.data.orderCancel.orderCancelUserErrors).toEqual([]);
			expect(cancel.body.data.orderCancel.job.done).toBe(false);
			const job = await gql(sim, `{ job(id: "${cancel.body.data.orderCancel.job.id}") { done } order(id: "${id}") { cancelledAt cancelReason displayFinancialStatus totalRefundedSet { shopMoney { amount } } } }`);
			expect(job.body.data.job.done).toBe(true);
			expect(job.body.data.order).toMatchObject({ cancelReason: 'CUSTOMER', displayFinancialStatus: 'REFUNDED', totalRefundedSet: { shopMoney: { amount: '1.0' } } });
			expect(job.body.data.order.cancelledAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
			expect(await levels(0)).toEqual({ available: 3, on_hand: 3, committed: 0 });
		});

		it('fulfillmentCreate fulfils fulfillment order lines with tracking, URLs for known carriers only', async () => {
			const target = sim.store.orders.find((o) => o.displayFulfillmentStatus === 'UNFULFILLED' && !o.cancelledAt && o.fulfillmentOrders.length > 0)!;
			const fo = await gql(sim, `{ order(id: "gid://shopify/Order/${target.id}") { fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 10) { nodes { id remainingQuantity } } } } } }`);
			const foNode = fo.body.data.order.fulfillmentOrders.nodes[0];
			const create = await gql(sim, `mutation F($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) {
				fulfillment { status trackingInfo(first: 5) { company number url } } userErrors { field message } } }`, {
				f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: foNode.id }], trackingInfo: { company: 'UPS', number: '1Z999' }, notifyCustomer: false },
			});
			expect(create.body.data.fulfillmentCreate.userErrors).toEqual([]);
			expect(create.body.data.fulfillmentCreate.fulfillment.trackingInfo[0]).toMatchObject({ company: 'UPS', number: '1Z999' });
			expect(create.body.data.fulfillmentCreate.fulfillment.trackingInfo[0].url).toContain('1Z999');
			const after = await gql(sim, `{ order(id: "gid://shopify/Order/${target.id}") { displayFulfillmentStatus fulfillments(first: 5) { trackingInfo { url } } } }`);
			expect(after.body.data.order.displayFulfillmentStatus).toBe('FULFILLED');
			const again = await gql(sim, `mutation F($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { message } } }`, {
				f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: foNode.id }], trackingInfo: { company: 'ups', number: '2' } },
			});
			expect(again.body.data.fulfillmentCreate.fulfillment).toBeNull();
			expect(again.body.data.fulfillmentCreate.userErrors.length).toBeGreaterThan(0);
		});

		it('inventorySetQuantities follows the 2026-04 rules: @idempotent, changeFromQuantity, bundle parents', async () => {
			const variant = sim.store.variants[0];
			const quantity = (changeFromQuantity: number | null | undefined, itemId = variant.inventoryItemId) => ({
				inventoryItemId: `gid://shopify/InventoryItem/${itemId}`, locationId: `gid://shopify/Location/${sim.store.locations[0].id}`, quantity: 10,
				...(changeFromQuantity === undefined ? {} : { changeFromQuantity }),
			});
			const input = (q: Json) => ({ reason: 'correction', name: 'available', quantities: [q] });

			const noKey = await gql(sim, SET.replace(' @idempotent(key: "KEY")', ''), { input: input(quantity(3)) });
			expect(noKey.body.data.inventorySetQuantities).toBeNull();
			expect(noKey.body.errors[0].message).toContain('@idempotent');
			const noChangeFrom = await gql(sim, SET.replace('KEY', 'k0'), { input: input(quantity(undefined)) });
			expect(noChangeFrom.body.errors[0].message).toContain('changeFromQuantity');
			const removedField = await gql(sim, SET.replace('KEY', 'k00'), { input: input({ ...quantity(3), compareQuantity: 3 }) });
			expect(removedField.body.errors[0].extensions.code).toBe('argumentNotAccepted');
			expect(await levels(0)).toEqual({ available: 3, on_hand: 3, committed: 0 });

			const stale = await gql(sim, SET.replace('KEY', 'k1'), { input: input(quantity(7)) });
			expect(stale.body.data.inventorySetQuantities.userErrors).toMatchObject([{ code: 'CHANGE_FROM_QUANTITY_STALE', field: ['input', 'quantities', '0', 'changeFromQuantity'] }]);
			expect(await levels(0)).toEqual({ available: 3, on_hand: 3, committed: 0 });

			const ok = await gql(sim, SET.replace('KEY', 'k2'), { input: input(quantity(3)) });
			expect(ok.body.data.inventorySetQuantities.userErrors).toEqual([]);
			expect(ok.body.data.inventorySetQuantities.inventoryAdjustmentGroup.changes).toEqual([
				{ name: 'available', delta: 7, quantityAfterChange: 10 }, { name: 'on_hand', delta: 7, quantityAfterChange: 10 },
			]);
			// A retry with the same key and parameters is answered from the first run, not applied twice.
			const retry = await gql(sim, SET.replace('KEY', 'k2'), { input: input(quantity(3)) });
			expect(retry.body.data.inventorySetQuantities).toEqual(ok.body.data.inventorySetQuantities);
			const reused = await gql(sim, SET.replace('KEY', 'k2'), { input: input(quantity(10)) });
			expect(reused.body.data.inventorySetQuantities.userErrors[0].code).toBe('IDEMPOTENCY_KEY_PARAMETER_MISMATCH');
			expect(await levels(0)).toEqual({ available: 10, on_hand: 10, committed: 0 });

			const bundle = sim.store.variants.find((v) => v.requiresComponents)!;
			const rejected = await gql(sim, SET.replace('KEY', 'k3'), { input: { ...input(quantity(null)), quantities: [quantity(null), quantity(null, bundle.inventoryItemId)] } });
			expect(rejected.body.data.inventorySetQuantities.userErrors).toMatchObject([{ code: 'NON_MUTABLE_INVENTORY_ITEM', field: ['input', 'quantities', '1', 'inventoryItemId'] }]);
			expect(await levels(0)).toEqual({ available: 10, on_hand: 10, committed: 0 });
		});

		it('a bundle parent lists its components with the units one bundle uses; a plain variant lists none', async () => {
			const bundle = sim.store.variants.find((v) => v.requiresComponents)!;
			const plain = sim.store.variants.find((v) => !v.requiresComponents)!;
			const Q = `query C($ids: [ID!]!) { nodes(ids: $ids) { ... on ProductVariant { sku productVariantComponents(first: 10) { nodes { quantity productVariant { sku } } } } } }`;
			const answer = await gql(sim, Q, { ids: [`gid://shopify/ProductVariant/${bundle.id}`, `gid://shopify/ProductVariant/${plain.id}`] });
			const [b, p] = answer.body.data.nodes;
			expect(b.productVariantComponents.nodes).toEqual(bundle.components!.map((c) => ({ quantity: c.quantity, productVariant: { sku: sim.store.variants.find((v) => v.id === c.variantId)!.sku } })));
			expect(b.productVariantComponents.nodes).toHaveLength(2);
			expect(p.productVariantComponents.nodes).toEqual([]);
		});

		it('inventoryAdjustQuantities applies deltas with the same 2026-04 rules', async () => {
			const variant = sim.store.variants[1];
			const change = (delta: number, changeFromQuantity: number | null) => ({
				delta, changeFromQuantity, inventoryItemId: `gid://shopify/InventoryItem/${variant.inventoryItemId}`, locationId: `gid://shopify/Location/${sim.store.locations[0].id}`,
			});
			const ADJUST = `mutation A($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
				inventoryAdjustmentGroup { changes(quantityNames: ["available"]) { delta quantityAfterChange } } userErrors { code field } } }`;
			const send = (key: string, c: Json) => gql(sim, ADJUST.replace('$key', JSON.stringify(key)), { input: { reason: 'received', name: 'available', changes: [c] } });
			expect((await send('a1', change(5, 2))).body.data.inventoryAdjustQuantities.userErrors[0].code).toBe('CHANGE_FROM_QUANTITY_STALE');
			const ok = await send('a2', change(5, 3));
			expect(ok.body.data.inventoryAdjustQuantities.inventoryAdjustmentGroup.changes).toEqual([{ delta: 5, quantityAfterChange: 8 }]);
			expect((await send('a3', change(-2, null))).body.data.inventoryAdjustQuantities.userErrors).toEqual([]);
			expect(await levels(1)).toEqual({ available: 6, on_hand: 6, committed: 0 });
		});

		it('tagsAdd and orderUpdate change the order and bump updatedAt', async () => {
			const target = sim.store.orders[0];
			const before = target.updatedAt;
			const r = await gql(sim, `mutation { tagsAdd(id: "gid://shopify/Order/${target.id}", tags: ["synced", "wholesale"]) { node { ... on Order { tags updatedAt } } userErrors { message } } }`);
			expect(r.body.data.tagsAdd.node.tags).toEqual(['wholesale', 'synced']);
			expect(r.body.data.tagsAdd.node.updatedAt > before).toBe(true);
			const u = await gql(sim, `mutation { orderUpdate(input: { id: "gid://shopify/Order/${target.id}", note: "hello" }) { order { note } userErrors { message } } }`);
			expect(u.body.data.orderUpdate).toEqual({ order: { note: 'hello' }, userErrors: [] });
		});

		describe('refundCreate', () => {
			const REFUND = `mutation Refund($input: RefundInput!) {
				refundCreate(input: $input) @idempotent(key: "KEY") {
					refund {
						id note createdAt totalRefundedSet { shopMoney { amount } }
						refundLineItems(first: 5) { nodes { lineItem { id sku } quantity restockType restocked } }
					}
					order { displayFinancialStatus }
					userErrors { field message }
				}
			}`;
			const ORDER = `query O($id: ID!) { order(id: $id) {
				displayFinancialStatus totalRefundedSet { shopMoney { amount } }
				transactions(first: 10) { id kind amountSet { shopMoney { amount } } }
				lineItems(first: 5) { nodes { id sku quantity currentQuantity refundableQuantity fulfillableQuantity nonFulfillableQuantity } }
				fulfillmentOrders(first: 5) { nodes { id lineItems(first: 5) { nodes { id totalQuantity remainingQuantity } } } }
				refunds(first: 5) { note createdAt totalRefundedSet { shopMoney { amount } } refundLineItems(first: 5) { nodes { lineItem { id sku } quantity restockType restocked } } }
			} }`;
			const location = () => `gid://shopify/Location/${sim.store.locations[0].id}`;

			/** A paid order of `quantity` units of the first variant to ship, that claimed its stock; its id, sale and line. */
			async function paidOrder(quantity: number): Promise<{ id: string; saleId: string; lineId: string; unit: number }> {
				const variant = sim.store.variants[0];
				const unit = Number(variant.price);
				const created = await gql(sim, CREATE, {
					order: {
						lineItems: [{ variantId: `gid://shopify/ProductVariant/${variant.id}`, quantity, requiresShipping: true }],
						transactions: [{ kind: 'SALE', status: 'SUCCESS', amountSet: { shopMoney: { amount: (unit * quantity).toFixed(2), currencyCode: 'USD' } } }],
					},
					options: { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' },
				});
				expect(created.body.data.orderCreate.userErrors).toEqual([]);
				expect(created.body.data.orderCreate.order.displayFinancialStatus).toBe('PAID');
				const id = created.body.data.orderCreate.order.id as string;
				const read = (await gql(sim, ORDER, { id })).body.data.order;
				return { id, saleId: read.transactions[0].id, lineId: read.lineItems.nodes[0].id, unit };
			}
			const refund = (key: string, input: Json) => gql(sim, REFUND.replace('KEY', key), { input });

			it('restocks exactly the refunded units of an unfulfilled line, and the line, the order and its refunds follow', async () => {
				const { id, saleId, lineId, unit } = await paidOrder(3);
				expect(await levels(0)).toEqual({ available: 0, on_hand: 3, committed: 3 });
				const sku = sim.store.variants[0].sku;

				const r = await refund('r-partial', {
					orderId: id, note: 'one came back', notify: false,
					refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'RETURN' }],
					transactions: [{ orderId: id, parentId: saleId, kind: 'REFUND', gateway: 'manual', amount: unit.toFixed(2) }],
				});
				expect(r.body.errors).toBeUndefined();
				expect(r.body.data.refundCreate.userErrors).toEqual([]);
				expect(r.body.data.refundCreate.order.displayFinancialStatus).toBe('PARTIALLY_REFUNDED');
				expect(r.body.data.refundCreate.refund.refundLineItems.nodes).toEqual([{ lineItem: { id: lineId, sku }, quantity: 1, restockType: 'RETURN', restocked: true }]);
				expect(await levels(0)).toEqual({ available: 1, on_hand: 3, committed: 2 });

				const order = (await gql(sim, ORDER, { id })).body.data.order;
				expect(order.lineItems.nodes[0]).toMatchObject({ quantity: 3, currentQuantity: 2, refundableQuantity: 2, fulfillableQuantity: 2, nonFulfillableQuantity: 1 });
				expect(order.fulfillmentOrders.nodes[0].lineItems.nodes[0]).toMatchObject({ totalQuantity: 2, remainingQuantity: 2 });
				expect(order.displayFinancialStatus).toBe('PARTIALLY_REFUNDED');
				expect(order.totalRefundedSet.shopMoney.amount).toBe(gqlDecimal(Math.round(unit * 100)));
				expect(order.transactions.map((t: Json) => t.kind)).toEqual(['SALE', 'REFUND']);
				expect(order.refunds).toEqual([{
					note: 'one came back', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), totalRefundedSet: { shopMoney: { amount: gqlDecimal(Math.round(unit * 100)) } },
					refundLineItems: { nodes: [{ lineItem: { id: lineId, sku }, quantity: 1, restockType: 'RETURN', restocked: true }] },
				}]);

				// The rest, cancelled and refunded: REFUNDED once the refunds reach what was received.
				const rest = await refund('r-rest', {
					orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 2, restockType: 'CANCEL' }],
					transactions: [{ orderId: id, kind: 'REFUND', gateway: 'manual', amount: (unit * 2).toFixed(2) }],
				});
				expect(rest.body.data.refundCreate.userErrors).toEqual([]);
				expect(rest.body.data.refundCreate.order.displayFinancialStatus).toBe('REFUNDED');
				expect(await levels(0)).toEqual({ available: 3, on_hand: 3, committed: 0 });
				const after = (await gql(sim, ORDER, { id })).body.data.order;
				expect(after.lineItems.nodes[0]).toMatchObject({ currentQuantity: 0, refundableQuantity: 0, fulfillableQuantity: 0 });
				expect(after.refunds).toHaveLength(2);
			});

			it('refunds once for the same idempotency key sent twice', async () => {
				const { id, lineId } = await paidOrder(2);
				const input = { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'CANCEL' }] };
				const first = await refund('same-key', input);
				expect(first.body.data.refundCreate.userErrors).toEqual([]);
				const again = await refund('same-key', input);
				expect(again.body.data.refundCreate).toEqual(first.body.data.refundCreate);
				expect(await levels(0)).toEqual({ available: 2, on_hand: 3, committed: 1 });
				const order = (await gql(sim, ORDER, { id })).body.data.order;
				expect(order.refunds).toHaveLength(1);
				expect(order.lineItems.nodes[0]).toMatchObject({ currentQuantity: 1, refundableQuantity: 1 });
				// Without money the financial status stays: the refund only restocked.
				expect(order.displayFinancialStatus).toBe('PAID');
				const reused = await refund('same-key', { ...input, note: 'other' });
				expect(reused.body.data.refundCreate.refund).toBeNull();
				expect(reused.body.data.refundCreate.userErrors[0].message).toContain('idempotency key');
			});

			it('refuses more than the refundable quantity, and more money than was received, writing nothing', async () => {
				const { id, lineId, unit } = await paidOrder(2);
				const over = await refund('over-1', { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 3, restockType: 'CANCEL' }] });
				expect(over.body.data.refundCreate.refund).toBeNull();
				expect(over.body.data.refundCreate.userErrors).toMatchObject([{ field: ['refundLineItems', '0', 'quantity'] }]);
				// Two entries for the same line count together, and earlier refunds count too.
				const split = await refund('over-2', {
					orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'CANCEL' }, { lineItemId: lineId, quantity: 2, restockType: 'NO_RESTOCK' }],
				});
				expect(split.body.data.refundCreate.userErrors).toMatchObject([{ field: ['refundLineItems', '1', 'quantity'] }]);
				expect((await refund('ok-1', { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'CANCEL' }] })).body.data.refundCreate.userErrors).toEqual([]);
				const again = await refund('over-3', { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 2, restockType: 'CANCEL' }] });
				expect(again.body.data.refundCreate.userErrors).toMatchObject([{ field: ['refundLineItems', '0', 'quantity'] }]);
				const money = await refund('over-4', { orderId: id, transactions: [{ orderId: id, kind: 'REFUND', gateway: 'manual', amount: (unit * 2 + 0.01).toFixed(2) }] });
				expect(money.body.data.refundCreate.userErrors).toMatchObject([{ field: ['transactions'] }]);
				const legacy = await refund('over-5', { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'LEGACY_RESTOCK' }] });
				expect(legacy.body.data.refundCreate.userErrors).toMatchObject([{ field: ['refundLineItems', '0', 'restockType'] }]);
				expect(await levels(0)).toEqual({ available: 2, on_hand: 3, committed: 1 });
				const order = (await gql(sim, ORDER, { id })).body.data.order;
				expect(order.lineItems.nodes[0]).toMatchObject({ currentQuantity: 1, refundableQuantity: 1, fulfillableQuantity: 1 });
				expect(order.refunds).toHaveLength(1);
				expect(order.displayFinancialStatus).toBe('PAID');
			});

			it('returns shipped units to the given location, which it requires', async () => {
				const { id, lineId } = await paidOrder(2);
				const fo = (await gql(sim, ORDER, { id })).body.data.order.fulfillmentOrders.nodes[0];
				const shipped = await gql(sim, `mutation F($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`, {
					f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] },
				});
				expect(shipped.body.data.fulfillmentCreate.userErrors).toEqual([]);
				expect(await levels(0)).toEqual({ available: 1, on_hand: 1, committed: 0 });
				const cancel = await refund('ship-1', { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'CANCEL' }] });
				expect(cancel.body.data.refundCreate.userErrors).toMatchObject([{ field: ['refundLineItems', '0', 'quantity'] }]);
				const noLocation = await refund('ship-2', { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'RETURN' }] });
				expect(noLocation.body.data.refundCreate.userErrors).toMatchObject([{ field: ['refundLineItems', '0', 'locationId'] }]);
				const returned = await refund('ship-3', { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'RETURN', locationId: location() }] });
				expect(returned.body.data.refundCreate.userErrors).toEqual([]);
				expect(await levels(0)).toEqual({ available: 2, on_hand: 2, committed: 0 });
				const kept = await refund('ship-4', { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'NO_RESTOCK', locationId: location() }] });
				expect(kept.body.data.refundCreate.refund.refundLineItems.nodes[0]).toMatchObject({ restockType: 'NO_RESTOCK', restocked: false });
				expect(await levels(0)).toEqual({ available: 2, on_hand: 2, committed: 0 });
				const order = (await gql(sim, ORDER, { id })).body.data.order;
				expect(order.lineItems.nodes[0]).toMatchObject({ currentQuantity: 0, refundableQuantity: 0, fulfillableQuantity: 0, nonFulfillableQuantity: 0 });
			});

			it('refuses a refundCreate without @idempotent before running it', async () => {
				const { id, lineId } = await paidOrder(1);
				const r = await gql(sim, REFUND.replace(' @idempotent(key: "KEY")', ''), {
					input: { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'CANCEL' }] },
				});
				expect(r.body.data.refundCreate).toBeNull();
				expect(r.body.errors[0].message).toContain('@idempotent');
				expect(await levels(0)).toEqual({ available: 2, on_hand: 3, committed: 1 });
				expect((await gql(sim, ORDER, { id })).body.data.order.refunds).toEqual([]);
			});

			it('keeps listing a cancellation\'s refund of money, after a refund of line items', async () => {
				const { id, lineId, unit } = await paidOrder(2);
				await refund('c-1', { orderId: id, refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: 'CANCEL' }], transactions: [{ orderId: id, kind: 'REFUND', gateway: 'manual', amount: unit.toFixed(2) }] });
				const cancel = await gql(sim, `mutation { orderCancel(orderId: "${id}", reason: CUSTOMER, restock: true, refund: true, notifyCustomer: false) { orderCancelUserErrors { message } } }`);
				expect(cancel.body.data.orderCancel.orderCancelUserErrors).toEqual([]);
				expect(await levels(0)).toEqual({ available: 3, on_hand: 3, committed: 0 });
				const order = (await gql(sim, ORDER, { id })).body.data.order;
				expect(order.displayFinancialStatus).toBe('REFUNDED');
				expect(order.totalRefundedSet.shopMoney.amount).toBe(gqlDecimal(Math.round(unit * 200)));
				expect(order.refunds.map((r: Json) => [r.totalRefundedSet.shopMoney.amount, r.refundLineItems.nodes.length])).toEqual([[gqlDecimal(Math.round(unit * 100)), 1], [gqlDecimal(Math.round(unit * 100)), 0]]);
			});
		});
	});

	describe('inspection routes', () => {
		it('adds and updates orders, serves the state, and resets to the seed', async () => {
			const added = (await (await fetch(`${sim.url}/__sim/orders`, { method: 'POST', body: JSON.stringify({ note: 'via route' }) })).json()) as Json;
			expect(added.note).toBe('via route');
			const updated = (await (await fetch(`${sim.url}/__sim/orders/${added.id}`, { method: 'POST', body: JSON.stringify({ tags: ['x'] }) })).json()) as Json;
			expect(updated.tags).toEqual(['x']);
			const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as Json;
			expect(state.orders).toHaveLength(1001);
			await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
			expect(sim.store.orders).toHaveLength(1000);
			expect(sim.store.orders.every((o) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(o.updatedAt))).toBe(true);
		});
	});
});

describe('Shopify simulator REST (legacy)', () => {
	it('pages orders.json through Link headers, next and previous', async () => {
		const sim = await startShopifySimulator({ orders: 230, seed: 4 });
		try {
			const get = async (url: string) => {
				const response = await fetch(url, { headers: { 'x-shopify-access-token': sim.accessToken } });
				return { response, body: (await response.json()) as Json };
			};
			const seen: number[] = [];
			let url: string | undefined = `${sim.url}/admin/api/2025-01/orders.json?limit=100&status=any`;
			const pages: Json[] = [];
			while (url) {
				const { response, body } = await get(url);
				expect(response.status).toBe(200);
				expect(response.headers.get('x-shopify-shop-api-call-limit')).toMatch(/^\d+\/40$/);
				seen.push(...(body.orders as Json[]).map((o) => o.id as number));
				pages.push({ link: response.headers.get('link'), ids: (body.orders as Json[]).map((o) => o.id) });
				url = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
			}
			expect(pages.map((p) => p.ids.length)).toEqual([100, 100, 30]);
			expect([...seen].sort()).toEqual(sim.store.orders.map((o) => o.id).sort());
			expect(pages[0].link).not.toContain('rel="previous"');
			const previous = /<([^>]+)>; rel="previous"/.exec(pages[1].link)?.[1];
			expect((await get(previous!)).body.orders.map((o: Json) => o.id)).toEqual(pages[0].ids);
			const one = (await get(`${sim.url}/admin/api/2025-01/orders.json?limit=1&status=any`)).body.orders[0];
			expect(one).toMatchObject({ admin_graphql_api_id: `gid://shopify/Order/${one.id}`, currency: 'USD' });
			expect(typeof one.total_price).toBe('string');
			expect(one.created_at).toMatch(/\+00:00$/);
			// Without status=any, REST lists open orders only.
			const open = (await get(`${sim.url}/admin/api/2025-01/orders/count.json`)).body.count;
			expect(open).toBe(sim.store.orders.filter((o) => !o.closed && !o.cancelledAt).length);
		} finally {
			await sim.close();
		}
	});

	it('answers 429 with Retry-After once the 40-request bucket is full', async () => {
		const sim = await startShopifySimulator({ orders: 5 });
		try {
			const responses = await Promise.all(
				Array.from({ length: 45 }, () => fetch(`${sim.url}/admin/api/2025-01/shop.json`, { headers: { 'x-shopify-access-token': sim.accessToken } })),
			);
			const limited = responses.filter((r) => r.status === 429);
			expect(limited.length).toBeGreaterThanOrEqual(4);
			expect(limited[0].headers.get('retry-after')).toBe('2.0');
			expect(await limited[0].json()).toEqual({ errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' });
			const ok = responses.find((r) => r.status === 200)!;
			expect(((await ok.json()) as Json).shop.myshopify_domain).toBe('sim-shop.myshopify.com');
		} finally {
			await sim.close();
		}
	});
});
