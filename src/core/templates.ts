import { t } from '../i18n/translate';
import { TemplateInfo, TemplateMessage } from './ports/templates';
import { own } from './ports/lookup';

// Templates as data: which ones can be sent, what a filled one still lacks, and how it reads in the room.
// The picker, the slash command and the REST endpoint all go through these.

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
/** Longest value accepted for one parameter (Cloud API allows more only in the body, 32,768 in all). */
export const MAX_PARAMETER_LENGTH = 1000;

/** The distinct `{{x}}` placeholders of a template text, in order (providers build TemplateInfo with it). */
export function templatePlaceholders(text: string | undefined): string[] {
	const names: string[] = [];
	for (const m of (text || '').matchAll(PLACEHOLDER)) if (!names.includes(m[1])) names.push(m[1]);
	return names;
}

/** APPROVED templates, by name then language. */
export function sendableTemplates(list: TemplateInfo[]): TemplateInfo[] {
	return list.filter((i) => i.status.toUpperCase() === 'APPROVED').sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
}

/** A sendable template by name (case-insensitive) and language; without a language, the only one, else undefined. */
export function findTemplate(list: TemplateInfo[], name: string, language?: string): TemplateInfo | undefined {
	const named = sendableTemplates(list).filter((i) => i.name.toLowerCase() === name.toLowerCase());
	if (language) return named.find((i) => i.language.toLowerCase() === language.toLowerCase());
	return named.length === 1 ? named[0] : undefined;
}

export interface TemplateValues {
	body: Record<string, string>;
	header?: { text?: string; link?: string };
	buttons?: Record<string, string>;
}

/** Parameters a template takes, as people name them: `{{1}}`, `{{first_name}}`, header, button 1… */
export interface TemplateSlot {
	kind: 'body' | 'header-text' | 'header-link' | 'button';
	/** Body parameter name, or the button index. */
	key: string;
	label: string;
}

export function templateSlots(info: TemplateInfo): TemplateSlot[] {
	const slots: TemplateSlot[] = [];
	if (info.header?.format === 'text' && info.header.parameters.length > 0) slots.push({ kind: 'header-text', key: info.header.parameters[0], label: t('template_slot_header_text') });
	if (info.header && ['image', 'video', 'document'].includes(info.header.format)) slots.push({ kind: 'header-link', key: info.header.format, label: t('template_slot_header_link', { format: t(`template_header_${info.header.format}`) }) });
	for (const p of info.bodyParameters) slots.push({ kind: 'body', key: p, label: `{{${p}}}` });
	info.buttons.forEach((b, i) => {
		if (b.parameters.length > 0) slots.push({ kind: 'button', key: String(i), label: t('template_slot_button', { number: i + 1, text: b.text }) });
	});
	return slots;
}

/** Why these values cannot be sent with this template (people's words); empty when they can. */
export function templateProblems(info: TemplateInfo, values: TemplateValues): string[] {
	const problems: string[] = [];
	if (info.header?.format === 'location') problems.push(t('template_problem_location_header'));
	for (const slot of templateSlots(info)) {
		const value = slotValue(values, slot);
		if (!value) problems.push(t('template_problem_missing', { slot: slot.label }));
		else if (value.length > MAX_PARAMETER_LENGTH) problems.push(t('template_problem_too_long', { slot: slot.label, max: MAX_PARAMETER_LENGTH }));
		else if (slot.kind === 'header-link' && !/^https?:\/\/\S+$/i.test(value)) problems.push(t('template_problem_link', { slot: slot.label }));
	}
	const known = new Set(info.bodyParameters);
	const extra = Object.keys(values.body).filter((k) => !known.has(k) && values.body[k]);
	if (extra.length) problems.push(t('template_problem_unknown', { names: extra.map((k) => `{{${k}}}`).join(', ') }));
	return problems;
}

export function slotValue(values: TemplateValues, slot: TemplateSlot): string {
	const raw = slot.kind === 'body' ? own(values.body, slot.key) : slot.kind === 'button' ? own(values.buttons, slot.key) : slot.kind === 'header-text' ? values.header?.text : values.header?.link;
	return (raw || '').trim();
}

/** The message to queue: only the values the template takes, trimmed. */
export function templateMessage(info: TemplateInfo, values: TemplateValues): TemplateMessage {
	const msg: TemplateMessage = { name: info.name, language: info.language, body: {}, info };
	for (const slot of templateSlots(info)) {
		const value = slotValue(values, slot);
		if (slot.kind === 'body') msg.body[slot.key] = value;
		else if (slot.kind === 'button') msg.buttons = { ...msg.buttons, [slot.key]: value };
		else if (slot.kind === 'header-text') msg.header = { text: value };
		else msg.header = { link: value };
	}
	return msg;
}

const fill = (text: string, values: Record<string, string>) => text.replace(PLACEHOLDER, (whole, name: string) => own(values, name) || whole);

/** How a sent template reads in the room (and in notes about it). */
export function renderTemplate(msg: TemplateMessage): string {
	const { info } = msg;
	const lines: string[] = [];
	if (info.header?.format === 'text') lines.push(`*${fill(info.header.text || '', msg.header?.text ? { [info.header.parameters[0]]: msg.header.text } : {})}*`);
	else if (info.header && msg.header?.link) lines.push(`${t(`template_header_${info.header.format}`)}: ${msg.header.link}`);
	lines.push(fill(info.body, msg.body));
	if (info.footer) lines.push(`_${info.footer}_`);
	if (info.buttons.length) lines.push(info.buttons.map((b) => `🔘 ${b.text}`).join('  '));
	return lines.filter((l) => l.trim()).join('\n');
}

/** One entry of `/whatsapp templates`: name, language, category, what it takes, its text. */
export function describeTemplate(info: TemplateInfo): string {
	const slots = templateSlots(info).map((s) => s.label);
	const head = `• *${info.name}* (${info.language})${info.category ? ` · ${info.category}` : ''}`;
	const takes = slots.length ? t('template_takes', { slots: slots.join(', ') }) : t('template_takes_nothing');
	const body = info.body.length > 300 ? `${info.body.slice(0, 299)}…` : info.body;
	return `${head} — ${takes}\n> ${body.replace(/\n/g, '\n> ')}`;
}
