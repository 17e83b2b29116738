// With the default settings (no room for admin alerts picked), alerts still reach an admin: the one who
// added the number, by a direct message from the app user. The setup answer says how to pick a room.
import * as fx from '../fixtures/greenapi';
import { startWorld, World } from './support/world';

describe('admin alerts with no alert room picked (the default)', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('the setup answer says where alerts go until an alert room is picked', () => {
		const answer = w.rc.rc.notices.find((n) => n.userId === w.admin.id && /connected|added/i.test(n.text || ''))!;
		expect(answer.text).toContain('direct messages until a room for admin alerts is picked');
	});

	it('a number that needs attention is told to the admin who added it, in a direct message, once per change', async () => {
		await w.webhook(fx.stateChanged('notAuthorized'));
		await w.webhook(fx.stateChanged('notAuthorized'));
		await w.webhook(fx.stateChanged('authorized'));
		const dm = w.rc.rc.rooms.find((r) => r.type === 'd' && r.memberIds.includes(w.admin.id))!;
		expect(dm).toBeDefined();
		const appUser = w.rc.rc.users.find((u) => u.type === 'app')!;
		expect(dm.memberIds.sort()).toEqual([w.admin.id, appUser.id].sort());
		const texts = w.roomMessages(dm.id).map((m: any) => m.text);
		expect(texts).toHaveLength(2);
		expect(texts[0]).toContain('is notAuthorized');
		expect(texts[1]).toContain('is authorized again');
		expect(w.roomMessages(dm.id).every((m: any) => m.sender.id === appUser.id)).toBe(true);
	});
});
