import { parseButtons, parseList } from '../core/interactive';
import { InteractiveService } from '../core/InteractiveService';
import { Log } from '../core/log';
import { InteractiveKind } from '../core/ports/interactive';
import { ProviderDirectory } from '../core/ports/provider';
import { t } from '../i18n/translate';
import { InteractiveComposer, interactiveOutcomeText } from '../uikit/InteractiveComposer';
import { TemplateInteractions } from '../uikit/TemplateInteractions';
import { CommandContext } from './context';

/**
 * `/whatsapp buttons <question> | <button> | <button> [| <button>]` and
 * `/whatsapp list <question> | <list button> | [# <section> |] <row> [-- <description>] | …`, in a
 * WhatsApp room; without arguments (Rocket.Chat's client) the composer modal opens.
 */
export class InteractiveCommands {
	private readonly composer: InteractiveComposer;
	private readonly rooms: TemplateInteractions;

	constructor(appId: string, providers: ProviderDirectory, log: Log) {
		this.composer = new InteractiveComposer(appId, providers, log);
		this.rooms = new TemplateInteractions(appId, providers, log);
	}

	public async send(c: CommandContext, kind: InteractiveKind): Promise<void> {
		const room = c.ctx.getRoom();
		const user = c.ctx.getSender();
		const usage = t(kind === 'buttons' ? 'buttons_usage' : 'list_usage');
		if (c.args.length === 0) {
			const triggerId = c.ctx.getTriggerId();
			if (!triggerId) return c.reply(usage);
			await c.modify.getUiController().openModalView((await this.composer.open(c, room.id, user, kind)) as never, { triggerId }, user);
			return;
		}
		const parsed = kind === 'buttons' ? parseButtons(c.args.join(' ')) : parseList(c.args.join(' '));
		if (!parsed.ok) return c.reply([t('interactive_not_sent'), ...parsed.problems.map((p) => `• ${p}`), usage].join('\n'));
		const where = await this.rooms.room(c, room.id, user);
		if (!where.ok) return c.reply(where.text);
		const sent = await new InteractiveService(where.deps).send(where.instance, where.contact, room.id, parsed.message, { senderId: user.id });
		await c.reply(interactiveOutcomeText(sent));
	}
}
