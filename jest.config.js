// Two projects: fast unit/property tests, and end-to-end tests that run the packed package in real n8n.
const ts = { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, sourceMap: true } }] };

module.exports = {
	maxWorkers: 2,
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
	projects: [
		{
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/simulators/**/*.test.ts'],
			transform: ts,
			testEnvironment: 'node',
		},
		{
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			// Queue mode (PostgreSQL, Redis, main + 2 workers) takes minutes: `npm run test:queue` runs it.
			// The reliability suite (thousands of orders, faults, kills, minutes each): `npm run test:reliability`.
			testPathIgnorePatterns: [
				'/node_modules/',
				...(process.env.COMMERCE_SYNC_QUEUE_TEST ? [] : ['<rootDir>/test/e2e/queueMode\\.test\\.ts$']),
				...(process.env.COMMERCE_SYNC_RELIABILITY === '1' ? [] : ['<rootDir>/test/e2e/reliability/']),
			],
			transform: ts,
			testEnvironment: 'node',
			globalSetup: '<rootDir>/test/e2e/harness/global-setup.ts',
			globalTeardown: '<rootDir>/test/e2e/harness/global-teardown.ts',
			setupFilesAfterEnv: ['<rootDir>/test/e2e/harness/timeout.ts'],
		},
	],
};
