import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { DEFAULT_MAX_KNOWN, DEFAULT_OVERLAP_MS, applyPoll, initialCursor, readCursor, readFrom } from '../../core/cursor';
import type { CursorState } from '../../core/cursor';
import { matchesFilter } from '../../core/orderFilter';
import { parseInstant } from '../../core/orderWindow';
import { onTransientFailure } from '../../core/pollHealth';
import type { PollFailures } from '../../core/pollHealth';
import { isTransientFailure } from '../../platforms/errors';
import type { ChannelOrder, SalesChannel } from '../../platforms/channel';
import { CHANNEL_CREDENTIALS, openChannel } from '../../glue/channels';
import { platformNodeError } from '../../glue/errors';
import { CHANNEL_PROPERTY, INCLUDE_RAW, SKIP_UNPAID, STATUS_FILTER, orderItem, readFilter } from '../../glue/orderProperties';

interface TriggerStaticData {
	/** One cursor per channel store, so switching the credential to another store starts that store fresh. */
	cursors?: Record<string, CursorState>;
	/** Consecutive polls that failed for a transient reason, per channel store. */
	failures?: Record<string, PollFailures>;
}

/** Reads the whole window, or as many whole pages as fit in the time n8n gives a poll. */
async function readWindow(channel: SalesChannel, since: string, deadline: number): Promise<ChannelOrder[]> {
	const read: ChannelOrder[] = [];
	for await (const page of channel.readOrders({ since, by: 'updated' })) {
		read.push(...page);
		// Stopping between pages is safe: pages come oldest first, and the cursor moves only as far as read.
		if (Date.now() > deadline) break;
	}
	return read;
}

export class ChannelOrdersTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Channel Orders Trigger',
		name: 'channelOrdersTrigger',
		icon: 'file:channelOrdersTrigger.svg',
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["channel"] + ($parameter["emitChanges"] ? ": new and changed orders" : ": new orders") }}',
		description: 'Starts the workflow with a sales channel\'s new orders (and, if asked, changed ones), each exactly once',
		defaults: { name: 'Channel Orders Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: CHANNEL_CREDENTIALS,
		properties: [
			CHANNEL_PROPERTY,
			{
				displayName: 'Emit Changes Too',
				name: 'emitChanges',
				type: 'boolean',
				default: false,
				description: 'Whether an order already emitted comes out again when its status changes (cancelled, refunded, shipped), with `event: changed`, so cancellations can restock downstream',
			},
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Now', value: 'now', description: 'Only orders placed after the workflow is switched on' },
					{ name: 'A Date', value: 'date', description: 'Also orders placed since a date in the past' },
				],
				default: 'now',
			},
			{
				displayName: 'Start Date',
				name: 'startDate',
				type: 'dateTime',
				default: '',
				required: true,
				description: 'Orders placed from this moment on are emitted on the first poll',
				displayOptions: { show: { startFrom: ['date'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					INCLUDE_RAW,
					{
						displayName: 'Failed Polls Before Alerting',
						name: 'toleratedFailures',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 2,
						description: 'How many polls in a row may fail because the store is down or overloaded before the trigger reports an error (and n8n\'s error workflow alerts you). Such polls read nothing and lose nothing: the next good poll reads the same window. Wrong keys are reported at once.',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 10,
						description: 'How far back each poll re-reads, to catch late writes and clock differences; orders seen before are never emitted twice',
					},
					SKIP_UNPAID,
					STATUS_FILTER,
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const channelId = this.getNodeParameter('channel') as string;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const filter = readFilter(options);
		const includeRaw = options.includeRaw === true;
		const channel = await openChannel(this, channelId);

		if (this.getMode() === 'manual') {
			// "Fetch test event": a sample of recent orders; the cursor does not move.
			const sample = await channel.recentOrders(5).then((v) => v, (error: unknown) => error as Error);
			if (sample instanceof Error) throw platformNodeError(this.getNode(), sample) ?? sample;
			const shown = sample.filter(({ order }) => matchesFilter(order, filter));
			if (shown.length === 0) return null;
			return [shown.map(({ order, raw }) => ({ json: orderItem(order, raw, includeRaw, { event: 'new', changed: [], previous: null }) }))];
		}

		const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
		const key = `${channelId}:${channel.storeId}`;
		let cursor = readCursor(staticData.cursors?.[key]);
		if (!cursor) {
			let startedAt = new Date().toISOString();
			if (this.getNodeParameter('startFrom') === 'date') {
				const value = this.getNodeParameter('startDate') as unknown;
				const parsed = parseInstant(value);
				if (parsed === undefined) {
					throw new NodeOperationError(this.getNode(), `Start Date is "${String(value)}", which is not a date and time`, {
						description: 'Fix: give an ISO 8601 date such as 2026-01-31T00:00:00Z, or set Start From to Now.',
					});
				}
				startedAt = parsed;
			}
			cursor = initialCursor(startedAt);
		}
		const overlapMs = typeof options.overlapMinutes === 'number' ? options.overlapMinutes * 60_000 : DEFAULT_OVERLAP_MS;
		const budget = (this as IPollFunctions & { getPollBudgetMs?: () => number }).getPollBudgetMs?.();
		const deadline = Date.now() + (budget ? budget * 0.8 : 10 * 60_000);

		// A failed read leaves the cursor where it was: the next poll reads the same window again.
		const read = await readWindow(channel, readFrom(cursor, overlapMs), deadline).then((v) => v, (error: unknown) => error as Error);
		if (read instanceof Error) {
			const tolerated = typeof options.toleratedFailures === 'number' ? options.toleratedFailures : 2;
			const decision = isTransientFailure(read)
				? onTransientFailure(staticData.failures?.[key], read.message, new Date().toISOString(), tolerated)
				: ({ report: true } as const);
			if (decision.report) throw platformNodeError(this.getNode(), read) ?? read;
			// Quiet: nothing read, no cursor moved; the count is kept for the next poll.
			staticData.failures = { ...(staticData.failures ?? {}), [key]: decision.next };
			return null;
		}
		if (staticData.failures?.[key]) {
			const others = { ...staticData.failures };
			delete others[key];
			staticData.failures = others;
		}

		const raws = new Map<string, unknown>(read.map(({ order, raw }) => [order.channelOrderId, raw]));
		const { emit, next } = applyPoll(cursor, read.map((r) => r.order), {
			overlapMs,
			maxKnown: DEFAULT_MAX_KNOWN,
			qualifies: (order) => matchesFilter(order, filter),
			emitChanges: this.getNodeParameter('emitChanges') === true,
		});
		staticData.cursors = { ...(staticData.cursors ?? {}), [key]: next };
		if (emit.length === 0) return null;
		return [
			emit.map((e) => ({
				json: orderItem(e.order, raws.get(e.order.channelOrderId), includeRaw, {
					event: e.event,
					changed: e.changed,
					previous: e.previous as IDataObject | null,
				}),
			})),
		];
	}
}
