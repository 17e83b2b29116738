import {
	IAppAccessors, IConfigurationExtend, IConfigurationModify, IEnvironmentRead, IHttp, ILogger, IModify, IPersistence, IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { ILivechatRoom, IPostLivechatRoomClosed } from '@rocket.chat/apps-engine/definition/livechat';
import { RoomTypeFilter, UIActionButtonContext } from '@rocket.chat/apps-engine/definition/ui';
import {
	IUIKitInteractionHandler, IUIKitResponse, UIKitActionButtonInteractionContext, UIKitBlockInteractionContext, UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import {
	IMessage, IMessageDeleteContext, IMessageReactionContext, IPostMessageDeleted, IPostMessageReacted, IPostMessageSent, IPostMessageUpdated,
} from '@rocket.chat/apps-engine/definition/messages';
import { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { WhatsappCommand } from './src/commands/WhatsappCommand';
import { coreDeps } from './src/compose';
import { requestCatchUp } from './src/core/CatchUpService';
import { RoomClosedHandler } from './src/core/RoomClosedHandler';
import { Log, setLogLevel } from './src/core/log';
import { OutboundService } from './src/core/OutboundService';
import { HealthEndpoint } from './src/endpoints/HealthEndpoint';
import { SidebarIconEndpoint } from './src/endpoints/SidebarIconEndpoint';
import { TemplateMessageEndpoint } from './src/endpoints/TemplateMessageEndpoint';
import { WebhookEndpoint } from './src/endpoints/WebhookEndpoint';
import { setLanguage } from './src/i18n/translate';
import { processors, TICK_INTERVAL, TICK_JOB } from './src/jobs/processors';
import { availableProviders } from './src/providers/available';
import { ProviderRegistry } from './src/providers/registry';
import { AgentActions } from './src/core/AgentActions';
import { errorText } from './src/core/failures';
import { isAgentMessageForUs, isNewAgentMessageForUs, isOurRoom, isPerson, messageAuthor, toAgentMessage } from './src/rocketchat/agentMessages';
import { registerOutboundProvider } from './src/endpoints/OutboundPhoneProvider';
import { provideSettings, readBotMessages, readOutboundWizard, Setting } from './src/rocketchat/settings';
import { millisOf } from './src/rocketchat/boundary';
import { withLog, withLogs } from './src/rocketchat/appLog';
import { Accessors } from './src/rocketchat/RocketChatAdapter';
import { SEND_BUTTONS_BUTTON, SEND_LIST_BUTTON, SEND_TEMPLATE_BUTTON } from './src/rocketchat/uikitIds';
import { TemplateInteractions } from './src/uikit/TemplateInteractions';
import { InteractiveComposer, isComposerView } from './src/uikit/InteractiveComposer';

/** Wiring only: settings, endpoints, jobs, the command and event hooks delegate to src/. */
export class GreenApiBridgeApp extends App
	implements IPostMessageSent, IPostMessageUpdated, IPostMessageDeleted, IPostMessageReacted, IPostLivechatRoomClosed, IUIKitInteractionHandler {
	// Provider settings are read from the app's settings when a provider needs them (in-process, no bridge call).
	private readonly providers = new ProviderRegistry(
		availableProviders({ cloudSignaturePolicy: async () => settingValue(await this.getAccessors().environmentReader.getSettings().getById(Setting.CloudSignaturePolicy)) }),
	);

	constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
		super(info, logger, accessors);
	}

	protected async extendConfiguration(configuration: IConfigurationExtend, environment: IEnvironmentRead): Promise<void> {
		await provideSettings(configuration);
		await configuration.api.provideApi({
			visibility: ApiVisibility.PUBLIC,
			security: ApiSecurity.UNSECURE,
			endpoints: [
				...this.providers.all().map((p) => new WebhookEndpoint(this, p, this.providers)),
				new HealthEndpoint(this),
				new SidebarIconEndpoint(this),
				new TemplateMessageEndpoint(this, this.providers),
			],
		});
		// "Send template" in livechat rooms' menu (the handler checks the room is a WhatsApp room of ours).
		await configuration.ui?.registerButton?.({
			actionId: SEND_TEMPLATE_BUTTON,
			context: UIActionButtonContext.ROOM_ACTION,
			labelI18n: 'action_send_template',
			when: { roomTypes: [RoomTypeFilter.LIVE_CHAT], hasOneRole: ['livechat-agent', 'livechat-manager', 'admin'] },
		});
		// "Send reply buttons" / "Send a list": the interactive composer, for the same people.
		const agentsInLivechat = { roomTypes: [RoomTypeFilter.LIVE_CHAT], hasOneRole: ['livechat-agent', 'livechat-manager', 'admin'] };
		await configuration.ui?.registerButton?.({ actionId: SEND_BUTTONS_BUTTON, context: UIActionButtonContext.ROOM_ACTION, labelI18n: 'action_send_buttons', when: agentsInLivechat });
		await configuration.ui?.registerButton?.({ actionId: SEND_LIST_BUTTON, context: UIActionButtonContext.ROOM_ACTION, labelI18n: 'action_send_list', when: agentsInLivechat });
		const applySettings = (read: IRead) => applyProcessSettings(read.getEnvironmentReader().getSettings());
		const jobs = [...processors(this.providers, applySettings), ...this.templateUi(new Log()).processors(applySettings), ...this.composer(new Log()).processors(applySettings)];
		await configuration.scheduler.registerProcessors(withLogs(this, jobs));
		// Rocket.Chat's "Outbound message" wizard: engines that offer the provider interface, when the admin asks.
		const outbound = await registerOutboundProvider(configuration, this, this.providers, await readOutboundWizard(environment));
		this.getLogger().debug(`outbound-message provider: ${outbound}`);
		// Last: the engine keeps an app's slash command when an admin disables it and refuses it as "already
		// exists" when the app is enabled again, which would skip anything registered after it.
		try {
			await configuration.slashCommands.provideSlashCommand(new WhatsappCommand(this, this.providers));
		} catch (e) {
			this.getLogger().debug(`/whatsapp kept from before: ${errorText(e)}`);
		}
	}

	public async onEnable(environment: IEnvironmentRead, configurationModify: IConfigurationModify): Promise<boolean> {
		await applyProcessSettings(environment.getSettings());
		// Agent messages written while the app was not running are sent by the next tick.
		requestCatchUp();
		// Re-assert the recurring job (one job for everything; harmless when it exists).
		await configurationModify.scheduler.scheduleRecurring({ id: TICK_JOB, interval: TICK_INTERVAL, skipImmediate: true });
		return true;
	}

	public async onSettingUpdated(setting: ISetting, _m: IConfigurationModify, _read: IRead, _http: IHttp): Promise<void> {
		if (setting.id === Setting.NoticeLanguage) setLanguage(setting.value);
		if (setting.id === Setting.LogLevel) setLogLevel(setting.value);
	}

	public async checkPostMessageSent(message: IMessage, read: IRead): Promise<boolean> {
		return isNewAgentMessageForUs(message, this.getID(), await this.botsSend(message, read));
	}

	public async executePostMessageSent(message: IMessage, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<void> {
		if (!isNewAgentMessageForUs(message, this.getID(), await this.botsSend(message, read))) return;
		await withLog(this, (log) => new OutboundService(coreDeps({ read, modify, http, persis }, this.providers, log)).send(toAgentMessage(message)));
	}

	/** A bot's or another app's message goes to WhatsApp when the setting says so (read for such messages only). */
	private async botsSend(message: IMessage, read: IRead): Promise<boolean> {
		return messageAuthor(message, this.getID()) === 'bot' && (await readBotMessages(read));
	}

	// Agent actions on WhatsApp messages (issue 12). Every engine the app supports (1.46+) dispatches these
	// three events; an engine without one would simply never call it.

	public async checkPostMessageUpdated(message: IMessage, read: IRead): Promise<boolean> {
		return isAgentMessageForUs(message, this.getID(), await this.botsSend(message, read)) && !!message.editedAt;
	}

	public async executePostMessageUpdated(message: IMessage, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<void> {
		if (!isAgentMessageForUs(message, this.getID(), await this.botsSend(message, read)) || !message.editedAt) return;
		const m = toAgentMessage(message);
		await this.agentActions({ read, modify, http, persis }, (actions) => actions.edit({
			roomId: m.roomId, messageId: m.id, text: m.text, hasFile: !!m.file, createdAt: millisOf(message.createdAt), editedAt: millisOf(message.editedAt),
		}));
	}

	public async checkPostMessageDeleted(message: IMessage, _read: IRead, _http: IHttp, context: IMessageDeleteContext): Promise<boolean> {
		return isDeletedByAgent(message, context, this.getID());
	}

	public async executePostMessageDeleted(message: IMessage, read: IRead, http: IHttp, persis: IPersistence, modify: IModify, context: IMessageDeleteContext): Promise<void> {
		if (!isDeletedByAgent(message, context, this.getID())) return;
		await this.agentActions({ read, modify, http, persis }, (actions) => actions.delete({ roomId: message.room.id, messageId: message.id! }));
	}

	public async executePostMessageReacted(context: IMessageReactionContext, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<void> {
		// The app's own reactions (delivery states) and visitors never go to WhatsApp.
		if (!isPerson(context.user) || !context.message?.id || !isOurRoom(context.message.room, this.getID())) return;
		const reaction = { roomId: context.message.room.id, messageId: context.message.id, reaction: context.reaction, added: context.isReacted };
		await this.agentActions({ read, modify, http, persis }, (actions) => actions.react(reaction));
	}

	private agentActions(accessors: Accessors, act: (actions: AgentActions) => Promise<void>): Promise<void> {
		return withLog(this, (log) => act(new AgentActions(coreDeps(accessors, this.providers, log))));
	}

	public async executeBlockActionHandler(context: UIKitBlockInteractionContext, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<IUIKitResponse> {
		return withLog(this, (log) => this.templateUi(log).blockAction(context, { read, http, persis, modify }));
	}

	public async executeActionButtonHandler(context: UIKitActionButtonInteractionContext, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<IUIKitResponse> {
		const actionId = context.getInteractionData().actionId;
		return withLog(this, (log) => {
			if (actionId === SEND_BUTTONS_BUTTON || actionId === SEND_LIST_BUTTON) return this.composer(log).actionButton(context, { read, http, persis, modify });
			return this.templateUi(log).actionButton(context, { read, http, persis, modify });
		});
	}

	public async executeViewSubmitHandler(context: UIKitViewSubmitInteractionContext, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<IUIKitResponse> {
		const composer = isComposerView(context.getInteractionData().view?.id);
		return withLog(this, (log) => (composer ? this.composer(log) : this.templateUi(log)).viewSubmit(context, { read, http, persis, modify }));
	}

	private composer(log: Log): InteractiveComposer {
		return new InteractiveComposer(this.getID(), this.providers, log);
	}

	private templateUi(log: Log): TemplateInteractions {
		return new TemplateInteractions(this.getID(), this.providers, log);
	}

	public async executePostLivechatRoomClosed(room: ILivechatRoom, read: IRead, http: IHttp, persis: IPersistence, modify?: IModify): Promise<void> {
		if (!modify) return;
		await withLog(this, (log) => new RoomClosedHandler(coreDeps({ read, modify, http, persis }, this.providers, log)).roomClosed(room.id));
	}
}

/** A person deleted a customer's or an agent's message (not one of the app's notes) in one of our rooms. */
function isDeletedByAgent(message: IMessage, context: IMessageDeleteContext | undefined, appId: string): boolean {
	if (!message?.id || !isOurRoom(message.room, appId) || !isPerson(context?.user)) return false;
	return !!(message as { token?: string }).token || isPerson(message.sender);
}

/** The notice language and log level, kept per app process (module caches): applied at enable, on change, and by every job run. */
async function applyProcessSettings(settings: { getById(id: string): Promise<ISetting> }): Promise<void> {
	setLanguage((await settings.getById(Setting.NoticeLanguage))?.value);
	setLogLevel((await settings.getById(Setting.LogLevel))?.value);
}

/** A setting's value, or its package value while the admin never saved it. */
function settingValue(setting: ISetting | undefined): unknown {
	return setting?.value ?? setting?.packageValue;
}
