/**
 * Jest global setup for the end-to-end project: installs (once, cached outside the repo) Node 24 and the
 * pinned n8n, packs this package with `npm pack` and installs the tarball into a fresh n8n user folder the
 * way users do (~/.n8n/nodes), then migrates n8n's database once so each test only copies that folder.
 * `npm run build` must have run (npm test does it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, newWorkDir, writeState } from './paths';
import { n8nEnv } from './n8n';

export default function globalSetup(): void {
	const n8nVersion = process.env.N8N_VERSION ?? '2.40.7';
	const toolchain = execFileSync(
		'bash',
		['-c', `source scripts/toolchain.sh n8n >&2 && printf '%s\\n%s' "$N8N_BIN" "$N8N_NODE_BIN_DIR"`],
		{ cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, N8N_VERSION: n8nVersion }, stdio: ['ignore', 'pipe', 'inherit'] },
	).trim().split('\n');
	const [n8nBin, nodeBinDir] = toolchain;
	// n8n's sqlite3 (which the tests use to read its database) is built for the Node that runs n8n.
	if (process.version.split('.')[0] !== execFileSync(join(nodeBinDir, 'node'), ['--version'], { encoding: 'utf8' }).split('.')[0]) {
		throw new Error(`n8n ${n8nVersion} runs on another Node than these tests (${process.version}): run them as \`N8N_VERSION=${n8nVersion} bash -c 'source scripts/toolchain.sh n8n && npm run test:e2e'\``);
	}
	if (!existsSync(join(REPO_ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` before the e2e tests');

	const workDir = newWorkDir();
	mkdirSync(workDir, { recursive: true });
	const packOut = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', workDir, '--loglevel=error'], {
		cwd: REPO_ROOT, encoding: 'utf8',
	});
	const tarball = join(workDir, packOut.trim().split('\n').pop() as string);

	const templateUserFolder = join(workDir, 'template-user');
	const nodesDir = join(templateUserFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), '{"private":true}');
	execFileSync('npm', ['i', tarball, '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
		cwd: nodesDir, stdio: ['ignore', 'ignore', 'inherit'],
	});
	const state = { n8nBin, n8nVersion, nodeBinDir, templateUserFolder, tarball, workDir };
	writeState(state);
	// Migrate the database once; every instance starts from a copy of this folder.
	execFileSync(n8nBin, ['export:nodes', `--output=${join(workDir, 'nodes.json')}`], {
		env: n8nEnv(state, templateUserFolder), stdio: ['ignore', 'ignore', 'pipe'],
	});
	const ours = readdirSync(join(nodesDir, 'node_modules', 'n8n-nodes-commerce-sync', 'dist', 'nodes'));
	if (ours.length === 0) throw new Error('the packed package has no nodes in dist/nodes');
}
