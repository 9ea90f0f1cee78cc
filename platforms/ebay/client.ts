/**
 * The one eBay Sell API client of the pack (Fulfillment v1 and Inventory v1, OAuth2 user token applied by
 * n8n). Reads and idempotent writes go through the pack's retry policy; a write that may have been applied
 * (a shipping fulfillment) surfaces as UnknownOutcomeError so the caller looks before writing again.
 * eBay's `{ errors: [{ errorId, domain, category, message, longMessage }] }` bodies become PlatformError with
 * eBay's own message; an expired or refused token names the credential to reconnect.
 */
import { PlatformError, hintForStatus } from '../errors';
import { sendWithRetry } from '../retry';
import type { Clock, HttpMethod, HttpResponse, HttpTransport } from '../http';

/** The credential's display name, as users see it in n8n (credentials/CommerceSyncEbayOAuth2Api.credentials.ts). */
export const EBAY_CREDENTIAL_NAME = 'Commerce Sync eBay OAuth2 API';

export const EBAY_PRODUCTION_URL = 'https://api.ebay.com';
export const EBAY_SANDBOX_URL = 'https://api.sandbox.ebay.com';
export const FULFILLMENT_PATH = '/sell/fulfillment/v1';
export const INVENTORY_PATH = '/sell/inventory/v1';

/** getOrders refuses a `limit` above 200 (error 31100). */
export const EBAY_MAX_ORDERS_PER_PAGE = 200;
/** getInventoryItems takes 1–200 per page. */
export const EBAY_MAX_ITEMS_PER_PAGE = 200;
/** bulkUpdatePriceQuantity takes at most 25 requests per call. */
export const EBAY_MAX_BULK = 25;

/** eBay's "Invalid access token" (401) and "Too many requests" (429) error ids. */
export const EBAY_INVALID_TOKEN = 1001;
export const EBAY_TOO_MANY_REQUESTS = 2001;

export type EbayEnvironment = 'production' | 'sandbox' | 'custom';

export type Query = Record<string, string | number | boolean | undefined>;

export interface EbayError {
	errorId?: number;
	domain?: string;
	category?: string;
	message?: string;
	longMessage?: string;
	parameters?: Array<{ name?: string; value?: string }>;
}

export interface EbayRequestOptions {
	qs?: Query;
	body?: unknown;
	/** Not idempotent (creates something): a lost answer becomes UnknownOutcomeError. */
	write?: boolean;
}

/** The API root for the credential's environment: production, sandbox, or a custom base URL (the simulator, a proxy). */
export function ebayBaseUrl(environment: string, customBaseUrl?: string): string {
	if (environment === 'sandbox') return EBAY_SANDBOX_URL;
	if (environment === 'custom') {
		const custom = (customBaseUrl ?? '').trim().replace(/\/+$/, '');
		if (!custom) throw new PlatformError('eBay', 'the credential\'s environment is Custom but its Base URL is empty', undefined, 'commerce_sync_config', `Set Base URL in the "${EBAY_CREDENTIAL_NAME}" credential.`);
		return custom;
	}
	return EBAY_PRODUCTION_URL;
}

/**
 * Identifies the eBay account in cursors, push keys and on orders. The API does not name the seller
 * without another call and scope, so the credential's Seller Name is used when given, else the API host
 * (one seller per environment is the common case).
 */
export function ebayStoreId(baseUrl: string, sellerName?: string): string {
	const name = (sellerName ?? '').trim();
	return name || new URL(baseUrl).host;
}

export class EbayClient {
	requests = 0;

	constructor(
		private readonly transport: HttpTransport,
		private readonly clock: Clock,
		readonly baseUrl: string,
		/** Attempts per request for transient failures (tests lower it). */
		private readonly maxAttempts = 6,
	) {}

	/** One request to a path under the API root (e.g. `/sell/fulfillment/v1/order`). */
	async request<T>(method: HttpMethod, path: string, options: EbayRequestOptions = {}): Promise<T> {
		return (await this.send(method, path, options)).body as T;
	}

	/** The whole answer, for headers such as Location. */
	async send(method: HttpMethod, path: string, options: EbayRequestOptions = {}): Promise<HttpResponse> {
		const url = /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
		this.requests++;
		const response = await sendWithRetry(
			this.transport,
			{
				method, url, qs: options.qs ? { ...options.qs } : undefined, body: options.body,
				// eBay's POST and PUT calls require the Content-Type header.
				headers: options.body !== undefined ? { 'content-type': 'application/json' } : undefined,
			},
			this.clock,
			{ idempotent: !options.write, maxAttempts: this.maxAttempts, answerWhenExhausted: true },
		);
		if (response.status >= 200 && response.status < 300) return response;
		throw ebayError(response, new URL(url).pathname);
	}
}

export function ebayErrors(body: unknown): EbayError[] {
	if (typeof body !== 'object' || body === null) return [];
	const errors = (body as { errors?: unknown }).errors;
	return Array.isArray(errors) ? errors.filter((e): e is EbayError => typeof e === 'object' && e !== null) : [];
}

export function ebayError(response: HttpResponse, path: string): PlatformError {
	const errors = ebayErrors(response.body);
	const first = errors[0];
	const code = first?.errorId !== undefined ? String(first.errorId) : undefined;
	let hint = hintForStatus(response.status, EBAY_CREDENTIAL_NAME);
	if (response.status === 401) {
		hint = `Reconnect the "${EBAY_CREDENTIAL_NAME}" credential: eBay refused its access token (expired, revoked, or issued for another environment).`;
	} else if (response.status === 403) {
		hint = `Reconnect the "${EBAY_CREDENTIAL_NAME}" credential with the sell.fulfillment and sell.inventory scopes.`;
	} else if (response.status === 429) {
		hint = 'eBay\'s daily call limit for this API is used up; it resets daily, or ask eBay for a higher limit (Application Growth Check).';
	} else if (response.status === 404) {
		hint = undefined;
	}
	if (first?.message) {
		const more = errors.slice(1).map((e) => e.message).filter(Boolean);
		const message = [first.message, ...more].join('; ');
		return new PlatformError('eBay', message, response.status, code, hint);
	}
	const looksLikeHtml = typeof response.body === 'string' && response.body.trimStart().startsWith('<');
	return new PlatformError('eBay', looksLikeHtml ? `${path} answered with an HTML page (HTTP ${response.status})` : `HTTP ${response.status} from ${path}`, response.status, code, hint);
}
