import { randomBytes } from 'crypto';
import { formatUtc } from '../core/clock';
import { Log } from '../core/log';
import { ProviderDirectory } from '../core/ports/provider';
import { describeTemplate, prepareTemplate, sendableTemplates, templateSlots } from '../core/templates';
import { marketingRefusal, TemplateService } from '../core/TemplateService';
import { t } from '../i18n/translate';
import { parseTemplateArguments } from '../uikit/templateArguments';
import { TemplateInteractions } from '../uikit/TemplateInteractions';
import { CommandContext } from './context';

export { parseTemplateArguments, tokenize } from '../uikit/templateArguments';
export type { ParsedTemplateArguments } from '../uikit/templateArguments';

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

	/**
	 * Sends one from the command line; without arguments (or parameters it needs) opens the picker. With a
	 * triggerId (Rocket.Chat's client) the modal must open within 5 s, so the list comes from the cache then
	 * and a picker without one opens in its loading step with these arguments.
	 */
	public async send(c: CommandContext): Promise<void> {
		const room = c.ctx.getRoom();
		const user = c.ctx.getSender();
		const triggerId = c.ctx.getTriggerId();
		const openPicker = async (args?: string) => {
			await c.modify.getUiController().openModalView((await this.ui.picker(c, room.id, user, args)) as never, { triggerId: triggerId! }, user);
		};
		if (c.args.length === 0) {
			if (!triggerId) return c.reply(t('template_usage'));
			return openPicker();
		}
		const where = await this.ui.room(c, room.id, user);
		if (!where.ok) return c.reply(where.text);
		let templates;
		if (triggerId) {
			const cached = await this.ui.cachedList(c, where);
			if (!cached.ok) return c.reply(cached.text);
			if (!cached.templates) return openPicker(c.args.join(' '));
			templates = cached.templates;
		} else {
			const list = await new TemplateService(where.deps).list(where.instance);
			if (!list.ok) return c.reply(t('templates_unavailable', { reason: list.reason }));
			templates = list.templates;
		}
		const parsed = parseTemplateArguments(c.args, templates);
		if (!parsed.ok) return c.reply(parsed.error);
		const { info, values, given } = parsed;
		const refused = marketingRefusal(where.contact, info);
		if (refused) return c.reply(`⚠️ ${t('template_not_sent', { name: info.name })}\n• ${refused}`);
		// The template takes parameters and none were given: fill them in the picker.
		if (!given && templateSlots(info).length > 0 && triggerId) return openPicker(c.args.join(' '));
		const prepared = prepareTemplate(info, values, await this.ui.roomFiles(where, info, values));
		if (!prepared.ok) return c.reply([t('template_not_sent', { name: info.name }), ...prepared.problems.map((p) => `• ${p}`), t('template_usage')].join('\n'));
		const file = prepared.message.header?.file;
		if (file) {
			// A room file goes to the provider's media upload first: in the picker's send job, not in this command's time.
			const job = { viewId: `cmd-${randomBytes(8).toString('hex')}`, roomId: room.id, userId: user.id, name: info.name, language: info.language, values };
			await this.ui.queueSend(c, where.deps, job);
			return c.reply(`⏳ ${t('template_sending_file', { name: info.name, language: info.language, file: file.name })}`);
		}
		const sent = await new TemplateService(where.deps).send(where.contact, room.id, prepared.message, { senderId: user.id });
		if (!sent.ok) return c.reply(`⚠️ ${sent.reason}`);
		const outcome = sent.outcome;
		if (outcome.status === 'sent') return c.reply(`✅ ${t('template_sent', { name: info.name, language: info.language })}`);
		if (outcome.status === 'queued') return c.reply(`⏳ ${t('template_queued', { name: info.name, reason: outcome.reason })}`);
		return c.reply(`⚠️ ${t('template_failed', { name: info.name, reason: outcome.reason })}`);
	}
}
