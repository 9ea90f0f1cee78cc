/**
 * Checks a JSON value against a schema of an official OpenAPI 3 or Swagger 2 file: every field the value
 * has must be one the schema names (unless the schema allows others), of the type and enum it gives.
 * For the simulators' answers and the mapping tests' fixtures: a field name the platform does not have,
 * or a value it would never send, is a problem here before it can be a wrong assumption in a client.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Schema {
	$ref?: string;
	type?: string | string[];
	properties?: Record<string, Schema>;
	items?: Schema;
	allOf?: Schema[];
	oneOf?: Schema[];
	anyOf?: Schema[];
	additionalProperties?: boolean | Schema;
	nullable?: boolean;
	'x-nullable'?: boolean;
	enum?: unknown[];
}

export interface Spec {
	resolve(ref: string): Schema;
}

export function loadSpec(file: string): Spec {
	const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'shared', 'reference', 'specs', file), 'utf8')) as Record<string, unknown>;
	return {
		resolve(ref: string): Schema {
			let node: unknown = doc;
			for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Record<string, unknown>)[part];
			if (!node) throw new Error(`${file}: no ${ref}`);
			return node as Schema;
		},
	};
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);

/** Every way `value` departs from `schema`, as "path: what"; empty when it conforms. */
export function specProblems(spec: Spec, schema: Schema | undefined, value: unknown, path = '$'): string[] {
	if (!schema) return [];
	if (schema.$ref) return specProblems(spec, spec.resolve(schema.$ref), value, path);
	const variants = schema.oneOf ?? schema.anyOf;
	if (variants) {
		const each = variants.map((v) => specProblems(spec, v, value, path));
		return each.some((p) => p.length === 0) ? [] : each.sort((a, b) => a.length - b.length)[0];
	}
	if (schema.allOf) {
		// One schema from all its parts: their properties together (Amazon's and eBay's models compose this way).
		const parts = schema.allOf.map((s) => (s.$ref ? spec.resolve(s.$ref) : s));
		const merged: Schema = { type: 'object', properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<string, Schema> };
		if (parts.some((p) => p.additionalProperties)) merged.additionalProperties = true;
		return specProblems(spec, merged, value, path);
	}
	const actual = typeOf(value);
	if (value === null) return schema.nullable || schema['x-nullable'] || (Array.isArray(schema.type) && schema.type.includes('null')) ? [] : [`${path}: null where the schema gives no null`];
	const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
	if (types.length > 0 && !types.includes(actual) && !(actual === 'integer' && types.includes('number'))) return [`${path}: ${actual} where the schema says ${types.join(' or ')}`];
	if (schema.enum && !schema.enum.includes(value)) return [`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
	if (actual === 'array') return (value as unknown[]).flatMap((v, i) => specProblems(spec, schema.items, v, `${path}[${i}]`));
	if (actual !== 'object') return [];
	const problems: string[] = [];
	for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
		const property = schema.properties?.[key];
		if (property) problems.push(...specProblems(spec, property, v, `${path}.${key}`));
		else if (typeof schema.additionalProperties === 'object') problems.push(...specProblems(spec, schema.additionalProperties, v, `${path}.${key}`));
		else if (schema.properties && schema.additionalProperties !== true) problems.push(`${path}.${key}: not a field of the schema`);
	}
	return problems;
}
