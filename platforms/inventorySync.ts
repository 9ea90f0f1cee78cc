/**
 * Update Channel Inventory, the loop: read the channel's listings (only those carrying the items' SKUs
 * when that is enough), match them to the items (core/listingMatch.ts), write only the quantities that
 * differ, in batches, compare-and-set where the channel can; a listing refused as stale (a sale on the
 * channel between read and write) is re-read and written again with that sale kept; a listing that
 * cannot take a quantity is reported, not sent, so it cannot fail the others.
 */
import { matchListings } from '../core/listingMatch';
import { locationKey } from '../core/locationMap';
import type { MatchBy } from '../core/listingMatch';
import type { ChannelInventory, ChannelListing, ListingState, ListingWrite } from './inventory';

export interface StockItem {
	itemIndex: number;
	sku: string | null;
	barcode: string | null;
	handle: string | null;
	/** The quantity the channel should show (Apply Inventory Rules' channelQuantity). */
	quantity: number;
	/** Per channel location (lower-cased name), when locations are mapped; a location missing here gets 0. */
	quantities?: ReadonlyMap<string, number>;
	state: ListingState | null;
	trace: string;
}

export type StockAction = 'updated' | 'wouldUpdate' | 'unchanged' | 'failed' | 'suspended' | 'notOnChannel' | 'ambiguous';

export interface StockOutcome {
	item: StockItem;
	listing: ChannelListing | null;
	action: StockAction;
	before: number | null;
	after: number | null;
	reason: string | null;
	notes: string[];
	/** The quantity this listing should have (the item's, or its location's). */
	target: number;
	/** Shown or hidden on the channel before and after (null: the status was not touched). */
	statusBefore?: 'shown' | 'hidden';
	statusAfter?: 'shown' | 'hidden';
}

export interface StockSyncOptions {
	by: MatchBy;
	links: ReadonlyMap<string, string>;
	dryRun: boolean;
	/**
	 * Follow the items' listing status (Apply Inventory Rules' listingStatus): a listing whose item is
	 * out of stock (without Keep Listing Active) or inactive is hidden; it is shown again when its item is
	 * active, but only if this sync hid it (`hiddenBySync`, listing or product ids, kept by the node and
	 * updated here), so a listing the shop hid on the channel itself stays hidden. Absent: statuses are left alone.
	 */
	listingStatus?: { hiddenBySync: Set<string> };
	/** Whether a listing has failed too often with this quantity to try again (the node keeps the count). */
	suspended?: (listingId: string, quantity: number) => boolean;
	/**
	 * Two-way sync: called once with every linked listing (as read) and its target, before anything is
	 * written to the channel; answers each listing's target (after the main store took the channel's own
	 * changes), or why it cannot be synced this run.
	 */
	reconcile?: (linked: Array<{ item: StockItem; listing: ChannelListing; target: number }>) => Promise<Array<{ target: number; note?: string | null; failed?: string }>>;
}

/** A sale on the channel between read and write stays sold: the new target keeps it. */
export function keepChannelSales(target: number, read: number | null, current: number | null): number {
	const sold = read !== null && current !== null ? Math.max(0, read - current) : 0;
	return Math.max(0, target - sold);
}

/** A listing at one location: the key the node remembers failures by. */
export function listingKey(listing: ChannelListing): string {
	return listing.location === null ? listing.listingId : `${listing.listingId}@${listing.location}`;
}

function targetOf(item: StockItem, listing: ChannelListing): number {
	if (!item.quantities || listing.location === null) return item.quantity;
	return item.quantities.get(locationKey(listing.location)) ?? 0;
}

function statusKey(channel: ChannelInventory, listing: ChannelListing): string {
	return channel.statusLevel === 'product' && listing.parentId ? listing.parentId : listing.listingId;
}

/** Whether to show (true) or hide (false) the listing, or leave it (undefined); notes what it decided. */
function statusChange(listing: ChannelListing, key: string, want: boolean | undefined, hiddenBySync: Set<string>, outcome: StockOutcome): boolean | undefined {
	if (want === undefined) return undefined;
	outcome.statusBefore = listing.shown ? 'shown' : 'hidden';
	outcome.statusAfter = outcome.statusBefore;
	if (!want && listing.shown) return false;
	if (want && !listing.shown) {
		if (hiddenBySync.has(key)) return true;
		outcome.notes.push('The listing is hidden on the channel and this sync did not hide it, so it stays hidden; publish it on the channel to sell it there.');
	}
	return undefined;
}

export async function updateChannelStock(channel: ChannelInventory, items: StockItem[], options: StockSyncOptions): Promise<StockOutcome[]> {
	// Reading by SKU is enough when listings are matched by SKU and no manual link points elsewhere.
	const bySkuOnly = options.by === 'sku' && options.links.size === 0;
	const listings: ChannelListing[] = [];
	for await (const page of channel.listings({ skus: bySkuOnly ? items.map((i) => i.sku).filter((s): s is string => !!s) : [] })) listings.push(...page);
	const matches = matchListings(listings, items.map((item) => ({ ...item, item })), { by: options.by, links: options.links });

	// Shown or hidden, per listing or (where the channel's status is the product's) per product: a product
	// is shown when any of its listings' items is active.
	const wanted = new Map<string, boolean>();
	if (options.listingStatus) {
		for (const m of matches) {
			if (m.status !== 'linked' || m.record.item.state === null) continue;
			const key = statusKey(channel, m.listing);
			wanted.set(key, (wanted.get(key) ?? false) || m.record.item.state === 'active');
		}
	}

	// Listings sharing one stock figure (variations selling from their parent's stock) get the smallest of
	// their items' quantities: the pool then never sells a unit one of them does not have, and they do not
	// overwrite each other run after run.
	const sharedTarget = new Map<string, number>();
	const sharers = new Map<string, number>();
	for (const m of matches) {
		if (m.status !== 'linked' || m.listing.stockKey === undefined) continue;
		const key = m.listing.stockKey;
		const target = targetOf(m.record.item, m.listing);
		sharedTarget.set(key, Math.min(sharedTarget.get(key) ?? target, target));
		sharers.set(key, (sharers.get(key) ?? 0) + 1);
	}

	const reconciled = new Map<ChannelListing, { target: number; note?: string | null; failed?: string }>();
	if (options.reconcile) {
		const linked = matches.flatMap((m) => (m.status === 'linked' ? [{ item: m.record.item, listing: m.listing, target: targetOf(m.record.item, m.listing) }] : []));
		const answers = linked.length > 0 ? await options.reconcile(linked) : [];
		linked.forEach((l, i) => reconciled.set(l.listing, answers[i]));
	}

	const outcomes: StockOutcome[] = [];
	const reached = new Set<StockItem>();
	const writes: Array<{ write: ListingWrite; outcome: StockOutcome }> = [];
	for (const m of matches) {
		if (m.status === 'unlinked') continue; // listings of other products: not this sync's business
		if (m.status === 'ambiguous') {
			for (const c of m.candidates) {
				reached.add(c.item);
				outcomes.push({ item: c.item, listing: m.listing, action: 'ambiguous', before: m.listing.quantity, after: null, reason: `listing "${m.listing.title}" (${m.listing.listingId}): ${m.reason}`, notes: [], target: c.item.quantity });
			}
			continue;
		}
		const item = m.record.item;
		reached.add(item);
		const twoWay = reconciled.get(m.listing);
		const target = twoWay ? twoWay.target : m.listing.stockKey !== undefined ? (sharedTarget.get(m.listing.stockKey) ?? targetOf(item, m.listing)) : targetOf(item, m.listing);
		const outcome: StockOutcome = { item, listing: m.listing, action: 'unchanged', before: m.listing.quantity, after: m.listing.quantity, reason: null, notes: twoWay?.note ? [twoWay.note] : [], target };
		if (twoWay?.failed) {
			outcomes.push(Object.assign(outcome, { action: 'failed' as const, after: null, reason: `listing "${m.listing.title}" (${m.listing.listingId}): ${twoWay.failed}` }));
			continue;
		}
		if (m.listing.stockKey !== undefined && (sharers.get(m.listing.stockKey) ?? 0) > 1 && target !== targetOf(item, m.listing)) {
			outcome.notes.push(`This listing shares its stock with ${String((sharers.get(m.listing.stockKey) ?? 1) - 1)} other listing(s) on the channel: it gets the smallest of their quantities, ${target} (its own would be ${targetOf(item, m.listing)}).`);
		}
		outcomes.push(outcome);
		if (m.listing.notWritable) {
			Object.assign(outcome, { action: 'failed', after: null, reason: `listing "${m.listing.title}" (${m.listing.listingId}) is ${m.listing.notWritable}` });
			continue;
		}
		const quantityChanges = !(m.listing.managed && m.listing.quantity === target);
		const show = options.listingStatus ? statusChange(m.listing, statusKey(channel, m.listing), wanted.get(statusKey(channel, m.listing)), options.listingStatus.hiddenBySync, outcome) : undefined;
		if (!quantityChanges && show === undefined) continue;
		if (options.suspended?.(listingKey(m.listing), target)) {
			Object.assign(outcome, { action: 'suspended', after: null, reason: `listing "${m.listing.title}" (${m.listing.listingId}) failed 3 runs in a row with this quantity; it is not tried again until its quantity changes` });
			delete outcome.statusAfter;
			continue;
		}
		outcome.action = options.dryRun ? 'wouldUpdate' : 'updated';
		outcome.after = target;
		if (show !== undefined) outcome.statusAfter = show ? 'shown' : 'hidden';
		if (!options.dryRun) writes.push({ write: { listing: m.listing, quantity: quantityChanges ? target : null, expected: m.listing.quantity, ...(show === undefined ? {} : { show }) }, outcome });
	}
	for (const item of items) {
		if (!reached.has(item)) {
			outcomes.push({ item, listing: null, action: 'notOnChannel', before: null, after: null, target: item.quantity, reason: `no listing on ${channel.platform} carries ${options.by} ${String(item[options.by] ?? '(none)')}; list it there or add a manual link`, notes: [] });
		}
	}
	// Outcomes in the order of the items they answer (listings of one item in the channel's order).
	outcomes.sort((a, b) => a.item.itemIndex - b.item.itemIndex);
	if (writes.length === 0) return outcomes;

	const results = await channel.write(writes.map((w) => w.write));
	const stale: Array<{ write: ListingWrite; outcome: StockOutcome }> = [];
	const remember = (write: ListingWrite) => {
		if (write.show === undefined || !options.listingStatus) return;
		const key = statusKey(channel, write.listing);
		if (write.show) options.listingStatus.hiddenBySync.delete(key);
		else options.listingStatus.hiddenBySync.add(key);
	};
	results.forEach((r, i) => {
		const { outcome } = writes[i];
		if (r.ok) {
			remember(writes[i].write);
			return;
		}
		delete outcome.statusAfter;
		if (r.stale) stale.push(writes[i]);
		else Object.assign(outcome, { action: 'failed', after: null, reason: `listing "${outcome.listing?.title}" (${r.listingId}): ${r.error ?? 'refused'}` });
	});
	if (stale.length > 0) {
		// The channel sold some between our read and our write: read again, keep those sales, write once more.
		const fresh = await channel.refresh(stale.map((s) => s.write.listing));
		const again = stale.map((s) => {
			const now = fresh.find((f) => listingKey(f) === listingKey(s.write.listing)) ?? s.write.listing;
			const quantity = keepChannelSales(s.outcome.target, s.write.expected, now.quantity);
			s.outcome.before = now.quantity;
			s.outcome.after = quantity;
			s.outcome.notes.push(`The channel changed from ${String(s.write.expected)} to ${String(now.quantity)} while writing; the sale is kept: ${quantity} instead of ${s.outcome.target}.`);
			return { write: { ...s.write, listing: now, quantity, expected: now.quantity }, outcome: s.outcome };
		});
		const second = await channel.write(again.map((a) => a.write));
		second.forEach((r, i) => {
			if (r.ok) {
				remember(again[i].write);
				if (again[i].write.show !== undefined) again[i].outcome.statusAfter = again[i].write.show ? 'shown' : 'hidden';
			} else Object.assign(again[i].outcome, { action: 'failed', after: null, reason: `listing ${r.listingId} changed again while writing; the next run writes it (${r.error ?? 'stale'})` });
		});
	}
	return outcomes;
}
