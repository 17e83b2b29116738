import { t } from '../i18n/translate';
import { withChatLock } from './ChatLock';
import { chatKeyOf, newContact } from './contacts';
import { CoreDeps } from './Core';
import { noticeInRoom } from './notices';
import { Failure } from './ports/failure';
import { MarketingPreferenceEvent } from './ports/events';
import { ProviderCapabilities } from './ports/provider';
import { ContactRecord, InstanceRecord, MarketingPreference } from './ports/records';

// A customer's choice about the business's marketing messages on one number: told by the provider
// (Cloud API `user_preferences`), or learnt from WhatsApp refusing a marketing template for it (131050).
// The `marketing` section of the contact record is written here only; templates read it
// (TemplateService.marketingRefusal).

/**
 * Records a choice made at `at`; an older word never overrides a newer one (webhooks arrive out of order
 * and are redelivered). True when the customer's state changed (stopped ↔ subscribed).
 */
export function recordMarketingChoice(contact: ContactRecord, stopped: boolean, at: number, via: MarketingPreference['via']): boolean {
	const before = contact.marketing;
	if (before && at < before.at) return false;
	if (before && before.stopped === stopped && before.at === at) return false;
	contact.marketing = { stopped, at, via };
	return (before?.stopped ?? false) !== stopped;
}

/** Since when the customer has stopped the business's marketing messages, or undefined when they have not. */
export function marketingStoppedSince(contact: Pick<ContactRecord, 'marketing'> | undefined): number | undefined {
	return contact?.marketing?.stopped ? contact.marketing.at : undefined;
}

/** A provider's failure saying the customer stopped marketing messages. */
export function isMarketingStoppedFailure(capabilities: Pick<ProviderCapabilities, 'marketingStoppedCodes'>, failure: Pick<Failure, 'code'> | undefined): boolean {
	return !!failure?.code && (capabilities.marketingStoppedCodes || []).includes(failure.code);
}

export class MarketingPreferences {
	constructor(private readonly deps: CoreDeps) {}

	/**
	 * The customer stopped or resumed marketing messages: recorded on their contact (created without a
	 * room when the app does not know them yet, so a later template is checked too), and told in their
	 * open room when it changed something.
	 */
	public async received(instance: InstanceRecord, e: MarketingPreferenceEvent): Promise<void> {
		await withChatLock(chatKeyOf(instance.id, e.chatId), async () => {
			const stored = await this.deps.contacts.get(instance.id, e.chatId);
			const contact = stored || newContact(instance.id, e.chatId, e.name || e.phone || e.chatId, e.phone);
			const before = JSON.stringify(contact.marketing ?? null);
			const changed = recordMarketingChoice(contact, e.preference === 'stopped', e.timestamp, 'preference');
			if (JSON.stringify(contact.marketing ?? null) === before) return;
			await this.deps.contacts.save(contact, stored ? { roomId: stored.roomId } : undefined);
			this.deps.log?.info(`marketing messages ${e.preference} by ${instance.id}:${e.chatId}`);
			if (changed && contact.roomId) {
				await noticeInRoom(this.deps, contact.roomId, e.preference === 'stopped' ? `🔕 ${t('notice_marketing_stopped')}` : `🔔 ${t('notice_marketing_resumed')}`);
			}
		});
	}
}
