// The composition root's helper: the core's ports, implemented by src/rocketchat and src/store, for one
// call into the app (endpoint, job, command or event), with the provider registry.

import { CoreDeps } from './core/Core';
import { Log } from './core/log';
import { ProviderDirectory } from './core/ports/provider';
import { Accessors, RocketChatAdapter } from './rocketchat/RocketChatAdapter';
import { HttpAdapter } from './rocketchat/HttpAdapter';
import { RocketChatRetryScheduler } from './rocketchat/RetryScheduler';
import { ContactStore } from './store/ContactStore';
import { InboxStore } from './store/InboxStore';
import { InstanceStore } from './store/InstanceStore';
import { OpenRoomStore } from './store/OpenRoomStore';
import { OutboxStore } from './store/OutboxStore';
import { PersonIndexStore } from './store/PersonIndexStore';
import { SeenArchiveStore } from './store/SeenArchiveStore';
import { BusinessAppStore } from './store/BusinessAppStore';
import { Store } from './store/Store';
import { TemplateSendStore } from './store/TemplateSendStore';
import { TemplateStore } from './store/TemplateStore';
import { UsageStore } from './store/UsageStore';

/** `log`: lines wait for the end of the call (src/rocketchat/appLog.ts); every caller logs, jobs included. */
export function coreDeps(a: Accessors, providers: ProviderDirectory, log: Log = new Log()): CoreDeps {
	const store = new Store(a.read.getPersistenceReader(), a.persis);
	return {
		rc: new RocketChatAdapter(a.read, a.modify),
		contacts: new ContactStore(store),
		instances: new InstanceStore(store),
		inbox: new InboxStore(store),
		outbox: new OutboxStore(store),
		openRooms: new OpenRoomStore(store),
		seenArchive: new SeenArchiveStore(store),
		businessApp: new BusinessAppStore(store),
		people: new PersonIndexStore(store),
		templates: new TemplateStore(store),
		templateSends: new TemplateSendStore(store),
		usage: new UsageStore(store),
		scheduler: new RocketChatRetryScheduler(a.modify),
		http: new HttpAdapter(a.http),
		providers,
		log,
	};
}
