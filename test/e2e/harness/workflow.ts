/**
 * Builds workflow JSON for tests, in the shape n8n exports and imports. A workflow is the test case:
 * feed items into the node under test, run it in real n8n, read its outputs.
 */
export const PACKAGE = 'n8n-nodes-commerce-sync';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

export interface WorkflowJson {
	id: string;
	name: string;
	active: boolean;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings: Record<string, unknown>;
	pinData?: Record<string, unknown>;
}

let counter = 0;
/** n8n workflow ids are 16 alphanumeric characters. */
export function workflowId(prefix: string): string {
	counter += 1;
	const base = `${prefix.replace(/[^A-Za-z0-9]/g, '')}${Date.now().toString(36)}${counter}${process.pid}`;
	return base.padEnd(16, '0').slice(-16);
}

/** A cron n8n accepts that fires once a year (1 January, 00:00:00): in a test's minutes, never. */
const ONCE_A_YEAR = '0 0 0 1 1 *';

/**
 * A published template for a test that counts its runs: the clock must not add any. Schedule Triggers
 * (the order sync's Hourly Catch-up at minute 7, the Every 15 Minutes of the stock templates) are
 * disabled, and polling triggers poll once a year; `n8n start` still polls each at activation, which
 * is the run such a test waits for. Without this, a test that crosses :07 or a quarter hour sees one
 * execution more than it started (a CI run did, at 14:07).
 */
export function runsOnlyOnDemand<T extends object>(workflow: T): T {
	const { nodes } = workflow as unknown as { nodes: Array<{ type: string; parameters: Record<string, unknown> }> };
	return {
		...workflow,
		nodes: nodes.map((node) => {
			if (node.type === 'n8n-nodes-base.scheduleTrigger') return { ...node, disabled: true };
			if ('pollTimes' in node.parameters) return { ...node, parameters: { ...node.parameters, pollTimes: { item: [{ mode: 'custom', cronExpression: ONCE_A_YEAR }] } } };
			return node;
		}),
	};
}

export interface NodeUnderTest {
	/** `description.name` of one of our nodes, e.g. `applyInventoryRules`. */
	type: string;
	parameters: Record<string, unknown>;
	name?: string;
	typeVersion?: number;
	credentials?: WorkflowNode['credentials'];
	continueOnFail?: boolean;
}

export const UNDER_TEST = 'Under Test';

/**
 * Manual Trigger → "Input" (Set, raw JSON holding the items) → "Split" (Split Out) → the node under test
 * (and optionally more nodes after it). Items reach our node exactly as they would from any other node.
 */
export function feedItems(name: string, items: unknown[], node: NodeUnderTest, after: WorkflowNode[] = []): WorkflowJson {
	const testName = node.name ?? UNDER_TEST;
	const nodes: WorkflowNode[] = [
		{ id: 'trigger', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'input', name: 'Input', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [220, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ items }), options: {} },
		},
		{
			id: 'split', name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [440, 0],
			parameters: { fieldToSplitOut: 'items', options: {} },
		},
		{
			id: 'under-test', name: testName, type: `${PACKAGE}.${node.type}`, typeVersion: node.typeVersion ?? 1,
			position: [660, 0], parameters: node.parameters,
			...(node.credentials ? { credentials: node.credentials } : {}),
			...(node.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
		...after,
	];
	const connections: WorkflowJson['connections'] = {
		Manual: { main: [[{ node: 'Input', type: 'main', index: 0 }]] },
		Input: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
		Split: { main: [[{ node: testName, type: 'main', index: 0 }]] },
	};
	return { id: workflowId(name), name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** Manual Trigger → our nodes one after the other (first output to next input), e.g. read → rules → write. */
export function chainWorkflow(name: string, chain: Array<NodeUnderTest & { name: string }>): WorkflowJson {
	const nodes: WorkflowNode[] = [{ id: 'trigger', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }];
	const connections: WorkflowJson['connections'] = {};
	let previous = 'Manual';
	chain.forEach((node, i) => {
		nodes.push({
			id: `n${i}`, name: node.name, type: `${PACKAGE}.${node.type}`, typeVersion: node.typeVersion ?? 1, position: [220 * (i + 1), 0],
			parameters: node.parameters, ...(node.credentials ? { credentials: node.credentials } : {}),
			...(node.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		});
		connections[previous] = { main: [[{ node: node.name, type: 'main', index: 0 }]] };
		previous = node.name;
	});
	return { id: workflowId(name), name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}
