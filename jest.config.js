/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// Type checking is `npm run typecheck`; ts-jest only transpiles (fast, and required for module node20).
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
		// jose 6 is ESM-only; jest's module system loads CommonJS, so jose's own files are
		// compiled to CommonJS on the fly (the real library runs, nothing is mocked).
		'^.+/node_modules/jose/.+\\.js$': [
			'ts-jest',
			{ tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022', isolatedModules: true } },
		],
	},
	transformIgnorePatterns: ['/node_modules/(?!jose/)'],
	globalSetup: '<rootDir>/test/globalSetup.mjs',
	globalTeardown: '<rootDir>/test/globalTeardown.mjs',
	// One shared authorization server and request log: test files run one after another.
	maxWorkers: 1,
	testTimeout: 30000,
};
