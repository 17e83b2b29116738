import { IConfigurationExtend, IEnvironmentRead, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';
import { parseHostPatterns } from '../core/mediaPolicy';
import { CoreSettings } from '../core/ports/rocketchat';

// Global app settings (admin panel). Per-number data (instances) lives in persistence, not here.

export enum Setting {
	DefaultDepartment = 'default_department',
	GroupChats = 'group_chats',
	DeliveryStatus = 'delivery_status',
	AlertRoom = 'alert_room',
	MaxAttempts = 'max_attempts',
	GiveUpAfterMinutes = 'give_up_after_minutes',
	CloseMessageEnabled = 'close_message_enabled',
	CloseMessageText = 'close_message_text',
	NoticeLanguage = 'notice_language',
	LogLevel = 'log_level',
	MediaExtraHosts = 'media_extra_hosts',
	MenuMaxTries = 'menu_max_tries',
	MenuTimeoutMinutes = 'menu_timeout_minutes',
	MenuExitKeyword = 'menu_exit_keyword',
	MenuText = 'menu_text',
	ReadReceipts = 'read_receipts',
	BotMessages = 'bot_messages',
	TemplateApiKey = 'template_api_key',
	CloudSignaturePolicy = 'cloud_signature_policy',
	OutboundWizard = 'outbound_wizard',
	HistoryDays = 'history_days',
}


/** Every app setting, read: what the core uses (CoreSettings) and what only the Rocket.Chat side does. */
export interface AppSettings extends CoreSettings {
	alertRoom: string;
	noticeLanguage: string;
	logLevel: 'error' | 'info' | 'debug';
	/** Messages of bot users and other apps' users in WhatsApp rooms go to WhatsApp too. */
	botMessages: boolean;
}

const definitions: ISetting[] = [
	{ id: Setting.DefaultDepartment, type: SettingType.STRING, packageValue: '', required: false, public: false, i18nLabel: 'setting_default_department', i18nDescription: 'setting_default_department_description' },
	{
		id: Setting.GroupChats, type: SettingType.SELECT, packageValue: 'ignore', required: false, public: false,
		values: [{ key: 'ignore', i18nLabel: 'setting_group_chats_ignore' }, { key: 'bridge', i18nLabel: 'setting_group_chats_bridge' }],
		i18nLabel: 'setting_group_chats', i18nDescription: 'setting_group_chats_description',
	},
	{
		id: Setting.DeliveryStatus, type: SettingType.SELECT, packageValue: 'failures', required: false, public: false,
		values: [
			{ key: 'failures', i18nLabel: 'setting_delivery_status_failures' },
			{ key: 'all', i18nLabel: 'setting_delivery_status_all' },
			{ key: 'none', i18nLabel: 'setting_delivery_status_none' },
		],
		i18nLabel: 'setting_delivery_status', i18nDescription: 'setting_delivery_status_description',
	},
	{ id: Setting.AlertRoom, type: SettingType.ROOM_PICK, packageValue: '', required: false, public: false, i18nLabel: 'setting_alert_room', i18nDescription: 'setting_alert_room_description' },
	{ id: Setting.MaxAttempts, type: SettingType.NUMBER, packageValue: 12, required: false, public: false, i18nLabel: 'setting_max_attempts', i18nDescription: 'setting_max_attempts_description' },
	{ id: Setting.GiveUpAfterMinutes, type: SettingType.NUMBER, packageValue: 1440, required: false, public: false, i18nLabel: 'setting_give_up_after_minutes', i18nDescription: 'setting_give_up_after_minutes_description' },
	{ id: Setting.CloseMessageEnabled, type: SettingType.BOOLEAN, packageValue: false, required: false, public: false, i18nLabel: 'setting_close_message_enabled', i18nDescription: 'setting_close_message_enabled_description' },
	{ id: Setting.CloseMessageText, type: SettingType.STRING, packageValue: '', multiline: true, required: false, public: false, i18nLabel: 'setting_close_message_text', i18nDescription: 'setting_close_message_text_description' },
	{
		id: Setting.NoticeLanguage, type: SettingType.SELECT, packageValue: 'en', required: false, public: false,
		values: [
			{ key: 'en', i18nLabel: 'language_en' }, { key: 'ru', i18nLabel: 'language_ru' }, { key: 'pt-BR', i18nLabel: 'language_pt_BR' },
			{ key: 'de', i18nLabel: 'language_de' }, { key: 'es', i18nLabel: 'language_es' },
		],
		i18nLabel: 'setting_notice_language', i18nDescription: 'setting_notice_language_description',
	},
	{ id: Setting.MediaExtraHosts, type: SettingType.STRING, packageValue: '', required: false, public: false, i18nLabel: 'setting_media_extra_hosts', i18nDescription: 'setting_media_extra_hosts_description' },
	{
		id: Setting.CloudSignaturePolicy, type: SettingType.SELECT, packageValue: 'log', required: false, public: false,
		values: [
			{ key: 'reject', i18nLabel: 'setting_cloud_signature_policy_reject' }, { key: 'log', i18nLabel: 'setting_cloud_signature_policy_log' },
			{ key: 'off', i18nLabel: 'setting_cloud_signature_policy_off' },
		],
		i18nLabel: 'setting_cloud_signature_policy', i18nDescription: 'setting_cloud_signature_policy_description',
	},
	{ id: Setting.TemplateApiKey, type: SettingType.PASSWORD, packageValue: '', required: false, public: false, i18nLabel: 'setting_template_api_key', i18nDescription: 'setting_template_api_key_description' },
	{
		id: Setting.LogLevel, type: SettingType.SELECT, packageValue: 'info', required: false, public: false,
		values: [{ key: 'error', i18nLabel: 'setting_log_level_error' }, { key: 'info', i18nLabel: 'setting_log_level_info' }, { key: 'debug', i18nLabel: 'setting_log_level_debug' }],
		i18nLabel: 'setting_log_level', i18nDescription: 'setting_log_level_description',
	},
	// Department menu (per number: `/whatsapp menu`); these apply to every number that has one.
	{ id: Setting.MenuText, type: SettingType.STRING, packageValue: '', multiline: true, required: false, public: false, i18nLabel: 'setting_menu_text', i18nDescription: 'setting_menu_text_description' },
	{ id: Setting.MenuMaxTries, type: SettingType.NUMBER, packageValue: 3, required: false, public: false, i18nLabel: 'setting_menu_max_tries', i18nDescription: 'setting_menu_max_tries_description' },
	{ id: Setting.MenuTimeoutMinutes, type: SettingType.NUMBER, packageValue: 30, required: false, public: false, i18nLabel: 'setting_menu_timeout_minutes', i18nDescription: 'setting_menu_timeout_minutes_description' },
	{ id: Setting.MenuExitKeyword, type: SettingType.STRING, packageValue: '#exit', required: false, public: false, i18nLabel: 'setting_menu_exit_keyword', i18nDescription: 'setting_menu_exit_keyword_description' },
	{ id: Setting.HistoryDays, type: SettingType.NUMBER, packageValue: 30, required: false, public: false, i18nLabel: 'setting_history_days', i18nDescription: 'setting_history_days_description' },
	{ id: Setting.ReadReceipts, type: SettingType.BOOLEAN, packageValue: false, required: false, public: false, i18nLabel: 'setting_read_receipts', i18nDescription: 'setting_read_receipts_description' },
	{ id: Setting.BotMessages, type: SettingType.BOOLEAN, packageValue: false, required: false, public: false, i18nLabel: 'setting_bot_messages', i18nDescription: 'setting_bot_messages_description' },
	// Read when Rocket.Chat starts the app (extendConfiguration; a disable/enable stops short of it at the already
	// registered slash command): off by default, see OutboundPhoneProvider.
	{ id: Setting.OutboundWizard, type: SettingType.BOOLEAN, packageValue: false, required: false, public: false, i18nLabel: 'setting_outbound_wizard', i18nDescription: 'setting_outbound_wizard_description' },
];

/** The *bot messages* setting alone (read only for a message a bot wrote: people's messages cost nothing extra). */
export async function readBotMessages(read: IRead): Promise<boolean> {
	const setting = await read.getEnvironmentReader().getSettings().getById(Setting.BotMessages);
	return (setting?.value ?? setting?.packageValue) === true;
}

/** Whether the admin wants the app in Rocket.Chat's Outbound message wizard (read while the app starts). */
export async function readOutboundWizard(environment: IEnvironmentRead): Promise<boolean> {
	const setting = await environment.getSettings().getById(Setting.OutboundWizard);
	return (setting?.value ?? setting?.packageValue) === true;
}

export async function provideSettings(configuration: IConfigurationExtend): Promise<void> {
	for (const setting of definitions) await configuration.settings.provideSetting(setting);
}

function clampNumber(value: unknown, fallback: number, min: number, max: number): number {
	// Unset values arrive as undefined or null (Number(null) is 0): they mean "the default".
	if (value === null || value === undefined || value === '') return fallback;
	const n = Number(value);
	return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;
}

/** All settings in one read per setting (the engine caches settings in the app process). */
export async function readSettings(read: IRead): Promise<AppSettings> {
	const reader = read.getEnvironmentReader().getSettings();
	// A setting the admin never saved has no value yet, only its package value.
	const value = async (id: Setting) => {
		const setting = await reader.getById(id);
		return setting?.value ?? setting?.packageValue;
	};
	const [dept, groups, status, alertRoom, attempts, giveUp, closeOn, closeText, lang, level, mediaHosts, menuTries, menuTimeout, menuExit, menuText, receipts, bots, historyDays] = await Promise.all([
		value(Setting.DefaultDepartment), value(Setting.GroupChats), value(Setting.DeliveryStatus), value(Setting.AlertRoom),
		value(Setting.MaxAttempts), value(Setting.GiveUpAfterMinutes), value(Setting.CloseMessageEnabled), value(Setting.CloseMessageText),
		value(Setting.NoticeLanguage), value(Setting.LogLevel), value(Setting.MediaExtraHosts),
		value(Setting.MenuMaxTries), value(Setting.MenuTimeoutMinutes), value(Setting.MenuExitKeyword), value(Setting.MenuText), value(Setting.ReadReceipts),
		value(Setting.BotMessages), value(Setting.HistoryDays),
	]);
	return {
		defaultDepartment: typeof dept === 'string' ? dept.trim() : '',
		groupChats: groups === 'bridge' ? 'bridge' : 'ignore',
		deliveryStatus: status === 'all' || status === 'none' ? status : 'failures',
		alertRoom: typeof alertRoom === 'string' ? alertRoom : '',
		maxAttempts: clampNumber(attempts, 12, 1, 100),
		giveUpAfterMinutes: clampNumber(giveUp, 1440, 1, 7 * 1440),
		closeMessageEnabled: closeOn === true,
		closeMessageText: typeof closeText === 'string' ? closeText : '',
		noticeLanguage: typeof lang === 'string' ? lang : 'en',
		logLevel: level === 'error' || level === 'debug' ? level : 'info',
		mediaExtraHosts: parseHostPatterns(mediaHosts).patterns,
		menuMaxTries: clampNumber(menuTries, 3, 1, 20),
		menuTimeoutMinutes: clampNumber(menuTimeout, 30, 1, 7 * 1440),
		// An empty keyword switches it off.
		menuExitKeyword: typeof menuExit === 'string' ? menuExit.trim() : '#exit',
		menuText: typeof menuText === 'string' ? menuText : '',
		readReceipts: receipts === true,
		botMessages: bots === true,
		// Meta shares up to 180 days of history.
		historyDays: clampNumber(historyDays, 30, 0, 180),
	};
}
