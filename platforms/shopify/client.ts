/**
 * The one Shopify Admin GraphQL client of the pack: every node that talks to Shopify goes through it.
 *
 * Throttling is cost-aware (https://shopify.dev/docs/api/usage/rate-limits): each answer's
 * `extensions.cost.throttleStatus` tells how full the bucket is and how fast it refills; before a query
 * the client projects the bucket forward and sleeps just long enough for the query's cost to fit, so
 * it rarely meets THROTTLED at all, and when it does (another app shares the bucket) it waits for the
 * restore and sends the same query again — a throttled query was not executed, so this is safe even
 * for mutations. Transient HTTP failures go through the pack's one retry policy (platforms/retry.ts);
 * a mutation whose answer was lost surfaces as UnknownOutcomeError. Cursor pagination lives here once.
 */
import { PlatformError, hintForStatus } from '../errors';
import { sendWithRetry } from '../retry';
import type { Clock, HttpTransport } from '../http';
import { SHOPIFY_API_VERSION, shopifyAdminUrl } from './version';

export const SHOPIFY_CREDENTIAL_NAME = 'Shopify Admin API';

/** Shopify's single-query limit; page sizes are chosen to stay below it. */
export const MAX_QUERY_COST = 1000;
/** Connections return at most this many nodes per page. */
export const MAX_PAGE_SIZE = 250;

interface ThrottleStatus {
	maximumAvailable: number;
	currentlyAvailable: number;
	restoreRate: number;
}

interface CostExtension {
	requestedQueryCost: number;
	actualQueryCost: number | null;
	throttleStatus: ThrottleStatus;
}

interface GraphqlError {
	message: string;
	extensions?: { code?: string; cost?: number; maxCost?: number };
	path?: Array<string | number>;
}

interface GraphqlBody {
	data?: unknown;
	errors?: GraphqlError[] | string;
	extensions?: { cost?: CostExtension };
}

export interface Connection<N> {
	nodes: N[];
	pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface RequestOptions {
	/** A mutation that is not idempotent: a lost answer becomes UnknownOutcomeError instead of a retry. */
	write?: boolean;
}

/** What the client measured, for benchmarks and the run summary. */
export interface ClientStats {
	requests: number;
	throttled: number;
	sleptMs: number;
	actualCost: number;
}

/** How many THROTTLED answers in a row before giving up: one means another app drains the same bucket. */
const MAX_THROTTLED_IN_A_ROW = 20;

export class ShopifyClient {
	readonly endpoint: string;
	readonly stats: ClientStats = { requests: 0, throttled: 0, sleptMs: 0, actualCost: 0 };
	/** The bucket as last reported, and when. */
	private bucket: (ThrottleStatus & { at: number }) | undefined;
	/** Requested cost of each document last time, to know how much room the next send needs. */
	private readonly knownCost = new Map<string, number>();
	/** Actual cost of each document last time: what a request in flight will most likely spend. */
	private readonly knownActual = new Map<string, number>();
	/** Points that requests of this client in flight will spend: concurrent requests do not all count on the same room. */
	private reserved = 0;

	constructor(
		private readonly transport: HttpTransport,
		private readonly clock: Clock,
		store: string,
		apiVersion: string = SHOPIFY_API_VERSION,
	) {
		this.endpoint = `${shopifyAdminUrl(store, apiVersion)}/graphql.json`;
	}

	/** Sends one GraphQL document and returns `data`, or throws PlatformError with Shopify's message. */
	async request<T>(query: string, variables: Record<string, unknown> = {}, options: RequestOptions = {}): Promise<T> {
		for (let throttledInARow = 0; ; ) {
			const held = await this.reserve(this.knownCost.get(query), this.knownActual.get(query));
			this.stats.requests++;
			let response: Awaited<ReturnType<typeof sendWithRetry>>;
			try {
				response = await sendWithRetry(
					this.transport,
					{ method: 'POST', url: this.endpoint, headers: { 'content-type': 'application/json' }, body: { query, variables } },
					this.clock,
					{ idempotent: !options.write },
				);
			} finally {
				this.reserved -= held;
			}
			const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as GraphqlBody;
			if (response.status !== 200) throw httpError(response.status, body, response.body);
			const cost = body.extensions?.cost;
			if (cost) this.noteCost(query, cost);
			const errors = Array.isArray(body.errors) ? body.errors : [];
			if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
				this.stats.throttled++;
				if (++throttledInARow >= MAX_THROTTLED_IN_A_ROW) {
					throw new PlatformError('Shopify', `still throttled after ${throttledInARow} waits for the rate limit to restore`, 200, 'THROTTLED',
						'Another app is using this store\'s API budget heavily; run the workflow less often or at a quieter time.');
				}
				// Not executed: wait until the bucket holds what the query asked for, then send it again.
				await this.afterThrottled(cost?.requestedQueryCost ?? this.knownCost.get(query) ?? 100);
				continue;
			}
			if (errors.length > 0) throw graphqlError(errors);
			if (body.data === undefined || body.data === null) {
				throw new PlatformError('Shopify', 'the answer had no data', response.status, undefined);
			}
			return body.data as T;
		}
	}

	/**
	 * Every node of a connection, page by page. `query` must declare `$first: Int!` and `$after: String`
	 * and pass them to the connection; `select` finds the connection in `data`. The page size starts at
	 * `variables.first` (after `variables.after`, when given) and is then sized from the cost Shopify reports, as large as the 1,000-point
	 * single-query limit allows (fewer, larger pages: fewer round trips for the same points). Shopify's
	 * cursors are keyset cursors, so an item written while the pages are read moves behind the cursor
	 * instead of shifting others out.
	 */
	async *pages<N>(
		query: string,
		variables: Record<string, unknown> & { first: number; after?: string | null },
		select: (data: unknown) => Connection<N>,
		options: { maxPageSize?: number } = {},
	): AsyncIterable<N[]> {
		let after: string | null = variables.after ?? null;
		let first = variables.first;
		for (;;) {
			const data: unknown = await this.request(query, { ...variables, first, after });
			const connection = select(data);
			yield connection.nodes;
			if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return;
			after = connection.pageInfo.endCursor;
			first = pageSizeFor(this.knownCost.get(query), first, options.maxPageSize ?? MAX_PAGE_SIZE);
		}
	}

	/** The bucket's level now, projected from the last report at its restore rate. */
	projectedAvailable(): number | undefined {
		if (!this.bucket) return undefined;
		const elapsed = Math.max(0, this.clock.now() - this.bucket.at) / 1000;
		return Math.min(this.bucket.maximumAvailable, this.bucket.currentlyAvailable + elapsed * this.bucket.restoreRate);
	}

	/** The requested cost of `query` the last time it was sent (for sizing pages under the 1,000 limit). */
	requestedCostOf(query: string): number | undefined {
		return this.knownCost.get(query);
	}

	private noteCost(query: string, cost: CostExtension): void {
		this.knownCost.set(query, cost.requestedQueryCost);
		if (cost.actualQueryCost !== null) {
			this.stats.actualCost += cost.actualQueryCost;
			this.knownActual.set(query, cost.actualQueryCost);
		}
		this.bucket = { ...cost.throttleStatus, at: this.clock.now() };
	}

	/**
	 * Waits until the bucket (as projected, less what this client's requests in flight will spend) holds the
	 * requested cost Shopify checks before running a query, then counts this request's likely spend (its
	 * actual cost last time) as in flight until its answer comes; returns that. Without a report or a known
	 * cost yet, nothing is held.
	 */
	private async reserve(requested: number | undefined, actual: number | undefined): Promise<number> {
		if (!this.bucket || requested === undefined) return 0;
		const needed = Math.min(requested, this.bucket.maximumAvailable);
		for (;;) {
			const available = (this.projectedAvailable() ?? 0) - this.reserved;
			if (available >= needed) {
				const held = Math.min(actual ?? requested, needed);
				this.reserved += held;
				return held;
			}
			await this.pause(this.msUntil(needed, available));
		}
	}

	/** After a THROTTLED answer: sleeps until the bucket (as projected) holds `cost` points, or a second before any report of it. */
	private async afterThrottled(cost: number): Promise<void> {
		if (!this.bucket) return this.pause(1000);
		const needed = Math.min(cost, this.bucket.maximumAvailable);
		const available = this.projectedAvailable() ?? 0;
		if (available < needed) await this.pause(this.msUntil(needed, available));
	}

	/** Milliseconds until the bucket refills from `available` to `needed`, with a little slack so the server's has too. */
	private msUntil(needed: number, available: number): number {
		return Math.ceil(((needed - available) / (this.bucket?.restoreRate ?? 1)) * 1000) + 20;
	}

	private async pause(ms: number): Promise<void> {
		this.stats.sleptMs += ms;
		await this.clock.sleep(ms);
	}
}

/**
 * The largest page whose requested cost stays under the single-query limit, from the cost of the last
 * page (a connection costs 2 plus `first` × one node: https://shopify.dev/docs/api/usage/rate-limits).
 * Leaves 5 % headroom for nodes whose cost varies with what they hold.
 */
export function pageSizeFor(lastRequestedCost: number | undefined, lastFirst: number, maxPageSize: number): number {
	if (lastRequestedCost === undefined || lastFirst <= 0) return lastFirst;
	const perNode = Math.max(1, (lastRequestedCost - 2) / lastFirst);
	return Math.max(1, Math.min(maxPageSize, Math.floor((MAX_QUERY_COST * 0.95 - 2) / perNode)));
}

function graphqlError(errors: GraphqlError[]): PlatformError {
	const first = errors[0];
	const code = first.extensions?.code;
	const message = errors.map((e) => (e.path ? `${e.message} (at ${e.path.join('.')})` : e.message)).join('; ');
	const hint = code === 'MAX_COST_EXCEEDED'
		? 'This is a bug in the node\'s query size; please report it with the node and options used.'
		: code === 'ACCESS_DENIED'
			? 'Give the app behind the access token the scope named in the message, then reinstall it on the store.'
			: undefined;
	return new PlatformError('Shopify', message, 200, code, hint);
}

function httpError(status: number, body: GraphqlBody, raw: unknown): PlatformError {
	let message: string;
	if (typeof body.errors === 'string') message = body.errors;
	else if (Array.isArray(body.errors) && body.errors.length > 0) message = body.errors.map((e) => e.message).join('; ');
	else if (typeof raw === 'string' && raw.trim() && !raw.trimStart().startsWith('<')) message = raw.trim().slice(0, 300);
	else message = `HTTP ${status}`;
	const hint = status === 402
		? 'The store is frozen (unpaid plan); the store owner must settle the bill.'
		: status === 423
			? 'The store is locked by Shopify; the store owner must contact Shopify support.'
			: hintForStatus(status, SHOPIFY_CREDENTIAL_NAME);
	return new PlatformError('Shopify', message, status, undefined, hint);
}

/** The userErrors of a mutation payload, as one PlatformError (or undefined when there are none). */
export function userErrorsOf(
	payload: { userErrors?: Array<{ field?: string[] | null; message: string; code?: string | null }> } | null | undefined,
	what: string,
): PlatformError | undefined {
	const userErrors = payload?.userErrors ?? [];
	if (userErrors.length === 0) return undefined;
	const message = userErrors
		.map((e) => (e.field && e.field.length > 0 ? `${e.field.join('.')}: ${e.message}` : e.message))
		.join('; ');
	return new PlatformError('Shopify', `${what} was refused: ${message}`, 200, userErrors[0].code ?? undefined);
}
