/** RFC 8707 §2 resource indicators: several absolute URIs, each its own `resource` parameter. */
import { OAuthConfigError } from '../errors/oauthErrors';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Why a value is not a resource indicator, or undefined when it is one. */
function problem(value: string): string | undefined {
	if (!SCHEME.test(value)) return 'is not an absolute URI (it needs a scheme, like https://)';
	if (value.includes('#')) return 'has a fragment ("#…"), which RFC 8707 §2 forbids';
	try {
		new URL(value);
	} catch {
		return 'is not a valid URI';
	}
	return undefined;
}

/**
 * How strictly a field's text is read. `legacy`: a credential saved before several resources were
 * allowed (form 1) sends its value as one parameter, exactly as before. `stored`: a saved form 2
 * value; one value is sent as is (as before), several are split and each checked. `strict`: a
 * value given per item, always split and checked.
 */
export type ResourceReading = 'legacy' | 'stored' | 'strict';

/**
 * The resource indicators in a field: one per line or separated by spaces (a URI holds neither),
 * duplicates dropped, order kept.
 */
export function resourceIndicators(
	text: string,
	field: string,
	reading: ResourceReading = 'strict',
): string[] {
	if (reading === 'legacy') {
		const value = text.trim();
		return value ? [value] : [];
	}
	const values = [...new Set(text.split(/\s+/).filter(Boolean))];
	if (reading === 'stored' && values.length === 1) return values;
	for (const value of values) {
		const why = problem(value);
		if (why)
			throw new OAuthConfigError(
				field,
				`"${value.slice(0, 100)}" in "${field}" ${why}.`,
				`Enter each resource as an absolute URI without "#", e.g. https://api.example.com, one per line.`,
			);
	}
	return values;
}
