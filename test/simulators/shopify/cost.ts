/**
 * Query cost as Shopify documents it (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
 * scalars and enums 0, objects 1, connections 2 + `first` (or `last`) × the cost of one node, interfaces and
 * unions the most expensive possible selection, each mutation field 10. Requested cost uses the page sizes
 * asked for; actual cost counts the nodes really returned. Our readings where the page is silent: a plain
 * list of objects with a `first` argument costs `first` × one element (`nodes(ids:)`: one per id), without
 * one it costs as one object; `edges`, `pageInfo` and the connection wrapper are free (their cost is the 2).
 */
import { Kind, getArgumentValues, getNamedType, getNullableType, isLeafType, isListType, isObjectType, isInterfaceType } from 'graphql';
import type {
	DocumentNode,
	FieldNode,
	FragmentDefinitionNode,
	GraphQLField,
	GraphQLNamedType,
	GraphQLObjectType,
	GraphQLSchema,
	OperationDefinitionNode,
	SelectionSetNode,
} from 'graphql';

export const MUTATION_COST = 10;
export const MAX_SINGLE_QUERY_COST = 1000;

interface Walk {
	schema: GraphQLSchema;
	fragments: Record<string, FragmentDefinitionNode>;
	variables: Record<string, unknown>;
}

type Fields = Record<string, GraphQLField<unknown, unknown>>;

function fieldsOf(type: GraphQLNamedType): Fields | undefined {
	return isObjectType(type) || isInterfaceType(type) ? (type.getFields() as Fields) : undefined;
}

/** A Relay connection type (OrderConnection, LineItemConnection, …): costed by page size, and flattened in bulk results. */
export function isConnection(type: GraphQLNamedType): boolean {
	return type.name.endsWith('Connection') && isObjectType(type);
}

/**
 * How many elements a field asks for: `first`/`last` on connections and on lists that take them, the
 * number of `ids` on lists looked up by id (`nodes(ids:)`); undefined when the field gives no size.
 */
function pageSize(def: GraphQLField<unknown, unknown>, node: FieldNode, walk: Walk): number | undefined {
	const sized = def.args.some((a) => a.name === 'first' || a.name === 'last' || a.name === 'ids');
	if (!sized) return undefined;
	try {
		const args = getArgumentValues(def, node, walk.variables);
		const size = args.first ?? args.last ?? (Array.isArray(args.ids) ? args.ids.length : undefined);
		return typeof size === 'number' ? size : undefined;
	} catch {
		return undefined;
	}
}

/** Fields of a selection set grouped by type condition: [unconditional fields, ...one list per fragment type]. */
function collect(selectionSet: SelectionSetNode, walk: Walk, into: Map<string, FieldNode[]>, typeName: string): void {
	for (const selection of selectionSet.selections) {
		if (selection.kind === Kind.FIELD) {
			const list = into.get(typeName) ?? [];
			list.push(selection);
			into.set(typeName, list);
		} else if (selection.kind === Kind.INLINE_FRAGMENT) {
			collect(selection.selectionSet, walk, into, selection.typeCondition?.name.value ?? typeName);
		} else {
			const fragment = walk.fragments[selection.name.value];
			if (fragment) collect(fragment.selectionSet, walk, into, fragment.typeCondition.name.value);
		}
	}
}

function selectionCost(selectionSet: SelectionSetNode | undefined, type: GraphQLNamedType, walk: Walk): number {
	if (!selectionSet) return 0;
	const groups = new Map<string, FieldNode[]>();
	collect(selectionSet, walk, groups, type.name);
	const base = sumFields(groups.get(type.name) ?? [], type, walk);
	let most = 0;
	for (const [typeName, nodes] of groups) {
		if (typeName === type.name) continue;
		const conditionType = walk.schema.getType(typeName) ?? type;
		most = Math.max(most, sumFields(nodes, conditionType, walk));
	}
	return base + most;
}

function sumFields(nodes: FieldNode[], type: GraphQLNamedType, walk: Walk): number {
	const fields = fieldsOf(type);
	let total = 0;
	for (const node of nodes) {
		const def = fields?.[node.name.value];
		if (def) total += fieldCost(def, node, walk);
	}
	return total;
}

function fieldCost(def: GraphQLField<unknown, unknown>, node: FieldNode, walk: Walk): number {
	const named = getNamedType(def.type);
	if (isLeafType(named)) return 0;
	if (isConnection(named)) {
		const size = pageSize(def, node, walk) ?? 0;
		return 2 + size * connectionNodeCost(node.selectionSet, named as GraphQLObjectType, walk);
	}
	const inner = 1 + selectionCost(node.selectionSet, named, walk);
	if (isListType(getNullableType(def.type))) {
		const size = pageSize(def, node, walk);
		return size === undefined ? inner : size * inner;
	}
	return inner;
}

/** One node of a connection: `nodes { … }` or `edges { node { … } }`, whichever selects more. */
function connectionNodeCost(selectionSet: SelectionSetNode | undefined, connection: GraphQLObjectType, walk: Walk): number {
	if (!selectionSet) return 0;
	const nodeType = getNamedType(connection.getFields().nodes?.type ?? connection.getFields().edges.type);
	let most = 0;
	const groups = new Map<string, FieldNode[]>();
	collect(selectionSet, walk, groups, connection.name);
	for (const field of groups.get(connection.name) ?? []) {
		if (field.name.value === 'nodes') most = Math.max(most, 1 + selectionCost(field.selectionSet, nodeType, walk));
		if (field.name.value === 'edges' && field.selectionSet) {
			const edgeGroups = new Map<string, FieldNode[]>();
			collect(field.selectionSet, walk, edgeGroups, 'edge');
			for (const edgeField of edgeGroups.get('edge') ?? []) {
				if (edgeField.name.value === 'node') most = Math.max(most, 1 + selectionCost(edgeField.selectionSet, nodeType, walk));
			}
		}
	}
	return most;
}

function walkOf(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): Walk {
	const fragments: Record<string, FragmentDefinitionNode> = {};
	for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
	return { schema, fragments, variables };
}

export function selectOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
	const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
	if (operationName) return operations.find((o) => o.name?.value === operationName);
	return operations.length === 1 ? operations[0] : undefined;
}

/** The cost Shopify charges before running the operation (the bucket must hold at least this much). */
export function requestedQueryCost(
	schema: GraphQLSchema,
	document: DocumentNode,
	operation: OperationDefinitionNode,
	variables: Record<string, unknown>,
): number {
	if (operation.operation === 'mutation') {
		return operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value !== '__typename').length * MUTATION_COST;
	}
	const root = schema.getQueryType();
	return root ? selectionCost(operation.selectionSet, root, walkOf(schema, document, variables)) : 0;
}

/** The cost of what was actually returned: connections count the nodes they hold, not the page size. */
export function actualQueryCost(
	schema: GraphQLSchema,
	document: DocumentNode,
	operation: OperationDefinitionNode,
	variables: Record<string, unknown>,
	data: unknown,
): number {
	if (operation.operation === 'mutation') return requestedQueryCost(schema, document, operation, variables);
	const root = schema.getQueryType();
	return root ? actualSelection(operation.selectionSet, root, data, walkOf(schema, document, variables)) : 0;
}

function actualSelection(selectionSet: SelectionSetNode | undefined, type: GraphQLNamedType, data: unknown, walk: Walk): number {
	if (!selectionSet || data === null || typeof data !== 'object') return 0;
	const record = data as Record<string, unknown>;
	const groups = new Map<string, FieldNode[]>();
	collect(selectionSet, walk, groups, type.name);
	let total = 0;
	const seen = new Set<string>();
	for (const [typeName, nodes] of groups) {
		const fields = fieldsOf(walk.schema.getType(typeName) ?? type);
		for (const node of nodes) {
			const key = node.alias?.value ?? node.name.value;
			const def = fields?.[node.name.value];
			if (!def || seen.has(key)) continue;
			seen.add(key);
			total += actualField(def, node, record[key], walk);
		}
	}
	return total;
}

function actualField(def: GraphQLField<unknown, unknown>, node: FieldNode, value: unknown, walk: Walk): number {
	const named = getNamedType(def.type);
	if (isLeafType(named) || value === null || value === undefined) return 0;
	if (isConnection(named)) {
		const conn = value as { nodes?: unknown[]; edges?: Array<{ node?: unknown }> };
		const items = conn.nodes ?? (conn.edges ?? []).map((e) => e.node);
		let nodesCost = 0;
		const nodeType = getNamedType((named as GraphQLObjectType).getFields().edges.type);
		const nodeTypeResolved = getNamedType((nodeType as GraphQLObjectType).getFields().node.type);
		const nodeSelection = findNodeSelection(node.selectionSet, walk);
		for (const item of items) nodesCost += 1 + actualSelection(nodeSelection, nodeTypeResolved, item, walk);
		return 2 + nodesCost;
	}
	if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + 1 + actualSelection(node.selectionSet, named, item, walk), 0);
	return 1 + actualSelection(node.selectionSet, named, value, walk);
}

function findNodeSelection(selectionSet: SelectionSetNode | undefined, walk: Walk): SelectionSetNode | undefined {
	if (!selectionSet) return undefined;
	const groups = new Map<string, FieldNode[]>();
	collect(selectionSet, walk, groups, 'connection');
	for (const field of groups.get('connection') ?? []) {
		if (field.name.value === 'nodes') return field.selectionSet;
		if (field.name.value === 'edges' && field.selectionSet) {
			for (const s of field.selectionSet.selections) if (s.kind === Kind.FIELD && s.name.value === 'node') return s.selectionSet;
		}
	}
	return undefined;
}
