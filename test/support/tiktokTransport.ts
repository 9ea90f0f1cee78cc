/**
 * A fetch transport that signs requests the way n8n does for the TikTok Shop credential: it runs the
 * credential's own `authenticate` on each request (the one signing code), then sends what it returned.
 */
import { CommerceSyncTikTokShopApi } from '../../credentials/CommerceSyncTikTokShopApi.credentials';
import { NOT_SENT_CODES, NetworkError } from '../../platforms/http';
import type { HttpRequest, HttpResponse } from '../../platforms/http';
import type { TikTokSimulator } from '../simulators/tiktok';
import { fetchTransport } from './fetchTransport';
import type { RecordingTransport } from './fetchTransport';

export interface TikTokCredentialData {
	environment: string;
	baseUrl: string;
	appKey: string;
	appSecret: string;
	refreshToken: string;
	shopCipher: string;
	accessToken: string;
	shippingProviders: string;
}

export function tiktokCredentialData(sim: TikTokSimulator, overrides: Partial<TikTokCredentialData> = {}): TikTokCredentialData {
	const tokens = sim.issueTokens();
	return {
		environment: 'custom', baseUrl: sim.url, appKey: sim.appKey, appSecret: sim.appSecret, refreshToken: tokens.refresh_token,
		shopCipher: sim.shopCipher, accessToken: tokens.access_token, shippingProviders: sim.providerMapping, ...overrides,
	};
}

export function tiktokTransport(credentials: TikTokCredentialData): RecordingTransport {
	const inner = fetchTransport();
	const credential = new CommerceSyncTikTokShopApi();
	const transport: RecordingTransport = {
		sent: inner.sent,
		async send(request: HttpRequest): Promise<HttpResponse> {
			await transport.beforeSend?.(request, inner.sent.length);
			const qs: Record<string, string | number | boolean> = {};
			for (const [k, v] of Object.entries(request.qs ?? {})) if (v !== undefined) qs[k] = v;
			const signed = await credential.authenticate({ ...credentials }, { method: request.method, url: request.url, qs, headers: { ...(request.headers ?? {}) }, body: request.body as string | undefined, json: true });
			return rawSend({ ...request, qs: signed.qs as HttpRequest['qs'], headers: signed.headers as Record<string, string> }, signed.body);
		},
	};
	async function rawSend(request: HttpRequest, body: unknown): Promise<HttpResponse> {
		inner.sent.push(request);
		const url = new URL(request.url);
		for (const [k, v] of Object.entries(request.qs ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
		let response: Response;
		try {
			response = await fetch(url, { method: request.method, headers: { accept: 'application/json', ...(request.headers ?? {}) }, body: typeof body === 'string' ? body : undefined, signal: AbortSignal.timeout(request.timeoutMs ?? 10_000) });
		} catch (error) {
			// The same "maybe sent" rule as fetchTransport and glue/http.ts.
			const code = ((error as { cause?: { code?: string } }).cause?.code) ?? 'ECONNRESET';
			throw new NetworkError(`no answer (${code})`, code, !NOT_SENT_CODES.has(code));
		}
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : '';
		} catch {
			parsed = text;
		}
		const headers: Record<string, string> = {};
		response.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
		return { status: response.status, headers, body: parsed };
	}
	return transport;
}
