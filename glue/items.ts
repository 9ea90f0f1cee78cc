/**
 * The one item loop every node uses: runs the domain per item, links every output item to its input
 * (pairedItem), turns an InputError into a NodeOperationError that names the item, the field and the
 * fix, and honours Continue On Fail by emitting an error item and going on with the others.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { InputError } from '../core/errors';
import { platformNodeError } from './errors';

/** What a handler returns for one item: one or more JSON objects, each optionally routed to an output. */
export type ItemOutput = IDataObject | { json: IDataObject; output?: number };

export interface ItemLoopOptions {
	/** How many outputs the node has (error items go to the first). */
	outputs?: number;
	/** Names an item in messages, e.g. `order #1001` or `SKU ABC-1`; defaults to `item N`. */
	describe?: (json: IDataObject) => string | undefined;
}

function isRouted(value: ItemOutput): value is { json: IDataObject; output?: number } {
	return typeof (value as { json?: unknown }).json === 'object' && (value as { json?: unknown }).json !== null
		&& Object.keys(value).every((k) => k === 'json' || k === 'output');
}

/** Builds the message and the NodeOperationError for a failure on item `itemIndex`. */
export function itemError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	json: IDataObject | undefined,
	describe?: ItemLoopOptions['describe'],
): Error {
	const platform = platformNodeError(ctx.getNode(), error, itemIndex);
	if (platform) return platform;
	if (error instanceof NodeOperationError || !(error instanceof InputError)) {
		if (error instanceof Error) return error;
		return new NodeOperationError(ctx.getNode(), String(error), { itemIndex });
	}
	const label = (json && describe?.(json)) || undefined;
	const who = label ? `${label} (item ${itemIndex})` : `Item ${itemIndex}`;
	return new NodeOperationError(ctx.getNode(), `${who}: ${error.field} ${error.problem}`, {
		itemIndex,
		description: `Fix: ${error.fix}.`,
	});
}

/** The "Fix: …" description a failure carries (NodeOperationError's description), if any. */
export function fixOf(failure: Error): string | undefined {
	const description = (failure as { description?: unknown }).description;
	return typeof description === 'string' ? description : undefined;
}

export async function mapItems(
	ctx: IExecuteFunctions,
	handler: (json: IDataObject, itemIndex: number) => ItemOutput | ItemOutput[] | Promise<ItemOutput | ItemOutput[]>,
	options: ItemLoopOptions = {},
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const outputs: INodeExecutionData[][] = Array.from({ length: options.outputs ?? 1 }, () => []);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const json = items[itemIndex].json;
		try {
			const produced = await handler(json, itemIndex);
			for (const out of Array.isArray(produced) ? produced : [produced]) {
				const routed = isRouted(out) ? out : { json: out as IDataObject, output: 0 };
				outputs[routed.output ?? 0].push({ json: routed.json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			const failure = itemError(ctx, error, itemIndex, json, options.describe);
			if (!ctx.continueOnFail()) throw failure;
			const description = fixOf(failure);
			outputs[0].push({
				json: { error: failure.message, ...(description ? { description } : {}) },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return outputs;
}

/** The Failed-output item of a failure: `action: 'failed'`, what identifies the item (`extra`), the reason and the fix. */
export function failedJson(failure: Error, extra: IDataObject = {}): IDataObject {
	const fix = fixOf(failure);
	return { action: 'failed', ...extra, reason: failure.message, ...(fix ? { fix } : {}) };
}
