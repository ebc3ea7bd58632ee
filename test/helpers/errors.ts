import { attempt, OAuthConfigError } from '../../protocol';

/** Runs `run`, expects an OAuthConfigError and returns it. */
export function expectConfigError(run: () => unknown): OAuthConfigError {
	const outcome = attempt(run);
	if (outcome.ok) throw new Error('expected an OAuthConfigError');
	expect(outcome.error).toBeInstanceOf(OAuthConfigError);
	return outcome.error as OAuthConfigError;
}
