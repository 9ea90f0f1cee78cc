/**
 * Cursor pagination as Shopify's connections do it (https://shopify.dev/docs/api/usage/pagination-graphql):
 * `first`/`last` up to 250, `after`/`before` opaque cursors, `reverse`, `pageInfo`. Cursors are keyset
 * positions, not offsets: base64 of `{"last_id":…,"last_value":…}` (the shape Shopify's own cursors decode
 * to), i.e. the sort key value and id of the item. So an item whose sort key changes while a client pages
 * moves to its new place (and, sorted by UPDATED_AT, is met again further on) while no other item shifts
 * across a page boundary. Items are kept sorted once per sort key and found by binary search.
 */
import { GraphQLError } from 'graphql';

export const MAX_PAGE_SIZE = 250;

/**
 * Set on a connection's arguments by bulk operations: the connection yields every node that passes its
 * filter, in sort order (`reverse` honoured), whatever `first`/`last`/`after`/`before` say; Shopify
 * ignores pagination arguments in bulk queries: https://shopify.dev/docs/api/usage/bulk-operations/queries#write-a-bulk-operation
 */
export const EVERY_NODE: unique symbol = Symbol('every node');

export interface ConnectionArgs {
	first?: number | null;
	last?: number | null;
	after?: string | null;
	before?: string | null;
	reverse?: boolean | null;
	[EVERY_NODE]?: boolean;
}

export type SortValue = string | number;

/** A position in a sorted list: the sort key value and id of an item. */
export interface CursorPosition {
	value: SortValue;
	id: number;
}

export interface PageInfo {
	hasNextPage: boolean;
	hasPreviousPage: boolean;
	startCursor: string | null;
	endCursor: string | null;
}

export interface Connection<V> {
	edges: Array<{ cursor: string; node: V }>;
	nodes: V[];
	pageInfo: PageInfo;
}

export function encodeCursor(position: CursorPosition): string {
	return Buffer.from(JSON.stringify({ last_id: position.id, last_value: position.value })).toString('base64');
}

export function decodeCursor(cursor: string): CursorPosition {
	try {
		const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown; last_value?: unknown };
		if (typeof parsed.last_id === 'number' && (typeof parsed.last_value === 'string' || typeof parsed.last_value === 'number')) {
			return { id: parsed.last_id, value: parsed.last_value };
		}
	} catch {
		// fall through
	}
	throw new GraphQLError('Invalid cursor for current pagination sort.');
}

export function comparePositions(a: CursorPosition, b: CursorPosition): number {
	if (a.value !== b.value) {
		if (typeof a.value === 'number' && typeof b.value === 'number') return a.value - b.value;
		return String(a.value) < String(b.value) ? -1 : 1;
	}
	return a.id - b.id;
}

/** Checks first/last the way Shopify does before running the connection. */
export function checkPageArgs(args: ConnectionArgs): void {
	if ((args.first === undefined || args.first === null) && (args.last === undefined || args.last === null)) {
		throw new GraphQLError('you must provide one of first or last');
	}
	for (const name of ['first', 'last'] as const) {
		const size = args[name];
		if (size === undefined || size === null) continue;
		if (size < 0) throw new GraphQLError(`The ${name} argument cannot be negative.`);
		if (size > MAX_PAGE_SIZE) throw new GraphQLError(`The ${name} argument cannot exceed ${MAX_PAGE_SIZE}.`);
	}
}

/** The items of one sort key, in ascending (value, id) order, with how to read an item's position. */
export interface SortedItems<T> {
	items: T[];
	position: (item: T) => CursorPosition;
}

export function sortItems<T>(items: readonly T[], position: (item: T) => CursorPosition): SortedItems<T> {
	const keyed = items.map((item) => ({ item, at: position(item) }));
	keyed.sort((a, b) => comparePositions(a.at, b.at));
	return { items: keyed.map((k) => k.item), position };
}

/** First index whose position is >= (orAfter: >) the given one. */
function bound<T>(sorted: SortedItems<T>, at: CursorPosition, orAfter: boolean): number {
	let lo = 0;
	let hi = sorted.items.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		const c = comparePositions(sorted.position(sorted.items[mid]), at);
		if (c < 0 || (orAfter && c === 0)) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * One page of a connection over `sorted`, keeping only items that pass `filter`, viewed through `view`.
 * `reverse` walks the list from the end, as Shopify's `reverse: true`.
 */
export function paginate<T, V>(sorted: SortedItems<T>, args: ConnectionArgs, filter: (item: T) => boolean, view: (item: T) => V): Connection<V> {
	if (args[EVERY_NODE]) return everyNode(sorted, args.reverse === true, filter, view);
	checkPageArgs(args);
	const n = sorted.items.length;
	const reverse = args.reverse === true;
	const after = args.after ? decodeCursor(args.after) : undefined;
	const before = args.before ? decodeCursor(args.before) : undefined;
	// The window [lo, hi) of ascending indexes the cursors leave open.
	let lo = 0;
	let hi = n;
	if (!reverse) {
		if (after) lo = bound(sorted, after, true);
		if (before) hi = bound(sorted, before, false);
	} else {
		if (after) hi = bound(sorted, after, false);
		if (before) lo = bound(sorted, before, true);
	}
	// Logical order: ascending unless reverse. `step` walks forward in logical order.
	const step = reverse ? -1 : 1;
	const logicalStart = reverse ? hi - 1 : lo;
	const logicalEnd = reverse ? lo - 1 : hi;
	const picked: number[] = [];
	if (args.first !== undefined && args.first !== null) {
		for (let i = logicalStart; i !== logicalEnd && picked.length < args.first; i += step) if (filter(sorted.items[i])) picked.push(i);
		if (args.last !== undefined && args.last !== null && picked.length > args.last) picked.splice(0, picked.length - args.last);
	} else {
		const last = args.last as number;
		for (let i = logicalEnd - step; i !== logicalStart - step && picked.length < last; i -= step) if (filter(sorted.items[i])) picked.unshift(i);
	}
	const exists = (from: number, direction: number): boolean => {
		for (let i = from; i >= 0 && i < n; i += direction) if (filter(sorted.items[i])) return true;
		return false;
	};
	let hasNextPage: boolean;
	let hasPreviousPage: boolean;
	if (picked.length > 0) {
		hasNextPage = exists(picked[picked.length - 1] + step, step);
		hasPreviousPage = exists(picked[0] - step, -step);
	} else {
		hasNextPage = exists(logicalStart, step);
		hasPreviousPage = exists(logicalStart - step, -step);
	}
	const edges = picked.map((i) => ({ cursor: encodeCursor(sorted.position(sorted.items[i])), node: view(sorted.items[i]) }));
	return {
		edges,
		nodes: edges.map((e) => e.node),
		pageInfo: {
			hasNextPage,
			hasPreviousPage,
			startCursor: edges[0]?.cursor ?? null,
			endCursor: edges[edges.length - 1]?.cursor ?? null,
		},
	};
}

/** The whole connection at once, for bulk operations (see EVERY_NODE). */
function everyNode<T, V>(sorted: SortedItems<T>, reverse: boolean, filter: (item: T) => boolean, view: (item: T) => V): Connection<V> {
	const items = reverse ? [...sorted.items].reverse() : sorted.items;
	const edges: Array<{ cursor: string; node: V }> = [];
	for (const item of items) if (filter(item)) edges.push({ cursor: encodeCursor(sorted.position(item)), node: view(item) });
	return {
		edges,
		nodes: edges.map((e) => e.node),
		pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
	};
}

/** A connection over a small list in its natural order (lines of an order, levels of an item). */
export function paginateList<T, V>(items: readonly T[], args: ConnectionArgs, id: (item: T) => number, view: (item: T) => V): Connection<V> {
	const sorted: SortedItems<T> = { items: [...items], position: (item) => ({ value: items.indexOf(item), id: id(item) }) };
	return paginate(sorted, args, () => true, view);
}
