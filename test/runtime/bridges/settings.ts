// ServerSettingBridge (Site_Url & co; unknown ids give undefined), EnvironmentalVariableBridge, AppDetailChangesBridge.
import { AppDetailChangesBridge } from '@rocket.chat/apps-engine/server/bridges/AppDetailChangesBridge';
import { EnvironmentalVariableBridge } from '@rocket.chat/apps-engine/server/bridges/EnvironmentalVariableBridge';
import { ServerSettingBridge } from '@rocket.chat/apps-engine/server/bridges/ServerSettingBridge';
import { clone, notImplemented, RcState } from '../state';

export class TestServerSettingBridge extends ServerSettingBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	private toApp(id: string): any {
		const s = this.rc.serverSetting(id);
		return s && { id: s.id, type: s.type, value: clone(s.value), packageValue: clone(s.packageValue), public: s.public, required: false, i18nLabel: s.id, createdAt: undefined, updatedAt: undefined };
	}
	public async getAll(): Promise<any[]> {
		return [...this.rc.serverSettings.keys(), 'Livechat_accept_chats_with_no_agents'].map((id) => this.toApp(id));
	}
	public async getOneById(id: string): Promise<any> {
		return this.toApp(id);
	}
	protected async hideGroup(): Promise<void> {
		notImplemented('ServerSettingBridge', 'hideGroup');
	}
	protected async hideSetting(): Promise<void> {
		notImplemented('ServerSettingBridge', 'hideSetting');
	}
	public async isReadableById(id: string): Promise<boolean> {
		return !!this.rc.serverSetting(id);
	}
	protected async updateOne(): Promise<void> {
		notImplemented('ServerSettingBridge', 'updateOne');
	}
	protected async incrementValue(): Promise<void> {
		notImplemented('ServerSettingBridge', 'incrementValue');
	}
}

/** RC lets apps read only NODE_ENV, ROOT_URL and INSTANCE_IP. */
export class TestEnvironmentalVariableBridge extends EnvironmentalVariableBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	public async getValueByName(name: string): Promise<string | undefined> {
		return this.rc.envVars[name];
	}
	public async isReadable(name: string): Promise<boolean> {
		return name in this.rc.envVars;
	}
	public async isSet(name: string): Promise<boolean> {
		return this.rc.envVars[name] !== undefined;
	}
}

export class TestAppDetailChangesBridge extends AppDetailChangesBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	public onAppSettingsChange(appId: string, setting: any): void {
		this.rc.effect('app-setting.changed', { appId, settingId: setting?.id, value: setting?.value });
	}
}
