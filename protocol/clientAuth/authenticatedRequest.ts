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
	// A protocol parameter replaces an extra one in place; a repeated one (RFC 8707 `resource`)
	// replaces it with all its values.
	for (const name of new Set(protocolParams.keys())) {
		const values = protocolParams.getAll(name);
		if (values.length === 1) params.set(name, values[0]);
		else {
			params.delete(name);
			for (const value of values) params.append(name, value);
		}
	}
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
