import { apiVersionWarning, webhookUrlWarning } from '../../src/commands/AdminCommands';
import { GRAPH_API_VERSION, graphVersionEnd } from '../../src/providers/cloud/graph';

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

describe('apiVersionWarning: /whatsapp status warns when the pinned Graph API version nears its end', () => {
	const DAY = 24 * 60 * 60_000;
	const pinned = { version: GRAPH_API_VERSION, endsAt: graphVersionEnd(GRAPH_API_VERSION) };

	it('the pinned version has a known end in the table, and it is Meta\'s day (UTC)', () => {
		expect(pinned.endsAt).toBeDefined();
		expect(new Date(pinned.endsAt!).toISOString()).toMatch(/T00:00:00\.000Z$/);
		expect(graphVersionEnd('v21.0')).toBe(Date.parse('2027-01-21T00:00:00Z'));
		expect(graphVersionEnd('v99.0')).toBeUndefined();
		expect(graphVersionEnd('constructor')).toBeUndefined();
	});

	it('silent today and until 90 days before the end; then a warning with the date and the days left; after it, "stopped"', () => {
		const end = pinned.endsAt!;
		expect(apiVersionWarning('WhatsApp Cloud API', pinned, Date.now())).toBeUndefined();
		expect(apiVersionWarning('WhatsApp Cloud API', pinned, end - 91 * DAY)).toBeUndefined();
		const date = new Date(end).toISOString().slice(0, 10);
		expect(apiVersionWarning('WhatsApp Cloud API', pinned, end - 90 * DAY)).toBe(`WhatsApp Cloud API: the app calls Graph API ${GRAPH_API_VERSION}, which Meta stops on ${date} (in 90 days). Update the app before then.`);
		expect(apiVersionWarning('WhatsApp Cloud API', pinned, end - 12 * DAY - 60_000)).toContain('(in 13 days)');
		expect(apiVersionWarning('WhatsApp Cloud API', pinned, end + DAY)).toBe(`WhatsApp Cloud API: the app calls Graph API ${GRAPH_API_VERSION}, which Meta stopped on ${date}. Update the app.`);
	});

	it('a version whose end is not known warns of nothing', () => {
		expect(apiVersionWarning('X', { version: 'v99.0' }, Date.now())).toBeUndefined();
	});
});
