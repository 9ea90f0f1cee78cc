/**
 * A store said no, in its own words. Clients turn the platform's error body (Shopify `errors` and
 * `userErrors`, WooCommerce `code`/`message`) into this, so a user reads "Consumer key is invalid."
 * instead of "Request failed with status code 401". The n8n glue turns it into a NodeApiError.
 * Messages never carry secrets: clients build them from the platform's answer and the URL path only.
 */
import { NetworkError } from './http';
import { RetriesExhaustedError } from './retry';

export class PlatformError extends Error {
	constructor(
		/** Which platform answered, e.g. "Shopify". */
		readonly platform: string,
		/** The platform's message, e.g. "Consumer key is invalid." */
		readonly platformMessage: string,
		/** HTTP status, when the failure came with one. */
		readonly status: number | undefined,
		/** The platform's error code, e.g. "woocommerce_rest_authentication_error" or "THROTTLED". */
		readonly code: string | undefined,
		/** What the user can do about it. */
		readonly hint: string | undefined = undefined,
	) {
		super(`${platform}: ${platformMessage}`);
		this.name = 'PlatformError';
	}
}

/** A failure in the user's words: the platform's message and its hint, or the error's own message. */
export function describeError(error: unknown): string {
	if (error instanceof PlatformError) return error.hint ? `${error.platformMessage} ${error.hint}` : error.platformMessage;
	return error instanceof Error ? error.message : String(error);
}

/** A hint for the HTTP statuses whose fix is the same on every platform. */
export function hintForStatus(status: number | undefined, credentialName: string): string | undefined {
	if (status === 401) return `Check the "${credentialName}" credential: the keys were refused.`;
	if (status === 403) return `The keys in "${credentialName}" work but lack a permission (scope) this operation needs.`;
	if (status === 404) return 'Check the store address in the credential: nothing answered at that path.';
	return undefined;
}

/**
 * Whether waiting may cure a failure: no answer, retries exhausted on 429/5xx, or a platform error that
 * is itself a 5xx or a throttle. Wrong keys, missing scopes, bad addresses and bad input are not.
 */
export function isTransientFailure(error: unknown): boolean {
	if (error instanceof PlatformError) {
		return error.code === 'THROTTLED' || error.status === 429 || (error.status !== undefined && error.status >= 500);
	}
	return error instanceof NetworkError || error instanceof RetriesExhaustedError;
}
