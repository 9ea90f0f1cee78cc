/**
 * The subset of Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax) the pack uses in
 * `query:` arguments: `field:value`, comparisons `field:>value` / `>=` / `<` / `<=`, quoted values
 * ('…' or "…"), a trailing `*` prefix match, implicit AND, `AND`, `OR`, `NOT` / `-field:…`, parentheses.
 * A term without a field matches the resource's default text fields.
 */

export interface Term {
	kind: 'term';
	field: string | null;
	op: ':' | '>' | '>=' | '<' | '<=';
	value: string;
}
export type Expr = Term | { kind: 'and' | 'or'; items: Expr[] } | { kind: 'not'; item: Expr };

function tokenize(query: string): string[] {
	const tokens: string[] = [];
	let i = 0;
	while (i < query.length) {
		const c = query[i];
		if (/\s/.test(c)) {
			i++;
		} else if (c === '(' || c === ')') {
			tokens.push(c);
			i++;
		} else {
			let token = '';
			while (i < query.length && !/\s/.test(query[i]) && query[i] !== ')' && !(query[i] === '(' && token === '')) {
				if (query[i] === "'" || query[i] === '"') {
					const quote = query[i];
					const end = query.indexOf(quote, i + 1);
					const stop = end < 0 ? query.length : end;
					token += `\u0000${query.slice(i + 1, stop)}\u0000`;
					i = stop + 1;
				} else {
					token += query[i++];
				}
			}
			tokens.push(token);
		}
	}
	return tokens;
}

function toTerm(token: string): Term {
	const unquote = (s: string) => s.replace(/\u0000/g, '');
	const colon = token.indexOf(':');
	const quoteAt = token.indexOf('\u0000');
	if (colon < 0 || (quoteAt >= 0 && quoteAt < colon)) return { kind: 'term', field: null, op: ':', value: unquote(token) };
	const field = token.slice(0, colon).toLowerCase();
	let rest = token.slice(colon + 1);
	let op: Term['op'] = ':';
	for (const candidate of ['>=', '<=', '>', '<'] as const) {
		if (rest.startsWith(candidate)) {
			op = candidate;
			rest = rest.slice(candidate.length);
			break;
		}
	}
	return { kind: 'term', field, op, value: unquote(rest) };
}

export function parseSearch(query: string): Expr {
	const tokens = tokenize(query);
	let pos = 0;
	const peek = () => tokens[pos];
	function orExpr(): Expr {
		const items = [andExpr()];
		while (peek() === 'OR') {
			pos++;
			items.push(andExpr());
		}
		return items.length === 1 ? items[0] : { kind: 'or', items };
	}
	function andExpr(): Expr {
		const items = [unary()];
		while (pos < tokens.length && peek() !== 'OR' && peek() !== ')') {
			if (peek() === 'AND') pos++;
			items.push(unary());
		}
		return items.length === 1 ? items[0] : { kind: 'and', items };
	}
	function unary(): Expr {
		const token = tokens[pos++];
		if (token === 'NOT') return { kind: 'not', item: unary() };
		if (token === '(') {
			const inner = orExpr();
			if (peek() === ')') pos++;
			return inner;
		}
		if (token.startsWith('-') && token.length > 1) return { kind: 'not', item: toTerm(token.slice(1)) };
		return toTerm(token);
	}
	if (tokens.length === 0) return { kind: 'and', items: [] };
	return orExpr();
}

/** What a resource exposes to search: the values of a field (several for sku, tag), or undefined if unknown. */
export type FieldValues<T> = (item: T, field: string | null) => Array<string | number | null> | undefined;

const DATE_FIELD = /_at$/;

/**
 * A search date: ISO with or without time. A time without an offset is in the shop's time zone, which is
 * UTC in the simulator (JavaScript would otherwise read it as the machine's local time).
 */
export function parseSearchDate(value: string): number {
	const text = String(value).trim();
	const zoned = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text;
	return Date.parse(zoned);
}

/** Epoch ms of a stored timestamp (canonical ISO with 'Z': the fast path) or of any search date. */
function dateOf(value: string): number {
	return value.length === 20 && value.endsWith('Z') ? Date.parse(value) : parseSearchDate(value);
}

/** A term compiled once per query: a test of one field value. */
function compileTerm(term: Term): (actual: string | number | null) => boolean {
	const isDate = term.field !== null && DATE_FIELD.test(term.field);
	const wanted = term.value.toLowerCase();
	if (term.op === ':') {
		if (wanted.endsWith('*')) {
			const prefix = wanted.slice(0, -1);
			return (actual) => actual !== null && String(actual).toLowerCase().startsWith(prefix);
		}
		if (isDate) {
			const at = parseSearchDate(term.value);
			return (actual) => actual !== null && (dateOf(String(actual)) === at || String(actual).toLowerCase().startsWith(wanted));
		}
		return (actual) => actual !== null && String(actual).toLowerCase() === wanted;
	}
	const op = term.op;
	const holds = (c: number) => (op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0);
	const bound = isDate ? parseSearchDate(term.value) : Number(term.value);
	return (actual) => {
		if (actual === null) return false;
		const a = isDate ? dateOf(String(actual)) : Number(actual);
		if (Number.isNaN(a) || Number.isNaN(bound)) {
			const sa = String(actual);
			return holds(sa < term.value ? -1 : sa > term.value ? 1 : 0);
		}
		return holds(a - bound);
	};
}

/** A predicate for `query`; unknown fields match nothing, as Shopify ignores-or-empties them. */
export function matcher<T>(query: string | null | undefined, values: FieldValues<T>): (item: T) => boolean {
	if (!query || !query.trim()) return () => true;
	const expr = parseSearch(query);
	const compiled = new Map<Term, (actual: string | number | null) => boolean>();
	const test = (item: T, e: Expr): boolean => {
		switch (e.kind) {
			case 'and':
				return e.items.every((x) => test(item, x));
			case 'or':
				return e.items.some((x) => test(item, x));
			case 'not':
				return !test(item, e.item);
			default: {
				const found = values(item, e.field);
				if (found === undefined) return false;
				let check = compiled.get(e);
				if (!check) {
					check = compileTerm(e);
					compiled.set(e, check);
				}
				return found.some(check);
			}
		}
	};
	return (item) => test(item, expr);
}
