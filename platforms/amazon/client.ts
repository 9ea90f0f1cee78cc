/**
 * The one Amazon Selling Partner API client of the pack: Orders 2026-01-01 (searchOrders, getOrder),
 * Orders v0 (confirmShipment only) and Listings Items 2021-08-01.
 *
 * Authentication: n8n applies the credential (CommerceSyncAmazonSpApi): a Login with Amazon access token
 * obtained from the refresh token in the credential's preAuthentication, sent as `x-amz-access-token`.
 * SP-API has needed no AWS SigV4 signature since October 2023. An expired token is answered 403
 * ("The access token you provided has expired"); the n8n transport refreshes it once and resends
 * (glue/http.ts, `isExpiredTokenAnswer` below); what still comes back is reported naming the credential.
 *
 * Limits: every SP-API operation has its own token bucket (rate per second, burst), documented in each
 * operation's "Usage Plan" table and confirmed per answer in `x-amzn-RateLimit-Limit`. Requests are paced
 * per operation below the retry policy (so retries are paced too): a bucket starts full at the documented
 * burst, refills at the documented rate (or the rate Amazon's header names, which may be higher for this
 * seller), and a 429 empties it. A wait longer than `maxWaitMs` stops the run with a clear error instead
 * of sleeping for many minutes. Reads are retried per the pack's retry rule; writes (confirmShipment,
 * patchListingsItem) are retried only on 429 (the limiter refused them), a lost answer becomes
 * UnknownOutcomeError so the caller looks before writing again.
 */
import { PlatformError } from '../errors';
import { headerValue } from '../http';
import type { Clock, HttpMethod, HttpRequest, HttpResponse, HttpTransport } from '../http';
import { sendWithRetry } from '../retry';

/** The credential's display name, as users see it in n8n: every hint names it. */
export const AMAZON_CREDENTIAL_NAME = 'Commerce Sync Amazon Selling Partner API';

/** SP-API regional endpoints (developer-docs.amazon.com/sp-api/docs/sp-api-endpoints). */
export const AMAZON_REGIONS: Record<string, string> = {
	na: 'https://sellingpartnerapi-na.amazon.com',
	eu: 'https://sellingpartnerapi-eu.amazon.com',
	fe: 'https://sellingpartnerapi-fe.amazon.com',
};

/** Login with Amazon's token endpoint, the same for every region. */
export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';

export const ORDERS_PATH = '/orders/2026-01-01/orders';
export const ORDERS_V0_PATH = '/orders/v0/orders';
export const LISTINGS_PATH = '/listings/2021-08-01/items';

/** The operations the pack calls, each with its own token bucket. */
export type AmazonOperation = 'searchOrders' | 'getOrder' | 'confirmShipment' | 'getListingsItem' | 'searchListingsItems' | 'patchListingsItem';

export interface UsagePlan {
	/** Requests per second restored to the bucket. */
	rate: number;
	burst: number;
}

/**
 * Default usage plans: searchOrders and getOrder from the 2026-01-01 spec, confirmShipment from the v0 spec
 * (both in shared/reference/specs), the Listings Items operations from Amazon's public Listings Items
 * 2021-08-01 reference (no spec file is kept in shared/reference for it).
 */
export const USAGE_PLANS: Record<AmazonOperation, UsagePlan> = {
	searchOrders: { rate: 0.0056, burst: 20 },
	getOrder: { rate: 0.5, burst: 30 },
	confirmShipment: { rate: 2, burst: 10 },
	getListingsItem: { rate: 5, burst: 10 },
	searchListingsItems: { rate: 5, burst: 5 },
	patchListingsItem: { rate: 5, burst: 5 },
};

/** searchOrders takes 1–100 orders per page. */
export const AMAZON_MAX_ORDERS_PER_PAGE = 100;
/** A wait for a request token longer than this stops the run (searchOrders restores one token every ~179 s). */
export const AMAZON_MAX_WAIT_MS = 200_000;

export type Query = Record<string, string | number | boolean | undefined>;

export interface AmazonError {
	code?: string;
	message?: string;
	details?: string;
}

export interface AmazonRequestOptions {
	qs?: Query;
	body?: unknown;
	/** Not idempotent (confirms a shipment, changes a listing): a lost answer becomes UnknownOutcomeError. */
	write?: boolean;
	/** Answers with these statuses are returned to the caller instead of thrown (a 404 looked up). */
	accept?: number[];
}

export interface AmazonConnection {
	/** 'na', 'eu', 'fe', or 'custom' with `baseUrl`. */
	region: string;
	baseUrl?: string;
	/** Marketplace ids, comma or space separated as typed in the credential. */
	marketplaceIds: string;
	/** The merchant token (Seller Central, Settings, Account Info, Merchant Token); Listings Items need it. */
	sellerId?: string;
}

/** The API root for the credential's region, or its custom base URL (a proxy or the simulator). */
export function amazonBaseUrl(region: string, customBaseUrl?: string): string {
	if (region === 'custom') {
		const custom = (customBaseUrl ?? '').trim().replace(/\/+$/, '');
		if (!custom) {
			throw new PlatformError('Amazon', 'the credential\'s region is Custom but its Base URL is empty', undefined, 'commerce_sync_config', `Set Base URL in the "${AMAZON_CREDENTIAL_NAME}" credential.`);
		}
		return custom;
	}
	return AMAZON_REGIONS[region] ?? AMAZON_REGIONS.na;
}

/** The marketplace ids of the credential; at least one is needed (searchOrders and Listings Items both ask). */
export function amazonMarketplaceIds(text: string): string[] {
	const ids = [...new Set(String(text ?? '').split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
	if (ids.length === 0) {
		throw new PlatformError('Amazon', 'the credential names no marketplace', undefined, 'commerce_sync_config',
			`Put the marketplace ids to sync in "${AMAZON_CREDENTIAL_NAME}", e.g. ATVPDKIKX0DER for Amazon.com or A1PA6795UKMFR9 for Amazon.de.`);
	}
	return ids;
}

/** The seller account in cursors, push keys and on orders: the merchant token, else the API host. */
export function amazonStoreId(baseUrl: string, sellerId?: string): string {
	const id = (sellerId ?? '').trim();
	return id || new URL(baseUrl).host;
}

export function amazonErrors(body: unknown): AmazonError[] {
	if (typeof body !== 'object' || body === null) return [];
	const errors = (body as { errors?: unknown }).errors;
	return Array.isArray(errors) ? errors.filter((e): e is AmazonError => typeof e === 'object' && e !== null) : [];
}

/**
 * Whether an answer says the access token is no longer good: 401, or 403 whose error talks about the
 * access token ("The access token you provided has expired", "... is revoked, malformed or invalid").
 * A 403 for a missing role ("Access to requested resource is denied." alone) is not a token problem.
 */
export function isExpiredTokenAnswer(response: Pick<HttpResponse, 'status' | 'body'>): boolean {
	if (response.status === 401) return true;
	if (response.status !== 403) return false;
	return amazonErrors(response.body).some((e) => /access token|expired/i.test(`${e.message ?? ''} ${e.details ?? ''}`));
}

/**
 * Login with Amazon refused to give an access token for the credential's refresh token (revoked, expired
 * after the app's authorization lapsed, or a wrong client id or secret). LWA's answer is left out: its
 * request carried the secrets, so nothing of it is repeated here.
 */
export function amazonTokenRefused(cause: unknown): PlatformError {
	const status = typeof cause === 'object' && cause !== null && 'httpCode' in cause ? Number((cause as { httpCode?: unknown }).httpCode) : undefined;
	return new PlatformError('Amazon', `Login with Amazon gave no access token for the credential "${AMAZON_CREDENTIAL_NAME}"${status ? ` (HTTP ${status})` : ''}`, 401, 'LWA_REFRESH_REFUSED',
		`Authorize the app again in Seller Central and put the new refresh token in "${AMAZON_CREDENTIAL_NAME}"; check its client id and secret too.`);
}

/** SP-API's `{ errors: [{ code, message, details }] }` as a PlatformError in the user's words. */
export function amazonError(response: HttpResponse, path: string, operation?: AmazonOperation): PlatformError {
	const errors = amazonErrors(response.body);
	const first = errors[0];
	const text = (e: AmazonError) => [e.message, e.details].filter((s) => s && s.trim()).join(' ');
	let hint: string | undefined;
	if (isExpiredTokenAnswer(response)) {
		hint = `n8n could not get a new access token with the refresh token in "${AMAZON_CREDENTIAL_NAME}": authorize the app again in Seller Central and put the new refresh token in the credential, and check its client id and secret.`;
	} else if (response.status === 403) {
		hint = `The app in "${AMAZON_CREDENTIAL_NAME}" lacks a role this operation needs (Inventory and Order Tracking for orders and shipments, Product Listing for listings), or the seller did not authorize it for this region.`;
	} else if (response.status === 429) {
		hint = `Amazon's rate limit for ${operation ?? 'this operation'} is used up; the next run continues, or ask Amazon for a higher usage plan.`;
	}
	if (first && (first.message || first.details)) {
		const message = errors.map(text).filter(Boolean).join('; ');
		return new PlatformError('Amazon', message, response.status, first.code, hint);
	}
	const looksLikeHtml = typeof response.body === 'string' && response.body.trimStart().startsWith('<');
	return new PlatformError('Amazon', looksLikeHtml ? `${path} answered with an HTML page (HTTP ${response.status})` : `HTTP ${response.status} from ${path}`, response.status, first?.code, hint);
}

/**
 * Our bucket refills a little slower than Amazon's: requests reach Amazon later than they leave here, and
 * unevenly, so pacing at exactly the rate still meets 429s (about 300 per 10,000 patches in the benchmark),
 * each costing a back-off. 5 % under the rate costs 5 % at most.
 */
const PACE = 0.95;

interface Bucket {
	rate: number;
	burst: number;
	tokens: number;
	at: number;
}

/**
 * Token buckets per operation, as Amazon keeps them. One per client: Amazon counts per seller and app,
 * so another tool calling at the same time can still meet a 429, which empties our bucket and is waited out.
 */
export class AmazonRateLimiter {
	private readonly buckets = new Map<AmazonOperation, Bucket>();

	constructor(
		private readonly clock: Clock,
		private readonly plans: Record<AmazonOperation, UsagePlan> = USAGE_PLANS,
		private readonly maxWaitMs = AMAZON_MAX_WAIT_MS,
	) {}

	private bucket(operation: AmazonOperation): Bucket {
		let bucket = this.buckets.get(operation);
		if (!bucket) {
			const plan = this.plans[operation];
			bucket = { rate: plan.rate, burst: plan.burst, tokens: plan.burst, at: this.clock.now() };
			this.buckets.set(operation, bucket);
		}
		const now = this.clock.now();
		bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.at) / 1000) * bucket.rate * PACE);
		bucket.at = now;
		return bucket;
	}

	/** Tokens left for an operation now (tests). */
	tokens(operation: AmazonOperation): number {
		return this.bucket(operation).tokens;
	}

	/** Waits until the operation's bucket holds a token, and takes it. */
	async take(operation: AmazonOperation): Promise<void> {
		for (;;) {
			const bucket = this.bucket(operation);
			if (bucket.tokens >= 1) {
				bucket.tokens -= 1;
				return;
			}
			const wait = Math.ceil(((1 - bucket.tokens) / (bucket.rate * PACE)) * 1000);
			if (wait > this.maxWaitMs) {
				throw new PlatformError('Amazon', `the rate limit of ${operation} (${bucket.rate} requests per second) leaves no request for ${Math.ceil(wait / 1000)} seconds`, 429, 'QuotaExceeded',
					'The next run continues where this one stopped; a smaller time window needs fewer requests.');
			}
			await this.clock.sleep(wait);
		}
	}

	/** Learns from an answer: the rate Amazon names for this seller, and an empty bucket on 429. */
	after(operation: AmazonOperation, response: HttpResponse): void {
		const bucket = this.bucket(operation);
		const named = Number(headerValue(response, 'x-amzn-ratelimit-limit'));
		if (Number.isFinite(named) && named > 0) bucket.rate = named;
		if (response.status === 429) bucket.tokens = Math.min(bucket.tokens, 0);
	}
}

export interface AmazonClientOptions {
	maxAttempts?: number;
	/** Usage plans to pace by (tests and sellers with raised limits). */
	plans?: Partial<Record<AmazonOperation, UsagePlan>>;
	maxWaitMs?: number;
}

export class AmazonClient {
	/** Requests sent, every attempt counted. */
	requests = 0;
	readonly limiter: AmazonRateLimiter;

	constructor(
		private readonly transport: HttpTransport,
		private readonly clock: Clock,
		readonly baseUrl: string,
		private readonly options: AmazonClientOptions = {},
	) {
		this.limiter = new AmazonRateLimiter(clock, { ...USAGE_PLANS, ...(options.plans ?? {}) }, options.maxWaitMs);
	}

	/** One call of `operation` to a path under the API root; resolves with the parsed body. */
	async request<T>(operation: AmazonOperation, method: HttpMethod, path: string, options: AmazonRequestOptions = {}): Promise<T> {
		return (await this.send(operation, method, path, options)).body as T;
	}

	async send(operation: AmazonOperation, method: HttpMethod, path: string, options: AmazonRequestOptions = {}): Promise<HttpResponse> {
		const url = `${this.baseUrl}${path}`;
		// Pacing sits below the retry policy, so every attempt, retries included, waits for its token.
		const paced: HttpTransport = {
			send: async (request: HttpRequest): Promise<HttpResponse> => {
				await this.limiter.take(operation);
				this.requests++;
				const response = await this.transport.send(request);
				this.limiter.after(operation, response);
				return response;
			},
		};
		const response = await sendWithRetry(
			paced,
			{
				method, url, qs: options.qs ? { ...options.qs } : undefined, body: options.body,
				headers: options.body !== undefined ? { 'content-type': 'application/json' } : undefined,
			},
			this.clock,
			{ idempotent: !options.write, maxAttempts: this.options.maxAttempts ?? 6, answerWhenExhausted: true },
		);
		if ((response.status >= 200 && response.status < 300) || options.accept?.includes(response.status)) return response;
		throw amazonError(response, new URL(url).pathname, operation);
	}
}
