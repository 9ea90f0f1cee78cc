/**
 * A real n8n, started from the CLI against a throwaway user folder that has our packed package installed.
 * Tests import credentials and workflows and run them with `n8n execute`, then assert on n8n's own
 * execution output (items, pairedItem, error items, exit code).
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readState } from './paths';
import type { HarnessState } from './paths';
import type { WorkflowJson } from './workflow';

export interface ItemJson {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number }>;
	error?: unknown;
}

export interface NodeRun {
	executionStatus?: string;
	data?: { main: Array<ItemJson[] | null> };
	error?: { message: string; description?: string; name?: string; context?: Record<string, unknown> };
}

export interface RunJson {
	data: { resultData: { runData: Record<string, NodeRun[]>; error?: { message: string; description?: string; node?: { name: string } } } };
	status?: string;
	finished?: boolean;
}

export interface CredentialFixture {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export class ExecutionResult {
	constructor(
		readonly exitCode: number,
		readonly stdout: string,
		readonly stderr: string,
		readonly run: RunJson | undefined,
		readonly userFolder: string,
		readonly measured: { peakRssKb: number; wallMs: number } = { peakRssKb: 0, wallMs: 0 },
	) {}

	/** n8n's own measure of how long one node took in its last run (ms). */
	nodeTime(nodeName: string): number {
		const runs = this.run?.data.resultData.runData[nodeName] as Array<NodeRun & { executionTime?: number }> | undefined;
		return runs?.[runs.length - 1]?.executionTime ?? Number.NaN;
	}

	get ok(): boolean {
		return this.exitCode === 0 && !this.run?.data.resultData.error;
	}

	/**
	 * The error that stopped the run. A failed `n8n execute` prints no run JSON, only
	 * "Execution error:" and the message, which is what a user sees too.
	 */
	get error(): { message: string; description?: string; node?: { name: string } } | undefined {
		if (this.run?.data.resultData.error) return this.run.data.resultData.error;
		const marker = this.stdout.indexOf('Execution error:');
		if (marker < 0) return this.exitCode === 0 ? undefined : { message: `n8n exited with ${this.exitCode}: ${this.stdout.slice(-1500)}${this.stderr.slice(-1500)}` };
		const message = this.stdout.slice(marker + 'Execution error:'.length).trim().split('\n')[0];
		return { message };
	}

	/** Items a node put on one of its outputs in its (last) run. */
	output(nodeName: string, outputIndex = 0): ItemJson[] {
		const runs = this.run?.data.resultData.runData[nodeName];
		if (!runs || runs.length === 0) {
			if (process.env.KEEP_E2E) writeFileSync(join(this.userFolder, 'last-stdout.txt'), this.stdout);
			throw new Error(`node "${nodeName}" did not run (${this.run ? 'run parsed' : 'no run JSON in the output'}). stderr:\n${this.stderr.slice(-1500)}\nstdout (end):\n${this.stdout.slice(-300)}`);
		}
		return runs[runs.length - 1].data?.main[outputIndex] ?? [];
	}

	/** The bytes of a binary field of an output item (n8n keeps them on disk in CLI runs). */
	binary(item: ItemJson, property: string): Buffer {
		const entry = (item as ItemJson & { binary?: Record<string, { data?: string; id?: string }> }).binary?.[property];
		if (!entry) throw new Error(`item has no binary field "${property}"`);
		if (entry.id) {
			const [, path] = entry.id.split(/:(.*)/s);
			return readFileSync(join(this.userFolder, '.n8n', 'storage', path));
		}
		return Buffer.from(entry.data ?? '', 'base64');
	}

	json(nodeName: string, outputIndex = 0): Array<Record<string, unknown>> {
		return this.output(nodeName, outputIndex).map((i) => i.json);
	}
}

export function n8nEnv(state: HarnessState, userFolder: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return {
		PATH: `${state.nodeBinDir}:${process.env.PATH ?? ''}`,
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_ENCRYPTION_KEY: 'commerce-sync-e2e-encryption-key',
		// `execute --rawOutput` prints the run through n8n's logger at info level: keep it at info.
		N8N_LOG_LEVEL: 'info',
		N8N_RUNNERS_BROKER_PORT: String(5700 + Math.floor(Math.random() * 2000)),
		DB_SQLITE_POOL_SIZE: '2',
		...extra,
	};
}

/** A running n8n process (`n8n start` or a worker). */
export interface N8nProcess {
	stop(): Promise<void>;
	port: number;
	pid: number | undefined;
	log(): string;
}

/** The owner account the tests and the demo create (a local test login, not a secret). */
export const OWNER_EMAIL = 'owner@example.com';
export const OWNER_PASSWORD = 'Commerce-Sync-1';

export class N8nInstance {
	readonly userFolder: string;
	protected readonly state: HarnessState;

	protected constructor(private readonly extraEnv: Record<string, string>) {
		this.state = readState();
		this.userFolder = mkdtempSync(join(this.state.workDir, 'user-'));
		cpSync(this.state.templateUserFolder, this.userFolder, { recursive: true });
	}

	/** A fresh n8n user folder (its own database) with the package installed. */
	static create(extraEnv: Record<string, string> = {}): N8nInstance {
		return new N8nInstance(extraEnv);
	}

	get env(): NodeJS.ProcessEnv {
		return n8nEnv(this.state, this.userFolder, this.extraEnv);
	}

	/**
	 * Runs the n8n CLI. `peakRssKb` is the n8n process's peak resident memory (VmHWM, sampled from /proc
	 * every 50 ms; the last sample before exit is the peak up to then).
	 */
	run(args: string[], timeoutMs = 240_000): Promise<{ code: number; stdout: string; stderr: string; peakRssKb: number; wallMs: number }> {
		const started = Date.now();
		return new Promise((resolve) => {
			let peakRssKb = 0;
			const child = execFile(this.state.n8nBin, args, { env: this.env, maxBuffer: 1024 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
				clearInterval(sampler);
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
				resolve({ code, stdout, stderr, peakRssKb, wallMs: Date.now() - started });
			});
			const sampler = setInterval(() => {
				try {
					const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
					const match = /VmHWM:\s+(\d+) kB/.exec(status);
					if (match) peakRssKb = Math.max(peakRssKb, Number(match[1]));
				} catch {
					// the process has exited
				}
			}, 50);
		});
	}

	private writeJson(name: string, value: unknown): string {
		const file = join(this.userFolder, name);
		writeFileSync(file, JSON.stringify(value));
		return file;
	}

	async importCredentials(credentials: CredentialFixture[]): Promise<void> {
		const file = this.writeJson(`credentials-${Date.now()}.json`, credentials);
		const result = await this.run(['import:credentials', `--input=${file}`]);
		rmSync(file);
		if (result.code !== 0) throw new Error(`import:credentials failed: ${result.stderr}${result.stdout}`);
	}

	async importWorkflows(workflows: WorkflowJson[]): Promise<void> {
		const file = this.writeJson(`workflows-${Date.now()}.json`, workflows);
		const result = await this.run(['import:workflow', `--input=${file}`]);
		if (result.code !== 0) throw new Error(`import:workflow failed: ${result.stderr}${result.stdout}`);
	}

	/** n8n's own modules, from the pinned install: its SQLite driver and the format it stores runs in. */
	protected n8nModule<T>(name: string): T {
		return require(join(dirname(dirname(this.state.n8nBin)), name)) as T;
	}

	/**
	 * The last stored execution of a workflow, read from n8n's database: the authoritative record. The
	 * CLI's printed output is not: n8n's logger flushes after the process exits, so stdout and the exit
	 * code are cut short at random.
	 */
	async lastExecution(workflowId: string): Promise<{ id: number; status: string; run: RunJson } | undefined> {
		return (await this.executions(workflowId, 1))[0];
	}

	/**
	 * A read-only query on n8n's SQLite database (`?` placeholders). Queries quote camelCase columns
	 * ("executionId") so they also run on PostgreSQL, where the queue-mode harness overrides this.
	 */
	async query(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
		type Db = { all(sql: string, params: unknown[], cb: (err: Error | null, rows: Array<Record<string, unknown>>) => void): void; close(): void };
		const sqlite3 = this.n8nModule<{ Database: new (file: string, mode: number, cb: (err: Error | null) => void) => Db; OPEN_READONLY: number }>('sqlite3');
		const db = await new Promise<Db>((resolve, reject) => {
			const handle: Db = new sqlite3.Database(join(this.userFolder, '.n8n', 'database.sqlite'), sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(handle)));
		});
		try {
			return await new Promise<Array<Record<string, unknown>>>((resolve, reject) =>
				db.all(sql, params, (err, result) => (err ? reject(err) : resolve(result))),
			);
		} finally {
			db.close();
		}
	}

	/** The stored executions of a workflow (only the newest `last`, when given), oldest first. */
	async executions(workflowId: string, last?: number): Promise<Array<{ id: number; status: string; mode: string; run: RunJson }>> {
		const flatted = this.n8nModule<{ parse(text: string): unknown }>('flatted');
		const rows = await this.query(
			`SELECT e.id, e.status, e.mode, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = ? ORDER BY e.id DESC${last ? ` LIMIT ${Math.floor(last)}` : ''}`,
			[workflowId],
		);
		return rows.reverse().map((row) => {
			const data = flatted.parse(String(row.data)) as RunJson['data'];
			return { id: Number(row.id), status: String(row.status), mode: String(row.mode), run: { data, status: String(row.status) } };
		});
	}

	/** A workflow's static data as n8n stored it (`{"node:<name>": …}`), e.g. a trigger's cursor. */
	async staticData(workflowId: string): Promise<Record<string, unknown> | undefined> {
		const rows = await this.query('SELECT "staticData" FROM workflow_entity WHERE id = ?', [workflowId]);
		const value = rows[0]?.staticData;
		if (value === null || value === undefined) return undefined;
		return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
	}

	/**
	 * Runs a workflow from the editor's side, as a logged-in user clicking "Execute step" / "Fetch test
	 * event" on `nodeName` (mode `manual`), against a started n8n; creates the owner on first use.
	 * With `from: 'trigger'`, the user clicks "Execute workflow" on the trigger `nodeName`: the whole
	 * workflow runs from it (modules such as data tables are loaded only in a started n8n, not in
	 * `n8n execute`). Resolves with the stored execution's id once n8n has accepted the run.
	 */
	async runFromEditor(server: { port: number }, workflowId: string, nodeName: string, from: 'step' | 'trigger' = 'step'): Promise<string> {
		const base = `http://127.0.0.1:${server.port}`;
		const headers = { 'content-type': 'application/json', 'browser-id': 'commerce-sync-tests' };
		await this.ensureOwner(server);
		if (!this.ownerCookie) throw new Error('no owner session');
		const cookie = this.ownerCookie.cookie;
		// n8n 1.x runs the workflow the editor sends; 2.x reads the saved one.
		const workflowData = this.isV1
			? ((await (await fetch(`${base}/rest/workflows/${workflowId}`, { headers: { ...headers, cookie } })).json()) as { data: unknown }).data
			: undefined;
		const run = await fetch(`${base}/rest/workflows/${workflowId}/run`, {
			method: 'POST', headers: { ...headers, cookie },
			body: JSON.stringify({
				...(from === 'trigger' ? { triggerToStartFrom: { name: nodeName } } : { destinationNode: { nodeName, mode: 'inclusive' } }),
				...(workflowData ? { workflowData } : {}),
			}),
		});
		const body = (await run.json()) as { data?: { executionId?: string } };
		if (!run.ok || !body.data?.executionId) throw new Error(`manual run refused: ${run.status} ${JSON.stringify(body)}`);
		return body.data.executionId;
	}

	private ownerCookie: { port: number; cookie: string } | undefined;

	/** The owner account a user creates on first start (owner@example.com / OWNER_PASSWORD), logged in once per server. */
	async ensureOwner(server: { port: number }): Promise<void> {
		if (this.ownerCookie && this.ownerCookie.port === server.port) return;
		const base = `http://127.0.0.1:${server.port}`;
		const headers = { 'content-type': 'application/json', 'browser-id': 'commerce-sync-tests' };
		const setup = await fetch(`${base}/rest/owner/setup`, {
			method: 'POST', headers,
			body: JSON.stringify({ email: OWNER_EMAIL, firstName: 'Shop', lastName: 'Owner', password: OWNER_PASSWORD }),
		});
		const login = setup.ok ? setup : await fetch(`${base}/rest/login`, {
			method: 'POST', headers, body: JSON.stringify({ emailOrLdapLoginId: OWNER_EMAIL, password: OWNER_PASSWORD }),
		});
		if (!login.ok) throw new Error(`could not log in to n8n: ${login.status} ${await login.text()}`);
		this.ownerCookie = { port: server.port, cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] };
	}

	/** Waits until execution `executionId` of `workflowId` has finished, and returns it. */
	async finished(workflowId: string, executionId: string, timeoutMs = 120_000): Promise<{ id: number; status: string; mode: string; run: RunJson }> {
		for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((r) => setTimeout(r, 300))) {
			const rows = await this.query('SELECT finished, status FROM execution_entity WHERE id = ?', [Number(executionId)]);
			if (rows[0] && !['new', 'running', 'waiting'].includes(String(rows[0].status))) {
				const run = (await this.executions(workflowId, 5)).find((e) => String(e.id) === executionId);
				if (run?.run.data?.resultData) return run;
			}
		}
		throw new Error(`execution ${executionId} did not finish within ${timeoutMs} ms`);
	}

	/** n8n 1.x, which activates workflows where 2.x publishes them. */
	get isV1(): boolean {
		return this.state.n8nVersion.startsWith('1.');
	}

	/** Activates a workflow for `n8n start` (2.x: `publish:workflow`; 1.x: `update:workflow --active=true`). */
	async publish(workflowId: string): Promise<void> {
		const args = this.isV1 ? ['update:workflow', `--id=${workflowId}`, '--active=true'] : ['publish:workflow', `--id=${workflowId}`];
		const result = await this.run(args);
		if (result.code !== 0) throw new Error(`${args[0]} failed: ${result.stderr}${result.stdout}`);
	}

	/** Switches a published workflow off again (2.x: `unpublish:workflow`; 1.x: `--active=false`). */
	async unpublish(workflowId: string): Promise<void> {
		const args = this.isV1 ? ['update:workflow', `--id=${workflowId}`, '--active=false'] : ['unpublish:workflow', `--id=${workflowId}`];
		const result = await this.run(args);
		if (result.code !== 0) throw new Error(`${args[0]} failed: ${result.stderr}${result.stdout}`);
	}

	/**
	 * Starts `n8n start` (active workflows' triggers run for real: a polling trigger polls once at
	 * activation), returns once the editor answers, and stops it with `stop()`.
	 */
	async start(timeoutMs = 120_000, fixedPort?: number): Promise<N8nProcess> {
		// Three distinct ports: asked for one at a time, the system may hand out the same free port twice.
		const [own, broker, health] = await freePorts(3);
		const port = fixedPort ?? own;
		return this.launch(['start'], { ...this.env, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(broker), QUEUE_HEALTH_CHECK_PORT: String(health) }, port, ['/healthz/readiness', '/rest/settings'], timeoutMs);
	}

	/**
	 * Spawns an n8n command (`start`, `worker`) and returns once every path in `ready` answers 200 on
	 * `port`; `stop()` sends SIGTERM, then SIGKILL after 20 s.
	 */
	protected async launch(args: string[], env: NodeJS.ProcessEnv, port: number, ready: string[], timeoutMs: number): Promise<N8nProcess> {
		const child: ChildProcess = spawn(this.state.n8nBin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (child.exitCode !== null) throw new Error(`n8n ${args[0]} exited early:\n${output.slice(-3000)}`);
			// n8n 1.x reports ready before its REST routes are mounted: `start` waits for a public route as well.
			const answers = (path: string) => fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.ok, () => false);
			let up = true;
			for (const path of ready) up = up && (await answers(path));
			if (up) break;
			if (Date.now() > deadline) {
				child.kill('SIGKILL');
				throw new Error(`n8n ${args[0]} did not become ready:\n${output.slice(-3000)}`);
			}
			await new Promise((r) => setTimeout(r, 300));
		}
		return {
			port,
			pid: child.pid,
			log: () => output,
			stop: async () => {
				if (child.exitCode === null && child.signalCode === null) {
					child.kill('SIGTERM');
					const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
					await exited;
					clearTimeout(timer);
				}
			},
		};
	}

	/**
	 * Runs a workflow once (`n8n execute`) and reads the run n8n stored. Past `timeoutMs` the CLI is
	 * stopped (n8n then cannot write its output and would spin on EPIPE): long benchmark runs pass more.
	 */
	async execute(workflowId: string, timeoutMs?: number): Promise<ExecutionResult> {
		const { code, stdout, stderr, peakRssKb, wallMs } = await this.run(['execute', `--id=${workflowId}`], timeoutMs);
		const stored = await this.lastExecution(workflowId);
		if (!stored) return new ExecutionResult(code || 1, stdout, stderr, undefined, this.userFolder, { peakRssKb, wallMs });
		const exitCode = stored.status === 'success' && !stored.run.data.resultData.error ? 0 : 1;
		return new ExecutionResult(exitCode, stdout, stderr, stored.run, this.userFolder, { peakRssKb, wallMs });
	}

	/** Imports one workflow and runs it. */
	async runWorkflow(workflow: WorkflowJson): Promise<ExecutionResult> {
		await this.importWorkflows([workflow]);
		return this.execute(workflow.id);
	}

	dispose(): void {
		if (!process.env.KEEP_E2E) rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** `count` distinct free TCP ports on loopback: each held open until all are found, so none repeats. */
export async function freePorts(count: number): Promise<number[]> {
	const servers = await Promise.all(Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(server));
	})));
	const ports = servers.map((server) => {
		const address = server.address();
		return typeof address === 'object' && address ? address.port : 0;
	});
	await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
	return ports;
}
