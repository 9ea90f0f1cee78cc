/**
 * The push loop over each main store's simulator, without n8n: one main-store order per channel order
 * however it is pushed (twice in a run, two runs, a lost answer after the create applied, two pushes at
 * the same moment), stock taken exactly once, and given back once when the channel cancels.
 */
import type { Order } from '../../core/model';
import type { PushSettings } from '../../core/push';
import { pushOrders } from '../../platforms/mainStore';
import type { CreateOptions, MainStore } from '../../platforms/mainStore';
import { ShopifyChannel } from '../../platforms/shopify/channel';
import { ShopifyMainStore, decimalFraction } from '../../platforms/shopify/mainStore';
import { KEY_META, WooMainStore } from '../../platforms/woocommerce/mainStore';
import { WooChannel } from '../../platforms/woocommerce/channel';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { basic, fetchTransport, realClock } from '../support/fetchTransport';
import { cancelled, channelOrder, refunded } from '../support/orders';

jest.setTimeout(60_000);

const SETTINGS: PushSettings = {
	mode: 'order',
	require: { paid: true, customer: true, positiveTotal: true, linkedLine: true },
	linkBy: 'sku',
	links: new Map(),
	unlinked: 'wait',
	keepOrderNumber: false,
	orderNumberPrefix: '',
	extraTags: [],
	contactEmail: { use: 'customer', fixed: '' },
	shipping: { use: 'channel', rules: [] },
	cancelOnChannelCancel: true,
};
const CREATE: CreateOptions = { mode: 'order', inventory: 'decrement', sendReceipt: false, sendFulfillmentReceipt: false, marketingOptIn: false };
const RUN = { dryRun: false, create: CREATE };

/**
 * Two stores whose first look-ups wait for each other: both runs see nothing, then both create, the
 * worst case of two workers pushing the same order at the same moment.
 */
function racing(a: MainStore, b: MainStore): [MainStore, MainStore] {
	let arrived = 0;
	let release: () => void = () => undefined;
	const bothLooked = new Promise<void>((resolve) => (release = resolve));
	const wrap = (s: MainStore): MainStore => {
		let first = true;
		return Object.assign(Object.create(s) as MainStore, {
			pushed: async (...args: Parameters<MainStore['pushed']>) => {
				const answer = await s.pushed(...args);
				if (first) {
					first = false;
					if (++arrived === 2) release();
					await bothLooked;
				}
				return answer;
			},
		});
	};
	return [wrap(a), wrap(b)];
}

async function fault(url: string, rule: Record<string, unknown>) {
	await fetch(`${url}/__sim/faults`, { method: 'POST', body: JSON.stringify(rule) });
}

describe('decimal rates for Shopify', () => {
	it('turns percentages into exact fractions', () => {
		expect(['20', '7.25', '0', '8.875', '100', '0.5'].map(decimalFraction)).toEqual(['0.2', '0.0725', '0', '0.08875', '1', '0.005']);
	});
});

describe('pushing to a Shopify main store', () => {
	let sim: ShopifySimulator;
	const store = (): MainStore => new ShopifyMainStore(fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } }), realClock(), sim.url);
	const available = (sku: string) => {
		const variant = sim.store.variants.find((v) => v.sku === sku)!;
		return sim.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).reduce((s, l) => s + l.available, 0);
	};
	const live = (order: Order) => sim.store.orders.filter((o) => o.sourceIdentifier === `ebay:ebay-seller-1:${order.channelOrderId}` && !o.cancelledAt);

	beforeAll(async () => {
		sim = await startShopifySimulator({ orders: 0, products: 12, seed: 31, restoreRate: 1000, bucketSize: 20000 });
	});
	afterAll(() => sim.close());

	it('creates one order per channel order, taking stock once, however often it is pushed', async () => {
		const order = channelOrder([{ sku: 'SKU-1-1', quantity: 2, unitPrice: 1250 }, { sku: 'SKU-2-1', quantity: 1, unitPrice: 999, discount: 100 }]);
		const before = [available('SKU-1-1'), available('SKU-2-1')];
		const first = await pushOrders(store(), [order, order], SETTINGS, RUN);
		expect(first.map((r) => r.action)).toEqual(['created', 'alreadyThere']);
		expect(first[1].record?.id).toBe(first[0].record?.id);
		const second = await pushOrders(store(), [order], SETTINGS, RUN);
		expect(second[0].action).toBe('alreadyThere');
		expect(live(order)).toHaveLength(1);
		expect([available('SKU-1-1'), available('SKU-2-1')]).toEqual([before[0] - 2, before[1] - 1]);
		const created = live(order)[0];
		expect(created.lineItems.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([['SKU-1-1', 2, '12.50'], ['SKU-2-1', 1, '9.99']]);
		expect(created.tags).toEqual(expect.arrayContaining(['Commerce Sync', 'eBay', `eBay ${order.channelOrderNumber}`]));
		expect(created.tags.every((t) => t.length <= 40)).toBe(true);
		expect(created.displayFinancialStatus).toBe('PAID');
		// Read back as a channel order: the discount code's share is on the lines and the totals reconcile to the cent.
		const channel = new ShopifyChannel(fetchTransport({ headers: { 'X-Shopify-Access-Token': sim.accessToken } }), realClock(), sim.url);
		const [readBack] = (await channel.recentOrders(1)).map((o) => o.order);
		expect(readBack.channelOrderId).toBe(String(created.id));
		// orderCreate takes one discount code per order, which Shopify spreads over the lines by price.
		expect(readBack.lines.map((l) => l.sku)).toEqual(['SKU-1-1', 'SKU-2-1']);
		expect(readBack.totals.discount).toBe(100);
		expect(readBack.totals.total).toBe(order.totals.total);
		expect(readBack.problems).toEqual([]);
	});

	it('checks a create whose answer was lost instead of repeating it', async () => {
		const order = channelOrder([{ sku: 'SKU-3-1', quantity: 1, unitPrice: 500 }]);
		const before = available('SKU-3-1');
		await fault(sim.url, { kind: 'lostAnswer', match: 'OrderCreate', times: 1 });
		const [result] = await pushOrders(store(), [order], SETTINGS, RUN);
		expect(result.action).toBe('created');
		expect(result.notes.join(' ')).toMatch(/answer to the create was lost; the order was found/);
		expect(live(order)).toHaveLength(1);
		expect(available('SKU-3-1')).toBe(before - 1);
	});

	it('does not create again in the same run when the answer was lost and the order is not found yet', async () => {
		const order = channelOrder([{ sku: 'SKU-3-2', quantity: 1, unitPrice: 500 }]);
		// The connection drops before the simulator handles the create: nothing was written, but the client cannot know.
		await fault(sim.url, { kind: 'drop', match: 'OrderCreate', times: 1 });
		const [first] = await pushOrders(store(), [order], SETTINGS, RUN);
		expect([first.action, first.attention?.code]).toEqual(['attention', 'unknownOutcome']);
		expect(live(order)).toHaveLength(0);
		const [next] = await pushOrders(store(), [order], SETTINGS, RUN);
		expect(next.action).toBe('created');
		expect(live(order)).toHaveLength(1);
	});

	it('keeps one live order when two runs push the same order at the same moment', async () => {
		const order = channelOrder([{ sku: 'SKU-4-1', quantity: 3, unitPrice: 700 }]);
		const before = available('SKU-4-1');
		const [one, two] = racing(store(), store());
		const [a, b] = await Promise.all([pushOrders(one, [order], SETTINGS, RUN), pushOrders(two, [order], SETTINGS, RUN)]);
		// Both created it; the newer copy was cancelled with its stock given back.
		const copies = sim.store.orders.filter((o) => o.sourceIdentifier === `ebay:ebay-seller-1:${order.channelOrderId}`);
		expect(copies).toHaveLength(2);
		expect(copies[1].cancelledAt).not.toBeNull();
		expect(copies[1].tags).toContain('Commerce Sync duplicate');
		expect(live(order)).toHaveLength(1);
		expect(a[0].record?.id).toBe(b[0].record?.id);
		expect([a[0].action, b[0].action].sort()).toEqual(['alreadyThere', 'created']);
		expect(available('SKU-4-1')).toBe(before - 3);
	});

	it('a copy found on a later run (a create applied after the client gave up on it) is cancelled and restocked: one live order, stock taken once', async () => {
		const order = channelOrder([{ sku: 'SKU-6-1', quantity: 2, unitPrice: 900 }]);
		const before = available('SKU-6-1');
		// Two creates that each looked and found nothing: the store's index had not caught up with the first.
		const blind = (): MainStore => Object.assign(Object.create(store()) as MainStore, { pushed: async () => new Map() });
		await pushOrders(blind(), [order], SETTINGS, RUN);
		await pushOrders(blind(), [order], SETTINGS, RUN);
		expect(live(order)).toHaveLength(2);
		expect(available('SKU-6-1')).toBe(before - 4);
		const [next] = await pushOrders(store(), [order], SETTINGS, RUN);
		expect(next.action).toBe('alreadyThere');
		expect(next.notes.join(' ')).toMatch(/in the store twice; .* is kept and the duplicate .* was cancelled with its stock restored/);
		const copies = sim.store.orders.filter((o) => o.sourceIdentifier === `ebay:ebay-seller-1:${order.channelOrderId}`);
		expect(copies.map((o) => [o.cancelledAt === null, o.tags.includes('Commerce Sync duplicate')])).toEqual([[true, false], [false, true]]);
		expect(available('SKU-6-1')).toBe(before - 2);
		// And the run after that has nothing left to do.
		const [again] = await pushOrders(store(), [order], SETTINGS, RUN);
		expect([again.action, again.notes]).toEqual(['alreadyThere', []]);
		expect(live(order)).toHaveLength(1);
	});

	it('cancels and restocks when the channel order comes back cancelled, once', async () => {
		const order = channelOrder([{ sku: 'SKU-5-1', quantity: 2, unitPrice: 1500 }]);
		const before = available('SKU-5-1');
		await pushOrders(store(), [order], SETTINGS, RUN);
		expect(available('SKU-5-1')).toBe(before - 2);
		const [cancel] = await pushOrders(store(), [cancelled(order)], SETTINGS, RUN);
		expect(cancel.action).toBe('cancelled');
		expect(available('SKU-5-1')).toBe(before);
		const [again] = await pushOrders(store(), [cancelled(order)], SETTINGS, RUN);
		expect(again.action).toBe('alreadyCancelled');
		expect(available('SKU-5-1')).toBe(before);
	});

	it('holds unlinked orders, or imports them as custom lines, or pushes only the linked lines', async () => {
		const order = channelOrder([{ sku: 'SKU-6-1', quantity: 1, unitPrice: 1000 }, { sku: 'NOT-IN-STORE', quantity: 1, unitPrice: 300, title: 'Gift card' }]);
		const [waiting] = await pushOrders(store(), [order], SETTINGS, RUN);
		expect(waiting.action).toBe('attention');
		expect(waiting.attention?.code).toBe('unlinked');
		expect(waiting.attention?.reason).toMatch(/"Gift card" \(sku NOT-IN-STORE\) is not in the main store/);
		const [custom] = await pushOrders(store(), [order], { ...SETTINGS, unlinked: 'customLines' }, RUN);
		expect(custom.action).toBe('created');
		expect(live(order)[0].lineItems.map((l) => [l.title, l.variantId === null])).toEqual([['Product 6', false], ['Gift card', true]]);
		const only = channelOrder([{ sku: 'SKU-7-1', quantity: 1, unitPrice: 1000 }, { sku: 'NOT-IN-STORE', quantity: 1, unitPrice: 300, title: 'Gift card' }]);
		await pushOrders(store(), [only], { ...SETTINGS, unlinked: 'onlyLinked' }, RUN);
		const pushed = live(only)[0];
		expect(pushed.lineItems.map((l) => l.sku)).toEqual(['SKU-7-1']);
		expect(pushed.note).toMatch(/Not in this order \(not linked to this store\): 1 × Gift card \[NOT-IN-STORE\]/);
	});
});

describe('refunds on the channel restock the main store once', () => {
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 0, products: 6, seed: 35, restoreRate: 1000, bucketSize: 20000 });
		woo = await startWooSimulator({ orders: 5, products: 30, seed: 36 });
	});
	afterAll(async () => {
		await shopify.close();
		await woo.close();
	});

	it('Shopify: restocks the refunded units, nothing more on a repeat, the rest on cancel', async () => {
		const store = () => new ShopifyMainStore(fetchTransport({ headers: { 'X-Shopify-Access-Token': shopify.accessToken } }), realClock(), shopify.url);
		const variant = shopify.store.variants.find((v) => v.sku === 'SKU-3-1')!;
		const available = () => shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).reduce((s, l) => s + l.available, 0);
		const before = available();
		const order = channelOrder([{ sku: 'SKU-3-1', quantity: 3, unitPrice: 1000 }, { sku: 'SKU-4-1', quantity: 1, unitPrice: 500 }]);
		await pushOrders(store(), [order], SETTINGS, RUN);
		expect(available()).toBe(before - 3);
		const [one] = await pushOrders(store(), [refunded(order, 0, 1)], SETTINGS, RUN);
		expect([one.action, one.notes.join(' ')]).toEqual(['restocked', 'Restocked what the channel refunded: 1 × SKU-3-1.']);
		expect(available()).toBe(before - 2);
		const [same] = await pushOrders(store(), [refunded(order, 0, 1)], SETTINGS, RUN);
		expect(same.action).toBe('alreadyThere');
		expect(available()).toBe(before - 2);
		const [two] = await pushOrders(store(), [refunded(order, 0, 2)], SETTINGS, RUN);
		expect(two.action).toBe('restocked');
		expect(available()).toBe(before - 1);
		const [gone] = await pushOrders(store(), [cancelled(refunded(order, 0, 2))], SETTINGS, RUN);
		expect(gone.action).toBe('cancelled');
		expect(available()).toBe(before);
	});

	it('channels report the units refunded per line, for orders that stay open', async () => {
		// Shopify: an order pushed there, then 1 of its 3 units refunded there, read back as a channel order.
		const order = channelOrder([{ sku: 'SKU-5-1', quantity: 3, unitPrice: 1000 }]);
		const shopStore = new ShopifyMainStore(fetchTransport({ headers: { 'X-Shopify-Access-Token': shopify.accessToken } }), realClock(), shopify.url);
		const [pushed] = await pushOrders(shopStore, [order], SETTINGS, RUN);
		await pushOrders(shopStore, [refunded(order, 0, 1)], SETTINGS, RUN);
		const shopChannel = new ShopifyChannel(fetchTransport({ headers: { 'X-Shopify-Access-Token': shopify.accessToken } }), realClock(), shopify.url);
		const [readShop] = (await shopChannel.recentOrders(1)).map((o) => o.order);
		expect([readShop.channelOrderId, readShop.lines.map((l) => l.refundedQuantity), readShop.status]).toEqual([pushed.record!.id.split('/').pop(), [1], 'open']);
		// WooCommerce likewise, its refunded units read from the order's refunds.
		const product = woo.store.products.find((p) => p.type === 'simple' && p.manage_stock && p.sku && (p.stock_quantity ?? 0) > 5)!;
		const wooOrder = channelOrder([{ sku: product.sku, quantity: 3, unitPrice: 1000 }]);
		const wooStore = new WooMainStore(fetchTransport({ headers: { authorization: basic(woo.consumerKey, woo.consumerSecret) } }), realClock(), woo.siteUrl);
		await pushOrders(wooStore, [wooOrder], SETTINGS, RUN);
		await pushOrders(wooStore, [refunded(wooOrder, 0, 2)], SETTINGS, RUN);
		const wooChannel = new WooChannel(fetchTransport({ headers: { authorization: basic(woo.consumerKey, woo.consumerSecret) } }), realClock(), woo.siteUrl);
		const [readWoo] = (await wooChannel.recentOrders(1)).map((o) => o.order);
		expect([readWoo.lines.map((l) => l.refundedQuantity), readWoo.status]).toEqual([[2], 'open']);
	});

	it('WooCommerce: restocks the refunded units once, with no gateway refund', async () => {
		const store = () => new WooMainStore(fetchTransport({ headers: { authorization: basic(woo.consumerKey, woo.consumerSecret) } }), realClock(), woo.siteUrl);
		const product = woo.store.products.find((p) => p.type === 'simple' && p.manage_stock && p.sku && (p.stock_quantity ?? 0) > 5)!;
		const before = product.stock_quantity ?? 0;
		const order = channelOrder([{ sku: product.sku, quantity: 3, unitPrice: 1000 }]);
		await pushOrders(store(), [order], SETTINGS, RUN);
		expect(product.stock_quantity).toBe(before - 3);
		const [one] = await pushOrders(store(), [refunded(order, 0, 1)], SETTINGS, RUN);
		expect(one.action).toBe('restocked');
		expect(product.stock_quantity).toBe(before - 2);
		const [same] = await pushOrders(store(), [refunded(order, 0, 1)], SETTINGS, RUN);
		expect(same.action).toBe('alreadyThere');
		expect(product.stock_quantity).toBe(before - 2);
		const [gone] = await pushOrders(store(), [cancelled(refunded(order, 0, 1))], SETTINGS, RUN);
		expect(gone.action).toBe('cancelled');
		expect(product.stock_quantity).toBe(before);
	});
});

describe('Stock Only', () => {
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 0, products: 6, seed: 33, restoreRate: 1000, bucketSize: 20000 });
		woo = await startWooSimulator({ orders: 5, products: 30, seed: 34 });
	});
	afterAll(async () => {
		await shopify.close();
		await woo.close();
	});
	const stockOnly = { ...RUN, create: { ...CREATE, mode: 'stockOnly' as const } };
	const settings = { ...SETTINGS, mode: 'stockOnly' as const };

	it('takes Shopify stock once per order without an order, retried or sent by two runs, and gives it back once', async () => {
		const store = () => new ShopifyMainStore(fetchTransport({ headers: { 'X-Shopify-Access-Token': shopify.accessToken } }), realClock(), shopify.url);
		const variant = shopify.store.variants.find((v) => v.sku === 'SKU-2-2')!;
		const available = () => shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).reduce((s, l) => s + l.available, 0);
		const before = available();
		const order = channelOrder([{ sku: 'SKU-2-2', quantity: 2, unitPrice: 900 }]);
		await fault(shopify.url, { kind: 'lostAnswer', match: 'InventoryAdjust', times: 1 });
		const [first, again] = await Promise.all([pushOrders(store(), [order, order], settings, stockOnly), pushOrders(store(), [order], settings, stockOnly)]);
		expect(first.map((r) => r.action)).toEqual(['created', 'alreadyThere']);
		expect(again[0].action).toBe('created');
		expect(available()).toBe(before - 2);
		expect(shopify.store.orders).toHaveLength(0);
		const [back] = await pushOrders(store(), [cancelled(order)], settings, { ...stockOnly, known: () => [first[0].record!] });
		expect(back.action).toBe('cancelled');
		expect(available()).toBe(before);
		const [twice] = await pushOrders(store(), [cancelled(order)], settings, { ...stockOnly, known: () => [back.record!] });
		expect(twice.action).toBe('alreadyCancelled');
		expect(available()).toBe(before);
	});

	it('takes WooCommerce stock once per order and remembers it through the node\'s record', async () => {
		const store = () => new WooMainStore(fetchTransport({ headers: { authorization: basic(woo.consumerKey, woo.consumerSecret) } }), realClock(), woo.siteUrl);
		const product = woo.store.products.find((p) => p.type === 'simple' && p.manage_stock && p.sku && (p.stock_quantity ?? 0) > 5)!;
		const before = product.stock_quantity ?? 0;
		const order = channelOrder([{ sku: product.sku, quantity: 3, unitPrice: 900 }]);
		const ordersBefore = woo.store.orders.length;
		const [taken] = await pushOrders(store(), [order, order], settings, stockOnly);
		expect(taken.action).toBe('created');
		expect(product.stock_quantity).toBe(before - 3);
		const [known] = await pushOrders(store(), [order], settings, { ...stockOnly, known: () => [taken.record!] });
		expect(known.action).toBe('alreadyThere');
		expect(product.stock_quantity).toBe(before - 3);
		const [back] = await pushOrders(store(), [cancelled(order)], settings, { ...stockOnly, known: () => [taken.record!] });
		expect(back.action).toBe('cancelled');
		expect(product.stock_quantity).toBe(before);
		expect(woo.store.orders.length).toBe(ordersBefore);
	});
});

describe('pushing to a WooCommerce main store', () => {
	let sim: WooSimulator;
	const store = (): MainStore => new WooMainStore(fetchTransport({ headers: { authorization: basic(sim.consumerKey, sim.consumerSecret) } }), realClock(), sim.siteUrl);
	const simple = () => sim.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku && (p.stock_quantity ?? 0) > 10);
	const stock = (sku: string) => sim.store.products.find((p) => p.sku === sku)!.stock_quantity;
	const live = (order: Order) => sim.store.orders.filter((o) => o.meta_data.some((m) => m.key === KEY_META && m.value === `ebay:ebay-seller-1:${order.channelOrderId}`) && !['cancelled', 'trash'].includes(o.status));

	beforeAll(async () => {
		sim = await startWooSimulator({ orders: 30, products: 40, seed: 32 });
	});
	afterAll(() => sim.close());

	it('creates one order per channel order, stock reduced once, in one batch request', async () => {
		const [p1, p2] = simple();
		const order = channelOrder([{ sku: p1.sku, quantity: 2, unitPrice: 1250 }, { sku: p2.sku, quantity: 1, unitPrice: 999 }]);
		const before = [stock(p1.sku), stock(p2.sku)];
		const first = await pushOrders(store(), [order, order], SETTINGS, RUN);
		expect(first.map((r) => r.action)).toEqual(['created', 'alreadyThere']);
		const again = await pushOrders(store(), [order], SETTINGS, RUN);
		expect(again[0].action).toBe('alreadyThere');
		expect(live(order)).toHaveLength(1);
		expect([stock(p1.sku), stock(p2.sku)]).toEqual([(before[0] ?? 0) - 2, (before[1] ?? 0) - 1]);
		expect(live(order)[0].status).toBe('processing');
	});

	it('checks a batch whose answer was lost instead of repeating it', async () => {
		const [, , p3] = simple();
		const order = channelOrder([{ sku: p3.sku, quantity: 1, unitPrice: 500 }]);
		const before = stock(p3.sku) ?? 0;
		await fault(sim.url, { kind: 'lostAnswer', match: 'orders/batch', times: 1 });
		const [result] = await pushOrders(store(), [order], SETTINGS, RUN);
		expect(result.action).toBe('created');
		expect(result.notes.join(' ')).toMatch(/answer to the create was lost; the order was found/);
		expect(live(order)).toHaveLength(1);
		expect(stock(p3.sku)).toBe(before - 1);
	});

	it('keeps one live order when two runs push the same order at the same moment, and restocks on cancel', async () => {
		const p4 = simple()[3];
		const order = channelOrder([{ sku: p4.sku, quantity: 3, unitPrice: 700 }]);
		const before = stock(p4.sku) ?? 0;
		const [one, two] = racing(store(), store());
		await Promise.all([pushOrders(one, [order], SETTINGS, RUN), pushOrders(two, [order], SETTINGS, RUN)]);
		const copies = sim.store.orders.filter((o) => o.meta_data.some((m) => m.key === KEY_META && m.value === `ebay:ebay-seller-1:${order.channelOrderId}`));
		expect(copies.map((o) => o.status)).toEqual(['processing', 'cancelled']);
		expect(live(order)).toHaveLength(1);
		expect(stock(p4.sku)).toBe(before - 3);
		const [cancel] = await pushOrders(store(), [cancelled(order)], SETTINGS, RUN);
		expect(cancel.action).toBe('cancelled');
		expect(live(order)).toHaveLength(0);
		expect(stock(p4.sku)).toBe(before);
	});
});
