/** The package's sender over n8n 2.41.1's real request helper, for protocol-level tests. */
import { n8nSend, type SendOptions } from '../../glue/send';
import type { HttpSend, OAuthEndpointKind } from '../../protocol';
import { n8nHttpHelper, type RecordedHttpCall } from './n8nContext';

export function realSend(
	endpoint: OAuthEndpointKind = 'token',
	options: Omit<SendOptions, 'endpoint'> & { calls?: RecordedHttpCall[] } = {},
): HttpSend {
	return n8nSend(n8nHttpHelper(options.calls), { ...options, endpoint });
}
