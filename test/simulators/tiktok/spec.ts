/**
 * Request validation against TikTok Shop's own doc records (reference/specs/tiktokshop-*.docmeta.json),
 * read once at start-up: the operation is found by method and path template, then the query (required,
 * types, list counts) and the JSON body (required fields, types, unknown fields refused) are checked and
 * refused the way TikTok answers, in its `{ code, message, request_id, data }` envelope.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DOCS_DIR = join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'specs');
const DOCS = ['get-order-list', 'get-order-detail', 'inventory-search', 'update-inventory', 'ship-package'];

/** The simulator's code for a request that breaks the documented parameters (TikTok's generic "invalid parameter"). */
export const INVALID_PARAM = 36009001;

export interface DocParam {
	name: string;
	type: string;
	required: boolean;
	desc: string;
}

interface BodyField {
	type: string;
	required: boolean;
	max?: number;
	children: Map<string, BodyField>;
}

export interface DocOperation {
	id: string;
	method: 'GET' | 'POST';
	template: string;
	pattern: RegExp;
	names: string[];
	query: DocParam[];
	body: BodyField;
	errorCodes: Map<number, string>;
}

/** An answer TikTok would give: HTTP status and the envelope's code and message. */
export class TikTokError extends Error {
	constructor(readonly status: number, readonly code: number, message: string, readonly headers: Record<string, string> = {}) {
		super(message);
	}
}

interface RawParam { name: string; type: string; required: string; desc?: string }

function maxCount(desc: string | undefined): number | undefined {
	const m = /Max (?:count|IDs):\s*(\d+)/i.exec(desc ?? '');
	return m ? Number(m[1]) : undefined;
}

/** `^`-prefixed names nest: "skus", "^id", "^^warehouse_id" → a tree. */
function bodyTree(params: RawParam[]): BodyField {
	const root: BodyField = { type: 'object', required: true, children: new Map() };
	const stack: BodyField[] = [root];
	for (const p of params) {
		const depth = /^\^*/.exec(p.name)?.[0].length ?? 0;
		const field: BodyField = { type: p.type, required: p.required === 'Y', max: maxCount(p.desc), children: new Map() };
		stack.length = depth + 1;
		stack[depth].children.set(p.name.slice(depth), field);
		stack[depth + 1] = field;
	}
	return root;
}

export class TikTokSpec {
	readonly operations: DocOperation[] = [];

	constructor(dir = DOCS_DIR) {
		for (const doc of DOCS) {
			const raw = JSON.parse(readFileSync(join(dir, `tiktokshop-${doc}.docmeta.json`), 'utf8')) as {
				document_id: string;
				document_api_meta: { interface_path: string; method: number; request_query_param?: RawParam[]; request_body_param?: RawParam[]; error_code_list?: Array<{ code: string; msg: string }> };
			};
			const meta = raw.document_api_meta;
			const names: string[] = [];
			const pattern = new RegExp(`^${meta.interface_path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
			this.operations.push({
				id: raw.document_id,
				method: meta.method === 2 ? 'GET' : 'POST',
				template: meta.interface_path,
				pattern,
				names,
				query: (meta.request_query_param ?? []).map((p) => ({ name: p.name, type: p.type, required: p.required === 'Y', desc: p.desc ?? '' })),
				body: bodyTree(meta.request_body_param ?? []),
				errorCodes: new Map((meta.error_code_list ?? []).map((e) => [Number(e.code), e.msg])),
			});
		}
	}

	find(method: string, path: string): { operation: DocOperation; params: Record<string, string> } | undefined {
		for (const op of this.operations) {
			const m = op.pattern.exec(path);
			if (!m || op.method !== method) continue;
			return { operation: op, params: Object.fromEntries(op.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
		}
		return undefined;
	}

	/** The query checked against the record: required parameters, ints, list counts; unknown ones refused. */
	readQuery(operation: DocOperation, query: URLSearchParams): Record<string, string | number | string[]> {
		const known = new Map(operation.query.map((p) => [p.name, p]));
		const out: Record<string, string | number | string[]> = {};
		for (const name of new Set(query.keys())) {
			// access_token is the legacy (pre-202309) place of the token: tolerated, never signed.
			if (!known.has(name) && name !== 'access_token') throw new TikTokError(400, INVALID_PARAM, `Invalid parameter: '${name}' is not a parameter of ${operation.template}`);
		}
		for (const p of operation.query) {
			const value = query.get(p.name);
			if (value === null || value === '') {
				if (p.required) throw new TikTokError(400, INVALID_PARAM, `Invalid parameter: '${p.name}' is required`);
				continue;
			}
			if (p.type === 'int') {
				if (!/^-?\d+$/.test(value)) throw new TikTokError(400, INVALID_PARAM, `Invalid parameter: '${p.name}' must be an int, got '${value}'`);
				out[p.name] = Number(value);
			} else if (p.type === '[]string') {
				const list = value.split(',').map((v) => v.trim()).filter(Boolean);
				const max = maxCount(p.desc);
				if (max !== undefined && list.length > max) throw new TikTokError(400, INVALID_PARAM, `Invalid parameter: '${p.name}' takes at most ${max} values`);
				out[p.name] = list;
			} else out[p.name] = value;
		}
		return out;
	}

	/** The JSON body checked against the record's fields. */
	readBody(operation: DocOperation, body: unknown): Record<string, unknown> {
		if (operation.method === 'GET') return {};
		if (body === undefined) body = {};
		if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TikTokError(400, INVALID_PARAM, 'Invalid parameter: the body must be a JSON object');
		check(body, operation.body, '');
		return body as Record<string, unknown>;
	}
}

function check(value: unknown, field: BodyField, at: string): void {
	const name = at || 'body';
	const bad = (what: string) => new TikTokError(400, INVALID_PARAM, `Invalid parameter: '${name}' ${what}`);
	if (field.type === 'object') {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('must be an object');
		checkObject(value as Record<string, unknown>, field, at);
	} else if (field.type.startsWith('[]')) {
		if (!Array.isArray(value)) throw bad('must be a list');
		if (field.max !== undefined && value.length > field.max) throw bad(`takes at most ${field.max} values`);
		const item: BodyField = { ...field, type: field.type.slice(2), max: undefined };
		value.forEach((v, i) => check(v, item, `${at}[${i}]`));
	} else if (field.type === 'int') {
		if (typeof value !== 'number' || !Number.isInteger(value)) throw bad('must be an int');
	} else if (field.type === 'string') {
		if (typeof value !== 'string') throw bad('must be a string');
	} else if (field.type === 'bool') {
		if (typeof value !== 'boolean') throw bad('must be a bool');
	}
}

function checkObject(record: Record<string, unknown>, field: BodyField, at: string): void {
	for (const [key, child] of field.children) {
		if (child.required && record[key] === undefined) throw new TikTokError(400, INVALID_PARAM, `Invalid parameter: '${at ? `${at}.` : ''}${key}' is required`);
	}
	for (const [key, value] of Object.entries(record)) {
		const child = field.children.get(key);
		if (!child) throw new TikTokError(400, INVALID_PARAM, `Invalid parameter: '${at ? `${at}.` : ''}${key}' is not a documented field`);
		if (value !== undefined && value !== null) check(value, child, at ? `${at}.${key}` : key);
	}
}
