// Bridges the engine itself drives (commands, API routes, activation, listener, federation keys) and the loud
// stubs for bridges this app never needs.
import { generateKeyPairSync } from 'crypto';
import { ApiBridge } from '@rocket.chat/apps-engine/server/bridges/ApiBridge';
import { AppActivationBridge } from '@rocket.chat/apps-engine/server/bridges/AppActivationBridge';
import { CloudWorkspaceBridge } from '@rocket.chat/apps-engine/server/bridges/CloudWorkspaceBridge';
import { CommandBridge } from '@rocket.chat/apps-engine/server/bridges/CommandBridge';
import { EmailBridge } from '@rocket.chat/apps-engine/server/bridges/EmailBridge';
import type { IInternalFederationBridge } from '@rocket.chat/apps-engine/server/bridges/IInternalFederationBridge';
import type { IListenerBridge } from '@rocket.chat/apps-engine/server/bridges/IListenerBridge';
import { ModerationBridge } from '@rocket.chat/apps-engine/server/bridges/ModerationBridge';
import { OAuthAppsBridge } from '@rocket.chat/apps-engine/server/bridges/OAuthAppsBridge';
import { UiInteractionBridge } from '@rocket.chat/apps-engine/server/bridges/UiInteractionBridge';
import { VideoConferenceBridge } from '@rocket.chat/apps-engine/server/bridges/VideoConferenceBridge';
import { notImplemented as ni, RcState } from '../state';

/** A bridge base class newer engines have and older ones lack (Contact: 1.53; Experimental, OutboundMessage: 1.59):
 *  there the engine never asks for it, and a plain base keeps the stub loadable. */
function optionalBridge<T>(file: string, name: string): T {
	try {
		// eslint-disable-next-line @typescript-eslint/no-var-requires
		return require(`@rocket.chat/apps-engine/server/bridges/${file}`)[name];
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
		return class {} as unknown as T;
	}
}
const ContactBridge = optionalBridge<typeof import('@rocket.chat/apps-engine/server/bridges/ContactBridge').ContactBridge>('ContactBridge', 'ContactBridge');
const ExperimentalBridge = optionalBridge<typeof import('@rocket.chat/apps-engine/server/bridges/ExperimentalBridge').ExperimentalBridge>('ExperimentalBridge', 'ExperimentalBridge');
const OutboundMessageBridge = optionalBridge<typeof import('@rocket.chat/apps-engine/server/bridges/OutboundMessagesBridge').OutboundMessageBridge>('OutboundMessagesBridge', 'OutboundMessageBridge');

let keys: { publicKey: string; privateKey: string } | undefined;
/** One RSA key pair per process (the engine signs the installed app with it; generating costs ~200 ms). */
export function federationKeys(): { publicKey: string; privateKey: string } {
	keys ??= generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
	return keys;
}
export class TestInternalFederationBridge implements IInternalFederationBridge {
	public async getPrivateKey(): Promise<string> {
		return federationKeys().privateKey;
	}
	public async getPublicKey(): Promise<string> {
		return federationKeys().publicKey;
	}
}

/** RC's slash command registry (slashCommands.commands): the engine registers the app's commands through it.
 *  `commands`: the registry (default rc.commands); it is in-memory per Rocket.Chat process, so a second engine node
 *  has its own. */
export class TestCommandBridge extends CommandBridge {
	constructor(private readonly rc: RcState, private readonly commands: RcState['commands'] = rc.commands) {
		super();
	}
	private get(command: string) {
		const c = this.commands.get(command.toLowerCase());
		if (!c) throw new Error(`Command does not exist in the system currently (or it is disabled): "${command}"`);
		return c;
	}
	public async doesCommandExist(command: string): Promise<boolean> {
		return this.commands.has(command.toLowerCase());
	}
	public async enableCommand(command: string): Promise<void> {
		this.get(command).enabled = true;
	}
	public async disableCommand(command: string): Promise<void> {
		this.get(command).enabled = false;
	}
	public async modifyCommand(command: any): Promise<void> {
		Object.assign(this.get(command.command).command, { ...command, executor: undefined });
	}
	public async registerCommand(command: any, appId: string): Promise<void> {
		if (typeof command?.command !== 'string' || !command.command) throw new Error('Invalid Slash Command parameter provided, it must be a valid ISlashCommand object.');
		this.commands.set(command.command.toLowerCase(), { appId, command: { ...command }, enabled: true });
		this.rc.effect('command.registered', { command: command.command });
	}
	public async unregisterCommand(command: string): Promise<void> {
		this.commands.delete(command.toLowerCase());
	}
}

/** RC's app router: the endpoints the engine registered (callEndpoint goes through AppApiManager.executeApi). */
export class TestApiBridge extends ApiBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	public async registerApi(api: any, appId: string): Promise<void> {
		this.rc.apis.push({ appId, path: api.endpoint.path, computedPath: api.computedPath, methods: api.endpoint._availableMethods ?? [], authRequired: !!api.endpoint.authRequired });
	}
	public async unregisterApis(appId: string): Promise<void> {
		this.rc.apis = this.rc.apis.filter((a) => a.appId !== appId);
	}
}

export class TestAppActivationBridge extends AppActivationBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	/** RC notifies the admin UI; we learn the app's id and names here, before install/enable run. */
	public async appAdded(app: any): Promise<void> {
		Object.assign(this.rc, { appId: app.getID(), appName: app.getName(), appNameSlug: app.getNameSlug() });
	}
	protected async appUpdated(): Promise<void> {
		/* idem */
	}
	protected async appRemoved(): Promise<void> {
		this.rc.appStatus = 'removed';
	}
	public async appStatusChanged(_app: unknown, status: string): Promise<void> {
		this.rc.appStatus = status;
		this.rc.effect('app.status', { status });
	}
	protected async actionsChanged(): Promise<void> {
		/* RC tells clients to fetch the buttons again; the harness reads them from the manager (actionButtons()) */
	}
}

/** What RC's AppListenerBridge does with an event it is handed: pass it to the engine's listener manager. */
export class TestListenerBridge implements IListenerBridge {
	constructor(private readonly execute: (int: string, data: unknown) => Promise<any>) {}
	public async messageEvent(int: any, message: any): Promise<any> {
		return this.execute(int, message);
	}
	public async roomEvent(int: any, room: any): Promise<any> {
		return this.execute(int, room);
	}
	public async uiKitInteractionEvent(): Promise<any> {
		return ni('ListenerBridge', 'uiKitInteractionEvent');
	}
}

// ---- never used by this app: every call fails loudly ----
export class TestContactBridge extends ContactBridge {
	protected async getById(): Promise<never> { return ni('ContactBridge', 'getById'); }
	protected async verifyContact(): Promise<never> { return ni('ContactBridge', 'verifyContact'); }
	protected async addContactEmail(): Promise<never> { return ni('ContactBridge', 'addContactEmail'); }
}
export class TestEmailBridge extends EmailBridge {
	protected async sendEmail(): Promise<never> { return ni('EmailBridge', 'sendEmail'); }
}
export class TestCloudWorkspaceBridge extends CloudWorkspaceBridge {
	protected async getWorkspaceToken(): Promise<never> { return ni('CloudWorkspaceBridge', 'getWorkspaceToken'); }
}
export class TestVideoConferenceBridge extends VideoConferenceBridge {
	protected async create(): Promise<never> { return ni('VideoConferenceBridge', 'create'); }
	protected async getById(): Promise<never> { return ni('VideoConferenceBridge', 'getById'); }
	protected async update(): Promise<never> { return ni('VideoConferenceBridge', 'update'); }
	protected async registerProvider(): Promise<never> { return ni('VideoConferenceBridge', 'registerProvider'); }
	protected async unRegisterProvider(): Promise<never> { return ni('VideoConferenceBridge', 'unRegisterProvider'); }
}
export class TestOAuthAppsBridge extends OAuthAppsBridge {
	protected async create(): Promise<never> { return ni('OAuthAppsBridge', 'create'); }
	protected async getById(): Promise<never> { return ni('OAuthAppsBridge', 'getById'); }
	protected async getByName(): Promise<never> { return ni('OAuthAppsBridge', 'getByName'); }
	protected async update(): Promise<never> { return ni('OAuthAppsBridge', 'update'); }
	protected async delete(): Promise<never> { return ni('OAuthAppsBridge', 'delete'); }
	protected async purge(): Promise<never> { return ni('OAuthAppsBridge', 'purge'); }
}
export class TestModerationBridge extends ModerationBridge {
	protected async report(): Promise<never> { return ni('ModerationBridge', 'report'); }
	protected async dismissReportsByMessageId(): Promise<never> { return ni('ModerationBridge', 'dismissReportsByMessageId'); }
	protected async dismissReportsByUserId(): Promise<never> { return ni('ModerationBridge', 'dismissReportsByUserId'); }
}
/** RC's OutboundCommunicationBridge (apps/meteor/app/apps/server/bridges/outboundCommunication.ts) into the
 *  registry of apps/meteor/server/lib/OutboundMessageProvider.ts: providers by type, appended as registered, listed as
 *  {providerId: appId, providerName, providerType, supportsTemplates if set}, unregistered by (appId, type). The engine
 *  checks `outbound-communication.provide` before any of this runs (OutboundMessageBridge.doRegister*).
 *  The registry is reached through getOutboundService() (apps/meteor/server/lib/omnichannel/outboundcommunication.ts),
 *  which throws `error-no-license` until the enterprise module patches it (ee/server/api/v1/omnichannel/lib/outbound.ts):
 *  without `rc.outboundMessagingLicence` the bridge logs "Failed to register phone provider" on Rocket.Chat's log and
 *  rethrows `error-registering-provider` (`error-unregistering-provider` when unregistering). */
export class TestOutboundMessageBridge extends OutboundMessageBridge {
	readonly phoneProviders: Array<{ appId: string; name: string; type: 'phone'; supportsTemplates?: boolean }> = [];
	constructor(private readonly rc: RcState) {
		super();
	}
	/** getOutboundService().outboundMessageProvider, or RC's refusal when the licence module is absent. */
	private registry(appId: string, failure: 'error-registering-provider' | 'error-unregistering-provider', msg: string): this {
		if (this.rc.outboundMessagingLicence) return this;
		this.rc.effect('rc.log.error', { appId, msg, err: 'error-no-license' });
		throw new Error(failure);
	}
	protected async registerPhoneProvider(provider: any, appId: string): Promise<void> {
		this.registry(appId, 'error-registering-provider', 'Failed to register phone provider').phoneProviders.push({ appId: provider.appId, name: provider.name, type: 'phone', supportsTemplates: provider.supportsTemplates });
	}
	protected async registerEmailProvider(): Promise<never> { return ni('OutboundMessageBridge', 'registerEmailProvider'); }
	protected async unRegisterProvider(provider: any, appId: string): Promise<void> {
		this.registry(appId, 'error-unregistering-provider', 'Failed to unregister provider');
		if (provider?.type !== 'phone') return;
		this.phoneProviders.splice(0, this.phoneProviders.length, ...this.phoneProviders.filter((p) => p.appId !== appId));
	}
	/** OutboundMessageProvider.getOutboundMessageProviders('phone'). */
	list(): Array<{ providerId: string; providerName: string; providerType: 'phone'; supportsTemplates?: boolean }> {
		return this.phoneProviders.map((p) => ({ providerId: p.appId, providerName: p.name, providerType: p.type, ...(p.supportsTemplates && { supportsTemplates: p.supportsTemplates }) }));
	}
}
export class TestExperimentalBridge extends ExperimentalBridge {}
