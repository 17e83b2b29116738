// The customer's phone on the WhatsApp Cloud API — Meta's Graph API (CloudPhone) or 360dialog (Dialog360Phone):
// the fakes of test/fakes/FakeCloudApi.ts are the provider the app talks to, the message builders of
// test/fixtures/cloud.ts make what the customer sends, the fake writes (and for Meta signs) the webhooks, and a
// WebhookQueue delivers them where the app said. The two differ only in how a number is connected and how the
// webhook reaches the app; everything else is shared here.
import { randomBytes } from 'crypto';
import { CloudSent, FakeDialog360, FakeGraphApi, SignedWebhook } from '../../fakes/FakeCloudApi';
import { msg, status, template } from '../../fixtures/cloud';
import {
	BusinessMessage, Customer, DeliveryState, MessageRef, Notification, PhoneAction, PhoneFile, PhoneProvider, ProviderFaults, ProviderInstanceView,
} from './PhoneProvider';
import { DeliveryRunner, WebhookQueue, WebhookTarget } from './WebhookQueue';

const SLOW_MS = 3000;
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);
const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'audio/ogg': 'ogg', 'video/mp4': 'mp4', 'application/pdf': 'pdf' };

/** Two approved templates of the business account, so the window / template flow has something to offer. */
export const SANDBOX_TEMPLATES = [
	template({ name: 'order_update', body: 'Hello {{1}}, there is news about your order {{2}}. Reply to this message to continue.' }),
	template({ name: 'follow_up', body: 'Hi {{1}}, we are still here for you. Write back whenever you like.', category: 'MARKETING' }),
];

/** The webhook URL as the page may show it: its secret query parameter masked. */
const withoutSecret = (url: string): string => url.replace(/([?&]secret=)[^&]*/, '$1•••');
type CloudFake = FakeGraphApi | FakeDialog360;
/** The fixtures' media messages name a typical MIME type; the phone's file says the real one. */
const withMime = (m: Record<string, any>, type: string, f: PhoneFile) => ({ ...m, [type]: { ...m[type], mime_type: f.mimeType } });

abstract class CloudApiPhone<F extends CloudFake> implements PhoneProvider {
	abstract readonly id: string;
	abstract readonly label: string;
	readonly canEditOrDelete = false;
	readonly phoneNumberId = '106540352242922';
	readonly wabaId = '102290129340398';
	readonly businessNumber = '15550783881';
	/** made up per run: the sandbox types it into `/whatsapp instance add`, nowhere else */
	protected readonly secret = randomBytes(24).toString('hex');
	protected fake!: F;
	protected webhook?: WebhookTarget;
	private readonly queue: WebhookQueue;
	private linked = true;

	constructor(run: DeliveryRunner, retryMs = 3000) {
		this.queue = new WebhookQueue(() => {
			if (!this.webhook) throw new Error(`${this.label}: the app has not configured a webhook yet`);
			return this.webhook;
		}, run, retryMs);
	}

	protected abstract startFake(): Promise<F>;
	/** Meta's app secret the webhooks are signed with ('' for 360dialog, which does not sign). */
	protected abstract signingSecret(): string;
	abstract connectCommand(department: string): string[];
	abstract afterConnect(answer: string): void;

	async start(): Promise<void> {
		this.fake = await this.startFake();
		// A coexistence number: the business can also type in the WhatsApp Business app (businessAppTypes).
		this.fake.addNumber({ phoneNumberId: this.phoneNumberId, display: this.businessNumber, wabaId: this.wabaId, secret: this.secret, verifiedName: 'Acme Support', coexistence: true });
		for (const t of SANDBOX_TEMPLATES) this.fake.addTemplate(this.wabaId, t);
	}
	async stop(): Promise<void> {
		this.queue.stop();
		await this.fake?.stop();
	}
	/** The customer-service window closes on the sandbox's clock (its "advance clock" moves it). */
	useClock(now: () => number): void {
		this.fake.clock = now;
	}

	mediaHosts(): string[] {
		return [new URL(this.fake.apiUrl).host];
	}
	instance(): ProviderInstanceView {
		return { id: this.phoneNumberId, number: this.businessNumber, state: this.linked ? 'CONNECTED' : 'DISCONNECTED', webhookUrl: this.webhook ? withoutSecret(this.webhook.url) : '' };
	}

	customerActs(customer: Customer, action: PhoneAction): string {
		const o = { from: customer.phone, timestamp: String(Math.floor(this.fake.clock() / 1000)) };
		const m = this.message(customer, action, o);
		const body = this.fake.webhook(this.phoneNumberId, { messages: [m], contacts: [{ profile: { name: customer.name }, wa_id: customer.phone }] }, this.signingSecret());
		this.push(`${String(m.type)} from ${customer.name}`, body, { messageId: String(m.id), customerPhone: customer.phone });
		return String(m.id);
	}

	private message(customer: Customer, a: PhoneAction, o: { from: string; timestamp: string }): Record<string, unknown> {
		const reply = (m: Record<string, unknown>, q?: MessageRef) => (q ? msg.withContext(m, q.messageId, { from: q.fromBusiness ? this.businessNumber : customer.phone }) : m);
		const media = (f: PhoneFile) => this.fake.addMedia(this.phoneNumberId, f.bytes, f.mimeType.replace(/;.*$/, ''));
		switch (a.kind) {
			case 'text':
				return reply(msg.text(a.text, o), a.quote);
			case 'image':
				return reply(withMime({ ...msg.image(media(a.file), a.caption, o) }, 'image', a.file), a.quote);
			case 'document':
				return reply(withMime({ ...msg.document(media(a.file), a.file.name, a.caption), ...o }, 'document', a.file), a.quote);
			case 'voice':
				return reply({ ...msg.voice(media(a.file)), ...o }, a.quote);
			case 'location':
				return reply({ ...msg.location(a.latitude, a.longitude, a.name, a.address), ...o }, a.quote);
			case 'contact': {
				const wa = a.phone.replace(/\D/g, '');
				return reply({ ...msg.contacts(), ...o, contacts: [{ name: { formatted_name: a.name, first_name: a.name }, phones: [{ phone: `+${wa}`, wa_id: wa, type: 'CELL' }] }] }, a.quote);
			}
			case 'reaction':
				return { ...msg.reaction(a.target.messageId, a.emoji), ...o };
			case 'edit':
			case 'delete':
				// Normal Cloud API numbers get no edit / revoke webhooks; the page does not offer them here.
				throw new Error(`${this.label}: customers' ${a.kind}s do not reach the business`);
		}
	}

	businessAppTypes(customer: Customer, text: string): string {
		const { webhook, id } = this.fake.businessTypes(this.phoneNumberId, customer.phone.replace(/\D/g, ''), text, { appSecret: this.signingSecret() });
		this.push(`business app message to ${customer.name}`, webhook, { messageId: id, customerPhone: customer.phone });
		return id;
	}

	reportDelivery(customerPhone: string, messageId: string, state: DeliveryState): void {
		this.push(`status ${state}`, this.fake.statusWebhook(this.phoneNumberId, [{ id: messageId, status: state, to: customerPhone }], this.signingSecret()), { customerPhone });
	}

	private push(label: string, w: SignedWebhook, ref: { messageId?: string; customerPhone?: string }): void {
		// The exact bytes Meta signed, with its headers.
		this.queue.push(label, w.raw, ref, w.headers);
	}

	businessMessages(): BusinessMessage[] {
		return this.fake.sent.filter((s) => s.phoneNumberId === this.phoneNumberId).map((s) => this.toBusiness(s));
	}
	private toBusiness(s: CloudSent): BusinessMessage {
		const c = (s.body[s.type] ?? {}) as Record<string, any>;
		const base = { id: s.id, customerPhone: s.to, quotedMessageId: s.body.context?.message_id, method: `messages (${s.type})`, at: s.at };
		if (s.type === 'text') return { ...base, kind: 'text', text: c.body };
		if (MEDIA_TYPES.has(s.type)) {
			const f = this.fileOf(s);
			return { ...base, kind: 'file', caption: c.caption, file: { name: f?.name ?? s.type, mimeType: f?.mimeType ?? 'application/octet-stream', size: f?.bytes.length ?? 0 } };
		}
		if (s.type === 'location') return { ...base, kind: 'location', text: `📍 ${[c.name, c.address].filter(Boolean).join(', ')} (${c.latitude}, ${c.longitude})` };
		if (s.type === 'contacts') return { ...base, kind: 'contact', text: (s.body.contacts ?? []).map((x: any) => `👤 ${x.name?.formatted_name ?? ''} ${x.phones?.[0]?.phone ?? ''}`).join('\n') };
		if (s.type === 'template') return { ...base, kind: 'text', text: this.templateText(c) };
		if (s.type === 'reaction') return { ...base, kind: 'other', text: `${c.emoji || '∅'} (reaction)`, quotedMessageId: c.message_id };
		return { ...base, kind: 'other', text: s.type };
	}
	/** A template as the customer's phone shows it: its body with the parameters filled in. */
	private templateText(c: Record<string, any>): string {
		const t = SANDBOX_TEMPLATES.find((x) => x.name === c.name);
		const body = String((t?.components as Array<Record<string, unknown>> | undefined)?.find((x) => x.type === 'BODY')?.text ?? c.name);
		const params: unknown[] = (c.components ?? []).find((x: any) => x.type === 'body')?.parameters ?? [];
		return body.replace(/\{\{(\d+)\}\}/g, (all, i) => String((params[Number(i) - 1] as any)?.text ?? all));
	}
	private fileOf(s: CloudSent): PhoneFile | undefined {
		const c = (s.body[s.type] ?? {}) as Record<string, any>;
		const f = typeof c.id === 'string' ? this.fake.mediaFile(c.id) : undefined;
		if (!f) return undefined;
		return { name: c.filename ?? `${s.type}.${EXT[f.mimeType] ?? 'bin'}`, mimeType: f.mimeType, bytes: f.bytes };
	}
	businessFile(messageId: string): PhoneFile | undefined {
		const s = this.fake.sent.find((m) => m.id === messageId);
		return s && this.fileOf(s);
	}

	notifications(): Notification[] {
		return this.queue.list();
	}

	setFaults(f: ProviderFaults): void {
		if (!f.down && !f.slow && !f.rateLimited) return this.fake.setFailureMode(undefined);
		this.fake.setFailureMode((req) => {
			if (f.down) return FakeGraphApi.error(503, 2, 'Service temporarily unavailable');
			if (f.rateLimited && req.method === 'messages') return FakeGraphApi.error(429, 130429, 'Rate limit hit', 'Cloud API message throughput has been reached.');
			if (f.slow) return { delayMs: SLOW_MS };
			return undefined;
		});
	}

	/** A Cloud API number has no QR link; "unlinked" is the number failing its health check. */
	setLinked(linked: boolean): void {
		this.linked = linked;
		const n = this.fake.number(this.phoneNumberId);
		n.status = linked ? 'CONNECTED' : 'DISCONNECTED';
		n.canSend = linked ? 'AVAILABLE' : 'BLOCKED';
	}

	version(): string {
		const answered = this.fake.requests.filter((r) => r.status !== undefined).length;
		return `${this.fake.requests.length}.${answered}.${this.queue.version()}.${this.linked}`;
	}

	recentRequests(n: number): Array<{ seq: number; method: string; status?: number; outcome?: string; ms?: number }> {
		return this.fake.requests.slice(-n).map((r) => ({ seq: r.seq, method: r.method, status: r.status, outcome: r.outcome, ms: r.respondedAt !== undefined ? r.respondedAt - r.at : undefined }));
	}
}

/** Meta's Cloud API: the admin adds the number with its token, WABA and app secret; Meta signs every webhook. */
export class CloudPhone extends CloudApiPhone<FakeGraphApi> {
	readonly id = 'cloud';
	readonly label = 'WhatsApp Cloud API';
	private readonly appSecret = randomBytes(16).toString('hex');

	protected startFake(): Promise<FakeGraphApi> {
		return FakeGraphApi.start();
	}
	protected signingSecret(): string {
		return this.appSecret;
	}
	connectCommand(department: string): string[] {
		return ['instance', 'add', 'cloud', this.phoneNumberId, this.secret, this.wabaId, this.appSecret, department, this.fake.apiUrl];
	}
	/** The admin pastes the callback URL the app answered into Meta's dashboard. */
	afterConnect(answer: string): void {
		// The first line shows the URL with its secret masked; the line to paste carries it.
		const url = [...answer.matchAll(/https?:\/\/\S+\/cloud\?\S+/g)].map((m) => m[0].replace(/[).,]+$/, '')).find((u) => !u.includes('*'));
		if (!url) throw new Error('WhatsApp Cloud API: `/whatsapp instance add cloud` gave no webhook URL');
		this.webhook = { url, headers: {} };
	}
}

/**
 * 360dialog: the admin adds the number with its API key; the app configures the webhook itself (URL + a secret
 * header). 360dialog refuses a webhook URL with a port, so Rocket.Chat's Site_Url is a port-less name and the
 * phone delivers to the sandbox's real address (what a tunnel or reverse proxy does in front of a real server).
 */
export class Dialog360Phone extends CloudApiPhone<FakeDialog360> {
	readonly id = '360dialog';
	readonly label = '360dialog';
	static readonly PUBLIC_SITE_URL = 'http://sandbox.localhost';
	private localUrl = '';

	protected startFake(): Promise<FakeDialog360> {
		return FakeDialog360.start();
	}
	protected signingSecret(): string {
		return '';
	}
	/** The Site_Url Rocket.Chat runs with, for the local address the sandbox listens on. */
	publicSiteUrl(localUrl: string): string {
		this.localUrl = localUrl;
		return Dialog360Phone.PUBLIC_SITE_URL;
	}
	connectCommand(department: string): string[] {
		return ['instance', 'add', '360dialog', this.secret, department, this.fake.apiUrl];
	}
	afterConnect(): void {
		const config = this.fake.webhookConfigs.get(this.phoneNumberId);
		if (!config) throw new Error('360dialog: `/whatsapp instance add 360dialog` did not configure the webhook (/v1/configs/webhook)');
		const u = new URL(config.url);
		this.webhook = { url: this.localUrl ? `${this.localUrl}${u.pathname}${u.search}` : config.url, headers: config.headers };
	}
}
