/**
 * Platform failures as n8n errors: a store's refusal (PlatformError), a write that may have happened
 * (UnknownOutcomeError), retries that ran out and missing answers all become NodeApiError carrying the
 * platform's own message, the fix, the HTTP status and the item; input problems stay NodeOperationError.
 */
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';
import { PlatformError } from '../platforms/errors';
import { NetworkError } from '../platforms/http';
import { RetriesExhaustedError, UnknownOutcomeError } from '../platforms/retry';

/** The NodeApiError for a platform failure, or undefined when `error` is not one. */
export function platformNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | undefined {
	if (error instanceof PlatformError) {
		return new NodeApiError(node, { message: error.platformMessage, code: error.code ?? null } as JsonObject, {
			message: error.message,
			description: error.hint,
			httpCode: error.status === undefined ? undefined : String(error.status),
			itemIndex,
		});
	}
	if (error instanceof UnknownOutcomeError || error instanceof RetriesExhaustedError || error instanceof NetworkError) {
		return new NodeApiError(node, { message: error.message } as JsonObject, {
			message: error.message,
			description:
				error instanceof UnknownOutcomeError
					? 'Nothing was repeated. The next run looks the result up before writing again.'
					: 'The store did not answer reliably. The next run picks up where this one stopped.',
			itemIndex,
		});
	}
	return undefined;
}
