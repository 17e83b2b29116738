import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { errorText } from '../core/failures';
import { Log } from '../core/log';
import { ProviderDirectory } from '../core/ports/provider';
import { t } from '../i18n/translate';
import { withLog } from '../rocketchat/appLog';
import { Accessors, notifyUser } from '../rocketchat/RocketChatAdapter';
import { AdminCommands } from './AdminCommands';
import { AgentCommands } from './AgentCommands';
import { TemplateCommands } from './TemplateCommands';
import { InteractiveCommands } from './InteractiveCommands';
import { CommandContext, hasRole, Role } from './context';
import { menuCommand } from './MenuCommand';
import { costsCommand } from './CostCommands';
import { startCommand } from './StartCommand';

interface Subcommand {
	role: Role;
	run(c: CommandContext): Promise<void>;
}

/** `/whatsapp …`: every answer is ephemeral (only the caller sees it). */
export class WhatsappCommand implements ISlashCommand {
	public command = 'whatsapp';
	public i18nParamsExample = 'command_params';
	public i18nDescription = 'command_description';
	public providesPreview = false;

	constructor(private readonly app: IApp, private readonly providers: ProviderDirectory) {}

	public async executor(ctx: SlashCommandContext, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<void> {
		await withLog(this.app, (log) => this.run(ctx, { read, modify, http, persis }, log));
	}

	private async run(ctx: SlashCommandContext, { read, modify, http, persis }: Accessors, log: Log): Promise<void> {
		const reply = (text: string) => notifyUser(read, modify, ctx.getSender(), ctx.getRoom(), text);
		const [first, ...rest] = ctx.getArguments().map((a) => a.trim()).filter(Boolean);
		const name = (first || 'help').toLowerCase();
		const admin = new AdminCommands(this.app, this.providers);
		const agent = new AgentCommands(this.app.getID(), this.providers);
		const interactive = new InteractiveCommands(this.app.getID(), this.providers, log);
		const templates = new TemplateCommands(this.app.getID(), this.providers, log);
		// A Map, not an object literal: `/whatsapp constructor` must not find Object.prototype's members.
		const subcommands = new Map<string, Subcommand>([
			['help', { role: 'agent', run: (c) => c.reply(helpText(ctx.getSender().roles)) }],
			['info', { role: 'agent', run: (c) => agent.info(c) }],
			['ask-number', { role: 'agent', run: (c) => agent.askNumber(c) }],
			['templates', { role: 'agent', run: (c) => templates.list(c) }],
			['template', { role: 'agent', run: (c) => templates.send(c) }],
			['buttons', { role: 'agent', run: (c) => interactive.send(c, 'buttons') }],
			['list', { role: 'agent', run: (c) => interactive.send(c, 'list') }],
			['status', { role: 'manager', run: (c) => admin.status(c) }],
			['instance', { role: 'admin', run: (c) => admin.instance(c) }],
			['menu', { role: 'admin', run: (c) => menuCommand(c, this.providers) }],
			['costs', { role: 'admin', run: (c) => costsCommand(c, this.providers, log) }],
			['start', { role: 'agent', run: (c) => startCommand(c, this.providers, log) }],
		]);
		const sub = subcommands.get(name);
		if (!sub) return reply(t('command_unknown', { name: shownName(name) }) + '\n' + helpText(ctx.getSender().roles));
		if (!hasRole(ctx.getSender().roles, sub.role)) return reply(t('command_not_allowed', { name, role: t(`role_${sub.role}`) }));
		try {
			await sub.run({ args: rest, ctx, read, modify, http, persis, reply });
		} catch (e) {
			log.error(`/whatsapp ${name}: ${errorText(e)}`);
			await reply(t('command_failed', { reason: errorText(e) }));
		}
	}
}

/** An unknown subcommand as echoed back: what the user typed, bounded, without controls or markup characters. */
function shownName(name: string): string {
	const cleaned = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff`*_~<>[\]()|\\]/g, '');
	const chars = Array.from(cleaned);
	return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : cleaned;
}

function helpText(roles: string[] | undefined): string {
	const lines = [t('help_title'), t('help_info'), t('help_ask_number'), t('help_start'), t('help_templates'), t('help_template'), t('help_buttons'), t('help_list'), t('help_help')];
	if (hasRole(roles, 'manager')) lines.push(t('help_status'));
	if (hasRole(roles, 'admin')) {
		lines.push(t('help_instance_add'), t('help_instance_list'), t('help_instance_remove'), t('help_instance_department'), t('help_instance_rate'), t('help_instance_sync_url'), t('help_instance_qr'), t('help_menu'), t('help_costs'));
	}
	return lines.join('\n');
}
