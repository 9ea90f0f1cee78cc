/**
 * Two-way inventory decisions: a change on either side (or both) in a cycle survives, the stores settle
 * after one cycle and never ping-pong, the rules are applied again to the main store's new quantity, and
 * items without what two-way needs get a clear error or go one way.
 */
import fc from 'fast-check';
import { InputError } from '../../core/errors';
import { applyInventoryRules, DEFAULT_FIELDS } from '../../core/inventoryRules';
import { channelQuantityFor, decideTwoWay, readTwoWayFields } from '../../core/twoWay';
import type { AppliedRules, StockSnapshot } from '../../core/twoWay';

/** One cycle, as platforms/twoWaySync.ts runs it, with writes that always land. */
function cycle(main: number, channel: number, snapshot: StockSnapshot | undefined, rules: AppliedRules | null) {
	const d = decideTwoWay(main, channel, snapshot);
	const target = channelQuantityFor(d.mainAfter, rules);
	return { main: d.mainAfter, channel: target, snapshot: { m: d.mainAfter, c: target }, wrote: { main: d.mainDelta !== 0, channel: target !== channel } };
}

describe('two-way decisions', () => {
	it('keeps a sale on each side of the same SKU in one cycle', () => {
		const d = decideTwoWay(18, 17, { m: 20, c: 20 });
		expect(d).toMatchObject({ mainDelta: -3, mainAfter: 15, first: false });
		expect(d.note).toMatch(/channel changed -3 .* main store -2/);
	});

	it('sets the channel from the main store on the first cycle and books nothing', () => {
		expect(decideTwoWay(10, 3, undefined)).toMatchObject({ mainDelta: 0, mainAfter: 10, first: true });
	});

	it('never loses a unit sold on either side and settles after one cycle, whatever the sales (100 % rules)', () => {
		fc.assert(fc.property(fc.nat(500), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), (start, mainChange, channelChange) => {
			const settled = cycle(start, 0, undefined, null);
			const after = cycle(start + mainChange, settled.channel + channelChange, settled.snapshot, null);
			// Every change on either side is in the main store's figure.
			expect(after.main).toBe(start + mainChange + channelChange);
			expect(after.channel).toBe(Math.max(0, after.main));
			// The cycle after writes nothing on either side.
			const again = cycle(after.main, after.channel, after.snapshot, null);
			expect(again.wrote).toEqual({ main: false, channel: false });
		}));
	});

	it('applies the item\'s rules again to the main store\'s new quantity, and does not ping-pong under them', () => {
		const [record] = applyInventoryRules([{ sku: 'A', quantity: 40, stockManaged: true }], {
			percentage: 50, threshold: 3, keepListingActive: false, negativeQuantities: 'error', overrides: {}, overrideField: '', fields: DEFAULT_FIELDS,
		});
		expect(record.ok).toBe(true);
		const json = (record as { value: Record<string, unknown> }).value;
		expect(json.appliedRules).toEqual({ percentage: 50, threshold: 3, keepListingActive: false, stockManaged: true, active: true });
		const rules = readTwoWayFields(json, '').rules;
		expect(channelQuantityFor(36, rules)).toBe(18);
		expect(channelQuantityFor(3, rules)).toBe(0);
		fc.assert(fc.property(fc.nat(200), fc.integer({ min: -20, max: 20 }), (start, sold) => {
			const first = cycle(start, 0, undefined, rules);
			const second = cycle(start, Math.max(0, first.channel + sold), first.snapshot, rules);
			const third = cycle(second.main, second.channel, second.snapshot, rules);
			expect(third.wrote).toEqual({ main: false, channel: false });
		}));
	});

	it('reads the main store\'s side of an item, and names the field and the fix when it is missing', () => {
		const item = { sku: 'A', quantity: 7, mainStoreQuantity: 7, locations: [{ locationId: 'L1', locationName: 'Shop', quantity: 2 }, { locationId: 'L2', locationName: 'Depot', quantity: 5 }], inventoryItemId: 'I1' };
		expect(readTwoWayFields(item, '')).toMatchObject({ mainQuantity: 7, locationId: 'L1', locationQuantity: 2, oneWay: null, rules: null });
		expect(readTwoWayFields(item, 'depot')).toMatchObject({ locationId: 'L2', locationQuantity: 5 });
		expect(() => readTwoWayFields(item, 'Warehouse')).toThrow(/no location named "Warehouse".*"Shop", "Depot"/);
		let error: unknown;
		try {
			readTwoWayFields({ sku: 'B' }, '');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(InputError);
		expect(error).toMatchObject({ field: 'mainStoreQuantity', fix: expect.stringMatching(/Get Main Store Inventory → Apply Inventory Rules/) });
		expect(readTwoWayFields({ ...item, bundleComponents: [{ sku: 'X', quantity: 1 }] }, '').oneWay).toMatch(/bundle/);
		expect(readTwoWayFields({ ...item, stockManaged: false }, '').oneWay).toMatch(/does not track/);
	});
});
