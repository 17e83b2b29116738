import { t } from '../i18n/translate';
import { formatUtc } from './clock';
import { CoreDeps, displayNumber } from './Core';
import { errorText } from './failures';
import { ProviderNoticeEvent } from './ports/events';
import { own } from './ports/lookup';
import { InstanceRecord } from './ports/records';
import { NoticeAction } from './ports/rocketchat';
import { quoteLink } from './render';

// Notes for agents and alerts for admins are courtesy output: one that fails (room gone, a Rocket.Chat
// limit) is logged and never blocks a queue nor fails a webhook, which would only repeat it forever.

/** A note from the app user in the room; the note's id, or undefined when it could not be posted. */
export async function noticeInRoom(deps: CoreDeps, roomId: string, text: string, action?: NoticeAction): Promise<string | undefined> {
	try {
		return await deps.rc.postNotice(roomId, text, action);
	} catch (e) {
		deps.log?.error(`note in room ${roomId} not posted: ${errorText(e)}`);
		return undefined;
	}
}

/**
 * Tells admins of a condition once (remembered on the instance record under `key`), not on every
 * message it affects. Returns false when it had been told already.
 */
export async function alertOnce(deps: CoreDeps, instance: InstanceRecord, key: string, text: string): Promise<boolean> {
	const current = (await deps.instances.get(instance.id, true)) || instance;
	if ((current.alerts || []).includes(key)) return false;
	await deps.instances.save({ ...current, alerts: [...(current.alerts || []), key] });
	await alertAdmins(deps, current, text);
	return true;
}

/** The condition cleared: forget it (so it is told again if it comes back), and say so when `text` is given. */
export async function clearAlert(deps: CoreDeps, instance: InstanceRecord, key: string, text?: string): Promise<void> {
	if (!(instance.alerts || []).includes(key)) return; // the cached record is enough to know: no read on the hot path
	const current = (await deps.instances.get(instance.id, true)) || instance;
	if (!(current.alerts || []).includes(key)) return;
	await deps.instances.save({ ...current, alerts: (current.alerts || []).filter((k) => k !== key) });
	if (text) await alertAdmins(deps, current, text);
}

/** An alert for admins: the alert room, else a direct message to whoever added the number. */
export async function alertAdmins(deps: CoreDeps, instance: Pick<InstanceRecord, 'addedBy'> | undefined, text: string): Promise<void> {
	try {
		const delivered = await deps.rc.alertAdmins(text, instance?.addedBy ? [instance.addedBy] : []);
		if (!delivered) deps.log?.error(`admin alert not delivered (pick a room for admin alerts in the app settings): ${text}`);
	} catch (e) {
		deps.log?.error(`admin alert not delivered: ${errorText(e)}: ${text}`);
	}
}

/**
 * An agent's message (`messageId`, quoted) did not go because WhatsApp's customer-service window is
 * closed: say why, and (where the provider has templates) offer the template picker as a button.
 */
export async function windowClosedNotice(
	deps: CoreDeps,
	roomId: string,
	p: { messageId: string; lastInboundAt?: number; hours: number; templates: boolean },
): Promise<void> {
	// The provider may say the window is closed while the app's own clock has it open (the customer wrote
	// an hour ago): the note then tells what the provider said, never a time that contradicts it.
	const ownClockClosed = !!p.lastInboundAt && Date.now() >= p.lastInboundAt + p.hours * 3_600_000;
	const why = !p.lastInboundAt ? t('notice_window_closed_never') : ownClockClosed ? t('notice_window_closed', { hours: p.hours, last: formatUtc(p.lastInboundAt) }) : t('notice_window_closed_provider');
	const how = p.templates ? `\n${t('notice_window_closed_templates')}` : '';
	const quote = quoteLink(await deps.rc.siteUrl(), roomId, p.messageId);
	await noticeInRoom(deps, roomId, `${quote}🕐 ${why}${how}`, p.templates ? { kind: 'open-template-picker', label: t('action_send_template') } : undefined);
}

/**
 * What a provider tells about the number itself (a plan limit used up, …), for admins: told once per
 * change — a redelivery, or the same notice on every later webhook, is not repeated. What was said is
 * remembered on the instance record.
 */
export class ProviderNotices {
	constructor(private readonly deps: CoreDeps) {}

	public async received(instance: InstanceRecord, event: ProviderNoticeEvent): Promise<void> {
		const said = signature(event);
		// The cached record answers the common case (the same notice again) without a read.
		if (own(instance.providerNotices, event.code) === said) return;
		const current = (await this.deps.instances.get(instance.id, true)) || instance;
		if (own(current.providerNotices, event.code) === said) return;
		// Remembered first: an alert that cannot be delivered is logged by alertAdmins, not retried forever.
		const next = { ...current, providerNotices: { ...(current.providerNotices || {}), [event.code]: said } };
		await this.deps.instances.save(next);
		await alertAdmins(this.deps, next, `⚠️ ${t(`alert_provider_${event.code}`, { ...event.params, instance: next.id, number: displayNumber(next.number) })}`);
	}
}

/** The notice's content, independent of key order. */
function signature(event: ProviderNoticeEvent): string {
	return JSON.stringify(Object.keys(event.params).sort().map((k) => [k, event.params[k]]));
}
