/**
 * Bulk query operations, as https://shopify.dev/docs/api/usage/bulk-operations/queries describes them:
 * `bulkOperationRunQuery` validates the inner query (the schema, then the bulk restrictions), runs it over
 * the same resolvers as any query with every connection unpaginated, and writes the result as JSONL; the
 * operation then reports RUNNING with a growing objectCount for a simulated processing time and COMPLETED
 * with a signed `url` on the simulator's stand-in for the storage host (GET /__bulk/<n>.jsonl?sig=…),
 * which, like Google Cloud Storage behind a signed URL, wants no Shopify credentials.
 *
 * Where the docs give no wording, user error messages are the ones Shopify's Admin API (2026-04) was seen
 * to return: responses captured from a live store in public conformance fixtures (marked "observed");
 * the few marked "our reading" are not known from Shopify.
 *
 * Not modelled: `groupObjects` (2025-10+; it cannot be added to the 2025-01 schema by extension, and its
 * default from 2026-01 is the ungrouped format served here), the `bulkOperations` list query, bulk
 * mutations, the bulk_operations/finish webhook, URL expiry (7 days) and the EXPIRED status.
 */
import { randomBytes } from 'node:crypto';
import {
	GraphQLError, Kind, defaultFieldResolver, executeSync, getNamedType, getNullableType, getVariableValues, isAbstractType, isInterfaceType,
	isListType, isObjectType, parse, validate,
} from 'graphql';
import type {
	DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLFieldResolver, GraphQLFormattedError, GraphQLNamedType, GraphQLSchema, SelectionSetNode,
} from 'graphql';
import type { SimRequest, SimResponse } from '../common/server';
import { isConnection, selectOperation } from './cost';
import { gid, parseGid } from './data';
import type { ShopData } from './data';
import { EVERY_NODE } from './pagination';
import { isoSeconds, newId } from './store';
import type { View } from './views';

type Args = Record<string, unknown>;

/** Where result files are served: the simulator's stand-in for the storage host's signed URLs. */
export const BULK_DOWNLOAD_PATH = /^\/__bulk\/(\d+)\.jsonl$/;

/**
 * How long CANCELING lasts before CANCELED. Our reading of "there may be a short delay from when a
 * cancelation starts until the operation is actually canceled":
 * https://shopify.dev/docs/api/admin-graphql/latest/mutations/bulkOperationCancel
 */
const CANCEL_DELAY_MS = 200;

/** https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions */
const MAX_CONNECTIONS = 5;
const MAX_NESTING_DEPTH = 2;

type BulkStatus = 'CREATED' | 'RUNNING' | 'CANCELING' | 'CANCELED' | 'COMPLETED' | 'FAILED';
const TERMINAL: ReadonlySet<BulkStatus> = new Set<BulkStatus>(['CANCELED', 'COMPLETED', 'FAILED']);

interface UserError {
	field: string[] | null;
	message: string;
	code?: string;
}

export interface BulkTiming {
	/** Objects (JSONL lines) processed per second once started. */
	objectsPerSecond: number;
	/** Time before the first object is processed. */
	startupMs: number;
}

export interface BulkDeps {
	data: ShopData;
	schema: GraphQLSchema;
	/** The QueryRoot value normal queries execute against: bulk queries resolve through the very same views. */
	queryRoot: () => View;
	/** The simulator's base URL, for result file URLs. */
	baseUrl: () => string;
	/** graphql-js validation errors as Shopify words them. */
	formatError: (error: GraphQLError) => GraphQLFormattedError;
	timing: BulkTiming;
}

interface BulkRecord {
	n: number;
	id: string;
	query: string;
	createdAt: string;
	createdMs: number;
	/** When processing starts (the file is written then), and when it ends. */
	startMs: number;
	doneMs: number;
	jsonl: string;
	/** JSONL lines (objects) in the result; rootPrefix[k] = how many of the first k are root objects. */
	objects: number;
	rootPrefix: Uint32Array;
	/** The query ran into errors: the operation ends FAILED, with what it got as partial data. */
	failed: boolean;
	sig: string;
	cancelledAtMs?: number;
	cancelledCount?: number;
}

/** One connection field of a bulk query, as the restrictions and the JSONL flattening see it. */
interface ConnectionUse {
	field: FieldNode;
	/** 0 for the top-level connection, 1 for one nested in its nodes, and so on. */
	depth: number;
	withinList: boolean;
	nodeType: GraphQLNamedType | undefined;
	/** Selections of `edges { node { … } }`. */
	nodeSelections: SelectionSetNode[];
	/** Selects its nodes some other way (`nodes { … }`) or not at all. */
	withoutEdgesNode: boolean;
	/** Has connections nested in its nodes: their lines get its nodes' ids as `__parentId`. */
	hasNested: boolean;
}

/** A validated bulk query: the document, and its connections by field node (for flattening). */
interface Plan {
	document: DocumentNode;
	root: ConnectionUse;
	connections: Map<FieldNode, ConnectionUse>;
	fragments: Record<string, FragmentDefinitionNode>;
}

function invalid(message: string): UserError {
	return { field: ['query'], message, code: 'INVALID' };
}

/** Fields of a selection set through its fragments, each with the type it is selected on. */
function collectFields(
	schema: GraphQLSchema,
	fragments: Record<string, FragmentDefinitionNode>,
	selectionSet: SelectionSetNode | undefined,
	type: GraphQLNamedType,
): Array<{ field: FieldNode; type: GraphQLNamedType }> {
	const out: Array<{ field: FieldNode; type: GraphQLNamedType }> = [];
	if (!selectionSet) return out;
	for (const selection of selectionSet.selections) {
		if (selection.kind === Kind.FIELD) {
			out.push({ field: selection, type });
		} else if (selection.kind === Kind.INLINE_FRAGMENT) {
			const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : undefined;
			out.push(...collectFields(schema, fragments, selection.selectionSet, condition ?? type));
		} else {
			const fragment = fragments[selection.name.value];
			if (fragment) out.push(...collectFields(schema, fragments, fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? type));
		}
	}
	return out;
}

/** Whether objects of `type` are Nodes (for an interface or union: every possible type is). */
function isNodeType(schema: GraphQLSchema, type: GraphQLNamedType | undefined): boolean {
	if (!type) return false;
	if (isObjectType(type)) return type.getInterfaces().some((i) => i.name === 'Node');
	if (isAbstractType(type)) {
		if (isInterfaceType(type) && type.getInterfaces().some((i) => i.name === 'Node')) return true;
		const possible = schema.getPossibleTypes(type);
		return possible.length > 0 && possible.every((t) => isNodeType(schema, t));
	}
	return false;
}

/** Resolves every connection whole (see EVERY_NODE); everything else as graphql-js always does. */
const everyNodeResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) =>
	defaultFieldResolver(source, isConnection(getNamedType(info.returnType)) ? { ...args, [EVERY_NODE]: true } : args, context, info);

/**
 * Shopify's concurrency limit for bulk queries: five at a time per shop and app from API version 2026-01,
 * one before: https://shopify.dev/docs/api/usage/bulk-operations/queries#limitations
 */
export function concurrentBulkQueries(apiVersion: string | undefined): number {
	return apiVersion === undefined || apiVersion === 'unstable' || apiVersion >= '2026-01' ? 5 : 1;
}

export class BulkOperations {
	private readonly records = new Map<number, BulkRecord>();
	/** Newest last. */
	private readonly order: BulkRecord[] = [];

	constructor(private readonly deps: BulkDeps) {}

	reset(): void {
		this.records.clear();
		this.order.length = 0;
	}

	// ---- validation -------------------------------------------------------------------------------------

	/**
	 * The inner query checked as Shopify checks it: parse and schema validation ("Invalid bulk query: …",
	 * observed for syntax errors), a query operation (observed wording), then the bulk restrictions of
	 * https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions with the messages
	 * Shopify returns for them (observed), in the order it lists them.
	 */
	plan(query: string): { plan?: Plan; errors: UserError[] } {
		const { schema, formatError } = this.deps;
		let document: DocumentNode;
		try {
			document = parse(query);
		} catch (error) {
			const message = (error as GraphQLError).message;
			return { errors: [invalid(`Invalid bulk query: ${/Unexpected <EOF>/.test(message) ? 'syntax error, unexpected end of file' : message}`)] };
		}
		const validation = validate(schema, document);
		if (validation.length > 0) return { errors: validation.map((e) => invalid(`Invalid bulk query: ${formatError(e).message}`)) };
		const operation = selectOperation(document);
		// Our reading: a document with several operations has no operation name to pick one by.
		if (!operation) return { errors: [invalid('Invalid bulk query: An operation name is required')] };
		if (operation.operation !== 'query') return { errors: [invalid('Invalid operation type. Only `query` operations are supported.')] };
		const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], {});
		if (coerced.errors) return { errors: coerced.errors.map((e) => invalid(`Invalid bulk query: ${e.message}`)) };

		const fragments: Record<string, FragmentDefinitionNode> = {};
		for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
		const queryType = schema.getQueryType()!;
		const connections = new Map<FieldNode, ConnectionUse>();
		const walk = (selectionSet: SelectionSetNode | undefined, type: GraphQLNamedType, enclosing: ConnectionUse | undefined, withinList: boolean): void => {
			for (const { field, type: parentType } of collectFields(schema, fragments, selectionSet, type)) {
				if (connections.has(field)) continue;
				const def = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[field.name.value] : undefined;
				if (!def) continue;
				const named = getNamedType(def.type);
				if (!isConnection(named) || !isObjectType(named)) {
					if (field.selectionSet) walk(field.selectionSet, named, enclosing, withinList || isListType(getNullableType(def.type)));
					continue;
				}
				const edgeType = getNamedType(named.getFields().edges?.type);
				const nodeType = edgeType && isObjectType(edgeType) ? getNamedType(edgeType.getFields().node?.type) : undefined;
				const use: ConnectionUse = {
					field, depth: enclosing ? enclosing.depth + 1 : 0, withinList, nodeType, nodeSelections: [], withoutEdgesNode: false, hasNested: false,
				};
				connections.set(field, use);
				if (enclosing) enclosing.hasNested = true;
				for (const { field: sub } of collectFields(schema, fragments, field.selectionSet, named)) {
					if (sub.name.value === 'nodes') use.withoutEdgesNode = true;
					if (sub.name.value !== 'edges') continue;
					for (const { field: inner } of collectFields(schema, fragments, sub.selectionSet, edgeType ?? named)) {
						if (inner.name.value === 'node' && inner.selectionSet) use.nodeSelections.push(inner.selectionSet);
					}
				}
				if (use.nodeSelections.length === 0) use.withoutEdgesNode = true;
				for (const nodeSelection of use.nodeSelections) walk(nodeSelection, nodeType ?? named, use, false);
			}
		};
		walk(operation.selectionSet, queryType, undefined, false);

		const all = [...connections.values()];
		const rootFields = collectFields(schema, fragments, operation.selectionSet, queryType).filter((f) => !f.field.name.value.startsWith('__'));
		const errors: UserError[] = [];
		const viaNodes = all.filter((c) => c.withoutEdgesNode).map((c) => c.field.name.value);
		if (viaNodes.length > 0) {
			errors.push(invalid(
				`All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${viaNodes[0]} { edges { node {'. ` +
				`Selecting via 'nodes' is not supported. Invalid connection fields: '${viaNodes.join("', '")}'.`,
			));
		}
		const topLevelNode = rootFields.find((f) => f.field.name.value === 'node' || f.field.name.value === 'nodes');
		// Observed for `node`; `nodes` is our reading by analogy (the docs forbid both).
		if (topLevelNode) errors.push(invalid(`Bulk queries cannot contain a top level \`${topLevelNode.field.name.value}\` field.`));
		if (all.some((c) => c.depth > MAX_NESTING_DEPTH)) errors.push(invalid(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_NESTING_DEPTH}.`));
		if (all.length > MAX_CONNECTIONS) errors.push(invalid(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`));
		const withoutId = all.filter((c) => c.hasNested && !collectFields(schema, fragments, { kind: Kind.SELECTION_SET, selections: c.nodeSelections.flatMap((s) => s.selections) }, c.nodeType ?? queryType)
			.some((f) => f.field.name.value === 'id' && !f.field.alias));
		if (withoutId.length > 0) {
			errors.push(invalid(
				"The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. " +
				`Connection fields without 'id': ${withoutId.map((c) => c.field.name.value).join(', ')}.`,
			));
		}
		// "Connections must implement the Node interface": Shopify enforces it on the parents of nested
		// connections (their id becomes the children's __parentId); leaf connections of non-Node objects
		// (Order.shippingLines) are accepted in practice. Observed wording.
		const notNodes = all.filter((c) => c.hasNested && !isNodeType(schema, c.nodeType));
		if (notNodes.length > 0) {
			errors.push(invalid(
				"The parent 'node' field for a nested connection must return a type that implements the 'Node' interface. " +
				`Invalid connections: ${notNodes.map((c) => c.field.name.value).join(', ')}.`,
			));
		}
		if (all.some((c) => c.withinList)) errors.push(invalid('Queries that contain a connection field within a list field are not currently supported.'));
		const root = rootFields.length === 1 ? connections.get(rootFields[0].field) : undefined;
		if (all.length > 0 && !root && !topLevelNode) {
			// Our reading of "querying a single top-level field" whose nodes make the file's root lines.
			errors.push(invalid('Bulk queries must select a single top-level connection field.'));
		}
		if (all.length === 0 && (errors.length === 0 || (topLevelNode && errors.length === 1))) errors.push(invalid('Bulk queries must contain at least one connection.'));
		if (errors.length > 0 || !root) return { errors };
		return { plan: { document, root, connections, fragments }, errors: [] };
	}

	// ---- execution and the JSONL file -------------------------------------------------------------------

	/**
	 * Runs the plan over the live store and writes the JSONL file
	 * (https://shopify.dev/docs/api/usage/bulk-operations/queries#the-jsonl-data-format): one line per node
	 * of every connection; a nested connection's nodes are lines of their own with `__parentId`, after their
	 * parent, and are left out of it; other nested objects and lists stay inline; `cursor` and `pageInfo`
	 * are ignored (https://shopify.dev/docs/api/usage/bulk-operations/queries#write-a-bulk-operation).
	 */
	private execute(plan: Plan): { lines: string[]; roots: boolean[]; failed: boolean } {
		const { schema, queryRoot } = this.deps;
		const result = executeSync({ schema, document: plan.document, rootValue: queryRoot(), fieldResolver: everyNodeResolver });
		const lines: string[] = [];
		const roots: boolean[] = [];
		const strip = (object: Record<string, unknown>, selectionSet: SelectionSetNode, children: Array<[unknown, ConnectionUse]>): void => {
			// The result already holds only what applies to each object's type, so type conditions do not matter here.
			for (const { field } of collectFields(schema, plan.fragments, selectionSet, schema.getQueryType()!)) {
				const key = field.alias?.value ?? field.name.value;
				if (!(key in object)) continue;
				const connection = plan.connections.get(field);
				if (connection) {
					children.push([object[key], connection]);
					delete object[key];
				} else if (field.selectionSet && object[key] !== null && typeof object[key] === 'object' && !Array.isArray(object[key])) {
					const inner = { ...(object[key] as Record<string, unknown>) };
					object[key] = inner;
					strip(inner, field.selectionSet, children);
				}
			}
		};
		const emit = (value: unknown, connection: ConnectionUse, parentId: string | undefined): void => {
			const edges = (value as { edges?: Array<{ node?: unknown } | null> } | null)?.edges ?? [];
			const selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: connection.nodeSelections.flatMap((s) => s.selections) };
			for (const edge of edges) {
				const node = edge?.node;
				if (node === null || typeof node !== 'object') continue;
				const line: Record<string, unknown> = { ...(node as Record<string, unknown>) };
				const children: Array<[unknown, ConnectionUse]> = [];
				strip(line, selectionSet, children);
				if (parentId !== undefined) line.__parentId = parentId;
				lines.push(JSON.stringify(line));
				roots.push(parentId === undefined);
				for (const [child, use] of children) emit(child, use, typeof line.id === 'string' ? line.id : undefined);
			}
		};
		const rootKey = plan.root.field.alias?.value ?? plan.root.field.name.value;
		emit((result.data as Record<string, unknown> | null | undefined)?.[rootKey], plan.root, undefined);
		return { lines, roots, failed: (result.errors?.length ?? 0) > 0 };
	}

	// ---- operations -------------------------------------------------------------------------------------

	private processed(record: BulkRecord, now: number): number {
		const { objectsPerSecond, startupMs } = this.deps.timing;
		const elapsed = now - record.startMs - startupMs;
		return Math.min(record.objects, Math.max(0, Math.floor((elapsed * objectsPerSecond) / 1000)));
	}

	private status(record: BulkRecord, now: number): BulkStatus {
		if (record.cancelledAtMs !== undefined) return now - record.cancelledAtMs < CANCEL_DELAY_MS ? 'CANCELING' : 'CANCELED';
		if (now < record.doneMs) return 'RUNNING';
		return record.failed ? 'FAILED' : 'COMPLETED';
	}

	private fileUrl(record: BulkRecord): string {
		return `${this.deps.baseUrl()}/__bulk/${record.n}.jsonl?sig=${record.sig}`;
	}

	/**
	 * The BulkOperation object at `now` (https://shopify.dev/docs/api/admin-graphql/latest/objects/BulkOperation):
	 * objectCount counts every line processed so far, rootObjectCount the root ones; the file's url and size
	 * once COMPLETED, and no url when the result is empty (https://shopify.dev/docs/api/usage/bulk-operations/queries#step-3-retrieve-your-data);
	 * a FAILED operation offers what it got as partialDataUrl (https://shopify.dev/docs/api/usage/bulk-operations/queries#download-result-data).
	 */
	view(record: BulkRecord, now = Date.now(), created = false): View {
		const status: BulkStatus = created ? 'CREATED' : this.status(record, now);
		const finished = status === 'COMPLETED' || status === 'FAILED';
		const count = created ? 0 : finished ? record.objects : (record.cancelledCount ?? this.processed(record, now));
		const hasFile = record.objects > 0;
		return {
			__typename: 'BulkOperation',
			id: record.id,
			type: 'QUERY',
			status,
			query: record.query,
			createdAt: record.createdAt,
			completedAt: status === 'COMPLETED' ? isoSeconds(Date.parse(record.createdAt) + (record.doneMs - record.createdMs)) : null,
			errorCode: status === 'FAILED' ? 'INTERNAL_SERVER_ERROR' : null,
			objectCount: String(count),
			rootObjectCount: String(record.rootPrefix[count]),
			fileSize: status === 'COMPLETED' && hasFile ? String(Buffer.byteLength(record.jsonl)) : null,
			url: status === 'COMPLETED' && hasFile ? this.fileUrl(record) : null,
			partialDataUrl: status === 'FAILED' && hasFile ? this.fileUrl(record) : null,
		};
	}

	private find(id: unknown): BulkRecord | undefined {
		const parsed = parseGid(String(id));
		if (!parsed) throw new GraphQLError(`Invalid global id '${String(id)}'`, { extensions: { code: 'argumentLiteralsIncompatible' } });
		return parsed.type === 'BulkOperation' ? this.records.get(parsed.id) : undefined;
	}

	/** For node(id:) on BulkOperation gids. */
	node(id: string): View | null {
		const record = this.find(id);
		return record ? this.view(record) : null;
	}

	/**
	 * bulkOperationRunQuery: https://shopify.dev/docs/api/admin-graphql/latest/mutations/bulkOperationRunQuery
	 * Validates, refuses a query beyond the concurrency limit with OPERATION_IN_PROGRESS (observed wording,
	 * listing the operations in progress), else creates the operation (CREATED) and runs it now; the file is
	 * ready, and the operation COMPLETED, after the simulated startup and processing time.
	 */
	private run(args: Args, context: { apiVersion?: string } | undefined): View {
		const query = String(args.query);
		const { plan, errors } = this.plan(query);
		if (!plan) return { bulkOperation: null, userErrors: errors };
		const now = Date.now();
		const running = this.order.filter((r) => !TERMINAL.has(this.status(r, now)));
		if (running.length >= concurrentBulkQueries(context?.apiVersion)) {
			return {
				bulkOperation: null,
				userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${running.map((r) => r.id).join(', ')}.`, code: 'OPERATION_IN_PROGRESS' }],
			};
		}
		const n = newId(this.deps.data.store);
		const record: BulkRecord = {
			n, id: gid('BulkOperation', n), query, createdAt: this.deps.data.now(), createdMs: now, startMs: now, doneMs: Number.POSITIVE_INFINITY,
			jsonl: '', objects: 0, rootPrefix: new Uint32Array(1), failed: false, sig: randomBytes(16).toString('hex'),
		};
		this.records.set(n, record);
		this.order.push(record);
		// Run right after this answer, as Shopify runs it in the background; the simulated processing
		// time starts once the file is written.
		setImmediate(() => this.write(record, plan));
		return { bulkOperation: this.view(record, now, true), userErrors: [] };
	}

	/** Runs the operation's query and writes its file; RUNNING (count 0) until then. */
	private write(record: BulkRecord, plan: Plan): void {
		let outcome: { lines: string[]; roots: boolean[]; failed: boolean };
		try {
			outcome = this.execute(plan);
		} catch {
			outcome = { lines: [], roots: [], failed: true };
		}
		const { lines, roots, failed } = outcome;
		const rootPrefix = new Uint32Array(lines.length + 1);
		roots.forEach((isRoot, i) => (rootPrefix[i + 1] = rootPrefix[i] + (isRoot ? 1 : 0)));
		const { objectsPerSecond, startupMs } = this.deps.timing;
		record.startMs = Date.now();
		record.doneMs = record.startMs + startupMs + Math.ceil((lines.length * 1000) / objectsPerSecond);
		record.jsonl = lines.length > 0 ? `${lines.join('\n')}\n` : '';
		record.objects = lines.length;
		record.rootPrefix = rootPrefix;
		record.failed = failed;
	}

	/**
	 * bulkOperationCancel: https://shopify.dev/docs/api/admin-graphql/latest/mutations/bulkOperationCancel
	 * CANCELING at once, CANCELED shortly after, with the count reached; unknown ids and finished operations
	 * get user errors (observed wordings).
	 */
	private cancel(args: Args): View {
		const record = this.find(args.id);
		if (!record) return { bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] };
		const now = Date.now();
		const status = this.status(record, now);
		if (TERMINAL.has(status)) {
			return { bulkOperation: this.view(record, now), userErrors: [{ field: null, message: `A bulk operation cannot be canceled when it is ${status.toLowerCase()}` }] };
		}
		if (record.cancelledAtMs === undefined) {
			record.cancelledCount = this.processed(record, now);
			record.cancelledAtMs = now;
		}
		return { bulkOperation: this.view(record, now), userErrors: [] };
	}

	/** Mutation fields: bulkOperationRunQuery, bulkOperationCancel. */
	mutationFields(): View {
		return {
			bulkOperationRunQuery: (args: Args, context: { apiVersion?: string } | undefined) => this.run(args, context),
			bulkOperationCancel: (args: Args) => this.cancel(args),
		};
	}

	/**
	 * QueryRoot fields: currentBulkOperation(type:), the app's most recent operation of the type
	 * (https://shopify.dev/docs/api/admin-graphql/latest/queries/currentBulkOperation; the simulator runs no
	 * bulk mutations, so MUTATION is null), and bulkOperation(id:) from 2026-01
	 * (https://shopify.dev/docs/api/admin-graphql/2026-01/queries/bulkOperation).
	 */
	queryFields(): View {
		return {
			currentBulkOperation: (args: Args) => {
				const latest = this.order[this.order.length - 1];
				return args.type === 'MUTATION' || !latest ? null : this.view(latest);
			},
			bulkOperation: (args: Args) => this.node(String(args.id)),
		};
	}

	/**
	 * GET /__sim/bulk: every operation with its BulkOperation fields as a poll would see them now, oldest
	 * first, plus `simServerMs` (not a Shopify field): from creation to completion in milliseconds, the
	 * floor a client's read cannot beat.
	 */
	list(): View[] {
		const now = Date.now();
		return this.order.map((r) => {
			const fields = this.view(r, now);
			delete fields.__typename;
			return { ...fields, simServerMs: Number.isFinite(r.doneMs) ? r.doneMs - r.createdMs : null };
		});
	}

	/**
	 * A result file download, as from a Google Cloud Storage signed URL: the signature in the URL is the
	 * only credential (wrong or missing: 403, GCS's XML error); any Shopify credential sent along is
	 * refused with 400, so a client that leaks the store's token to the storage host fails here, loudly.
	 */
	download(request: SimRequest, n: number): SimResponse {
		if (request.headers['x-shopify-access-token'] !== undefined || request.headers.authorization !== undefined) {
			return { status: 400, body: { error: 'unexpected credentials sent to the storage host' } };
		}
		const xml = (code: string, message: string): SimResponse => ({
			status: 403,
			headers: { 'content-type': 'application/xml; charset=UTF-8' },
			body: `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
		});
		const sig = request.query.get('sig');
		if (!sig) return xml('AccessDenied', 'Access denied. Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object.');
		const record = this.records.get(n);
		if (!record || record.sig !== sig || record.objects === 0) {
			return xml('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
		}
		if (request.method !== 'GET' && request.method !== 'HEAD') return { status: 405, body: { error: 'method not allowed' } };
		return {
			status: 200,
			headers: { 'content-type': 'application/jsonl', 'content-disposition': `attachment; filename="bulk-${n}.jsonl"` },
			body: request.method === 'HEAD' ? '' : record.jsonl,
		};
	}
}
