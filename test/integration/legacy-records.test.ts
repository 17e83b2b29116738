// An instance record written by version 0.1.0 (GREEN-API credentials at the top level, `wid`,
// `webhookToken`) keeps working after the upgrade: same webhook URL and token, same visitor, agent
// answers sent with the stored credentials.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { STORED_BY_0_1_0 } from '../fixtures/legacy';
import { startWorld, World } from './support/world';

describe('records stored by 0.1.0', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('serve webhooks, keep the visitor and send agent answers with the stored credentials', async () => {
		expect((await w.customerSends(fx.textMessage('before the upgrade'))).status).toBe(200);
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		// Put the record back the way 0.1.0 wrote it (same associations), with this world's hosts and token.
		const rec = w.rc.rc.persistence.find((p) => p.data?.provider === 'greenapi' && p.data?.id === GA.idInstance)!;
		rec.data = { ...STORED_BY_0_1_0, apiUrl: w.green.apiUrl, mediaUrl: w.green.mediaUrl, webhookToken: w.webhookToken, departmentId: w.department.id };
		// A new app process, as after the upgrade (the instance cache is per process).
		const pid = w.rc.denoPid()!;
		process.kill(pid, 'SIGKILL');
		await w.rc.waitForAppRestart(pid);

		const res = await w.customerSends(fx.textMessage('after the upgrade'));
		expect(res.status).toBe(200);
		expect(res.content.outcome).toBe('posted');
		expect(w.roomMessages(room.id).map((m: any) => m.text)).toEqual(['before the upgrade', 'after the upgrade']);

		await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'answer after the upgrade' });
		const [sent] = await w.green.waitForSent(GA.idInstance, 1);
		expect(sent).toMatchObject({ method: 'sendMessage', chatId: GA.chatId });

		// A new conversation derives the same visitor token from the stored webhook token.
		await w.rc.closeRoom(room.id, w.agent.id);
		await w.rc.settle(); // the app has taken in the closing
		expect((await w.customerSends(fx.textMessage('a new conversation'))).status).toBe(200);
		const rooms = w.rc.rc.rooms.filter((r) => r.type === 'l');
		expect(rooms).toHaveLength(2);
		expect(rooms[1].visitorToken).toBe(room.visitorToken);
	});

	it('a contact record of the shape 0.1.x stored keeps its dedupe ids: a redelivery is still a duplicate, and it is stored in the new shape', async () => {
		const chatId = '79991112233@c.us';
		const first = await w.customerSends(fx.textMessage('stored the old way'), { chatId });
		expect(first.content.outcome).toBe('posted');
		const contactOf = () => w.rc.rc.persistence.find((p) => p.data?.chatId === chatId && Array.isArray(p.data?.links));
		// The record is written just after the webhook's answer.
		await w.green.waitFor(() => !!contactOf()?.data.dedupe?.ids.length, undefined, 'contact record written');
		const rec = contactOf()!;
		// What 0.1.x wrote: the same record with its dedupe fields and queue markers at the top level.
		const { dedupe, queues, ...rest } = rec.data;
		rec.data = { ...rest, seen: dedupe.ids, seenTimes: dedupe.times, ...(queues ? { pending: queues.in, outPending: queues.out } : {}) };
		expect((await w.webhook(first.payload)).content.outcome).toBe('duplicate');
		expect((await w.customerSends(fx.textMessage('after the upgrade'), { chatId })).content.outcome).toBe('posted');
		await w.green.waitFor(() => contactOf()!.data.dedupe?.ids.length === 2, undefined, 'contact record rewritten');
		const now = contactOf()!.data;
		expect(now).not.toHaveProperty('seen');
		expect(now.dedupe.ids).toEqual([first.payload.idMessage, expect.any(String)]);
	});
});

