/**
 * The one TikTok Shop Open API client of the pack. n8n signs every request (credentials/
 * CommerceSyncTikTokShopApi: app_key, timestamp, shop_cipher, sign, x-tts-access-token); this client
 * never sees a secret.
 *
 * Every answer is TikTok's envelope `{ code, message, request_id, data }`: code 0 is success, whatever
 * the HTTP status says. Throttling (HTTP 429, or code 36009004 in any answer) is backed off by the
 * pack's retry policy, honouring Retry-After; so are TikTok's "internal error, please try again" and
 * 5xx for reads and searches. A write that may have been applied (ship a package, set stock) is never
 * sent again blindly: a lost answer surfaces as UnknownOutcomeError so the caller looks first. Any other
 * code becomes a PlatformError with TikTok's message and a hint; an expired token or a refused signature
 * names the credential.
 */
import { PlatformError, hintForStatus } from '../errors';
import type { Clock, HttpMethod, HttpRequest, HttpResponse, HttpTransport } from '../http';
import { sendWithRetry } from '../retry';
import { TIKTOK_CODES, TIKTOK_CREDENTIAL_NAME, TIKTOK_PLATFORM } from './constants';

export type Query = Record<string, string | number | boolean | undefined>;

export interface TikTokEnvelope<T> {
	code?: number;
	message?: string;
	request_id?: string;
	data?: T;
}

export interface TikTokRequestOptions {
	qs?: Query;
	body?: unknown;
	/** Not idempotent, or not safe to repeat blindly: a lost answer becomes UnknownOutcomeError. */
	write?: boolean;
}

function envelopeCode(body: unknown): number | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const code = (body as { code?: unknown }).code;
	return typeof code === 'number' ? code : typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : undefined;
}

/**
 * TikTok may say "throttled" or "internal error, try again" in the envelope of an HTTP 200: such an
 * answer is given the status the retry policy understands (429, 503), so one policy decides.
 */
function envelopeStatuses(transport: HttpTransport): HttpTransport {
	return {
		async send(request: HttpRequest): Promise<HttpResponse> {
			const response = await transport.send(request);
			const code = envelopeCode(response.body);
			if (code === TIKTOK_CODES.throttled && response.status < 400) return { ...response, status: 429 };
			if (code === TIKTOK_CODES.internalError && response.status < 400) return { ...response, status: 503 };
			return response;
		},
	};
}

export class TikTokClient {
	/** Requests sent, retries included (tests). */
	requests = 0;
	private readonly transport: HttpTransport;

	constructor(
		transport: HttpTransport,
		private readonly clock: Clock,
		readonly baseUrl: string,
		/** Attempts per request for transient failures (tests lower it). */
		private readonly maxAttempts = 6,
	) {
		const counted: HttpTransport = {
			send: (request) => {
				this.requests++;
				return transport.send(request);
			},
		};
		this.transport = envelopeStatuses(counted);
	}

	/** One call; resolves with `data` of a code-0 envelope. */
	async request<T>(method: HttpMethod, path: string, options: TikTokRequestOptions = {}): Promise<T> {
		const response = await sendWithRetry(
			this.transport,
			{
				method,
				url: `${this.baseUrl}${path}`,
				// A fresh query object per request: nothing leaks from one call to the next.
				qs: options.qs ? { ...options.qs } : undefined,
				body: options.body,
				headers: options.body !== undefined ? { 'content-type': 'application/json' } : undefined,
			},
			this.clock,
			{ idempotent: !options.write, maxAttempts: this.maxAttempts, answerWhenExhausted: true },
		);
		const code = envelopeCode(response.body);
		if (response.status >= 200 && response.status < 300 && code === TIKTOK_CODES.ok) {
			return ((response.body as TikTokEnvelope<T>).data ?? ({} as T));
		}
		throw tiktokError(response, path);
	}
}

/** TikTok's envelope (or whatever answered instead) as a PlatformError in the user's words. */
export function tiktokError(response: HttpResponse, path: string): PlatformError {
	const body = response.body as TikTokEnvelope<unknown> | string | null;
	const code = envelopeCode(body);
	const message = typeof body === 'object' && body !== null && typeof body.message === 'string' && body.message ? body.message : undefined;
	const requestId = typeof body === 'object' && body !== null && typeof body.request_id === 'string' ? body.request_id : undefined;
	const credential = `"${TIKTOK_CREDENTIAL_NAME}"`;
	let hint: string | undefined;
	if (code === TIKTOK_CODES.expiredToken) {
		hint = `The access token of the ${credential} credential has expired and n8n did not renew it: check that its Refresh Token is still valid (TikTok's refresh tokens expire too), or authorize the app for the shop again and put the new refresh token in the credential.`;
	} else if (code === TIKTOK_CODES.invalidToken) {
		hint = `TikTok Shop refused the access token of the ${credential} credential (revoked, or issued for another app): authorize the app for the shop again and put the new refresh token in the credential.`;
	} else if (code === TIKTOK_CODES.invalidSign) {
		hint = `TikTok Shop could not verify the request signature: check the App Key and App Secret in the ${credential} credential (they must be the same app's).`;
	} else if (code === TIKTOK_CODES.invalidTimestamp) {
		hint = 'TikTok Shop refused the request time: check the clock of the machine n8n runs on (it must be within a few minutes of the real time).';
	} else if (code === TIKTOK_CODES.throttled || response.status === 429) {
		hint = 'TikTok Shop kept throttling the app after several waits; run the workflow again later, or read fewer orders per run.';
	} else if (response.status === 401 || response.status === 403) {
		hint = hintForStatus(response.status, TIKTOK_CREDENTIAL_NAME);
	}
	if (message !== undefined || code !== undefined) {
		const text = `${message ?? 'TikTok Shop refused the request'}${code !== undefined ? ` (code ${code}` : ''}${requestId ? `, request ${requestId}` : ''}${code !== undefined ? ')' : ''}`;
		return new PlatformError(TIKTOK_PLATFORM, text, response.status, code !== undefined ? String(code) : undefined, hint);
	}
	const looksLikeHtml = typeof body === 'string' && body.trimStart().startsWith('<');
	return new PlatformError(
		TIKTOK_PLATFORM,
		looksLikeHtml ? `${path} answered with an HTML page (HTTP ${response.status}), not the Open API` : `HTTP ${response.status} from ${path}`,
		response.status,
		undefined,
		hint ?? hintForStatus(response.status, TIKTOK_CREDENTIAL_NAME),
	);
}

/** TikTok's answer for an expired access token (HTTP 401, code 105002): the glue renews it through n8n and sends again. */
export function isTikTokExpiredAnswer(response: HttpResponse): boolean {
	return envelopeCode(response.body) === TIKTOK_CODES.expiredToken;
}

/** n8n could not get an access token with the credential's refresh token: say so, naming the credential, never a secret. */
export function tiktokTokenRefused(cause: unknown): PlatformError {
	const said = cause instanceof Error ? cause.message : String(cause);
	// The credential's preAuthentication message already carries TikTok's code and words.
	const detail = said.includes(TIKTOK_CREDENTIAL_NAME) ? said.slice(said.indexOf(TIKTOK_CREDENTIAL_NAME) + TIKTOK_CREDENTIAL_NAME.length).replace(/^[:\s]+/, '') : said;
	return new PlatformError(TIKTOK_PLATFORM, `could not renew the access token: ${detail}`, 401, 'TIKTOK_TOKEN_REFUSED',
		`Authorize the app for the shop again in TikTok Shop and put the new refresh token in the "${TIKTOK_CREDENTIAL_NAME}" credential.`);
}
