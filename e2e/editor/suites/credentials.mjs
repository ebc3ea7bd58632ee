// Editor suite: the two credential forms as a person sees them in n8n 2.41's editor (issue 17,
// points 4-7 and 10). Each preset shows its fields, defaults and required marks; Save runs the
// credential test and shows success, or a clear failure; the credential type list shows two
// different icons. Self-contained (small helpers on playwright-core's Page below), so it runs
// under e2e/editor/run.mjs.
import { ownerSession } from '../../lib/editor.mjs';

const CLIENT_SECRET = 'OAuth Client Secret API';
const PRIVATE_KEY = 'OAuth Private Key JWT API';

/** @param {{ page: import('playwright-core').Page, check: (name: string, run: () => Promise<void>, options?: { doc?: string }) => Promise<void>, env: any, editor: { url: string } }} args */
export async function suite({ page, check, env, editor }) {
	const ui = helpers(page, editor.url);

	await check('credential list: the two credential types have different icons', async () => {
		// Both types are offered when creating a credential.
		await ui.openTypePicker();
		await ui.searchType('OAuth');
		await ui.typeOption(CLIENT_SECRET).waitFor();
		await ui.typeOption(PRIVATE_KEY).waitFor();
		await page.goto(`${editor.url}/home/credentials`);
		const icons = {};
		for (const type of [CLIENT_SECRET, PRIVATE_KEY]) {
			const card = page
				.locator('[data-test-id="resources-list-item"]')
				.filter({ hasText: type })
				.first();
			icons[type] = await card.locator('[data-test-id="card-prepend"]').first().innerHTML();
		}
		expect(icons[CLIENT_SECRET], 'client secret icon').toMatch(/oauthClientSecret\.(dark\.)?svg/);
		expect(icons[PRIVATE_KEY], 'private key icon').toMatch(/oauthPrivateKeyJwt\.(dark\.)?svg/);
	});

	await check(
		'client secret, Generic: Provider, Grant Type, Client Authentication first; expert fields behind the toggle',
		async () => {
			await ui.newCredential(CLIENT_SECRET);
			const fields = await ui.fields();
			expect(
				fields.slice(0, 3).map((field) => field.label),
				'first three fields',
			).toEqual(['Provider', 'Grant Type', 'Client Authentication']);
			expect(ui.field(fields, 'Client ID').required, 'Client ID required').toBe(true);
			expect(ui.field(fields, 'Client Authentication').value).toBe(
				'Basic Auth Header (client_secret_basic)',
			);
			// n8n adds "Allowed HTTP Request Domains" to every credential; the rest are the package's.
			const own = fields.filter((field) => field.label !== 'Allowed HTTP Request Domains');
			expect(own.length, `fields at once: ${ui.labels(own).join(', ')}`).toBeAtMost(11);
			expect(ui.labels(fields), 'expert fields hidden').not.toContainAny([
				'Timeout (Seconds)',
				'Audience',
			]);
			await ui.toggle('showAdvancedSettings');
			const open = await ui.fields();
			expect(ui.labels(open), 'expert fields shown').toContainAll([
				'Timeout (Seconds)',
				'Audience',
				'Basic Auth Encoding',
			]);
		},
	);

	await check(
		'client secret, ServiceNow: password grant, secret in the body, required marks',
		async () => {
			await ui.newCredential(CLIENT_SECRET);
			await ui.choose('provider', 'ServiceNow');
			const fields = await ui.fields();
			expect(ui.field(fields, 'Grant Type').value, 'ServiceNow grant default').toBe('Password');
			expect(ui.labels(fields), 'no client authentication choice').not.toContainAny([
				'Client Authentication',
			]);
			expect(await ui.notices(), 'ServiceNow notice').toMatch(/request body/);
			for (const label of ['Instance', 'Client ID', 'Client Secret', 'Username', 'Password'])
				expect(ui.field(fields, label).required, `${label} required`).toBe(true);
			await ui.choose('servicenowGrantType', 'Client Credentials');
			expect(ui.labels(await ui.fields()), 'client credentials: no user').not.toContainAny([
				'Username',
			]);
			await ui.choose('servicenowGrantType', 'Password');
		},
	);

	await check(
		'private key, Salesforce: JWT bearer without a grant choice, Subject required',
		async () => {
			await ui.newCredential(PRIVATE_KEY);
			await ui.choose('provider', 'Salesforce');
			const fields = await ui.fields();
			expect(ui.labels(fields), 'no grant choice').not.toContainAny([
				'Grant Type',
				'Client Authentication',
			]);
			expect(ui.field(fields, 'Subject').required, 'Subject required').toBe(true);
			expect(ui.field(fields, 'Salesforce Environment').value).toBe(
				'Production (login.salesforce.com)',
			);
			expect(await ui.notices(), 'Salesforce notice').toMatch(/JWT bearer flow/);
			const labels = ui.labels(fields);
			expect(labels.indexOf('Subject'), 'Subject after the key').toBeAbove(
				labels.indexOf('Private Key'),
			);
			await page.locator('[data-test-id="parameter-input-subject"]').scrollIntoViewIfNeeded();
		},
	);

	await check(
		'private key, Generic: Grant Type comes before Key ID and the thumbprint',
		async () => {
			await ui.newCredential(PRIVATE_KEY);
			const labels = ui.labels(await ui.fields());
			expect(labels.slice(0, 2)).toEqual(['Provider', 'Grant Type']);
			expect(labels.indexOf('Key ID')).toBeAbove(labels.indexOf('Grant Type'));
			expect(labels.indexOf('Certificate Thumbprint Header')).toBeAbove(
				labels.indexOf('Grant Type'),
			);
		},
	);

	await check(
		'private key, NetSuite: Account ID, Certificate ID and Scope required, no grant choice, no thumbprint; the PS256 notice',
		async () => {
			await ui.newCredential(PRIVATE_KEY);
			await ui.choose('provider', 'NetSuite');
			const fields = await ui.fields();
			const labels = ui.labels(fields);
			expect(labels, 'no grant or client authentication choice').not.toContainAny([
				'Grant Type',
				'Client Authentication',
			]);
			// NetSuite's Certificate ID goes in the "kid" header, under NetSuite's own name.
			for (const label of ['Account ID', 'Client ID', 'Private Key', 'Certificate ID', 'Scope'])
				expect(ui.field(fields, label).required, `${label} required`).toBe(true);
			expect(labels, 'each label once').toHaveNoDuplicates();
			expect(labels.slice(0, 2), 'Account ID right after Provider').toEqual([
				'Provider',
				'Account ID',
			]);
			expect(labels, 'no Key ID or Entra thumbprint').not.toContainAny([
				'Key ID',
				'Certificate Thumbprint Header',
			]);
			expect(labels.indexOf('Scope'), 'Scope after Certificate ID').toBeAbove(
				labels.indexOf('Certificate ID'),
			);
			expect(await ui.placeholder('netsuiteAccountId'), 'Account ID placeholder').toMatch(
				/1234567_SB1/,
			);
			expect(await ui.placeholder('scope'), 'NetSuite scope placeholder').toMatch(
				/rest_webservices/,
			);
			const notices = await ui.notices();
			expect(notices, 'NetSuite notice').toMatch(/PS256/);
			expect(notices, 'NetSuite notice').toMatch(/refuses RS256/);
		},
		{ doc: 'credential-netsuite.png' },
	);

	await check(
		'private key, Generic: a client assertion from elsewhere hides the key, shows its source; Value shows the assertion field',
		async () => {
			await ui.newCredential(PRIVATE_KEY);
			await ui.choose('clientAssertionOrigin', 'Client Assertion From Elsewhere (No Key in n8n)');
			await ui.toggle('showAdvancedSettings');
			const fields = await ui.fields();
			const labels = ui.labels(fields);
			expect(ui.field(fields, 'Client Authentication').value).toBe(
				'Client Assertion From Elsewhere (No Key in n8n)',
			);
			expect(labels, 'no key fields').not.toContainAny([
				'Private Key',
				'Passphrase',
				'Key ID',
				'Algorithm',
			]);
			expect(ui.field(fields, 'Client Assertion Source').value).toBe('File on the n8n Host');
			expect(ui.field(fields, 'Client Assertion File').required, 'file path required').toBe(true);
			expect(labels, 'no assertion value with a file').not.toContainAny(['Client Assertion']);
			expect(labels, 'each label once').toHaveNoDuplicates();
			expect(labels.indexOf('Client Assertion Source'), 'source after Client ID').toBeAbove(
				labels.indexOf('Client ID'),
			);
			await ui.choose('clientAssertionSource', 'Value');
			const byValue = ui.labels(await ui.fields());
			expect(byValue, 'assertion value').toContainAll(['Client Assertion']);
			expect(byValue, 'no file path with a value').not.toContainAny(['Client Assertion File']);
			await page
				.locator('[data-test-id="parameter-input-clientAssertionValue"]')
				.scrollIntoViewIfNeeded();
		},
	);

	await check(
		'client secret, Generic: Token Exchange (RFC 8693) shows Subject Token Type and Subject Token; Actor Token once its type is chosen',
		async () => {
			await ui.newCredential(CLIENT_SECRET);
			const before = ui.labels(await ui.fields());
			expect(before, 'no token exchange fields with client credentials').not.toContainAny([
				'Subject Token Type',
				'Subject Token',
			]);
			await ui.choose('grantType', 'Token Exchange (RFC 8693)');
			const fields = await ui.fields();
			const labels = ui.labels(fields);
			expect(ui.field(fields, 'Grant Type').value).toBe('Token Exchange (RFC 8693)');
			expect(ui.field(fields, 'Subject Token Type').value).toBe('Access Token');
			expect(ui.field(fields, 'Subject Token').required, 'Subject Token optional').toBe(false);
			expect(labels.indexOf('Subject Token'), 'Subject Token after its type').toBeAbove(
				labels.indexOf('Subject Token Type'),
			);
			expect(labels, 'expert token types hidden').not.toContainAny([
				'Requested Token Type',
				'Actor Token Type',
			]);
			expect(labels, 'each label once').toHaveNoDuplicates();
			await ui.toggle('showAdvancedSettings');
			const expert = ui.labels(await ui.fields());
			expect(expert, 'expert token types shown').toContainAll([
				'Requested Token Type',
				'Actor Token Type',
			]);
			expect(expert, 'no actor token while its type is None').not.toContainAny(['Actor Token']);
			await ui.choose('actorTokenType', 'Access Token');
			expect(ui.labels(await ui.fields()), 'an actor type shows the actor token').toContainAll([
				'Actor Token',
			]);
		},
	);

	const name = `Editor check ${Date.now()}`;
	const { server } = env;
	await check(
		'Save runs the test: success against the local server, and form 2 is stored',
		async () => {
			await ui.newCredential(CLIENT_SECRET);
			await ui.rename(name);
			await ui.fill('tokenUrl', server.tokenEndpoint);
			await ui.fill('clientId', server.fixtures.clients.basic.client_id);
			await ui.fill('clientSecret', server.fixtures.clients.basic.client_secret);
			await ui.save();
			await page
				.locator('[data-test-id="credentials-config-container-test-success"]')
				.waitFor({ timeout: 30_000 });
			// What n8n stored (the editor saves only non-default values): the form marker must be there.
			const session = await ownerSession(editor.url);
			const list = await session.call('GET', '/rest/credentials');
			const saved = list.body.data.find((credential) => credential.name === name);
			expect(saved, 'saved credential').toBeTruthy();
			const full = await session.call('GET', `/rest/credentials/${saved.id}?includeData=true`);
			expect(full.body.data.data.formVersion, 'stored formVersion').toBe(2);
		},
	);

	await check('Save runs the test: a wrong secret gives a clear failure', async () => {
		// A form of its own: the runner closes the modal after each check.
		await ui.newCredential(CLIENT_SECRET);
		await ui.rename(`${name} (wrong secret)`);
		await ui.fill('tokenUrl', server.tokenEndpoint);
		await ui.fill('clientId', server.fixtures.clients.basic.client_id);
		await ui.fill('clientSecret', 'not-the-secret');
		await ui.save();
		const banner = page.getByText('Couldn’t connect with these settings');
		await banner.waitFor({ timeout: 30_000 });
		await page.getByText('More details').click();
		await page
			.getByText(/invalid_client/)
			.first()
			.waitFor();
		await page
			.getByText(/Check the client ID and secret/)
			.first()
			.waitFor();
	});
}

/** Small playwright-core helpers for n8n's credential modal (selectors: data-test-id). */
function helpers(page, url) {
	const byId = (id) => page.locator(`[data-test-id="${id}"]`);
	const modal = () => byId('editCredential-modal');
	return {
		async openTypePicker() {
			await page.goto(`${url}/home/credentials`);
			await byId('add-resource-credential').first().click();
			await byId('selectCredential-modal').waitFor();
		},
		async searchType(text) {
			const input = byId('selectCredential-modal').locator('input').first();
			await input.click();
			await input.fill(text);
			await page.waitForTimeout(300);
		},
		typeOption(text) {
			return page
				.locator('.el-select-dropdown__item:visible, [role="option"]:visible')
				.filter({ hasText: text })
				.first();
		},
		async newCredential(type) {
			await this.openTypePicker();
			await this.searchType(type);
			await this.typeOption(type).click();
			await byId('new-credential-type-button').click();
			await modal().waitFor();
			await byId('credential-connection-parameter').first().waitFor();
		},
		/** The drawn fields in order: label, required mark, shown value. */
		async fields() {
			await page.waitForTimeout(300);
			return await modal()
				.locator('[data-test-id="credential-connection-parameter"]')
				.evaluateAll((nodes) =>
					nodes
						.filter((node) => node.getClientRects().length > 0 && node.querySelector('label'))
						.map((node) => {
							const label = node.querySelector('label');
							const title =
								label.querySelector('.n8n-text, span')?.textContent ?? label.textContent;
							const input = node.querySelector('input, textarea');
							return {
								label: (title ?? '').replace(/\*$/, '').trim(),
								required: /\*/.test(label.textContent ?? ''),
								value: input?.value ?? '',
							};
						}),
				);
		},
		field(fields, label) {
			const found = fields.find((field) => field.label === label);
			if (!found)
				throw new Error(`no field "${label}" in: ${fields.map((f) => f.label).join(', ')}`);
			return found;
		},
		labels(fields) {
			return fields.map((field) => field.label);
		},
		async placeholder(name) {
			return await byId(`parameter-input-${name}`)
				.locator('input, textarea')
				.first()
				.getAttribute('placeholder');
		},
		async notices() {
			return (await modal().locator('.n8n-notice, [role="alert"]').allInnerTexts()).join('\n');
		},
		async choose(name, option) {
			await byId(`parameter-input-${name}`).click();
			await page
				.locator('.el-select-dropdown__item:visible')
				.filter({ hasText: option })
				.first()
				.click();
			await page.waitForTimeout(300);
		},
		async toggle(name) {
			await byId(`parameter-input-${name}`).locator('.el-switch').click();
		},
		async fill(name, value) {
			const input = byId(`parameter-input-${name}`).locator('input, textarea').first();
			await input.fill(value);
		},
		async rename(value) {
			await byId('credential-name').click();
			const input = byId('credential-name').locator('input').first();
			await input.fill(value);
			await input.press('Enter');
		},
		async save() {
			await byId('credential-save-button').click();
		},
	};
}

/** A tiny expect: every check fails with a message saying what was seen. */
function expect(actual, what = 'value') {
	const fail = (wanted) => {
		throw new Error(`${what}: expected ${wanted}, got ${JSON.stringify(actual)}`);
	};
	const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
	return {
		toBe: (wanted) => (actual === wanted ? undefined : fail(JSON.stringify(wanted))),
		toEqual: (wanted) => (same(actual, wanted) ? undefined : fail(JSON.stringify(wanted))),
		toMatch: (pattern) => (pattern.test(String(actual ?? '')) ? undefined : fail(String(pattern))),
		toBeTruthy: () => (actual ? undefined : fail('a value')),
		toBeAtMost: (n) => (actual <= n ? undefined : fail(`at most ${n}`)),
		toBeAbove: (n) => (actual > n ? undefined : fail(`above ${n}`)),
		toContainAll: (items) =>
			items.every((item) => actual.includes(item))
				? undefined
				: fail(`all of ${JSON.stringify(items)}`),
		toHaveNoDuplicates: () => {
			const twice = actual.filter((item, index) => actual.indexOf(item) !== index);
			return twice.length ? fail(`no duplicates (twice: ${JSON.stringify(twice)})`) : undefined;
		},
		not: {
			toContainAny: (items) =>
				items.some((item) => actual.includes(item))
					? fail(`none of ${JSON.stringify(items)}`)
					: undefined,
		},
	};
}
