/**
 * Both credential forms, built from one definition (fields.ts declares each field once).
 *
 * How n8n 2.x stores a credential shapes this file:
 * - The editor saves only values that differ from their default and that are displayed
 *   (`NodeHelpers.getNodeParameters(props, data, false, false)`); at run time n8n fills the
 *   missing ones from the type's *current* defaults and drops the undisplayed ones
 *   (`getNodeParameters(props, data, true, false)`). So changing a default, or hiding a field,
 *   changes what old credentials do.
 * - The editor fills a new form once from the defaults (the first field of each name wins) and
 *   never refills when Provider changes: a per-provider default needs a field of its own name.
 *
 * Hence three devices, all plain n8n `displayOptions`:
 * - `formVersion`: credentials saved by this form hold 2, older ones resolve to 1 (see
 *   formVersionFields). Where a preset now fixes or defaults a choice differently (ServiceNow's
 *   grant and client authentication, Salesforce's JWT bearer grant), form 1 keeps the old fields
 *   and defaults, so an old credential does what it did.
 * - Expert fields sit behind "Show Advanced Settings"; each has a hidden twin displayed while the
 *   toggle is off, so n8n keeps (and applies) its value instead of dropping it.
 * - Every name is displayed at most once for any combination of values (tested).
 */
import type { Icon, IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { CredentialKind } from '../../protocol';
import * as f from './fields';

type Field = INodeProperties;
type Show = NonNullable<IDisplayOptions['show']>;

/** The form version this code writes; credentials without one are form 1 (before issue 17). */
const FORM_VERSION = 2;

/**
 * The editor fills a new form with the first default of each name (2) and saves it, because it
 * differs from the displayed field's default (1). A credential saved before this field existed
 * has no value, so n8n resolves it to 1: the one stored difference between old and new data.
 */
const formVersionFields: Field[] = [
	{
		displayName: 'Form Version',
		name: 'formVersion',
		type: 'hidden',
		default: FORM_VERSION,
		// Never displayed (no provider is in an empty list): it only seeds the editor's new form.
		displayOptions: { show: { provider: [] } },
	},
	{ displayName: 'Form Version', name: 'formVersion', type: 'hidden', default: 1 },
];

function withShow(field: Field, show: Show): Field {
	return {
		...field,
		displayOptions: { ...field.displayOptions, show: { ...field.displayOptions?.show, ...show } },
	};
}

/** Adds hide rules; values for a name already hidden on are added to its list. */
function withHide(field: Field, hide: Show): Field {
	const merged: Show = { ...field.displayOptions?.hide };
	for (const [name, values] of Object.entries(hide))
		merged[name] = [...(merged[name] ?? []), ...(values ?? [])];
	return { ...field, displayOptions: { ...field.displayOptions, hide: merged } };
}

/** The same value, kept and resolved by n8n but never drawn in the form. */
function hiddenTwin(field: Field): Field {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'hidden',
		default: field.default,
		displayOptions: field.displayOptions,
	};
}

const ADVANCED = 'showAdvancedSettings';

const advancedToggle: Field = {
	displayName: 'Show Advanced Settings',
	name: ADVANCED,
	type: 'boolean',
	default: false,
	description:
		'Whether to show the settings few servers need (timeouts, lifespans, audience, resource, extra parameters, assertion details). Values set there keep applying while they are hidden.',
};

function advanced(fields: Field[]): Field[] {
	return fields.flatMap((field) =>
		field.type === 'hidden'
			? [field]
			: [
					withShow(field, { [ADVANCED]: [true] }),
					hiddenTwin(withShow(field, { [ADVANCED]: [false] })),
				],
	);
}

/**
 * A field whose place changed for one provider in form 2. Other providers: unchanged. This
 * provider, form 1: the old field (same conditions, same default). Form 2: what
 * `form2` returns (the field with other conditions), or nothing where the preset fixes the value.
 */
function changedFor(
	provider: string,
	fields: Field[],
	form2?: (field: Field) => Field | undefined,
): Field[] {
	return fields.flatMap((field) => {
		const providers = field.displayOptions?.show?.provider;
		const concerns = !providers || providers.includes(provider);
		if (!concerns) return [field];
		// Not a `hidden` twin: n8n deletes stored `grantType` when a hidden field has that name
		// (OAUTH_PINNED_FIELDS, n8n/dist/oauth/dcr-managed-fields.js). Form 1 data is drawn as it was.
		// A field that exists only in form 2 (its show names formVersion 2) has no form-1 twin.
		const versions = field.displayOptions?.show?.formVersion;
		const form1 =
			versions && !versions.includes(1)
				? []
				: [withShow(field, { provider: [provider], formVersion: [1] })];
		const replacement = form2?.(field);
		return [
			withHide(field, { provider: [provider] }),
			...form1,
			...(replacement
				? [withShow(replacement, { provider: [provider], formVersion: [FORM_VERSION] })]
				: []),
		];
	});
}

function without(field: Field, condition: string): Field {
	const show = { ...field.displayOptions?.show };
	delete show[condition];
	return { ...field, displayOptions: { ...field.displayOptions, show } };
}

function notice(name: string, text: string, show: Show): Field {
	return { displayName: text, name, type: 'notice', default: '', displayOptions: { show } };
}

const FORM2 = { formVersion: [FORM_VERSION] };

/** RFC 8693 fields: shown with that grant only, a new value, so no saved credential changes. */
function tokenExchange(fields: Field[]): Field[] {
	return fields.map((field) => withShow(field, { grantType: ['tokenExchange'] }));
}

function clientSecretForm(): Field[] {
	const viaJwt = (fields: Field[]) =>
		fields.map((field) => withShow(field, { clientAuthentication: ['client_secret_jwt'] }));
	return [
		...changedFor('servicenow', [f.secretGrantType]),
		withShow(f.servicenowGrantType, { provider: ['servicenow'], ...FORM2 }),
		...changedFor('servicenow', [f.secretClientAuthentication]),
		notice(
			'servicenowNotice',
			'ServiceNow reads the client ID and secret from the request body, so they are sent there. The password grant works on every instance; client credentials must first be enabled by an admin.',
			{ provider: ['servicenow'], ...FORM2 },
		),
		notice(
			'salesforceNotice',
			'Salesforce runs the client credentials flow only on the org\'s My Domain URL (choose "My Domain"), as the connected app\'s "Run As" user.',
			{ provider: ['salesforce'], grantType: ['clientCredentials'] },
		),
		...changedFor('servicenow', viaJwt([f.hmacAlgorithm])),
		...f.locationFields,
		...f.endpointFields,
		f.clientId,
		f.clientSecret,
		...changedFor(
			'servicenow',
			f.passwordGrantFields.map((field) => withShow(field, { grantType: ['password'] })),
			(field) => withShow(without(field, 'grantType'), { servicenowGrantType: ['password'] }),
		),
		...tokenExchange(f.tokenExchangeFields),
		f.scope,
		advancedToggle,
		...advanced([
			...tokenExchange(f.tokenExchangeExpertFields),
			...changedFor('servicenow', viaJwt(f.assertionAudienceFields)),
			...changedFor('servicenow', [
				withShow(f.basicEncoding, { clientAuthentication: ['client_secret_basic'] }),
			]),
			...changedFor('servicenow', viaJwt(f.assertionExpertFields)),
			...f.requestExpertFields,
			...f.lifespanExpertFields,
		]),
	];
}

/** The grants whose only assertion is the client's: its claims and its source are chosen here. */
const NO_GRANT_ASSERTION = ['clientCredentials', 'password', 'tokenExchange'];

function privateKeyForm(): Field[] {
	const jwtBearer = (fields: Field[]) =>
		fields.map((field) => withShow(field, { grantType: ['jwtBearer'] }));
	// Salesforce, form 2: the JWT bearer grant is the only one that takes a key (its client
	// credentials flow refuses private_key_jwt), so grant and client authentication are fixed.
	const salesforceBearer = (field: Field) => without(field, 'grantType');
	// Without the JWT bearer grant, "Send Scope as Claim" and "Extra Claims" shape the client
	// assertion. Form 2 only: form 1 never drew them there, so its credentials resolve as before.
	const clientAssertionClaims = f.jwtBearerExpertFields
		.filter((field) => field.name !== 'assertionIssuer')
		.map((field) =>
			withHide(withShow(field, { grantType: NO_GRANT_ASSERTION, ...FORM2 }), {
				provider:
					field.name === 'scopeInClaim'
						? ['salesforce', 'google', 'netsuite']
						: ['salesforce', 'google'],
			}),
		);
	// "Client Assertion From Elsewhere": no key in n8n, so the key and assertion fields go away.
	const keyless = (fields: Field[]) =>
		fields.map((field) => withHide(field, { clientAssertionOrigin: ['elsewhere'] }));
	const ownKeyOnly = { provider: ['google', 'salesforce', 'netsuite'] };
	const assertionOrigin = withHide(
		withShow(f.clientAssertionOrigin, { grantType: NO_GRANT_ASSERTION }),
		ownKeyOnly,
	);
	const assertionSource = f.clientAssertionFields.map((field) =>
		withHide(
			withShow(field, { grantType: NO_GRANT_ASSERTION, clientAssertionOrigin: ['elsewhere'] }),
			ownKeyOnly,
		),
	);
	// NetSuite finds the certificate by its ID (its own "Certificate ID" field), not by a thumbprint.
	const keyField = (field: Field): Field[] =>
		field.name === 'keyId'
			? [withHide(field, { provider: ['netsuite'] }), f.netsuiteKeyId]
			: field.name === 'thumbprintHeader' || field.name === 'publicCertificate'
				? [withHide(field, { provider: ['netsuite'] })]
				: [field];
	return [
		// NetSuite: client credentials with private_key_jwt only (its preset's form choices).
		...changedFor('salesforce', [withHide(f.keyGrantType, { provider: ['netsuite'] })]),
		...changedFor('salesforce', jwtBearer([f.keyClientAuthentication])),
		assertionOrigin,
		notice(
			'salesforceNotice',
			'Salesforce takes a private key only in the JWT bearer flow: the token is issued to the user named in "Subject" (a Salesforce username, not the consumer key) and the audience follows the environment, or is the My Domain URL for an external client app ("JWT Audience").',
			{ provider: ['salesforce'], ...FORM2 },
		),
		notice(
			'netsuiteNotice',
			'NetSuite: the client credentials flow with a client assertion signed by the key whose certificate is mapped on Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup. RSA keys sign with PS256 (NetSuite refuses RS256 since 1 March 2025) and need 3072 bits or more.',
			{ provider: ['netsuite'] },
		),
		...f.locationFields,
		withShow(f.salesforceJwtAudience, { grantType: ['jwtBearer'], formVersion: [1] }),
		withShow(f.salesforceJwtAudience, FORM2),
		...f.endpointFields,
		withHide(f.clientId, { provider: ['google'] }),
		withShow(
			{
				...f.clientId,
				required: false,
				description: "Leave empty to use the service-account key's client_id",
			},
			{ provider: ['google'] },
		),
		...assertionSource,
		...keyless(f.keyFields.flatMap(keyField)),
		...changedFor('salesforce', jwtBearer([f.subject]), (field) => ({
			...salesforceBearer(field),
			required: true,
			description: 'The Salesforce username of the user the token is for (not the consumer key)',
		})),
		...changedFor('salesforce', [
			...f.passwordGrantFields.map((field) => withShow(field, { grantType: ['password'] })),
		]),
		...tokenExchange(f.tokenExchangeFields),
		withHide(f.scope, { provider: ['netsuite'] }),
		f.netsuiteScope,
		advancedToggle,
		...advanced([
			...tokenExchange(f.tokenExchangeExpertFields),
			...keyless([f.algorithm]),
			...changedFor('salesforce', jwtBearer(f.jwtBearerExpertFields), salesforceBearer).map(
				// Google's preset always sends the scope as a claim.
				(field) =>
					field.name === 'scopeInClaim' ? withHide(field, { provider: ['google'] }) : field,
			),
			...keyless(clientAssertionClaims),
			...keyless(f.assertionAudienceFields),
			...keyless(f.assertionExpertFields),
			...f.requestExpertFields,
			...f.lifespanExpertFields,
		]),
	];
}

/** The fields of a credential type, in the order the form shows them (n8n's hidden fields aside). */
export function credentialProperties(kind: CredentialKind): INodeProperties[] {
	return [
		...formVersionFields,
		f.providerField(kind),
		...(kind === 'clientSecret' ? clientSecretForm() : privateKeyForm()),
	];
}

/** Each type its own themed icon, so that lists tell them apart (the node has a third). */
export function credentialIcon(kind: CredentialKind): Icon {
	const file = kind === 'clientSecret' ? 'oauthClientSecret' : 'oauthPrivateKeyJwt';
	return { light: `file:icons/${file}.svg`, dark: `file:icons/${file}.dark.svg` };
}
