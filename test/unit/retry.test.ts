/** The one retry policy: what it gives up with when the platform never stops answering "try later". */
import { NetworkError } from '../../platforms/http';
import type { HttpResponse, HttpTransport } from '../../platforms/http';
import { RetriesExhaustedError, UnknownOutcomeError, sendWithRetry } from '../../platforms/retry';

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

describe('sendWithRetry when a proxy or host answers with a web page instead of the API', () => {
	const maintenance = (): HttpResponse => ({ status: 200, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: '<html><body><h1>Maintenance</h1></body></html>' });
	const json = (): HttpResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: { data: { ok: true } } });
	const sequence = (...answers: Array<() => HttpResponse>) => {
		let i = 0;
		return always(() => answers[Math.min(i++, answers.length - 1)]());
	};

	it('sends a read again through a maintenance page answered with 200, and returns the API\'s answer', async () => {
		const transport = sequence(maintenance, maintenance, json);
		await expect(sendWithRetry(transport, request, clock, { idempotent: true })).resolves.toMatchObject({ body: { data: { ok: true } } });
		expect(transport.sent).toBe(3);
	});

	it('does not repeat a write that got one: it may have reached the store, so the caller looks first', async () => {
		const transport = sequence(maintenance, json);
		const write = { method: 'POST' as const, url: 'https://example.com/graphql.json' };
		const failure = await sendWithRetry(transport, write, clock, { idempotent: false }).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(UnknownOutcomeError);
		expect((failure as Error).message).toMatch(/HTTP 200, a web page instead of the API's JSON/);
		expect(transport.sent).toBe(1);
	});

	it('does not send a read again for a page with a 4xx: a firewall\'s 403 or a theme\'s 404 is an answer, for the caller to name', async () => {
		const blocked = always(() => ({ status: 403, headers: { 'content-type': 'text/html' }, body: '<html><body>Access denied</body></html>' }));
		await expect(sendWithRetry(blocked, request, clock, { idempotent: true })).resolves.toMatchObject({ status: 403 });
		expect(blocked.sent).toBe(1);
	});

	it('leaves text the caller asked for alone (a JSONL download), and JSON answers as they are', async () => {
		const jsonl = always(() => ({ status: 200, headers: { 'content-type': 'application/jsonl' }, body: '{"id":1}\n' }));
		await expect(sendWithRetry(jsonl, { ...request, responseType: 'text' }, clock, { idempotent: true })).resolves.toMatchObject({ body: '{"id":1}\n' });
		const page = always(maintenance);
		await expect(sendWithRetry(page, { ...request, responseType: 'text' }, clock, { idempotent: true })).resolves.toMatchObject({ status: 200 });
		expect(page.sent).toBe(1);
	});
});
