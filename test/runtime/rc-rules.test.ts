// Contract tests of the Rocket.Chat rules the in-memory runtime copies (issue 10), bridges called directly (no engine).
// Each test names the Rocket.Chat code (RocketChat/Rocket.Chat, apps/meteor/...) whose behaviour it copies.
import { APP, livechatMessage, visitorIn, world } from './bridge-world';
import { closeLivechatRoom, removeDepartment, removeGuest } from './bridges/livechat';
import { isAcceptedMediaType } from './bridges/uploads';
import { addUser } from './bridges/users';
import { authenticateAppRequest, parseQuery, parseRouterBody, ROUTER_BODY_LIMIT } from './router';
import { runDueJobs } from './bridges/scheduler';
import { setReaction } from './bridges/userActions';
import { insertMessage, userSender } from './bridges/messages';
import { issueLoginToken } from './uikit';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');

describe('a vanished room (livechat/server/lib/guests.ts removeGuest, converters/messages.ts convertAppMessage)', () => {
	it('removeGuest deletes the rooms without a room-closed event; a message into the stored room id throws, nothing re-creates the room', async () => {
		const { rc, b, agent } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('tok-1', '+79001234567'));
		const room = await b.livechat.createRoom(v, undefined as any, APP, { source: { type: 'app' } } as any);
		await b.livechat.createMessage(livechatMessage({ room, visitor: v, text: 'hello' }), APP);
		const events = rc.effects.filter((e) => e.kind === 'event').length;
		removeGuest(rc, v.id);
		expect(rc.rooms).toEqual([]);
		expect(rc.messages.filter((m) => m.rid === room.id)).toEqual([]);
		expect(rc.effects.filter((e) => e.kind === 'event')).toHaveLength(events); // no IPostLivechatRoomClosed
		expect(rc.visitors[0]).toMatchObject({ id: v.id, disabled: true, token: '' });
		expect(await b.livechat.findVisitorByToken('tok-1')).toBeUndefined();
		expect(await b.livechat.findVisitorByPhoneNumber('+79001234567')).toBeUndefined();
		// the app's next message with the room id it stored
		await expect(b.livechat.createMessage(livechatMessage({ room, visitor: v, text: 'again' }), APP)).rejects.toThrow('Invalid room provided on the message.');
		await expect(b.message.create({ room, sender: rc.toAppUser(rc.appUser()), text: 'note' } as any, APP)).rejects.toThrow('Invalid room provided on the message.');
		expect(rc.rooms).toEqual([]);
		// what the app must do: register the visitor again (a new one: the old record lost token and phone) and open a new room
		const again = await b.livechat.createAndReturnVisitor(visitorIn('tok-1', '+79001234567'));
		expect(again.id).not.toBe(v.id);
		const room2 = await b.livechat.createRoom(again, undefined as any, APP, { source: { type: 'app' } } as any);
		expect(room2.servedBy.id).toBe(agent.id);
	});
});

describe('visitor department re-validated on every upsert (livechat/server/lib/Visitors.ts registerGuest)', () => {
	it('a visitor already in a department that was deleted fails every upsert naming it (projection { _id: 1 })', async () => {
		const { rc, b, dep } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t', undefined, { department: dep.id }));
		expect(v.department).toBe(dep.id);
		expect((await b.livechat.createAndReturnVisitor(visitorIn('t', undefined, { department: dep.id }))).id).toBe(v.id);
		removeDepartment(rc, dep.id); // departmentsLib removeDepartment: visitors keep the id
		expect(rc.visitors[0].department).toBe(dep.id);
		await expect(b.livechat.createAndReturnVisitor(visitorIn('t', undefined, { department: dep.id }))).rejects.toThrow('error-invalid-department');
		await expect(b.livechat.createAndReturnVisitor(visitorIn('t-new', undefined, { department: dep.id }))).rejects.toThrow('error-invalid-department');
		expect((await b.livechat.createAndReturnVisitor(visitorIn('t'))).id).toBe(v.id); // without a department it works
		expect(rc.effects.some((e) => e.kind === 'event' && e.interface === 'IPostLivechatDepartmentRemoved')).toBe(true);
	});
});

describe('message size (lib/server/methods/sendMessage.ts executeSendMessage: message.msg.length > Message_MaxAllowedSize)', () => {
	it('app-user messages obey Message_MaxAllowedSize in UTF-16 units (default 5,000), :shortcodes: counted as written; visitor messages are exempt', async () => {
		const { rc, b, appUser } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		const sender = rc.toAppUser(appUser);
		expect(rc.serverSetting('Message_MaxAllowedSize')?.value).toBe(5000);
		await expect(b.message.create({ room, sender, text: 'x'.repeat(5001) } as any, APP)).rejects.toThrow('error-message-size-exceeded');
		expect(await b.message.create({ room, sender, text: 'x'.repeat(5000) } as any, APP)).toBeTruthy();
		// 4,999 code points, 5,000 UTF-16 units: fits; one more emoji outside the BMP does not
		expect(await b.message.create({ room, sender, text: `${'я'.repeat(4998)}😀` } as any, APP)).toBeTruthy();
		await expect(b.message.create({ room, sender, text: `${'я'.repeat(4999)}😀` } as any, APP)).rejects.toThrow('error-message-size-exceeded');
		// a shortcode is its characters, not one emoji
		await expect(b.message.create({ room, sender, text: `${'x'.repeat(4994)}:smile:` } as any, APP)).rejects.toThrow('error-message-size-exceeded');
		const id = await b.livechat.createMessage(livechatMessage({ room, visitor: v, text: 'y'.repeat(20_000) }), APP);
		expect(rc.message(id)!.text).toHaveLength(20_000);
		rc.setServerSetting('Message_MaxAllowedSize', 10);
		await expect(b.message.create({ room, sender, text: 'eleven char' } as any, APP)).rejects.toThrow('error-message-size-exceeded');
	});
});

describe('monthly active contacts (ee BeforeSaveCheckMAC in Message.beforeSave)', () => {
	it('over the cap, non-visitor messages into omnichannel rooms throw error-mac-limit-reached; visitor, system and non-omnichannel messages pass', async () => {
		const { rc, b, appUser, agent } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		const channel = await b.room.getById(await b.room.create({ type: 'c', slugifiedName: 'alerts', creator: rc.toAppUser(appUser) } as any, [], APP), APP);
		const id = await b.message.create({ room, sender: rc.toAppUser(appUser), text: 'before' } as any, APP);
		rc.macLimitReached = true;
		await expect(b.message.create({ room, sender: rc.toAppUser(appUser), text: 'note' } as any, APP)).rejects.toThrow('error-mac-limit-reached');
		expect(await b.livechat.createMessage(livechatMessage({ room, visitor: v, text: 'from the customer' }), APP)).toBeTruthy();
		expect(await b.message.create({ room: channel, sender: rc.toAppUser(appUser), text: 'alert' } as any, APP)).toBeTruthy();
		await b.message.update({ id, room, editor: rc.toAppUser(appUser), text: 'edited' } as any, APP); // edits are exempt
		closeLivechatRoom(rc, room.id, { userId: agent.id }); // the livechat-close system message is exempt
		expect(rc.messages.filter((m) => m.rid === room.id).map((m) => m.type ?? m.text)).toEqual(['edited', 'from the customer', 'livechat-close']);
	});
});

describe('app endpoint bodies (app/apps/server/bridges/router.ts: express.json() / express.urlencoded() defaults)', () => {
	it('answers 413 over 100 kB and 400 for malformed or non-object JSON, before the app; parses urlencoded bodies', () => {
		const json = (s: string) => parseRouterBody('application/json; charset=utf-8', s);
		const padded = (n: number) => JSON.stringify({ pad: 'p'.repeat(n - 10) });
		expect(Buffer.byteLength(padded(ROUTER_BODY_LIMIT))).toBe(ROUTER_BODY_LIMIT);
		expect(json(padded(ROUTER_BODY_LIMIT))).toEqual({ body: { pad: 'p'.repeat(ROUTER_BODY_LIMIT - 10) } });
		expect(json(padded(ROUTER_BODY_LIMIT + 1))).toEqual({ status: 413, content: 'Payload Too Large' });
		expect(json(JSON.stringify({ t: 'я'.repeat(60_000) }))).toMatchObject({ status: 413 }); // bytes, not characters
		expect(json('{"a":')).toMatchObject({ status: 400 });
		expect(json('"a string"')).toMatchObject({ status: 400 }); // strict
		expect(json(' [1]')).toEqual({ body: [1] });
		expect(parseRouterBody('application/x-www-form-urlencoded', 'a=1&b=x%20y')).toEqual({ body: { a: '1', b: 'x y' } });
		expect(parseRouterBody('text/plain', 'x'.repeat(ROUTER_BODY_LIMIT * 2))).toEqual({ body: {} }); // not read at all
		// JSON.parse keeps an own "__proto__" key (what issue 11 item 1 sends through the engine)
		const proto = json('{"__proto__":{"x":1},"typeWebhook":"incomingMessageReceived"}') as { body: any };
		expect(Object.keys(proto.body)).toEqual(['__proto__', 'typeWebhook']);
	});
});

describe('uploads (file-upload/server/lib/FileUpload.ts validateFileUpload, app/utils/lib/restrictions.ts)', () => {
	it('obeys FileUpload_Enabled, the MIME blacklist (SVG by default) and whitelist, -1 = unlimited size', async () => {
		const { rc, b, appUser } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		const up = (name: string, bytes: Buffer, who: Record<string, string> = { userId: appUser.id }) => b.upload.createUpload({ name, size: bytes.length, rid: room.id, ...who } as any, bytes, APP);
		await expect(up('logo.svg', SVG)).rejects.toThrow('error-invalid-file-type');
		await expect(up('logo.svg', SVG, { visitorToken: 't1' })).rejects.toThrow('error-invalid-file-type');
		expect(await up('a.png', PNG)).toMatchObject({ type: 'image/png' });
		rc.setServerSetting('FileUpload_MediaTypeBlackList', 'image/*');
		await expect(up('b.png', PNG)).rejects.toThrow('error-invalid-file-type');
		rc.setServerSetting('FileUpload_MediaTypeBlackList', '');
		expect(await up('logo.svg', SVG)).toMatchObject({ type: 'image/svg+xml' });
		rc.setServerSetting('FileUpload_MediaTypeWhiteList', 'application/pdf, audio/*');
		await expect(up('c.png', PNG)).rejects.toThrow('error-invalid-file-type');
		rc.setServerSetting('FileUpload_MediaTypeWhiteList', '*');
		rc.setServerSetting('FileUpload_MaxFileSize', 4);
		await expect(up('d.png', PNG)).rejects.toThrow('error-file-too-large');
		rc.setServerSetting('FileUpload_MaxFileSize', -1);
		expect(await up('big.bin', Buffer.alloc(300_000))).toMatchObject({ size: 300_000 });
		rc.setServerSetting('FileUpload_Enabled', false);
		await expect(up('e.png', PNG)).rejects.toThrow('error-file-upload-disabled');
		await expect(up('e.png', PNG, { visitorToken: 't1' })).rejects.toThrow('error-file-upload-disabled');
		expect(rc.uploads.map((u) => u.name).filter((n) => !n.startsWith('thumb-'))).toEqual(['a.png', 'logo.svg', 'big.bin']);
		await expect(b.upload.createUpload({ name: 'f.png', size: 8, rid: 'gone', userId: appUser.id } as any, PNG, APP)).rejects.toThrow('invalid-file');
	});
	it('starts from RC\'s defaults (server/settings/file-upload.ts): 100 MB (104857600), uploads on, SVG blacklisted; readable by apps', async () => {
		const { rc, b } = world();
		const setting = (id: string) => (b.getServerSettingBridge() as any).getOneById(id, APP);
		expect(await setting('FileUpload_MaxFileSize')).toMatchObject({ value: 104857600, packageValue: 104857600, type: 'int' });
		expect((await setting('FileUpload_Enabled')).value).toBe(true);
		expect((await setting('FileUpload_MediaTypeBlackList')).value).toBe('image/svg+xml');
		expect((await setting('FileUpload_MediaTypeWhiteList')).value).toBe('');
		expect(rc.maxUploadBytes).toBe(104857600);
	});
	it('matches types like fileUploadIsValidContentTypeFromSettings', () => {
		expect(isAcceptedMediaType('image/svg+xml', '', 'image/svg+xml')).toBe(false);
		expect(isAcceptedMediaType('image/png', '', 'image/svg+xml')).toBe(true);
		expect(isAcceptedMediaType('video/mp4', 'video/*', '')).toBe(true);
		expect(isAcceptedMediaType('video/mp4', 'image/*,audio/ogg', '')).toBe(false);
		expect(isAcceptedMediaType('audio/ogg', 'image/*, audio/ogg', 'video/*')).toBe(true);
	});
});

describe('message author (bridges/livechat.ts createMessage -> converters/visitors.ts convertAppVisitor, no lookup)', () => {
	it('takes the sender, alias and token from the visitor object the app passes, not from the stored visitor', async () => {
		const { rc, b } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1', '+1', { name: 'Anna' }));
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		await b.livechat.createAndReturnVisitor(visitorIn('t1', '+1', { name: 'Anna Karenina' })); // renamed in Rocket.Chat
		const id = await b.livechat.createMessage(livechatMessage({ room, visitor: v, text: 'stale visitor object' }), APP);
		expect(rc.message(id)).toMatchObject({ sender: { id: v.id, username: v.username, name: 'Anna', type: 'visitor' }, alias: 'Anna', token: 't1' });
		const fresh = await b.livechat.findVisitorByToken('t1');
		expect(rc.message(await b.livechat.createMessage(livechatMessage({ room, visitor: fresh, text: 'current' }), APP))).toMatchObject({ alias: 'Anna Karenina' });
		await expect(b.livechat.createMessage({ room, token: 't1', text: 'no visitor' } as any, APP)).rejects.toThrow(TypeError);
	});
});

describe('routing (livechat/server/lib/QueueManager.ts requestRoom, rooms.ts createRoom, hooks beforeDelegateAgent)', () => {
	it('needs an agent whose statusLivechat is available', async () => {
		const { b, agent } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		agent.statusLivechat = 'not-available';
		expect(await b.livechat.isOnlineAsync()).toBe(false);
		await expect(b.livechat.createRoom(v, undefined as any, APP)).rejects.toThrow('no-agent-online');
		agent.statusLivechat = 'available';
		expect((await b.livechat.createRoom(v, undefined as any, APP)).servedBy.id).toBe(agent.id);
	});
	it('sends a room of a department without available agents to its fallbackForwardDepartment (recursively)', async () => {
		const { rc, b, agent, dep } = world();
		const empty = { id: 'dep-empty', name: 'Night', enabled: true, createdAt: rc.now(), updatedAt: rc.now(), fallbackForwardDepartment: 'dep-mid' };
		const mid = { id: 'dep-mid', name: 'Mid', enabled: true, createdAt: rc.now(), updatedAt: rc.now(), fallbackForwardDepartment: dep.id };
		rc.departments.push(empty, mid);
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1', undefined, { department: empty.id }));
		expect(await b.livechat.isOnlineAsync(empty.id)).toBe(true);
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		expect(room).toMatchObject({ department: { id: dep.id }, servedBy: { id: agent.id } });
		delete (mid as { fallbackForwardDepartment?: string }).fallbackForwardDepartment;
		await expect(b.livechat.createRoom(v, undefined as any, APP)).rejects.toThrow('no-agent-online');
	});
	it('puts a room with no department into the first department shown on registration with an available agent (getRequiredDepartment)', async () => {
		const { b, dep } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		expect((await b.livechat.createRoom(v, undefined as any, APP)).department.id).toBe(dep.id);
	});
	it('assigns a bot agent when Livechat_assign_new_conversation_to_bot is on, even with no human online', async () => {
		const { rc, b, agent, dep } = world();
		const bot = addUser(rc, { username: 'answer.bot', roles: ['bot', 'livechat-agent'], type: 'bot', status: 'online', departmentIds: [dep.id] });
		agent.status = 'offline';
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1', undefined, { department: dep.id }));
		await expect(b.livechat.createRoom(v, undefined as any, APP)).rejects.toThrow('no-agent-online'); // bots are no agents for routing
		rc.setServerSetting('Livechat_assign_new_conversation_to_bot', true);
		expect(await b.livechat.isOnlineAsync(dep.id)).toBe(true);
		expect((await b.livechat.createRoom(v, undefined as any, APP)).servedBy.id).toBe(bot.id);
	});
});

describe('contacts, Rocket.Chat 7+ (livechat/server/lib/rooms.ts getRoom/createRoom, QueueManager shouldTriggerVerificationApp)', () => {
	it('a blocked contact channel throws error-contact-channel-blocked on room creation and on visitor messages', async () => {
		const { rc, b } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		rc.blockedContacts.add(v.id);
		await expect(b.livechat.createMessage(livechatMessage({ room, visitor: v, text: 'x' }), APP)).rejects.toThrow('error-contact-channel-blocked');
		await expect(b.livechat.createRoom(v, undefined as any, APP)).rejects.toThrow('error-contact-channel-blocked');
		expect(rc.rooms).toHaveLength(1);
	});
	it('with contact verification required, a new room is created but not queued and no agent takes it', async () => {
		const { rc, b } = world();
		rc.requireContactVerification = true;
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		expect(room.servedBy).toBeUndefined();
		expect(rc.rooms[0]).toMatchObject({ queued: false, contactVerificationPending: true, isOpen: true });
	});
	it('does not exist in the Rocket.Chat of engine 1.46.0 (RC 6.13): no blocking, no verification', async () => {
		const { rc, b, agent } = world({ platform: { contacts: false } });
		rc.blockedContacts.add('whoever');
		rc.requireContactVerification = true;
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1', undefined, { id: 'whoever' }));
		expect((await b.livechat.createRoom(v, undefined as any, APP)).servedBy.id).toBe(agent.id);
	});
});

describe('Omnichannel switched off (livechat/server/lib/rooms.ts getRoom/createRoom: Livechat_enabled)', () => {
	it('room creation and visitor messages throw error-omnichannel-is-disabled', async () => {
		const { rc, b } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		rc.setServerSetting('Livechat_enabled', false);
		await expect(b.livechat.createRoom(v, undefined as any, APP)).rejects.toThrow('error-omnichannel-is-disabled');
		await expect(b.livechat.createMessage(livechatMessage({ room, visitor: v, text: 'x' }), APP)).rejects.toThrow('error-omnichannel-is-disabled');
		expect(rc.messages).toEqual([]);
	});
});

describe('room source destination (engine definition IOmnichannelSourceApp)', () => {
	it('is kept where the definition has it and dropped on the Rocket.Chat of engine 1.46.0', async () => {
		for (const roomSourceDestination of [true, false]) {
			const { b } = world({ platform: { roomSourceDestination } });
			const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
			const room = await b.livechat.createRoom(v, undefined as any, APP, { source: { type: 'app', label: 'WhatsApp', destination: '+7999' } } as any);
			expect(room.source.destination).toBe(roomSourceDestination ? '+7999' : undefined);
		}
	});
});

describe('closing a room from an app (app/apps/server/bridges/livechat.ts closeRoom, converters/rooms.ts convertAppRoom, livechat/server/lib/closeRoom.ts)', () => {
	const setup = async () => {
		const w = world();
		const v = await w.b.livechat.createAndReturnVisitor(visitorIn('tok-1', '+79001234567'));
		const created = await w.b.livechat.createRoom(v, undefined as any, APP, { source: { type: 'app' } } as any);
		return { ...w, v, roomId: created.id as string };
	};
	const closedEvents = (rc: ReturnType<typeof world>['rc']) => rc.effects.filter((e) => e.kind === 'event' && e.interface === 'IPostLivechatRoomClosed');

	it('a bare {id, type} converts to open: undefined and throws error-room-closed; the room stays open', async () => {
		const { rc, b, roomId } = await setup();
		await expect(b.livechat.closeRoom({ id: roomId, type: 'l' } as any, 'bye', undefined)).rejects.toThrow('error-room-closed');
		await expect(b.livechat.closeRoom({ id: roomId } as any, 'bye', undefined)).rejects.toThrow('error-room-closed'); // no t: not an omnichannel room
		expect(rc.room(roomId)!.isOpen).toBe(true);
		expect(closedEvents(rc)).toHaveLength(0);
	});
	it('with isOpen but neither a closer nor room.visitor it asks for one; a visitor without visitorChannelInfo breaks the converter', async () => {
		const { rc, b, v, roomId } = await setup();
		await expect(b.livechat.closeRoom({ id: roomId, type: 'l', isOpen: true } as any, 'bye', undefined)).rejects.toThrow('Please provide details of the user or visitor who closed the room');
		await expect(b.livechat.closeRoom({ id: roomId, type: 'l', isOpen: true, visitor: v } as any, 'bye', undefined)).rejects.toThrow(TypeError);
		expect(rc.room(roomId)!.isOpen).toBe(true);
	});
	it('the room as the room reader returned it closes, by the visitor (its token on the livechat-close message), and fires IPostLivechatRoomClosed', async () => {
		const { rc, b, v, roomId } = await setup();
		const room = await b.room.getById(roomId, APP);
		expect(room).toMatchObject({ isOpen: true, visitor: { id: v.id }, visitorChannelInfo: {} });
		expect(await b.livechat.closeRoom(room, 'bye', undefined)).toBe(true);
		expect(rc.room(roomId)).toMatchObject({ isOpen: false, closer: 'visitor', closedById: v.id, closeComment: 'bye' });
		expect(rc.messages.filter((m) => m.rid === roomId).slice(-1)[0]).toMatchObject({ type: 'livechat-close', token: 'tok-1', text: 'bye' });
		expect(closedEvents(rc)).toHaveLength(1);
		// a fresh read says closed: error-room-closed; the stale copy (isOpen: true) fails at the inquiry, already removed
		await expect(b.livechat.closeRoom(await b.room.getById(roomId, APP), 'again', undefined)).rejects.toThrow('error-room-closed');
		await expect(b.livechat.closeRoom(room, 'again', undefined)).rejects.toThrow('Error removing inquiry');
		expect(closedEvents(rc)).toHaveLength(1);
	});
	it('a closing user is recorded as the closer; Livechat_request_comment_when_closing_conversation refuses a blank comment', async () => {
		const { rc, b, agent, roomId } = await setup();
		rc.setServerSetting('Livechat_request_comment_when_closing_conversation', true);
		await expect(b.livechat.closeRoom(await b.room.getById(roomId, APP), '  ', rc.toAppUser(agent))).rejects.toThrow('error-comment-is-required');
		await b.livechat.closeRoom(await b.room.getById(roomId, APP), 'done', rc.toAppUser(agent));
		expect(rc.room(roomId)).toMatchObject({ isOpen: false, closer: 'user', closedById: agent.id });
	});
	it('a department that requests tags before closing and has none configured refuses an app\'s close (resolveChatTags)', async () => {
		const { rc, b, dep } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('tok-2', undefined, { department: dep.id }));
		const { id } = await b.livechat.createRoom(v, undefined as any, APP);
		Object.assign(rc.departments[0], { requestTagBeforeClosingChat: true });
		await expect(b.livechat.closeRoom(await b.room.getById(id, APP), 'bye', undefined)).rejects.toThrow('error-tags-must-be-assigned-before-closing-chat');
		expect(rc.room(id)!.isOpen).toBe(true);
		Object.assign(rc.departments[0], { chatClosingTags: ['whatsapp'] });
		expect(await b.livechat.closeRoom(await b.room.getById(id, APP), 'bye', undefined)).toBe(true);
	});
});

describe('reaction names (reactions/server/setReaction.ts executeSetReaction: emoji.list from emoji-toolkit, or EmojiCustom)', () => {
	it('takes names of the emoji list and its alternates, and custom emoji by name or alias; anything else is Invalid emoji provided.', async () => {
		const { rc, b, agent } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, rc.toAppUser(agent), APP);
		const m = insertMessage(rc, { rid: room.id, text: 'hi', sender: userSender(agent), origin: 'harness' });
		for (const ok of [':thumbsup:', '+1', ':thumbsup_tone3:', ':white_check_mark:', ':eyes:']) expect(setReaction(rc, { messageId: m.id, userId: agent.id, reaction: ok })).toBe(true);
		for (const bad of [':heart_tone2:', ':party_parrot:', ':not_an_emoji:']) expect(() => setReaction(rc, { messageId: m.id, userId: agent.id, reaction: bad })).toThrow('Invalid emoji provided.');
		rc.customEmoji.push({ name: 'party_parrot', aliases: ['parrot'] });
		expect(setReaction(rc, { messageId: m.id, userId: agent.id, reaction: ':party_parrot:' })).toBe(true);
		expect(setReaction(rc, { messageId: m.id, userId: agent.id, reaction: 'parrot' })).toBe(true);
	});
});

describe('messages read back (converters/messages, bridges/rooms.ts getMessages, lib/server/functions/deleteMessage.ts)', () => {
	it('the Rocket.Chat of engine 1.46.0 (6.13) maps neither `type` nor `files`; later ones map both', async () => {
		for (const [mapped, platform] of [[true, {}], [false, { messageType: false, messageFiles: false }]] as const) {
			const { rc, b, agent } = world({ platform });
			const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
			const room = await b.livechat.createRoom(v, rc.toAppUser(agent), APP);
			const sys = insertMessage(rc, { rid: room.id, text: '', sender: userSender(agent), type: 'uj', origin: 'system' });
			const file = insertMessage(rc, { rid: room.id, text: '', sender: userSender(agent), file: { _id: 'f1', name: 'a.png', type: 'image/png' }, files: [{ _id: 'f1', name: 'a.png', type: 'image/png' }], origin: 'harness' });
			const [s1, f1] = [await b.message.getById(sys.id, APP), await b.message.getById(file.id, APP)];
			expect({ type: s1.type, files: f1.files, file: f1.file?._id }).toEqual(mapped ? { type: 'uj', files: [{ _id: 'f1', name: 'a.png', type: 'image/png' }], file: 'f1' } : { type: undefined, files: undefined, file: 'f1' });
		}
	});
	it('RoomBridge.getMessages leaves out system messages (t set) and hidden ones', async () => {
		const { rc, b, agent } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, rc.toAppUser(agent), APP);
		insertMessage(rc, { rid: room.id, text: 'one', sender: userSender(agent), origin: 'harness' });
		insertMessage(rc, { rid: room.id, text: '', sender: userSender(agent), type: 'livechat-started', origin: 'system' });
		insertMessage(rc, { rid: room.id, text: 'old version', sender: userSender(agent), hidden: true, origin: 'harness' });
		insertMessage(rc, { rid: room.id, text: 'two', sender: userSender(agent), origin: 'harness' });
		expect((await b.room.getMessages(room.id, { limit: 10 }, APP)).map((m: any) => m.text)).toEqual(['one', 'two']);
	});
	it("an app's delete removes the message and fires IPostMessageDeleted(message, user) at the app", async () => {
		const { rc, b, agent, appUser } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, rc.toAppUser(agent), APP);
		const m = insertMessage(rc, { rid: room.id, text: 'bye', sender: userSender(agent), origin: 'harness' });
		const fired: any[] = [];
		rc.eventSink = (int: string, payload: unknown) => fired.push({ int, payload });
		await b.message.delete(rc.toAppMessage(m), rc.toAppUser(appUser), APP);
		expect(rc.message(m.id)).toBeUndefined();
		expect(fired).toMatchObject([{ int: 'IPostMessageDeleted', payload: { message: { id: m.id, text: 'bye' }, user: { id: appUser.id } } }]);
		await expect(b.message.delete({ id: m.id } as any, rc.toAppUser(appUser), APP)).rejects.toThrow('error-invalid-message');
	});
});

describe('scheduler (app/apps/server/bridges/scheduler.ts: scheduleOnce / scheduleRecurring inside try/catch)', () => {
	it('an Agenda error is logged and the app gets undefined, never the error; nothing is scheduled', async () => {
		const { rc, b } = world();
		rc.schedulerDown = true;
		expect(await b.scheduler.scheduleOnce({ id: `p1_${APP}`, when: new Date(), data: {} } as any, APP)).toBeUndefined();
		expect(await b.scheduler.scheduleRecurring({ id: `p2_${APP}`, interval: '1 minute' } as any, APP)).toBeUndefined();
		expect(rc.jobs).toEqual([]);
		expect(rc.effects.filter((e) => e.kind === 'job.schedule-failed').map((e) => e.method)).toEqual(['scheduleOnce', 'scheduleRecurring']);
		rc.schedulerDown = false;
		expect(await b.scheduler.scheduleOnce({ id: `p1_${APP}`, when: new Date(), data: {} } as any, APP)).toMatch(/^[0-9a-f]{24}$/);
		expect(await runDueJobs(rc)).toBe(0); // no processor registered: the job waits
	});
});

describe('app endpoint requests (bridges/router.ts, bridges/api.ts: Express query parser, authenticationMiddleware, body limit per version)', () => {
	it('repeated or bracketed query keys become arrays and objects (qs, Express 4 "extended")', () => {
		expect(parseQuery('instance=1&instance=2')).toEqual({ instance: ['1', '2'] });
		expect(parseQuery('instance[]=1')).toEqual({ instance: ['1'] });
		expect(parseQuery('secret[a]=1&x=y+z')).toEqual({ secret: { a: '1' }, x: 'y z' });
		expect(parseQuery('a[0]=x&a[1]=y&b[21]=z')).toEqual({ a: ['x', 'y'], b: { 21: 'z' } });
		expect(parseQuery('a=1&a[b]=2')).toEqual({ a: ['1', { b: '2' }] });
		expect(parseQuery('__proto__[polluted]=1&ok=%E2%9C%93&bad=%ZZ')).toEqual({ ok: '✓', bad: '%ZZ' });
		expect(({} as any).polluted).toBeUndefined();
	});
	it('an anonymous call to an authRequired endpoint gets plain-text 401 Unauthorized before the app; a login is passed on', () => {
		const { rc, agent } = world();
		expect(authenticateAppRequest(rc, true, {})).toEqual({ ok: false, status: 401, content: 'Unauthorized', headers: { 'content-type': 'text/html; charset=utf-8' } });
		expect(authenticateAppRequest(rc, true, { 'x-user-id': agent.id, 'x-auth-token': 'forged' })).toMatchObject({ ok: false, status: 401, content: 'Unauthorized' });
		const token = issueLoginToken(rc, agent);
		expect(authenticateAppRequest(rc, true, { 'x-user-id': agent.id, 'x-auth-token': token })).toEqual({ ok: true, user: agent });
		expect(authenticateAppRequest(rc, false, {})).toEqual({ ok: true, user: undefined });
	});
	it('bodies: 100 kB from RC 7.0 (express defaults), 50 MB on 6.13 (the engine without ContactBridge)', () => {
		const body = JSON.stringify({ pad: 'p'.repeat(200 * 1024) });
		expect(parseRouterBody('application/json', body)).toMatchObject({ status: 413 });
		expect(parseRouterBody('application/json', body, 50 * 1024 * 1024)).toEqual({ body: { pad: 'p'.repeat(200 * 1024) } });
		expect(world().rc.platform.endpointBodyLimitBytes).toBe(ROUTER_BODY_LIMIT);
	});
});
