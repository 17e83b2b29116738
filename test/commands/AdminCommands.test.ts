import { webhookUrlWarning } from '../../src/commands/AdminCommands';

describe('webhookUrlWarning: will GREEN-API be able to reach the webhook?', () => {
	it.each([
		['http://localhost:3000/api/apps/public/x/greenapi', /not reachable from the internet/],
		['http://127.0.0.1/api', /"127\.0\.0\.1"/],
		['https://192.168.1.10/api', /not reachable/],
		['https://172.20.0.5/api', /not reachable/],
		['http://rocketchat/api', /"rocketchat"/],
		['http://chat.example.com/api', /not HTTPS/],
	])('%s', (url, expected) => {
		expect(webhookUrlWarning(url)).toMatch(expected);
	});

	it('is silent for a public HTTPS Site URL', () => {
		expect(webhookUrlWarning('https://chat.example.com/api/apps/public/x/greenapi?instance=1')).toBeUndefined();
		expect(webhookUrlWarning('https://172.32.0.5/api')).toBeUndefined();
	});
});
