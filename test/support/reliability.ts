/**
 * Figures of the reliability suite (`npm run test:reliability`). Each scenario records what it measured
 * (orders processed, faults injected, duplicates, lost, stock mismatches, time, and its own extras) into
 * reliability-results/<id>.json; scripts/reliabilityReport.ts renders them as docs/reliability.md.
 * Outside that suite (a plain `npm test`) nothing is written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RELIABILITY = process.env.COMMERCE_SYNC_RELIABILITY === '1';
export const RESULTS_DIR = join(__dirname, '..', '..', 'reliability-results');

export interface Figure {
	name: string;
	value: number | string;
	unit?: string;
	/** What the value must be ("0"), when the scenario asserts it. */
	must?: string;
	note?: string;
}

export interface ScenarioFigures {
	/** File name and anchor: `orderFlood`. */
	id: string;
	/** One line a shop owner understands: "5,000 orders, 10 % faults, n8n killed mid-run". */
	title: string;
	/** The test file that ran it, for the reader who wants the details. */
	test: string;
	/** The summary row: every scenario fills the ones that apply to it. */
	summary: {
		processed?: number;
		faultsInjected?: number;
		duplicates?: number;
		lost?: number;
		stockMismatches?: number;
		seconds?: number;
	};
	figures: Figure[];
	notes?: string[];
}

/** Records a scenario's figures (only when the reliability suite runs). */
export function recordReliability(scenario: ScenarioFigures): void {
	if (!RELIABILITY) return;
	mkdirSync(RESULTS_DIR, { recursive: true });
	writeFileSync(join(RESULTS_DIR, `${scenario.id}.json`), `${JSON.stringify({ ...scenario, measuredAt: new Date().toISOString() }, null, '\t')}\n`);
}
