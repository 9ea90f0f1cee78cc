/**
 * Two-way inventory sync, the loop (the decisions are core/twoWay.ts): read the channel's listings as
 * Update Channel Inventory does; for each linked listing compare both sides with the last synced
 * snapshot; book the channel's own change in the main store as a delta (Shopify under an idempotency
 * key; WooCommerce's inventory_delta, whose lost answer is checked by reading the stock again, never
 * resent blindly: the stock is read right before booking too, so a sale the main store made since the
 * workflow read it does not make that check undecidable); set the channel from the main store's new
 * quantity through the item's rules, compare-and-set where the channel can; remember the new snapshot. A listing whose main-store change
 * failed is not written and keeps its snapshot, so the next run tries the same change again.
 */
import { channelQuantityFor, decideTwoWay } from '../core/twoWay';
import type { AppliedRules, StockSnapshot } from '../core/twoWay';
import type { ChannelInventory, ChannelListing, MainAdjustment, MainInventory } from './inventory';
import { listingKey, updateChannelStock } from './inventorySync';
import type { StockItem, StockOutcome, StockSyncOptions } from './inventorySync';

export interface TwoWayItem extends StockItem {
	/** The main store's quantity the rules started from (Apply Inventory Rules' mainStoreQuantity). */
	mainQuantity: number;
	/** The rules the item got, to apply again to the main store's new quantity; null: the quantity is shown as is. */
	rules: AppliedRules | null;
	/** The main store's ids, to book the channel's change. */
	record: Pick<MainAdjustment, 'sku' | 'productId' | 'variantId' | 'inventoryItemId' | 'locationId'>;
	/** The booking location's quantity as read, to check a change whose answer was lost. */
	locationQuantity: number;
	/** Why this item can only go one way (a bundle, untracked stock), or null. */
	oneWay: string | null;
}

export interface TwoWayResult {
	outcomes: StockOutcome[];
	/** The snapshots to keep, by listing key (those not seen this run are left as they were). */
	snapshots: Map<string, StockSnapshot>;
	/** Main-store changes made (or, dry run, that would be). */
	mainChanges: Array<{ sku: string; delta: number; listingId: string }>;
}

interface Pending {
	mainAfter: number;
	channelRead: number;
	adjusted: boolean;
}

/**
 * What the booking location of each change's SKU holds now in the main store, by SKU; undefined when the
 * store could not be read.
 */
async function bookingQuantities(main: MainInventory, changes: Array<{ change: MainAdjustment }>): Promise<Map<string, number> | undefined> {
	const now = new Map<string, number>();
	// The first change of each SKU names the location its stock is read at.
	const locationOf = new Map<string, string | null>();
	for (const { change } of changes) if (!locationOf.has(change.sku)) locationOf.set(change.sku, change.locationId ?? null);
	try {
		for await (const page of main.read({ skus: [...locationOf.keys()], locationNames: [] })) {
			for (const record of page) {
				const at = record.locations.find((l) => l.locationId === (locationOf.get(record.sku) ?? null)) ?? record.locations[0];
				if (at) now.set(record.sku, at.quantity);
			}
		}
	} catch {
		return undefined;
	}
	return now;
}

export async function syncInventoryBothWays(
	channel: ChannelInventory,
	main: MainInventory,
	items: TwoWayItem[],
	snapshots: ReadonlyMap<string, StockSnapshot>,
	options: StockSyncOptions,
): Promise<TwoWayResult> {
	const pending = new Map<string, Pending>();
	const next = new Map<string, StockSnapshot>();
	const mainChanges: TwoWayResult['mainChanges'] = [];

	const reconcile: StockSyncOptions['reconcile'] = async (linked) => {
		const answers: Array<{ target: number; note?: string | null; failed?: string }> = [];
		const changes: Array<{ index: number; change: MainAdjustment; item: TwoWayItem; listing: ChannelListing; mainAfter: number }> = [];
		linked.forEach(({ item: base, listing, target }, index) => {
			const item = base as TwoWayItem;
			const why = item.oneWay
				?? (!listing.managed || listing.quantity === null ? 'the channel does not count this listing\'s stock' : null)
				?? (listing.stockKey !== undefined ? 'it sells from stock shared with other listings on the channel' : null)
				?? (item.quantities ? 'its channel locations are mapped' : null);
			if (why) {
				answers[index] = { target, note: `One way only (${why}): the channel is set from the main store.` };
				return;
			}
			const key = listingKey(listing);
			const snapshot = snapshots.get(key);
			const decision = decideTwoWay(item.mainQuantity, listing.quantity as number, snapshot);
			pending.set(key, { mainAfter: decision.mainAfter, channelRead: listing.quantity as number, adjusted: false });
			answers[index] = { target: channelQuantityFor(decision.mainAfter, item.rules), note: decision.note };
			if (decision.mainDelta !== 0 && snapshot) {
				changes.push({
					index, item, listing, mainAfter: decision.mainAfter,
					change: { ...item.record, delta: decision.mainDelta, key: `${channel.storeId}|${key}|${snapshot.m}|${snapshot.c}|${String(listing.quantity)}|${item.mainQuantity}` },
				});
			}
		});
		if (changes.length === 0) return answers;
		// The stock right before booking: what a lost answer is checked against. The items' own figure was
		// read earlier in the workflow, and a sale in the main store since would make that check undecidable.
		const before = options.dryRun ? undefined : await bookingQuantities(main, changes);
		const results = options.dryRun ? changes.map(() => ({ ok: true, unknown: false, error: undefined })) : await main.adjust(changes.map((c) => c.change));
		// Changes whose answer was lost: the stock read again tells whether they landed (unread: undecided below).
		const lost = changes.filter((_, i) => results[i].unknown);
		const now = (lost.length > 0 ? await bookingQuantities(main, lost) : undefined) ?? new Map<string, number>();
		changes.forEach((c, i) => {
			const r = results[i];
			const key = listingKey(c.listing);
			const p = pending.get(key) as Pending;
			const sold = `${c.change.delta > 0 ? '+' : ''}${c.change.delta}`;
			let landed = r.ok;
			if (r.unknown) {
				const current = now.get(c.change.sku);
				const base = before?.get(c.change.sku) ?? c.item.locationQuantity;
				if (current === base + c.change.delta) landed = true;
				else if (current === base) {
					answers[c.index] = { target: c.item.quantity, failed: `the main store did not answer the change of ${sold} for SKU ${c.change.sku}, and it is not there; the next run books it` };
					pending.delete(key);
					return;
				} else {
					// It may or may not be in: neither repeated nor dropped silently.
					answers[c.index] = {
						target: c.item.quantity,
						failed: `the main store did not answer the change of ${sold} for SKU ${c.change.sku}, and its stock moved meanwhile (${base} → ${current === undefined ? 'unread' : current}); it is not booked again: check SKU ${c.change.sku}'s stock in the main store`,
					};
					next.set(key, { m: c.item.mainQuantity - c.item.locationQuantity + (current ?? c.item.locationQuantity), c: p.channelRead });
					pending.delete(key);
					return;
				}
			}
			if (!landed) {
				answers[c.index] = { target: c.item.quantity, failed: `the main store refused the channel's change of ${sold} for SKU ${c.change.sku}: ${r.error ?? 'refused'}; the next run tries again` };
				pending.delete(key);
				return;
			}
			p.adjusted = true;
			mainChanges.push({ sku: c.change.sku, delta: c.change.delta, listingId: c.listing.listingId });
		});
		return answers;
	};

	const outcomes = await updateChannelStock(channel, items, { ...options, reconcile });
	if (!options.dryRun) {
		for (const o of outcomes) {
			if (!o.listing) continue;
			const key = listingKey(o.listing);
			const p = pending.get(key);
			if (!p) continue;
			// After a write, the channel holds the target, less any sale made while writing (kept by the
			// compare-and-set): remembering the target lets the next run book that sale in the main store.
			if (o.action === 'updated') next.set(key, { m: p.mainAfter, c: o.target });
			else if (o.action === 'unchanged') next.set(key, { m: p.mainAfter, c: p.channelRead });
			else if (p.adjusted) next.set(key, { m: p.mainAfter, c: p.channelRead });
		}
	}
	return { outcomes, snapshots: next, mainChanges };
}
