/**
 * The HttpTransport of platforms/http.ts, over n8n's `httpRequestWithAuthentication`: n8n applies the
 * credential (headers, query keys, OAuth refresh) so our code never handles a secret. Every HTTP status
 * comes back as a value for the platform client to judge; only a missing answer becomes NetworkError.
 */
import { sleep } from 'n8n-workflow';
import type { IExecuteFunctions, IHttpRequestOptions, IPollFunctions } from 'n8n-workflow';
import { NOT_SENT_CODES, NetworkError } from '../platforms/http';
import type { Clock, HttpRequest, HttpResponse, HttpTransport } from '../platforms/http';

type Context = IExecuteFunctions | IPollFunctions;

const NETWORK_CODES = [...NOT_SENT_CODES, 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT', 'EPROTO', 'UND_ERR_SOCKET'];

/** Finds the network error code in whatever n8n wrapped around it (NodeApiError → axios error → cause). */
function networkCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const record = current as { code?: unknown; message?: unknown; cause?: unknown; description?: unknown };
		if (typeof record.code === 'string' && NETWORK_CODES.includes(record.code)) return record.code;
		for (const text of [record.message, record.description]) {
			if (typeof text !== 'string') continue;
			const found = NETWORK_CODES.find((code) => text.includes(code));
			if (found) return found;
			if (/timeout of \d+ms exceeded|socket hang up/i.test(text)) return 'ETIMEDOUT';
		}
		current = record.cause;
	}
	return undefined;
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (headers && typeof headers === 'object') {
		for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
			out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
		}
	}
	return out;
}

function toNetworkError(error: unknown): NetworkError {
	const code = networkCode(error);
	if (code === undefined) return Promise.reject(error) as never;
	return new NetworkError(`no answer from the store (${code})`, code, !NOT_SENT_CODES.has(code));
}

/**
 * `credentialType` null sends without any credential: for downloads from a storage host (Shopify's bulk
 * results), which must never receive the store's token.
 */
export function n8nTransport(ctx: Context, credentialType: string | null, options: { oauth2?: boolean } = {}): HttpTransport {
	// n8n refreshes an OAuth2 token only when a request throws on 401, and ours never throw on a status
	// (the client judges every answer): so a 401 refreshes the token here, once for all requests in flight,
	// and the request goes again. A 401 was not applied, so sending it again is safe for writes too.
	// Signed as a bearer token whatever the token endpoint calls it (eBay answers "User Access Token",
	// which n8n would otherwise put in the query string, where eBay refuses it).
	const oauth2 = options.oauth2 ? { oauth2: { tokenType: 'Bearer' } } : undefined;
	let refreshing: Promise<unknown> | undefined;
	const refreshToken = (type: string) => {
		refreshing ??= ctx.helpers.refreshOAuth2Token.call(ctx, type, oauth2?.oauth2).finally(() => {
			refreshing = undefined;
		});
		return refreshing;
	};
	const transport: HttpTransport = {
		async send(request: HttpRequest): Promise<HttpResponse> {
			const answer = await sendOnce(request);
			if (answer.status !== 401 || !options.oauth2 || credentialType === null) return answer;
			const refreshed = await refreshToken(credentialType).then(() => true, () => false);
			return refreshed ? sendOnce(request) : answer;
		},
	};
	return transport;

	async function sendOnce(request: HttpRequest): Promise<HttpResponse> {
		const qs: Record<string, string | number | boolean> = {};
		for (const [key, value] of Object.entries(request.qs ?? {})) if (value !== undefined) qs[key] = value;
		const httpOptions: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			qs,
			headers: { accept: 'application/json', ...(request.headers ?? {}) },
			body: request.body as IHttpRequestOptions['body'],
			json: request.responseType !== 'text',
			...(request.responseType === 'text' ? { encoding: 'text' as const } : {}),
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: request.timeoutMs ?? 60_000,
		};
		const sent = credentialType === null
			? ctx.helpers.httpRequest(httpOptions)
			: ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, httpOptions, oauth2);
		const outcome = await sent
			.then((response: unknown) => response as { statusCode: number; headers: unknown; body: unknown }, toNetworkError);
		if (outcome instanceof NetworkError) throw outcome;
		return { status: outcome.statusCode, headers: lowerCaseHeaders(outcome.headers), body: outcome.body };
	}
}

/** n8n's sleep (setTimeout is not allowed in community nodes) and the wall clock. */
export const n8nClock: Clock = {
	sleep: (ms: number) => sleep(ms),
	now: () => Date.now(),
};
