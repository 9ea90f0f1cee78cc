/**
 * The push decisions, without a store: requirements in the order a shop owner reads them, linking
 * (manual links win, ambiguity is never guessed), the plan's money reconciling to the channel's to the
 * cent, tags within 40 characters, and who wins when two copies exist.
 */
import fc from 'fast-check';
import { clipTag, decide, keyTag, linkLines, planPush, unmetRequirement, winner } from '../../core/push';
import type { MainVariant, PushSettings, PushedRecord } from '../../core/push';
import { channelOrder } from '../support/orders';

const SETTINGS: PushSettings = {
	mode: 'order', require: { paid: true, customer: true, positiveTotal: true, linkedLine: true }, linkBy: 'sku', links: new Map(),
	unlinked: 'wait', keepOrderNumber: false, orderNumberPrefix: '', extraTags: [], contactEmail: { use: 'customer', fixed: '' },
	shipping: { use: 'channel', rules: [] }, cancelOnChannelCancel: true,
};

const variant = (sku: string, id = sku): MainVariant => ({ id: `V-${id}`, productId: 'P', sku, barcode: null, handle: null, title: sku, variantTitle: null, tracked: true });

describe('linking lines to the main store', () => {
	it('lets a manual link win over the SKU, and refuses to guess between two variants', () => {
		const order = channelOrder([{ sku: 'EB-RED', quantity: 1, unitPrice: 100 }, { sku: 'DUP', quantity: 1, unitPrice: 100 }]);
		const found = new Map([['MAIN-RED', [variant('MAIN-RED')]], ['EB-RED', [variant('EB-RED')]], ['DUP', [variant('DUP', '1'), variant('DUP', '2')]]]);
		const links = linkLines(order, found, { links: new Map([['EB-RED', 'MAIN-RED']]) });
		expect(links.map((l) => [l.variant?.id ?? null, l.problem])).toEqual([['V-MAIN-RED', null], [null, 'ambiguous']]);
		const attention = unmetRequirement(order, links, SETTINGS);
		expect(attention?.code).toBe('ambiguous');
		expect(attention?.reason).toMatch(/"Item DUP" \(sku DUP\) matches 2 main-store variants/);
	});
});

describe('requirements', () => {
	it('names the first unmet one, each switchable', () => {
		const order = channelOrder([{ sku: 'A', quantity: 1, unitPrice: 0 }], { financialStatus: 'pending', shippingLines: [] });
		const links = linkLines(order, new Map([['A', [variant('A')]]]), SETTINGS);
		expect(unmetRequirement(order, links, SETTINGS)?.code).toBe('unpaid');
		expect(unmetRequirement(order, links, { ...SETTINGS, require: { ...SETTINGS.require, paid: false } })?.code).toBe('zeroTotal');
		expect(unmetRequirement(order, links, { ...SETTINGS, require: { ...SETTINGS.require, paid: false, positiveTotal: false } })).toBeNull();
	});
});

describe('the plan', () => {
	it('totals exactly what the buyer paid when every line goes, for any lines and discounts', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 20 }), unitPrice: fc.integer({ min: 0, max: 100000 }), discount: fc.integer({ min: 0, max: 1000 }), tax: fc.integer({ min: 0, max: 5000 }) }), { minLength: 1, maxLength: 8 }),
				fc.integer({ min: 0, max: 2000 }),
				(lines, orderDiscount) => {
					const specs = lines.map((l, i) => ({ sku: `S${i}`, ...l, discount: Math.min(l.discount, l.unitPrice * l.quantity) }));
					const order = channelOrder(specs, { orderDiscount: 0 });
					const withDiscount = { ...order, orderDiscount: Math.min(orderDiscount, order.totals.subtotal), totals: { ...order.totals } };
					withDiscount.totals.discount += withDiscount.orderDiscount;
					withDiscount.totals.total -= withDiscount.orderDiscount;
					const found = new Map(specs.map((s) => [s.sku, [variant(s.sku)]]));
					const plan = planPush(withDiscount, linkLines(withDiscount, found, SETTINGS), SETTINGS, null);
					return plan.total === withDiscount.totals.total && plan.discount === withDiscount.totals.discount;
				},
			),
		);
	});

	it('keeps every tag within 40 characters and marks the key in a short tag', () => {
		const order = channelOrder([{ sku: 'A', quantity: 1, unitPrice: 100 }], { channelOrderNumber: '12-34567-89012-very-long-marketplace-number' });
		const plan = planPush(order, linkLines(order, new Map([['A', [variant('A')]]]), SETTINGS), { ...SETTINGS, extraTags: ['x'.repeat(60)] }, null);
		expect(plan.tags.every((t) => t.length <= 40)).toBe(true);
		expect(plan.tags).toContain(keyTag(plan.key));
		expect(clipTag('a, b')).toBe('a  b');
	});

	it('sends the shipping rate rule for the subtotal, free when none applies', () => {
		const order = channelOrder([{ sku: 'A', quantity: 2, unitPrice: 1000 }]);
		const links = linkLines(order, new Map([['A', [variant('A')]]]), SETTINGS);
		const rules = { use: 'rules' as const, rules: [{ fromSubtotal: 0, price: 495, title: 'Standard' }, { fromSubtotal: 5000, price: 0, title: 'Free' }] };
		expect(planPush(order, links, { ...SETTINGS, shipping: rules }, null).shipping.map((s) => [s.title, s.price])).toEqual([['Standard', 495]]);
		expect(planPush(order, links, { ...SETTINGS, shipping: { use: 'rules', rules: [{ fromSubtotal: 5000, price: 100, title: 'Big' }] } }, null).shipping.map((s) => s.title)).toEqual(['Free shipping']);
	});
});

describe('two copies of one order', () => {
	const rec = (id: string, createdAt: string, cancelled = false): PushedRecord => ({ id, number: `#${id}`, createdAt, cancelled, kind: 'order' });

	it('keeps the oldest live copy; ids break a tie in the same second', () => {
		expect(winner([rec('gid://shopify/Order/12', '2026-01-01T00:00:01Z'), rec('gid://shopify/Order/9', '2026-01-01T00:00:01Z')])?.id).toBe('gid://shopify/Order/9');
		expect(winner([rec('1', '2026-01-01T00:00:00Z', true), rec('2', '2026-01-01T00:00:05Z')])?.id).toBe('2');
	});

	it('cancels a pushed order once the channel cancels it, and says when it never got there', () => {
		const order = channelOrder([{ sku: 'A', quantity: 1, unitPrice: 100 }]);
		const gone = { ...order, status: 'cancelled' as const };
		expect(decide(gone, [rec('1', '2026-01-01T00:00:00Z')], [], SETTINGS).action).toBe('cancel');
		expect(decide(gone, [rec('1', '2026-01-01T00:00:00Z', true)], [], SETTINGS).action).toBe('alreadyCancelled');
		const never = decide(gone, [], [], SETTINGS);
		expect(never.action === 'attention' && never.attention.code).toBe('cancelledBeforePush');
	});

	it('with Only Orders Already in the Main Store, creates nothing but still cancels and restocks what was pushed', () => {
		const order = channelOrder([{ sku: 'A', quantity: 2, unitPrice: 100 }]);
		const only = { ...SETTINGS, onlyPushed: true };
		const fresh = decide(order, [], [], only);
		expect(fresh.action === 'attention' && fresh.attention.code).toBe('notPushed');
		const refunded = { ...order, lines: order.lines.map((l) => ({ ...l, refundedQuantity: 1 })) };
		expect(decide(refunded, [], [], only).action).toBe('attention');
		expect(decide(refunded, [rec('1', '2026-01-01T00:00:00Z')], [], only).action).toBe('restock');
		expect(decide({ ...order, status: 'cancelled' }, [rec('1', '2026-01-01T00:00:00Z')], [], only).action).toBe('cancel');
	});
});
