/**
 * What n8n 2.41 does with a credential form, with n8n-workflow's own NodeHelpers:
 * - the editor fills a new form once with the first default of each name (useCredentialForm
 *   `setCredentialPropertyDefaults`) and draws the fields that are not `hidden` and whose
 *   `displayOptions` match the form's values;
 * - Save stores `getNodeParameters(props, values, false, false)`: displayed values that differ
 *   from their default;
 * - at run time (and for the Test) n8n resolves `getNodeParameters(props, stored, true, false)`.
 */
import {
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type INodeParameters,
	type INodeProperties,
} from 'n8n-workflow';

export type Values = Record<string, unknown>;

/** A new form, then the user's edits in order (later ones may depend on earlier ones being shown). */
export function editorForm(properties: INodeProperties[], edits: Values = {}): Values {
	const values: Values = {};
	for (const property of properties)
		if (!(property.name in values)) values[property.name] = property.default;
	return { ...values, ...edits };
}

/** An existing credential opened in the editor: stored values, the rest filled from the defaults. */
export function editorOpen(properties: INodeProperties[], stored: Values): Values {
	return editorForm(properties, stored);
}

export function drawnFields(properties: INodeProperties[], values: Values): INodeProperties[] {
	return properties.filter(
		(property) =>
			property.type !== 'hidden' &&
			NodeHelpers.displayParameter(values as INodeParameters, property, null, null),
	);
}

export function drawnNames(properties: INodeProperties[], values: Values): string[] {
	return drawnFields(properties, values).map((property) => property.name);
}

export function editorSave(properties: INodeProperties[], values: Values): Values {
	return (
		NodeHelpers.getNodeParameters(
			properties,
			values as INodeParameters,
			false,
			false,
			null,
			null,
		) ?? {}
	);
}

/**
 * n8n deletes these stored values when the type has a `hidden` field of that name
 * (credentials-helper applyDefaultsAndOverwrites, OAUTH_PINNED_FIELDS in
 * n8n/dist/oauth/dcr-managed-fields.js).
 */
export const OAUTH_PINNED_FIELDS = [
	'useDynamicClientRegistration',
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'authentication',
	'usePkce',
	'requestTokenUrl',
	'signatureMethod',
];

export function n8nResolve(
	properties: INodeProperties[],
	stored: Values,
): ICredentialDataDecryptedObject {
	const kept = { ...stored };
	for (const field of OAUTH_PINNED_FIELDS)
		if (properties.some((property) => property.name === field && property.type === 'hidden'))
			delete kept[field];
	return (NodeHelpers.getNodeParameters(
		properties,
		kept as INodeParameters,
		true,
		false,
		null,
		null,
	) ?? {}) as ICredentialDataDecryptedObject;
}
