import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { itemError } from '../../glue/items';
import { MAIN_STORE_CREDENTIALS, MAIN_STORE_PROPERTY, openMainInventory } from '../../glue/mainStores';

/** Seconds read again before the cursor, so a change saved while the last run read is not missed. */
const OVERLAP_MS = 60_000;

function list(value: unknown): string[] {
	return String(value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export class GetMainStoreInventory implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Get Main Store Inventory',
		name: 'getMainStoreInventory',
		icon: 'file:getMainStoreInventory.svg',
		group: ['input'],
		version: 1,
		subtitle: '={{ "from " + $parameter["mainStore"] }}',
		description: 'Reads the main store\'s stock: one item per product variant, with its quantity per location',
		defaults: { name: 'Get Main Store Inventory' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: MAIN_STORE_CREDENTIALS,
		properties: [
			MAIN_STORE_PROPERTY,
			{
				displayName: 'Locations',
				name: 'locations',
				type: 'string',
				default: '',
				placeholder: 'Main warehouse, Shop floor',
				description: 'Comma-separated location names whose stock is summed; empty: every active location. WooCommerce has one stock figure and no locations.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Only Changed Since Last Run',
						name: 'onlyChanged',
						type: 'boolean',
						default: false,
						description: 'Whether to read only the variants whose stock or details changed since this node last ran (the first run reads everything)',
					},
					{
						displayName: 'SKUs',
						name: 'skus',
						type: 'string',
						default: '',
						description: 'Comma-separated SKUs to read; empty: every variant',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		try {
			const inventory = await openMainInventory(this, this.getNodeParameter('mainStore', 0) as string);
			const options = this.getNodeParameter('options', 0, {}) as IDataObject;
			const cursors = this.getWorkflowStaticData('node') as { since?: Record<string, string> };
			const started = Date.now();
			const since = options.onlyChanged === true ? cursors.since?.[inventory.storeId] : undefined;
			for await (const page of inventory.read({ locationNames: list(this.getNodeParameter('locations', 0, '')), skus: list(options.skus), changedSince: since })) {
				for (const record of page) out.push({ json: record as unknown as IDataObject, pairedItem: { item: 0 } });
			}
			// The cursor moves only after a complete read.
			if (options.onlyChanged === true) (cursors.since ??= {})[inventory.storeId] = new Date(started - OVERLAP_MS).toISOString();
		} catch (error) {
			const failure = itemError(this, error, 0, undefined);
			if (!this.continueOnFail()) throw failure;
			return [[{ json: { error: failure.message }, pairedItem: { item: 0 } }]];
		}
		return [out];
	}
}
