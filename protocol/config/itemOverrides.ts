/**
 * Per-item values of Get Token (Entra tenant, scope, resource, audience, JWT bearer subject, client
 * assertion) that replace the credential's for one item. They are written over the credential's
 * fields before the preset is applied, so they pass the same preset rules and checks as the
 * credential's own values, and the token cache key (grants/getToken.ts) follows them.
 */
import { OAuthConfigError } from '../errors/oauthErrors';
import { PRESETS } from '../providers/registry';
import type { ClientConfig } from './clientConfig';
import type { CredentialData, CredentialIo, CredentialKind } from './credentialData';
import { clientConfigFromCredential } from './fromCredential';
import { resourceIndicators } from './resourceIndicators';

/** Each one empty or absent = the credential's value. */
export interface ItemOverrides {
	tenant?: string;
	scope?: string;
	resource?: string;
	audience?: string;
	subject?: string;
	clientAssertion?: string;
}

/** Providers with a tenant in their endpoints, and the credential field that holds it. */
const TENANT_FIELDS: Record<string, string> = { entra: 'entraTenant' };

function given(value: string | undefined): string | undefined {
	const trimmed = typeof value === 'string' ? value.trim() : '';
	return trimmed ? trimmed : undefined;
}

function providerLabel(provider: string): string {
	return provider === 'generic' ? 'Generic' : (PRESETS[provider]?.label ?? provider);
}

/** The credential's configuration with this item's values in place of its own. */
export function clientConfigWithOverrides(
	kind: CredentialKind,
	credential: CredentialData,
	overrides: ItemOverrides,
	io: CredentialIo = {},
): ClientConfig {
	const data: CredentialData = { ...credential };
	const provider = typeof data.provider === 'string' && data.provider ? data.provider : 'generic';
	const tenant = given(overrides.tenant);
	if (tenant !== undefined) {
		const field = TENANT_FIELDS[provider];
		if (!field)
			throw new OAuthConfigError(
				'Tenant',
				`The credential's provider (${providerLabel(provider)}) has no tenant to replace.`,
				'Clear "Tenant" in the options: it applies to Microsoft Entra ID credentials only.',
			);
		data[field] = tenant;
	}
	for (const name of ['scope', 'audience'] as const) {
		const value = given(overrides[name]);
		if (value !== undefined) data[name] = value;
	}
	// Checked as RFC 8707 indicators whatever the credential's form (its own value may be read leniently).
	const resource = given(overrides.resource);
	const resources = resource === undefined ? undefined : resourceIndicators(resource, 'Resource');
	const subject = given(overrides.subject);
	if (subject !== undefined) data.subject = subject;
	const assertion = given(overrides.clientAssertion);
	if (assertion !== undefined) {
		data.clientAssertionSource = 'value';
		data.clientAssertionValue = assertion;
	}

	const built = clientConfigFromCredential(kind, data, io);
	const config = resources === undefined ? built : { ...built, resource: resources };
	if (subject !== undefined && config.grant.type !== 'jwt_bearer')
		throw new OAuthConfigError(
			'Subject',
			`The credential's grant (${config.grant.type}) has no assertion subject; "Subject" applies to the JWT bearer grant only.`,
			'Clear "Subject" in the options, or use a private key credential with the JWT Bearer grant.',
		);
	if (assertion !== undefined && config.auth.method !== 'client_assertion')
		throw new OAuthConfigError(
			'Client Assertion',
			'The credential does not take a client assertion from elsewhere: it authenticates the client itself.',
			'Clear "Client Assertion" in the options, or set the credential\'s "Client Authentication" to "Client Assertion From Elsewhere (No Key in n8n)".',
		);
	return config;
}
