import { t } from '../i18n/translate';
import { formatUtc } from './clock';
import { CoreDeps, providerOf } from './Core';
import { errorText } from './failures';
import { interactiveProblems, renderInteractive } from './interactive';
import { InteractiveMessage } from './ports/interactive';
import { ContactRecord, InstanceRecord } from './ports/records';
import { OutboundService, QueuedOutcome } from './OutboundService';
import { serviceWindow } from './serviceWindow';

/** Reply buttons or a list the app sent: the message that shows it in the room, and what its first try did. */
export type InteractiveSent = { ok: true; messageId: string; outcome: QueuedOutcome } | { ok: false; reason: string };

/**
 * An agent's reply buttons or list: refused outside the customer-service window (only templates go
 * then) or when WhatsApp would refuse it, else shown in the room as the agent's message and queued like
 * one (the same outbox, order and retries).
 */
export class InteractiveService {
	constructor(private readonly deps: CoreDeps) {}

	/** Why it cannot go now (window closed, WhatsApp's limits), from what is at hand; undefined when it can. */
	public refusal(instance: InstanceRecord, contact: ContactRecord, message: InteractiveMessage, now = Date.now()): string | undefined {
		const window = serviceWindow(providerOf(this.deps, instance).capabilities, contact.lastInboundAt, now);
		if (window.applies && !window.open) return window.until ? t('interactive_window_closed', { since: formatUtc(window.until) }) : t('interactive_window_never');
		const problems = interactiveProblems(message);
		return problems.length ? problems.join('\n') : undefined;
	}

	public async send(instance: InstanceRecord, contact: ContactRecord, roomId: string, message: InteractiveMessage, sender: { senderId?: string }): Promise<InteractiveSent> {
		const refused = this.refusal(instance, contact, message);
		if (refused) return { ok: false, reason: refused };
		const label = t(message.kind === 'buttons' ? 'interactive_label_buttons' : 'interactive_label_list');
		let messageId: string;
		try {
			messageId = await this.deps.rc.postSentTemplate(roomId, renderInteractive(message), { senderId: sender.senderId, label });
		} catch (e) {
			return { ok: false, reason: t('interactive_not_posted', { reason: errorText(e) }) };
		}
		return { ok: true, messageId, outcome: await new OutboundService(this.deps).sendInteractive(contact, messageId, roomId, message) };
	}
}
