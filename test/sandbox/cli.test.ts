// The port `npm start` listens on and the provider the customer's phone is on.
import { portFrom, providerFrom } from './cli';

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

describe('npm start provider', () => {
	it('takes --provider, --provider=, then PROVIDER, else greenapi', () => {
		expect(providerFrom(['--provider', 'cloud'], { PROVIDER: '360dialog' })).toBe('cloud');
		expect(providerFrom(['--provider=360dialog'], {})).toBe('360dialog');
		expect(providerFrom([], { PROVIDER: 'CLOUD' })).toBe('cloud');
		expect(providerFrom(['--port', '0'], {})).toBe('greenapi');
	});
	it('refuses a provider the app does not have', () => {
		expect(() => providerFrom(['--provider', 'twilio'], {})).toThrow(/unknown provider "twilio" \(use --provider greenapi\|cloud\|360dialog\)/);
	});
});
