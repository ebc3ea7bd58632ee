/**
 * The README's "error → cause → fix" table, rendered from the very hint tables the error mapping
 * uses (ERROR_HINTS and every preset's hints), so the documentation cannot drift from the code.
 * test/scripts/hintsTable.test.ts checks README.md against it (and rewrites it: `npm run hints:write`).
 * Not shipped: it lives outside the folders the build compiles.
 */
import { ERROR_HINTS, type ErrorHint } from '../protocol/errors/hints';
import { PRESETS } from '../protocol/providers/registry';

const HINTS_START = '<!-- hints:start -->';
const HINTS_END = '<!-- hints:end -->';

interface HintGroup {
	title: string;
	/** How the group's hints are tried, in words. */
	note: string;
	hints: ErrorHint[];
}

export function hintGroups(): HintGroup[] {
	return [
		{
			title: 'Any provider',
			note: "Tried after the provider's own hints (a hint written for the grant of the request comes first).",
			hints: ERROR_HINTS,
		},
		...Object.values(PRESETS).map((preset) => ({
			title: preset.label,
			note: `With the ${preset.label} preset, tried first.`,
			hints: preset.hints,
		})),
	];
}

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
	return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Prose cell: also `<` escaped, so "<your-domain>" is not taken for an HTML tag. */
function prose(text: string): string {
	return cell(text).replace(/</g, '&lt;');
}

function errorCell(hint: ErrorHint): string {
	const codes = hint.errors.length
		? hint.errors.map((error) => `\`${error}\``).join(', ')
		: 'any `error`';
	const parts = [codes];
	if (hint.description) parts.push(`description matching \`${hint.description.source}\``);
	if (hint.grants?.length)
		parts.push(`grant ${hint.grants.map((grant) => `\`${grant}\``).join(', ')}`);
	if (hint.endpoint) parts.push(`at the ${hint.endpoint} endpoint`);
	return cell(parts.join('; '));
}

/** The markdown between the README markers (without the markers). */
export function hintsTableMarkdown(): string {
	const lines: string[] = [];
	for (const group of hintGroups()) {
		lines.push(
			`#### ${group.title}`,
			'',
			group.note,
			'',
			'| Error | Cause | Fix |',
			'|---|---|---|',
		);
		for (const hint of group.hints)
			lines.push(`| ${errorCell(hint)} | ${prose(hint.cause)} | ${prose(hint.fix)} |`);
		lines.push('');
	}
	return lines.join('\n').trimEnd();
}

/** The text between the markers of a README, or undefined when the markers are missing. */
export function readmeHintsSection(readme: string): string | undefined {
	const start = readme.indexOf(HINTS_START);
	const end = readme.indexOf(HINTS_END);
	if (start < 0 || end < start) return undefined;
	return readme.slice(start + HINTS_START.length, end).trim();
}

/** The README with the section between the markers replaced by the current table. */
export function withHintsTable(readme: string): string {
	const start = readme.indexOf(HINTS_START);
	const end = readme.indexOf(HINTS_END);
	if (start < 0 || end < start)
		throw new Error(`README.md has no ${HINTS_START} … ${HINTS_END} section.`);
	return `${readme.slice(0, start + HINTS_START.length)}\n${hintsTableMarkdown()}\n${readme.slice(end)}`;
}
