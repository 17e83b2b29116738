// Ranged media downloads (providers/shared/download.ts) against the fake file host, which serves byte ranges as the
// real storage hosts do (and, asked to, ignores them).
import { randomBytes } from 'crypto';
import { fetchMedia } from '../../../src/providers/shared/download';
import { FakeGreenApi } from '../../fakes/FakeGreenApi';
import { parseRange } from '../../fakes/FakeProviderServer';
import { NodeHttp } from '../nodeHttp';

describe('fetchMedia: ranged pieces into one buffer', () => {
	let fake: FakeGreenApi;
	const http = new NodeHttp();
	beforeAll(async () => {
		fake = await FakeGreenApi.start();
	});
	afterAll(async () => {
		await fake?.stop();
	});
	const ranges = (name: string) => fake.downloads.filter((d) => d.name === name).map((d) => `${d.headers.range} → ${d.status}`);

	it('fetches a file larger than a piece in consecutive ranges, byte for byte', async () => {
		const bytes = randomBytes(2500);
		const url = fake.serveFile('pieces.pdf', bytes, 'application/pdf');
		const got = await fetchMedia(http, url, { maxBytes: 10_000, timeoutMs: 5000, chunkBytes: 1000 });
		expect(got).toMatchObject({ ok: true, mimeType: 'application/pdf' });
		expect(got.ok && Buffer.compare(got.bytes, bytes)).toBe(0);
		expect(ranges('pieces.pdf')).toEqual(['bytes=0-999 → 206', 'bytes=1000-1999 → 206', 'bytes=2000-2499 → 206']);
	});

	it('knows a file is too large from the first piece, before fetching the rest', async () => {
		const url = fake.serveFile('huge.pdf', Buffer.alloc(5000, 7), 'application/pdf');
		const got = await fetchMedia(http, url, { maxBytes: 4000, timeoutMs: 5000, chunkBytes: 1000 });
		expect(got).toMatchObject({ ok: false, retryable: false, code: 'media_too_large', params: { size: 5000, max: 4000 } });
		expect(ranges('huge.pdf')).toEqual(['bytes=0-999 → 206']);
	});

	it('takes the whole file from a server that ignores Range, and still refuses one over the limit', async () => {
		const bytes = randomBytes(3000);
		const url = fake.serveFile('plain.bin', bytes, 'application/octet-stream', { ignoreRange: true });
		const got = await fetchMedia(http, url, { maxBytes: 10_000, timeoutMs: 5000, chunkBytes: 1000 });
		expect(got.ok && Buffer.compare(got.bytes, bytes)).toBe(0);
		expect(ranges('plain.bin')).toEqual(['bytes=0-999 → 200']);
		expect(await fetchMedia(http, url, { maxBytes: 2000, timeoutMs: 5000, chunkBytes: 1000 })).toMatchObject({ ok: false, code: 'media_too_large', params: { size: 3000 } });
	});

	it('an empty file is said to be empty (416 on the first range)', async () => {
		const url = fake.serveFile('empty.pdf', Buffer.alloc(0), 'application/pdf');
		expect(await fetchMedia(http, url, { maxBytes: 10_000, timeoutMs: 5000 })).toMatchObject({ ok: false, retryable: false, code: 'media_empty' });
	});

	it('a file that changes between pieces is fetched again later, not stitched together', async () => {
		const url = fake.serveFile('changing.pdf', randomBytes(2500), 'application/pdf');
		let n = 0;
		const changing = {
			request: async (req: Parameters<NodeHttp['request']>[0]) => {
				if (n++ === 1) fake.serveFile('changing.pdf', randomBytes(4000), 'application/pdf');
				return http.request(req);
			},
		};
		expect(await fetchMedia(changing, url, { maxBytes: 10_000, timeoutMs: 5000, chunkBytes: 1000 })).toMatchObject({ ok: false, retryable: true, code: 'media_failed' });
	});
});

describe('the fake file host reads Range like RFC 9110', () => {
	it('parses one range of each form', () => {
		expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
		expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
		expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
		expect(parseRange('bytes=990-2000', 1000)).toEqual({ start: 990, end: 999 });
		expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
		expect(parseRange('bytes=5-1', 1000)).toBeUndefined();
		expect(parseRange(undefined, 1000)).toBeUndefined();
		expect(parseRange('items=0-1', 1000)).toBeUndefined();
	});
});
