/** The trigger's tolerance of store outages: quiet for the tolerated polls, then reported; reset by success. */
import { onTransientFailure } from '../../core/pollHealth';
import { PlatformError, isTransientFailure } from '../../platforms/errors';
import { NetworkError } from '../../platforms/http';
import { RetriesExhaustedError } from '../../platforms/retry';

describe('a store that does not answer', () => {
	it('stays quiet for the tolerated polls and reports the next, counting from the first failure', () => {
		const first = onTransientFailure(undefined, 'HTTP 503', '2026-11-23T10:00:00Z', 2);
		expect(first).toEqual({ report: false, next: { count: 1, since: '2026-11-23T10:00:00Z', message: 'HTTP 503' } });
		const second = onTransientFailure(first.report ? undefined : first.next, 'HTTP 502', '2026-11-23T10:15:00Z', 2);
		expect(second).toEqual({ report: false, next: { count: 2, since: '2026-11-23T10:00:00Z', message: 'HTTP 502' } });
		expect(onTransientFailure(second.report ? undefined : second.next, 'HTTP 500', '2026-11-23T10:30:00Z', 2)).toEqual({ report: true });
		expect(onTransientFailure(undefined, 'HTTP 500', '2026-11-23T10:30:00Z', 0)).toEqual({ report: true });
	});

	it('tells outages from refusals that waiting will not cure', () => {
		expect(isTransientFailure(new NetworkError('no answer', 'ECONNRESET', true))).toBe(true);
		expect(isTransientFailure(new RetriesExhaustedError(6, { status: 503, headers: {}, body: '' }))).toBe(true);
		expect(isTransientFailure(new PlatformError('Shopify', 'Throttled', 200, 'THROTTLED'))).toBe(true);
		expect(isTransientFailure(new PlatformError('WooCommerce', 'Consumer key is invalid.', 401, 'woocommerce_rest_authentication_error'))).toBe(false);
		expect(isTransientFailure(new PlatformError('Shopify', 'Access denied', 200, 'ACCESS_DENIED'))).toBe(false);
		expect(isTransientFailure(new Error('bug'))).toBe(false);
	});
});
