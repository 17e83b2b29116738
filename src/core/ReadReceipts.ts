import { CoreDeps, sessionOf } from './Core';
import { errorText } from './failures';
import { ContactRecord } from './ports/records';

/**
 * Read receipts (a setting): once an agent's answer went out, the customer's messages up to the last
 * one are marked read on WhatsApp, where the provider can (its session's `markRead`).
 */
export class ReadReceipts {
	constructor(private readonly deps: CoreDeps) {}

	/** Sets `contact.readUpTo` (the caller saves the contact). Never throws: a receipt is a courtesy. */
	public async agentAnswered(contact: ContactRecord): Promise<void> {
		const lastIn = [...contact.links].reverse().find((l) => l.dir === 'in');
		if (!lastIn || contact.readUpTo === lastIn.wa) return;
		try {
			const instance = await this.deps.instances.get(contact.instanceId);
			if (!instance) return;
			const session = sessionOf(this.deps, instance);
			if (!session.markRead || !(await this.deps.rc.settings()).readReceipts) return;
			const r = await session.markRead({ chatId: contact.chatId, messageId: lastIn.wa });
			if (r.ok) contact.readUpTo = lastIn.wa;
			else this.deps.log?.info(`read receipt ${contact.instanceId}:${contact.chatId}: ${r.reason}`);
		} catch (e) {
			this.deps.log?.info(`read receipt ${contact.instanceId}:${contact.chatId}: ${errorText(e)}`);
		}
	}
}
