/**
 * Matching channel listings to main-store products: by the identifier the shop chooses, manual links
 * winning, ambiguity reported instead of guessed, and every listing coming out exactly once.
 */
import fc from 'fast-check';
import { matchListings } from '../../core/listingMatch';

const record = (sku: string | null, extra: { barcode?: string; handle?: string; id?: string } = {}) => ({
	id: extra.id ?? sku ?? 'none', sku, barcode: extra.barcode ?? null, handle: extra.handle ?? null,
});
const listing = (listingId: string, sku: string | null, extra: { barcode?: string; handle?: string } = {}) => ({
	listingId, sku, barcode: extra.barcode ?? null, handle: extra.handle ?? null,
});

describe('matching listings', () => {
	const records = [record('TEE-BLU-M', { barcode: '400100', handle: 'tee' }), record('MUG-1', { barcode: '400200' }), record('DUP', { id: 'a' }), record('DUP', { id: 'b' })];

	it('links by SKU ignoring case and spaces, flags shared SKUs, and names what is missing', () => {
		const out = matchListings([listing('L1', ' tee-blu-m '), listing('L2', 'DUP'), listing('L3', 'GONE'), listing('L4', null)], records, { by: 'sku', links: new Map() });
		expect(out.map((m) => [m.listing.listingId, m.status])).toEqual([['L1', 'linked'], ['L2', 'ambiguous'], ['L3', 'unlinked'], ['L4', 'unlinked']]);
		expect(out[1].status === 'ambiguous' && out[1].candidates.map((c) => c.id)).toEqual(['a', 'b']);
		expect(out.slice(1).map((m) => (m.status === 'linked' ? '' : m.reason))).toEqual([
			'SKU DUP matches 2 main-store variants; give each its own SKU or link the listing by hand',
			'SKU GONE is not in the main store; add it there or link the listing by hand',
			'has no SKU to match by; add one on the channel or link it by hand',
		]);
	});

	it('links by barcode or handle when asked, and exactly when asked', () => {
		expect(matchListings([listing('L1', 'x', { barcode: '400200' })], records, { by: 'barcode', links: new Map() })[0]).toMatchObject({ status: 'linked', via: 'barcode', record: { sku: 'MUG-1' } });
		expect(matchListings([listing('L1', 'x', { handle: 'TEE' })], records, { by: 'handle', links: new Map() })[0].status).toBe('linked');
		expect(matchListings([listing('L1', 'tee-blu-m')], records, { by: 'sku', links: new Map(), exact: true })[0].status).toBe('unlinked');
	});

	it('lets a manual link by listing id or channel SKU win over matching, and says when the link is wrong', () => {
		const links = new Map([['L9', 'MUG-1'], ['EBAY-TEE', 'TEE-BLU-M'], ['L7', 'NOT-THERE']]);
		const out = matchListings([listing('L9', 'TEE-BLU-M'), listing('L8', 'ebay-tee'), listing('L7', 'MUG-1')], records, { by: 'sku', links });
		expect(out.map((m) => (m.status === 'linked' ? [m.via, m.record.sku] : [m.status, m.reason]))).toEqual([
			['manual', 'MUG-1'], ['manual', 'TEE-BLU-M'], ['unlinked', 'is linked by hand to SKU NOT-THERE, which is not in the main store; correct the link'],
		]);
	});

	it('puts out every listing exactly once, in order, and links only to a record carrying the identifier', () => {
		const sku = fc.constantFrom('A', 'B', 'C', 'a', ' b', null);
		fc.assert(fc.property(fc.array(sku, { maxLength: 20 }), fc.array(sku, { maxLength: 20 }), (listingSkus, recordSkus) => {
			const rs = recordSkus.map((s, i) => record(s, { id: String(i) }));
			const out = matchListings(listingSkus.map((s, i) => listing(`L${i}`, s)), rs, { by: 'sku', links: new Map() });
			return out.length === listingSkus.length
				&& out.every((m, i) => m.listing.listingId === `L${i}`)
				&& out.every((m) => m.status !== 'linked' || (m.record.sku ?? '').trim().toLowerCase() === (m.listing.sku ?? '').trim().toLowerCase());
		}));
	});
});
