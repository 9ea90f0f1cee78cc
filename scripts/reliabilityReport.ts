/**
 * Renders docs/reliability.md from the figures the reliability suite recorded in reliability-results/
 * (test/support/reliability.ts). `npm run test:reliability` runs it after the tests; run it alone with
 * `npx ts-node --transpile-only scripts/reliabilityReport.ts`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioFigures } from '../test/support/reliability';

const root = join(__dirname, '..');
const resultsDir = join(root, 'reliability-results');
/** The order the scenarios are told in: orders, then queue mode, then stock, then bad input and secrets. */
const ORDER = ['orderFlood', 'queueScale', 'inventoryChurn', 'badInput', 'secrets'];

type Recorded = ScenarioFigures & { measuredAt: string };

const cell = (value: unknown) => (value === undefined ? '' : String(value).replace(/\|/g, '\\|').replace(/\n/g, ' '));
const number = (value: number | string | undefined) => (typeof value === 'number' ? value.toLocaleString('en') : cell(value));

export function render(scenarios: Recorded[]): string {
	const out: string[] = [
		'# Reliability',
		'',
		'What `npm run test:reliability` proves, with the figures of its last run. Every scenario runs the packed pack in',
		'real n8n against the simulators, with faults injected, and checks the simulators\' final state against an oracle',
		'the test computes on its own from the channel\'s records. Duplicates, lost orders and stock mismatches must be 0;',
		'a scenario that finds one fails.',
		'',
		'This file is written by `scripts/reliabilityReport.ts` from `reliability-results/`; do not edit it by hand.',
		'',
		'| Scenario | Processed | Faults injected | Duplicates | Lost | Stock mismatches | Time |',
		'| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
	];
	for (const s of scenarios) {
		const m = s.summary;
		out.push(`| [${cell(s.title)}](#${s.id.toLowerCase()}) | ${number(m.processed)} | ${number(m.faultsInjected)} | ${number(m.duplicates)} | ${number(m.lost)} | ${number(m.stockMismatches)} | ${m.seconds === undefined ? '' : `${m.seconds} s`} |`);
	}
	for (const s of scenarios) {
		out.push('', `<a id="${s.id.toLowerCase()}"></a>`, `## ${s.title}`, '', `\`${s.test}\`, measured ${s.measuredAt}.`, '', '| Figure | Value | Must be | Note |', '| --- | ---: | ---: | --- |');
		for (const f of s.figures) out.push(`| ${cell(f.name)} | ${number(f.value)}${f.unit ? ` ${f.unit}` : ''} | ${cell(f.must)} | ${cell(f.note)} |`);
		if (s.notes?.length) out.push('', ...s.notes.map((n) => `- ${n}`));
	}
	return `${out.join('\n')}\n`;
}

if (require.main === module) {
	if (!existsSync(resultsDir)) throw new Error('no reliability-results/: run `npm run test:reliability` first');
	const scenarios = readdirSync(resultsDir).filter((f) => f.endsWith('.json'))
		.map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as Recorded)
		.sort((a, b) => (ORDER.indexOf(a.id) + 1 || 99) - (ORDER.indexOf(b.id) + 1 || 99));
	writeFileSync(join(root, 'docs', 'reliability.md'), render(scenarios));
	process.stdout.write(`docs/reliability.md: ${scenarios.length} scenarios\n`);
}
