// The port `npm start` listens on.
import { portFrom } from './cli';

describe('npm start port', () => {
	it('takes --port, --port=, then PORT, else 0 (a free port)', () => {
		expect(portFrom(['--port', '3000'], { PORT: '4000' })).toBe(3000);
		expect(portFrom(['--port=3001'], {})).toBe(3001);
		expect(portFrom([], { PORT: '4000' })).toBe(4000);
		expect(portFrom([], {})).toBe(0);
	});
	it('refuses anything that is not a port', () => {
		expect(() => portFrom(['--port', 'abc'], {})).toThrow(/invalid port "abc"/);
		expect(() => portFrom([], { PORT: '70000' })).toThrow(/invalid port/);
	});
});
