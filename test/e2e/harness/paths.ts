/** Where the harness keeps things between jest's global setup and the test files (passed through env). */
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface HarnessState {
	/** The n8n executable of the pinned, cached install. */
	n8nBin: string;
	n8nVersion: string;
	/** Node 24's bin folder, put first on PATH for every n8n process. */
	nodeBinDir: string;
	/** A user folder with n8n's database migrated and our packed package installed; copied per instance. */
	templateUserFolder: string;
	/** The packed tarball that was installed, as a user would install it. */
	tarball: string;
	workDir: string;
}

const ENV_KEY = 'COMMERCE_SYNC_E2E_STATE';

export function writeState(state: HarnessState): void {
	process.env[ENV_KEY] = JSON.stringify(state);
}

export function readState(): HarnessState {
	const raw = process.env[ENV_KEY];
	if (!raw) throw new Error('e2e harness state missing: run e2e tests through jest (globalSetup installs n8n and the package)');
	return JSON.parse(raw) as HarnessState;
}

export function newWorkDir(): string {
	return join(tmpdir(), `commerce-sync-e2e-${process.pid}-${Date.now()}`);
}
