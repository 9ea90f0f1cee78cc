/**
 * Request validation against Etsy's own OpenAPI document (reference/specs/etsy-openapi-v3.json), read
 * once at start-up: the operation is found by method and path template, then path and query parameters
 * (types, enums, bounds; unknown query parameters refused) and the request body (required fields, types,
 * enums, bounds, unknown fields refused) are checked the way Etsy answers: HTTP 400 `{ "error": "..." }`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface JsonSchema {
	type?: string;
	enum?: unknown[];
	minimum?: number;
	maximum?: number;
	nullable?: boolean;
	items?: JsonSchema;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	allOf?: JsonSchema[];
	$ref?: string;
}

interface Parameter {
	name: string;
	in: 'path' | 'query' | 'header';
	required?: boolean;
	schema: JsonSchema;
}

export interface Operation {
	operationId: string;
	method: string;
	template: string;
	parameters: Parameter[];
	body?: { contentTypes: string[]; schema: JsonSchema };
	/** OAuth2 scopes the operation needs; null when it takes only the API key. */
	scopes: string[] | null;
}

interface RawOperation {
	operationId: string;
	parameters?: Parameter[];
	requestBody?: { content: Record<string, { schema: JsonSchema }> };
	security?: Array<Record<string, string[]>>;
}

export const DEFAULT_SPEC_PATH = join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'specs', 'etsy-openapi-v3.json');

/** An answer Etsy would give: status and its `{ error }` body. */
export class EtsyError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly extra: Record<string, string> = {},
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}

	body(): Record<string, string> {
		return { error: this.message, ...this.extra };
	}
}

export class EtsySpec {
	readonly operations: Array<Operation & { pattern: RegExp; names: string[] }> = [];

	constructor(path = DEFAULT_SPEC_PATH) {
		const doc = JSON.parse(readFileSync(path, 'utf8')) as { paths: Record<string, Record<string, RawOperation>> };
		for (const [template, methods] of Object.entries(doc.paths)) {
			for (const [method, raw] of Object.entries(methods)) {
				if (!raw || typeof raw !== 'object' || !raw.operationId) continue;
				const names: string[] = [];
				const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
				const content = raw.requestBody?.content ?? {};
				const firstBody = Object.values(content)[0];
				const oauth = (raw.security ?? []).find((s) => 'oauth2' in s);
				this.operations.push({
					operationId: raw.operationId, method: method.toUpperCase(), template, pattern, names,
					parameters: raw.parameters ?? [],
					body: firstBody ? { contentTypes: Object.keys(content), schema: firstBody.schema } : undefined,
					scopes: oauth ? oauth.oauth2 : null,
				});
			}
		}
	}

	/** The operation for a request, with its path parameters; undefined when no path matches. */
	find(method: string, path: string): { operation: Operation; params: Record<string, string> } | 'wrongMethod' | undefined {
		let pathMatched = false;
		for (const op of this.operations) {
			const m = op.pattern.exec(path);
			if (!m) continue;
			pathMatched = true;
			if (op.method !== method) continue;
			return { operation: op, params: Object.fromEntries(op.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
		}
		return pathMatched ? 'wrongMethod' : undefined;
	}

	/** Path and query parameters checked and typed; throws EtsyError(400) as Etsy would. */
	readParams(operation: Operation, pathParams: Record<string, string>, query: URLSearchParams): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		const known = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
		for (const name of new Set(query.keys())) {
			const bare = name.endsWith('[]') ? name.slice(0, -2) : name;
			if (!known.has(bare)) throw new EtsyError(400, `Unexpected query parameter '${bare}'`);
		}
		for (const p of operation.parameters) {
			if (p.in === 'header') continue;
			let raw: unknown;
			if (p.in === 'path') raw = pathParams[p.name];
			else if (p.schema.type === 'array') {
				const values = [...query.getAll(p.name), ...query.getAll(`${p.name}[]`)].flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
				raw = values.length > 0 ? values : undefined;
			} else raw = query.get(p.name) ?? undefined;
			if (raw === undefined || raw === '') {
				if (p.required) throw new EtsyError(400, `Missing required parameter '${p.name}'`);
				continue;
			}
			out[p.name] = coerce(raw, p.schema, p.name);
		}
		return out;
	}

	/** The body checked against the operation's schema (form values arrive as strings and are typed first). */
	readBody(operation: Operation, body: unknown, form: boolean): Record<string, unknown> {
		if (!operation.body) return {};
		if (body === undefined || body === null) body = {};
		if (typeof body !== 'object' || Array.isArray(body)) throw new EtsyError(400, 'The request body must be an object');
		const schema = operation.body.schema;
		const value = form ? coerceForm(body as Record<string, unknown>, schema) : body;
		check(value, schema, '');
		return value as Record<string, unknown>;
	}
}

function typeName(type: string | undefined): string {
	return type === 'integer' ? 'int' : type === 'number' ? 'float' : type ?? 'value';
}

/** A string from a path or query into the schema's type, or a 400. */
function coerce(raw: unknown, schema: JsonSchema, name: string): unknown {
	if (schema.type === 'array') {
		const list = Array.isArray(raw) ? raw : [raw];
		return list.map((item, i) => coerce(item, schema.items ?? {}, `${name}[${i}]`));
	}
	const text = String(raw);
	let value: unknown = text;
	if (schema.type === 'integer') {
		if (!/^-?\d+$/.test(text)) throw new EtsyError(400, `Expected int for '${name}', got '${text}'`);
		value = Number(text);
	} else if (schema.type === 'number') {
		if (text.trim() === '' || Number.isNaN(Number(text))) throw new EtsyError(400, `Expected float for '${name}', got '${text}'`);
		value = Number(text);
	} else if (schema.type === 'boolean') {
		if (!['true', 'false', '1', '0'].includes(text.toLowerCase())) throw new EtsyError(400, `Expected bool for '${name}', got '${text}'`);
		value = text.toLowerCase() === 'true' || text === '1';
	}
	checkValue(value, schema, name);
	return value;
}

function coerceForm(body: Record<string, unknown>, schema: JsonSchema): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body)) {
		const sub = schema.properties?.[key];
		out[key] = sub && typeof value === 'string' && sub.type !== 'string' ? coerce(value, sub, key) : value;
	}
	return out;
}

function checkValue(value: unknown, schema: JsonSchema, name: string): void {
	if (schema.enum && !schema.enum.includes(value)) {
		throw new EtsyError(400, `'${name}' must be one of ${schema.enum.map(String).join(', ')}, got '${String(value)}'`);
	}
	if (typeof value === 'number') {
		if (schema.minimum !== undefined && value < schema.minimum) throw new EtsyError(400, `'${name}' must be greater than or equal to ${schema.minimum}`);
		if (schema.maximum !== undefined && value > schema.maximum) throw new EtsyError(400, `'${name}' must be less than or equal to ${schema.maximum}`);
	}
}

/** A JSON value against the schema subset Etsy's documents use. */
function check(value: unknown, schema: JsonSchema, name: string): void {
	const at = name || 'body';
	if (value === null) {
		if (schema.nullable) return;
		throw new EtsyError(400, `'${at}' cannot be null`);
	}
	switch (schema.type) {
		case 'object': {
			if (typeof value !== 'object' || Array.isArray(value)) throw new EtsyError(400, `Expected object for '${at}'`);
			const record = value as Record<string, unknown>;
			for (const key of schema.required ?? []) {
				if (record[key] === undefined) throw new EtsyError(400, `Missing required field '${name ? `${name}.` : ''}${key}'`);
			}
			for (const [key, sub] of Object.entries(record)) {
				const child = schema.properties?.[key];
				if (!child) throw new EtsyError(400, `Unexpected field '${name ? `${name}.` : ''}${key}'`);
				if (sub !== undefined) check(sub, child, name ? `${name}.${key}` : key);
			}
			return;
		}
		case 'array':
			if (!Array.isArray(value)) throw new EtsyError(400, `Expected array for '${at}'`);
			value.forEach((item, i) => check(item, schema.items ?? {}, `${at}[${i}]`));
			return;
		case 'integer':
			if (typeof value !== 'number' || !Number.isInteger(value)) throw new EtsyError(400, `Expected ${typeName(schema.type)} for '${at}'`);
			break;
		case 'number':
			if (typeof value !== 'number' || !Number.isFinite(value)) throw new EtsyError(400, `Expected ${typeName(schema.type)} for '${at}'`);
			break;
		case 'string':
			if (typeof value !== 'string') throw new EtsyError(400, `Expected string for '${at}'`);
			break;
		case 'boolean':
			if (typeof value !== 'boolean') throw new EtsyError(400, `Expected bool for '${at}'`);
			break;
		default:
			break;
	}
	checkValue(value, schema, at);
}
