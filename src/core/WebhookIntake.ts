import { BusinessPhoneNotes } from './BusinessPhoneNotes';
import { ChatHistory } from './ChatHistory';
import { ContactNames } from './ContactNames';
import { CoreDeps, providerOf } from './Core';
import { DeliveryStatusService } from './DeliveryStatusService';
import { InboundEvent } from './ports/events';
import { InboundService } from './InboundService';
import { InstanceRecord } from './ports/records';
import { MarketingPreferences } from './MarketingPreferences';
import { ProviderNotices } from './notices';
import { StateService } from './StateService';
import { TemplateService } from './TemplateService';

export type EventOutcome = 'posted' | 'duplicate' | 'ignored' | 'queued' | 'status' | 'state' | 'template' | 'notice' | 'renamed' | 'noted' | 'preference';

/**
 * A webhook's events, from any provider, through the same core calls. Resolves once every event was
 * posted, parked, a duplicate or ignored; rejects when any could not be made durable, so the endpoint
 * answers 500 and the provider redelivers (dedupe makes the redelivery harmless). Events of one chat
 * keep their order: each takes the chat's lock in the order of the batch.
 */
export class WebhookIntake {
	constructor(private readonly deps: CoreDeps) {}

	public async handle(instances: InstanceRecord[], events: InboundEvent[]): Promise<EventOutcome[]> {
		const byId = new Map(instances.map((i) => [i.id, i]));
		const settled = await Promise.allSettled(events.map((e) => this.one(e.instanceId === undefined ? undefined : byId.get(e.instanceId), e)));
		const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
		if (failed) throw failed.reason;
		return settled.map((s) => (s as PromiseFulfilledResult<EventOutcome>).value);
	}

	/**
	 * A number the WhatsApp Business app writes through is a coexistence number (where the provider has
	 * such numbers): recorded once, so its sends keep the lower rate those numbers have.
	 */
	private async businessAppSeen(instance: InstanceRecord): Promise<InstanceRecord> {
		if (instance.businessApp || providerOf(this.deps, instance).capabilities.businessAppSendsPerSecond === undefined) return instance;
		const current = (await this.deps.instances.get(instance.id, true)) || instance;
		if (current.businessApp) return current;
		const marked = { ...current, businessApp: true };
		await this.deps.instances.save(marked);
		this.deps.log?.info(`instance ${instance.id} is also used in the WhatsApp Business app: sends keep its fixed rate`);
		return marked;
	}

	private async one(instance: InstanceRecord | undefined, event: InboundEvent): Promise<EventOutcome> {
		// An event naming an instance the request was not authenticated for is not acted on.
		if (!instance || event.type === 'ignored') return 'ignored';
		switch (event.type) {
			case 'message':
				return new InboundService(this.deps).receive(instance, event);
			case 'business-message':
				return new BusinessPhoneNotes(this.deps).post(await this.businessAppSeen(instance), event);
			case 'chat-history':
				return new ChatHistory(this.deps).receive(await this.businessAppSeen(instance), event);
			case 'contact-name':
				return new ContactNames(this.deps).received(await this.businessAppSeen(instance), event);
			case 'status':
				await new DeliveryStatusService(this.deps).receive(instance, event);
				return 'status';
			case 'state':
				await new StateService(this.deps).record(instance, event.health, event.detail, event.timestamp);
				return 'state';
			case 'template-status':
				await new TemplateService(this.deps).statusChanged(instance, event);
				return 'template';
			case 'provider-notice':
				await new ProviderNotices(this.deps).received(instance, event);
				return 'notice';
			case 'marketing-preference':
				await new MarketingPreferences(this.deps).received(instance, event);
				return 'preference';
		}
	}
}
