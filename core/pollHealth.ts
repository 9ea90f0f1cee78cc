/**
 * How the Channel Orders Trigger treats a store that does not answer. n8n switches a workflow off when its
 * trigger fails while being activated (n8n 2.x unpublishes it at start-up), so a store outage during an
 * n8n restart would silently stop the order sync. Instead, a poll that fails for a transient reason (the
 * store down, timing out, rate-limiting past every retry) reads nothing, moves no cursor, and counts the
 * failure; the trigger reports an error (n8n's error workflow alerts someone) only when failures go on
 * for more consecutive polls than the user tolerates. Refusals that will not heal by waiting (wrong keys,
 * missing permission, wrong address) are reported at once.
 */

export interface PollFailures {
	/** Consecutive failed polls. */
	count: number;
	/** When the first of them happened (ISO). */
	since: string;
	/** The last failure's message, without secrets (built from the platform's answer). */
	message: string;
}

export type FailureDecision = { report: true } | { report: false; next: PollFailures };

/** After a transient failure: stay quiet (and remember) or report, given how many failures are tolerated. */
export function onTransientFailure(previous: PollFailures | undefined, message: string, now: string, tolerated: number): FailureDecision {
	const next: PollFailures = { count: (previous?.count ?? 0) + 1, since: previous?.since ?? now, message };
	if (next.count > tolerated) return { report: true };
	return { report: false, next };
}
