/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
		// jose 6 is ESM-only; jest's module system loads CommonJS, so jose's own files are
		// compiled to CommonJS on the fly (the real library runs, nothing is mocked).
		'^.+/node_modules/jose/.+\\.js$': [
			'ts-jest',
			{ tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' }, isolatedModules: true },
		],
	},
	transformIgnorePatterns: ['/node_modules/(?!jose/)'],
	globalSetup: '<rootDir>/test/globalSetup.mjs',
	globalTeardown: '<rootDir>/test/globalTeardown.mjs',
	testTimeout: 30000,
};
