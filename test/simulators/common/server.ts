/**
 * What every platform simulator shares: a loopback HTTP server, a request log, fault injection, and
 * the inspection routes tests use (`/__sim/log`, `/__sim/faults`, `/__sim/reset`, plus each simulator's
 * own `/__sim/state`). One copy, used by every simulator.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultInjector } from './faults';
import type { FaultRule } from './faults';

export interface SimRequest {
	method: string;
	/** Path without query string. */
	path: string;
	query: URLSearchParams;
	/** Lower-case names. */
	headers: Record<string, string>;
	rawBody: string;
	/** Parsed JSON body, or undefined when absent or not JSON. */
	json: unknown;
	/** Set by a simulator to label the request in the log and for fault matching (e.g. a GraphQL operation). */
	label?: string;
}

export interface SimResponse {
	status: number;
	headers?: Record<string, string>;
	/** Serialised as JSON unless it is a string. */
	body?: unknown;
}

export interface LogEntry {
	at: number;
	method: string;
	path: string;
	query: string;
	label: string | undefined;
	status: number | 'dropped' | 'lostAnswer';
	fault: string | undefined;
}

export type Handler = (request: SimRequest) => Promise<SimResponse> | SimResponse;

export interface Simulator {
	url: string;
	faults: FaultInjector;
	log: LogEntry[];
	/**
	 * Runs `act` once, just before the simulator handles the first request whose label or "METHOD /path"
	 * matches `match`: for tests that need the store to change between a client's read and its write (a sale
	 * on the channel while a sync is writing).
	 */
	beforeNext(match: RegExp, act: () => void): void;
	close(): Promise<void>;
}

export interface SimulatorOptions {
	port?: number;
	/** Runs before fault matching, to set `label` (e.g. parse the GraphQL operation name). */
	label?: (request: SimRequest) => string | undefined;
	/** Extra inspection routes under /__sim/ (e.g. `state`). Return undefined to fall through. */
	inspect?: (request: SimRequest) => SimResponse | undefined | Promise<SimResponse | undefined>;
	/** Called by POST /__sim/reset after the log and faults are cleared. */
	reset?: () => void;
	/** Whether a request writes (lost-answer faults apply to writes only). Default: not GET/HEAD. */
	isWrite?: (request: SimRequest) => boolean;
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, response: SimResponse): void {
	const body = response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
	const headers: Record<string, string> = { ...(response.headers ?? {}) };
	if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type') && typeof response.body !== 'string') {
		headers['content-type'] = 'application/json; charset=utf-8';
	}
	res.writeHead(response.status, headers);
	res.end(body);
}

export async function startSimulator(handler: Handler, options: SimulatorOptions = {}): Promise<Simulator> {
	const faults = new FaultInjector();
	const log: LogEntry[] = [];
	const hooks: Array<{ match: RegExp; act: () => void }> = [];
	const sockets = new Set<Socket>();

	const server: Server = createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://sim.local');
		const rawBody = await readBody(req);
		let json: unknown;
		try {
			json = rawBody ? JSON.parse(rawBody) : undefined;
		} catch {
			json = undefined;
		}
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
		const request: SimRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, rawBody, json };

		if (request.path.startsWith('/__sim/')) {
			send(res, await inspection(request));
			return;
		}
		request.label = options.label?.(request);
		const entry: LogEntry = {
			at: Date.now(), method: request.method, path: request.path, query: url.search, label: request.label,
			status: 0, fault: undefined,
		};
		log.push(entry);
		const hook = hooks.findIndex((h) => h.match.test(request.label ?? '') || h.match.test(`${request.method} ${request.path}`));
		if (hook >= 0) hooks.splice(hook, 1)[0].act();
		const isWrite = options.isWrite ? options.isWrite(request) : request.method !== 'GET' && request.method !== 'HEAD';
		const fault = faults.decide({ method: request.method, path: request.path, label: request.label, isWrite });
		entry.fault = fault?.kind;
		if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
		if (fault?.kind === 'drop') {
			entry.status = 'dropped';
			req.socket.destroy();
			return;
		}
		if (fault && fault.kind !== 'slow' && fault.kind !== 'lostAnswer') {
			const response = faultResponse(fault);
			entry.status = response.status;
			send(res, response);
			return;
		}
		let response: SimResponse;
		try {
			response = await handler(request);
		} catch (error) {
			response = { status: 500, body: { error: `simulator bug: ${(error as Error).stack}` } };
		}
		if (fault?.kind === 'lostAnswer') {
			entry.status = 'lostAnswer';
			req.socket.destroy();
			return;
		}
		entry.status = response.status;
		send(res, response);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	async function inspection(request: SimRequest): Promise<SimResponse> {
		const what = request.path.slice('/__sim/'.length);
		if (what === 'log') return { status: 200, body: log };
		if (what === 'faults' && request.method === 'POST') {
			const rules = (Array.isArray(request.json) ? request.json : [request.json]) as FaultRule[];
			for (const rule of rules) faults.add(rule);
			return { status: 200, body: { rules: faults.rules.length } };
		}
		if (what === 'faults' && request.method === 'DELETE') {
			faults.clear();
			return { status: 200, body: { rules: 0 } };
		}
		if (what === 'reset' && request.method === 'POST') {
			log.length = 0;
			faults.clear();
			options.reset?.();
			return { status: 200, body: { reset: true } };
		}
		const custom = await options.inspect?.(request);
		return custom ?? { status: 404, body: { error: `no inspection route ${request.path}` } };
	}

	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		faults,
		log,
		beforeNext: (match, act) => {
			hooks.push({ match, act });
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

function faultResponse(fault: { kind: string; retryAfterSeconds?: number }): SimResponse {
	switch (fault.kind) {
		case 'status429':
			return {
				status: 429,
				headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) },
				body: { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
			};
		case 'html':
			return { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>Maintenance</h1></body></html>' };
		case 'status502':
			return { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>502 Bad Gateway</body></html>' };
		case 'status503':
			return { status: 503, headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) }, body: { errors: 'Service Unavailable' } };
		default:
			return { status: 500, body: { errors: 'Internal Server Error' } };
	}
}
