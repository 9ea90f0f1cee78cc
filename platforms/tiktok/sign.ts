/**
 * TikTok Shop's request signature, the one copy the credential and the tests use (no n8n import):
 *   sign = hex(HMAC-SHA256(key = app_secret,
 *                          app_secret + path + Σ(key + value of every query parameter but `sign` and
 *                          `access_token`, keys sorted) + body + app_secret))
 * where `path` is the URL path (no host, no query) and `body` the exact bytes sent (empty for no body):
 * TikTok hashes what arrives, so the caller signs the very string it sends.
 */
import { createHmac } from 'crypto';

/** Query parameters TikTok leaves out of the signature. */
const UNSIGNED = new Set(['sign', 'access_token']);

export type SignableQuery = Record<string, string | number | boolean | undefined | null>;

/** The string that is HMAC'd (exported for tests and for explaining a refused signature). */
export function tiktokSignBase(appSecret: string, path: string, query: SignableQuery, body = ''): string {
	const pairs = Object.keys(query)
		.filter((key) => !UNSIGNED.has(key) && query[key] !== undefined && query[key] !== null)
		.sort()
		.map((key) => `${key}${String(query[key])}`)
		.join('');
	return `${appSecret}${path}${pairs}${body}${appSecret}`;
}

export function tiktokSign(appSecret: string, path: string, query: SignableQuery, body = ''): string {
	return createHmac('sha256', appSecret).update(tiktokSignBase(appSecret, path, query, body), 'utf8').digest('hex');
}
