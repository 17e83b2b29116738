import { t } from '../i18n/translate';
import { RoomFile, TemplateInfo, TemplateMessage } from './ports/templates';
import { own } from './ports/lookup';
import { isAuthentication, isMediaHeader, templateRuleProblems } from './templateRules';

// Templates as data: which ones can be sent, what a filled one still lacks, and how it reads in the room.
// The picker, the slash command and the REST endpoint all go through these.

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
/** Longest value accepted for a header or button parameter before the provider's own rules (templateRules.ts) apply. */
export const MAX_PARAMETER_LENGTH = 2000;

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
	/** `link`: what the agent gave for a media header — an http(s) link or the name of a file in the room. */
	header?: { text?: string; link?: string; mediaId?: string };
	buttons?: Record<string, string>;
	/** An authentication template's one-time code (the body's parameter and the code button's). */
	code?: string;
}

/** Parameters a template takes, as people name them: `{{1}}`, `{{first_name}}`, header, button 1, the code… */
export interface TemplateSlot {
	kind: 'body' | 'header-text' | 'header-link' | 'button' | 'code';
	/** Body parameter name, the button index, or (code) the body parameter the code fills. */
	key: string;
	label: string;
}

export function templateSlots(info: TemplateInfo): TemplateSlot[] {
	// An authentication template's text is WhatsApp's own: the one-time code is all it takes.
	if (isAuthentication(info)) return [{ kind: 'code', key: info.bodyParameters[0] || '1', label: t('template_slot_code') }];
	const slots: TemplateSlot[] = [];
	if (info.header?.format === 'text' && info.header.parameters.length > 0) slots.push({ kind: 'header-text', key: info.header.parameters[0], label: t('template_slot_header_text') });
	if (info.header && isMediaHeader(info.header.format)) slots.push({ kind: 'header-link', key: info.header.format, label: t('template_slot_header_link', { format: t(`template_header_${info.header.format}`) }) });
	for (const p of info.bodyParameters) slots.push({ kind: 'body', key: p, label: `{{${p}}}` });
	info.buttons.forEach((b, i) => {
		if (b.parameters.length > 0) slots.push({ kind: 'button', key: String(i), label: t('template_slot_button', { number: i + 1, text: b.text }) });
	});
	return slots;
}

const LINK = /^https?:\/\/\S+$/i;

/** The room's file a media header names (newest first wins; names compared without case). */
export function roomFileNamed(files: ReadonlyArray<RoomFile> | undefined, name: string): RoomFile | undefined {
	const wanted = name.trim().toLowerCase();
	return (files || []).find((f) => f.name.toLowerCase() === wanted);
}

/** The template takes a media header the agent named by file (not a link): the room's files are needed. */
export function needsRoomFiles(info: TemplateInfo, values: TemplateValues): boolean {
	const given = (values.header?.link || '').trim();
	return isMediaHeader(info.header?.format) && !values.header?.mediaId && !!given && !LINK.test(given);
}

/**
 * Why these values cannot be sent with this template (people's words); empty when they can. `files`: the
 * room's files, for a media header named by file.
 */
export function templateProblems(info: TemplateInfo, values: TemplateValues, files?: ReadonlyArray<RoomFile>): string[] {
	const problems: string[] = [];
	if (info.header?.format === 'location') problems.push(t('template_problem_location_header'));
	for (const slot of templateSlots(info)) {
		const value = slotValue(values, slot);
		if (slot.kind === 'header-link' && values.header?.mediaId) continue;
		if (!value) problems.push(t('template_problem_missing', { slot: slot.label }));
		else if (slot.kind === 'header-link') {
			if (!LINK.test(value) && !roomFileNamed(files, value)) problems.push(files ? t('template_problem_no_file', { slot: slot.label, name: value }) : t('template_problem_link', { slot: slot.label }));
		} else if (value.length > MAX_PARAMETER_LENGTH && slot.kind !== 'body') problems.push(t('template_problem_too_long', { slot: slot.label, max: MAX_PARAMETER_LENGTH }));
	}
	for (const [index, value] of Object.entries(values.buttons || {})) {
		if (!value.trim()) continue;
		const button = /^\d+$/.test(index) ? info.buttons[Number(index)] : undefined;
		if (!button) problems.push(t('template_problem_no_button', { number: /^\d+$/.test(index) ? Number(index) + 1 : index }));
		else if (button.parameters.length === 0 && button.type !== 'QUICK_REPLY') problems.push(t('template_problem_button_takes_nothing', { slot: t('template_slot_button', { number: Number(index) + 1, text: button.text }) }));
	}
	const known = new Set(info.bodyParameters);
	const extra = Object.keys(values.body).filter((k) => !known.has(k) && values.body[k]);
	if (extra.length) problems.push(t('template_problem_unknown', { names: extra.map((k) => `{{${k}}}`).join(', ') }));
	if (problems.length) return problems;
	return templateRuleProblems(templateMessage(info, values, files));
}

export function slotValue(values: TemplateValues, slot: TemplateSlot): string {
	const raw = slot.kind === 'body' ? own(values.body, slot.key)
		: slot.kind === 'button' ? own(values.buttons, slot.key)
		: slot.kind === 'code' ? values.code || own(values.body, slot.key)
		: slot.kind === 'header-text' ? values.header?.text : values.header?.link;
	return (raw || '').trim();
}

/** The message to queue: only the values the template takes, trimmed; a media header as link, room file or media id. */
export function templateMessage(info: TemplateInfo, values: TemplateValues, files?: ReadonlyArray<RoomFile>): TemplateMessage {
	const msg: TemplateMessage = { name: info.name, language: info.language, body: {}, info };
	// A quick reply's payload is optional: kept when given.
	for (const [index, value] of Object.entries(values.buttons || {})) {
		if (/^\d+$/.test(index) && value.trim() && info.buttons[Number(index)]?.type === 'QUICK_REPLY') msg.buttons = { ...msg.buttons, [index]: value.trim() };
	}
	for (const slot of templateSlots(info)) {
		const value = slotValue(values, slot);
		if (slot.kind === 'body') msg.body[slot.key] = value;
		else if (slot.kind === 'button') msg.buttons = { ...msg.buttons, [slot.key]: value };
		else if (slot.kind === 'header-text') msg.header = { text: value };
		else if (slot.kind === 'code') {
			msg.body[slot.key] = value;
			info.buttons.forEach((b, i) => {
				if (b.type === 'OTP' || b.type === 'COPY_CODE') msg.buttons = { ...msg.buttons, [String(i)]: value };
			});
		} else if (values.header?.mediaId) msg.header = { mediaId: values.header.mediaId.trim() };
		else if (LINK.test(value)) msg.header = { link: value };
		else {
			const file = roomFileNamed(files, value);
			msg.header = file ? { file } : { link: value };
		}
	}
	return msg;
}

/** A filled template, checked: the message to send, or why it cannot go (the one check every entry point calls). */
export function prepareTemplate(info: TemplateInfo, values: TemplateValues, files?: ReadonlyArray<RoomFile>): { ok: true; message: TemplateMessage } | { ok: false; problems: string[] } {
	const problems = templateProblems(info, values, files);
	return problems.length ? { ok: false, problems } : { ok: true, message: templateMessage(info, values, files) };
}

const fill = (text: string, values: Record<string, string>) => text.replace(PLACEHOLDER, (whole, name: string) => own(values, name) || whole);

/** How a sent template reads in the room (and in notes about it). */
export function renderTemplate(msg: TemplateMessage): string {
	const { info } = msg;
	const lines: string[] = [];
	if (info.header?.format === 'text') lines.push(`*${fill(info.header.text || '', msg.header?.text ? { [info.header.parameters[0]]: msg.header.text } : {})}*`);
	else if (info.header && msg.header) {
		const media = msg.header.link || msg.header.file?.name || (msg.header.mediaId && `#${msg.header.mediaId}`);
		if (media) lines.push(`${t(`template_header_${info.header.format}`)}: ${media}`);
	}
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
