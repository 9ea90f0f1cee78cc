/**
 * The one WooCommerce REST v3 client of the pack (https://woocommerce.github.io/woocommerce-rest-api-docs/).
 * Every request gets its own query object (n8n's built-in node once leaked `per_page` between items);
 * page pagination reads X-WP-TotalPages once, here; transient failures go through the pack's retry
 * policy; WooCommerce's `{ code, message }` error bodies become PlatformError with that message.
 */
import { PlatformError, hintForStatus } from '../errors';
import { sendWithRetry } from '../retry';
import { headerValue } from '../http';
import type { Clock, HttpMethod, HttpResponse, HttpTransport } from '../http';

export const WOO_CREDENTIAL_NAME = 'WooCommerce REST API';
/** WooCommerce caps `per_page` at 100. */
export const WOO_MAX_PER_PAGE = 100;
/** Batch endpoints accept 100 objects in all by default. */
export const WOO_MAX_BATCH = 100;

export type Query = Record<string, string | number | boolean | undefined>;

export interface WooRequestOptions {
	qs?: Query;
	body?: unknown;
	/** Not idempotent (POST that creates): a lost answer becomes UnknownOutcomeError. */
	write?: boolean;
}

export interface WooPage<T> {
	items: T[];
	total: number | undefined;
	totalPages: number | undefined;
}

/** The site URL as typed → the REST base (`https://shop.example/wp-json/wc/v3`). */
export function wooApiBase(siteUrl: string): string {
	return `${siteUrl.trim().replace(/\/+$/, '')}/wp-json/wc/v3`;
}

export class WooClient {
	readonly base: string;
	readonly root: string;
	requests = 0;

	constructor(
		private readonly transport: HttpTransport,
		private readonly clock: Clock,
		siteUrl: string,
	) {
		this.root = `${siteUrl.trim().replace(/\/+$/, '')}/wp-json`;
		this.base = wooApiBase(siteUrl);
	}

	/** One request to a path under /wc/v3 (or, starting with `/wp-json/`, under the site's REST root). */
	async request<T>(method: HttpMethod, path: string, options: WooRequestOptions = {}): Promise<T> {
		return (await this.send(method, path, options)).body as T;
	}

	/** One page of a collection, with WooCommerce's totals from the headers. */
	async page<T>(path: string, qs: Query): Promise<WooPage<T>> {
		const response = await this.send('GET', path, { qs: { ...qs } });
		if (!Array.isArray(response.body)) {
			throw new PlatformError('WooCommerce', `${path} did not answer with a list`, response.status, undefined,
				'Check the site URL: the address must be the WordPress site with WooCommerce active.');
		}
		const total = Number(headerValue(response, 'x-wp-total'));
		const totalPages = Number(headerValue(response, 'x-wp-totalpages'));
		return {
			items: response.body as T[],
			total: Number.isFinite(total) ? total : undefined,
			totalPages: Number.isFinite(totalPages) ? totalPages : undefined,
		};
	}

	/** Every page of a collection whose order does not change while it is read (products by id, say). */
	async *pages<T>(path: string, qs: Query, perPage = WOO_MAX_PER_PAGE): AsyncIterable<T[]> {
		for (let page = 1; ; page++) {
			const { items, totalPages } = await this.page<T>(path, { ...qs, per_page: perPage, page });
			if (items.length > 0) yield items;
			const last = totalPages !== undefined ? page >= totalPages : items.length < perPage;
			if (last || items.length === 0) return;
		}
	}

	private async send(method: HttpMethod, path: string, options: WooRequestOptions): Promise<HttpResponse> {
		const url = path.startsWith('/wp-json/') ? `${this.root}${path.slice('/wp-json'.length)}` : `${this.base}${path}`;
		this.requests++;
		// The one retry policy sends a read again through 429s, 5xx and a cache's or host's page answered
		// with 200; what comes back here is WooCommerce's answer, or a page that will not go away.
		const response = await sendWithRetry(
			this.transport,
			{ method, url, qs: options.qs ? { ...options.qs } : undefined, body: options.body },
			this.clock,
			{ idempotent: !options.write },
		);
		const isJson = typeof response.body === 'object' && response.body !== null;
		if (response.status >= 200 && response.status < 300 && (isJson || response.body === '' || method === 'DELETE')) {
			return response;
		}
		throw wooError(response, path);
	}
}

function wooError(response: HttpResponse, path: string): PlatformError {
	const body = response.body as { code?: unknown; message?: unknown; data?: { params?: Record<string, string> } } | string;
	if (typeof body === 'object' && body !== null && typeof body.message === 'string') {
		const params = body.data?.params ? ` (${Object.values(body.data.params).join('; ')})` : '';
		const code = typeof body.code === 'string' ? body.code : undefined;
		let hint = hintForStatus(response.status, WOO_CREDENTIAL_NAME);
		if (code === 'rest_no_route') {
			hint = 'Check the site URL, that WooCommerce is active, and that permalinks are not set to "Plain".';
		} else if (code === 'woocommerce_rest_cannot_view' || code === 'woocommerce_rest_cannot_create' || code === 'woocommerce_rest_cannot_edit') {
			hint = 'The keys lack permission: create them with Read/Write access, or, if the server strips the Authorization header, set "Send Keys As" to Query String.';
		}
		return new PlatformError('WooCommerce', `${body.message}${params}`, response.status, code, hint);
	}
	const looksLikeHtml = typeof body === 'string' && body.trimStart().startsWith('<');
	return new PlatformError(
		'WooCommerce',
		looksLikeHtml ? `${path} answered with an HTML page (HTTP ${response.status}), not the REST API` : `HTTP ${response.status} from ${path}`,
		response.status,
		undefined,
		// A page with a 404 is the site's "not found" (a wrong address: the shared hint); any other page is
		// something standing in front of WooCommerce.
		looksLikeHtml && response.status !== 404
			? 'A cache, security plugin or maintenance mode is answering instead of WooCommerce; exclude /wp-json/ from it.'
			: hintForStatus(response.status, WOO_CREDENTIAL_NAME),
	);
}
