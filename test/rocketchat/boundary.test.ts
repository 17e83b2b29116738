// Values crossing the app <-> Rocket.Chat boundary, in every form the runtimes' transports give them
// (msgpack with the Buffer extension, msgpack bin, Node structured clone, JSON, EJSON).
import * as v8 from 'v8';
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { bytesOf, millisOf } from '../../src/rocketchat/boundary';
import { HttpAdapter } from '../../src/rocketchat/HttpAdapter';

const bytes = Buffer.from([0, 1, 2, 250, 255]);

describe('bytesOf', () => {
	it('takes a Buffer as it is, and a Uint8Array / view / ArrayBuffer / JSON Buffer as the same bytes', () => {
		expect(bytesOf(bytes)).toBe(bytes);
		const u8 = new Uint8Array([9, 0, 1, 2, 250, 255]).subarray(1);
		for (const form of [u8, new DataView(u8.buffer, 1, 5), u8.slice().buffer, JSON.parse(JSON.stringify(bytes)), v8.deserialize(v8.serialize(u8))]) {
			const b = bytesOf(form);
			expect(Buffer.isBuffer(b)).toBe(true);
			expect([...b!]).toEqual([...bytes]);
		}
	});

	it('never guesses bytes from strings, numbers or look-alike objects', () => {
		for (const v of [undefined, null, '', 'AAEC+v8=', 42, {}, { type: 'Buffer' }, { type: 'Buffer', data: [1, 256] }, { type: 'Buffer', data: ['1'] }, { type: 'Other', data: [1] }]) {
			expect(bytesOf(v)).toBeUndefined();
		}
	});
});

describe('millisOf', () => {
	const at = Date.UTC(2026, 11, 7, 12, 0, 0);
	it('reads a Date, an ISO string, epoch milliseconds (number or digits) and EJSON { $date }', () => {
		for (const v of [new Date(at), new Date(at).toISOString(), at, String(at), { $date: at }, { $date: new Date(at).toISOString() }, JSON.parse(JSON.stringify({ d: new Date(at) })).d]) {
			expect(millisOf(v)).toBe(at);
		}
	});
	it('is undefined for anything that is no point in time', () => {
		for (const v of [undefined, null, '', '  ', 'yesterday', NaN, Infinity, new Date('x'), {}, { $date: 'x' }, [at]]) expect(millisOf(v)).toBeUndefined();
	});
});

describe('HttpAdapter binary responses', () => {
	const httpGiving = (content: unknown) => ({ get: async () => ({ statusCode: 200, headers: { 'content-type': 'image/png' }, content }) }) as unknown as IHttp;
	it('gives the same bytes whichever form the content crossed the boundary in', async () => {
		for (const content of [bytes, new Uint8Array(bytes), JSON.parse(JSON.stringify(bytes)), bytes.toString('binary')]) {
			const res = await new HttpAdapter(httpGiving(content)).request({ method: 'GET', url: 'http://127.0.0.1/x', binary: true });
			expect(Buffer.isBuffer(res.body)).toBe(true);
			expect([...(res.body as Buffer)]).toEqual([...bytes]);
		}
	});
});
