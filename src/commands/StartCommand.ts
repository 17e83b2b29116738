import { coreDeps } from '../compose';
import { Outreach, StartResult } from '../core/Outreach';
import { CoreDeps, displayNumber } from '../core/Core';
import { errorText } from '../core/failures';
import { Log } from '../core/log';
import { formatUtc } from '../core/clock';
import { marketingStoppedSince } from '../core/MarketingPreferences';
import { OutboundService } from '../core/OutboundService';
import { ProviderDirectory } from '../core/ports/provider';
import { InstanceRecord } from '../core/ports/records';
import { t } from '../i18n/translate';
import { CommandContext } from './context';

const DEPARTMENT_ARG = /^department=(.+)$/i;

/**
 * `/whatsapp start <phone> [instance] [department=<name>] [text…]` (agents, managers, admins): opens
 * (or reuses) the conversation with a WhatsApp number and sends the first message as the caller's own.
 */
export async function startCommand(c: CommandContext, providers: ProviderDirectory, log?: Log): Promise<void> {
	const [phone, ...rest] = c.args;
	if (!phone || !/\d/.test(phone)) return c.reply(t('start_usage'));
	const deps = coreDeps({ read: c.read, modify: c.modify, http: c.http, persis: c.persis }, providers, log);
	const all = await deps.instances.list();
	let instance: InstanceRecord | undefined = rest[0] ? all.find((i) => i.id === rest[0]) : undefined;
	if (instance) rest.shift();
	else if (all.length === 1) instance = all[0];
	if (!instance) return c.reply(all.length === 0 ? t('instance_none') : t('start_which_instance', { ids: all.map((i) => i.id).sort().join(', ') }));
	let departmentId: string | undefined;
	const dept = rest[0] ? DEPARTMENT_ARG.exec(rest[0]) : null;
	if (dept) {
		rest.shift();
		departmentId = await deps.rc.findDepartment(dept[1]);
		if (!departmentId) return c.reply(t('department_unknown', { department: dept[1] }));
	}
	const text = rest.join(' ').trim();
	const caller = c.ctx.getSender();
	const result = await new Outreach(deps).start({
		instance, phone, departmentId, caller: { id: caller.id, isAgent: (caller.roles || []).includes('livechat-agent') },
	});
	// The agent is told up front when the customer stopped marketing messages (no MARKETING template will go).
	const stopped = result.chatId ? marketingStoppedSince(await deps.contacts.get(instance.id, result.chatId)) : undefined;
	const marketing = stopped !== undefined ? `\n🔕 ${t('start_marketing_stopped', { since: formatUtc(stopped) })}` : '';
	if (!result.ok) return c.reply(refusal(result, phone, instance) + marketing);
	const link = `${(await deps.rc.siteUrl()).replace(/\/+$/, '')}/live/${result.roomId}`;
	const opened = t(result.reused ? 'start_reused' : 'start_opened', { phone, number: displayNumber(instance.number), link }) + marketing;
	if (!text) return c.reply(opened);
	await c.reply(`${opened}\n${await firstMessage(deps, instance, result, caller.id, caller.username, text)}`);
}

/** The caller's message in the room (the usual outbound path sends it); on the app's behalf when Rocket.Chat will not let them post there. */
async function firstMessage(deps: CoreDeps, instance: InstanceRecord, started: Extract<StartResult, { ok: true }>, userId: string, username: string, text: string): Promise<string> {
	try {
		await deps.rc.postAsUser(started.roomId, userId, text);
		return t('start_sent');
	} catch (e) {
		deps.log?.info(`start: ${username} cannot post in ${started.roomId} (${errorText(e)}); sending for them`);
	}
	const contact = await deps.contacts.get(instance.id, started.chatId);
	if (!contact) return t('start_not_sent');
	await deps.rc.postNotice(started.roomId, `📤 ${t('start_sent_for', { user: username, text })}`);
	await new OutboundService(deps).sendToContact(contact, `start:${started.roomId}:${Date.now()}`, started.roomId, text);
	return t('start_sent_by_app');
}

function refusal(r: Extract<StartResult, { ok: false }>, phone: string, instance: InstanceRecord): string {
	switch (r.why) {
		case 'cannot-check':
			return t('start_cannot_check', { id: instance.id });
		case 'no-whatsapp':
			return t('start_no_whatsapp', { phone });
		case 'template-required':
			return t('start_template_required', { phone });
		case 'no-agent-online':
			return t('start_no_agent', { phone });
		default:
			return t('start_failed', { phone, reason: r.detail || '?' });
	}
}
