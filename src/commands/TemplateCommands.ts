import { formatUtc } from '../core/clock';
import { Log } from '../core/log';
import { ProviderDirectory } from '../core/ports/provider';
import { TemplateInfo } from '../core/ports/templates';
import { describeTemplate, sendableTemplates, templateMessage, templateProblems, templateSlots, TemplateValues } from '../core/templates';
import { TemplateService } from '../core/TemplateService';
import { t } from '../i18n/translate';
import { fillView } from '../uikit/TemplatePicker';
import { TemplateInteractions } from '../uikit/TemplateInteractions';
import { CommandContext } from './context';

/** `/whatsapp templates [refresh]` and `/whatsapp template [<name> [language] [params…]]`, in a WhatsApp room. */
export class TemplateCommands {
	private readonly ui: TemplateInteractions;

	constructor(appId: string, providers: ProviderDirectory, log: Log) {
		this.ui = new TemplateInteractions(appId, providers, log);
	}

	/** The number's approved templates with what each one takes; `refresh` asks the provider again. */
	public async list(c: CommandContext): Promise<void> {
		const refresh = (c.args[0] || '').toLowerCase() === 'refresh';
		if (c.args.length > 0 && !refresh) return c.reply(t('templates_usage'));
		const where = await this.ui.room(c, c.ctx.getRoom().id, c.ctx.getSender());
		if (!where.ok) return c.reply(where.text);
		const list = await new TemplateService(where.deps).list(where.instance, refresh);
		if (!list.ok) return c.reply(t('templates_unavailable', { reason: list.reason }));
		const sendable = sendableTemplates(list.templates);
		const others = list.templates.filter((i) => !sendable.includes(i)).map((i) => `${i.name} (${i.language}): ${i.status}`);
		await c.reply([
			t('templates_title', { count: sendable.length, fetched: formatUtc(list.fetchedAt) }),
			...(sendable.length ? sendable.map(describeTemplate) : [t('templates_none')]),
			...(others.length ? [t('templates_not_approved', { list: others.join(', ') })] : []),
			t('templates_hint'),
		].join('\n'));
	}

	/** Sends one from the command line; without arguments (or parameters it needs) opens the picker. */
	public async send(c: CommandContext): Promise<void> {
		const room = c.ctx.getRoom();
		const user = c.ctx.getSender();
		const triggerId = c.ctx.getTriggerId();
		if (c.args.length === 0) {
			if (!triggerId) return c.reply(t('template_usage'));
			await c.modify.getUiController().openModalView((await this.ui.picker(c, room.id, user)) as never, { triggerId }, user);
			return;
		}
		const where = await this.ui.room(c, room.id, user);
		if (!where.ok) return c.reply(where.text);
		const list = await new TemplateService(where.deps).list(where.instance);
		if (!list.ok) return c.reply(t('templates_unavailable', { reason: list.reason }));
		const parsed = parseTemplateArguments(c.args, list.templates);
		if (!parsed.ok) return c.reply(parsed.error);
		const { info, values, given } = parsed;
		// The template takes parameters and none were given: fill them in the picker.
		if (!given && templateSlots(info).length > 0 && triggerId) {
			await c.modify.getUiController().openModalView(fillView(room.id, info) as never, { triggerId }, user);
			return;
		}
		const problems = templateProblems(info, values);
		if (problems.length) return c.reply([t('template_not_sent', { name: info.name }), ...problems.map((p) => `• ${p}`), t('template_usage')].join('\n'));
		const sent = await new TemplateService(where.deps).send(where.contact, room.id, templateMessage(info, values), { senderId: user.id });
		if (!sent.ok) return c.reply(`⚠️ ${sent.reason}`);
		const outcome = sent.outcome;
		if (outcome.status === 'sent') return c.reply(`✅ ${t('template_sent', { name: info.name, language: info.language })}`);
		if (outcome.status === 'queued') return c.reply(`⏳ ${t('template_queued', { name: info.name, reason: outcome.reason })}`);
		return c.reply(`⚠️ ${t('template_failed', { name: info.name, reason: outcome.reason })}`);
	}
}

export type ParsedTemplateArguments = { ok: true; info: TemplateInfo; values: TemplateValues; given: boolean } | { ok: false; error: string };

/**
 * `<name> [language] [value | key=value …]`: plain values fill the body parameters in order; `key=value`
 * names one (`first_name=Ann`, `2=…`), `header=` the header text or media link, `buttonN=` the N-th
 * button's parameter. "Double quotes" keep spaces together.
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
