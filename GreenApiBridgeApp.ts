import {
	IAppAccessors, IConfigurationExtend, IConfigurationModify, IEnvironmentRead, IHttp, ILogger, IModify, IPersistence, IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { ILivechatRoom, IPostLivechatRoomClosed } from '@rocket.chat/apps-engine/definition/livechat';
import { IMessage, IPostMessageSent } from '@rocket.chat/apps-engine/definition/messages';
import { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { WhatsappCommand } from './src/commands/WhatsappCommand';
import { coreDeps } from './src/compose';
import { ConversationService } from './src/core/ConversationService';
import { Log, setLogLevel } from './src/core/log';
import { OutboundService } from './src/core/OutboundService';
import { HealthEndpoint } from './src/endpoints/HealthEndpoint';
import { SidebarIconEndpoint } from './src/endpoints/SidebarIconEndpoint';
import { WebhookEndpoint } from './src/endpoints/WebhookEndpoint';
import { setLanguage } from './src/i18n/translate';
import { processors, TICK_INTERVAL, TICK_JOB } from './src/jobs/processors';
import { CloudProvider } from './src/providers/cloud/CloudProvider';
import { SignaturePolicy } from './src/providers/cloud/signature';
import { Dialog360Provider } from './src/providers/dialog360/Dialog360Provider';
import { GreenApiProvider } from './src/providers/greenapi/GreenApiProvider';
import { ProviderRegistry } from './src/providers/registry';
import { isAgentMessageForUs, toAgentMessage } from './src/rocketchat/agentMessages';
import { provideSettings, Setting } from './src/settings';

/** Wiring only: settings, endpoints, jobs, the command and event hooks delegate to src/. */
export class GreenApiBridgeApp extends App implements IPostMessageSent, IPostLivechatRoomClosed {
	/** What a Cloud API webhook whose signature does not match does (an app setting; default: count and log only). */
	private signaturePolicy: SignaturePolicy = 'log';

	// Every call into the app has 30 s in all (APPS_ENGINE_RUNTIME_TIMEOUT): provider calls must end well before.
	private readonly providers = new ProviderRegistry([
		new GreenApiProvider({ timeoutMs: 10_000, uploadTimeoutMs: 25_000, downloadTimeoutMs: 25_000 }),
		new CloudProvider({ timeoutMs: 10_000, uploadTimeoutMs: 25_000, downloadTimeoutMs: 25_000, signaturePolicy: () => this.signaturePolicy }),
		new Dialog360Provider({ timeoutMs: 10_000, uploadTimeoutMs: 25_000, downloadTimeoutMs: 25_000 }),
	]);

	constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
		super(info, logger, accessors);
	}

	protected async extendConfiguration(configuration: IConfigurationExtend, _env: IEnvironmentRead): Promise<void> {
		await provideSettings(configuration);
		await configuration.api.provideApi({
			visibility: ApiVisibility.PUBLIC,
			security: ApiSecurity.UNSECURE,
			endpoints: [
				...this.providers.all().map((p) => new WebhookEndpoint(this, p, this.providers)),
				new HealthEndpoint(this),
				new SidebarIconEndpoint(this),
			],
		});
		await configuration.scheduler.registerProcessors(processors(this.providers));
		await configuration.slashCommands.provideSlashCommand(new WhatsappCommand(this, this.providers));
	}

	public async onEnable(environment: IEnvironmentRead, configurationModify: IConfigurationModify): Promise<boolean> {
		setLanguage((await environment.getSettings().getById(Setting.NoticeLanguage))?.value);
		setLogLevel((await environment.getSettings().getById(Setting.LogLevel))?.value);
		// Re-assert the recurring job (one job for everything; harmless when it exists).
		await configurationModify.scheduler.scheduleRecurring({ id: TICK_JOB, interval: TICK_INTERVAL, skipImmediate: true });
		return true;
	}

	public async onSettingUpdated(setting: ISetting, _m: IConfigurationModify, _read: IRead, _http: IHttp): Promise<void> {
		if (setting.id === Setting.NoticeLanguage) setLanguage(setting.value);
		if (setting.id === Setting.LogLevel) setLogLevel(setting.value);
	}

	public async checkPostMessageSent(message: IMessage): Promise<boolean> {
		return isAgentMessageForUs(message, this.getID());
	}

	public async executePostMessageSent(message: IMessage, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<void> {
		if (!isAgentMessageForUs(message, this.getID())) return;
		const deps = coreDeps({ read, modify, http, persis }, this.providers, new Log(this.getLogger()));
		await new OutboundService(deps).send(toAgentMessage(message));
	}

	public async executePostLivechatRoomClosed(room: ILivechatRoom, read: IRead, http: IHttp, persis: IPersistence, modify?: IModify): Promise<void> {
		if (!modify) return;
		await new ConversationService(coreDeps({ read, modify, http, persis }, this.providers)).roomClosed(room.id);
	}
}
