// Admins and agents through /whatsapp on the real engine: setup, roles, bad input, masking.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from './support/world';

describe('/whatsapp for admins, managers and agents', () => {
	let w: World;
	let manager: { id: string; username: string };
	let plainUser: { id: string; username: string };

	beforeAll(async () => {
		w = await startWorld();
		manager = w.rc.addUser({ username: 'manager', roles: ['livechat-manager', 'user'], status: 'online' });
		plainUser = w.rc.addUser({ username: 'bob', roles: ['user'], status: 'online' });
	});
	afterAll(async () => {
		await w?.stop();
	});

	/** Runs the command and returns the private answers it produced for that user. */
	async function run(userId: string, args: string, roomId?: string): Promise<string> {
		const before = w.rc.rc.notices.length;
		await w.rc.runCommand('whatsapp', args.split(' ').filter(Boolean), { userId, roomId });
		const answers = w.rc.rc.notices.slice(before);
		expect(answers.length).toBeGreaterThan(0);
		for (const n of answers) expect(n.userId).toBe(userId);
		return answers.map((n: any) => n.text).join('\n');
	}

	function expectNoSecrets(text: string): void {
		expect(text).not.toContain(GA.apiToken);
		expect(text).not.toContain(w.webhookToken);
	}

	it('configured the instance webhook in GREEN-API when it was added', () => {
		const s = w.green.webhookSettings(GA.idInstance);
		expect(s).toMatchObject({
			webhookUrl: `http://rc.test/api/apps/public/${w.rc.appId}/greenapi?instance=${GA.idInstance}`,
			incomingWebhook: 'yes', outgoingWebhook: 'yes', outgoingMessageWebhook: 'yes', stateWebhook: 'yes',
			editedMessageWebhook: 'yes', deletedMessageWebhook: 'yes', pollMessageWebhook: 'yes',
		});
		expect(String(s.webhookUrlToken)).toMatch(/^[0-9a-f]{48}$/);
		const added = w.rc.rc.notices.find((n) => /Instance 1101000001 connected/.test(n.text || ''))!;
		expect(added.text).toContain('+79990000000');
		// The test server's Site URL is plain HTTP: the admin is told.
		expect(added.text).toContain('The Site URL is not HTTPS');
		expectNoSecrets(added.text!);
	});

	it('lists instances with masked tokens', async () => {
		const text = await run(w.admin.id, 'instance list');
		expect(text).toContain(`${GA.idInstance}: +79990000000, authorized, department ${w.department.id}`);
		expect(text).toContain(`****${GA.apiToken.slice(-4)}`);
		expectNoSecrets(text);
	});

	it('refuses admin subcommands to others, with the reason', async () => {
		expect(await run(w.agent.id, 'instance list')).toContain('is for administrators only');
		expect(await run(manager.id, 'instance add 1 2')).toContain('is for administrators only');
		expect(await run(plainUser.id, 'status')).toContain('is for omnichannel managers and administrators only');
		expect(await run(plainUser.id, 'help')).toContain('is for omnichannel agents only');
	});

	it('explains bad arguments and unknown subcommands', async () => {
		expect(await run(w.admin.id, 'instance add abc')).toContain('Usage: /whatsapp instance add');
		expect(await run(w.admin.id, 'instance frobnicate')).toContain('Usage: /whatsapp instance');
		expect(await run(w.admin.id, 'launch')).toContain('Unknown subcommand "launch"');
		expect(await run(w.admin.id, 'instance remove 555')).toContain('No connected instance 555');
		expect(await run(w.admin.id, `instance department ${GA.idInstance} NoSuchDept`)).toContain('No omnichannel department "NoSuchDept"');
		expect(await run(w.admin.id, `instance add ${GA.idInstance} ${GA.apiToken}`)).toContain('already connected');
	});

	it('rejects invalid GREEN-API credentials without storing anything', async () => {
		w.green.addInstance({ idInstance: '2202000002', apiTokenInstance: 'right-token-2202', wid: '79991111111@c.us', state: 'authorized' });
		const wrongToken = await run(w.admin.id, `instance add 2202000002 wrong-token-xyz - ${w.green.apiUrl} ${w.green.mediaUrl}`);
		expect(wrongToken).toContain('GREEN-API refused instance 2202000002');
		expect(wrongToken).not.toContain('wrong-token-xyz');
		const unknownId = await run(w.admin.id, `instance add 3303000003 some-token-abc - ${w.green.apiUrl} ${w.green.mediaUrl}`);
		expect(unknownId).toContain('GREEN-API refused instance 3303000003');
		expect(await run(w.admin.id, 'instance list')).not.toContain('2202000002');
	});

	it('sets a per-number send rate (an upgraded number), back to the provider default with -', async () => {
		expect(await run(w.admin.id, `instance rate ${GA.idInstance} 120`)).toContain(`Instance ${GA.idInstance} now sends at most 120 messages per second.`);
		const stored = () => w.rc.rc.persistence.find((p) => p.data?.id === GA.idInstance && p.data?.provider === 'greenapi')!.data;
		expect(stored().sendsPerSecond).toBe(120);
		expect(await run(w.admin.id, `instance rate ${GA.idInstance} -`)).toContain('at most 45 messages per second');
		// (persistence stores an unset field as null)
		expect(stored().sendsPerSecond ?? undefined).toBeUndefined();
		expect(await run(w.admin.id, `instance rate ${GA.idInstance} 0`)).toMatch(/^Usage: \/whatsapp instance rate/);
		expect(await run(w.agent.id, `instance rate ${GA.idInstance} 10`)).not.toContain('now sends');
	});

	it('adds, re-routes, re-syncs and removes a second instance', async () => {
		const added = await run(w.admin.id, `instance add 2202000002 right-token-2202 Support ${w.green.apiUrl} ${w.green.mediaUrl}`);
		expect(added).toContain('Instance 2202000002 connected: number +79991111111');
		expect(added).not.toContain('right-token-2202');
		expect(await run(w.admin.id, 'instance department 2202000002 -')).toContain('now go to department —');
		w.green.reset();
		const synced = await run(w.admin.id, 'instance sync-url');
		expect(synced).toContain(`${GA.idInstance}: webhook set to http://rc.test/`);
		expect(synced).toContain('2202000002: webhook set to');
		expect(w.green.requestsFor('setSettings')).toHaveLength(2);
		expectNoSecrets(synced);
		expect(await run(w.admin.id, 'instance remove 2202000002')).toContain('Instance 2202000002 removed');
		expect(await run(w.admin.id, 'instance list')).not.toContain('2202000002');
	});

	it('shows the QR code only to the admin, or says the phone is linked', async () => {
		expect(await run(w.admin.id, `instance qr ${GA.idInstance}`)).toContain('already linked');
		w.green.setState(GA.idInstance, 'notAuthorized');
		const before = w.rc.rc.notices.length;
		await w.rc.runCommand('whatsapp', ['instance', 'qr', GA.idInstance], { userId: w.admin.id });
		const qr = w.rc.rc.notices.slice(before)[0];
		expect(qr.userId).toBe(w.admin.id);
		expect(qr.text).toContain('Scan this code');
		expect(JSON.stringify(qr.attachments)).toContain('data:image/png;base64,');
		// A fresh code follows while the phone is not linked…
		w.rc.advanceClock(21_000);
		await w.rc.runDueJobs();
		const refreshed = w.rc.rc.notices.slice(before + 1);
		expect(refreshed).toHaveLength(1);
		expect(refreshed[0]).toMatchObject({ userId: w.admin.id });
		expect(JSON.stringify(refreshed[0].attachments)).toContain('data:image/png;base64,');
		// …and it stops once it is.
		w.green.setState(GA.idInstance, 'authorized');
		w.rc.advanceClock(21_000);
		await w.rc.runDueJobs();
		expect(w.rc.rc.notices.slice(-1)[0].text).toContain('already linked');
		expect(w.rc.rc.jobs.filter((j) => j.processorId.startsWith('gab-qr'))).toEqual([]);
	});

	it('also posts the QR code as an image into a room the admin chose ("here"), refreshed until linked', async () => {
		const setup = w.rc.addRoom({ name: 'wa-setup', type: 'p', memberIds: [w.admin.id] });
		expect(await run(w.admin.id, `instance qr ${GA.idInstance} somewhere`, setup.id)).toContain('Usage: /whatsapp instance qr');
		w.green.setState(GA.idInstance, 'notAuthorized');
		await w.rc.runCommand('whatsapp', ['instance', 'qr', GA.idInstance, 'here'], { userId: w.admin.id, roomId: setup.id });
		const qrFiles = () => w.rc.rc.uploads.filter((u) => u.rid === setup.id && u.name === `whatsapp-qr-${GA.idInstance}.png`);
		expect(qrFiles()).toHaveLength(1);
		expect(qrFiles()[0].bytes.subarray(0, 4).toString('hex')).toBe('89504e47'); // a PNG
		expect(w.rc.rc.messages.some((m) => m.rid === setup.id && m.file?._id === qrFiles()[0].id)).toBe(true);
		w.rc.advanceClock(21_000);
		await w.rc.runDueJobs();
		expect(qrFiles()).toHaveLength(2);
		w.green.setState(GA.idInstance, 'authorized');
		w.rc.advanceClock(21_000);
		await w.rc.runDueJobs();
		expect(qrFiles()).toHaveLength(2);
	});

	it('gives managers the status of every number', async () => {
		await w.customerSends(fx.textMessage('status check'));
		const text = await run(manager.id, 'status');
		expect(text).toContain(`${GA.idInstance} (+79990000000)`);
		expect(text).toContain('waiting inbound 0, outbound 0');
		expect(text).toMatch(/last heard: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
		expectNoSecrets(text);
	});

	it('gives agents the conversation info inside a WhatsApp room, and says so elsewhere', async () => {
		await w.customerSends(fx.textMessage('Hello'));
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		const info = await run(w.agent.id, 'info', room.id);
		expect(info).toContain('Customer: Anna');
		expect(info).toContain('Phone: +790***567');
		expect(info).not.toContain('+79001234567');
		expect(info).toContain('Business number: +79990000000');
		expect(await run(w.agent.id, 'info')).toContain('works inside a WhatsApp conversation room');
		expect(await run(w.agent.id, 'help')).toContain('/whatsapp info');
	});
});
