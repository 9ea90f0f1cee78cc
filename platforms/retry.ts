/**
 * The one retry policy of the pack. Reads (and writes the platform makes idempotent) are retried with
 * exponential backoff and full jitter on 408, 429, 5xx, HTML stand-in pages and network failures,
 * honouring Retry-After.
 * A write that may have been applied is never repeated blindly: it surfaces as UnknownOutcomeError so the
 * caller looks at the store before writing again (rule 4 of the product).
 */
import { NetworkError, headerValue } from './http';
import type { Clock, HttpRequest, HttpResponse, HttpTransport } from './http';

export interface RetryOptions {
	/** True for reads and idempotent writes: any transient failure may be retried. */
	idempotent: boolean;
	/** Attempts in all, first included. */
	maxAttempts?: number;
	baseDelayMs?: number;
	maxDelayMs?: number;
	/** Source of jitter in [0, 1); injected for deterministic tests. */
	random?: () => number;
	/**
	 * When every attempt was answered with a transient status (a 429 that never let up, a 503), resolve
	 * with that last answer instead of throwing, so the client reports it in the platform's own words.
	 */
	answerWhenExhausted?: boolean;
}

/** A write was sent and no reliable answer came back: it may or may not have been applied. */
export class UnknownOutcomeError extends Error {
	constructor(
		readonly request: Pick<HttpRequest, 'method' | 'url'>,
		readonly cause: unknown,
	) {
		super(
			`${request.method} ${new URL(request.url).pathname} may have been applied: the store did not answer (${describe(cause)}). ` +
				'It was not repeated blindly; look the result up before writing again.',
		);
		this.name = 'UnknownOutcomeError';
	}
}

/** Transient failures still failing after every attempt. */
export class RetriesExhaustedError extends Error {
	constructor(
		readonly attempts: number,
		readonly last: HttpResponse | NetworkError,
	) {
		super(`gave up after ${attempts} attempts: ${describe(last)}`);
		this.name = 'RetriesExhaustedError';
	}
}

function describe(failure: unknown): string {
	if (failure instanceof NetworkError) return `${failure.code}: ${failure.message}`;
	if (failure && typeof failure === 'object' && 'status' in failure) {
		const response = failure as HttpResponse;
		return `HTTP ${response.status}${response.status < 300 && isStandInPage(response) ? ', a web page instead of the API\'s JSON' : ''}`;
	}
	return String(failure);
}

export function isTransientStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

/**
 * An answer in HTML where the API answers JSON: a proxy's, CDN's or host's maintenance or error page,
 * often with status 200. It is not the API's answer, so it is as transient as a 503: a read is sent again,
 * and a write that got one may or may not have reached the store.
 */
export function isStandInPage(response: HttpResponse): boolean {
	if (typeof response.body !== 'string') return false;
	const type = headerValue(response, 'content-type') ?? '';
	return /html/i.test(type) || /^\s*</.test(response.body);
}

/**
 * Whether an answer means "try again later": a transient status, or a stand-in page with a success status
 * where JSON was asked for. A page with a 4xx (a firewall's 403, a theme's 404 for a wrong address) is an
 * answer: sending it again changes nothing, and the caller names the fix.
 */
function isTransient(request: HttpRequest, response: HttpResponse): boolean {
	return isTransientStatus(response.status) || (response.status < 300 && request.responseType !== 'text' && isStandInPage(response));
}

/** Milliseconds to wait per Retry-After (seconds or an HTTP date), if the answer carries one. */
export function retryAfterMs(response: HttpResponse, now: number): number | undefined {
	const value = headerValue(response, 'retry-after');
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffMs(attempt: number, options: RetryOptions): number {
	const base = options.baseDelayMs ?? 500;
	const cap = options.maxDelayMs ?? 30_000;
	const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
	return Math.round((options.random ?? Math.random)() * ceiling);
}

/**
 * Sends `request`, retrying what is safe to retry. Resolves with the first non-transient answer (which
 * may be a 4xx for the caller to turn into an error). For a non-idempotent request only failures that
 * prove the request was not applied are retried: 429 (rejected by the rate limiter) and connections
 * refused before sending; anything else becomes UnknownOutcomeError.
 */
export async function sendWithRetry(
	transport: HttpTransport,
	request: HttpRequest,
	clock: Clock,
	options: RetryOptions,
): Promise<HttpResponse> {
	const maxAttempts = options.maxAttempts ?? 6;
	for (let attempt = 1; ; attempt++) {
		const outcome = await transport.send(request).then((response) => response, onlyNetworkErrors);
		if (outcome instanceof NetworkError) {
			if (!options.idempotent && outcome.maybeSent) throw new UnknownOutcomeError(request, outcome);
		} else if (!isTransient(request, outcome)) {
			return outcome;
		} else if (!options.idempotent && outcome.status !== 429) {
			throw new UnknownOutcomeError(request, outcome);
		}
		if (attempt >= maxAttempts) {
			if (options.answerWhenExhausted && !(outcome instanceof NetworkError)) return outcome;
			throw new RetriesExhaustedError(attempt, outcome);
		}
		const hinted = outcome instanceof NetworkError ? undefined : retryAfterMs(outcome, clock.now());
		await clock.sleep(hinted ?? backoffMs(attempt, options));
	}
}

/** Keeps network failures as values to decide on; any other error (a bug) propagates unchanged. */
function onlyNetworkErrors(error: unknown): NetworkError {
	if (error instanceof NetworkError) return error;
	return Promise.reject(error) as never;
}
