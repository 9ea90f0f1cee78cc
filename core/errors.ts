/**
 * A problem with one item's input, described so a shop owner can fix it: which field, what is wrong,
 * and what would fix it. The n8n glue turns it into a NodeOperationError carrying the item index.
 */
export class InputError extends Error {
	constructor(
		/** Dotted path of the offending field in the item, e.g. `lines[2].quantity`. */
		readonly field: string,
		/** What is wrong, in the shop owner's words. */
		readonly problem: string,
		/** What would fix it. */
		readonly fix: string,
	) {
		super(`${field}: ${problem}`);
		this.name = 'InputError';
	}
}
