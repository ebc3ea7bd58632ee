// n8n's community-node lint with n8n Cloud support, composed as @n8n/node-cli composes it (`config`:
// @n8n/eslint-plugin-community-nodes `recommended`, plus eslint-plugin-n8n-nodes-base's community,
// credentials and nodes sets), over everything that ships: credentials/, nodes/, glue/, protocol/
// and package.json. Nothing of the Cloud set is off; three n8n-nodes-base rules are, as n8n's own
// composition does (below). Tests, benchmarks and scripts are not shipped: they get the plain
// JavaScript / TypeScript rules (they are Node.js programs with servers and files).
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodes = n8nCommunityNodesPlugin.configs.recommended;
const shipped = ['credentials/**/*.ts', 'nodes/**/*.ts', 'glue/**/*.ts', 'protocol/**/*.ts'];

const bundledOnly =
	'Import jose and luxon through protocol/vendor/: only those files are bundled into dist/.';
const coreLayering = [
	{
		group: ['n8n-workflow', 'n8n-core', '@n8n/*'],
		message: 'The protocol core has no n8n dependency; n8n glue lives in glue/.',
	},
	{
		group: ['**/nodes/**', '**/credentials/**', '**/glue/**'],
		message: 'The protocol core imports nothing of the n8n side.',
	},
];

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
		extends: [js.configs.recommended, tseslint.configs.recommended],
		rules: { 'no-console': 'error' },
	},
	{
		files: shipped,
		extends: [communityNodes],
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		files: ['package.json'],
		extends: [communityNodes],
		rules: {
			...n8nNodesBase.configs.community.rules,
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
			// These two, and the nodes rule below, are the ones n8n's own composition switches off for
			// community packages (@n8n/node-cli's eslint config, the scanner's buildScanConfig), and the
			// only n8n-nodes-base rules this code trips; nothing of the Cloud set is off.
			// Camel-cased slugs are for n8n's own docs site; the Cloud rule credential-documentation-url
			// wants this package's guide URL, which can never be camel case.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// Matches "key" in any field name (keyId, keycloakRealm): neither is secret. The Cloud rule
			// credential-password-field checks the real secrets (secret, private key, passphrase).
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['./nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Demands inputs: ['main']; the Cloud rule node-connection-type-literal demands
			// NodeConnectionTypes.Main. Both cannot hold.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
		},
	},
	{
		// The protocol core must stay free of n8n so it can be tested and benchmarked alone.
		files: ['protocol/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [
						{ name: 'jose', message: bundledOnly },
						{ name: 'luxon', message: bundledOnly },
					],
					patterns: [
						...coreLayering,
						{
							group: ['jose/**', 'luxon/**'],
							message: bundledOnly,
						},
					],
				},
			],
		},
	},
	{
		files: ['protocol/vendor/*.ts'],
		rules: { 'no-restricted-imports': ['error', { patterns: coreLayering }] },
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
