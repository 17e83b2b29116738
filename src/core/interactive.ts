import { t } from '../i18n/translate';
import { InteractiveMessage, InteractiveOption, InteractiveSection } from './ports/interactive';

// Reply buttons and lists as data: WhatsApp's limits, the agent's one-line syntax, how a message reads
// in the room and as a numbered text (where the provider cannot send buttons), and reading a typed
// answer back as the customer's choice. The command, the modal and the outbox all go through these.

/**
 * Meta's limits (Cloud API "interactive reply buttons" and "interactive list messages" references,
 * 2025–2026). Sources disagree on a list's body (4096 in Meta's list page, 1024 in its buttons page and
 * most BSPs): the shorter one is taken for both. GREEN-API allows more (button text ≤ 25): the same
 * limits everywhere keep one message valid on every provider.
 */
export const INTERACTIVE_LIMITS = {
	body: 1024,
	header: 60,
	footer: 60,
	buttons: 3,
	buttonTitle: 20,
	listButton: 20,
	rows: 10,
	sections: 10,
	rowTitle: 24,
	rowDescription: 72,
	sectionTitle: 24,
} as const;

/** How long a numbered question waits for its typed answer. */
export const QUESTION_TTL_MS = 24 * 60 * 60_000;

const L = INTERACTIVE_LIMITS;
/** Characters as WhatsApp counts them (code points, an emoji is one). */
const length = (s: string) => Array.from(s).length;

/** Every option of the message, in order (buttons, or the rows of every section). */
export function optionsOf(msg: InteractiveMessage): InteractiveOption[] {
	return msg.kind === 'buttons' ? msg.buttons : msg.sections.flatMap((s) => s.rows);
}

/** Why WhatsApp would refuse this message (people's words); empty when it can go. */
export function interactiveProblems(msg: InteractiveMessage): string[] {
	const problems: string[] = [];
	const tooLong = (what: string, value: string | undefined, max: number) => {
		if (value !== undefined && length(value) > max) problems.push(t('interactive_problem_too_long', { what, max, length: length(value) }));
	};
	if (!msg.body.trim()) problems.push(t('interactive_problem_no_body'));
	tooLong(t('interactive_part_body'), msg.body, L.body);
	tooLong(t('interactive_part_header'), msg.header, L.header);
	tooLong(t('interactive_part_footer'), msg.footer, L.footer);
	const options = optionsOf(msg);
	if (msg.kind === 'buttons') {
		if (options.length < 1 || options.length > L.buttons) problems.push(t('interactive_problem_button_count', { max: L.buttons, count: options.length }));
		for (const b of options) tooLong(t('interactive_part_button', { title: b.title }), b.title, L.buttonTitle);
	} else {
		if (!msg.button.trim()) problems.push(t('interactive_problem_no_list_button'));
		tooLong(t('interactive_part_list_button'), msg.button, L.listButton);
		if (options.length < 1 || options.length > L.rows) problems.push(t('interactive_problem_row_count', { max: L.rows, count: options.length }));
		if (msg.sections.length > L.sections) problems.push(t('interactive_problem_section_count', { max: L.sections }));
		if (msg.sections.length > 1 && msg.sections.some((s) => !s.title?.trim())) problems.push(t('interactive_problem_section_title'));
		for (const s of msg.sections) tooLong(t('interactive_part_section', { title: s.title || '' }), s.title, L.sectionTitle);
		for (const r of options) {
			tooLong(t('interactive_part_row', { title: r.title }), r.title, L.rowTitle);
			tooLong(t('interactive_part_row_description', { title: r.title }), r.description, L.rowDescription);
		}
	}
	if (options.some((o) => !o.title.trim())) problems.push(t('interactive_problem_empty_option'));
	const titles = options.map((o) => o.title.trim().toLowerCase());
	if (new Set(titles).size !== titles.length) problems.push(t('interactive_problem_duplicate'));
	return problems;
}

/** Options get short ids of their own (what WhatsApp hands back with the choice): b1…, r1…. */
const option = (prefix: string, i: number, title: string, description?: string): InteractiveOption => ({
	id: `${prefix}${i + 1}`,
	title: title.trim(),
	...(description?.trim() ? { description: description.trim() } : {}),
});

/** Splits on `|`, each part trimmed and unquoted ("Question?" → Question?). */
function parts(line: string): string[] {
	return line.split('|').map((p) => p.trim().replace(/^"(.*)"$/s, '$1').replace(/^“(.*)”$/s, '$1').trim());
}

export type ParsedInteractive = { ok: true; message: InteractiveMessage } | { ok: false; problems: string[] };

/** `Question? | Yes | No` → reply buttons. */
export function parseButtons(line: string): ParsedInteractive {
	const [body, ...titles] = parts(line);
	if (!body || titles.length === 0) return { ok: false, problems: [] };
	return checked({ kind: 'buttons', body, buttons: titles.map((title, i) => option('b', i, title)) });
}

/** A row's title and description: `Express -- 1-2 days` (also `—`). */
function row(text: string, i: number): InteractiveOption {
	const m = /^(.*?)\s+(?:--|—)\s+(.*)$/s.exec(text);
	return m ? option('r', i, m[1], m[2]) : option('r', i, text);
}

/** `Question? | Button label | # Section | Row -- description | Row …` → a list (a `#` part starts a section). */
export function parseList(line: string): ParsedInteractive {
	const [body, button, ...items] = parts(line);
	if (!body || !button || items.length === 0) return { ok: false, problems: [] };
	return checked(listMessage(body, button, items));
}

/** List rows as written one per part or line (`# Section` starts a section). */
export function listMessage(body: string, button: string, items: string[]): InteractiveMessage {
	const sections: InteractiveSection[] = [];
	let rows = 0;
	for (const item of items.map((s) => s.trim()).filter(Boolean)) {
		if (item.startsWith('#')) {
			sections.push({ title: item.replace(/^#+/, '').trim(), rows: [] });
			continue;
		}
		if (sections.length === 0) sections.push({ rows: [] });
		sections[sections.length - 1].rows.push(row(item, rows++));
	}
	return { kind: 'list', body, button, sections: sections.filter((s) => s.rows.length > 0 || !s.title) };
}

/** Reply buttons from a body and one title per line. */
export function buttonsMessage(body: string, titles: string[]): InteractiveMessage {
	return { kind: 'buttons', body, buttons: titles.map((s) => s.trim()).filter(Boolean).map((title, i) => option('b', i, title)) };
}

function checked(message: InteractiveMessage): ParsedInteractive {
	const problems = interactiveProblems(message);
	return problems.length ? { ok: false, problems } : { ok: true, message };
}

/** How the message reads in the room (what the agent sent). */
export function renderInteractive(msg: InteractiveMessage): string {
	const lines: string[] = [];
	if (msg.header) lines.push(`*${msg.header}*`);
	lines.push(msg.body);
	if (msg.footer) lines.push(`_${msg.footer}_`);
	if (msg.kind === 'buttons') lines.push(msg.buttons.map((b) => `🔘 ${b.title}`).join('  '));
	else {
		lines.push(`📋 ${msg.button}`);
		for (const s of msg.sections) {
			if (s.title) lines.push(`*${s.title}*`);
			for (const r of s.rows) lines.push(`• ${r.title}${r.description ? ` — ${r.description}` : ''}`);
		}
	}
	return lines.join('\n');
}

/** The message as a numbered text, for providers without buttons: the customer answers with a number or a title. */
export function numberedText(msg: InteractiveMessage): string {
	const lines: string[] = [];
	if (msg.header) lines.push(`*${msg.header}*`);
	lines.push(msg.body, '');
	let n = 0;
	if (msg.kind === 'buttons') for (const b of msg.buttons) lines.push(`${++n}. ${b.title}`);
	else {
		for (const s of msg.sections) {
			if (s.title) lines.push(`*${s.title}*`);
			for (const r of s.rows) lines.push(`${++n}. ${r.title}${r.description ? ` — ${r.description}` : ''}`);
		}
	}
	if (msg.footer) lines.push('', `_${msg.footer}_`);
	lines.push('', t('interactive_numbered_hint'));
	return lines.join('\n');
}

const normalize = (s: string) => s.normalize('NFKC').trim().replace(/[.!?)\s]+$/u, '').replace(/\s+/g, ' ').toLowerCase();

/** The option a typed answer names: its number ("1", "1.") or its title (any case); else undefined. */
export function matchAnswer(options: ReadonlyArray<Pick<InteractiveOption, 'id' | 'title'>>, text: string): Pick<InteractiveOption, 'id' | 'title'> | undefined {
	const answer = normalize(text);
	if (!answer) return undefined;
	if (/^\d{1,2}$/.test(answer)) return options[Number(answer) - 1];
	return options.find((o) => normalize(o.title) === answer);
}
