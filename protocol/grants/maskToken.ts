/**
 * A short masked form of a token for outputs that must say which token they mean without
 * carrying it: the first and last four characters. Short tokens get nothing, because eight
 * characters of a short token would give away too much of it.
 */
export const MASK_VISIBLE_CHARS = 4;
/** Tokens shorter than this are not shown at all (8 visible characters stay under a third of the token). */
export const MASK_MIN_LENGTH = 24;

export function maskToken(token: string): string | undefined {
	// Array.from counts code points, so a surrogate pair is never cut in half.
	const chars = Array.from(token.trim());
	if (chars.length < MASK_MIN_LENGTH) return undefined;
	return `${chars.slice(0, MASK_VISIBLE_CHARS).join('')}…${chars.slice(-MASK_VISIBLE_CHARS).join('')}`;
}
