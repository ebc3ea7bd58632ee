/** The one request shape every OAuth endpoint call shares: a form POST carrying client authentication. */
import type { ClientConfig } from '../config/clientConfig';
import type { ResolvedEndpoints } from '../config/endpoints';
import { FORM_CONTENT_TYPE, type HttpRequest } from '../transport/http';
import { applyClientAuth } from './clientAuth';

/** A POST to an OAuth endpoint with client authentication; extra parameters go in before protocol ones win. */
export async function authenticatedRequest(
	config: ClientConfig,
	endpoints: ResolvedEndpoints,
	url: string,
	protocolParams: URLSearchParams,
	now: number,
	extraParams: Record<string, string> = {},
): Promise<HttpRequest> {
	const params = new URLSearchParams();
	for (const [name, value] of Object.entries(extraParams)) params.set(name, value);
	for (const [name, value] of protocolParams) params.set(name, value);
	const headers: Record<string, string> = {
		accept: 'application/json',
		'content-type': FORM_CONTENT_TYPE,
	};
	await applyClientAuth(
		config.auth,
		{
			tokenEndpoint: endpoints.tokenEndpoint,
			issuer: endpoints.issuer,
			endpoint: url,
			issuerEndpoints: endpoints.issuerEndpoints,
		},
		{ params, headers },
		now,
		config.scope,
	);
	return { method: 'POST', url, headers, body: params.toString(), timeoutMs: config.timeoutMs };
}
