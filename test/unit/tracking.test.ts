/**
 * Sync Tracking's decisions without a store: carrier names written the way the other platform knows
 * them, and the "what is missing" plan that makes a re-run write nothing, sends each package to the
 * lines it holds, adds a later package instead of replacing, and marks an order completed only once
 * everything shipped, after its tracking.
 */
import fc from 'fast-check';
import { SHOPIFY_CARRIERS, mapCarrier } from '../../core/carriers';
import { assignLines, normaliseTrackingNumber, parsePushKey, planTracking, readTrackingItem } from '../../core/tracking';
import type { Parcel, ShippingState, TargetAbility, TrackingAction, TrackingPlan } from '../../core/tracking';
import { InputError } from '../../core/errors';
import { channelOrder } from '../support/orders';

/** The providers the WooCommerce simulator's Shipment Tracking lists (a real site lists about as many). */
const WOO_PROVIDERS = ['Australia Post', 'Fastway Couriers', 'Correios', 'Canada Post', 'Colissimo', 'DHL Intraship (DE)', 'Deutsche Post DHL', 'DPD.de', 'Hermes', 'PostNL', 'DHL', 'DPD.co.uk', 'ParcelForce', 'Royal Mail', 'Fedex', 'OnTrac', 'UPS', 'USPS', 'DHL US'];
const SHOPIFY: TargetAbility = { platform: 'shopify', linesPerParcel: true, carrierNames: SHOPIFY_CARRIERS };
const WOO: TargetAbility = { platform: 'woocommerce', linesPerParcel: false, carrierNames: WOO_PROVIDERS };
const SETTINGS = { carrierOverrides: [], markCompleted: true };

function order(partial: Partial<ShippingState> & Pick<ShippingState, 'lines'>): ShippingState {
	return { orderId: 'O1', number: '#1', status: 'open', fullyShipped: false, parcels: [], notes: [], path: 'fulfillments', ...partial };
}

const line = (lineId: string, sku: string, quantity: number, open = quantity) => ({ lineId, sku, title: `Item ${sku}`, quantity, open, linkedLineId: null });
const parcel = (numbers: string[], lines: Parcel['lines'], carrier: string | null = 'UPS', shippedAt = '2026-11-01T10:00:00Z'): Parcel => ({
	ref: `F-${numbers.join('-') || shippedAt}`, carrier, numbers, urls: numbers.map((n) => `https://track.example/${n}`), shippedAt, lines,
});

describe('carrier names between Shopify and WooCommerce', () => {
	it('writes Shopify\'s exact company name for a WooCommerce provider, and the site\'s provider name for a Shopify company', () => {
		expect(mapCarrier('Fedex', 'shopify', SHOPIFY_CARRIERS)).toMatchObject({ name: 'FedEx', known: true });
		expect(mapCarrier('DPD.co.uk', 'shopify', SHOPIFY_CARRIERS)).toMatchObject({ name: 'DPD UK', known: true });
		expect(mapCarrier('ups', 'shopify', SHOPIFY_CARRIERS)).toMatchObject({ name: 'UPS', known: true });
		expect(mapCarrier('FedEx', 'woocommerce', WOO_PROVIDERS)).toMatchObject({ name: 'Fedex', known: true });
		expect(mapCarrier('DHL Express', 'woocommerce', WOO_PROVIDERS)).toMatchObject({ name: 'DHL', known: true });
	});

	it('keeps an unknown carrier under its own name, unknown, so its tracking URL goes with it', () => {
		expect(mapCarrier('Speedy Parcels Ltd', 'shopify', SHOPIFY_CARRIERS)).toEqual({ name: 'Speedy Parcels Ltd', known: false, source: 'Speedy Parcels Ltd', via: 'none' });
		// A Shopify carrier the WooCommerce site does not list goes as a custom provider.
		expect(mapCarrier('Purolator', 'woocommerce', WOO_PROVIDERS)).toMatchObject({ name: 'Purolator', known: false });
		expect(mapCarrier(null, 'woocommerce', WOO_PROVIDERS)).toMatchObject({ name: null, known: false });
	});

	it('lets the user\'s table win over the built-in map', () => {
		const overrides = [{ from: 'Royal Mail Tracked 48', to: 'Royal Mail' }, { from: 'UPS', to: 'UPS Ground Freight' }];
		expect(mapCarrier('royal mail tracked 48', 'woocommerce', WOO_PROVIDERS, overrides)).toMatchObject({ name: 'Royal Mail', known: true, via: 'override' });
		expect(mapCarrier('UPS', 'shopify', SHOPIFY_CARRIERS, overrides)).toMatchObject({ name: 'UPS Ground Freight', known: false, via: 'override' });
	});

	it('translates a carrier once: going back and forth again keeps the same names', () => {
		const shopifyKnown = SHOPIFY_CARRIERS.filter((name) => mapCarrier(name, 'woocommerce', WOO_PROVIDERS).known);
		const wooKnown = WOO_PROVIDERS.filter((name) => mapCarrier(name, 'shopify', SHOPIFY_CARRIERS).known);
		expect([shopifyKnown.length, wooKnown.length]).toEqual([expect.any(Number), WOO_PROVIDERS.length - 1]);
		fc.assert(fc.property(fc.constantFrom(...shopifyKnown), fc.constantFrom(...wooKnown), (shopifyName, wooName) => {
			const woo = mapCarrier(shopifyName, 'woocommerce', WOO_PROVIDERS).name;
			expect(mapCarrier(mapCarrier(woo, 'shopify', SHOPIFY_CARRIERS).name, 'woocommerce', WOO_PROVIDERS).name).toBe(woo);
			const shop = mapCarrier(wooName, 'shopify', SHOPIFY_CARRIERS).name;
			expect(mapCarrier(mapCarrier(shop, 'woocommerce', WOO_PROVIDERS).name, 'shopify', SHOPIFY_CARRIERS).name).toBe(shop);
		}));
		// The ones the map names both ways come back exactly.
		for (const name of ['UPS', 'USPS', 'FedEx', 'DHL Express', 'DHL', 'DPD UK', 'Royal Mail', 'Canada Post', 'PostNL']) {
			expect(mapCarrier(mapCarrier(name, 'woocommerce', WOO_PROVIDERS).name, 'shopify', SHOPIFY_CARRIERS).name).toBe(name);
		}
	});
});

describe('what is missing on the target', () => {
	const shopifySource = (parcels: Parcel[], fullyShipped = false) => order({ lines: [line('S1', 'TEE', 2, 0), line('S2', 'MUG', 1, 0)], parcels, fullyShipped, status: fullyShipped ? 'completed' : 'open' });
	const wooTarget = (partial: Partial<ShippingState> = {}) => order({ orderId: '77', number: '#77', lines: [line('71', 'TEE', 2), line('72', 'MUG', 1)], path: 'shipmentTracking', ...partial });

	it('writes each package once, one tracking item per number, and marks the order completed after the last one', () => {
		const first = parcel(['1Z001'], [{ lineId: 'S1', sku: 'TEE', title: 'Tee', quantity: 2 }]);
		const partial = planTracking(shopifySource([first]), wooTarget(), WOO, SETTINGS);
		expect(partial.actions.map((a) => [a.kind, a.kind === 'ship' ? a.numbers : []])).toEqual([['ship', ['1Z001']]]);

		const second = parcel(['1Z002', '1Z003'], [{ lineId: 'S2', sku: 'MUG', title: 'Mug', quantity: 1 }], 'FedEx', '2026-11-02T10:00:00Z');
		const target = wooTarget({ parcels: [{ ...parcel([' 1z-001 '], null), ref: 'T1' }] });
		const full = planTracking(shopifySource([first, second], true), target, WOO, SETTINGS);
		expect(full.alreadyThere).toEqual([{ numbers: ['1Z001'], carrier: 'UPS' }]);
		expect(full.actions.map((a) => a.kind)).toEqual(['ship', 'complete']);
		expect(full.actions[0]).toMatchObject({ numbers: ['1Z002', '1Z003'], carrier: { name: 'Fedex', known: true } });
	});

	it('counts numbers already in the order notes as written (WooCommerce without Shipment Tracking)', () => {
		const source = shopifySource([parcel(['9400 1000 0000 0000 0001'], null, 'USPS')], true);
		const target = wooTarget({ path: 'orderNotes', notes: ['Shipped with USPS. Tracking number: 94001000000000000001 (https://…)'] });
		const plan = planTracking(source, target, { ...WOO, carrierNames: [] }, SETTINGS);
		expect(plan.actions.map((a) => a.kind)).toEqual(['complete']);
	});

	it('does not mark completed when switched off, nor write anything to a cancelled order', () => {
		const source = shopifySource([parcel(['1Z9'], null)], true);
		expect(planTracking(source, wooTarget(), WOO, { ...SETTINGS, markCompleted: false }).actions.map((a) => a.kind)).toEqual(['ship']);
		const cancelled = planTracking(source, wooTarget({ status: 'cancelled' }), WOO, SETTINGS);
		expect(cancelled.actions).toEqual([]);
		expect(cancelled.skipped).toEqual([{ numbers: ['1Z9'], reason: 'order #77 is cancelled' }]);
	});

	const shopifyTarget = (partial: Partial<ShippingState> = {}) => order({ orderId: 'gid://shopify/Order/5', number: '#1005', lines: [line('L1', 'TEE', 2), line('L2', 'MUG', 1)], ...partial });
	const wooSource = (parcels: Parcel[], fullyShipped = false) => order({ orderId: '88', number: '#88', lines: [line('81', 'TEE', 2), line('82', 'MUG', 1)], parcels, fullyShipped, path: 'shipmentTracking' });

	it('ships every open line with the first WooCommerce tracking number, and adds a later number to that package', () => {
		const first = planTracking(wooSource([parcel(['AB1'], null, 'Royal Mail')]), shopifyTarget(), SHOPIFY, SETTINGS);
		expect(first.actions).toEqual([expect.objectContaining({ kind: 'ship', numbers: ['AB1'], lines: [{ lineId: 'L1', quantity: 2 }, { lineId: 'L2', quantity: 1 }], carrier: expect.objectContaining({ name: 'Royal Mail', known: true }) })]);

		const shipped = shopifyTarget({ lines: [line('L1', 'TEE', 2, 0), line('L2', 'MUG', 1, 0)], parcels: [{ ...parcel(['AB1'], []), ref: 'gid://shopify/Fulfillment/9', carrier: 'Royal Mail' }] });
		const later = planTracking(wooSource([parcel(['AB1'], null, 'Royal Mail'), parcel(['AB2'], null, 'Royal Mail', '2026-11-03T00:00:00Z')]), shipped, SHOPIFY, SETTINGS);
		expect(later.actions).toEqual([expect.objectContaining({ kind: 'addNumbers', parcelRef: 'gid://shopify/Fulfillment/9', numbers: ['AB1', 'AB2'], added: ['AB2'] })]);
		expect(later.alreadyThere).toEqual([{ numbers: ['AB1'], carrier: 'Royal Mail' }]);

		const otherCarrier = planTracking(wooSource([parcel(['AB1'], null, 'Royal Mail'), parcel(['ZZ9'], null, 'DHL', '2026-11-03T00:00:00Z')]), shipped, SHOPIFY, SETTINGS);
		expect(otherCarrier.actions).toEqual([]);
		expect(otherCarrier.skipped[0].reason).toMatch(/no line left to ship and its package has another carrier \(Royal Mail\)/);
	});

	it('sends a package to the lines it holds, matched by SKU, and a multi-tracking package as one fulfillment', () => {
		const source = order({ lines: [line('S1', 'TEE', 2, 0), line('S2', 'MUG', 1, 1)], parcels: [parcel(['P1', 'P2'], [{ lineId: 'S1', sku: 'tee', title: 'Tee', quantity: 2 }])] });
		const plan = planTracking(source, shopifyTarget(), SHOPIFY, SETTINGS);
		expect(plan.actions).toEqual([expect.objectContaining({ kind: 'ship', numbers: ['P1', 'P2'], urls: ['https://track.example/P1', 'https://track.example/P2'], lines: [{ lineId: 'L1', quantity: 2 }] })]);
	});

	it('names the package it cannot place instead of guessing its lines', () => {
		const source = order({ lines: [line('S9', 'HAT', 1, 0)], parcels: [parcel(['Q1'], [{ lineId: 'S9', sku: 'HAT', title: 'Hat', quantity: 1 }])] });
		const plan = planTracking(source, shopifyTarget(), SHOPIFY, SETTINGS);
		expect(plan.actions).toEqual([]);
		expect(plan.skipped[0].reason).toMatch(/none of its lines \(HAT\) match a line of order #1005/);
	});

	it('matches lines by the channel line id the push recorded, before SKU', () => {
		const target = [{ ...line('gid://shopify/LineItem/11', 'SAME', 1), linkedLineId: null }, { ...line('gid://shopify/LineItem/12', 'SAME', 1), linkedLineId: null }];
		const open = new Map(target.map((t) => [t.lineId, t.open]));
		expect(assignLines([{ lineId: '900', linkedLineId: '12', sku: 'SAME', title: null, quantity: 1 }], target, open)).toEqual([{ lineId: 'gid://shopify/LineItem/12', quantity: 1 }]);
	});

	it('reads push keys back, store ids with ports included', () => {
		expect(parsePushKey('woocommerce:127.0.0.1:8080/shop:42')).toEqual({ channel: 'woocommerce', storeId: '127.0.0.1:8080/shop', orderId: '42' });
		expect(parsePushKey('not a key')).toBeNull();
		expect(normaliseTrackingNumber(' 1z 999-aa1 ')).toBe('1Z999AA1');
	});
});

describe('items Sync Tracking reads', () => {
	const channel = { channel: 'ebay', storeId: 'ebay-seller-1', label: 'eBay' };

	it('takes a channel order or a Pushed item, and refuses another store\'s order with the fix', () => {
		const o = channelOrder([{ sku: 'A', quantity: 1, unitPrice: 100 }]);
		expect(readTrackingItem(o as unknown as Record<string, unknown>, channel)).toMatchObject({ key: `ebay:ebay-seller-1:${o.channelOrderId}`, mainOrderId: null, order: expect.objectContaining({ kind: 'order' }) });
		const pushed = { channel: 'ebay', channelStoreId: 'ebay-seller-1', channelOrderId: '7', syncKey: 'ebay:ebay-seller-1:7', mainStore: { orderId: 'gid://shopify/Order/3', orderNumber: '#1003', kind: 'order', cancelled: false } };
		expect(readTrackingItem(pushed, channel)).toMatchObject({ mainOrderId: 'gid://shopify/Order/3', order: null });
		expect(readTrackingItem({ ...pushed, mainStore: { orderId: 'D1', kind: 'draft' } }, channel).mainOrderId).toBeNull();
		expect(() => readTrackingItem({ ...pushed, channelStoreId: 'other-seller' }, channel)).toThrow(InputError);
		expect(() => readTrackingItem({ sku: 'X' }, channel)).toThrow(/channelOrderId: is missing/);
	});
});

// ---- properties -----------------------------------------------------------------------------------

/** What a target holds after the plan's writes (how Shopify and the Shipment Tracking extension keep them). */
function applied(target: ShippingState, plan: TrackingPlan, linesPerParcel: boolean): ShippingState {
	const next: ShippingState = { ...target, lines: target.lines.map((l) => ({ ...l })), parcels: target.parcels.map((p) => ({ ...p, numbers: [...p.numbers] })) };
	plan.actions.forEach((a: TrackingAction, i) => {
		if (a.kind === 'complete') next.status = 'completed';
		else if (a.kind === 'addNumbers') {
			const p = next.parcels.find((x) => x.ref === a.parcelRef) as Parcel;
			p.numbers = [...a.numbers];
		} else {
			for (const l of a.lines ?? []) (next.lines.find((x) => x.lineId === l.lineId) as ShippingState['lines'][number]).open -= l.quantity;
			const numbers = linesPerParcel ? [a.numbers] : a.numbers.map((n) => [n]);
			for (const ns of numbers.length ? numbers : [[]]) {
				next.parcels.push({ ref: `new-${i}-${ns.join()}`, carrier: a.carrier.name, numbers: ns, urls: [], shippedAt: a.shippedAt, lines: a.lines?.map((l) => ({ lineId: l.lineId, sku: null, title: null, quantity: l.quantity })) ?? null });
			}
		}
	});
	return next;
}

const SKUS = ['A', 'B', 'C', 'D'];

/** A source order and its packages (with or without lines), and a target that may hold some of them already. */
const scenario = fc
	.record({
		quantities: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
		packages: fc.array(fc.record({ share: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }), numbers: fc.integer({ min: 0, max: 2 }), carrier: fc.constantFrom('UPS', 'Fedex', 'Speedy', null) }), { maxLength: 4 }),
		withLines: fc.boolean(),
		alreadyThere: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
		spelling: fc.constantFrom('same', 'lower', 'spaced'),
	})
	.map(({ quantities, packages, withLines, alreadyThere, spelling }) => {
		const left = [...quantities];
		let counter = 0;
		const parcels: Parcel[] = packages.map((pk, i) => {
			const lines = quantities.map((_, li) => {
				const units = Math.min(left[li], pk.share[li]);
				left[li] -= units;
				return { lineId: `S${li}`, sku: SKUS[li], title: null, quantity: units };
			}).filter((l) => l.quantity > 0);
			const numbers = Array.from({ length: pk.numbers }, () => `1Z${String(++counter).padStart(6, '0')}`);
			return { ref: `F${i}`, carrier: pk.carrier, numbers, urls: numbers.map(() => ''), shippedAt: `2026-11-0${i + 1}T00:00:00Z`, lines: withLines ? lines : null };
		// A store that names lines never ships a package of none.
		}).filter((p) => (p.lines === null ? p.numbers.length > 0 : p.lines.length > 0));
		const fullyShipped = left.every((u) => u === 0) && parcels.length > 0;
		const source: ShippingState = order({ lines: quantities.map((q, li) => line(`S${li}`, SKUS[li], q, left[li])), parcels, fullyShipped, status: fullyShipped ? 'completed' : 'open' });
		const respell = (n: string) => (spelling === 'lower' ? n.toLowerCase() : spelling === 'spaced' ? `${n.slice(0, 3)} ${n.slice(3)}` : n);
		const present = parcels.flatMap((p) => p.numbers).filter((_, i) => alreadyThere[i % 8]).map(respell);
		return { source, quantities, present };
	});

describe('planning, as properties', () => {
	it('a second plan after the first plan\'s writes writes nothing (WooCommerce target)', () => {
		fc.assert(fc.property(scenario, ({ source, quantities, present }) => {
			const target = order({ orderId: 'T', number: '#T', lines: quantities.map((q, li) => line(`T${li}`, SKUS[li], q)), parcels: present.map((n, i) => ({ ref: `t${i}`, carrier: null, numbers: [n], urls: [''], shippedAt: null, lines: null })) });
			const first = planTracking(source, target, WOO, SETTINGS);
			const written = first.actions.flatMap((a) => (a.kind === 'ship' ? a.numbers : []));
			// Never a number the target already has, never one twice.
			expect(written.filter((n) => present.some((p) => normaliseTrackingNumber(p) === n))).toEqual([]);
			expect(new Set(written).size).toBe(written.length);
			const second = planTracking(source, applied(target, first, false), WOO, SETTINGS);
			expect(second.actions).toEqual([]);
		}), { numRuns: 300 });
	});

	it('a second plan writes nothing, and no line ships more than it has open (Shopify target)', () => {
		fc.assert(fc.property(scenario, ({ source, quantities }) => {
			const target = order({ orderId: 'T', number: '#T', lines: quantities.map((q, li) => line(`T${li}`, SKUS[li], q)) });
			const first = planTracking(source, target, SHOPIFY, SETTINGS);
			const shipped = new Map<string, number>();
			for (const a of first.actions) if (a.kind === 'ship') for (const l of a.lines ?? []) shipped.set(l.lineId, (shipped.get(l.lineId) ?? 0) + l.quantity);
			for (const t of target.lines) expect(shipped.get(t.lineId) ?? 0).toBeLessThanOrEqual(t.open);
			// Every number is written, already there, or named with a reason.
			const accounted = [
				...first.actions.flatMap((a) => (a.kind === 'ship' ? a.numbers : a.kind === 'addNumbers' ? a.added : [])),
				...first.skipped.flatMap((s) => s.numbers),
			];
			expect(accounted.sort()).toEqual(source.parcels.flatMap((p) => p.numbers).sort());
			const after = applied(target, first, true);
			expect(planTracking(source, after, SHOPIFY, SETTINGS).actions).toEqual([]);
			if (source.fullyShipped) expect(after.lines.every((l) => l.open === 0)).toBe(true);
		}), { numRuns: 300 });
	});
});
