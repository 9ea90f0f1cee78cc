import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import type { Order } from '../../core/model';
import { toMinor } from '../../core/money';
import { readOrder } from '../../core/order';
import { keyTag, pushKey, readShippingRules, syncStatusOf } from '../../core/push';
import type { LinkBy, PushMode, PushSettings, PushedRecord, UnlinkedMode } from '../../core/push';
import { pushOrders } from '../../platforms/mainStore';
import type { CreateOptions, PushResult } from '../../platforms/mainStore';
import { itemError } from '../../glue/items';
import { MAIN_STORE_CREDENTIALS, MAIN_STORE_PROPERTY, openMainStore } from '../../glue/mainStores';

const PUSHED = 0;
const ATTENTION = 1;

function splitList(value: unknown): string[] {
	return String(value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** An order-log row for an item that never became an order in our model (malformed) or met a store outage. */
function logRow(json: IDataObject, reason: string, syncNumber = ''): IDataObject {
	return {
		channel: String(json.channel ?? ''), channelOrderNumber: String(json.channelOrderNumber ?? json.channelOrderId ?? ''), syncNumber,
		mainStoreOrderNumber: '', skus: '', products: '', customer: '', status: '', syncStatus: 'notImported', hasUnlinkedProducts: false, reason,
	};
}

/** One output item per order: what happened, where it is in the main store, and a row for the order log. */
function resultItem(r: PushResult, mainStore: { platform: string; storeId: string }, mode: PushMode): IDataObject {
	const o = r.order;
	const linked = r.links.filter((l) => l.variant);
	const unlinked = r.links.filter((l) => !l.variant);
	const key = pushKey(o);
	const customer = [o.customer.firstName ?? o.shippingAddress?.firstName, o.customer.lastName ?? o.shippingAddress?.lastName].filter(Boolean).join(' ');
	return {
		syncStatus: syncStatusOf(r.action, mode),
		action: r.action,
		...(r.attention ? { reason: `${o.channel} order ${o.channelOrderNumber} ${r.attention.reason}`, attentionCode: r.attention.code } : {}),
		channel: o.channel,
		channelStoreId: o.channelStoreId,
		channelOrderId: o.channelOrderId,
		channelOrderNumber: o.channelOrderNumber,
		syncKey: key,
		syncNumber: keyTag(key),
		mainStore: {
			platform: mainStore.platform,
			storeId: mainStore.storeId,
			orderId: r.record?.id ?? null,
			orderNumber: r.record?.number ?? null,
			kind: r.record?.kind ?? null,
			cancelled: r.record?.cancelled ?? null,
		},
		linkedLines: linked.map((l) => ({ sku: l.line.sku, quantity: l.line.quantity, mainStoreVariantId: l.variant?.id ?? null, mainStoreTitle: l.variant?.title ?? null })),
		unlinkedLines: unlinked.map((l) => ({ sku: l.line.sku, title: l.line.title, quantity: l.line.quantity, problem: l.problem })),
		...(r.plan ? { pushedTotal: r.plan.total, currency: r.plan.currency, omittedLines: r.plan.omitted } : {}),
		notes: r.notes,
		...(r.request ? { request: r.request as IDataObject } : {}),
		log: {
			channel: o.channel,
			channelOrderNumber: o.channelOrderNumber,
			syncNumber: keyTag(key),
			mainStoreOrderNumber: r.record?.number ?? '',
			skus: o.lines.map((l) => l.sku ?? '').filter(Boolean).join(', '),
			products: o.lines.map((l) => l.title).join(', '),
			customer,
			status: o.status === 'cancelled' ? 'cancelled' : o.fulfillmentStatus === 'fulfilled' ? 'completed' : o.fulfillmentStatus === 'partial' ? 'shipping' : 'ready to ship',
			syncStatus: syncStatusOf(r.action, mode),
			hasUnlinkedProducts: unlinked.length > 0,
			reason: r.attention?.reason ?? '',
		},
		// The order itself rides along on Needs Attention, so a fix-and-retry workflow can push it again.
		...(r.action === 'attention' ? { order: o as unknown as IDataObject } : {}),
	};
}

/** Stock Only's memory of the orders whose stock it took, kept small: entries older than this are dropped. */
const LEDGER_DAYS = 120;

/**
 * Stock Only leaves no order in the store to look up later, so the node remembers the orders it took
 * stock for in the workflow's static data (next to the store's own idempotency key, which covers
 * retries and overlapping runs while the store remembers it).
 */
function stockLedger(ctx: IExecuteFunctions, mode: PushMode) {
	if (mode !== 'stockOnly') return undefined;
	type Entry = { at: string; ref: string; cancelledAt?: string; givenBack?: Record<string, number> };
	const data = ctx.getWorkflowStaticData('node') as { stockOnly?: Record<string, Entry> };
	const entries = (data.stockOnly ??= {});
	const horizon = Date.now() - LEDGER_DAYS * 86_400_000;
	for (const [key, entry] of Object.entries(entries)) if (Date.parse(entry.at) < horizon) delete entries[key];
	return {
		known: (key: string): PushedRecord[] => {
			const entry = entries[key];
			return entry ? [{ id: entry.ref, number: 'stock only', createdAt: entry.at, cancelled: entry.cancelledAt !== undefined, kind: 'stockOnly', givenBack: entry.givenBack }] : [];
		},
		note: (r: PushResult) => {
			const key = pushKey(r.order);
			if (r.action === 'created' && r.record) entries[key] = { at: new Date().toISOString(), ref: r.record.id };
			if (r.action === 'cancelled' && entries[key]) entries[key].cancelledAt = new Date().toISOString();
			if (r.action === 'restocked' && entries[key] && r.record?.givenBack) entries[key].givenBack = r.record.givenBack;
		},
	};
}

export class PushOrderToMainStore implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Push Order to Main Store',
		name: 'pushOrderToMainStore',
		icon: 'file:pushOrderToMainStore.svg',
		group: ['output'],
		version: 1,
		subtitle: '={{ "to " + $parameter["mainStore"] }}',
		description: 'Creates each channel order in the main store exactly once, with linked products, stock, tax and shipping',
		defaults: { name: 'Push Order to Main Store' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Pushed', 'Needs Attention'],
		credentials: MAIN_STORE_CREDENTIALS,
		properties: [
			MAIN_STORE_PROPERTY,
			{
				displayName: 'Create As',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Order', value: 'order', description: 'A real order: stock is taken for linked lines' },
					{ name: 'Draft Order', value: 'draft', description: 'A draft to review and complete in the main store (no stock taken yet)' },
					{ name: 'Stock Only', value: 'stockOnly', description: 'No order: only take the linked lines\' stock, once per order, and give it back if the channel cancels' },
				],
				default: 'order',
			},
			{
				displayName: 'Link Lines By',
				name: 'linkBy',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'SKU', value: 'sku' },
					{ name: 'Barcode', value: 'barcode', description: 'The channel line\'s SKU field holds the barcode (Shopify main stores)' },
					{ name: 'Handle', value: 'handle', description: 'The product handle (WooCommerce: the product slug)' },
				],
				default: 'sku',
				description: 'How each order line finds its product in the main store',
			},
			{
				displayName: 'Unlinked Products',
				name: 'unlinked',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Wait Until Linked', value: 'wait', description: 'The order goes to Needs Attention as "unlinked" and is pushed on a later run once every line is linked' },
					{ name: 'Import as Custom Lines', value: 'customLines', description: 'Linked lines take stock; unlinked lines are added as text lines that move no stock' },
					{ name: 'Push Only Linked Lines', value: 'onlyLinked', description: 'Only the lines linked to this store go; the rest are named in the order note' },
				],
				default: 'wait',
			},
			{
				displayName: 'Stock',
				name: 'inventory',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Decrement, Obeying the Stock Policy', value: 'decrement', description: 'Take stock for linked lines; an order for more than is available (and not allowed to oversell) needs attention' },
					{ name: 'Decrement, Even Below Zero', value: 'decrementIgnoringPolicy' },
					{ name: 'Leave Alone', value: 'bypass', description: 'Take no stock (Shopify\'s own default)' },
				],
				default: 'decrement',
			},
			{
				displayName: 'Keep Order Number From Channel',
				name: 'keepOrderNumber',
				type: 'boolean',
				default: false,
				description: 'Whether the main-store order carries the channel\'s number (with a prefix) instead of the store\'s own numbering',
			},
			{
				displayName: 'Order Number Prefix',
				name: 'orderNumberPrefix',
				type: 'string',
				default: '',
				placeholder: 'EBAY-',
				displayOptions: { show: { keepOrderNumber: [true] } },
			},
			{
				displayName: 'Contact Email',
				name: 'contactEmail',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Customer\'s', value: 'customer' },
					{ name: 'Fixed Address', value: 'fixed' },
					{ name: 'None', value: 'none' },
					{ name: 'Store\'s Own', value: 'store', description: 'The main store\'s contact address (keeps the marketplace\'s masked buyer emails out)' },
				],
				default: 'customer',
			},
			{
				displayName: 'Fixed Email',
				name: 'fixedEmail',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				displayOptions: { show: { contactEmail: ['fixed'] } },
			},
			{
				displayName: 'Shipping',
				name: 'shipping',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'From the Channel', value: 'channel', description: 'The channel\'s shipping method and cost' },
					{ name: 'Shipping Rate Rules', value: 'rules', description: 'Flat rates by order subtotal; free when no rule applies' },
				],
				default: 'channel',
			},
			{
				displayName: 'Shipping Rate Rules',
				name: 'shippingRules',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				displayOptions: { show: { shipping: ['rules'] } },
				options: [
					{
						name: 'rule',
						displayName: 'Rule',
						values: [
							{ displayName: 'From Subtotal', name: 'fromSubtotal', type: 'number', typeOptions: { numberPrecision: 2 }, default: 0, description: 'Applies when the order subtotal is at least this (in the order\'s currency)' },
							{ displayName: 'Price', name: 'price', type: 'number', typeOptions: { numberPrecision: 2 }, default: 0 },
							{ displayName: 'Title', name: 'title', type: 'string', default: 'Shipping' },
						],
					},
				],
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to only show the decision and exactly the request that would be sent, writing nothing',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Cancel When Cancelled on the Channel',
						name: 'cancelOnChannelCancel',
						type: 'boolean',
						default: true,
						description: 'Whether an order that comes back cancelled or refunded cancels its main-store order, restocking its linked lines',
					},
					{
						displayName: 'Extra Tags',
						name: 'tags',
						type: 'string',
						default: '',
						description: 'Comma-separated tags added to every pushed order (each cut to 40 characters)',
					},
					{
						displayName: 'Manual Links',
						name: 'links',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						default: {},
						description: 'Channel SKUs or listing IDs linked by hand to a main-store SKU (barcode, handle); they win over automatic matching',
						options: [
							{
								name: 'link',
								displayName: 'Link',
								values: [
									{ displayName: 'Channel SKU or Listing ID', name: 'channel', type: 'string', default: '' },
									{ displayName: 'Main-Store Identifier', name: 'main', type: 'string', default: '' },
								],
							},
						],
					},
					{
						displayName: 'Marketing Opt-In',
						name: 'marketingOptIn',
						type: 'boolean',
						default: false,
						description: 'Whether the buyer accepted marketing emails (Shopify)',
					},
					{
						displayName: 'Only Orders Already in the Main Store',
						name: 'onlyPushed',
						type: 'boolean',
						default: false,
						description: 'Whether to create nothing: only orders already pushed are acted on (cancelled, restocked); the others go to Needs Attention as notPushed. For workflows that only mirror cancellations and refunds.',
					},
					{
						displayName: 'Require a Linked Line',
						name: 'requireLinkedLine',
						type: 'boolean',
						default: true,
						description: 'Whether an order needs at least one line linked to the main store',
					},
					{
						displayName: 'Require a Total Above 0',
						name: 'requirePositiveTotal',
						type: 'boolean',
						default: true,
						description: 'Whether free orders are held back',
					},
					{
						displayName: 'Require Customer Name and Address',
						name: 'requireCustomer',
						type: 'boolean',
						default: true,
						description: 'Whether an order needs the buyer\'s name and a complete address',
					},
					{
						displayName: 'Require Paid',
						name: 'requirePaid',
						type: 'boolean',
						default: true,
						description: 'Whether unpaid orders wait in Needs Attention until they are paid',
					},
					{
						displayName: 'Send Fulfillment Receipt',
						name: 'sendFulfillmentReceipt',
						type: 'boolean',
						default: false,
						description: 'Whether the main store emails the buyer when the order ships (Shopify)',
					},
					{
						displayName: 'Send Order Receipt',
						name: 'sendReceipt',
						type: 'boolean',
						default: false,
						description: 'Whether the main store emails the buyer an order confirmation (Shopify). Off by default: the channel already did.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const outputs: INodeExecutionData[][] = [[], []];
		if (items.length === 0) return outputs;
		const p = (name: string, fallback?: unknown) => this.getNodeParameter(name, 0, fallback);
		const options = p('options', {}) as IDataObject;
		const mode = p('mode') as PushMode;
		const links = new Map<string, string>();
		for (const link of ((options.links as IDataObject | undefined)?.link as IDataObject[] | undefined) ?? []) {
			const from = String(link.channel ?? '').trim();
			const to = String(link.main ?? '').trim();
			if (from && to) links.set(from, to);
		}
		const rules = p('shipping') === 'rules' ? (((p('shippingRules', {}) as IDataObject).rule as IDataObject[] | undefined) ?? []) : [];
		const base: Omit<PushSettings, 'shipping'> = {
			mode,
			require: {
				paid: options.requirePaid !== false,
				customer: options.requireCustomer !== false,
				positiveTotal: options.requirePositiveTotal !== false,
				linkedLine: options.requireLinkedLine !== false,
			},
			linkBy: p('linkBy') as LinkBy,
			links,
			unlinked: p('unlinked') as UnlinkedMode,
			keepOrderNumber: p('keepOrderNumber') === true,
			orderNumberPrefix: p('keepOrderNumber') === true ? String(p('orderNumberPrefix', '')) : '',
			extraTags: splitList(options.tags),
			contactEmail: { use: p('contactEmail') as PushSettings['contactEmail']['use'], fixed: p('contactEmail') === 'fixed' ? String(p('fixedEmail', '')) : '' },
			cancelOnChannelCancel: options.cancelOnChannelCancel !== false,
			onlyPushed: options.onlyPushed === true,
		};
		const create: CreateOptions = {
			mode,
			inventory: p('inventory') as CreateOptions['inventory'],
			sendReceipt: options.sendReceipt === true,
			sendFulfillmentReceipt: options.sendFulfillmentReceipt === true,
			marketingOptIn: options.marketingOptIn === true,
		};
		// Shipping rules are in the order's currency: one settings object per currency met.
		const byCurrency = new Map<string, PushSettings>();
		const settingsFor = (currency: string): PushSettings => {
			let s = byCurrency.get(currency);
			if (!s) {
				const shippingRules = readShippingRules(rules as Array<{ fromSubtotal: number; price: number; title?: string }>, (amount, field) => toMinor(amount, currency, { field }));
				s = { ...base, shipping: { use: p('shipping') === 'rules' ? 'rules' : 'channel', rules: shippingRules } };
				byCurrency.set(currency, s);
			}
			return s;
		};

		// Read every item first: a malformed one goes to Needs Attention with its reason, the others go on.
		const valid: Array<{ order: Order; itemIndex: number }> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const order = readOrder(items[itemIndex].json);
				settingsFor(order.currency);
				valid.push({ order, itemIndex });
			} catch (error) {
				const failure = itemError(this, error, itemIndex, items[itemIndex].json, (json) => (json.channelOrderNumber ? `order ${String(json.channelOrderNumber)}` : undefined));
				const description = (failure as { description?: unknown }).description;
				outputs[ATTENTION].push({
					json: {
						syncStatus: 'notImported', action: 'attention', attentionCode: 'invalid', reason: failure.message, ...(typeof description === 'string' ? { fix: description } : {}),
						log: logRow(items[itemIndex].json, failure.message, `invalid:${String(items[itemIndex].json.channel ?? '')}:${String(items[itemIndex].json.channelOrderId ?? itemIndex)}`),
					},
					pairedItem: { item: itemIndex },
				});
			}
		}
		if (valid.length === 0) return outputs;

		let store;
		let results: PushResult[];
		try {
			store = await openMainStore(this, p('mainStore') as string);
			const groups = new Map<string, typeof valid>();
			for (const v of valid) groups.set(v.order.currency, [...(groups.get(v.order.currency) ?? []), v]);
			const byIndex = new Map<number, PushResult>();
			const dryRun = p('dryRun') === true;
			const ledger = stockLedger(this, mode);
			for (const [currency, group] of groups) {
				const pushed = await pushOrders(store, group.map((g) => g.order), settingsFor(currency), { dryRun, create, known: ledger?.known });
				pushed.forEach((r, i) => byIndex.set(group[i].itemIndex, r));
				if (ledger && !dryRun) for (const r of pushed) ledger.note(r);
			}
			results = valid.map((v) => byIndex.get(v.itemIndex) as PushResult);
		} catch (error) {
			// The store itself failed (wrong credentials, outage): nothing was decided for these orders.
			const failure = itemError(this, error, valid[0].itemIndex, undefined);
			if (!this.continueOnFail()) throw failure;
			for (const v of valid) {
				outputs[ATTENTION].push({
					json: {
						syncStatus: 'notImported', action: 'attention', attentionCode: 'failed', reason: failure.message, order: v.order as unknown as IDataObject,
						log: logRow(v.order as unknown as IDataObject, failure.message, keyTag(pushKey(v.order))),
					},
					pairedItem: { item: v.itemIndex },
				});
			}
			return outputs;
		}
		results.forEach((r, i) => {
			outputs[r.action === 'attention' ? ATTENTION : PUSHED].push({ json: resultItem(r, store, mode), pairedItem: { item: valid[i].itemIndex } });
		});
		return outputs;
	}
}
