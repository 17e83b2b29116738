import { TemplateInfo } from '../core/ports/templates';
import { sendableTemplates, TemplateValues } from '../core/templates';
import { t } from '../i18n/translate';

// The command line's template arguments (`/whatsapp template <name> …`), also read by the picker when a
// command opened it before the template list was there.

export type ParsedTemplateArguments = { ok: true; info: TemplateInfo; values: TemplateValues; given: boolean } | { ok: false; error: string };

/**
 * `<name> [language] [value | key=value …]`: plain values fill the body parameters in order; `key=value`
 * names one (`first_name=Ann`, `2=…`), `header=` the header text, or the media header's link or the name
 * of a file in the room, `buttonN=` the N-th button's parameter, `code=` an authentication template's code. "Double quotes" keep spaces together.
 */
export function parseTemplateArguments(args: string[], list: TemplateInfo[]): ParsedTemplateArguments {
	const tokens = tokenize(args.join(' '));
	const name = tokens.shift() || '';
	const named = sendableTemplates(list).filter((i) => i.name.toLowerCase() === name.toLowerCase());
	if (named.length === 0) return { ok: false, error: t('template_unknown', { name, names: [...new Set(sendableTemplates(list).map((i) => i.name))].join(', ') || '—' }) };
	let info = named.find((i) => i.language.toLowerCase() === (tokens[0] || '').toLowerCase());
	if (info) tokens.shift();
	else if (named.length === 1) info = named[0];
	else return { ok: false, error: t('template_language_needed', { name: named[0].name, languages: named.map((i) => i.language).join(', ') }) };
	const values: TemplateValues = { body: {} };
	const positional: string[] = [];
	for (const token of tokens) {
		const m = /^([A-Za-z0-9_]+)=([\s\S]*)$/.exec(token);
		if (!m) positional.push(token);
		else if (m[1].toLowerCase() === 'header') values.header = info.header?.format === 'text' ? { text: m[2] } : { link: m[2] };
		else if (m[1].toLowerCase() === 'code') values.code = m[2];
		else if (/^button\d+$/i.test(m[1])) values.buttons = { ...values.buttons, [String(Number(m[1].slice(6)) - 1)]: m[2] };
		else values.body[m[1]] = m[2];
	}
	for (const p of info.bodyParameters) {
		if (positional.length === 0) break;
		if (!values.body[p]) values.body[p] = positional.shift()!;
	}
	if (positional.length > 0) return { ok: false, error: t('template_too_many_values', { name: info.name, count: info.bodyParameters.length }) };
	return { ok: true, info, values, given: tokens.length > 0 };
}

/** Splits on spaces, keeping "double-quoted parts" (and key="quoted values") together. */
export function tokenize(line: string): string[] {
	const tokens: string[] = [];
	for (const m of line.replace(/[“”„]/g, '"').matchAll(/(?:[^\s"]+|"[^"]*")+/g)) tokens.push(m[0].replace(/"/g, ''));
	return tokens.filter((x) => x.length > 0);
}
