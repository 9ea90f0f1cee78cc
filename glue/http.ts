/**
 * The HttpTransport of platforms/http.ts, over n8n's `httpRequestWithAuthentication`: n8n applies the
 * credential (headers, query keys, OAuth refresh) so our code never handles a secret. Every HTTP status
 * comes back as a value for the platform client to judge; only a missing answer becomes NetworkError.
 */
import { sleep } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHttpRequestOptions, IPollFunctions } from 'n8n-workflow';
import { NOT_SENT_CODES, NetworkError } from '../platforms/http';
import type { Clock, HttpRequest, HttpResponse, HttpTransport } from '../platforms/http';

type Context = IExecuteFunctions | IPollFunctions;

const NETWORK_CODES = [...NOT_SENT_CODES, 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT', 'EPROTO', 'UND_ERR_SOCKET'];

/**
 * n8n 1.x wraps a network failure in a NodeApiError that keeps only its message for users (n8n-workflow's
 * node.error.ts), not the code: these are those messages, each with the code it stands for.
 */
const N8N_NETWORK_MESSAGES: Array<[RegExp, string]> = [
	[/service refused the connection/i, 'ECONNREFUSED'],
	[/connection to the server was closed unexpectedly/i, 'ECONNRESET'],
	[/connection cannot be established/i, 'ENOTFOUND'],
	[/connection timed out/i, 'ETIMEDOUT'],
	[/connection was aborted/i, 'ECONNABORTED'],
	[/host is unreachable/i, 'EHOSTUNREACH'],
	[/DNS server returned an error/i, 'EAI_AGAIN'],
];

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
			const humanized = N8N_NETWORK_MESSAGES.find(([pattern]) => pattern.test(text));
			if (humanized) return humanized[1];
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
 * How a credential with n8n's `preAuthentication` (a hidden, expirable access token obtained from longer-lived
 * keys, e.g. Amazon's Login with Amazon refresh token) is refreshed by this transport.
 */
export interface PreAuthenticationRefresh {
	/** The credential's hidden `expirable` property holding the access token. */
	tokenProperty: string;
	/** Whether an answer says the access token is no longer good (Amazon: 403 "The access token you provided has expired"). */
	expired(response: HttpResponse): boolean;
	/** The error when n8n could not get a token with the credential's keys; it names the credential, never a secret. */
	refused(cause: unknown): Error;
}

export interface TransportOptions {
	/** OAuth2 credential: a 401 refreshes the token through n8n (refreshOAuth2Token) and the request goes again. */
	oauth2?: boolean;
	/** preAuthentication credential: an expired-token answer makes n8n run preAuthentication again, and the request goes again. */
	preAuthentication?: PreAuthenticationRefresh;
}

/**
 * `credentialType` null sends without any credential: for downloads from a storage host (Shopify's bulk
 * results), which must never receive the store's token.
 */
export function n8nTransport(ctx: Context, credentialType: string | null, options: TransportOptions = {}): HttpTransport {
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
	// preAuthentication credentials: n8n runs preAuthentication again only when a request *throws* an expired
	// status (401 only in n8n 1.x), and ours never throw on a status; Amazon also says "expired" with a 403.
	// So the request is sent once more with the credential's data and its token property emptied
	// (`credentialsDecrypted`): n8n then runs preAuthentication (n8n 1.x and 2.x alike), stores the new token
	// in the credential, and signs this request with it. The same data, now holding the new token, signs every
	// later request of this transport; requests in flight meanwhile wait for the one refresh. An expired answer
	// was refused, not applied, so sending it again is safe for writes too.
	const pre = credentialType === null ? undefined : options.preAuthentication;
	let fresh: ICredentialDataDecryptedObject | undefined;
	let preRefreshing: Promise<boolean> | undefined;
	let preRefused = false;
	const resendWithNewToken = async (request: HttpRequest, answer: HttpResponse): Promise<HttpResponse> => {
		if (!pre || credentialType === null || preRefused) return answer;
		if (preRefreshing) return (await preRefreshing) ? sendOnce(request, fresh) : answer;
		let settle: (ok: boolean) => void = () => undefined;
		preRefreshing = new Promise<boolean>((resolve) => (settle = resolve));
		const data: ICredentialDataDecryptedObject = await ctx.getCredentials(credentialType).then((stored) => ({ ...stored, [pre.tokenProperty]: '' }), () => ({ [pre.tokenProperty]: '' }));
		const again = await sendOnce(request, data).then(
			(response) => response,
			(error: unknown) => (error instanceof NetworkError ? error : ((preRefused = true), pre.refused(error))),
		);
		if (data[pre.tokenProperty] && !(again instanceof Error)) fresh = data;
		preRefreshing = undefined;
		settle(!(again instanceof Error));
		if (again instanceof Error) return Promise.reject(again);
		return again;
	};
	const transport: HttpTransport = {
		async send(request: HttpRequest): Promise<HttpResponse> {
			const answer = await sendOnce(request, fresh).catch((error: unknown) => {
				// n8n runs preAuthentication itself when the stored token is empty; a refusal there names the credential too.
				if (pre && !(error instanceof NetworkError)) throw pre.refused(error);
				throw error;
			});
			if (pre && pre.expired(answer)) return resendWithNewToken(request, answer);
			if (answer.status !== 401 || !options.oauth2 || credentialType === null) return answer;
			const refreshed = await refreshToken(credentialType).then(() => true, () => false);
			return refreshed ? sendOnce(request) : answer;
		},
	};
	return transport;

	/** `credentials`: the credential's data to sign with instead of the stored one (preAuthentication refresh). */
	async function sendOnce(request: HttpRequest, credentials?: ICredentialDataDecryptedObject): Promise<HttpResponse> {
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
			: ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, httpOptions,
				credentials ? { credentialsDecrypted: { id: '', name: '', type: credentialType, data: credentials } } : oauth2);
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
