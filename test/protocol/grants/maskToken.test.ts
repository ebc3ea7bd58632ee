import { MASK_MIN_LENGTH, maskToken } from '../../../protocol';

describe('maskToken', () => {
	it('shows the first and last four characters of a long token', () => {
		const value = ['abcd', 'x'.repeat(30), 'wxyz'].join('');
		expect(maskToken(value)).toBe('abcd…wxyz');
	});

	it('shows nothing for short tokens', () => {
		expect(maskToken('')).toBeUndefined();
		expect(maskToken('a'.repeat(MASK_MIN_LENGTH - 1))).toBeUndefined();
		expect(maskToken('a'.repeat(MASK_MIN_LENGTH))).toBe('aaaa…aaaa');
	});

	it('never reveals more than 8 characters, whatever the length', () => {
		for (const length of [24, 25, 100, 5000]) {
			const value = Array.from({ length }, (_, i) => String.fromCharCode(33 + (i % 90))).join('');
			const masked = maskToken(value) as string;
			expect(masked.replace('…', '')).toHaveLength(8);
			expect(value.includes(masked)).toBe(false);
		}
	});

	it('ignores surrounding whitespace and never cuts a character in half', () => {
		const emoji = '😀';
		const value = `  ${emoji.repeat(30)}\n`;
		expect(maskToken(value)).toBe(`${emoji.repeat(4)}…${emoji.repeat(4)}`);
	});
});
