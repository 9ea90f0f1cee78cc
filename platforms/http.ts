/**
 * The one seam between platform clients and the network. In n8n it is implemented over
 * `httpRequestWithAuthentication` (glue/http.ts), so credentials are applied by n8n and never touched by
 * our code; in tests it can be a plain fetch against a simulator. Clients never see credentials.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
	method: HttpMethod;
	/** Absolute URL without query string. */
	url: string;
	qs?: Record<string, string | number | boolean | undefined>;
	headers?: Record<string, string>;
	/** JSON-serialisable body. */
	body?: unknown;
	timeoutMs?: number;
	/** 'text' keeps the body as a string (JSONL downloads); default parses JSON. */
	responseType?: 'json' | 'text';
}

export interface HttpResponse {
	status: number;
	/** Lower-case header names. */
	headers: Record<string, string>;
	/** Parsed JSON when the answer was JSON, else the raw text. */
	body: unknown;
}

export interface HttpTransport {
	/** Resolves with any HTTP status; rejects with NetworkError when no HTTP answer arrived. */
	send(request: HttpRequest): Promise<HttpResponse>;
}

/**
 * No HTTP answer: refused, reset, timed out. `maybeSent` is false only when the request certainly never
 * reached the server (connection refused, DNS failure), which is what makes a write safe to repeat.
 */
export class NetworkError extends Error {
	constructor(
		message: string,
		readonly code: string,
		readonly maybeSent: boolean,
	) {
		super(message);
		this.name = 'NetworkError';
	}
}

/**
 * Network error codes that prove the request never left this machine (refused, name not resolved,
 * no route), which is what makes even a write safe to send again. Every transport uses this one list.
 */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Time, injected so clients can be tested without waiting and nodes can use n8n's `sleep`. */
export interface Clock {
	sleep(ms: number): Promise<void>;
	now(): number;
}

export function headerValue(response: HttpResponse, name: string): string | undefined {
	return response.headers[name.toLowerCase()];
}
