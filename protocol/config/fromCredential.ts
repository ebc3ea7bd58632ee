/** A credential's data to the finished ClientConfig: its own fields, then its provider preset. */
import { applyPreset, PRESETS } from '../providers/registry';
import type { ClientConfig } from './clientConfig';
import {
	baseConfigFromCredential,
	type CredentialData,
	type CredentialIo,
	type CredentialKind,
} from './credentialData';

/** The credential's fields with the ones its preset's form fixes (e.g. ServiceNow: secret in the body). */
function withPresetChoices(kind: CredentialKind, data: CredentialData): CredentialData {
	const provider = typeof data.provider === 'string' ? data.provider : '';
	const choices = PRESETS[provider]?.formChoices?.(kind, data);
	return choices ? { ...data, ...choices } : data;
}

export function clientConfigFromCredential(
	kind: CredentialKind,
	data: CredentialData,
	io: CredentialIo = {},
): ClientConfig {
	const effective = withPresetChoices(kind, data);
	return applyPreset(baseConfigFromCredential(kind, effective, io), effective);
}
