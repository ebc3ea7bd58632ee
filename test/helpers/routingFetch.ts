/**
 * Routes the real provider URLs a preset produces (https://login.salesforce.com/...,
 * https://login.microsoftonline.com/{tenant}/...) to local emulators, so tests run the package's
 * real code against the real URLs without leaving this machine.
 *
 * - `router.send` is an HttpSend for the protocol core (`getToken(config, router.send)`).
 * - `runNodeRouted(options, router)` runs the node through test/helpers/executeContext.ts with
 *   n8n's `helpers.httpRequest` routed the same way.
 *
 * Each request keeps its path and query; the origin is swapped for the emulator's base URL, and
 * `x-forwarded-host` / `x-forwarded-proto` tell the emulator which public URL the client used (an
 * emulator checks assertion audiences against it). A URL with no route is refused and recorded,
 * so a test can never reach the internet by accident.
 */
import type { IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { OauthToken } from '../../nodes/OauthToken/OauthToken.node';
import type { HttpRequest, HttpResponse, HttpSend } from '../../protocol';
import { realSend } from './realSend';
import { createExecuteContext, type ContextOptions, type RecordedHttpCall } from './executeContext';

export interface RoutedCall {
	method: string;
	/** The URL the package asked for (public provider URL). */
	url: string;
	/** Origin of `url`, e.g. https://login.salesforce.com. */
	origin: string;
	/** Path of `url`, e.g. /services/oauth2/token. */
	path: string;
	/** Where it went: the emulator URL, or undefined when no route matched (the call was refused). */
	routedTo?: string;
}

export class NoRouteError extends Error {
	constructor(url: string) {
		super(`No route for ${url}: tests only talk to local emulators.`);
		this.name = 'NoRouteError';
	}
}

export class ProviderRouter {
	private readonly routes = new Map<string, string>();
	/** The package's sender over n8n's real request helper. */
	private readonly transport: HttpSend = realSend();
	readonly calls: RoutedCall[] = [];

	/** `routes` maps a public origin (https://login.salesforce.com) to an emulator base URL (http://127.0.0.1:PORT). */
	constructor(routes: Record<string, string> = {}) {
		for (const [origin, target] of Object.entries(routes)) this.add(origin, target);
	}

	add(origin: string, target: string): this {
		this.routes.set(new URL(origin).origin, target.replace(/\/+$/, ''));
		return this;
	}

	/** The emulator URL for a public URL, and the headers that tell the emulator what the client saw. */
	route(url: string, method = 'GET'): { url: string; headers: Record<string, string> } {
		const parsed = new URL(url);
		const target = this.routes.get(parsed.origin);
		const call: RoutedCall = { method, url, origin: parsed.origin, path: parsed.pathname };
		this.calls.push(call);
		if (!target) throw new NoRouteError(url);
		call.routedTo = `${target}${parsed.pathname}${parsed.search}`;
		return {
			url: call.routedTo,
			headers: {
				'x-forwarded-host': parsed.host,
				'x-forwarded-proto': parsed.protocol.replace(':', ''),
			},
		};
	}

	/** An HttpSend for the protocol core that goes through n8n's real helper to the emulators. */
	readonly send: HttpSend = async (request: HttpRequest): Promise<HttpResponse> => {
		const routed = this.route(request.url, request.method);
		return await this.transport({
			...request,
			url: routed.url,
			headers: { ...request.headers, ...routed.headers },
		});
	};

	/** Paths requested on one origin (or all), in order. */
	paths(origin?: string): string[] {
		return this.calls
			.filter((call) => origin === undefined || call.origin === new URL(origin).origin)
			.map((call) => call.path);
	}

	/** Requests that found no route. */
	unrouted(): RoutedCall[] {
		return this.calls.filter((call) => call.routedTo === undefined);
	}

	reset(): void {
		this.calls.length = 0;
	}
}

/** Runs the OAuth Token node with every HTTP request routed through `router`. */
export async function runNodeRouted(
	options: ContextOptions,
	router: ProviderRouter,
): Promise<{ output: INodeExecutionData[][]; httpCalls: RecordedHttpCall[] }> {
	const { context, httpCalls } = createExecuteContext(options);
	const helpers = context.helpers as unknown as {
		httpRequest: (options: IHttpRequestOptions) => Promise<unknown>;
	};
	const direct = helpers.httpRequest;
	helpers.httpRequest = async (requestOptions: IHttpRequestOptions) => {
		const routed = router.route(requestOptions.url, requestOptions.method ?? 'GET');
		return await direct({
			...requestOptions,
			url: routed.url,
			headers: { ...(requestOptions.headers ?? {}), ...routed.headers },
		});
	};
	const output = await new OauthToken().execute.call(context);
	return { output, httpCalls };
}
