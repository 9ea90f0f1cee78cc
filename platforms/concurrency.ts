/**
 * Bounded concurrency for APIs without a rate limit of their own (WooCommerce): a few requests in flight
 * hide the per-request overhead without hammering a PHP server. Results keep the inputs' order; the first
 * failure is thrown once the requests already in flight have settled (none is abandoned mid-write).
 */
export async function mapLimit<T, R>(inputs: readonly T[], limit: number, work: (input: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const lane = async () => {
		while (failure === undefined && next < inputs.length) {
			const index = next++;
			try {
				results[index] = await work(inputs[index], index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, lane));
	if (failure) throw failure.error;
	return results;
}
