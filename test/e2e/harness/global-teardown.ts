import { rmSync } from 'node:fs';
import { readState } from './paths';

export default function globalTeardown(): void {
	if (process.env.KEEP_E2E) return;
	rmSync(readState().workDir, { recursive: true, force: true });
}
