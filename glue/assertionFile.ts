/**
 * Reads a client assertion file through n8n's own file helpers (IExecuteFunctions helpers), so
 * N8N_RESTRICT_FILE_ACCESS_TO, n8n's blocked paths and its symlink checks apply, as they do to the
 * Read/Write Files node. Bounded: an assertion is small. The content never reaches an error.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	ASSERTION_FILE_FIELD,
	attemptAsync,
	OAuthConfigError,
	type ReadAssertionFile,
} from '../protocol';

/**
 * Why a file could not be opened, in words: n8n replaces a whole error message that contains a
 * system error code such as ENOENT with its own generic text, which would lose the path and field.
 */
function reason(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	if (code === 'ENOENT') return 'it does not exist';
	if (code === 'EACCES' || code === 'EPERM') return 'the n8n process may not read it';
	if (code === 'EISDIR') return 'it is a folder';
	return 'it could not be opened';
}

/** The reader for this execution, or undefined where n8n gives no file helpers. */
export function assertionFileReader(context: IExecuteFunctions): ReadAssertionFile | undefined {
	const helpers = context.helpers as Partial<IExecuteFunctions['helpers']> | undefined;
	const { resolvePath, isFilePathBlocked, createReadStream } = helpers ?? {};
	if (!resolvePath || !isFilePathBlocked || !createReadStream) return undefined;
	return async (path, maxBytes) => {
		// realpath: a Kubernetes projected volume's ..data symlink is followed to today's file.
		const found = await attemptAsync(async () => await resolvePath(path));
		if (!found.ok)
			throw new OAuthConfigError(
				ASSERTION_FILE_FIELD,
				`The file "${path}" could not be found: ${reason(found.error)}.`,
				'Check the path on the n8n host (inside the container, if n8n runs in one).',
			);
		const resolved = found.value;
		if (isFilePathBlocked(resolved))
			throw new OAuthConfigError(
				ASSERTION_FILE_FIELD,
				`n8n does not allow reading "${path}".`,
				"Add the file's folder to N8N_RESTRICT_FILE_ACCESS_TO (separated by ;), or move the file out of n8n's own folders.",
			);
		const opened = await attemptAsync(async () => await createReadStream(resolved));
		if (!opened.ok) {
			const { error } = opened;
			throw new OAuthConfigError(
				ASSERTION_FILE_FIELD,
				`The file "${path}" could not be read: ${error instanceof Error && !('code' in error) ? error.message : reason(error)}.`,
				'Check that the file exists and that the n8n process may read it.',
			);
		}
		const stream = opened.value;
		const chunks: Buffer[] = [];
		let size = 0;
		try {
			for await (const chunk of stream) {
				const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
				size += buffer.length;
				if (size > maxBytes) {
					throw new OAuthConfigError(
						ASSERTION_FILE_FIELD,
						`The file "${path}" is larger than ${maxBytes / 1024} KiB; a client assertion is a few kilobytes.`,
						'Point "Client Assertion File" at the token file itself.',
					);
				}
				chunks.push(buffer);
			}
		} finally {
			stream.destroy();
		}
		return Buffer.concat(chunks).toString('utf8');
	};
}
