/**
 * README.md's error table is the hint tables the code uses: this fails when the section between
 * <!-- hints:start --> and <!-- hints:end --> differs from the table built from ERROR_HINTS and the
 * presets' hints. `npm run hints:write` rewrites the section (this file, with WRITE_HINTS_TABLE=1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	CLIENT_ASSERTION_HINTS,
	clientConfigFromCredential,
	ERROR_HINTS,
	PRESETS,
} from '../../protocol';
import {
	hintGroups,
	hintsTableMarkdown,
	PROVIDER_GUIDES,
	providerHintsMarkdown,
	readmeHintsSection,
	withHintsTable,
} from '../../scripts/hintsTable';

const readmePath = join(__dirname, '..', '..', 'README.md');
if (process.env.WRITE_HINTS_TABLE === '1')
	writeFileSync(readmePath, withHintsTable(readFileSync(readmePath, 'utf8')));
const readme = readFileSync(readmePath, 'utf8');
const guidePath = (id: string) => join(__dirname, '..', '..', 'docs', 'providers', `${id}.md`);
if (process.env.WRITE_HINTS_TABLE === '1')
	for (const id of PROVIDER_GUIDES)
		writeFileSync(
			guidePath(id),
			withHintsTable(readFileSync(guidePath(id), 'utf8'), providerHintsMarkdown(id)),
		);

describe('README error hints table', () => {
	it('README.md has the section, under an "Error hints" heading', () => {
		expect(readmeHintsSection(readme)).toBeDefined();
		expect(readme).toMatch(/^#+ Error hints\s*$/m);
	});

	it('matches the hint tables the code uses (regenerate: npm run hints:write)', () => {
		expect(readmeHintsSection(readme)).toBe(hintsTableMarkdown());
	});

	it('lists every generic and every preset hint, grouped by provider', () => {
		const groups = hintGroups();
		expect(groups.map((group) => group.title)).toEqual([
			'Any provider',
			...Object.values(PRESETS).map((preset) => preset.label),
			'Client assertion from elsewhere',
		]);
		const table = hintsTableMarkdown();
		for (const hint of [
			...ERROR_HINTS,
			...Object.values(PRESETS).flatMap((preset) => preset.hints),
			...CLIENT_ASSERTION_HINTS,
		]) {
			const asCell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
			expect(table).toContain(asCell(hint.cause));
			expect(table).toContain(asCell(hint.fix));
		}
	});

	it("every hint has a unique id, a cause and a fix; a configuration with a preset carries exactly the preset's hints", () => {
		const all = [
			...ERROR_HINTS,
			...Object.values(PRESETS).flatMap((preset) => preset.hints),
			...CLIENT_ASSERTION_HINTS,
		];
		expect(new Set(all.map((hint) => hint.id)).size).toBe(all.length);
		for (const hint of all) {
			expect(hint.cause.trim()).not.toBe('');
			expect(hint.fix.trim()).not.toBe('');
		}
		const sample = {
			entraTenant: 'contoso.onmicrosoft.com',
			oktaDomain: 'dev-1.okta.com',
			auth0Domain: 'a.auth0.com',
			keycloakBaseUrl: 'https://sso.example.com',
			keycloakRealm: 'r',
			servicenowInstance: 'dev1',
			// Salesforce's client credentials flow runs only on My Domain (refused elsewhere).
			salesforceEnvironment: 'myDomain',
			salesforceMyDomainUrl: 'https://acme.my.salesforce.com',
		};
		for (const preset of Object.values(PRESETS)) {
			if (preset.id === 'google' || preset.id === 'netsuite') continue; // private key credential only
			const data = {
				...sample,
				provider: preset.id,
				clientId: 'c',
				clientSecret: 's',
				scope: 'api/.default',
			};
			expect(clientConfigFromCredential('clientSecret', data).providerHints).toBe(preset.hints);
		}
	});

	it('rewriting the section is idempotent', () => {
		const rewritten = withHintsTable(readme);
		expect(withHintsTable(rewritten)).toBe(rewritten);
	});
});

describe('provider guides (docs/providers/<provider>.md)', () => {
	it('there is one for every preset and for generic', () => {
		expect(PROVIDER_GUIDES.sort()).toEqual(['generic', ...Object.keys(PRESETS)].sort());
	});

	it.each(PROVIDER_GUIDES)(
		"%s.md lists the provider's hints and the generic ones, as the code has them (regenerate: npm run hints:write)",
		(id) => {
			const guide = readFileSync(guidePath(id), 'utf8');
			expect(readmeHintsSection(guide)).toBe(providerHintsMarkdown(id));
		},
	);
});
