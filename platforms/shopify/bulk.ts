/**
 * Shopify bulk query operations (https://shopify.dev/docs/api/usage/bulk-operations/queries), for reads
 * too large for paging: at the Standard plan's 100 points/s, paging 10,000 orders costs about an hour of
 * rate limit, while a bulk operation costs 10 points and Shopify's own processing time. The client starts
 * the operation, polls its status with a growing interval, downloads the JSONL result from the storage
 * host WITHOUT the store's token (a separate, unauthenticated transport), and rebuilds each root object
 * with its nested connections from the `__parentId` lines.
 */
import { PlatformError } from '../errors';
import { UnknownOutcomeError, sendWithRetry } from '../retry';
import type { Clock, HttpTransport } from '../http';
import { userErrorsOf } from './client';
import type { ShopifyClient } from './client';

export const BULK_RUN_MUTATION = `mutation BulkRun($query: String!) {
	bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } }
}`;

export const BULK_STATUS_QUERY = `query BulkStatus($id: ID!) {
	node(id: $id) { ... on BulkOperation { id status errorCode objectCount url partialDataUrl } }
}`;

export const BULK_CURRENT_QUERY = `query BulkCurrent {
	currentBulkOperation(type: QUERY) { id status query createdAt }
}`;

interface BulkStatus {
	id: string;
	status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'EXPIRED';
	errorCode: string | null;
	objectCount: string;
	url: string | null;
	partialDataUrl: string | null;
}

export interface BulkOptions {
	/** Give up waiting after this long (ms); the operation keeps running at Shopify. */
	maxWaitMs?: number;
	/** Maps a child line to the connection field of its parent it belongs to (by its gid type). */
	connectionOf: (child: Record<string, unknown>) => string | undefined;
}

export interface BulkStats {
	operationId: string;
	objectCount: number;
	polls: number;
	waitedMs: number;
	downloadedBytes: number;
}

/** The type name in a global id: gid://shopify/LineItem/1 → LineItem. */
export function gidType(gid: unknown): string | undefined {
	return typeof gid === 'string' ? /^gid:\/\/shopify\/([^/]+)\//.exec(gid)?.[1] : undefined;
}

/**
 * Rebuilds root objects from bulk JSONL: lines without `__parentId` are roots, in file order; a line with
 * one is appended to `connectionOf(line)` of its parent as `{ nodes, pageInfo }` (complete: no next page).
 * Parents come before their children in Shopify's files.
 */
export function assembleBulkLines(text: string, connectionOf: BulkOptions['connectionOf']): Array<Record<string, unknown>> {
	const roots: Array<Record<string, unknown>> = [];
	const byId = new Map<string, Record<string, unknown>>();
	let start = 0;
	while (start < text.length) {
		let end = text.indexOf('\n', start);
		if (end < 0) end = text.length;
		const line = text.slice(start, end).trim();
		start = end + 1;
		if (!line) continue;
		const object = JSON.parse(line) as Record<string, unknown>;
		const parentId = object.__parentId;
		if (typeof object.id === 'string') byId.set(object.id, object);
		if (typeof parentId !== 'string') {
			roots.push(object);
			continue;
		}
		delete object.__parentId;
		const parent = byId.get(parentId);
		const field = connectionOf(object);
		if (!parent || !field) {
			throw new PlatformError('Shopify', `the bulk result has a line whose parent ${parentId} or connection is unknown`, undefined, 'BULK_FORMAT');
		}
		const connection = (parent[field] ??= { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }) as { nodes: unknown[] };
		connection.nodes.push(object);
	}
	return roots;
}

/** How long a start waits for a free bulk slot (Shopify runs 5 bulk queries per app and shop at once). */
const BUSY_WAIT_MS = 300_000;

/**
 * Starts the bulk query, or, when the answer to the start was lost, finds the operation it started.
 * When the shop's bulk query slots are all taken (OPERATION_IN_PROGRESS: overlapping runs, e.g. on
 * several queue-mode workers), it waits for one to free up instead of failing the run.
 */
async function start(client: ShopifyClient, query: string, clock: Clock, waitedMs = 0): Promise<string> {
	type Started = { bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: Array<{ field: string[] | null; message: string; code?: string | null }> } };
	const outcome = await client.request<Started>(BULK_RUN_MUTATION, { query }, { write: true }).then(
		(data) => data,
		(error: unknown) => error,
	);
	if (outcome instanceof UnknownOutcomeError) {
		// Starting twice is harmless but wasteful: look for the one this request may have started.
		const current = await client.request<{ currentBulkOperation: { id: string; query: string; status: string } | null }>(BULK_CURRENT_QUERY);
		if (current.currentBulkOperation && current.currentBulkOperation.query === query) return current.currentBulkOperation.id;
		return start(client, query, clock, waitedMs);
	}
	if (outcome instanceof Error) throw outcome;
	const payload = (outcome as Started).bulkOperationRunQuery;
	const refused = userErrorsOf(payload, 'Starting the bulk read');
	if (refused && payload.userErrors.some((e) => e.code === 'OPERATION_IN_PROGRESS') && waitedMs < BUSY_WAIT_MS) {
		const pause = Math.min(5_000, 500 + waitedMs / 4);
		await clock.sleep(pause);
		return start(client, query, clock, waitedMs + pause);
	}
	if (refused) throw refused;
	if (!payload.bulkOperation) throw new PlatformError('Shopify', 'bulkOperationRunQuery returned no operation', 200, undefined);
	return payload.bulkOperation.id;
}

/**
 * Runs `query` as a bulk operation and returns its root objects with their nested connections.
 * `download` must be a transport without the store's credential.
 */
export async function runBulkQuery(
	client: ShopifyClient,
	download: HttpTransport,
	clock: Clock,
	query: string,
	options: BulkOptions,
): Promise<{ roots: Array<Record<string, unknown>>; stats: BulkStats }> {
	const operationId = await start(client, query, clock);
	const began = clock.now();
	// Status polls cost 1 point: poll often at first (most reads finish in seconds), then back off to 2 s.
	let interval = 250;
	let polls = 0;
	let status: BulkStatus | null = null;
	for (;;) {
		polls++;
		status = (await client.request<{ node: BulkStatus | null }>(BULK_STATUS_QUERY, { id: operationId })).node;
		if (!status) throw new PlatformError('Shopify', `bulk operation ${operationId} vanished`, 200, undefined);
		if (status.status === 'COMPLETED') break;
		if (status.status === 'FAILED' || status.status === 'CANCELED' || status.status === 'EXPIRED') {
			throw new PlatformError('Shopify', `the bulk read ${status.status.toLowerCase()}${status.errorCode ? ` (${status.errorCode})` : ''}`, 200, status.errorCode ?? status.status,
				status.errorCode === 'ACCESS_DENIED' ? 'Give the app the read_orders (and read_all_orders for orders older than 60 days) scope.' : 'Run the workflow again; it reads the same range.');
		}
		if (options.maxWaitMs !== undefined && clock.now() - began > options.maxWaitMs) {
			throw new PlatformError('Shopify', `the bulk read ${operationId} did not finish within ${Math.round(options.maxWaitMs / 1000)} s`, 200, 'TIMEOUT',
				'Choose a shorter range, or run the workflow again later.');
		}
		await clock.sleep(interval);
		interval = Math.min(2000, Math.round(interval * 1.25));
	}
	const stats: BulkStats = { operationId, objectCount: Number(status.objectCount), polls, waitedMs: clock.now() - began, downloadedBytes: 0 };
	if (!status.url) return { roots: [], stats }; // Shopify gives no file when nothing matched
	const response = await sendWithRetry(download, { method: 'GET', url: status.url, responseType: 'text', timeoutMs: 300_000 }, clock, { idempotent: true });
	if (response.status !== 200 || typeof response.body !== 'string') {
		throw new PlatformError('Shopify', `downloading the bulk result failed (HTTP ${response.status})`, response.status, undefined, 'Run the workflow again; the file link may have expired.');
	}
	stats.downloadedBytes = response.body.length;
	return { roots: assembleBulkLines(response.body, options.connectionOf), stats };
}
