// Media is fetched only from the provider's media hosts (or hosts an admin allowed): a download URL
// pointing anywhere else is refused at once, without a retry, and the agent's note names the host so
// an admin can allow a legitimate new one.
import * as fx from '../fixtures/greenapi';
import { startWorld, World } from './support/world';

describe('media hosts', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('refuses a file on a host that is neither GREEN-API\'s nor allowed, names it, and does not retry', async () => {
		const before = w.rc.rc.effects.filter((e: any) => e.kind === 'http.request').length;
		const res = await w.customerSends(fx.imageMessage('https://169.254.169.254/latest/meta-data/photo.jpg', 'see this'));
		expect(res.content.outcome).toBe('queued');
		w.rc.advanceClock(60_000);
		await w.rc.runDueJobs();
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		const note = await w.rc.waitFor(() => w.roomMessages(room.id).find((m: any) => /169\.254\.169\.254/.test(m.text || '')));
		expect(note.text).toContain('Extra media hosts');
		expect(note.text).toContain('see this');
		expect(w.rc.rc.uploads).toHaveLength(0);
		const fetches = w.rc.rc.effects.filter((e: any) => e.kind === 'http.request').slice(before);
		expect(fetches.filter((e: any) => String(e.url || '').includes('169.254'))).toEqual([]);
		// Nothing left to retry.
		expect(w.rc.rc.persistence.filter((p) => p.associations.some((a: any) => a.id === 'gab:inbox'))).toEqual([]);
	});

	it('fetches a file from a host only while the admin allows it', async () => {
		const url = w.green.serveFile('allowed.png', Buffer.from('89504e470d0a1a0a', 'hex'), 'image/png');
		await w.rc.setAppSetting('media_extra_hosts', 'cdn.example.com');
		await w.customerSends(fx.imageMessage(url, '', { fileName: 'first.png' }));
		w.rc.advanceClock(60_000);
		await w.rc.runDueJobs();
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		await w.rc.waitFor(() => w.roomMessages(room.id).find((m: any) => (m.text || '').includes(new URL(url).host)));
		expect(w.green.downloadCount('allowed.png')).toBe(0);

		await w.rc.setAppSetting('media_extra_hosts', 'cdn.example.com, ' + new URL(url).host);
		await w.customerSends(fx.imageMessage(url, '', { fileName: 'second.png' }));
		w.rc.advanceClock(60_000);
		await w.rc.runDueJobs();
		const upload = await w.rc.waitFor(() => w.rc.rc.uploads.find((u) => u.name === 'second.png'));
		expect(upload.bytes.equals(Buffer.from('89504e470d0a1a0a', 'hex'))).toBe(true);
		expect(w.green.downloadCount('allowed.png')).toBe(1);
	});
});
