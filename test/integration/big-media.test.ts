// Files at WhatsApp's sizes on the real engine, both directions, GREEN-API and Cloud API. The engine carries each call's
// data as one message whose decoding cost grows with the square of its size, so the app moves at most what one call
// carries on the engine it runs on (8 MB where calls have 10 s, 16 MB where they have 30 s): a file at that limit
// arrives byte for byte (downloaded in ranged pieces), a 100 MB document gets a note naming it and its size instead of
// a transfer that outlasts the engine. Every wait is for a condition, running the jobs that are due meanwhile.
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { MEDIA_CHUNK_BYTES } from '../../src/providers/shared/download';
import { CLOUD, msg } from '../fixtures/cloud';
import { GA, documentMessage, textMessage } from '../fixtures/greenapi';
import { FakeGraphApi } from '../fakes/FakeCloudApi';
import { ENGINE, TestRocketChat } from '../runtime/TestRocketChat';
import { CloudWorld, startCloudWorld } from './support/cloudWorld';
import { startWorld, World } from './support/world';

const MB = 1024 * 1024;
/** The engine's budget per call, read from its files the way the app tells it (the contact creator came with 1.53). */
const creator = path.join(ENGINE.engineDir, 'deno-runtime/lib/accessors/modify/ModifyCreator.ts');
const LONG_BUDGET = fs.existsSync(creator) && fs.readFileSync(creator, 'utf8').includes('getContactCreator');
const LIMIT = (LONG_BUDGET ? 16 : 8) * MB;

async function until(rc: TestRocketChat, cond: () => boolean, what: string, ms = 170_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${rc.appWrittenLogText().slice(-1500)}`);
		await rc.runDueJobs();
		if (!cond()) await new Promise((r) => setTimeout(r, 20));
	}
}
const textsIn = (rc: TestRocketChat, roomId: string) => rc.rc.messages.filter((m: any) => m.rid === roomId).map((m: any) => String(m.text ?? ''));

describe(`GREEN-API: big files on ${ENGINE.version} (one call carries ${LIMIT / MB} MB)`, () => {
	let w: World;
	let roomId: string;
	beforeAll(async () => {
		w = await startWorld({ acceptChatsWithNoAgents: true });
		await w.customerSends(textMessage('hello'));
		roomId = w.rc.rc.persistence.find((p) => p.data?.chatId === GA.chatId && p.data?.roomId)!.data.roomId;
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('a customer document at the limit reaches the room byte for byte, fetched in ranged pieces', async () => {
		const bytes = randomBytes(LIMIT);
		const url = w.green.serveFile('at-limit.pdf', bytes, 'application/pdf');
		expect((await w.customerSends(documentMessage(url, 'at-limit.pdf'))).status).toBe(200);
		const inRoom = () => w.rc.rc.uploads.find((u) => u.name === 'at-limit.pdf' && u.rid === roomId && u.messageId);
		await until(w.rc, () => !!inRoom(), 'the document in the room');
		expect(Buffer.compare(inRoom()!.bytes, bytes)).toBe(0);
		const pieces = w.green.downloads.filter((d) => d.name === 'at-limit.pdf');
		expect(pieces.length).toBe(LIMIT / MEDIA_CHUNK_BYTES);
		expect(pieces.every((d) => d.status === 206 && /^bytes=\d+-\d+$/.test(String(d.headers.range)))).toBe(true);
	});

	it('a 100 MB customer document gets a note naming it and its size; nothing half-stored', async () => {
		const url = w.green.serveFile('contract-100mb.pdf', randomBytes(100 * MB), 'application/pdf');
		const uploads = w.rc.rc.uploads.length;
		await w.customerSends(documentMessage(url, 'contract-100mb.pdf', 'application/pdf', 'the signed contract'));
		const note = () => textsIn(w.rc, roomId).find((t) => t.includes('contract-100mb.pdf') && t.includes('100.0 MB'));
		await until(w.rc, () => !!note(), 'the note');
		expect(note()).toContain(`(${(LIMIT / MB).toFixed(1)} MB)`);
		expect(note()).toContain('the signed contract');
		expect(w.rc.rc.uploads.length).toBe(uploads);
		// Only the first piece was fetched: its Content-Range told the size.
		expect(w.green.downloads.filter((d) => d.name === 'contract-100mb.pdf').map((d) => d.headers.range)).toEqual([`bytes=0-${MEDIA_CHUNK_BYTES - 1}`]);
	});

	it('an agent file at the limit goes to GREEN-API byte for byte', async () => {
		const bytes = randomBytes(LIMIT);
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, file: { name: 'answer.pdf', type: 'application/pdf', bytes } });
		const sent = () => (w.green.sent[GA.idInstance] || []).find((s) => s.method === 'sendFileByUpload' && s.fileName === 'answer.pdf');
		await until(w.rc, () => !!sent(), 'the file at GREEN-API');
		expect(Buffer.compare(sent()!.file!.bytes!, bytes)).toBe(0);
	});

	it('a 100 MB agent file is refused with a note before its bytes move', async () => {
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, file: { name: 'video-archive.pdf', type: 'application/pdf', bytes: Buffer.alloc(100 * MB, 1) } });
		const note = () => textsIn(w.rc, roomId).find((t) => t.includes('video-archive.pdf') && t.includes('100.0 MB'));
		await until(w.rc, () => !!note(), 'the note');
		expect(note()).toMatch(/^⚠️ Not sent to WhatsApp/);
		expect((w.green.sent[GA.idInstance] || []).some((s) => s.fileName === 'video-archive.pdf')).toBe(false);
	});
});

describe('GREEN-API: a file over Rocket.Chat\'s upload limit (FileUpload_MaxFileSize)', () => {
	let w: World;
	afterAll(async () => {
		await w?.stop();
	});

	it('gets a note naming the file, its size and Rocket.Chat\'s limit; a file under it arrives', async () => {
		w = await startWorld({ acceptChatsWithNoAgents: true, maxUploadBytes: 2 * MB });
		await w.customerSends(textMessage('hello'));
		const roomId = w.rc.rc.persistence.find((p) => p.data?.chatId === GA.chatId && p.data?.roomId)!.data.roomId;
		await w.customerSends(documentMessage(w.green.serveFile('scan.pdf', randomBytes(3 * MB), 'application/pdf'), 'scan.pdf'));
		const note = () => textsIn(w.rc, roomId).find((t) => t.includes('scan.pdf'));
		await until(w.rc, () => !!note(), 'the note');
		expect(note()).toContain("the file (3.0 MB) is larger than Rocket.Chat's upload limit (2.0 MB)");
		const small = randomBytes(MB);
		await w.customerSends(documentMessage(w.green.serveFile('small.pdf', small, 'application/pdf'), 'small.pdf'));
		const inRoom = () => w.rc.rc.uploads.find((u) => u.name === 'small.pdf' && u.messageId);
		await until(w.rc, () => !!inRoom(), 'the small document');
		expect(Buffer.compare(inRoom()!.bytes, small)).toBe(0);
		expect(w.rc.rc.uploads.some((u) => u.name === 'scan.pdf')).toBe(false);
	});
});

describe(`Cloud API: big files on ${ENGINE.version}`, () => {
	let w: CloudWorld;
	let fake: FakeGraphApi;
	let roomId: string;
	beforeAll(async () => {
		w = await startCloudWorld({ provider: 'cloud', acceptChatsWithNoAgents: true });
		fake = w.fake as FakeGraphApi;
		await w.customerSends(msg.text('hello'));
		roomId = w.roomOf(CLOUD.customer);
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('a customer document at the limit reaches the room byte for byte', async () => {
		const bytes = randomBytes(LIMIT);
		const id = fake.addMedia(CLOUD.phoneNumberId, bytes, 'application/pdf');
		expect((await w.customerSends(msg.document(id, 'ledger.pdf'))).status).toBe(200);
		const inRoom = () => w.rc.rc.uploads.find((u) => u.name === 'ledger.pdf' && u.rid === roomId && u.messageId);
		await until(w.rc, () => !!inRoom(), 'the document in the room');
		expect(Buffer.compare(inRoom()!.bytes, bytes)).toBe(0);
		expect(fake.mediaDownloads(id)).toBe(LIMIT / MEDIA_CHUNK_BYTES);
	});

	it('a 100 MB customer document gets a note naming it and its size, without a download (the media info tells the size)', async () => {
		const id = fake.addMedia(CLOUD.phoneNumberId, randomBytes(100 * MB), 'application/pdf');
		await w.customerSends(msg.document(id, 'archive.pdf'));
		const note = () => textsIn(w.rc, roomId).find((t) => t.includes('archive.pdf') && t.includes('100.0 MB'));
		await until(w.rc, () => !!note(), 'the note');
		expect(fake.mediaDownloads(id)).toBe(0);
	});

	it('an agent document at the limit is uploaded to /media and sent; a 100 MB one gets a note', async () => {
		fake.reset();
		const bytes = randomBytes(LIMIT);
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, file: { name: 'offer.pdf', type: 'application/pdf', bytes } });
		await until(w.rc, () => fake.sent.some((s) => s.type === 'document'), 'the document at the Graph API');
		const sent = fake.sent.find((s) => s.type === 'document')!;
		expect(Buffer.compare(fake.mediaBytes(sent.body.document.id)!, bytes)).toBe(0);
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, file: { name: 'huge.pdf', type: 'application/pdf', bytes: Buffer.alloc(100 * MB, 2) } });
		await until(w.rc, () => textsIn(w.rc, roomId).some((t) => t.includes('huge.pdf') && t.includes('100.0 MB')), 'the note');
		expect(fake.requests.filter((r) => r.method === 'media.upload')).toHaveLength(1);
	});
});
