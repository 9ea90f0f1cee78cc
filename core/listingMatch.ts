/**
 * Match Listings, the decisions: which main-store product each channel listing is, by the identifier the
 * shop chooses (SKU, barcode, handle), with a manual link table that wins over automatic matching
 * (LitCommerce lets a shop link an unlinked listing by hand), and ambiguity reported, never guessed: two
 * main-store variants sharing a SKU link nothing. Pure; every listing comes out exactly once.
 */
export type MatchBy = 'sku' | 'barcode' | 'handle';

export interface Identified {
	sku: string | null;
	barcode: string | null;
	handle: string | null;
}

export interface ListingLike extends Identified {
	/** The channel's id of the listing (listing, product or variant id). */
	listingId: string;
}

export type Match<L, R> =
	| { status: 'linked'; listing: L; record: R; via: 'manual' | MatchBy }
	| { status: 'unlinked'; listing: L; reason: string }
	| { status: 'ambiguous'; listing: L; candidates: R[]; reason: string };

export interface MatchOptions {
	by: MatchBy;
	/** Channel SKU or listing id → main-store SKU, given by hand; wins over `by`. */
	links: ReadonlyMap<string, string>;
	/** Compare identifiers ignoring case and surrounding spaces (default), or exactly. */
	exact?: boolean;
}

function normal(value: string | null | undefined, exact: boolean): string | null {
	if (value === null || value === undefined) return null;
	const t = exact ? value : value.trim().toLowerCase();
	return t === '' ? null : t;
}

function index<R extends Identified>(records: readonly R[], field: MatchBy, exact: boolean): Map<string, R[]> {
	const map = new Map<string, R[]>();
	for (const r of records) {
		const key = normal(r[field], exact);
		if (key === null) continue;
		const list = map.get(key);
		if (list) list.push(r);
		else map.set(key, [r]);
	}
	return map;
}

const NAMES: Record<MatchBy, string> = { sku: 'SKU', barcode: 'barcode', handle: 'handle' };

/** Each listing matched to at most one main-store record, in input order. */
export function matchListings<L extends ListingLike, R extends Identified>(listings: readonly L[], records: readonly R[], options: MatchOptions): Array<Match<L, R>> {
	const exact = options.exact === true;
	const byField = index(records, options.by, exact);
	const bySku = options.by === 'sku' ? byField : index(records, 'sku', exact);
	const links = new Map<string, string>();
	for (const [from, to] of options.links) {
		const key = normal(from, exact);
		if (key !== null) links.set(key, to);
	}
	return listings.map((listing): Match<L, R> => {
		const manualKey = [listing.listingId, listing.sku].map((v) => normal(v, exact)).find((k) => k !== null && links.has(k));
		if (manualKey !== undefined && manualKey !== null) {
			const target = links.get(manualKey) as string;
			const found = bySku.get(normal(target, exact) ?? '') ?? [];
			if (found.length === 1) return { status: 'linked', listing, record: found[0], via: 'manual' };
			if (found.length > 1) return { status: 'ambiguous', listing, candidates: found, reason: `is linked by hand to SKU ${target}, which ${found.length} main-store variants share; give each its own SKU` };
			return { status: 'unlinked', listing, reason: `is linked by hand to SKU ${target}, which is not in the main store; correct the link` };
		}
		const value = normal(listing[options.by], exact);
		if (value === null) return { status: 'unlinked', listing, reason: `has no ${NAMES[options.by]} to match by; add one on the channel or link it by hand` };
		const found = byField.get(value) ?? [];
		if (found.length === 1) return { status: 'linked', listing, record: found[0], via: options.by };
		if (found.length > 1) {
			return { status: 'ambiguous', listing, candidates: found, reason: `${NAMES[options.by]} ${listing[options.by]} matches ${found.length} main-store variants; give each its own ${NAMES[options.by]} or link the listing by hand` };
		}
		return { status: 'unlinked', listing, reason: `${NAMES[options.by]} ${listing[options.by]} is not in the main store; add it there or link the listing by hand` };
	});
}
