/** A credential's data to the finished ClientConfig: its own fields, then its provider preset. */
import { applyPreset } from '../providers/registry';
import type { ClientConfig } from './clientConfig';
import {
	baseConfigFromCredential,
	type CredentialData,
	type CredentialKind,
} from './credentialData';

export function clientConfigFromCredential(
	kind: CredentialKind,
	data: CredentialData,
): ClientConfig {
	return applyPreset(baseConfigFromCredential(kind, data), data);
}
