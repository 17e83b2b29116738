import { hasKey, t } from '../i18n/translate';
import { Failure } from './ports/failure';

/** A provider failure in the language of notices: its code's text (`reason_<code>`), else the English reason. */
export function describeFailure(f: Failure): string {
	return f.code && hasKey(`reason_${f.code}`) ? t(`reason_${f.code}`, f.params) : f.reason;
}
