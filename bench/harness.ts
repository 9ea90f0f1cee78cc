/** What every benchmark section shares: the figure shape, rounding, and timing a workflow in real n8n. */
import { N8nInstance } from '../test/e2e/harness/n8n';
import type { CredentialFixture, ItemJson } from '../test/e2e/harness/n8n';
import { workflowId } from '../test/e2e/harness/workflow';
import type { WorkflowJson } from '../test/e2e/harness/workflow';

export interface BenchFigure {
	name: string;
	value: number | string;
	unit: string;
	goal?: string;
	note?: string;
}

export interface BenchSection {
	id: string;
	title: string;
	run(): Promise<BenchFigure[]>;
}

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** Median milliseconds of `call` over `n` runs (a server's own time for one request, for floors). */
export async function median(n: number, call: () => Promise<unknown>): Promise<number> {
	const times: number[] = [];
	for (let i = 0; i < n; i++) {
		const start = process.hrtime.bigint();
		await call();
		times.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	return times.sort((a, b) => a - b)[Math.floor(n / 2)];
}

/**
 * Manual Trigger → a Code node that makes `count` items with `makeItem` (source text) → the node under
 * test. The Code node stands in for a channel so the figure is our node's own time, which n8n measures
 * per node (executionTime).
 */
export function generatedItemsWorkflow(name: string, count: number, makeItem: string, node: { type: string; parameters: Record<string, unknown> }): WorkflowJson {
	return {
		id: workflowId(name),
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 't', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'g', name: 'Generate', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0],
				parameters: { jsCode: `const out = [];\nfor (let i = 0; i < ${count}; i++) out.push({ json: (${makeItem})(i) });\nreturn out;` },
			},
			{ id: 'u', name: 'Under Test', type: `n8n-nodes-commerce-sync.${node.type}`, typeVersion: 1, position: [400, 0], parameters: node.parameters },
		],
		connections: {
			Manual: { main: [[{ node: 'Generate', type: 'main', index: 0 }]] },
			Generate: { main: [[{ node: 'Under Test', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Runs a workflow in a fresh n8n (after importing `credentials`) and returns n8n's timing of `nodeName`,
 * the items it output, and the process's peak memory.
 */
export async function timeInN8n(
	workflow: WorkflowJson,
	options: { nodeName?: string; credentials?: CredentialFixture[] } = {},
): Promise<{ nodeMs: number; wallMs: number; peakRssMb: number; items: number; output: ItemJson[] }> {
	const nodeName = options.nodeName ?? 'Under Test';
	const n8n = N8nInstance.create({ N8N_RUNNERS_MAX_PAYLOAD: String(1024 * 1024 * 1024), N8N_PAYLOAD_SIZE_MAX: '1024' });
	try {
		if (options.credentials?.length) await n8n.importCredentials(options.credentials);
		await n8n.importWorkflows([workflow]);
		const result = await n8n.execute(workflow.id);
		if (!result.ok) throw new Error(`run failed: ${result.error?.message ?? result.stdout.slice(-500)}`);
		const output = result.output(nodeName);
		return {
			nodeMs: result.nodeTime(nodeName),
			wallMs: result.measured.wallMs,
			peakRssMb: round(result.measured.peakRssKb / 1024, 0),
			items: output.length,
			output,
		};
	} finally {
		n8n.dispose();
	}
}
