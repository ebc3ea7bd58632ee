// Page helpers for the editor suites: what a person does in the n8n 2.41.1 editor, by the
// `data-test-id`s it renders (found with the issue 17 prototype). Waits are for what the page
// shows, never fixed sleeps, with generous timeouts: the machine is shared.

export const OAUTH_TOKEN_NODE = 'OAuth Token';

/** @param {import('playwright-core').Page} page @param {string} id */
export const byId = (page, id) => page.locator(`[data-test-id="${id}"]`);

/** The visible entries of the open dropdown (element-plus select), by text. */
export const dropdownItems = (page) =>
	page.locator('.el-select-dropdown__item:visible, .el-select-dropdown li:visible');

/** Signs in on /signin as the owner the harness created. */
export async function login(page, editor, owner) {
	await page.goto(`${editor.url}/signin`);
	await byId(page, 'emailOrLdapLoginId').locator('input').fill(owner.email);
	await byId(page, 'password').locator('input').fill(owner.password);
	await byId(page, 'form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

/** A new, empty workflow; closes whatever was open (unsaved changes are discarded). */
export async function openNewWorkflow(page, editor) {
	page.once('dialog', (dialog) => dialog.accept().catch(() => {}));
	await page.goto(`${editor.url}/workflow/new`);
	await byId(page, 'canvas-add-button').or(byId(page, 'canvas-plus-button')).first().waitFor();
}

/** Opens a saved workflow by id. */
export async function openWorkflow(page, editor, id) {
	await page.goto(`${editor.url}/workflow/${id}`);
	await byId(page, 'canvas-node').first().waitFor();
}

/**
 * Adds the OAuth Token node from the nodes panel by one of its actions ("Get a token", "Check
 * token expiry", …), as a person does on an empty canvas; its panel (NDV) opens.
 */
export async function addOAuthTokenNode(page, action) {
	await byId(page, 'canvas-add-button').or(byId(page, 'canvas-plus-button')).first().click();
	await byId(page, 'node-creator-search-bar').fill(OAUTH_TOKEN_NODE);
	const creator = byId(page, 'node-creator');
	await creator
		.locator('[data-test-id="item-iterator-item"]')
		.filter({ hasText: OAUTH_TOKEN_NODE })
		.first()
		.click();
	await creator
		.locator('[data-test-id="item-iterator-item"]')
		.filter({ hasText: action })
		.first()
		.click();
	await byId(page, 'ndv').waitFor();
}

/** The texts a parameter's dropdown offers (opens and closes it). */
export async function parameterOptions(page, name) {
	await byId(page, `parameter-input-${name}`).click();
	const items = dropdownItems(page);
	await items.first().waitFor();
	const texts = (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	await page.keyboard.press('Escape');
	await items.first().waitFor({ state: 'hidden' });
	return texts;
}

/**
 * The texts a collection parameter's add list offers, by its placeholder ("Add option"); n8n
 * 2.41.1 draws it as a select when the collection has several options (opens and closes it).
 */
export async function collectionOptions(page, placeholder) {
	const ndv = byId(page, 'ndv');
	const add = ndv
		.locator(
			'[data-test-id="collection-parameter-add"], [data-test-id="collection-parameter-add-dropdown"]',
		)
		.filter({ has: page.getByText(placeholder, { exact: true }) })
		.or(ndv.getByPlaceholder(placeholder, { exact: true }))
		.first();
	await add.click();
	const items = dropdownItems(page);
	await items.first().waitFor();
	const texts = (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	await page.keyboard.press('Escape');
	await items.first().waitFor({ state: 'hidden' });
	return texts;
}

/** Picks an option of a dropdown parameter by its label. */
export async function pickParameterOption(page, name, label) {
	await byId(page, `parameter-input-${name}`).click();
	await dropdownItems(page)
		.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(label)}`) })
		.first()
		.click();
	await dropdownItems(page).first().waitFor({ state: 'hidden' });
}

/** The node panel's Settings tab → On Error. */
export async function setOnError(page, label) {
	await byId(page, 'tab-settings').click();
	await pickParameterOption(page, 'onError', label);
	await byId(page, 'tab-params').click();
}

export async function closeNdv(page) {
	await byId(page, 'ndv-close-button').click();
	await byId(page, 'ndv').waitFor({ state: 'hidden' });
}

/** Opens a node's panel by double-clicking it on the canvas. */
export async function openNode(page, name) {
	await byId(page, 'canvas-node').filter({ hasText: name }).first().dblclick();
	await byId(page, 'ndv').waitFor();
}

/** The output handle labels of the node on the canvas ("Valid", "Needs Refresh", "Error"). */
export async function outputHandles(page, name = OAUTH_TOKEN_NODE) {
	const node = byId(page, 'canvas-node').filter({ hasText: name }).first();
	await node.waitFor();
	const texts = await node.locator('[data-test-id="canvas-node-output-handle"]').allInnerTexts();
	if (texts.length) return texts.map((text) => text.trim());
	// Handles are drawn beside the node, not always inside its element.
	return (await byId(page, 'canvas-node-output-handle').allInnerTexts()).map((text) => text.trim());
}

/**
 * From the node's credential selector: "Create new credential"; waits for the credential modal.
 * For credential types shown by Credential Type, choose that first.
 */
export async function createCredentialFromNode(page) {
	await byId(page, 'node-credentials-select').click();
	await page.getByText('Create new credential').first().click();
	await byId(page, 'editCredential-modal').waitFor();
}

/**
 * From the Credentials page: "Create credential", then the type by its display name ("OAuth Client
 * Secret API"); waits for the credential modal.
 */
export async function openNewCredentialModal(page, editor, typeDisplayName) {
	await page.goto(`${editor.url}/home/credentials`);
	await byId(page, 'add-resource-credential').or(byId(page, 'add-resource')).first().click();
	// "Add new credential": a search box with the list open under it, then Continue.
	await page
		.getByPlaceholder(/Search for app/)
		.first()
		.fill(typeDisplayName);
	await dropdownItems(page)
		.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(typeDisplayName)}\\s*$`) })
		.first()
		.click();
	await byId(page, 'new-credential-type-button')
		.or(page.getByRole('button', { name: 'Continue' }))
		.first()
		.click();
	await byId(page, 'editCredential-modal').waitFor();
}

/** Fills a field of the open credential modal by its name. */
export async function fillCredentialField(page, name, value) {
	const field = byId(page, 'editCredential-modal').locator(
		`[data-test-id="parameter-input-${name}"] input, [data-test-id="parameter-input-${name}"] textarea`,
	);
	await field.first().fill(value);
}

/** Saves the open credential; n8n tests it on save. */
export async function saveCredential(page) {
	await byId(page, 'credential-save-button').click();
}

export async function closeCredentialModal(page) {
	const modal = byId(page, 'editCredential-modal');
	await modal.locator('.el-dialog__headerbtn, [aria-label="Close this dialog"]').first().click();
	await modal.waitFor({ state: 'hidden' });
}

/** The node panel's "Execute step"; waits until the output panel shows a run. */
export async function executeStep(page) {
	await byId(page, 'node-execute-button').click();
	await byId(page, 'output-panel')
		.locator(
			'[data-test-id="node-run-info"], [data-test-id="branches"], [data-test-id="ndv-data-container"]',
		)
		.first()
		.waitFor({ timeout: 60_000 });
}

function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
