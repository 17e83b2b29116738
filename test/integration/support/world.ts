// A Rocket.Chat with the packaged app, a fake GREEN-API, an admin, an agent and one connected
// WhatsApp number, so conversation tests read like conversations.
import { EndpointRequest, TestRocketChat } from '../../runtime/TestRocketChat';
import { FakeGreenApi } from '../../fakes/FakeGreenApi';
import { GA, incoming, MessageData, EnvelopeOptions } from '../../fixtures/greenapi';

export interface World {
	rc: TestRocketChat;
	green: FakeGreenApi;
	admin: { id: string; username: string };
	agent: { id: string; username: string };
	department: { id: string; name: string };
	/** The webhook token the app generated for the instance (read from what GREEN-API received). */
	webhookToken: string;
	/** Post a GREEN-API notification to the app's webhook, authenticated like GREEN-API does. */
	webhook(content: unknown, opts?: { token?: string; bearer?: boolean; query?: EndpointRequest['query'] }): Promise<{ status: number; content?: any }>;
	/** The customer writes (incomingMessageReceived); returns the webhook answer and the payload. */
	customerSends(md: MessageData, opts?: EnvelopeOptions): Promise<{ status: number; content?: any; payload: any }>;
	/** Messages in a room, oldest first. */
	roomMessages(roomId: string): any[];
	stop(): Promise<void>;
}

export async function startWorld(opts: { acceptChatsWithNoAgents?: boolean; agentOnline?: boolean; appSettings?: Record<string, unknown>; maxUploadBytes?: number; withheldPermissions?: string[]; outboundLicence?: boolean } = {}): Promise<World> {
	const green = await FakeGreenApi.start();
	green.addInstance({ idInstance: GA.idInstance, apiTokenInstance: GA.apiToken, wid: GA.wid, state: 'authorized' });
	const rc = await TestRocketChat.start({ acceptChatsWithNoAgents: opts.acceptChatsWithNoAgents ?? false, appSettings: opts.appSettings, maxUploadBytes: opts.maxUploadBytes, withheldPermissions: opts.withheldPermissions, outboundLicence: opts.outboundLicence });
	try {
		// The fake's file host is not one of GREEN-API's media hosts: allowed the way an admin would.
		if (opts.appSettings?.media_extra_hosts === undefined) await rc.setAppSetting('media_extra_hosts', new URL(green.filesUrl).host);
		const department = rc.addDepartment({ name: 'Support' });
		const admin = rc.addUser({ username: 'admin', roles: ['admin', 'user'], status: 'online' });
		const agent = rc.addUser({ username: 'agent.smith', name: 'Agent Smith', roles: ['livechat-agent', 'user'], status: opts.agentOnline === false ? 'offline' : 'online', departmentIds: [department.id] });
		await rc.runCommand('whatsapp', ['instance', 'add', GA.idInstance, GA.apiToken, 'Support', green.apiUrl, green.mediaUrl], { userId: admin.id });
		const settings = green.webhookSettings(GA.idInstance);
		const webhookToken = String(settings.webhookUrlToken || '');
		if (!webhookToken) throw new Error(`instance add did not configure the webhook: ${JSON.stringify(rc.rc.notices.slice(-1))}`);
		const webhook: World['webhook'] = (content, o = {}) => {
			const token = o.token ?? webhookToken;
			return rc.callEndpoint('greenapi', {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: o.bearer === false ? token : `Bearer ${token}` },
				query: o.query ?? { instance: GA.idInstance },
				content,
			});
		};
		return {
			rc, green, admin, agent, department, webhookToken, webhook,
			async customerSends(md, o) {
				const payload = incoming(md, o);
				const res = await webhook(payload);
				return { ...res, payload };
			},
			roomMessages: (roomId) => rc.rc.messages.filter((m: any) => m.rid === roomId),
			async stop() {
				await rc.stop();
				await green.stop();
			},
		};
	} catch (e) {
		await rc.stop();
		await green.stop();
		throw e;
	}
}
