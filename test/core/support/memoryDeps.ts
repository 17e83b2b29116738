// The core's ports in memory, for unit tests of core services with a provider whose capabilities a test chooses
// (the packaged app only has GREEN-API). Everything records what it was asked.
import { CoreDeps } from '../../../src/core/Core';
import { HttpClient } from '../../../src/core/ports/http';
import { ProviderCapabilities, ProviderSession, SessionTemplates, WhatsAppProvider } from '../../../src/core/ports/provider';
import { ContactRecord, InboxItem, InstanceRecord, OutboxItem, QueueItem, QueueRepository } from '../../../src/core/ports/records';
import { CoreSettings, RocketChatPort } from '../../../src/core/ports/rocketchat';
import { GREENAPI_CAPABILITIES } from '../../../src/providers/greenapi/GreenApiProvider';

export const SETTINGS: CoreSettings = {
	defaultDepartment: '', groupChats: 'ignore', deliveryStatus: 'failures', maxAttempts: 12, giveUpAfterMinutes: 1440,
	closeMessageEnabled: false, closeMessageText: '', menuMaxTries: 3, menuTimeoutMinutes: 30, menuExitKeyword: '#exit', menuText: '', readReceipts: false, historyDays: 30,
	mediaExtraHosts: [],
};

class MemoryQueue<T extends QueueItem> implements QueueRepository<T> {
	readonly items: T[] = [];
	async all() { return [...this.items]; }
	async forChat(chatKey: string) { return this.items.filter((i) => i.chatKey === chatKey); }
	async save(item: T) { this.remove(item); this.items.push(item); }
	async remove(item: T) { const i = this.items.findIndex((x) => x.key === item.key); if (i >= 0) this.items.splice(i, 1); }
}

/** A provider with the given capabilities and session members, no webhook/admin (not used by the services under test). */
export function stubProvider(caps: Partial<ProviderCapabilities>, members: Partial<ProviderSession> = {}): WhatsAppProvider {
	const session: ProviderSession = {
		sendText: async () => ({ ok: true, messageId: 'sent-1' }), sendFile: async () => ({ ok: true, messageId: 'sent-2' }),
		downloadMedia: async () => ({ ok: false, retryable: false, reason: 'no' }), admin: undefined as never,
		...members,
	};
	return {
		name: 'stub', label: 'Stub WA', capabilities: { ...GREENAPI_CAPABILITIES, ...caps },
		webhook: undefined as never, admin: undefined as never,
		...(members.templates && { templates: { chatIdFor: (digits: string) => digits } }),
		session: () => session,
	};
}

/** Session templates that list none and send nothing (a provider that has templates). */
export const NO_TEMPLATES: SessionTemplates = { list: async () => ({ ok: true, templates: [] }), send: async () => ({ ok: false, retryable: false, reason: 'not in this test' }) };

export function memoryDeps(provider: WhatsAppProvider, settings: Partial<CoreSettings> = {}) {
	const contacts = new Map<string, ContactRecord>();
	const instance: InstanceRecord = { id: '1', provider: provider.name, number: '15550001111', webhookSecret: 'secret', credentials: {}, createdAt: 0 };
	const notices: Array<{ roomId: string; text: string }> = [];
	const scheduled: Array<{ kind: string; chatKey: string; at: number }> = [];
	const rc: Partial<RocketChatPort> = {
		settings: async () => ({ ...SETTINGS, ...settings }),
		siteUrl: async () => 'http://rc.test',
		postNotice: async (roomId, text) => { notices.push({ roomId, text }); return `n${notices.length}`; },
		findDepartment: async () => undefined,
	};
	const deps: CoreDeps = {
		rc: rc as RocketChatPort,
		contacts: {
			get: async (i, c) => contacts.get(`${i}:${c}`),
			byRoom: async (roomId) => [...contacts.values()].find((c) => c.roomId === roomId),
			save: async (c) => { contacts.set(`${c.instanceId}:${c.chatId}`, JSON.parse(JSON.stringify(c))); },
		},
		instances: { get: async (id) => (id === instance.id ? instance : undefined), list: async () => [instance], save: async () => undefined, remove: async () => undefined },
		openRooms: { add: async () => undefined, remove: async () => undefined, list: async () => [] },
		seenArchive: { has: async () => false, add: async () => undefined },
		businessApp: { contactName: async () => undefined, setContactName: async () => undefined, pendingHistory: async () => [], savePendingHistory: async () => undefined },
		people: (() => { const index = new Map<string, string>(); return { chatOf: async (i: string, k: string) => index.get(`${i}:${k}`), link: async (i: string, k: string, c: string) => { index.set(`${i}:${k}`, c); } }; })(),
		templates: { get: async () => undefined, save: async () => undefined },
		templateSends: { get: async () => undefined, save: async () => undefined, remove: async () => undefined },
		usage: { get: async () => undefined, save: async () => undefined },
		inbox: new MemoryQueue<InboxItem>(),
		outbox: new MemoryQueue<OutboxItem>(),
		scheduler: {
			scheduleRetry: async (direction, chatKey, at) => { scheduled.push({ kind: direction, chatKey, at }); },
			scheduleWindowCheck: async (chatKey, at) => { scheduled.push({ kind: 'window', chatKey, at }); },
			scheduleQrRefresh: async (data, at) => { scheduled.push({ kind: 'qr', chatKey: data.instanceId, at }); },
		},
		http: {} as HttpClient,
		providers: { get: (name) => (name === provider.name ? provider : undefined), all: () => [provider] },
	};
	const contact = (over: Partial<ContactRecord> = {}): ContactRecord => ({ instanceId: instance.id, chatId: '15557654321@c.us', name: 'Ann', dedupe: { ids: [] }, links: [], ...over });
	return { deps, contacts, instance, notices, scheduled, contact };
}
