import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { InputError } from '../../core/errors';
import { readOrder } from '../../core/order';
import { readTaxRules, splitTax } from '../../core/tax';
import type { TaxRuleInput, TaxRules } from '../../core/tax';
import { mapItems } from '../../glue/items';

export class SplitTax implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Split Tax',
		name: 'splitTax',
		icon: 'file:splitTax.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["mode"] === "removeTax" ? "Import without tax" : $parameter["rate"] + "% " + $parameter["label"] }}',
		description: 'Puts tax on channel orders as the main store needs it, or removes it; line taxes always add up to the order tax',
		defaults: { name: 'Split Tax' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Apply a Tax Rate', value: 'applyRate', description: 'Orders without tax lines get tax at your rate (Custom Tax Rate)' },
					{ name: 'Import Orders Without Tax', value: 'removeTax', description: 'Remove the seller\'s tax from prices and totals' },
				],
				default: 'applyRate',
			},
			{
				displayName: 'Tax Rate (%)',
				name: 'rate',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 4 },
				default: 20,
				description: 'For example 20 for 20%. With Import Orders Without Tax it is used only for orders whose prices include tax but carry no tax amounts.',
			},
			{
				displayName: 'Tax Label',
				name: 'label',
				type: 'string',
				default: 'Tax',
				description: 'Name of the tax on the main-store order, e.g. VAT or GST',
				displayOptions: { show: { mode: ['applyRate'] } },
			},
			{
				displayName: 'Prices Include Tax',
				name: 'pricesIncludeTax',
				type: 'boolean',
				default: true,
				description: 'Whether the channel\'s prices already contain the tax (tax = price × rate ÷ (1 + rate)). Off: tax is added on top and the total grows.',
			},
			{
				displayName: 'Add Shipping Tax',
				name: 'addShippingTax',
				type: 'boolean',
				default: false,
				description: 'Whether shipping is taxed at the same rate',
			},
			{
				displayName: 'Override Channel Tax',
				name: 'overrideChannelTax',
				type: 'boolean',
				default: false,
				description: 'Whether to replace tax lines the channel already gave. Off: such orders are kept as they are. Marketplace-collected tax is never changed.',
				displayOptions: { show: { mode: ['applyRate'] } },
			},
			{
				displayName: 'Rates by Country',
				name: 'ratesByCountry',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add country',
				default: {},
				description: 'A rate per destination country (EU VAT style), chosen by the shipping address; others use the Tax Rate',
				options: [
					{
						displayName: 'Country',
						name: 'country',
						values: [
							{ displayName: 'Country Code', name: 'country', type: 'string', default: '', placeholder: 'DE' },
							{ displayName: 'Label', name: 'label', type: 'string', default: '', placeholder: 'MwSt' },
							{ displayName: 'Rate (%)', name: 'rate', type: 'number', typeOptions: { minValue: 0, numberPrecision: 4 }, default: 19 },
						],
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let rules: TaxRules;
		try {
			rules = readTaxRules({
				mode: this.getNodeParameter('mode', 0) as TaxRuleInput['mode'],
				rate: this.getNodeParameter('rate', 0, '') as number,
				label: this.getNodeParameter('label', 0, 'Tax') as string,
				pricesIncludeTax: this.getNodeParameter('pricesIncludeTax', 0) as boolean,
				addShippingTax: this.getNodeParameter('addShippingTax', 0) as boolean,
				overrideChannelTax: this.getNodeParameter('overrideChannelTax', 0, false) as boolean,
				ratesByCountry: (this.getNodeParameter('ratesByCountry', 0, {}) as { country?: TaxRuleInput['ratesByCountry'] }).country ?? [],
			});
		} catch (error) {
			const problem = error as InputError;
			return Promise.reject(new NodeOperationError(this.getNode(), `${problem.field} ${problem.problem}`, { description: `Fix: ${problem.fix}.` }));
		}
		return mapItems(
			this,
			(json) => {
				const { order, taxDecision } = splitTax(readOrder(json), rules);
				return { ...(order as unknown as IDataObject), taxDecision };
			},
			{ describe: (json) => (json.channelOrderNumber ? `order ${String(json.channelOrderNumber)}` : undefined) },
		);
	}
}
