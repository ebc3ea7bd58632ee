/**
 * The README's "error → cause → fix" table, rendered from the very hint tables the error mapping
 * uses (ERROR_HINTS and every preset's hints), so the documentation cannot drift from the code.
 * test/scripts/hintsTable.test.ts checks README.md and the provider guides (docs/providers/*.md)
 * against it (and rewrites them: `npm run hints:write`).
 * Not shipped: it lives outside the folders the build compiles.
 */
import { CLIENT_ASSERTION_HINTS } from '../protocol/clientAuth/externalAssertion';
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
		{
			title: 'Client assertion from elsewhere',
			note: 'With "Client Assertion From Elsewhere (No Key in n8n)", tried after the provider\'s hints and before the ones for any provider.',
			hints: CLIENT_ASSERTION_HINTS,
		},
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

function groupMarkdown(group: HintGroup, heading: string): string[] {
	const lines = [
		`${heading} ${group.title}`,
		'',
		group.note,
		'',
		'| Error | Cause | Fix |',
		'|---|---|---|',
	];
	for (const hint of group.hints)
		lines.push(`| ${errorCell(hint)} | ${prose(hint.cause)} | ${prose(hint.fix)} |`);
	lines.push('');
	return lines;
}

/** The markdown between the README markers (without the markers). */
export function hintsTableMarkdown(): string {
	return hintGroups()
		.flatMap((group) => groupMarkdown(group, '####'))
		.join('\n')
		.trimEnd();
}

/** The provider guides that hold hint tables: docs/providers/<id>.md, one per preset and generic. */
export const PROVIDER_GUIDES = ['generic', ...Object.keys(PRESETS)];

/**
 * The markdown between the markers of docs/providers/<id>.md: the preset's own hints first, then
 * the generic ones, in the order the error mapping tries them.
 */
export function providerHintsMarkdown(id: string): string {
	const [generic, ...presets] = hintGroups();
	const own = id === 'generic' ? [] : presets.filter((group) => group.title === PRESETS[id]?.label);
	if (id !== 'generic' && own.length !== 1) throw new Error(`No preset "${id}".`);
	return [...own, generic]
		.flatMap((group) => groupMarkdown(group, '###'))
		.join('\n')
		.trimEnd();
}

/** The text between the markers of a README, or undefined when the markers are missing. */
export function readmeHintsSection(readme: string): string | undefined {
	const start = readme.indexOf(HINTS_START);
	const end = readme.indexOf(HINTS_END);
	if (start < 0 || end < start) return undefined;
	return readme.slice(start + HINTS_START.length, end).trim();
}

/** A document with the section between the markers replaced by `markdown` (default: the README's table). */
export function withHintsTable(readme: string, markdown = hintsTableMarkdown()): string {
	const start = readme.indexOf(HINTS_START);
	const end = readme.indexOf(HINTS_END);
	if (start < 0 || end < start)
		throw new Error(`The document has no ${HINTS_START} … ${HINTS_END} section.`);
	return `${readme.slice(0, start + HINTS_START.length)}\n${markdown}\n${readme.slice(end)}`;
}
