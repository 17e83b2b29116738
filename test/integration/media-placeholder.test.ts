// A file that cannot be fetched yet does not hold the conversation back: a note stands at its place,
// the customer's later messages come in at once, in order, and the file follows when it arrives (or
// the note says it never did).
import * as fx from '../fixtures/greenapi';
import { startWorld, World } from './support/world';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('a photo whose host keeps failing', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
		w.rc.rc.shiftAppDates = true;
	});
	afterAll(async () => {
		await w?.stop();
	});
	const texts = (roomId: string) => w.roomMessages(roomId).map((m: any) => m.text || `[file ${m.file?.name}]`);

	it('gets a placeholder; later messages flow; the file follows and the placeholder says so', async () => {
		const url = w.green.serveFile('late-photo.png', PNG, 'image/png', { status: 503 });
		await w.customerSends(fx.textMessage('Here is the damage:'));
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		expect((await w.customerSends(fx.imageMessage(url, 'broken box', { fileName: 'late-photo.png' }))).content.outcome).toBe('queued');
		await w.rc.runDueJobs();
		const placeholder = await w.rc.waitFor(() => w.roomMessages(room.id).find((m: any) => /could not be fetched yet/.test(m.text || '')));
		// The next text is not parked behind the photo.
		expect((await w.customerSends(fx.textMessage('Can you replace it?'))).content.outcome).toBe('posted');
		expect(texts(room.id)).toEqual(['Here is the damage:', placeholder.text, 'Can you replace it?']);

		w.green.serveFile('late-photo.png', PNG, 'image/png');
		w.rc.advanceClock(5 * 60_000);
		await w.rc.runDueJobs();
		const upload = await w.rc.waitFor(() => w.rc.rc.uploads.find((u) => u.name === 'late-photo.png'));
		expect(upload.bytes.equals(PNG)).toBe(true);
		await w.rc.waitFor(() => /arrived/.test(w.rc.rc.messages.find((m) => m.id === placeholder.id)!.text || ''));
		expect(texts(room.id).slice(-2)).toEqual(['[file late-photo.png]', 'broken box']);
	});

	it('a photo given up leaves the placeholder saying it could not be fetched', async () => {
		await w.rc.setAppSetting('max_attempts', 2);
		const url = w.green.serveFile('never.png', PNG, 'image/png', { status: 502 });
		await w.customerSends(fx.imageMessage(url, '', { fileName: 'never.png' }));
		for (let i = 0; i < 4; i++) {
			w.rc.advanceClock(10 * 60_000);
			await w.rc.runDueJobs();
		}
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		const notes = w.roomMessages(room.id).filter((m: any) => /never\.png/.test(m.text || ''));
		expect(notes).toHaveLength(1);
		await w.rc.waitFor(() => /could not be fetched from WhatsApp/.test(w.rc.rc.messages.find((m) => m.id === notes[0].id)!.text || ''));
		expect(w.rc.rc.persistence.filter((p) => p.associations.some((a: any) => a.id === 'gab:inbox'))).toEqual([]);
	});
});
