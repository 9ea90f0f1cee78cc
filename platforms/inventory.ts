/**
 * Inventory as the sync nodes see it, one interface per side and platform: the main store's stock
 * (Get Main Store Inventory) and a channel's listings with their quantities (Match Listings, Update
 * Channel Inventory). Writes are batched to each API's limit and compare-and-set where the API offers it.
 */
import type { InventoryRecord } from '../core/model';
import type { ListingLike } from '../core/listingMatch';

export interface StockLocation {
	id: string;
	name: string;
	active: boolean;
}

export interface InventoryReadOptions {
	/** Location names to sum over; all active locations when empty. */
	locationNames: string[];
	/** Only these SKUs; every variant when empty. */
	skus: string[];
	/** Only what changed after this instant (ISO 8601). */
	changedSince?: string;
}

/** A change to the main store's stock by some units (two-way sync: what the channel sold or counted). */
export interface MainAdjustment {
	sku: string;
	productId: string | null;
	variantId: string | null;
	inventoryItemId: string | null;
	/** The location to book it at (Shopify); null where the store has one stock figure. */
	locationId: string | null;
	delta: number;
	/** The same adjustment sent again carries the same key; where the store takes keys, it applies it once. */
	key: string;
}

export interface MainAdjustResult {
	ok: boolean;
	/** The store's answer was lost: the change may or may not be in; look before doing it again. */
	unknown?: boolean;
	error?: string;
}

export interface MainInventory {
	readonly platform: string;
	readonly storeId: string;
	locations(): Promise<StockLocation[]>;
	/** Every variant (or the asked SKUs, or those changed since) as an inventory record, page by page. */
	read(options: InventoryReadOptions): AsyncIterable<InventoryRecord[]>;
	/** Adds `delta` units to each (batched); each change's outcome, in order. */
	adjust(changes: MainAdjustment[]): Promise<MainAdjustResult[]>;
}

export type ListingState = 'active' | 'outOfStock' | 'inactive';

/** One sellable unit on a channel with its quantity there. */
export interface ChannelListing extends ListingLike {
	title: string;
	/** The channel's quantity at the location the sync writes to; null when the channel does not count it. */
	quantity: number | null;
	managed: boolean;
	state: ListingState;
	/** Whether buyers see the listing (published); a hidden one keeps its stock but cannot be bought. */
	shown: boolean;
	/** The channel location this listing's quantity is at (by name), when the channel writes several; else null. */
	location: string | null;
	/** The product a variant belongs to, when the channel has variants. */
	parentId: string | null;
	/** Why the listing cannot take a quantity (a bundle parent, an external product), or null. */
	notWritable: string | null;
	/**
	 * Listings that share one stock figure on the channel have the same key (WooCommerce variations whose
	 * stock is their parent's); absent: the listing's stock is its own.
	 */
	stockKey?: string;
	/** What the platform needs to write it (inventory item and location, product and variation ids). */
	target: Record<string, string>;
}

export interface ListingWrite {
	listing: ChannelListing;
	/** The quantity to set; null leaves it (a status-only write). */
	quantity: number | null;
	/** Show (publish) or hide the listing; absent leaves its status alone. */
	show?: boolean;
	/** The quantity read before the write: the write applies only if the channel still has it (where the API can check). */
	expected: number | null;
}

export interface ListingWriteResult {
	listingId: string;
	ok: boolean;
	/** The channel changed since it was read (a sale): the caller re-reads and writes again. */
	stale?: boolean;
	/** The channel's quantity now, when known after a refused compare-and-set. */
	current?: number | null;
	error?: string;
}

export interface ChannelInventory {
	readonly platform: string;
	readonly storeId: string;
	/** Where the channel shows or hides: per listing (WooCommerce variations), or per product (Shopify's status is the product's). */
	readonly statusLevel: 'listing' | 'product';
	/** The channel's listings, all or those carrying the given SKUs (many per request). */
	listings(options: { skus: string[] }): AsyncIterable<ChannelListing[]>;
	/** Re-reads these listings (after a refused compare-and-set). */
	refresh(listings: ChannelListing[]): Promise<ChannelListing[]>;
	/** Writes quantities in batches; each write's outcome, in order. */
	write(writes: ListingWrite[]): Promise<ListingWriteResult[]>;
}
