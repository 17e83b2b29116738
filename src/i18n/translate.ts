import { catalogs } from './catalog';
import { own } from '../core/ports/lookup';

export const LANGUAGES = Object.keys(catalogs);

// Cache: the notice-language setting, applied at enable, on change and by every job run (`t()` is
// synchronous and cannot read the setting); a new process writes English until the next job run.
let current = 'en';

/** Language of the text the app writes (notices, command answers); from the app setting. */
export function setLanguage(lang: string | undefined): void {
	current = lang && own(catalogs, lang) ? lang : 'en';
}

/** Translate `key`, filling `{name}` placeholders. Falls back to English, then to the key itself. */
export function t(key: string, params: Record<string, string | number | undefined> = {}, lang: string = current): string {
	const template = own(own(catalogs, lang), key) ?? own(catalogs.en, key) ?? key;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
		const value = own(params, name);
		return value === undefined ? whole : String(value);
	});
}

/** Whether the English catalog has `key` (every language has the same keys: see the i18n test). */
export function hasKey(key: string): boolean {
	return own(catalogs.en, key) !== undefined;
}
