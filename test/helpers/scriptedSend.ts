/** A send port for protocol tests without a network: it records each request and answers from a script. */
import type { HttpRequest, HttpResponse, HttpSend } from '../../protocol';

/**
 * Answers in order, the last one for every later request; an Error is thrown instead of answered
 * (a transport failure).
 */
export function scriptedSend(answers: HttpResponse | Array<HttpResponse | Error>): {
	send: HttpSend;
	requests: HttpRequest[];
} {
	const script = Array.isArray(answers) ? [...answers] : [answers];
	const requests: HttpRequest[] = [];
	const send: HttpSend = async (request) => {
		requests.push(request);
		const next = script.length > 1 ? script.shift() : script[0];
		if (next instanceof Error) throw next;
		return next as HttpResponse;
	};
	return { send, requests };
}

/** A 200 token response with a Bearer access token. */
export const TOKEN_ISSUED: HttpResponse = {
	status: 200,
	headers: { 'content-type': 'application/json' },
	body: JSON.stringify({ access_token: 'at', token_type: 'Bearer', expires_in: 600 }),
};
