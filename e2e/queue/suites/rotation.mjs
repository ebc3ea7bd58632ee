export function rotationSuite() {
	return { credentials: [], workflows: [], async race() {}, async kill() {} };
}
