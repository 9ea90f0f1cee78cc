/**
 * n8n in queue mode (scale-out), as README "Scaling out" sets it up: a throwaway PostgreSQL and Redis
 * (installed from Debian's packages when missing, as CI can), `n8n start` as the main and two
 * `n8n worker --concurrency=5`, every process with its own user folder holding the packed package, the
 * same N8N_ENCRYPTION_KEY and the same database. The CLI (import, publish) runs against that database.
 * Which worker ran an execution comes from the workers' own logs ("Worker started execution <id>"):
 * n8n keeps no worker id in the database. For the reliability suite: workers added to a running set, a
 * worker SIGKILLed, the whole database (pg_dump), Redis's keys and every command sent to it (MONITOR).
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { N8nInstance, freePorts } from './n8n';
import type { N8nProcess } from './n8n';

const AS_ROOT = process.getuid?.() === 0;

/** Installs a Debian package when `probe` is missing (apt-get, with sudo when not root). */
function aptInstall(pkg: string, probe: () => boolean): void {
	if (probe()) return;
	const sudo = AS_ROOT ? [] : ['sudo'];
	const apt = (args: string[]) => execFileSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], {
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'pipe'],
	});
	try {
		apt(['install', '-y', pkg]);
	} catch {
		apt(['update']);
		apt(['install', '-y', pkg]);
	}
	if (!probe()) throw new Error(`apt-get installed ${pkg}, but it is still not found`);
}

/** PostgreSQL's server binaries (initdb, pg_ctl): Debian keeps them per major version. */
function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
	return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** A process's descendants (children, their children, …), from /proc. */
function descendants(pid: number): number[] {
	const out: number[] = [];
	let tasks: string[] = [];
	try {
		tasks = readdirSync(`/proc/${pid}/task`);
	} catch {
		return out;
	}
	for (const task of tasks) {
		let text = '';
		try {
			text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
		} catch {
			continue;
		}
		for (const child of text.split(/\s+/).filter(Boolean).map(Number)) out.push(child, ...descendants(child));
	}
	return out;
}

/** Whether a process exists (and is not a zombie waiting to be reaped). */
function alive(pid: number): boolean {
	try {
		return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
	} catch {
		return false;
	}
}

function hasCommand(name: string): boolean {
	try {
		execFileSync('bash', ['-c', `command -v ${name}`], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** PostgreSQL and Redis refuse (or should not) run as root: as root, run them as an unprivileged user. */
function unprivileged(user: string, command: string, args: string[]): [string, string[]] {
	if (!AS_ROOT) return [command, args];
	const group = execFileSync('id', ['-gn', user], { encoding: 'utf8' }).trim();
	return ['setpriv', [`--reuid=${user}`, `--regid=${group}`, '--init-groups', command, ...args]];
}

interface Service {
	stop(): Promise<void>;
	log(): string;
}

function waitExit(child: ChildProcess, graceMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

/** A throwaway PostgreSQL cluster (trust auth on 127.0.0.1, no fsync) in a temporary folder. */
async function startPostgres(port: number): Promise<Service & { database: string; user: string }> {
	aptInstall('postgresql', () => postgresBinDir() !== undefined);
	const bin = postgresBinDir() as string;
	const dir = mkdtempSync(join(tmpdir(), 'commerce-sync-pg-'));
	chmodSync(dir, 0o777);
	const data = join(dir, 'data');
	const user = AS_ROOT ? 'postgres' : (process.env.USER ?? 'postgres');
	const run = (command: string, args: string[]) => {
		const [cmd, argv] = unprivileged('postgres', join(bin, command), args);
		return execFileSync(cmd, argv, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	};
	run('initdb', ['-D', data, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8']);
	// The postgres process in the foreground (no pg_ctl): its pid is ours to stop, its log is ours to read.
	const [cmd, argv] = unprivileged('postgres', join(bin, 'postgres'), [
		'-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off',
		'-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
	]);
	const child = spawn(cmd, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
	const stop = async () => {
		await waitExit(child, 15_000);
		rmSync(dir, { recursive: true, force: true });
	};
	for (const deadline = Date.now() + 30_000; ;) {
		try {
			run('pg_isready', ['-h', '127.0.0.1', '-p', String(port)]);
			break;
		} catch {
			if (child.exitCode !== null || Date.now() > deadline) {
				await stop();
				throw new Error(`PostgreSQL did not start:\n${output.slice(-2000)}`);
			}
			await new Promise((r) => setTimeout(r, 200));
		}
	}
	run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', user, 'n8n']);
	return { database: 'n8n', user, stop, log: () => output };
}

/** A throwaway Redis: loopback only, no persistence. */
async function startRedis(port: number): Promise<Service> {
	aptInstall('redis-server', () => hasCommand('redis-server'));
	const [cmd, argv] = unprivileged('nobody', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()]);
	const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
	for (const deadline = Date.now() + 20_000; !/Ready to accept connections/.test(output);) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await waitExit(child, 5_000);
			throw new Error(`Redis did not start:\n${output.slice(-2000)}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return { stop: () => waitExit(child, 10_000), log: () => output };
}

export interface QueueModeOptions {
	workers?: number;
	concurrency?: number;
}

/**
 * The main instance (CLI, `n8n start`, reads) of a queue-mode n8n. Its queries go to PostgreSQL; its
 * workers are started with `startWorkers()`.
 */
export class QueueModeN8n extends N8nInstance {
	private constructor(
		extraEnv: Record<string, string>,
		private readonly services: Service[],
		private readonly pgPort: number,
	) {
		super(extraEnv);
	}

	private main: N8nProcess | undefined;
	private readonly workers: Array<N8nProcess & { name: string; userFolder: string }> = [];

	/** Starts PostgreSQL and Redis and returns the n8n instance configured for them (nothing of n8n runs yet). */
	static async startServices(): Promise<QueueModeN8n> {
		const [pgPort, redisPort] = await freePorts(2);
		const services: Service[] = [];
		try {
			const redis = await startRedis(redisPort);
			services.push(redis);
			const pg = await startPostgres(pgPort);
			services.push(pg);
			return new QueueModeN8n({
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redisPort),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(pgPort),
				DB_POSTGRESDB_DATABASE: pg.database,
				DB_POSTGRESDB_USER: pg.user,
				DB_POSTGRESDB_PASSWORD: '',
				// N8N_ENCRYPTION_KEY: n8nEnv's, the same for every process (the template user folder's config holds it too).
			}, services, pgPort);
		} catch (error) {
			for (const service of services.reverse()) await service.stop();
			throw error;
		}
	}

	/** `n8n start`: the main takes the webhooks and runs the triggers and pollers; executions go to Redis. */
	async startMain(): Promise<N8nProcess> {
		this.main = await this.start(180_000);
		return this.main;
	}

	/**
	 * `n8n worker --concurrency=<n>` × count, each with its own user folder (the pack installed), health and
	 * broker ports. Called again, it adds workers (named on from the last: worker3, …) beside the others.
	 */
	async startWorkers(count = 2, concurrency = 5): Promise<void> {
		const first = this.workers.length;
		await Promise.all(Array.from({ length: count }, async (_, i) => {
			const n = first + i + 1;
			const [health, broker] = await freePorts(2);
			const userFolder = mkdtempSync(join(this.state.workDir, `worker${n}-`));
			cpSync(this.state.templateUserFolder, userFolder, { recursive: true });
			const env = { ...this.env, HOME: userFolder, N8N_USER_FOLDER: userFolder, QUEUE_HEALTH_CHECK_PORT: String(health), N8N_RUNNERS_BROKER_PORT: String(broker) };
			const worker = await this.launch(['worker', `--concurrency=${concurrency}`], env, health, ['/healthz/readiness'], 180_000);
			this.workers[n - 1] = { ...worker, name: `worker${n}`, userFolder };
		}));
	}

	/** Executions a worker has started and not finished, from its log ("Worker started/finished execution <id>"). */
	runningOn(name: string): number[] {
		const log = this.workers.find((w) => w.name === name)?.log() ?? '';
		const finished = new Set([...log.matchAll(/Worker finished execution (\d+)/g)].map((m) => Number(m[1])));
		return [...log.matchAll(/Worker started execution (\d+)/g)].map((m) => Number(m[1])).filter((id) => !finished.has(id));
	}

	/**
	 * SIGKILLs a worker, as a crashed machine or the kernel's OOM killer would: no shutdown, no drain. The
	 * worker's own child processes (n8n's task runner) are listed first; any still alive 5 s later (orphans:
	 * nothing told them) are SIGKILLed too, so none outlives the test. The worker's log stays readable.
	 */
	async killWorker(name: string): Promise<{ pid: number; children: number[]; orphansLeft: number[] }> {
		const worker = this.workers.find((w) => w.name === name);
		if (!worker?.pid) throw new Error(`no running worker ${name}`);
		const pid = worker.pid;
		const children = descendants(pid);
		process.kill(pid, 'SIGKILL');
		for (const deadline = Date.now() + 5_000; Date.now() < deadline && [pid, ...children].some(alive);) await new Promise((r) => setTimeout(r, 100));
		const orphansLeft = children.filter(alive);
		for (const child of orphansLeft) process.kill(child, 'SIGKILL');
		return { pid, children, orphansLeft };
	}

	/** The main's and every worker's user folder (config, event log, binary data), for scans. */
	get userFolders(): string[] {
		return [this.userFolder, ...this.workers.map((w) => w.userFolder)];
	}

	/** Every process's whole output so far: main, each worker (killed ones too), Redis, PostgreSQL. */
	logs(): Array<[string, string]> {
		return [['main', this.main?.log() ?? ''], ...this.workers.map((w): [string, string] => [w.name, w.log()]),
			['redis', this.services[0]?.log() ?? ''], ['postgres', this.services[1]?.log() ?? '']];
	}

	/** The whole PostgreSQL database as plain SQL (`pg_dump`, the same server version's client). */
	pgDump(): Buffer {
		const bin = postgresBinDir() as string;
		const env = this.env;
		return execFileSync(join(bin, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(this.pgPort), '-U', String(env.DB_POSTGRESDB_USER), '--no-owner', String(env.DB_POSTGRESDB_DATABASE)], {
			maxBuffer: 4 * 1024 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
		});
	}

	/** Every key in Redis with its value, one line each (`type key value`), read with n8n's own ioredis. */
	async redisContents(): Promise<string> {
		type Redis = {
			scan(cursor: string, ...args: Array<string | number>): Promise<[string, string[]]>;
			type(key: string): Promise<string>;
			get(key: string): Promise<string | null>;
			hgetall(key: string): Promise<Record<string, string>>;
			lrange(key: string, start: number, stop: number): Promise<string[]>;
			smembers(key: string): Promise<string[]>;
			zrange(key: string, start: number, stop: number, withScores: 'WITHSCORES'): Promise<string[]>;
			xrange(key: string, start: string, end: string): Promise<unknown[]>;
			quit(): Promise<unknown>;
		};
		const RedisClient = this.n8nModule<new (options: Record<string, unknown>) => Redis>('ioredis');
		const redis = new RedisClient({ host: '127.0.0.1', port: Number(this.env.QUEUE_BULL_REDIS_PORT), lazyConnect: false, maxRetriesPerRequest: 1 });
		const lines: string[] = [];
		try {
			let cursor = '0';
			do {
				const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
				cursor = next;
				for (const key of keys) {
					const type = await redis.type(key);
					const value = type === 'string' ? await redis.get(key)
						: type === 'hash' ? await redis.hgetall(key)
							: type === 'list' ? await redis.lrange(key, 0, -1)
								: type === 'set' ? await redis.smembers(key)
									: type === 'zset' ? await redis.zrange(key, 0, -1, 'WITHSCORES')
										: type === 'stream' ? await redis.xrange(key, '-', '+') : null;
					lines.push(`${type} ${key} ${JSON.stringify(value)}`);
				}
			} while (cursor !== '0');
		} finally {
			await redis.quit();
		}
		return lines.join('\n');
	}

	/**
	 * Redis's MONITOR from now on (through n8n's own ioredis): every command any process sends Redis (Bull's
	 * job data, the pub/sub messages between the main and the workers), one line each, until `stop()`.
	 */
	async monitorRedis(): Promise<{ text(): string; commands(): number; stop(): Promise<void> }> {
		type Monitor = { on(event: 'monitor', listener: (time: string, args: string[]) => void): void; disconnect(): void };
		const RedisClient = this.n8nModule<new (options: Record<string, unknown>) => { monitor(): Promise<Monitor>; disconnect(): void }>('ioredis');
		const redis = new RedisClient({ host: '127.0.0.1', port: Number(this.env.QUEUE_BULL_REDIS_PORT) });
		const monitor = await redis.monitor();
		const lines: string[] = [];
		monitor.on('monitor', (time, args) => lines.push(`${time} ${JSON.stringify(args)}`));
		return {
			text: () => lines.join('\n'),
			commands: () => lines.length,
			stop: async () => {
				monitor.disconnect();
				redis.disconnect();
			},
		};
	}

	/** Which worker ran each execution, from the workers' logs: execution id → worker name. */
	workerOf(): Map<number, string> {
		const ran = new Map<number, string>();
		for (const worker of this.workers) {
			for (const match of worker.log().matchAll(/Worker started execution (\d+)/g)) ran.set(Number(match[1]), worker.name);
		}
		return ran;
	}

	get workerNames(): string[] {
		return this.workers.map((w) => w.name);
	}

	/** A read-only query on n8n's PostgreSQL database (`?` placeholders, as for SQLite). */
	override async query(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
		type Client = { connect(): Promise<void>; query(sql: string, params: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>; end(): Promise<void> };
		const pg = this.n8nModule<{ Client: new (config: Record<string, unknown>) => Client }>('pg');
		const env = this.env;
		const client = new pg.Client({ host: '127.0.0.1', port: this.pgPort, database: env.DB_POSTGRESDB_DATABASE, user: env.DB_POSTGRESDB_USER });
		await client.connect();
		try {
			let n = 0;
			return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows;
		} finally {
			await client.end();
		}
	}

	/**
	 * Writes every process's whole output (main, workers, Redis, PostgreSQL) to one file each in a folder
	 * kept after the run (the previous run's is replaced), and returns the folder, for failure messages.
	 */
	writeLogs(dir = join(tmpdir(), 'commerce-sync-queue-logs')): string {
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		for (const [name, text] of this.logs()) writeFileSync(join(dir, `${name}.log`), text);
		return dir;
	}

	/** Stops the workers and the main (SIGTERM, then SIGKILL), then PostgreSQL and Redis, and removes the folders. */
	async stop(): Promise<void> {
		await Promise.all([...this.workers.map((w) => w.stop()), this.main?.stop()]);
		for (const service of [...this.services].reverse()) await service.stop();
		if (!process.env.KEEP_E2E) for (const worker of this.workers) rmSync(worker.userFolder, { recursive: true, force: true });
		this.dispose();
	}
}


/**
 * Waits until the main serves a production webhook: a GET on a POST-only webhook answers "did you mean to
 * make a POST request?" once it is registered ("not registered" before). The main reports ready before it
 * has activated every published workflow.
 */
export async function webhookRegistered(mainUrl: string, path: string, logs: () => string): Promise<void> {
	for (const deadline = Date.now() + 90_000; ; await new Promise((r) => setTimeout(r, 500))) {
		const text = await fetch(`${mainUrl}/webhook/${path}`).then((r) => r.text(), () => '');
		if (/POST request/.test(text)) return;
		if (Date.now() > deadline) throw new Error(`webhook ${path} was never registered (${text}); logs in ${logs()}`);
	}
}
