/**
 * The credentials' documentation link (the "?" in n8n's credential form) must open a section that
 * exists, and that section must link every provider guide (docs/providers/<preset>.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { OAuthClientSecretApi } from '../../credentials/OAuthClientSecretApi.credentials';
import { OAuthPrivateKeyJwtApi } from '../../credentials/OAuthPrivateKeyJwtApi.credentials';
import { PROVIDER_GUIDES } from '../../scripts/hintsTable';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchors = new Set(
	[...readme.matchAll(/^#+ (.+)$/gm)].map(([, heading]) =>
		heading
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N} -]/gu, '')
			.replace(/ /g, '-'),
	),
);

describe('documentation links', () => {
	it.each([
		['OAuthClientSecretApi', new OAuthClientSecretApi().documentationUrl],
		['OAuthPrivateKeyJwtApi', new OAuthPrivateKeyJwtApi().documentationUrl],
	])("%s's documentationUrl opens a README section that exists", (_name, url) => {
		const anchor = new URL(url).hash.slice(1);
		expect(anchors).toContain(anchor);
		expect(anchor).toBe('provider-setup-guides');
	});

	it.each(PROVIDER_GUIDES)('the README section links docs/providers/%s.md, which exists', (id) => {
		const section = readme.slice(readme.indexOf('## Provider setup guides'));
		expect(section).toContain(`(docs/providers/${id}.md)`);
		expect(existsSync(join(root, 'docs', 'providers', `${id}.md`))).toBe(true);
	});
});
