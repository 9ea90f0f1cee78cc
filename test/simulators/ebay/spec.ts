/**
 * Request validation against eBay's own OAS3 documents (shared/reference/specs), read at start-up: which
 * operations exist, their query parameters, and their body schemas. A query parameter the operation does
 * not declare, or a body field of the wrong JSON type, is refused with a 400 in eBay's error shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SPECS = join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'specs');

type Schema = { type?: string; $ref?: string; properties?: Record<string, Schema>; items?: Schema; required?: string[] };
interface Spec {
	servers: Array<{ variables?: { basePath?: { default?: string } } }>;
	paths: Record<string, Record<string, { operationId: string; parameters?: Array<{ name: string; in: string }>; requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> } }>>;
	components: { schemas: Record<string, Schema> };
}

export interface Operation {
	api: 'fulfillment' | 'inventory';
	method: string;
	operationId: string;
	pattern: RegExp;
	query: Set<string>;
	body: Schema | undefined;
	bodyRequired: boolean;
	schemas: Record<string, Schema>;
}

function load(file: string, api: Operation['api']): Operation[] {
	const spec = JSON.parse(readFileSync(join(SPECS, file), 'utf8')) as Spec;
	const base = spec.servers[0]?.variables?.basePath?.default ?? '';
	const out: Operation[] = [];
	for (const [path, ops] of Object.entries(spec.paths)) {
		for (const [method, op] of Object.entries(ops)) {
			const pattern = new RegExp(`^${base}${path.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
			out.push({
				api, method: method.toUpperCase(), operationId: op.operationId, pattern,
				query: new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)),
				body: op.requestBody?.content?.['application/json']?.schema,
				bodyRequired: op.requestBody?.required === true,
				schemas: spec.components.schemas,
			});
		}
	}
	return out;
}

export const OPERATIONS: Operation[] = [...load('ebay-sell_fulfillment_v1_oas3.json', 'fulfillment'), ...load('ebay-sell_inventory_v1_oas3.json', 'inventory')];

/** The operation for a method and path, with the path's parameters. */
export function findOperation(method: string, path: string): { op: Operation; params: string[] } | undefined {
	for (const op of OPERATIONS) {
		if (op.method !== method) continue;
		const m = op.pattern.exec(path);
		if (m) return { op, params: m.slice(1).map(decodeURIComponent) };
	}
	return undefined;
}

function resolve(schema: Schema, schemas: Record<string, Schema>): Schema {
	let s = schema;
	for (let i = 0; s.$ref && i < 10; i++) s = schemas[s.$ref.split('/').pop() as string] ?? {};
	return s;
}

/** Type problems of `value` against `schema`, as "field: expected type" strings (eBay's inputRefIds style paths). */
export function typeProblems(value: unknown, schema: Schema, schemas: Record<string, Schema>, at = ''): string[] {
	const s = resolve(schema, schemas);
	const here = at || 'body';
	if (value === null || value === undefined) return [];
	switch (s.type) {
		case 'string':
			return typeof value === 'string' ? [] : [`${here} must be a string`];
		case 'integer':
			return Number.isInteger(value) ? [] : [`${here} must be an integer`];
		case 'number':
			return typeof value === 'number' ? [] : [`${here} must be a number`];
		case 'boolean':
			return typeof value === 'boolean' ? [] : [`${here} must be a boolean`];
		case 'array':
			if (!Array.isArray(value)) return [`${here} must be an array`];
			return value.flatMap((v, i) => (s.items ? typeProblems(v, s.items, schemas, `${here}[${i}]`) : []));
		default:
			if (s.properties) {
				if (typeof value !== 'object' || Array.isArray(value)) return [`${here} must be an object`];
				const record = value as Record<string, unknown>;
				const missing = (s.required ?? []).filter((k) => record[k] === undefined).map((k) => `${at ? `${at}.` : ''}${k} is required`);
				return [...missing, ...Object.entries(s.properties).flatMap(([k, p]) => typeProblems(record[k], p, schemas, at ? `${at}.${k}` : k))];
			}
			return [];
	}
}
