/** The JSON a token operation outputs: the server's response plus computed, labelled expiry fields. */
import type { IDataObject } from 'n8n-workflow';

import { toIso, zoneFor, type TokenResult } from '../../../protocol';

export function tokenOutput(result: TokenResult, timezone: string): IDataObject {
	const zone = zoneFor(timezone);
	const { token, times } = result;
	const out: IDataObject = {
		...(token as IDataObject),
		obtained_at: toIso(times.obtainedAt, zone),
		expires_at: times.accessExpiresAt === null ? null : toIso(times.accessExpiresAt, zone),
		expires_at_source: times.accessSource,
	};
	if (times.refreshSource !== null) {
		out.refresh_token_expires_at =
			times.refreshExpiresAt === null ? null : toIso(times.refreshExpiresAt, zone);
		out.refresh_token_expires_at_source = times.refreshSource;
	}
	return out;
}
