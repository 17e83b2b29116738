// Failures and their reasons: errors inside the app (what to retry, the text of anything thrown) and
// a provider's failure told in the language of notices. (The shape providers answer with is the
// port's: ports/failure.ts.)

import { hasKey, t } from '../i18n/translate';
import { Failure } from './ports/failure';

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

/** A provider failure in the language of notices: its code's text (`reason_<code>`), else the English reason. */
export function describeFailure(f: Failure): string {
	return f.code && hasKey(`reason_${f.code}`) ? t(`reason_${f.code}`, f.params) : f.reason;
}
