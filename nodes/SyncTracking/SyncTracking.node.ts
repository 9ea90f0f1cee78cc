import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { readCarrierOverrides } from '../../core/carriers';
import { readTrackingItem } from '../../core/tracking';
import { changedChannelOrders, changedMainOrders, findMainOrders, syncPairs } from '../../platforms/trackingRun';
import type { PairResult, TrackingDirection, TrackingPair } from '../../platforms/trackingRun';
import { failedJson, itemError } from '../../glue/items';
import { MAIN_STORE_PROPERTY } from '../../glue/mainStores';
import { CHANNEL_PROPERTY } from '../../glue/orderProperties';
import { TWO_STORE_CREDENTIALS, openTrackingSides } from '../../glue/tracking';
import type { OpenedSides } from '../../glue/tracking';

const SYNCED = 0;
const FAILED = 1;
/** Read again before the cursor, so an order changed while the last run read is not missed (re-reading writes nothing). */
const OVERLAP_MS = 10 * 60_000;
/** Orders whose write failed are tried again on later runs, this many at most, for this long. */
const MAX_RETRY = 500;
const RETRY_DAYS = 7;

interface Memory {
	since?: Record<string, string>;
	retry?: Record<string, Record<string, { main: string; at: string }>>;
}

function resultJson(r: PairResult, direction: TrackingDirection, sides: OpenedSides): IDataObject {
	const t = r.tracking;
	const toChannel = direction === 'mainToChannel';
	const mainOrder = toChannel ? t?.source : t?.target;
	const channelOrder = toChannel ? t?.target : t?.source;
	return {
		action: r.outcome,
		direction,
		syncKey: r.pair.key,
		channel: sides.channel,
		channelStoreId: sides.channelTracking.storeId,
		channelOrderId: r.pair.channelOrderId,
		channelOrderNumber: channelOrder?.number ?? r.pair.channelOrderNumber,
		mainStore: { platform: sides.main.platform, storeId: sides.main.storeId, orderId: r.pair.mainOrderId, orderNumber: mainOrder?.number ?? r.pair.mainOrderNumber },
		...(t?.source ? { from: { ...t.source, platform: (toChannel ? sides.main : sides.channelTracking).platform } } : {}),
		...(t?.target ? { to: { ...t.target, platform: (toChannel ? sides.channelTracking : sides.main).platform } } : {}),
		...(t?.path ? { path: t.path } : {}),
		written: (t?.written ?? []) as unknown as IDataObject[],
		alreadyThere: (t?.alreadyThere ?? []) as unknown as IDataObject[],
		completed: t?.completed ?? false,
		failed: (t?.failed ?? (r.outcome === 'failed' && r.reason ? [{ numbers: [], reason: r.reason }] : [])) as unknown as IDataObject[],
		...(r.reason ? { reason: r.reason } : {}),
		...(t?.planned.length ? { planned: t.planned as unknown as IDataObject[] } : {}),
		notes: r.notes,
	};
}

export class SyncTracking implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sync Tracking',
		name: 'syncTracking',
		icon: 'file:syncTracking.svg',
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["direction"] === "channelToMain" ? $parameter["channel"] + " → " + $parameter["mainStore"] : $parameter["mainStore"] + " → " + $parameter["channel"] }}',
		description: 'Copies tracking and shipped status between a channel order and its main-store order, writing only what is missing',
		defaults: { name: 'Sync Tracking' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Synced', 'Failed'],
		credentials: TWO_STORE_CREDENTIALS,
		properties: [
			{ ...CHANNEL_PROPERTY, description: 'The sales channel whose orders were pushed to the main store. Its credential and the main store\'s are both needed.' },
			{ ...MAIN_STORE_PROPERTY, description: 'The store the channel\'s orders were pushed to (by Push Order to Main Store)' },
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Main Store → Channel', value: 'mainToChannel', description: 'Orders shipped in the main store get their tracking on the channel, and are marked shipped there' },
					{ name: 'Channel → Main Store', value: 'channelToMain', description: 'Tracking added on the channel fulfils the main-store order; a cancelled channel order is cancelled there' },
				],
				default: 'mainToChannel',
			},
			{
				displayName: 'Orders',
				name: 'orders',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Changed Since Last Run', value: 'changed', description: 'The node finds the orders that changed since it last ran (for a Schedule Trigger)' },
					{ name: 'From Input Items', value: 'input', description: 'Channel orders (Fetch Channel Orders, Channel Orders Trigger) or Push Order to Main Store\'s Pushed items' },
				],
				default: 'changed',
			},
			{
				displayName: 'First Run Looks Back (Hours)',
				name: 'lookBackHours',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 72,
				description: 'How far back the first run reads; later runs read from where the last one stopped',
				displayOptions: { show: { orders: ['changed'] } },
			},
			{
				displayName: 'Notify Customer',
				name: 'notifyCustomer',
				type: 'boolean',
				default: true,
				description: 'Whether the buyer is told: Shopify sends its shipping confirmation; WooCommerce without Shipment Tracking gets the tracking as a customer note (emailed) instead of a private note',
			},
			{
				displayName: 'Mark Completed When Shipped in Full',
				name: 'markCompleted',
				type: 'boolean',
				default: true,
				description: 'Whether a WooCommerce order is set to completed once the other store has shipped everything (after its tracking is written). Shopify orders are fulfilled by the tracking itself.',
			},
			{
				displayName: 'Cancel in Main Store When Cancelled on Channel',
				name: 'cancelOnChannelCancel',
				type: 'boolean',
				default: true,
				description: 'Whether a channel order that is cancelled (or refunded in full) cancels its main-store order, restocking it, as Push Order to Main Store does',
				displayOptions: { show: { direction: ['channelToMain'] } },
			},
			{
				displayName: 'Carrier Names',
				name: 'carriers',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add carrier name',
				description: 'Carrier names to write differently from the built-in map: the name as the source store spells it → the name the other store knows (Shopify\'s exact company name, or a WooCommerce Shipment Tracking provider)',
				options: [
					{
						name: 'row',
						displayName: 'Carrier',
						values: [
							{ displayName: 'Source Name', name: 'from', type: 'string', default: '', placeholder: 'Royal Mail Tracked 48' },
							{ displayName: 'Write As', name: 'to', type: 'string', default: '', placeholder: 'Royal Mail' },
						],
					},
				],
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to only show what would be written, writing nothing (the cursor does not move)',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const outputs: INodeExecutionData[][] = [[], []];
		const p = (name: string, fallback?: unknown) => this.getNodeParameter(name, 0, fallback);
		const direction = p('direction') as TrackingDirection;
		const fromInput = p('orders') === 'input';
		const dryRun = p('dryRun') === true;
		const options = {
			direction, dryRun,
			settings: { carrierOverrides: readCarrierOverrides((((p('carriers', {}) as IDataObject).row as IDataObject[] | undefined) ?? [])), markCompleted: p('markCompleted') !== false },
			write: { notifyCustomer: p('notifyCustomer') !== false, customerNote: p('notifyCustomer') !== false },
			cancelOnChannelCancel: p('cancelOnChannelCancel', true) !== false,
		};
		const failRun = (error: unknown): INodeExecutionData[][] => {
			const failure = itemError(this, error, 0, undefined);
			if (!this.continueOnFail()) throw failure;
			return [[], [{ json: failedJson(failure), pairedItem: { item: 0 } }]];
		};

		let sides: OpenedSides;
		try {
			sides = await openTrackingSides(this, p('channel') as string, p('mainStore') as string, direction === 'channelToMain' && !fromInput);
		} catch (error) {
			return failRun(error);
		}

		// Which orders: those the input names, or those that changed since the last run.
		const pairs: TrackingPair[] = [];
		const memory = this.getWorkflowStaticData('node') as Memory;
		const cursorKey = `${direction}|${sides.main.storeId}|${sides.channelTracking.storeId}`;
		const started = Date.now();
		if (fromInput) {
			for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
				try {
					pairs.push({ itemIndex, ...readTrackingItem(items[itemIndex].json, { channel: sides.channel, storeId: sides.channelTracking.storeId, label: sides.channelLabel }) });
				} catch (error) {
					const failure = itemError(this, error, itemIndex, items[itemIndex].json, (json) => (json.channelOrderNumber ? `order ${String(json.channelOrderNumber)}` : undefined));
					if (!this.continueOnFail()) throw failure;
					outputs[FAILED].push({ json: failedJson(failure), pairedItem: { item: itemIndex } });
				}
			}
		}
		try {
			if (!fromInput) {
				const stored = memory.since?.[cursorKey];
				const since = new Date(stored ? Date.parse(stored) - OVERLAP_MS : started - Number(p('lookBackHours', 72)) * 3_600_000).toISOString();
				pairs.push(...(direction === 'mainToChannel' ? await changedMainOrders(sides, since) : await changedChannelOrders(sides, since)));
				// Orders whose write failed on an earlier run come again, even if they have not changed since.
				const seen = new Set(pairs.map((x) => x.key));
				for (const [key, entry] of Object.entries(memory.retry?.[cursorKey] ?? {})) {
					const orderId = key.slice(key.lastIndexOf(':') + 1);
					if (!seen.has(key)) pairs.push({ itemIndex: null, key, channelOrderId: orderId, channelOrderNumber: null, mainOrderId: entry.main, mainOrderNumber: null, order: null });
				}
			}
			await findMainOrders(sides.mainStore, pairs);
		} catch (error) {
			return failRun(error);
		}

		const results = await syncPairs(sides, pairs, options);
		for (const r of results) {
			const json = resultJson(r, direction, sides);
			outputs[r.outcome === 'failed' ? FAILED : SYNCED].push({ json, pairedItem: { item: r.pair.itemIndex ?? 0 } });
		}

		if (!fromInput && !dryRun) {
			(memory.since ??= {})[cursorKey] = new Date(started).toISOString();
			const retry = { ...(memory.retry?.[cursorKey] ?? {}) };
			const horizon = started - RETRY_DAYS * 86_400_000;
			for (const r of results) {
				if (r.outcome === 'failed' && r.pair.mainOrderId) retry[r.pair.key] = { main: r.pair.mainOrderId, at: retry[r.pair.key]?.at ?? new Date(started).toISOString() };
				else delete retry[r.pair.key];
			}
			const kept = Object.entries(retry).filter(([, e]) => Date.parse(e.at) >= horizon).sort((a, b) => b[1].at.localeCompare(a[1].at)).slice(0, MAX_RETRY);
			(memory.retry ??= {})[cursorKey] = Object.fromEntries(kept);
		}
		return outputs;
	}
}
