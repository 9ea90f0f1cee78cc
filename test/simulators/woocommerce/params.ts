/**
 * WordPress's argument checks (rest_validate_value_from_schema / rest_sanitize_value_from_schema, WP 5.5+):
 * types, enums, bounds, date-time and email formats, with WordPress's own messages. They run before the
 * permission check, so a bad parameter is a 400 even without keys. Query values arrive as strings
 * ("10", "true", "a,b"); JSON bodies keep their types, so `"regular_price": 12.5` is refused
 * ("regular_price is not of type string.").
 * Docs: https://developer.wordpress.org/rest-api/extending-the-rest-api/schema/
 */
import { invalidParams, missingParams, wpList } from './errors';
import type { ParamProblem } from './errors';

export type SchemaType = 'integer' | 'number' | 'string' | 'boolean' | 'array' | 'object' | 'null';

export interface Schema {
	type?: SchemaType | SchemaType[];
	enum?: readonly string[];
	minimum?: number;
	maximum?: number;
	format?: 'date-time' | 'email';
	items?: Schema;
	properties?: Record<string, Schema>;
	default?: unknown;
	required?: boolean;
	/** Sanitizer WordPress applies after validation. */
	sanitize?: 'absint';
}

const REST_DATE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}(?::\d{2})?)?$/;

/** wp_parse_list(): "a, b,c" → ["a", "b", "c"]. */
export function parseList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (value === null || value === undefined) return [];
	return String(value).split(/[\s,]+/).filter(Boolean);
}

function isInteger(v: unknown): boolean {
	if (typeof v === 'number') return Number.isFinite(v) && Math.round(v) === v;
	if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number.isInteger(Number(v));
	return false;
}

function isBoolean(v: unknown): boolean {
	if (typeof v === 'boolean') return true;
	if (typeof v === 'number') return v === 0 || v === 1;
	return typeof v === 'string' && ['true', 'false', '0', '1'].includes(v.toLowerCase());
}

function matches(v: unknown, type: SchemaType): boolean {
	switch (type) {
		case 'integer': return isInteger(v);
		case 'number': return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
		case 'string': return typeof v === 'string';
		case 'boolean': return isBoolean(v);
		case 'array': return Array.isArray(v) || typeof v === 'string' || typeof v === 'number';
		case 'object': return (typeof v === 'object' && v !== null && !Array.isArray(v)) || v === '';
		case 'null': return v === null;
	}
}

/** The first problem with `value`, as WordPress words it. */
export function check(value: unknown, schema: Schema, name: string): ParamProblem | undefined {
	const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
	let type: SchemaType | undefined;
	if (types.length) {
		type = types.find((t) => matches(value, t));
		if (!type) return { code: 'rest_invalid_type', message: `${name} is not of type ${types.join(',')}.` };
	}
	if (type === 'array' && schema.items) {
		const list = parseList(value);
		for (let i = 0; i < list.length; i++) {
			const p = check(list[i], schema.items, `${name}[${i}]`);
			if (p) return p;
		}
	}
	if (type === 'object' && schema.properties && typeof value === 'object' && value !== null) {
		for (const [k, sub] of Object.entries(schema.properties)) {
			if (k in value) {
				const p = check((value as Record<string, unknown>)[k], sub, `${name}[${k}]`);
				if (p) return p;
			}
		}
	}
	if (schema.enum && !schema.enum.includes(String(value))) {
		return { code: 'rest_not_in_enum', message: `${name} is not one of ${wpList(schema.enum)}.` };
	}
	if ((type === 'integer' || type === 'number') && (schema.minimum !== undefined || schema.maximum !== undefined)) {
		const n = Number(value);
		const { minimum: min, maximum: max } = schema;
		if (min !== undefined && max !== undefined && (n < min || n > max)) {
			return { code: 'rest_out_of_bounds', message: `${name} must be between ${min} (inclusive) and ${max} (inclusive)` };
		}
		if (min !== undefined && max === undefined && n < min) return { code: 'rest_out_of_bounds', message: `${name} must be greater than or equal to ${min}` };
		if (max !== undefined && min === undefined && n > max) return { code: 'rest_out_of_bounds', message: `${name} must be less than or equal to ${max}` };
	}
	if (type === 'string' && schema.format === 'date-time' && !REST_DATE.test(String(value))) return { code: 'rest_invalid_date', message: 'Invalid date.' };
	if (type === 'string' && schema.format === 'email' && value !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(value))) {
		return { code: 'rest_invalid_email', message: 'Invalid email address.' };
	}
	return undefined;
}

/** rest_sanitize_value_from_schema(), for the types the handlers read. */
export function coerce(value: unknown, schema: Schema): unknown {
	const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
	const type = types.find((t) => matches(value, t));
	let out: unknown = value;
	if (type === 'integer') out = Math.trunc(Number(value));
	else if (type === 'number') out = Number(value);
	else if (type === 'boolean') out = value === true || value === 1 || (typeof value === 'string' && ['true', '1'].includes(value.toLowerCase()));
	else if (type === 'array') out = parseList(value).map((v) => (schema.items ? coerce(v, schema.items) : v));
	if (schema.sanitize === 'absint' && typeof out === 'number') out = Math.abs(out);
	return out;
}

/** Query parameters as WordPress reads them: `status=a,b` and `status[]=a&status[]=b` both give an array. */
export function queryObject(query: URLSearchParams): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of new Set(query.keys())) {
		if (key.endsWith('[]')) out[key.slice(0, -2)] = query.getAll(key);
		else out[key] = query.get(key);
	}
	return out;
}

/**
 * WP_REST_Request::has_valid_params() then sanitize_params(): required first (rest_missing_callback_param),
 * then every invalid value in one rest_invalid_param; returns the values with defaults filled in.
 */
export function readParams(source: Record<string, unknown>, schemas: Record<string, Schema>): Record<string, unknown> {
	const missing = Object.entries(schemas).filter(([k, s]) => s.required && (source[k] === undefined || source[k] === null)).map(([k]) => k);
	if (missing.length) throw missingParams(missing);
	const problems: Record<string, ParamProblem> = {};
	const out: Record<string, unknown> = { ...source };
	for (const [name, schema] of Object.entries(schemas)) {
		const value = source[name];
		if (value === undefined || value === null) {
			// WordPress validates only values that are set; null counts as not set.
			if (schema.default !== undefined) out[name] = schema.default;
			continue;
		}
		const problem = check(value, schema, name);
		if (problem) problems[name] = problem;
		else out[name] = coerce(value, schema);
	}
	if (Object.keys(problems).length) throw invalidParams(problems);
	return out;
}
