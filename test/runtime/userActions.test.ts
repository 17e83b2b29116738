// Contract tests of what users do to existing messages (test/runtime/bridges/userActions.ts) and of the outbound-
// message provider registry, each against the Rocket.Chat code it copies (named per test). No engine, no Deno.
import { TestBridges } from './bridges';
import { insertMessage, userSender } from './bridges/messages';
import { deleteMessage, editMessage, setReaction } from './bridges/userActions';
import { addUser } from './bridges/users';
import { RcState } from './state';

const APP = 'app-1';
async function world() {
	const rc = new RcState({});
	Object.assign(rc, { appId: APP, appName: 'GREEN-API WhatsApp Bridge', appNameSlug: 'green-api-whatsapp-bridge' });
	const events: Array<{ int: string; payload: any }> = [];
	rc.eventSink = (int, payload) => events.push({ int, payload });
	const b = new TestBridges(rc);
	const agent = addUser(rc, { username: 'agent', roles: ['user', 'livechat-agent'], status: 'online' });
	const other = addUser(rc, { username: 'other', roles: ['user', 'livechat-agent'], status: 'online' });
	const admin = addUser(rc, { username: 'boss', roles: ['admin'], status: 'online' });
	const v = await b.livechat.createAndReturnVisitor({ token: 't1', name: 'Anna' } as any);
	const room = await b.livechat.createRoom(v, rc.toAppUser(agent), APP);
	const mine = insertMessage(rc, { rid: room.id, text: 'hello', sender: userSender(agent), origin: 'harness' });
	events.length = 0;
	return { rc, b, agent, other, admin, room, mine, events };
}

describe('reactions (setReaction.ts: executeSetReaction → setReaction → IPostMessageReacted)', () => {
	it('toggles the user reaction, stores it on the message and fires {message, user, reaction, isReacted}', async () => {
		const { rc, agent, mine, events } = await world();
		expect(setReaction(rc, { messageId: mine.id, userId: agent.id, reaction: 'thumbsup' })).toBe(true);
		expect(rc.message(mine.id)!.reactions).toEqual({ ':thumbsup:': { usernames: ['agent'] } });
		expect(events).toHaveLength(1);
		expect(events[0].int).toBe('IPostMessageReacted');
		expect(events[0].payload).toMatchObject({ reaction: ':thumbsup:', isReacted: true, user: { id: agent.id }, message: { id: mine.id, reactions: { ':thumbsup:': { usernames: ['agent'] } } } });
		expect(setReaction(rc, { messageId: mine.id, userId: agent.id, reaction: ':thumbsup:' })).toBe(false);
		expect(rc.message(mine.id)!.reactions).toBeUndefined();
		expect(events[1].payload).toMatchObject({ reaction: ':thumbsup:', isReacted: false });
	});
	it('does nothing when shouldReact matches the current state (no event)', async () => {
		const { rc, agent, mine, events } = await world();
		expect(setReaction(rc, { messageId: mine.id, userId: agent.id, reaction: ':heart:', shouldReact: false })).toBeUndefined();
		expect(events).toEqual([]);
	});
	it('refuses an invalid emoji, an unknown message and a user who cannot access the livechat room', async () => {
		const { rc, agent, other, admin, mine } = await world();
		expect(() => setReaction(rc, { messageId: mine.id, userId: agent.id, reaction: 'not an emoji!' })).toThrow('Invalid emoji provided.');
		expect(() => setReaction(rc, { messageId: 'nope', userId: agent.id, reaction: ':x:' })).toThrow('error-not-allowed');
		expect(() => setReaction(rc, { messageId: mine.id, userId: other.id, reaction: ':x:' })).toThrow('not-authorized');
		expect(setReaction(rc, { messageId: mine.id, userId: admin.id, reaction: ':x:' })).toBe(true);
	});
});

describe("an app's reactions (AppMessageBridge.addReaction/removeReaction → executeSetReaction(userId, reaction, messageId, shouldReact))", () => {
	const appReact = (b: TestBridges, add: boolean, messageId: string, userId: string, reaction: string) =>
		(b.message as any)[add ? 'addReaction' : 'removeReaction'](messageId, userId, reaction) as Promise<void>;

	it('needs the `:name:` form (isValidReaction), then sets or takes back the reaction like a user would', async () => {
		const { rc, b, agent, mine, events } = await world();
		await expect(appReact(b, true, mine.id, agent.id, 'thumbsup')).rejects.toThrow('Invalid reaction');
		await appReact(b, true, mine.id, agent.id, ':thumbsup:');
		await appReact(b, true, mine.id, agent.id, ':thumbsup:'); // shouldReact true: no toggle
		expect(rc.message(mine.id)!.reactions).toEqual({ ':thumbsup:': { usernames: ['agent'] } });
		await appReact(b, false, mine.id, agent.id, ':thumbsup:');
		expect(rc.message(mine.id)!.reactions).toBeUndefined();
		expect(events.map((e) => [e.int, e.payload.isReacted])).toEqual([['IPostMessageReacted', true], ['IPostMessageReacted', false]]);
	});
	it("refuses the app user in a livechat room (canAccessRoom: no view-livechat-rooms, not serving), until its roles give it access", async () => {
		const { rc, b, mine } = await world();
		const appUser = addUser(rc, { username: 'green-api-whatsapp-bridge.bot', roles: ['app'], type: 'app', appId: APP });
		await expect(appReact(b, true, mine.id, appUser.id, ':eyes:')).rejects.toThrow('not-authorized');
		appUser.roles.push('livechat-manager');
		await appReact(b, true, mine.id, appUser.id, ':eyes:');
		expect(rc.message(mine.id)!.reactions).toEqual({ ':eyes:': { usernames: ['green-api-whatsapp-bridge.bot'] } });
	});
});

describe('edits (chat.update: canEditMessage → updateMessage → IPostMessageUpdated)', () => {
	it('lets the author edit (editedAt, editor) and fires IPostMessageUpdated with the new text', async () => {
		const { rc, agent, mine, events } = await world();
		editMessage(rc, { messageId: mine.id, userId: agent.id, text: 'hello!' });
		expect(rc.message(mine.id)).toMatchObject({ text: 'hello!', editor: { id: agent.id } });
		expect(events.map((e) => e.int)).toEqual(['IPostMessageUpdated']);
		expect(events[0].payload).toMatchObject({ id: mine.id, text: 'hello!', editedAt: expect.any(Date) });
	});
	it('refuses someone else (unless admin), and everyone but admins when Message_AllowEditing is off or the block time passed', async () => {
		const { rc, agent, other, admin, mine } = await world();
		expect(() => editMessage(rc, { messageId: mine.id, userId: other.id, text: 'x' })).toThrow('error-action-not-allowed');
		rc.serverSettings.set('Message_AllowEditing_BlockEditInMinutes', { id: 'Message_AllowEditing_BlockEditInMinutes', value: 5, packageValue: 0, type: 'int', public: true });
		rc.clockOffsetMs += 6 * 60_000;
		expect(() => editMessage(rc, { messageId: mine.id, userId: agent.id, text: 'x' })).toThrow('error-action-not-allowed');
		rc.serverSettings.set('Message_AllowEditing', { id: 'Message_AllowEditing', value: false, packageValue: true, type: 'boolean', public: true });
		expect(editMessage(rc, { messageId: mine.id, userId: admin.id, text: 'by admin' }).text).toBe('by admin');
	});
});

describe('deletes (chat.delete: canDeleteMessage → deleteMessage → IPostMessageDeleted(message, user))', () => {
	it('removes the message (no history kept by default) and fires {message, user} as listeners.ts builds it', async () => {
		const { rc, agent, mine, room, events } = await world();
		const before = rc.room(room.id)!.messageCount;
		deleteMessage(rc, { messageId: mine.id, userId: agent.id });
		expect(rc.message(mine.id)).toBeUndefined();
		expect(rc.room(room.id)!.messageCount).toBe(before - 1);
		expect(events.map((e) => e.int)).toEqual(['IPostMessageDeleted']);
		expect(events[0].payload).toMatchObject({ message: { id: mine.id, text: 'hello', room: { id: room.id } }, user: { id: agent.id } });
	});
	it('refuses someone else', async () => {
		const { rc, other, mine } = await world();
		expect(() => deleteMessage(rc, { messageId: mine.id, userId: other.id })).toThrow('error-action-not-allowed');
	});
});

describe('outbound-message providers (apps/meteor/app/apps/server/bridges/outboundCommunication.ts into server/lib/OutboundMessageProvider.ts)', () => {
	it('with the outbound-messaging licence module: registers phone providers as appended, lists them as providerId/providerName/providerType and unregisters by app and type', async () => {
		const { rc, b } = await world();
		rc.outboundMessagingLicence = true;
		const bridge = b.getOutboundMessageBridge();
		// (The engine checks outbound-communication.provide in doRegisterPhoneProvider; jest's NODE_ENV=test grants it
		// here: the permission path runs on the real engine in test/integration/conversations.test.ts.)
		await bridge.doRegisterPhoneProvider({ name: 'WA', type: 'phone', appId: APP, supportsTemplates: false } as any, APP);
		await bridge.doRegisterPhoneProvider({ name: 'Other', type: 'phone', appId: 'app-2', supportsTemplates: true } as any, 'app-2');
		// OutboundMessageProvider.getOutboundMessageProviders(type): supportsTemplates only when set
		expect(b.outbound.list()).toEqual([
			{ providerId: APP, providerName: 'WA', providerType: 'phone' },
			{ providerId: 'app-2', providerName: 'Other', providerType: 'phone', supportsTemplates: true },
		]);
		await bridge.doUnRegisterProvider({ name: 'WA', type: 'phone' } as any, APP);
		expect(b.outbound.list().map((p) => p.providerId)).toEqual(['app-2']);
		expect(rc.effects.filter((e) => e.kind === 'rc.log.error')).toEqual([]);
	});

	it('without it: getOutboundService() throws error-no-license (server/lib/omnichannel/outboundcommunication.ts, until the enterprise module patches it: ee/server/api/v1/omnichannel/lib/outbound.ts); the bridge logs and rethrows', async () => {
		const { rc, b } = await world();
		const bridge = b.getOutboundMessageBridge();
		await expect(bridge.doRegisterPhoneProvider({ name: 'WA', type: 'phone', appId: APP } as any, APP)).rejects.toThrow(/^error-registering-provider$/);
		await expect(bridge.doUnRegisterProvider({ name: 'WA', type: 'phone' } as any, APP)).rejects.toThrow(/^error-unregistering-provider$/);
		expect(b.outbound.list()).toEqual([]);
		expect(rc.effects.filter((e) => e.kind === 'rc.log.error').map(({ msg, err, appId }) => ({ msg, err, appId }))).toEqual([
			{ msg: 'Failed to register phone provider', err: 'error-no-license', appId: APP },
			{ msg: 'Failed to unregister provider', err: 'error-no-license', appId: APP },
		]);
		// the licence arriving later (a new licence applied): the next registration goes through
		rc.outboundMessagingLicence = true;
		await bridge.doRegisterPhoneProvider({ name: 'WA', type: 'phone', appId: APP } as any, APP);
		expect(b.outbound.list()).toEqual([{ providerId: APP, providerName: 'WA', providerType: 'phone' }]);
	});
});
