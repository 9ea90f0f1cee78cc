/**
 * WordPress REST errors: `{ code, message, data: { status, ... } }`
 * (https://developer.wordpress.org/rest-api/using-the-rest-api/global-parameters/, "Errors").
 */
export class WooRestError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly extra: Record<string, unknown> = {},
	) {
		super(message);
	}

	body(): { code: string; message: string; data: Record<string, unknown> } {
		return { code: this.code, message: this.message, data: { status: this.status, ...this.extra } };
	}
}

/** wp_sprintf's %l: "a", "a and b", "a, b, and c". */
export function wpList(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	if (items.length === 2) return `${items[0]} and ${items[1]}`;
	return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

/** One failed parameter check (rest_validate_value_from_schema's WP_Error). */
export interface ParamProblem {
	code: string;
	message: string;
}

/**
 * WP_REST_Request::has_valid_params(): every bad parameter in one 400. Since WordPress 5.5 `details`
 * carries each error's code next to the message.
 */
export function invalidParams(problems: Record<string, ParamProblem>): WooRestError {
	const names = Object.keys(problems);
	const params: Record<string, string> = {};
	const details: Record<string, { code: string; message: string; data: null }> = {};
	for (const name of names) {
		params[name] = problems[name].message;
		details[name] = { code: problems[name].code, message: problems[name].message, data: null };
	}
	return new WooRestError(400, 'rest_invalid_param', `Invalid parameter(s): ${names.join(', ')}`, { params, details });
}

export function missingParams(names: string[]): WooRestError {
	return new WooRestError(400, 'rest_missing_callback_param', `Missing parameter(s): ${names.join(', ')}`, { params: names });
}

export const NO_ROUTE = (): WooRestError =>
	new WooRestError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
