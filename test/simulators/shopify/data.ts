/**
 * Lookups over the store for the GraphQL and REST layers: id indexes and per-sort-key orderings, built
 * lazily and dropped whenever the simulator writes (`invalidate`). Tests that edit `sim.store` directly
 * in a way that changes membership or sort keys should go through the simulator's helpers instead
 * (addOrder, updateOrder), which invalidate for them.
 */
import { GraphQLError } from 'graphql';
import { sortItems } from './pagination';
import type { CursorPosition, SortedItems } from './pagination';
import type {
	ShopifyStore, SimDraftOrder, SimFulfillment, SimFulfillmentOrder, SimInventoryItem, SimInventoryLevel, SimLineItem, SimLocation,
	SimOrder, SimProduct, SimVariant,
} from './store';
import { nowIso } from './store';

export function gid(type: string, id: number | string): string {
	return `gid://shopify/${type}/${id}`;
}

/** Reads gid://shopify/Type/123 (query string ignored); undefined when it is not a Shopify global id. */
export function parseGid(value: string): { type: string; id: number } | undefined {
	const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
	return match ? { type: match[1], id: Number(match[2]) } : undefined;
}

/** The numeric id of a gid of the expected type, or a GraphQL error worded like Shopify's. */
export function idOf(value: string, type: string): number | undefined {
	const parsed = parseGid(value);
	if (!parsed) throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: 'argumentLiteralsIncompatible' } });
	return parsed.type === type ? parsed.id : undefined;
}

interface Indexes {
	orders: Map<number, SimOrder>;
	products: Map<number, SimProduct>;
	variants: Map<number, SimVariant>;
	variantsByProduct: Map<number, SimVariant[]>;
	items: Map<number, SimInventoryItem>;
	levels: Map<string, SimInventoryLevel>;
	levelsByItem: Map<number, SimInventoryLevel[]>;
	levelsByLocation: Map<number, SimInventoryLevel[]>;
	locations: Map<number, SimLocation>;
	lineItems: Map<number, { order: SimOrder; line: SimLineItem }>;
	fulfillmentOrders: Map<number, { order: SimOrder; fo: SimFulfillmentOrder }>;
	fulfillments: Map<number, { order: SimOrder; fulfillment: SimFulfillment }>;
	draftOrders: Map<number, SimDraftOrder>;
	/** Array lengths the indexes were built from: a cheap guard against direct pushes. */
	sizes: string;
}

export class ShopData {
	private indexes: Indexes | undefined;
	private readonly sorted = new Map<string, SortedItems<unknown>>();

	constructor(readonly store: ShopifyStore) {}

	/** Drops every index and ordering; call after any write. */
	invalidate(): void {
		this.indexes = undefined;
		this.sorted.clear();
	}

	now(): string {
		return nowIso(this.store);
	}

	private sizes(): string {
		const s = this.store;
		return [s.orders.length, s.products.length, s.variants.length, s.inventoryItems.length, s.inventoryLevels.length, s.locations.length, s.draftOrders.length].join(',');
	}

	private get idx(): Indexes {
		if (this.indexes && this.indexes.sizes === this.sizes()) return this.indexes;
		this.sorted.clear();
		const s = this.store;
		const group = <K, T>(items: T[], key: (t: T) => K) => {
			const map = new Map<K, T[]>();
			for (const item of items) {
				const k = key(item);
				const list = map.get(k);
				if (list) list.push(item);
				else map.set(k, [item]);
			}
			return map;
		};
		const lineItems = new Map<number, { order: SimOrder; line: SimLineItem }>();
		const fulfillmentOrders = new Map<number, { order: SimOrder; fo: SimFulfillmentOrder }>();
		const fulfillments = new Map<number, { order: SimOrder; fulfillment: SimFulfillment }>();
		for (const order of s.orders) {
			for (const line of order.lineItems) lineItems.set(line.id, { order, line });
			for (const fo of order.fulfillmentOrders) fulfillmentOrders.set(fo.id, { order, fo });
			for (const fulfillment of order.fulfillments) fulfillments.set(fulfillment.id, { order, fulfillment });
		}
		this.indexes = {
			orders: new Map(s.orders.map((o) => [o.id, o])),
			products: new Map(s.products.map((p) => [p.id, p])),
			variants: new Map(s.variants.map((v) => [v.id, v])),
			variantsByProduct: group(s.variants, (v) => v.productId),
			items: new Map(s.inventoryItems.map((i) => [i.id, i])),
			levels: new Map(s.inventoryLevels.map((l) => [`${l.inventoryItemId}:${l.locationId}`, l])),
			levelsByItem: group(s.inventoryLevels, (l) => l.inventoryItemId),
			levelsByLocation: group(s.inventoryLevels, (l) => l.locationId),
			locations: new Map(s.locations.map((l) => [l.id, l])),
			lineItems,
			fulfillmentOrders,
			fulfillments,
			draftOrders: new Map(s.draftOrders.map((d) => [d.id, d])),
			sizes: this.sizes(),
		};
		return this.indexes;
	}

	order(id: number): SimOrder | undefined {
		return this.idx.orders.get(id);
	}
	product(id: number): SimProduct | undefined {
		return this.idx.products.get(id);
	}
	variant(id: number): SimVariant | undefined {
		return this.idx.variants.get(id);
	}
	variantsOf(productId: number): SimVariant[] {
		return this.idx.variantsByProduct.get(productId) ?? [];
	}
	inventoryItem(id: number): SimInventoryItem | undefined {
		return this.idx.items.get(id);
	}
	level(inventoryItemId: number, locationId: number): SimInventoryLevel | undefined {
		return this.idx.levels.get(`${inventoryItemId}:${locationId}`);
	}
	levelsOfItem(inventoryItemId: number): SimInventoryLevel[] {
		return this.idx.levelsByItem.get(inventoryItemId) ?? [];
	}
	levelsAt(locationId: number): SimInventoryLevel[] {
		return this.idx.levelsByLocation.get(locationId) ?? [];
	}
	location(id: number): SimLocation | undefined {
		return this.idx.locations.get(id);
	}
	lineItem(id: number): { order: SimOrder; line: SimLineItem } | undefined {
		return this.idx.lineItems.get(id);
	}
	fulfillmentOrder(id: number): { order: SimOrder; fo: SimFulfillmentOrder } | undefined {
		return this.idx.fulfillmentOrders.get(id);
	}
	fulfillment(id: number): { order: SimOrder; fulfillment: SimFulfillment } | undefined {
		return this.idx.fulfillments.get(id);
	}
	draftOrder(id: number): SimDraftOrder | undefined {
		return this.idx.draftOrders.get(id);
	}
	/** The variant an inventory item belongs to. */
	variantOfItem(item: SimInventoryItem): SimVariant | undefined {
		return this.variant(item.variantId);
	}

	/** `items` sorted by `position`, cached under `key` until the next write. */
	sortedBy<T>(key: string, items: () => readonly T[], position: (item: T) => CursorPosition): SortedItems<T> {
		void this.idx; // revalidates (and clears orderings) if the store changed size behind our back
		let sorted = this.sorted.get(key) as SortedItems<T> | undefined;
		if (!sorted) {
			sorted = sortItems(items(), position);
			this.sorted.set(key, sorted as SortedItems<unknown>);
		}
		return sorted;
	}
}
