// n8n's community-node lint for self-hosted packages, composed as @n8n/node-cli composes it
// (configWithoutCloudSupport), with one rule switched off: `no-runtime-dependencies`,
// because the design card makes `jose` and `luxon` runtime dependencies (see README).
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodes = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;
const runtimeDependenciesAllowed = {
	'@n8n/community-nodes/no-runtime-dependencies': 'off',
};

const nodeGlobals = Object.fromEntries(
	[
		'process',
		'console',
		'Buffer',
		'URL',
		'URLSearchParams',
		'fetch',
		'Response',
		'Headers',
		'setTimeout',
		'clearTimeout',
		'setInterval',
		'clearInterval',
		'setImmediate',
		'globalThis',
		'TextEncoder',
		'TextDecoder',
		'AbortController',
		'AbortSignal',
		'structuredClone',
		'performance',
		'require',
		'module',
		'__dirname',
	].map((name) => [name, 'readonly']),
);

export default tseslint.config(
	globalIgnores(['dist', 'coverage', 'e2e/work', 'e2e/node_modules', '.e2e-work']),
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, communityNodes],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
			...runtimeDependenciesAllowed,
		},
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		files: ['package.json'],
		extends: [communityNodes],
		rules: {
			...n8nNodesBase.configs.community.rules,
			...runtimeDependenciesAllowed,
		},
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['./credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['./nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		// The protocol core must stay free of n8n so it can be tested and benchmarked alone.
		files: ['protocol/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['n8n-workflow', 'n8n-core', '@n8n/*'],
							message: 'The protocol core has no n8n dependency; n8n glue lives in glue/.',
						},
						{
							group: ['**/nodes/**', '**/credentials/**', '**/glue/**'],
							message: 'The protocol core imports nothing of the n8n side.',
						},
					],
				},
			],
		},
	},
	{
		// The glue serves the node and the credentials alike, so it depends on neither.
		files: ['glue/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/nodes/**', '**/credentials/**'],
							message: 'glue/ is shared by nodes/ and credentials/ and imports neither.',
						},
					],
				},
			],
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/nodes/**'],
							message:
								'Credentials never depend on the node: share code through glue/ or protocol/.',
						},
					],
				},
			],
		},
	},
	{
		// Scripts, the test authorization server and benchmarks are plain Node.js.
		files: ['**/*.{js,mjs}'],
		extends: [js.configs.recommended],
		languageOptions: { globals: nodeGlobals, sourceType: 'module' },
	},
	{
		files: ['**/*.js'],
		languageOptions: { sourceType: 'commonjs' },
	},
);
