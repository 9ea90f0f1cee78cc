/**
 * The HttpTransport of platforms/http.ts over Node's fetch, for testing clients against the simulators
 * outside n8n. It applies credentials the way n8n's credential types do (headers or query keys), and maps
 * a missing answer to NetworkError with the same "maybe sent" rule as glue/http.ts.
 */
import { NOT_SENT_CODES, NetworkError } from '../../platforms/http';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../platforms/http';

export interface TransportAuth {
	headers?: Record<string, string>;
	qs?: Record<string, string>;
}

export interface RecordingTransport extends HttpTransport {
	/** Every request sent, in order (URLs without credentials). */
	sent: HttpRequest[];
	/** Runs before each send; tests use it to change the store between pages. */
	beforeSend?: (request: HttpRequest, index: number) => void | Promise<void>;
}

function causeCode(error: unknown): string {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return (error as Error)?.name === 'TimeoutError' ? 'ETIMEDOUT' : 'ECONNRESET';
}

export function fetchTransport(auth: TransportAuth = {}): RecordingTransport {
	const transport: RecordingTransport = {
		sent: [],
		async send(request: HttpRequest): Promise<HttpResponse> {
			const index = transport.sent.length;
			transport.sent.push(request);
			await transport.beforeSend?.(request, index);
			const url = new URL(request.url);
			for (const [k, v] of Object.entries({ ...(request.qs ?? {}), ...(auth.qs ?? {}) })) {
				if (v !== undefined) url.searchParams.set(k, String(v));
			}
			const headers: Record<string, string> = { accept: 'application/json', ...(request.headers ?? {}), ...(auth.headers ?? {}) };
			let body: string | undefined;
			if (request.body !== undefined) {
				body = JSON.stringify(request.body);
				headers['content-type'] = 'application/json';
			}
			let response: Response;
			try {
				response = await fetch(url, { method: request.method, headers, body, signal: AbortSignal.timeout(request.timeoutMs ?? 10_000) });
			} catch (error) {
				const code = causeCode(error);
				throw new NetworkError(`no answer (${code})`, code, !NOT_SENT_CODES.has(code));
			}
			const text = await response.text();
			let parsed: unknown = text;
			if ((response.headers.get('content-type') ?? '').includes('json')) {
				try {
					parsed = text ? JSON.parse(text) : '';
				} catch {
					parsed = text;
				}
			}
			const out: Record<string, string> = {};
			response.headers.forEach((v, k) => (out[k.toLowerCase()] = v));
			return { status: response.status, headers: out, body: parsed };
		},
	};
	return transport;
}

/** Real time, counting how long the client chose to sleep. */
export function realClock(): { sleep(ms: number): Promise<void>; now(): number; slept: number } {
	const clock = {
		slept: 0,
		now: () => Date.now(),
		sleep: (ms: number) => {
			clock.slept += ms;
			return new Promise<void>((resolve) => setTimeout(resolve, ms));
		},
	};
	return clock;
}

/** Basic auth header value for WooCommerce keys. */
export function basic(user: string, password: string): string {
	return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
