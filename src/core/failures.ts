// Errors inside the app: what to retry, and the text of anything thrown.

/** Processing could not finish now and must be retried (the event stays pending, nothing is lost). */
export class RetryLater extends Error {}

/** A customer's file could not be fetched yet: the message can stand aside (a placeholder) while it is retried. */
export class MediaNotYet extends RetryLater {}

/** Text of anything thrown (Rocket.Chat bridges throw Errors, plain objects or strings). */
export function errorText(e: unknown): string {
	if (e instanceof Error) return e.message;
	if (typeof e === 'object' && e && 'message' in e) return String((e as { message: unknown }).message);
	return String(e);
}
