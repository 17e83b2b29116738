// The test-only neutral provider passes the same contract as the shipped ones (so the integration test
// that runs it through the real endpoint and core proves something about every provider).
import { NeutralProvider } from '../fakes/neutral/NeutralProvider';
import { providerContract } from './contract';
import { bytes, json } from './fakeHttp';

providerContract('neutral (test-only)', () => {
	const instance = { id: '555', provider: 'neutral', webhookSecret: 'neutral-webhook-secret-1', credentials: { token: 'neutral-token-123', baseUrl: 'http://127.0.0.1:9' }, createdAt: 1 };
	const request = (events: unknown[], secret = instance.webhookSecret) => ({ method: 'POST', headers: { 'x-neutral-secret': secret }, query: { number: instance.id }, content: { events } });
	return {
		provider: new NeutralProvider(),
		instance,
		addArguments: ['555', 'neutral-token-123', 'http://127.0.0.1:9'],
		inboundText: (text, id) => request([{ kind: 'text', chat: 'c1', name: 'Ann', id, text, ts: 1_700_000_000_000 }]),
		forged: (req) => ({ ...req, headers: { 'x-neutral-secret': 'guessed' } }),
		delivered: (id) => request([{ kind: 'status', chat: 'c1', id, state: 'delivered' }]),
		sendAccepted: (id) => json(200, { id }),
		mediaAnswers: (data, type) => [bytes(200, data, { 'content-type': type })],
		mediaRef: 'f1',
		mediaHosts: ['127.0.0.1:9'],
		shipped: false,
	};
});
