/**
 * `npm run bench`: measures the pack and writes bench/results/latest.json and docs/benchmarks.md.
 * Figures, not pass/fail: each section reports what it measured next to its goal (and, where there is
 * one, the floor a platform's rate limit allows and the tool a user would otherwise pick).
 * Sections run in order; `npm run bench -- sales` runs only the sections whose id contains "sales".
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import globalSetup from '../test/e2e/harness/global-setup';
import { readState } from '../test/e2e/harness/paths';
import { SECTIONS } from './sections';
import type { BenchFigure } from './sections';

async function main(): Promise<void> {
	const filter = process.argv[2];
	globalSetup();
	const state = readState();
	const results: Array<{ section: string; title: string; figures: BenchFigure[] } | { section: string; title: string; error: string }> = [];
	for (const section of SECTIONS) {
		if (filter && !section.id.includes(filter)) continue;
		process.stdout.write(`\n## ${section.title}\n`);
		try {
			const figures = await section.run();
			for (const f of figures) process.stdout.write(`  ${f.name}: ${f.value} ${f.unit}${f.goal ? `  (goal ${f.goal})` : ''}${f.note ? `  ${f.note}` : ''}\n`);
			results.push({ section: section.id, title: section.title, figures });
		} catch (error) {
			process.stdout.write(`  FAILED: ${(error as Error).stack}\n`);
			results.push({ section: section.id, title: section.title, error: String((error as Error).message) });
		}
	}
	const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, n8n: state.n8nVersion };
	const root = join(__dirname, '..');
	const latest = join(root, 'bench', 'results', 'latest.json');
	// A filtered run replaces only its own sections in the record, so figures can be refreshed one at a time.
	const previous = existsSync(latest) ? (JSON.parse(readFileSync(latest, 'utf8')) as { results: typeof results }).results : [];
	const merged = SECTIONS.map((s) => results.find((r) => r.section === s.id) ?? previous.find((r) => r.section === s.id))
		.filter((r): r is (typeof results)[number] => r !== undefined)
		.map((r) => ({ ...r, when: (r as { when?: string }).when ?? new Date().toISOString() }));
	for (const r of results) Object.assign(merged.find((m) => m.section === r.section) ?? {}, { when: new Date().toISOString(), machine });
	const record = { when: new Date().toISOString(), machine, results: merged };
	mkdirSync(join(root, 'bench', 'results'), { recursive: true });
	writeFileSync(latest, `${JSON.stringify(record, null, 2)}\n`);
	writeFileSync(join(root, 'docs', 'benchmarks.md'), markdown(record));
	if (!process.env.KEEP_E2E) (await import('../test/e2e/harness/global-teardown')).default();
}

function markdown(record: { when: string; machine: Record<string, unknown>; results: Array<Record<string, unknown>> }): string {
	const lines = [
		'# Benchmarks',
		'',
		'Written by `npm run bench` (bench/run.ts); the raw figures are in `bench/results/latest.json`.',
		'Not compared here: n8n\'s built-in Shopify node (the tool a user would otherwise pick) always calls',
		'`https://<shop>.myshopify.com`, so it cannot be pointed at a local simulator without intercepting DNS and',
		'TLS. The built-in WooCommerce node is compared (section "WooCommerce in n8n").',
		'',
		`Last run: ${record.when} on ${String(record.machine.cpus)} × ${String(record.machine.cpuModel)}, ${String(record.machine.memoryGiB)} GiB, Node ${String(record.machine.node)}, n8n ${String(record.machine.n8n)}.`,
		'',
	];
	for (const r of record.results) {
		lines.push(`## ${String(r.title)}`, '', `Measured ${String(r.when ?? record.when)}.`, '');
		if (r.error) {
			lines.push(`Failed: ${String(r.error)}`, '');
			continue;
		}
		lines.push('| Figure | Value | Goal | Note |', '| --- | ---: | --- | --- |');
		for (const f of r.figures as BenchFigure[]) lines.push(`| ${f.name} | ${f.value} ${f.unit} | ${f.goal ?? ''} | ${f.note ?? ''} |`);
		lines.push('');
	}
	return `${lines.join('\n')}\n`;
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack}\n`);
	process.exit(1);
});
