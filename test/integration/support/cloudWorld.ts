// A Rocket.Chat with the packaged app, a fake Cloud API (Meta's Graph API or 360dialog), an admin, an
// agent and one number added with `/whatsapp instance add cloud|360dialog …` — the app's HTTP goes to the
// fake through the instance's graphUrl / baseUrl.
import { CLOUD } from '../../fixtures/cloud';
import { FakeDialog360, FakeGraphApi, SignedWebhook } from '../../fakes/FakeCloudApi';
import { EndpointRequest, TestRocketChat } from '../../runtime/TestRocketChat';

export const D360_KEY = 'D360keyForIntegration0123456789abcdef';

export interface CloudWorld {
	rc: TestRocketChat;
	fake: FakeGraphApi | FakeDialog360;
	admin: { id: string; username: string };
	agent: { id: string; username: string };
	department: { id: string; name: string };
	/** The instance id (Cloud: the phone number id; 360dialog: derived from the key). */
	instanceId: string;
	/** The webhook endpoint path and the query of the URL the admin was given. */
	path: string;
	query: Record<string, string>;
	/** The verify token the admin was shown (Cloud only). */
	verifyToken?: string;
	/** The private answer `instance add` gave. */
	addAnswer: string;
	/** Headers a genuine webhook carries besides Meta's signature (360dialog: the configured secret header). */
	headers: Record<string, string>;
	/** Posts a webhook body (raw text, as the provider sends it) to the app. */
	post(w: SignedWebhook, o?: { query?: EndpointRequest['query']; headers?: Record<string, string> }): Promise<{ status: number; content?: any }>;
	/** The customer writes: message objects (test/fixtures/cloud.ts `msg.*`) in one webhook. */
	customerSends(...messages: Array<Record<string, unknown>>): Promise<{ status: number; content?: any }>;
	roomMessages(roomId: string): any[];
	/** The customer's open room (after their first message). */
	roomOf(chatId: string): string;
	answers(userId: string, args: string, roomId?: string): Promise<string>;
	stop(): Promise<void>;
}

export async function startCloudWorld(o: { provider?: 'cloud' | '360dialog'; acceptChatsWithNoAgents?: boolean; appSettings?: Record<string, unknown>; outboundLicence?: boolean } = {}): Promise<CloudWorld> {
	const provider = o.provider ?? 'cloud';
	const fake = provider === 'cloud' ? await FakeGraphApi.start() : await FakeDialog360.start();
	fake.addNumber({ phoneNumberId: CLOUD.phoneNumberId, display: CLOUD.display, wabaId: CLOUD.wabaId, secret: provider === 'cloud' ? CLOUD.accessToken : D360_KEY });
	const rc = await TestRocketChat.start({ acceptChatsWithNoAgents: o.acceptChatsWithNoAgents ?? false, appSettings: o.appSettings, outboundLicence: o.outboundLicence });
	try {
		// The fake is on 127.0.0.1: media from it only because an admin allowed it (as world.ts does for GREEN-API).
		if (o.appSettings?.media_extra_hosts === undefined) await rc.setAppSetting('media_extra_hosts', new URL(fake.apiUrl).host);
		const department = rc.addDepartment({ name: 'Support' });
		const admin = rc.addUser({ username: 'admin', roles: ['admin', 'user'], status: 'online' });
		const agent = rc.addUser({ username: 'agent.smith', name: 'Agent Smith', roles: ['livechat-agent', 'user'], status: 'online', departmentIds: [department.id] });
		const answers: CloudWorld['answers'] = async (userId, args, roomId) => {
			const before = rc.rc.notices.length;
			await rc.runCommand('whatsapp', args.split(' ').filter(Boolean), { userId, roomId });
			return rc.rc.notices.slice(before).map((n: any) => n.text).join('\n');
		};
		const add = provider === 'cloud'
			? `instance add cloud ${CLOUD.phoneNumberId} ${CLOUD.accessToken} ${CLOUD.wabaId} ${CLOUD.appSecret} Support ${fake.apiUrl}`
			: `instance add 360dialog ${D360_KEY} Support ${fake.apiUrl}`;
		const addAnswer = await answers(admin.id, add);
		// The URL with its secret: the one the admin is told to paste (Cloud), or the one 360dialog was given.
		const configured = fake instanceof FakeDialog360 ? fake.webhookConfigs.get(CLOUD.phoneNumberId)?.url ?? '' : '';
		const url = [...`${addAnswer}\n${configured}`.matchAll(/https?:\/\/\S+\/(cloud|360dialog)\?(\S+)/g)].find((m) => !m[2].includes('*'));
		if (!url) throw new Error(`instance add gave no webhook URL: ${addAnswer}\n${rc.appLogText().slice(-1500)}`);
		const query = Object.fromEntries(new URLSearchParams(url[2].replace(/[).,]+$/, '')));
		const verifyToken = /verify token: ([0-9a-f]{32})/.exec(addAnswer)?.[1];
		let headers: Record<string, string> = {};
		if (fake instanceof FakeDialog360) {
			const config = fake.webhookConfigs.get(CLOUD.phoneNumberId);
			if (!config) throw new Error('360dialog webhook was not configured by instance add');
			headers = Object.fromEntries(Object.entries(config.headers).map(([k, v]) => [k.toLowerCase(), v]));
		}
		const post: CloudWorld['post'] = (w, p = {}) =>
			rc.callEndpoint(url[1], { method: 'POST', headers: { ...w.headers, ...headers, ...p.headers }, query: p.query ?? query, content: w.raw });
		return {
			rc, fake, admin, agent, department, instanceId: query.instance, path: url[1], query, verifyToken, addAnswer, headers, post,
			customerSends: (...messages) => post(fake.webhook(CLOUD.phoneNumberId, { messages }, provider === 'cloud' ? CLOUD.appSecret : '')),
			roomMessages: (roomId) => rc.rc.messages.filter((m: any) => m.rid === roomId),
			roomOf: (chatId) => {
				const contact = rc.rc.persistence.find((p) => p.data?.chatId === chatId && p.data?.roomId);
				if (!contact) throw new Error(`no room for ${chatId}`);
				return contact.data.roomId as string;
			},
			answers,
			async stop() {
				await rc.stop();
				await fake.stop();
			},
		};
	} catch (e) {
		await rc.stop();
		await fake.stop();
		throw e;
	}
}
