import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { InputError } from '../../core/errors';
import { DEFAULT_FIELDS, applyInventoryRules, validateRuleConfig } from '../../core/inventoryRules';
import type { RuleConfig, RuleValues } from '../../core/inventoryRules';
import { mapItems } from '../../glue/items';

const RULE_OPTIONS = [
	{ displayName: 'Maximum Shown', name: 'maximum', type: 'number' as const, typeOptions: { minValue: 0 }, default: 10, description: 'Never show more than this' },
	{ displayName: 'Minimum Shown', name: 'minimum', type: 'number' as const, typeOptions: { minValue: 0 }, default: 1, description: 'Show at least this (the threshold still wins)' },
	{ displayName: 'Out-of-Stock Threshold', name: 'threshold', type: 'number' as const, typeOptions: { minValue: 0 }, default: 0, description: 'When the main store has this many or fewer, the channel shows 0 (buffer stock)' },
	{ displayName: 'Percentage', name: 'percentage', type: 'number' as const, typeOptions: { minValue: 0, numberPrecision: 4 }, default: 100, description: 'Share of the main-store quantity to show, e.g. 50; over 100 is allowed' },
	{ displayName: 'Quantity for Untracked Products', name: 'fixedQuantity', type: 'number' as const, typeOptions: { minValue: 0 }, default: 100, description: 'Shown for products whose stock the main store does not track' },
];

export class ApplyInventoryRules implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Apply Inventory Rules',
		name: 'applyInventoryRules',
		icon: 'file:applyInventoryRules.svg',
		group: ['transform'],
		version: 1,
		subtitle: 'Main-store stock → channel quantity',
		description: 'Turns main-store stock into the quantity each channel shows: percentage, maximum, minimum, buffer stock, untracked products, bundles, per-SKU overrides',
		defaults: { name: 'Apply Inventory Rules' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Rules',
				name: 'rules',
				type: 'collection',
				placeholder: 'Add rule',
				default: {},
				description: 'Applied in this order: untracked quantity, percentage, maximum, minimum, threshold',
				options: [
					...RULE_OPTIONS,
					{
						displayName: 'Rounding',
						name: 'rounding',
						type: 'options',
						options: [
							{ name: 'Down', value: 'down', description: 'Never show a unit you do not have' },
							{ name: 'Nearest', value: 'nearest' },
							{ name: 'Up', value: 'up' },
						],
						default: 'down',
						description: 'How a percentage that is not a whole number of units is rounded',
					},
				],
			},
			{
				displayName: 'Keep Listing Active',
				name: 'keepListingActive',
				type: 'boolean',
				default: false,
				description: 'Whether a listing at 0 stays active (out-of-stock control) instead of being marked out of stock',
			},
			{
				displayName: 'Negative Quantities',
				name: 'negativeQuantities',
				type: 'options',
				options: [
					{ name: 'Report as Error', value: 'error', description: 'Oversold stock is a problem to look at' },
					{ name: 'Treat as 0', value: 'zero', description: 'For stores that allow overselling' },
				],
				default: 'error',
			},
			{
				displayName: 'Per-SKU Overrides',
				name: 'overrides',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add override',
				default: {},
				description: 'SKUs with their own rule values; empty values keep the defaults',
				options: [
					{
						displayName: 'Override',
						name: 'override',
						values: [
							{ displayName: 'Maximum Shown', name: 'maximum', type: 'string', default: '', placeholder: 'default' },
							{ displayName: 'Minimum Shown', name: 'minimum', type: 'string', default: '', placeholder: 'default' },
							{ displayName: 'Out-of-Stock Threshold', name: 'threshold', type: 'string', default: '', placeholder: 'default' },
							{ displayName: 'Percentage', name: 'percentage', type: 'string', default: '', placeholder: 'default' },
							{ displayName: 'Quantity for Untracked Products', name: 'fixedQuantity', type: 'string', default: '', placeholder: 'default' },
							{ displayName: 'SKU', name: 'sku', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Override Field',
				name: 'overrideField',
				type: 'string',
				default: 'inventoryRule',
				description: 'An item field holding its own rule values, e.g. {"maximum": 5}. Wins over the table. Empty: not used.',
			},
			{
				displayName: 'Field Names',
				name: 'fieldNames',
				type: 'collection',
				placeholder: 'Map a field',
				default: {},
				description: 'Where to read each value, when items do not come from Get Main Store Inventory',
				options: [
					{ displayName: 'Bundle Components Field', name: 'bundle', type: 'string', default: 'bundleComponents' },
					{ displayName: 'Quantity Field', name: 'quantity', type: 'string', default: 'quantity' },
					{ displayName: 'SKU Field', name: 'sku', type: 'string', default: 'sku' },
					{ displayName: 'Status Field', name: 'status', type: 'string', default: 'productStatus' },
					{ displayName: 'Stock Managed Field', name: 'stockManaged', type: 'string', default: 'stockManaged' },
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const config = readConfig(this);
		try {
			validateRuleConfig(config);
		} catch (error) {
			const problem = error as InputError;
			return Promise.reject(new NodeOperationError(this.getNode(), `${problem.field} ${problem.problem}`, { description: `Fix: ${problem.fix}.` }));
		}
		const items = this.getInputData();
		const outcomes = applyInventoryRules(items.map((item) => item.json), config);
		return mapItems(
			this,
			(_json, i) => {
				const outcome = outcomes[i];
				if (!outcome.ok) throw outcome.error;
				return outcome.value as IDataObject;
			},
			{ describe: (json) => (json[config.fields.sku] !== undefined ? `SKU ${String(json[config.fields.sku])}` : undefined) },
		);
	}
}

function optionalNumber(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return Number(value);
}

function readConfig(ctx: IExecuteFunctions): RuleConfig {
	const rules = ctx.getNodeParameter('rules', 0, {}) as RuleValues;
	const overrides: Record<string, RuleValues> = {};
	const rows = (ctx.getNodeParameter('overrides', 0, {}) as { override?: Array<Record<string, string>> }).override ?? [];
	for (const row of rows) {
		if (!row.sku) continue;
		const values: RuleValues = {};
		for (const key of ['fixedQuantity', 'percentage', 'maximum', 'minimum', 'threshold'] as const) {
			const v = optionalNumber(row[key]);
			if (v !== undefined) values[key] = v;
		}
		overrides[row.sku] = values;
	}
	const fields = { ...DEFAULT_FIELDS, ...(ctx.getNodeParameter('fieldNames', 0, {}) as Partial<typeof DEFAULT_FIELDS>) };
	return {
		...rules,
		keepListingActive: ctx.getNodeParameter('keepListingActive', 0) as boolean,
		negativeQuantities: ctx.getNodeParameter('negativeQuantities', 0) as 'error' | 'zero',
		overrides,
		overrideField: ctx.getNodeParameter('overrideField', 0, '') as string,
		fields,
	};
}
