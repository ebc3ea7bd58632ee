// Just enough of n8n's IExecuteFunctions to run the built OAuth Token node outside n8n, over real
// HTTP with fetch in place of n8n's request helper. Used by the node-level demo and the benchmarks.
export function executeContext({
	kind,
	credential,
	items = [{ json: {} }],
	options = {},
	timezone = 'UTC',
}) {
	const parameters = { authentication: kind, operation: 'getToken', options };
	return {
		getInputData: () => items,
		getNode: () => ({
			id: 'oauth-token',
			name: 'OAuth Token',
			type: 'oauthToken',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getTimezone: () => timezone,
		continueOnFail: () => false,
		getNodeParameter: (name, _i, fallback) => parameters[name] ?? fallback,
		getCredentials: async () => credential,
		helpers: {
			httpRequest: async (request) => {
				const response = await fetch(request.url, {
					method: request.method,
					headers: request.headers,
					body: request.body,
					redirect: 'manual',
				});
				return {
					body: await response.text(),
					headers: Object.fromEntries(response.headers),
					statusCode: response.status,
				};
			},
		},
	};
}
