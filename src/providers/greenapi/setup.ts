// Connecting a GREEN-API instance: check the credentials, learn the business number, and point the
// instance's webhook at us with the notifications the bridge needs.
import { Failure } from '../../core/ports/failure';
import { GreenApiClient, GreenApiSettingsUpdate } from './client';

export interface ConnectResult {
	ok: boolean;
	/** Business number `digits@c.us` when the phone is linked. */
	wid?: string;
	state?: string;
	failure?: Failure;
	/** 401/403: the id or token is wrong. */
	badCredentials?: boolean;
}

export function webhookSettings(webhookUrl: string, webhookToken: string): GreenApiSettingsUpdate {
	return {
		webhookUrl,
		webhookUrlToken: webhookToken,
		incomingWebhook: 'yes',
		outgoingWebhook: 'yes', // delivery statuses of agent messages
		stateWebhook: 'yes',
		editedMessageWebhook: 'yes',
		deletedMessageWebhook: 'yes',
		pollMessageWebhook: 'yes',
		outgoingMessageWebhook: 'yes', // replies typed on the business phone, shown to agents
		// Echoes of our own sends and calls are not bridged.
		outgoingAPIMessageWebhook: 'no',
		incomingCallWebhook: 'no',
	};
}

export async function checkCredentials(client: GreenApiClient): Promise<ConnectResult> {
	const wa = await client.getWaSettings();
	if (!wa.ok) return { ok: false, failure: wa, badCredentials: wa.status === 401 || wa.status === 403 };
	const phone = wa.data.phone ? wa.data.phone.replace(/\D/g, '') : '';
	return { ok: true, wid: phone ? `${phone}@c.us` : undefined, state: wa.data.stateInstance };
}

export async function applyWebhook(client: GreenApiClient, webhookUrl: string, webhookToken: string): Promise<ConnectResult> {
	const r = await client.setSettings(webhookSettings(webhookUrl, webhookToken));
	if (!r.ok) return { ok: false, failure: r, badCredentials: r.status === 401 || r.status === 403 };
	return r.data ? { ok: true } : { ok: false, failure: { reason: 'GREEN-API did not save the settings', code: 'settings_not_saved' } };
}

/** Stops GREEN-API calling the app: no webhook URL (its HTTP-API polling mode) and no token of ours. */
export async function clearWebhook(client: GreenApiClient): Promise<ConnectResult> {
	const r = await client.setSettings({ webhookUrl: '', webhookUrlToken: '' });
	if (!r.ok) return { ok: false, failure: r, badCredentials: r.status === 401 || r.status === 403 };
	return r.data ? { ok: true } : { ok: false, failure: { reason: 'GREEN-API did not save the settings', code: 'settings_not_saved' } };
}
