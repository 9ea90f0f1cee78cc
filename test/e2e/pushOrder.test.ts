/**
 * Push Order to Main Store in real n8n, against the Shopify and WooCommerce simulators. Every option is
 * checked on the main store's state read back from the simulator (orders, lines, tags, numbers, stock),
 * and exactly-once holds for an item twice in a run, a second run, a lost answer, and two n8n
 * processes pushing the same order at the same moment.
 */
import { N8nInstance } from './harness/n8n';
import type { CredentialFixture, ExecutionResult } from './harness/n8n';
import { credentialRef, shopifyCredential, wooCredential } from './harness/fixtures';
import { UNDER_TEST, feedItems } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { cancelled, channelOrder, refunded } from '../support/orders';
import type { Order } from '../../core/model';

type Json = Record<string, any>;

const PUSHED = 0;
const ATTENTION = 1;

describe('Push Order to Main Store in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let shopifyCred: CredentialFixture;
	let wooCred: CredentialFixture;

	const pushNode = (mainStore: 'shopify' | 'woocommerce', parameters: Json = {}) => ({
		type: 'pushOrderToMainStore',
		parameters: { mainStore, ...parameters },
		credentials: credentialRef(mainStore === 'shopify' ? shopifyCred : wooCred),
	});
	const push = (instance: N8nInstance, name: string, orders: unknown[], mainStore: 'shopify' | 'woocommerce', parameters: Json = {}) =>
		instance.runWorkflow(feedItems(name, orders, pushNode(mainStore, parameters)));

	const keyOf = (o: Order) => `${o.channel}:${o.channelStoreId}:${o.channelOrderId}`;
	const shopifyOrders = (o: Order) => shopify.store.orders.filter((s) => s.sourceIdentifier === keyOf(o));
	const available = (sku: string) => {
		const variant = shopify.store.variants.find((v) => v.sku === sku)!;
		return shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId).reduce((s, l) => s + l.available, 0);
	};
	const wooOrders = (o: Order) => woo.store.orders.filter((w) => w.meta_data.some((m) => m.key === 'commerce_sync_key' && m.value === keyOf(o)));
	const wooStock = (sku: string) => woo.store.products.find((p) => p.sku === sku)!.stock_quantity ?? 0;
	const wooSimple = () => woo.store.products.filter((p) => p.type === 'simple' && p.manage_stock && p.sku && (p.stock_quantity ?? 0) > 20);

	beforeAll(async () => {
		shopify = await startShopifySimulator({ orders: 0, products: 15, seed: 41, restoreRate: 1000, bucketSize: 20000 });
		woo = await startWooSimulator({ orders: 10, products: 40, seed: 42 });
		n8n = N8nInstance.create();
		shopifyCred = shopifyCredential('shopPushCred0001', 'Shopify main store', shopify);
		wooCred = wooCredential('wooPushCred00001', 'WooCommerce main store', woo);
		await n8n.importCredentials([shopifyCred, wooCred]);
	});
	afterAll(async () => {
		n8n?.dispose();
		await shopify?.close();
		await woo?.close();
	});

	const items = (result: ExecutionResult, output: number) => result.json(UNDER_TEST, output) as Json[];
	const ok = (result: ExecutionResult) => {
		if (!result.ok) throw new Error(`run failed: ${result.error?.message ?? result.stderr.slice(-2000)}`);
		return result;
	};

	describe('into Shopify', () => {
		it('creates each good order once with its lines, tax, shipping, discount and stock; the rest need attention with reasons', async () => {
			const good = channelOrder([
				{ sku: 'SKU-1-1', quantity: 2, unitPrice: 1250, tax: 206 },
				{ sku: 'SKU-2-1', quantity: 1, unitPrice: 999, discount: 150, tax: 70 },
			]);
			const unpaid = channelOrder([{ sku: 'SKU-3-1', quantity: 1, unitPrice: 500 }], { financialStatus: 'pending', paidAt: null });
			const noAddress = channelOrder([{ sku: 'SKU-3-1', quantity: 1, unitPrice: 500 }], { shippingAddress: null, billingAddress: null });
			const free = channelOrder([{ sku: 'SKU-3-1', quantity: 1, unitPrice: 0 }], { shippingLines: [] });
			const unlinked = channelOrder([{ sku: 'SKU-3-1', quantity: 1, unitPrice: 500 }, { sku: 'NOPE-1', quantity: 1, unitPrice: 100, title: 'Mystery box' }]);
			const broken = { ...channelOrder([{ sku: 'SKU-3-1', quantity: 1, unitPrice: 500 }]), lines: [{ sku: 'SKU-3-1', quantity: 0, unitPrice: 500 }] };
			const before = [available('SKU-1-1'), available('SKU-2-1'), available('SKU-3-1')];

			const result = ok(await push(n8n, 'push shopify', [good, unpaid, noAddress, free, unlinked, broken, good], 'shopify'));

			const pushed = result.output(UNDER_TEST, PUSHED);
			expect(pushed.map((i) => [i.pairedItem, i.json.action])).toEqual([[{ item: 0 }, 'created'], [{ item: 6 }, 'alreadyThere']]);
			const attention = result.output(UNDER_TEST, ATTENTION);
			expect(attention.map((i) => [(i.pairedItem as Json).item, i.json.attentionCode])).toEqual([
				[5, 'invalid'], [1, 'unpaid'], [2, 'noCustomer'], [3, 'zeroTotal'], [4, 'unlinked'],
			]);
			expect(attention.map((i) => i.json.reason)).toEqual([
				expect.stringMatching(/lines\[0\]\.quantity 0 is not a positive whole quantity/),
				expect.stringMatching(/not paid yet \(payment status: pending\)/),
				expect.stringMatching(/has no complete shipping address/),
				expect.stringMatching(/has a total of 0/),
				expect.stringMatching(/"Mystery box" \(sku NOPE-1\) is not in the main store/),
			]);
			expect(attention.every((i) => i.json.syncStatus === 'notImported')).toBe(true);

			const [created] = shopifyOrders(good);
			expect(shopifyOrders(good)).toHaveLength(1);
			expect(pushed[0].json.mainStore).toMatchObject({ platform: 'Shopify', orderId: `gid://shopify/Order/${created.id}`, orderNumber: created.name });
			expect(pushed[0].json.syncStatus).toBe('imported');
			expect(created.name).toMatch(/^#\d+$/);
			expect(created.lineItems.map((l) => [l.sku, l.quantity, l.unitPrice, l.taxLines.map((t) => t.price)])).toEqual([
				['SKU-1-1', 2, '12.50', ['2.06']], ['SKU-2-1', 1, '9.99', ['0.70']],
			]);
			expect(created.shippingLines.map((s) => [s.title, s.code, s.price])).toEqual([['USPS Priority', 'USPSPriority', '7.99']]);
			expect(created.email).toBe('ada@example.com');
			expect(created.shippingAddress).toMatchObject({ city: 'London', countryCode: 'GB', lastName: 'Lovelace' });
			expect(created.tags).toEqual(expect.arrayContaining(['Commerce Sync', 'eBay', `eBay ${good.channelOrderNumber}`]));
			expect(created.note).toContain(`Imported from eBay order ${good.channelOrderNumber}`);
			// The money reconciles to the cent: what the buyer paid on eBay is what Shopify shows as paid.
			expect(created.transactions.map((t) => [t.kind, t.amount])).toEqual([['SALE', (good.totals.total / 100).toFixed(2)]]);
			expect(created.displayFinancialStatus).toBe('PAID');
			expect([available('SKU-1-1'), available('SKU-2-1'), available('SKU-3-1')]).toEqual([before[0] - 2, before[1] - 1, before[2]]);

			// A second run changes nothing.
			const again = ok(await push(n8n, 'push shopify again', [good], 'shopify'));
			expect(items(again, PUSHED).map((j) => j.action)).toEqual(['alreadyThere']);
			expect(shopifyOrders(good)).toHaveLength(1);
			expect(available('SKU-1-1')).toBe(before[0] - 2);
		});

		it('keeps the channel number with a prefix, a fixed contact email, extra tags, receipts, rate rules, links by barcode, and leaves stock alone', async () => {
			const variant = shopify.store.variants.find((v) => v.sku === 'SKU-4-1')!;
			const order = channelOrder([{ sku: variant.barcode, quantity: 1, unitPrice: 4000 }]);
			const before = available('SKU-4-1');
			ok(await push(n8n, 'push shopify options', [order], 'shopify', {
				linkBy: 'barcode', inventory: 'bypass', keepOrderNumber: true, orderNumberPrefix: 'EBAY-', contactEmail: 'fixed', fixedEmail: 'orders@shop.example',
				shipping: 'rules', shippingRules: { rule: [{ fromSubtotal: 0, price: 4.95, title: 'Standard' }, { fromSubtotal: 35, price: 0, title: 'Free over 35' }] },
				options: { tags: 'marketplace, a-tag-that-is-much-longer-than-forty-characters-for-sure', sendReceipt: true, marketingOptIn: true },
			}));
			const [created] = shopifyOrders(order);
			expect(created.name).toBe(`EBAY-${order.channelOrderNumber}`);
			expect(created.email).toBe('orders@shop.example');
			expect(created.tags).toEqual(expect.arrayContaining(['marketplace', 'a-tag-that-is-much-longer-than-forty-cha']));
			expect(created.tags.every((t) => t.length <= 40)).toBe(true);
			expect(created.shippingLines.map((s) => [s.title, s.price])).toEqual([['Free over 35', '0.00']]);
			expect(created.lineItems.map((l) => l.variantId)).toEqual([variant.id]);
			expect(available('SKU-4-1')).toBe(before);
			const recorded = created as unknown as Json;
			expect(recorded.buyerAcceptsMarketing).toBe(true);
			expect(recorded.receiptRequested ?? recorded.receiptSent).toBe(true);
		});

		it('creates a draft order, linked by product handle, found again on the next run', async () => {
			// A handle names a product; the line's variant title picks its variant.
			const variant = shopify.store.variants.find((v) => v.sku === 'SKU-6-2')!;
			const order = channelOrder([{ sku: 'product-6', quantity: 1, unitPrice: 2100 }]);
			order.lines[0].variantTitle = variant.title;
			const draftsBefore = shopify.store.draftOrders.length;
			const first = ok(await push(n8n, 'push shopify draft', [order], 'shopify', { mode: 'draft', linkBy: 'handle' }));
			expect(items(first, PUSHED).map((j) => j.action)).toEqual(['created']);
			const second = ok(await push(n8n, 'push shopify draft again', [order], 'shopify', { mode: 'draft', linkBy: 'handle' }));
			expect(items(second, PUSHED).map((j) => [j.action, j.mainStore.kind])).toEqual([['alreadyThere', 'draft']]);
			expect(shopify.store.draftOrders.length).toBe(draftsBefore + 1);
			const draft = shopify.store.draftOrders[shopify.store.draftOrders.length - 1];
			expect(draft.lineItems.map((l) => [l.sku, l.custom])).toEqual([['SKU-6-2', false]]);
			expect(shopifyOrders(order)).toHaveLength(0);
		});

		it('shows the exact request in a dry run and writes nothing', async () => {
			const order = channelOrder([{ sku: 'SKU-7-1', quantity: 1, unitPrice: 1800 }]);
			const ordersBefore = shopify.store.orders.length;
			const result = ok(await push(n8n, 'push shopify dry', [order], 'shopify', { dryRun: true }));
			const [item] = items(result, PUSHED);
			expect(item.action).toBe('wouldCreate');
			expect(item.request.orderCreate.order).toMatchObject({ sourceIdentifier: keyOf(order), lineItems: [expect.objectContaining({ quantity: 1 })] });
			expect(item.request.orderCreate.options.inventoryBehaviour).toBe('DECREMENT_OBEYING_POLICY');
			expect(shopify.store.orders.length).toBe(ordersBefore);
		});

		it('cancels and restocks once when the order comes back cancelled', async () => {
			const order = channelOrder([{ sku: 'SKU-8-1', quantity: 2, unitPrice: 900 }]);
			const before = available('SKU-8-1');
			ok(await push(n8n, 'push shopify to cancel', [order], 'shopify'));
			expect(available('SKU-8-1')).toBe(before - 2);
			const result = ok(await push(n8n, 'push shopify cancel', [cancelled(order), cancelled(order)], 'shopify'));
			expect(items(result, PUSHED).map((j) => j.action)).toEqual(['cancelled', 'alreadyCancelled']);
			expect(shopifyOrders(order).map((o) => o.cancelledAt !== null)).toEqual([true]);
			expect(available('SKU-8-1')).toBe(before);
		});

		it('creates one order when the create\'s answer is lost, and one when two n8n processes push at once', async () => {
			const lost = channelOrder([{ sku: 'SKU-9-1', quantity: 1, unitPrice: 1100 }]);
			await fetch(`${shopify.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'lostAnswer', match: 'OrderCreate', times: 1 }) });
			const result = ok(await push(n8n, 'push shopify lost', [lost], 'shopify'));
			expect(items(result, PUSHED)[0].notes.join(' ')).toMatch(/answer to the create was lost/);
			expect(shopifyOrders(lost)).toHaveLength(1);

			const raced = channelOrder([{ sku: 'SKU-10-1', quantity: 3, unitPrice: 1300 }]);
			const before = available('SKU-10-1');
			const second = N8nInstance.create();
			try {
				await second.importCredentials([shopifyCred]);
				const [a, b] = await Promise.all([push(n8n, 'push shopify race a', [raced], 'shopify'), push(second, 'push shopify race b', [raced], 'shopify')]);
				ok(a);
				ok(b);
			} finally {
				second.dispose();
			}
			expect(shopifyOrders(raced).filter((o) => o.cancelledAt === null)).toHaveLength(1);
			expect(available('SKU-10-1')).toBe(before - 3);
		});
	});

	describe('more options', () => {
		it('pushes each main store only the lines linked there, each once', async () => {
			const [p1] = wooSimple().slice(7);
			const order = channelOrder([{ sku: 'SKU-12-1', quantity: 1, unitPrice: 2000, title: 'Lamp' }, { sku: p1.sku, quantity: 2, unitPrice: 700, title: 'Mug' }]);
			for (const run of [1, 2]) {
				const a = ok(await push(n8n, `only linked shopify ${run}`, [order], 'shopify', { unlinked: 'onlyLinked' }));
				const b = ok(await push(n8n, `only linked woo ${run}`, [order], 'woocommerce', { unlinked: 'onlyLinked' }));
				expect([run, items(a, PUSHED)[0].action, items(b, PUSHED)[0].action]).toEqual([run, run === 1 ? 'created' : 'alreadyThere', run === 1 ? 'created' : 'alreadyThere']);
			}
			const [inShopify] = shopifyOrders(order);
			const [inWoo] = wooOrders(order);
			expect(shopifyOrders(order)).toHaveLength(1);
			expect(wooOrders(order)).toHaveLength(1);
			expect(inShopify.lineItems.map((l) => l.sku)).toEqual(['SKU-12-1']);
			expect(inShopify.note).toContain(`2 × Mug [${p1.sku}]`);
			expect(inWoo.line_items.map((l) => [l.sku, l.quantity])).toEqual([[p1.sku, 2]]);
			expect(inWoo.fee_lines).toEqual([]);
		});

		it('refuses to oversell a deny-policy variant unless told to, asks for the fulfillment receipt, and cancels a fully refunded order', async () => {
			const variant = shopify.store.variants.find((v) => v.sku === 'SKU-13-1')!;
			const levels = shopify.store.inventoryLevels.filter((l) => l.inventoryItemId === variant.inventoryItemId);
			for (const l of levels) {
				l.available = 1;
				l.onHand = 1 + l.committed;
			}
			const order = channelOrder([{ sku: 'SKU-13-1', quantity: 3, unitPrice: 1000 }]);
			const refused = ok(await push(n8n, 'oversell refused', [order], 'shopify'));
			expect(items(refused, ATTENTION).map((j) => [j.attentionCode, j.reason])).toEqual([['failed', expect.stringMatching(/Unable to claim inventory: 3 of SKU-13-1 requested, 1 available/)]]);
			expect(shopifyOrders(order)).toHaveLength(0);
			const allowed = ok(await push(n8n, 'oversell allowed', [order], 'shopify', { inventory: 'decrementIgnoringPolicy', options: { sendFulfillmentReceipt: true } }));
			expect(items(allowed, PUSHED).map((j) => j.action)).toEqual(['created']);
			const [created] = shopifyOrders(order);
			expect(levels.reduce((s, l) => s + l.available, 0)).toBe(levels.length - 3);
			expect((created as unknown as Json).fulfillmentReceiptRequested).toBe(true);
			const refundedAll = { ...order, financialStatus: 'refunded' as const };
			const cancel = ok(await push(n8n, 'fully refunded', [refundedAll], 'shopify'));
			expect(items(cancel, PUSHED).map((j) => j.action)).toEqual(['cancelled']);
			expect(levels.reduce((s, l) => s + l.available, 0)).toBe(levels.length);
		});
	});

	describe('partial refunds', () => {
		it('restock the refunded units in each main store once, the order staying open', async () => {
			const p1 = wooSimple()[9];
			const order = channelOrder([{ sku: 'SKU-14-1', quantity: 3, unitPrice: 1000 }]);
			const wooOrder = channelOrder([{ sku: p1.sku, quantity: 3, unitPrice: 1000 }]);
			const before = { shopify: available('SKU-14-1'), woo: wooStock(p1.sku) };
			ok(await push(n8n, 'refund setup shopify', [order], 'shopify'));
			ok(await push(n8n, 'refund setup woo', [wooOrder], 'woocommerce'));
			for (const run of [1, 2]) {
				const a = ok(await push(n8n, `refund shopify ${run}`, [refunded(order, 0, 1)], 'shopify'));
				const b = ok(await push(n8n, `refund woo ${run}`, [refunded(wooOrder, 0, 1)], 'woocommerce'));
				expect([run, items(a, PUSHED)[0].action, items(b, PUSHED)[0].action]).toEqual([run, run === 1 ? 'restocked' : 'alreadyThere', run === 1 ? 'restocked' : 'alreadyThere']);
			}
			expect(available('SKU-14-1')).toBe(before.shopify - 2);
			expect(wooStock(p1.sku)).toBe(before.woo - 2);
			expect(shopifyOrders(order).map((o) => [o.cancelledAt, o.displayFinancialStatus])).toEqual([[null, 'PAID']]);
			expect(wooOrders(wooOrder).map((o) => o.status)).toEqual(['processing']);
		});
	});

	describe('Stock Only', () => {
		it('takes the linked stock once per order with no order created, across runs, and gives it back once on cancel', async () => {
			const [p1] = wooSimple().slice(5);
			const order = channelOrder([{ sku: 'SKU-11-1', quantity: 2, unitPrice: 1500 }]);
			const wooOrder = channelOrder([{ sku: p1.sku, quantity: 2, unitPrice: 1500 }]);
			const before = { shopify: available('SKU-11-1'), woo: wooStock(p1.sku), shopifyOrders: shopify.store.orders.length, wooOrders: woo.store.orders.length };
			// One workflow per store, run twice: the node remembers what it took in the workflow's static data.
			const flows = [
				feedItems('stock only shopify', [order], pushNode('shopify', { mode: 'stockOnly' })),
				feedItems('stock only woo', [wooOrder], pushNode('woocommerce', { mode: 'stockOnly' })),
			];
			await n8n.importWorkflows(flows);
			for (const run of [1, 2]) {
				for (const flow of flows) {
					const result = ok(await n8n.execute(flow.id));
					expect([run, items(result, PUSHED).map((j) => [j.action, j.syncStatus])]).toEqual([run, [[run === 1 ? 'created' : 'alreadyThere', 'stockOnly']]]);
				}
			}
			expect(available('SKU-11-1')).toBe(before.shopify - 2);
			expect(wooStock(p1.sku)).toBe(before.woo - 2);
			expect([shopify.store.orders.length, woo.store.orders.length]).toEqual([before.shopifyOrders, before.wooOrders]);

			// The channel cancels: the same workflows, now fed the cancelled orders, give the stock back once.
			const cancelling = await Promise.all(flows.map(async (flow, i) => ({
				...feedItems(flow.name, [cancelled(i === 0 ? order : wooOrder)], pushNode(i === 0 ? 'shopify' : 'woocommerce', { mode: 'stockOnly' })),
				id: flow.id,
				staticData: await n8n.staticData(flow.id),
			})));
			await n8n.importWorkflows(cancelling as never);
			for (const run of [1, 2]) {
				for (const flow of cancelling) {
					const result = ok(await n8n.execute(flow.id));
					expect([run, items(result, PUSHED).map((j) => j.action)]).toEqual([run, [run === 1 ? 'cancelled' : 'alreadyCancelled']]);
				}
			}
			expect(available('SKU-11-1')).toBe(before.shopify);
			expect(wooStock(p1.sku)).toBe(before.woo);
		});
	});

	describe('into WooCommerce', () => {
		it('creates the order once in one batch, stock reduced once, unlinked lines as fees, the store\'s own contact email', async () => {
			const [p1, p2] = wooSimple();
			const order = channelOrder([
				{ sku: p1.sku, quantity: 2, unitPrice: 1250 },
				{ sku: p2.sku, quantity: 1, unitPrice: 999, discount: 99 },
				{ sku: 'NOPE-2', quantity: 1, unitPrice: 300, title: 'Gift wrap' },
			]);
			const unpaid = channelOrder([{ sku: p1.sku, quantity: 1, unitPrice: 100 }], { financialStatus: 'pending', paidAt: null });
			const before = [wooStock(p1.sku), wooStock(p2.sku)];
			const result = ok(await push(n8n, 'push woo', [order, unpaid, order], 'woocommerce', { unlinked: 'customLines', contactEmail: 'store' }));
			expect(items(result, PUSHED).map((j) => j.action)).toEqual(['created', 'alreadyThere']);
			expect(items(result, ATTENTION).map((j) => j.attentionCode)).toEqual(['unpaid']);
			const [created] = wooOrders(order);
			expect(wooOrders(order)).toHaveLength(1);
			expect(created.status).toBe('processing');
			expect(created.line_items.map((l) => [l.sku, l.quantity, l.subtotal, l.total])).toEqual([[p1.sku, 2, '25.00', '25.00'], [p2.sku, 1, '9.99', '9.00']]);
			expect(created.fee_lines.map((f) => [f.name, f.total])).toEqual([['Gift wrap [NOPE-2] × 1', '3.00']]);
			expect(created.billing.email).toBe('shop@woo-sim.example');
			expect(created.meta_data.find((m) => m.key === 'commerce_sync_channel_order')?.value).toBe(order.channelOrderNumber);
			expect([wooStock(p1.sku), wooStock(p2.sku)]).toEqual([before[0] - 2, before[1] - 1]);
			expect(items(result, PUSHED)[0].notes.join(' ')).toMatch(/unlinked lines are added as fees/);
		});

		it('creates a draft that takes no stock, found again on the next run', async () => {
			const p5 = wooSimple().at(-1)!;
			const order = channelOrder([{ sku: p5.sku, quantity: 2, unitPrice: 1200 }]);
			const before = wooStock(p5.sku);
			for (const run of [1, 2]) {
				const result = ok(await push(n8n, `push woo draft ${run}`, [order], 'woocommerce', { mode: 'draft' }));
				expect([run, items(result, PUSHED).map((j) => [j.action, j.mainStore.kind])]).toEqual([run, [[run === 1 ? 'created' : 'alreadyThere', 'draft']]]);
			}
			expect(wooOrders(order).map((o) => o.status)).toEqual(['checkout-draft']);
			expect(wooStock(p5.sku)).toBe(before);
		});

		it('cancels and restocks when the channel cancels, and a dry run writes nothing', async () => {
			const p3 = wooSimple()[2];
			const order = channelOrder([{ sku: p3.sku, quantity: 2, unitPrice: 800 }]);
			const count = woo.store.orders.length;
			const dry = ok(await push(n8n, 'push woo dry', [order], 'woocommerce', { dryRun: true }));
			expect(items(dry, PUSHED)[0].request['POST /orders/batch'].create[0]).toMatchObject({ set_paid: true, status: 'processing' });
			expect(woo.store.orders.length).toBe(count);
			const before = wooStock(p3.sku);
			ok(await push(n8n, 'push woo real', [order], 'woocommerce'));
			expect(wooStock(p3.sku)).toBe(before - 2);
			const result = ok(await push(n8n, 'push woo cancel', [cancelled(order)], 'woocommerce'));
			expect(items(result, PUSHED).map((j) => j.action)).toEqual(['cancelled']);
			expect(wooOrders(order).map((o) => o.status)).toEqual(['cancelled']);
			expect(wooStock(p3.sku)).toBe(before);
		});
	});
});
