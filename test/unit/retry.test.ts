/** The one retry policy: what it gives up with when the platform never stops answering "try later". */
import { NetworkError } from '../../platforms/http';
import type { HttpResponse, HttpTransport } from '../../platforms/http';
import { RetriesExhaustedError, sendWithRetry } from '../../platforms/retry';

const clock = { now: () => 0, sleep: async () => undefined };
const always = (answer: () => HttpResponse | NetworkError): HttpTransport & { sent: number } => {
	const transport = {
		sent: 0,
		async send(): Promise<HttpResponse> {
			transport.sent++;
			const a = answer();
			if (a instanceof NetworkError) throw a;
			return a;
		},
	};
	return transport;
};
const request = { method: 'GET' as const, url: 'https://example.com/orders' };
const throttled = (): HttpResponse => ({ status: 429, headers: { 'x-which': 'last' }, body: { errors: [{ message: 'Too many requests' }] } });

describe('sendWithRetry when the attempts run out', () => {
	it('gives up with RetriesExhaustedError by default', async () => {
		const transport = always(throttled);
		await expect(sendWithRetry(transport, request, clock, { idempotent: true, maxAttempts: 3 })).rejects.toBeInstanceOf(RetriesExhaustedError);
		expect(transport.sent).toBe(3);
	});

	it('hands the platform\'s last answer back when asked, so the client reports it in the platform\'s words', async () => {
		const transport = always(throttled);
		const answer = await sendWithRetry(transport, request, clock, { idempotent: true, maxAttempts: 3, answerWhenExhausted: true });
		expect(answer).toMatchObject({ status: 429, body: { errors: [{ message: 'Too many requests' }] } });
		expect(transport.sent).toBe(3);
	});

	it('still gives up with the error when the last attempt got no answer at all', async () => {
		const transport = always(() => new NetworkError('no answer', 'ECONNRESET', true));
		await expect(sendWithRetry(transport, request, clock, { idempotent: true, maxAttempts: 2, answerWhenExhausted: true })).rejects.toBeInstanceOf(RetriesExhaustedError);
	});
});
