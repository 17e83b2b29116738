// Why something failed, for people. Shared by providers (send, media, admin calls) and the core.

/**
 * `code` names an i18n text (`reason_<code>`, filled with `params`) the app shows in its language;
 * `reason` is the same in English, for logs and unknown codes.
 */
export interface Failure {
	reason: string;
	code?: string;
	params?: Record<string, string | number>;
}

/** Processing could not finish now and must be retried (the event stays pending, nothing is lost). */
export class RetryLater extends Error {}

/** Text of anything thrown (Rocket.Chat bridges throw Errors, plain objects or strings). */
export function errorText(e: unknown): string {
	if (e instanceof Error) return e.message;
	if (typeof e === 'object' && e && 'message' in e) return String((e as { message: unknown }).message);
	return String(e);
}
