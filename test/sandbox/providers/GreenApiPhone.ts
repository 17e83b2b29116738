// The customer's phone on GREEN-API: the fake GREEN-API (test/fakes) is the provider the app talks to, the
// payload builders of test/fixtures make the notifications GREEN-API would send, and a WebhookQueue delivers
// them to the address and with the token the app configured through setSettings.
import { randomBytes } from 'crypto';
import { FakeGreenApi, GreenApiFailures, SEND_METHODS, SentMessage } from '../../fakes/FakeGreenApi';
import {
	contactMessage, deletedMessage, documentMessage, editedMessage, EnvelopeOptions, imageMessage, incoming, interactiveButtonsReply, locationMessage, MessageData, quoted,
	reactionMessage, stateChanged, status, textMessage, voiceMessage, withQuote,
} from '../../fixtures/greenapi';
import {
	BusinessMessage, Customer, DeliveryState, MessageRef, Notification, PhoneAction, PhoneFile, PhoneProvider, ProviderFaults, ProviderInstanceView,
} from './PhoneProvider';
import { DeliveryRunner, WebhookQueue } from './WebhookQueue';

const SLOW_MS = 3000;
const RATE_LIMIT_RETRY_AFTER_S = 5;
const KIND_LABEL: Record<PhoneAction['kind'], string> = {
	text: 'textMessage', image: 'imageMessage', document: 'documentMessage', voice: 'audioMessage (voice)', location: 'locationMessage',
	contact: 'contactMessage', reaction: 'reactionMessage', edit: 'editedMessage', delete: 'deletedMessage', choice: 'interactiveButtonsReply',
};

export class GreenApiPhone implements PhoneProvider {
	readonly id = 'greenapi';
	readonly label = 'GREEN-API';
	readonly canEditOrDelete = true;
	readonly idInstance = '1101000001';
	readonly businessNumber = '79990000000';
	/** made up per run: the sandbox types it into `/whatsapp instance add`, nowhere else */
	private readonly apiToken = randomBytes(25).toString('hex');
	private fake!: FakeGreenApi;
	private readonly queue: WebhookQueue;
	private webhook?: { url: string; token: string };
	private idSeq = 0;

	constructor(run: DeliveryRunner, retryMs = 3000) {
		this.queue = new WebhookQueue(() => {
			if (!this.webhook) throw new Error('GREEN-API: the app has not configured a webhook yet');
			return { url: this.webhook.url, headers: { authorization: `Bearer ${this.webhook.token}` } };
		}, run, retryMs);
	}

	private get wid(): string {
		return `${this.businessNumber}@c.us`;
	}

	async start(): Promise<void> {
		this.fake = await FakeGreenApi.start();
		// Record the bytes of files the app sends by URL too, so the phone can show them.
		this.fake.fetchUrlFiles = true;
		this.fake.addInstance({ idInstance: this.idInstance, apiTokenInstance: this.apiToken, wid: this.wid, state: 'authorized' });
	}
	async stop(): Promise<void> {
		this.queue.stop();
		await this.fake?.stop();
	}

	connectCommand(department: string): string[] {
		return ['instance', 'add', this.idInstance, this.apiToken, department, this.fake.apiUrl, this.fake.mediaUrl];
	}
	mediaHosts(): string[] {
		return [new URL(this.fake.filesUrl).host];
	}

	afterConnect(): void {
		const s = this.fake.webhookSettings(this.idInstance);
		const url = String(s.webhookUrl || '');
		const token = String(s.webhookUrlToken || '');
		if (!url || !token) throw new Error('GREEN-API: `/whatsapp instance add` did not configure the webhook (setSettings)');
		this.webhook = { url, token };
	}
	instance(): ProviderInstanceView {
		return { id: this.idInstance, number: this.businessNumber, state: this.fake.getState(this.idInstance), webhookUrl: this.webhook?.url ?? '' };
	}

	customerActs(customer: Customer, action: PhoneAction): string {
		const idMessage = this.nextId();
		const chatId = `${customer.phone}@c.us`;
		const env: EnvelopeOptions = {
			idInstance: this.idInstance, wid: this.wid, chatId, idMessage, timestamp: Math.floor(Date.now() / 1000), chatName: customer.name, senderName: customer.name,
		};
		const payload = incoming(this.messageData(chatId, idMessage, action), env);
		this.queue.push(`${KIND_LABEL[action.kind]} from ${customer.name}`, payload, { messageId: idMessage, customerPhone: customer.phone });
		return idMessage;
	}

	private messageData(chatId: string, idMessage: string, a: PhoneAction): MessageData {
		const withReply = (md: MessageData, q?: MessageRef) => (q ? withQuote(md, quoted(q.messageId, { text: q.text, participant: q.fromBusiness ? this.wid : chatId })) : md);
		switch (a.kind) {
			case 'text':
				return withReply(textMessage(a.text), a.quote);
			case 'image':
				return withReply(imageMessage(this.serve(idMessage, a.file), a.caption ?? '', { fileName: a.file.name, mimeType: a.file.mimeType }), a.quote);
			case 'document':
				return withReply(documentMessage(this.serve(idMessage, a.file), a.file.name, a.file.mimeType, a.caption ?? ''), a.quote);
			case 'voice':
				return withReply(voiceMessage(this.serve(idMessage, a.file)), a.quote);
			case 'location':
				return withReply(locationMessage(a.latitude, a.longitude, { name: a.name, address: a.address }), a.quote);
			case 'contact':
				return withReply(contactMessage(a.name, a.phone), a.quote);
			case 'reaction':
				return reactionMessage(a.emoji, a.target.messageId, a.target.fromBusiness ? this.wid : chatId);
			case 'edit':
				return editedMessage(a.target.messageId, a.text);
			case 'delete':
				return deletedMessage(a.target.messageId);
			case 'choice': {
				const question = (this.fake.sent[this.idInstance] ?? []).find((s) => s.idMessage === a.target.messageId);
				const choice = question && this.toBusiness(question).choices?.find((c) => c.id === a.optionId);
				if (!choice) throw new Error(`${this.label}: no such button ${a.optionId} on ${a.target.messageId}`);
				return interactiveButtonsReply(choice.title, choice.id, a.target.messageId);
			}
		}
	}

	/** GREEN-API hands the app a download link on its media storage: the fake's file host. */
	private serve(idMessage: string, file: PhoneFile): string {
		return this.fake.serveFile(`${idMessage}-${file.name}`, file.bytes, file.mimeType);
	}

	reportDelivery(customerPhone: string, messageId: string, state: DeliveryState): void {
		const payload = status(messageId, state, { chatId: `${customerPhone}@c.us`, idInstance: this.idInstance, wid: this.wid, timestamp: Math.floor(Date.now() / 1000) });
		this.queue.push(`outgoingMessageStatus ${state}`, payload, { customerPhone });
	}

	businessMessages(): BusinessMessage[] {
		return (this.fake.sent[this.idInstance] ?? []).map((s) => this.toBusiness(s));
	}
	private toBusiness(s: SentMessage): BusinessMessage {
		const base = { id: s.idMessage, customerPhone: s.chatId.replace(/@.*$/, ''), quotedMessageId: s.quotedMessageId, method: s.method, at: s.at };
		const f = s.fields as Record<string, any>;
		switch (s.method) {
			case 'sendMessage':
				return { ...base, kind: 'text', text: s.text };
			case 'sendInteractiveButtonsReply':
				return { ...base, kind: 'other', text: [f.header, f.body].filter(Boolean).join('\n'), choices: (f.buttons ?? []).map((b: any) => ({ id: b.buttonId, title: b.buttonText })) };
			case 'sendFileByUpload':
			case 'sendFileByUrl':
				return {
					...base, kind: 'file', caption: s.caption,
					file: { name: s.fileName ?? 'file', mimeType: s.file?.mimeType ?? 'application/octet-stream', size: s.file?.size ?? s.file?.bytes?.length ?? 0 },
				};
			case 'sendLocation':
				return { ...base, kind: 'location', text: `📍 ${[f.nameLocation, f.address].filter(Boolean).join(', ')} (${f.latitude}, ${f.longitude})` };
			case 'sendContact':
				return { ...base, kind: 'contact', text: `👤 ${[f.contact?.firstName, f.contact?.lastName].filter(Boolean).join(' ')} +${f.contact?.phoneContact}` };
			default:
				return { ...base, kind: 'other', text: s.method };
		}
	}
	businessFile(messageId: string): PhoneFile | undefined {
		const s = (this.fake.sent[this.idInstance] ?? []).find((m) => m.idMessage === messageId);
		if (!s?.file?.bytes) return undefined;
		return { name: s.fileName ?? 'file', mimeType: s.file.mimeType ?? 'application/octet-stream', bytes: s.file.bytes };
	}

	notifications(): Notification[] {
		return this.queue.list();
	}

	setFaults(f: ProviderFaults): void {
		if (!f.down && !f.slow && !f.rateLimited) return this.fake.setFailureMode(undefined);
		this.fake.setFailureMode((req) => {
			if (f.down) return GreenApiFailures.badGateway;
			if (f.rateLimited && SEND_METHODS.has(req.method)) return GreenApiFailures.tooManyRequests(RATE_LIMIT_RETRY_AFTER_S);
			if (f.slow) return { delayMs: SLOW_MS };
			return undefined;
		});
	}

	setLinked(linked: boolean): void {
		const state = linked ? 'authorized' : 'notAuthorized';
		this.fake.setState(this.idInstance, state);
		this.queue.push(`stateInstanceChanged ${state}`, stateChanged(state, { idInstance: this.idInstance, wid: linked ? this.wid : '' }));
	}

	version(): string {
		const answered = this.fake.requests.filter((r) => r.status !== undefined).length;
		return `${this.fake.requests.length}.${answered}.${this.queue.version()}`;
	}

	recentRequests(n: number): Array<{ seq: number; method: string; status?: number; outcome?: string; ms?: number }> {
		return this.fake.requests.slice(-n).map((r) => ({ seq: r.seq, method: r.method, status: r.status, outcome: r.outcome, ms: r.respondedAt !== undefined ? r.respondedAt - r.at : undefined }));
	}

	private nextId(): string {
		// WhatsApp ids of messages written on a phone look like this (3EB0 + hex); unique per run.
		return `3EB0${Date.now().toString(16).toUpperCase()}${(++this.idSeq).toString(16).toUpperCase().padStart(4, '0')}`;
	}
}
