/**
 * What every sales channel offers the nodes. Adding a channel means one platform folder implementing
 * this, its credential, its simulator, and one entry in platforms/registry.ts.
 */
import type { Order } from '../core/model';

export interface OrderWindow {
	/** Orders updated at or after this instant (ISO 8601), or, with `by: 'created'`, created at or after. */
	since: string;
	/** Up to this instant, inclusive; open-ended when absent. */
	until?: string;
	by: 'updated' | 'created';
}

export interface ChannelOrder {
	order: Order;
	/** The platform's own order object, for "Include Raw Payload". */
	raw: unknown;
}

export interface SalesChannel {
	/** Identifies the store in the cursor and on orders (shop domain, site URL). */
	readonly storeId: string;
	/**
	 * Every order in the window, oldest first, page by page. Paging is by key (the time field, then id),
	 * never by offset: an order written while the window is read moves behind the key and is read
	 * again, instead of shifting another order out of the pages.
	 */
	readOrders(window: OrderWindow): AsyncIterable<ChannelOrder[]>;
	/** The most recent orders, newest first, for the editor's "Fetch test event". */
	recentOrders(count: number): Promise<ChannelOrder[]>;
}
