// Everything the core's services reach the outside through: ports only (implemented by src/rocketchat,
// src/store and the providers; assembled in src/compose.ts).

import { Log } from './log';
import { HttpClient } from './ports/http';
import { ProviderDirectory, ProviderSession, WhatsAppProvider } from './ports/provider';
import { BusinessAppRecords, ContactRepository, InboxItem, InstanceRecord, InstanceRepository, OpenRoomRepository, OutboxItem, PersonIndex, QueueRepository, SeenArchive, UsageRepository } from './ports/records';
import { RocketChatPort } from './ports/rocketchat';
import { QrScheduler, RetryScheduler } from './ports/scheduler';
import { TemplateRepository, TemplateSendClaims } from './ports/templates';

export interface CoreDeps {
	rc: RocketChatPort;
	contacts: ContactRepository;
	instances: InstanceRepository;
	inbox: QueueRepository<InboxItem>;
	outbox: QueueRepository<OutboxItem>;
	openRooms: OpenRoomRepository;
	seenArchive: SeenArchive;
	/** What a coexistence number's Business app told (address-book names, history waiting for a room). */
	businessApp: BusinessAppRecords;
	/** Person id → contact: one customer whatever id a webhook names them by (core/identity.ts). */
	people: PersonIndex;
	templates: TemplateRepository;
	templateSends: TemplateSendClaims;
	/** Monthly message counts by pricing category, per number. */
	usage: UsageRepository;
	scheduler: RetryScheduler & QrScheduler;
	http: HttpClient;
	providers: ProviderDirectory;
	log?: Log;
}

/** The adapter an instance was added with. */
export function providerOf(deps: Pick<CoreDeps, 'providers'>, instance: Pick<InstanceRecord, 'provider' | 'id'>): WhatsAppProvider {
	const provider = deps.providers.get(instance.provider);
	if (!provider) throw new Error(`instance ${instance.id}: provider ${instance.provider} is not available`);
	return provider;
}

/** The instance's provider bound to it, for this call's HTTP client. */
export function sessionOf(deps: Pick<CoreDeps, 'providers' | 'http'>, instance: InstanceRecord): ProviderSession {
	return providerOf(deps, instance).session(deps.http, instance);
}

/** Business number for display: `+digits`, or '?' when not learnt yet. */
export function displayNumber(number: string | undefined): string {
	return number ? `+${number}` : '?';
}
