/**
 * The one Etsy Open API v3 client of the pack (https://developers.etsy.com/documentation/).
 *
 * Authentication: n8n signs every request with the OAuth2 bearer token (credential
 * CommerceSyncEtsyOAuth2Api, authorization code with PKCE) and refreshes it on a 401. Etsy also wants
 * the app's key on every request in `x-api-key` (the spec's `api_key` security scheme); since 2025
 * Etsy asks for `keystring:shared_secret` there, which is what `etsyApiKey` builds (the keystring alone
 * when no shared secret is given, for apps created before the change). n8n's OAuth2 signing applies no
 * other header, so the key is handed to the client and sent here; it never appears in an error message.
 *
 * Limits: 10 requests per second and a daily quota per app. Requests are paced below 10 per second, or
 * below the limit Etsy names for the app in `x-limit-per-second` (a sliding window, plus Etsy's own
 * `x-remaining-this-second`), a 429 is waited out per `retry-after`
 * by the pack's retry policy, and when `x-remaining-today` reaches 0 the client stops with a clear
 * error instead of waiting hours or spinning.
 */
import { PlatformError, hintForStatus } from '../errors';
import { headerValue } from '../http';
import type { Clock, HttpMethod, HttpRequest, HttpResponse, HttpTransport } from '../http';
import { sendWithRetry } from '../retry';

/** The credential's display name, as users see it in n8n: every hint names it. */
export const ETSY_CREDENTIAL_NAME = 'Commerce Sync Etsy OAuth2 API';
/** The production API host (the spec's only server). */
export const ETSY_API_URL = 'https://openapi.etsy.com';
/** Etsy caps `limit` at 100 on every list endpoint. */
export const ETSY_MAX_LIMIT = 100;
/** Etsy allows 10 requests per second per app. */
export const ETSY_PER_SECOND = 10;
/** A Retry-After longer than this is Etsy's daily quota talking: the run stops instead of sleeping for hours. */
export const ETSY_MAX_WAIT_MS = 120_000;

export type Query = Record<string, string | number | boolean | undefined>;

export interface EtsyRequestOptions {
	qs?: Query;
	body?: unknown;
	/** Not idempotent (tracking creates a shipment and emails the buyer): a lost answer becomes UnknownOutcomeError. */
	write?: boolean;
}

/** The `x-api-key` value: `keystring:shared_secret` as Etsy asks since 2025, or the keystring alone. */
export function etsyApiKey(keystring: string, sharedSecret?: string): string {
	const key = keystring.trim();
	const secret = (sharedSecret ?? '').trim();
	return secret ? `${key}:${secret}` : key;
}

/** The API root for a credential: production, or a custom base URL (a proxy or the simulator). */
export function etsyBaseUrl(environment: string | undefined, customUrl: string | undefined): string {
	if (environment === 'custom' && customUrl && customUrl.trim()) return customUrl.trim().replace(/\/+$/, '');
	return ETSY_API_URL;
}

/** The daily quota is spent: waiting inside a workflow run cannot help. */
export function quotaExhaustedError(resetHint: string): PlatformError {
	return new PlatformError(
		'Etsy',
		'the app\'s daily request quota is used up (x-remaining-today is 0)',
		429,
		'ETSY_DAILY_QUOTA',
		`Etsy resets the quota ${resetHint}; run the workflow again then, or ask Etsy for a higher limit for the app in "${ETSY_CREDENTIAL_NAME}".`,
	);
}

/**
 * Paces requests under Etsy's limits. One per client: Etsy counts per app, so two clients running at
 * once can still meet a 429, which the retry policy waits out (Etsy's `x-remaining-this-second` also
 * tells each client when the app's second is spent).
 */
class EtsyPacer {
	private readonly sent: number[] = [];
	private secondSpentUntil = 0;
	/** Requests per second: Etsy's 10, or the limit Etsy names for this app in `x-limit-per-second`. */
	perSecond = ETSY_PER_SECOND;
	remainingToday: number | undefined;

	constructor(private readonly clock: Clock) {}

	async before(): Promise<void> {
		if (this.remainingToday !== undefined && this.remainingToday <= 0) throw quotaExhaustedError('at midnight UTC, or 24 hours after the first request of the day');
		for (;;) {
			const now = this.clock.now();
			while (this.sent.length > 0 && this.sent[0] <= now - 1000) this.sent.shift();
			let wait = 0;
			if (this.sent.length >= this.perSecond) wait = this.sent[this.sent.length - this.perSecond] + 1000 - now;
			if (this.secondSpentUntil > now) wait = Math.max(wait, this.secondSpentUntil - now);
			if (wait <= 0) break;
			await this.clock.sleep(wait);
		}
		this.sent.push(this.clock.now());
	}

	after(response: HttpResponse): void {
		const today = Number(headerValue(response, 'x-remaining-today'));
		if (headerValue(response, 'x-remaining-today') !== undefined && Number.isFinite(today)) this.remainingToday = today;
		// An app Etsy granted a higher limit is told so on every answer; a lower one is kept to as well.
		const limit = Number(headerValue(response, 'x-limit-per-second'));
		if (Number.isInteger(limit) && limit > 0) this.perSecond = limit;
		const second = headerValue(response, 'x-remaining-this-second');
		if (second !== undefined && Number(second) <= 0) this.secondSpentUntil = this.clock.now() + 1000;
	}
}

export class EtsyClient {
	readonly base: string;
	/** Requests sent, every attempt counted (for tests and the quota-minded). */
	requests = 0;
	private readonly pacer: EtsyPacer;
	private readonly paced: HttpTransport;

	constructor(
		transport: HttpTransport,
		private readonly clock: Clock,
		private readonly apiKey: string,
		baseUrl: string = ETSY_API_URL,
	) {
		this.base = `${baseUrl.trim().replace(/\/+$/, '')}/v3/application`;
		this.pacer = new EtsyPacer(clock);
		// Pacing sits below the retry policy, so every attempt, retries included, is paced and counted.
		this.paced = {
			send: async (request: HttpRequest): Promise<HttpResponse> => {
				await this.pacer.before();
				this.requests++;
				const response = await transport.send(request);
				this.pacer.after(response);
				if (response.status === 429) {
					const today = headerValue(response, 'x-remaining-today');
					const retryAfter = Number(headerValue(response, 'retry-after'));
					// Thrown (not returned) so the retry policy does not sleep until tomorrow.
					if (today !== undefined && Number(today) <= 0) throw quotaExhaustedError(resetIn(retryAfter));
					if (Number.isFinite(retryAfter) && retryAfter * 1000 > ETSY_MAX_WAIT_MS) throw quotaExhaustedError(resetIn(retryAfter));
				}
				return response;
			},
		};
	}

	/** What is left of the app's daily quota, as Etsy last said. */
	get remainingToday(): number | undefined {
		return this.pacer.remainingToday;
	}

	/** One request to a path under /v3/application. */
	async request<T>(method: HttpMethod, path: string, options: EtsyRequestOptions = {}): Promise<T> {
		const response = await sendWithRetry(
			this.paced,
			{
				method,
				url: `${this.base}${path}`,
				// A fresh query object per request: nothing leaks from one call to the next.
				qs: options.qs ? { ...options.qs } : undefined,
				headers: { 'x-api-key': this.apiKey },
				body: options.body,
			},
			this.clock,
			{ idempotent: !options.write },
		);
		if (response.status >= 200 && response.status < 300 && typeof response.body === 'object' && response.body !== null) return response.body as T;
		throw etsyError(response, path);
	}
}

function resetIn(retryAfterSeconds: number): string {
	if (!Number.isFinite(retryAfterSeconds) || retryAfterSeconds <= 0) return 'within a day';
	const hours = Math.ceil(retryAfterSeconds / 3600);
	return `in about ${hours} hour${hours === 1 ? '' : 's'}`;
}

/** Etsy's `{ "error": "..." }` (and OAuth's `error_description`) as a PlatformError in the user's words. */
export function etsyError(response: HttpResponse, path: string): PlatformError {
	const body = response.body as { error?: unknown; error_description?: unknown } | string | null;
	const error = typeof body === 'object' && body !== null && typeof body.error === 'string' ? body.error : undefined;
	const description = typeof body === 'object' && body !== null && typeof body.error_description === 'string' ? body.error_description : undefined;
	if (response.status === 401) {
		return new PlatformError(
			'Etsy',
			`the access token was refused (${[error, description].filter(Boolean).join(': ') || 'HTTP 401'})`,
			401,
			error ?? 'invalid_token',
			`Reconnect the "${ETSY_CREDENTIAL_NAME}" credential: the token expired or was revoked and n8n could not refresh it.`,
		);
	}
	if (response.status === 403 && error !== undefined && /api key/i.test(error)) {
		return new PlatformError('Etsy', error, 403, 'ETSY_API_KEY',
			`Check the keystring and shared secret in "${ETSY_CREDENTIAL_NAME}": Etsy wants both (they are under Your Apps on etsy.com/developers).`);
	}
	if (error !== undefined) {
		return new PlatformError('Etsy', description ? `${error}: ${description}` : error, response.status, undefined, hintForStatus(response.status, ETSY_CREDENTIAL_NAME));
	}
	const looksLikeHtml = typeof body === 'string' && body.trimStart().startsWith('<');
	return new PlatformError(
		'Etsy',
		looksLikeHtml ? `${path} answered with an HTML page (HTTP ${response.status}), not the Open API` : `HTTP ${response.status} from ${path}`,
		response.status,
		undefined,
		hintForStatus(response.status, ETSY_CREDENTIAL_NAME),
	);
}
