// Errors inside the app: what to retry, and the text of anything thrown.

import { t } from '../i18n/translate';

/** Processing could not finish now and must be retried (the event stays pending, nothing is lost). */
export class RetryLater extends Error {}

/** A customer's file could not be fetched yet: the message can stand aside (a placeholder) while it is retried. */
export class MediaNotYet extends RetryLater {}

/**
 * Text of anything thrown (Rocket.Chat bridges throw Errors, plain objects or strings). Engines before
 * about 1.53 turn every bridge error into `Error("[object Object]")`: that is said as such, never shown.
 */
export function errorText(e: unknown): string {
	let text: string;
	if (e instanceof Error) text = e.message;
	else if (typeof e === 'object' && e && 'message' in e) text = String((e as { message: unknown }).message);
	else text = String(e);
	return text === '[object Object]' ? t('reason_no_details') : text;
}
