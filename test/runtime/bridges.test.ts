// Rocket.Chat semantics of the in-memory bridges, called directly (no engine, no Deno).
import * as http from 'http';
import { AddressInfo } from 'net';
import { APP, livechatMessage, visitorIn, world } from './bridge-world';
import { registerGuest } from './bridges/livechat';
import { runDueJobs } from './bridges/scheduler';
import { addUser } from './bridges/users';

describe('livechat visitors (registerGuest)', () => {
	it('finds an existing visitor by phone and keeps its token, ignoring the one passed', async () => {
		const { rc, b } = world();
		const first = await b.livechat.createAndReturnVisitor(visitorIn('tok-1', '+79001234567'));
		const again = await b.livechat.createAndReturnVisitor(visitorIn('tok-2', '+79001234567', { name: 'Anna K' }));
		expect(again.id).toBe(first.id);
		expect(again.token).toBe('tok-1');
		expect(again.name).toBe('Anna K');
		expect(rc.visitors).toHaveLength(1);
		expect(first.username).toBe('guest-1');
		expect(await b.livechat.findVisitorByPhoneNumber('+79001234567')).toMatchObject({ token: 'tok-1' });
		expect(await b.livechat.findVisitorByToken('tok-2')).toBeUndefined();
	});
	it('throws error-invalid-department for an unknown department, accepts one by name', async () => {
		const { b, dep } = world();
		await expect(b.livechat.createAndReturnVisitor(visitorIn('t', undefined, { department: 'Nope' }))).rejects.toThrow('error-invalid-department');
		expect((await b.livechat.createAndReturnVisitor(visitorIn('t', undefined, { department: 'Support' }))).department).toBe(dep.id);
	});
});

describe('livechat rooms', () => {
	it('routes to an online agent of the visitor department, with the app source and custom fields', async () => {
		const { b, agent, dep } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1', '+1', { department: dep.id }));
		const room = await b.livechat.createRoom(v, undefined as any, APP, { source: { type: 'app', label: 'WhatsApp', destination: '+7999' }, customFields: { wa: 1 } } as any);
		expect(room).toMatchObject({ type: 'l', isOpen: true, servedBy: { id: agent.id }, department: { id: dep.id }, visitor: { token: 't1' }, customFields: { wa: 1 } });
		expect(room.source).toEqual({ type: 'app', id: APP, alias: 'GREEN-API WhatsApp Bridge', label: 'WhatsApp', destination: '+7999' });
		expect(await b.livechat.findRooms(v, null)).toHaveLength(1);
	});
	it('throws no-agent-online when nobody is online, queues when accepting chats with no agents', async () => {
		const { rc, b, agent } = world();
		agent.status = 'offline';
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		expect(await b.livechat.isOnlineAsync()).toBe(false);
		await expect(b.livechat.createRoom(v, undefined as any, APP)).rejects.toThrow('no-agent-online');
		rc.acceptChatsWithNoAgents = true;
		expect(await b.livechat.isOnlineAsync()).toBe(true);
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		expect(room.servedBy).toBeUndefined();
		expect(rc.rooms[0].queued).toBe(true);
	});
	it('refuses an unknown agent with RC\'s message', async () => {
		const { b } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		await expect(b.livechat.createRoom(v, { id: 'ghost' } as any, APP)).rejects.toThrow('The agent with id "ghost" was not found.');
	});
	it('posts a visitor message into a closed room by silently opening a new room without the app metadata', async () => {
		const { rc, b, agent } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, undefined as any, APP, { source: { type: 'app', label: 'WhatsApp' } } as any);
		await b.livechat.createMessage(livechatMessage({ room, visitor: v, text: 'one' }), APP);
		expect(await b.livechat.closeRoom(room, 'done', rc.toAppUser(agent))).toBe(true);
		expect(rc.room(room.id)).toMatchObject({ isOpen: false, closer: 'user', closedById: agent.id, closeComment: 'done' });
		await expect(b.livechat.closeRoom(room, 'again', undefined)).rejects.toThrow('Error removing inquiry'); // a stale copy: the inquiry is gone
		expect(await b.livechat.findRooms(v, null)).toHaveLength(0);
		const id = await b.livechat.createMessage(livechatMessage({ room, visitor: v, text: 'two' }), APP);
		const msg = rc.message(id)!;
		expect(msg.rid).not.toBe(room.id);
		expect(msg).toMatchObject({ text: 'two', token: 't1', alias: 'Anna', sender: { type: 'visitor' } });
		expect(rc.room(msg.rid)!.source).toEqual({ type: 'app', id: APP, alias: 'green-api-whatsapp-bridge' });
	});
	it('needs a token and the room of that visitor', async () => {
		const { b } = world();
		const v1 = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const v2 = await b.livechat.createAndReturnVisitor(visitorIn('t2', undefined, { name: 'Bob' }));
		const room = await b.livechat.createRoom(v1, undefined as any, APP);
		await expect(b.livechat.createMessage({ room, text: 'x' } as any, APP)).rejects.toThrow('Invalid token for livechat message');
		await expect(b.livechat.createMessage(livechatMessage({ room, visitor: v2, text: 'x' }), APP)).rejects.toThrow('cannot-access-room');
	});
});

describe('messages', () => {
	it('lets the app user post anywhere, refuses an agent who does not serve the room, fires IPostMessageSent', async () => {
		const { rc, b, appUser } = world();
		const other = addUser(rc, { username: 'other', roles: ['livechat-agent'], status: 'online' });
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		const id = await b.message.create({ room, sender: rc.toAppUser(appUser), text: 'note' } as any, APP);
		expect(rc.message(id)).toMatchObject({ text: 'note', sender: { type: 'app' }, origin: 'app' });
		expect(rc.effects.some((e) => e.kind === 'event' && e.interface === 'IPostMessageSent' && e.messageId === id)).toBe(true);
		await expect(b.message.create({ room, sender: rc.toAppUser(other), text: 'x' } as any, APP)).rejects.toThrow('error-not-allowed');
		await expect(b.message.create({ room, sender: rc.toAppUser(appUser), text: 'x', customFields: { wa: 1 } } as any, APP)).rejects.toThrow('Custom fields not enabled');
		await b.message.update({ id, room, editor: rc.toAppUser(appUser), text: 'edited' } as any, APP);
		expect(rc.message(id)).toMatchObject({ text: 'edited', editor: { id: appUser.id } });
		expect(rc.message(id)!.editedAt).toBeInstanceOf(Date);
		expect((await b.message.getById(id, APP)).room.id).toBe(room.id);
	});
	it('records notifier notices without storing room messages', async () => {
		const { rc, b, agent } = world();
		const before = rc.messages.length;
		const room = await b.room.getById(await b.room.create({ type: 'c', slugifiedName: 'x', creator: rc.toAppUser(agent) } as any, [], APP), APP);
		await b.message.notifyUser(rc.toAppUser(agent), { room, text: 'only you', attachments: [{ text: 'a' }] } as any, APP);
		expect(rc.notices).toMatchObject([{ kind: 'user', userId: agent.id, text: 'only you', attachments: [{ text: 'a' }] }]);
		expect(rc.messages.length).toBe(before);
	});
});

describe('uploads', () => {
	const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
	it('stores a visitor file into a closed room but posts nothing; posts a file message into an open one', async () => {
		const { rc, b } = world();
		const v = await b.livechat.createAndReturnVisitor(visitorIn('t1'));
		const room = await b.livechat.createRoom(v, undefined as any, APP);
		const up = await b.upload.createUpload({ name: 'a.png', size: PNG.length, rid: room.id, visitorToken: 't1' } as any, PNG, APP);
		const msg = rc.messages.find((m) => m.file?._id === up.id)!;
		expect(up).toMatchObject({ name: 'a.png', type: 'image/png', path: `/file-upload/${up.id}/a.png` });
		expect(msg).toMatchObject({ token: 't1', file: { _id: up.id, name: 'a.png', type: 'image/png' }, attachments: [{ title: { link: `/file-upload/${up.id}/a.png` } }] });
		expect(msg.files!.map((f) => f.typeGroup)).toEqual([undefined, 'thumb']);
		expect(Buffer.compare(await b.upload.getBuffer(up, APP), PNG)).toBe(0);
		await b.livechat.closeRoom(room, '', undefined);
		const before = rc.messages.length;
		const orphan = await b.upload.createUpload({ name: 'b.pdf', size: 3, rid: room.id, visitorToken: 't1' } as any, Buffer.from('%PDF'), APP);
		expect(rc.messages.length).toBe(before);
		expect(rc.uploads.find((u) => u.id === orphan.id)).toMatchObject({ type: 'application/pdf', messageId: undefined });
		expect(rc.effects.slice(-1)[0]).toMatchObject({ kind: 'upload.stored', posted: false });
	});
	it('refuses files above the maximum size like RC\'s upload validation', async () => {
		const { b, appUser, rc } = world({ maxUploadBytes: 4 });
		const room = await b.room.getById(await b.room.create({ type: 'c', slugifiedName: 'files', creator: rc.toAppUser(appUser) } as any, [], APP), APP);
		await expect(b.upload.createUpload({ name: 'x.bin', size: 5, rid: room.id, userId: appUser.id } as any, Buffer.alloc(5), APP)).rejects.toThrow('error-file-too-large');
		expect(rc.uploads).toHaveLength(0);
	});
});

describe('persistence', () => {
	const A = (model: string, id: string) => ({ model, id });
	it('reads by $all subset, updates by the exact array (order matters), upserts a second record otherwise', async () => {
		const { rc, b } = world();
		const p = b.persistence;
		await p.createWithAssociations({ n: 1 }, [A('misc', 'a'), A('room', 'r')], APP);
		expect(await p.readByAssociations([A('room', 'r')], APP)).toEqual([{ n: 1 }]);
		expect(await p.readByAssociations([A('room', 'r'), A('misc', 'a')], APP)).toEqual([{ n: 1 }]);
		await p.updateByAssociations([A('misc', 'a'), A('room', 'r')], { n: 2 }, false, APP);
		expect(rc.persistence).toHaveLength(1);
		await p.updateByAssociations([A('room', 'r'), A('misc', 'a')], { n: 3 }, true, APP);
		expect(rc.persistence).toHaveLength(2);
		expect(await p.readByAssociations([A('misc', 'a')], APP)).toEqual([{ n: 2 }, { n: 3 }]);
		await p.updateByAssociations([A('misc', 'zzz')], { n: 4 }, false, APP);
		expect(rc.persistence).toHaveLength(2);
		expect(await p.readByAssociations([A('misc', 'a')], 'other-app')).toEqual([]);
	});
	it('throws on update(id), removes by $all returning data or undefined, purges', async () => {
		const { rc, b } = world();
		const p = b.persistence;
		const id = await p.create({ k: 1 }, APP);
		await expect(p.update(id, { k: 2 }, false, APP)).rejects.toThrow('Not implemented.');
		expect(await p.readById(id, APP)).toEqual({ k: 1 });
		await p.createWithAssociations({ q: 1 }, [A('misc', 'queue'), A('misc', 'x')], APP);
		expect(await p.removeByAssociations([A('misc', 'nothing')], APP)).toBeUndefined();
		expect(await p.removeByAssociations([A('misc', 'queue')], APP)).toEqual([{ q: 1 }]);
		await p.purge(APP);
		expect(rc.persistence).toHaveLength(0);
	});
});

describe('scheduler', () => {
	it('runs due jobs on the harness clock with {...data, jobId}, removes one-offs, reschedules recurring ones', async () => {
		const { rc, b } = world();
		const seen: any[] = [];
		const proc = (name: string) => async (ctx: any) => {
			seen.push([name, ctx]);
		};
		const ids = await b.scheduler.registerProcessors([
			{ id: `tick_${APP}`, processor: proc('tick'), startupSetting: { type: 'recurring', interval: '1 minute' } },
			{ id: `once_${APP}`, processor: proc('once') },
		] as any, APP);
		expect(ids).toHaveLength(1);
		const onceId = await b.scheduler.scheduleOnce({ id: `once_${APP}`, when: '5 seconds', data: { wa: 'x' } } as any, APP);
		expect(await runDueJobs(rc)).toBe(1); // the recurring job is due immediately (skipImmediate false)
		rc.clockOffsetMs += 5000;
		expect(await runDueJobs(rc)).toBe(1);
		expect(seen[1]).toEqual(['once', { wa: 'x', jobId: onceId }]);
		expect(rc.jobs.map((j) => j.processorId)).toEqual(['tick']);
		expect(await b.scheduler.scheduleRecurring({ id: `tick_${APP}`, interval: 1000, data: { v: 2 } } as any, APP)).toBe(ids![0]);
		expect(rc.jobs).toHaveLength(1);
		rc.clockOffsetMs += 60_000;
		expect(await runDueJobs(rc)).toBe(1);
		expect(seen[2]).toEqual(['tick', { v: 2, jobId: ids![0] }]);
		await b.scheduler.cancelJob(`tick_${APP}`, APP);
		expect(rc.jobs).toHaveLength(0);
	});
	it('keeps a failed one-off job without retrying it', async () => {
		const { rc, b } = world();
		await b.scheduler.registerProcessors([{ id: `bad_${APP}`, processor: async () => { throw new Error('boom'); } }] as any, APP);
		const id = await b.scheduler.scheduleOnce({ id: `bad_${APP}`, when: new Date() } as any, APP);
		expect(await runDueJobs(rc)).toBe(1);
		expect(rc.jobs).toMatchObject([{ id, nextRunAt: null, lastError: 'boom' }]);
		expect(await runDueJobs(rc)).toBe(0);
		await b.scheduler.cancelJob(`${id}_${APP}`, APP);
		expect(rc.jobs).toHaveLength(0);
	});
});

describe('http', () => {
	it('talks to 127.0.0.1 only, with IHttp body/query/encoding rules', async () => {
		const { rc, b } = world();
		const seen: any[] = [];
		const server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				seen.push({ url: req.url, method: req.method, type: req.headers['content-type'], body });
				if (req.url!.startsWith('/bin')) {
					res.end(Buffer.from([0, 1, 2]));
					return;
				}
				res.writeHead(req.url!.startsWith('/fail') ? 500 : 200, { 'Content-Type': 'application/json', 'X-Thing': 'y' });
				res.end(JSON.stringify({ ok: true }));
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			const r1 = await b.http.call({ appId: APP, method: 'post', url: `${base}/a`, request: { data: { x: 1 }, params: { p: 'q' }, headers: { 'content-type': 'text/plain' } } });
			expect(r1).toMatchObject({ statusCode: 200, data: { ok: true }, headers: { 'x-thing': 'y' } });
			expect(seen[0]).toEqual({ url: '/a', method: 'POST', type: 'application/json', body: '{"x":1}' });
			const r2 = await b.http.call({ appId: APP, method: 'get', url: `${base}/bin`, request: { encoding: null, params: { a: 'b c' } } });
			expect(Buffer.isBuffer(r2.content)).toBe(true);
			expect(seen[1].url).toBe('/bin?a=b+c');
			expect((await b.http.call({ appId: APP, method: 'post', url: `${base}/fail`, request: { content: 'raw' } })).statusCode).toBe(500);
			expect(seen[2].body).toBe('raw');
			await expect(b.http.call({ appId: APP, method: 'get', url: 'https://api.green-api.com/x', request: {} })).rejects.toThrow('HTTP to non-loopback host refused by the test runtime: api.green-api.com');
			// The refused attempt is recorded too, marked refused.
			const requests = rc.effects.filter((e) => e.kind === 'http.request');
			expect(requests).toHaveLength(4);
			expect(requests[3]).toMatchObject({ method: 'GET', url: 'https://api.green-api.com/x', refused: true });
		} finally {
			server.close();
		}
	});
});

describe('server settings, roles, effects', () => {
	it('gives Site_Url and undefined for unknown settings', async () => {
		const { b, rc } = world({ siteUrl: 'http://chat.example' });
		const s = b.getServerSettingBridge() as any;
		expect(rc.serverSetting('FileUpload_MaxFileSize')?.value).toBe(104857600);
		expect((await s.getOneById('Site_Url', APP)).value).toBe('http://chat.example');
		expect(await s.getOneById('No_Such_Setting', APP)).toBeUndefined();
		expect(await (b.getRoleBridge() as any).getOneByIdOrName('livechat-agent', APP)).toMatchObject({ id: 'livechat-agent' });
	});
	it('numbers effects in order', () => {
		const { rc } = world();
		registerGuest(rc, { token: 'x' });
		const seqs = rc.effects.map((e) => e.seq);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		expect(rc.effects.slice(-1)[0]).toMatchObject({ kind: 'visitor.created', token: 'x' });
	});
});
