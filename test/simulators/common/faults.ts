/**
 * Fault injection shared by every simulator. Rules are either scripted (the next N matching requests
 * fail this way) or probabilistic (a share of matching requests, drawn from a seeded generator so a
 * run can be replayed).
 */
import { seededRandom } from './random';

export type FaultKind =
	| 'status429' // rejected by a rate limiter, with Retry-After
	| 'status500'
	| 'status502'
	| 'status503'
	| 'html' // a proxy or maintenance page answering HTML with 200
	| 'slow' // answered after delayMs
	| 'drop' // connection closed before the request is processed
	| 'lostAnswer'; // request processed (a write applied), then the connection closed without an answer

export interface FaultRule {
	kind: FaultKind;
	/** Regular expression tested against "METHOD /path" and against the simulator's label (e.g. "orderCreate"). */
	match?: string;
	/** Only requests that write (lost answers make sense only there). */
	writesOnly?: boolean;
	/** Scripted: fail this many matching requests, then the rule is spent. */
	times?: number;
	/** Probabilistic: fail this share (0..1) of matching requests. */
	probability?: number;
	delayMs?: number;
	retryAfterSeconds?: number;
}

export interface FaultDecision {
	kind: FaultKind;
	delayMs?: number;
	retryAfterSeconds?: number;
}

export interface RequestFacts {
	method: string;
	path: string;
	label: string | undefined;
	isWrite: boolean;
}

export class FaultInjector {
	readonly rules: Array<FaultRule & { used: number }> = [];
	private random: () => number;
	/** How many faults were injected, by kind. */
	readonly injected: Record<string, number> = {};

	constructor(seed = 1) {
		this.random = seededRandom(seed);
	}

	add(rule: FaultRule): void {
		this.rules.push({ ...rule, used: 0 });
	}

	clear(): void {
		this.rules.length = 0;
	}

	seed(seed: number): void {
		this.random = seededRandom(seed);
	}

	decide(facts: RequestFacts): FaultDecision | undefined {
		for (const rule of this.rules) {
			if (rule.writesOnly && !facts.isWrite) continue;
			if (rule.kind === 'lostAnswer' && !facts.isWrite) continue;
			if (rule.match) {
				const re = new RegExp(rule.match);
				if (!re.test(`${facts.method} ${facts.path}`) && !(facts.label !== undefined && re.test(facts.label))) continue;
			}
			if (rule.times !== undefined) {
				if (rule.used >= rule.times) continue;
			} else if (rule.probability !== undefined && this.random() >= rule.probability) {
				continue;
			}
			rule.used++;
			this.injected[rule.kind] = (this.injected[rule.kind] ?? 0) + 1;
			return { kind: rule.kind, delayMs: rule.kind === 'slow' ? (rule.delayMs ?? 2000) : rule.delayMs, retryAfterSeconds: rule.retryAfterSeconds };
		}
		return undefined;
	}
}
