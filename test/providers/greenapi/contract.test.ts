import { GreenApiProvider } from '../../../src/providers/greenapi/GreenApiProvider';
import * as F from '../../fixtures/greenapi';
import { GA } from '../../fixtures/greenapi';
import { providerContract } from '../contract';
import { bytes, json } from '../fakeHttp';

providerContract('greenapi', () => {
	const instance = F.greenApiInstance();
	return {
		provider: new GreenApiProvider(),
		instance,
		addArguments: [GA.idInstance, GA.apiToken, 'Support'],
		inboundText: (text, messageId) => F.webhookRequest(F.incoming(F.textMessage(text), { idMessage: messageId })),
		forged: (req) => ({ ...req, headers: { ...req.headers, authorization: 'Bearer not-the-token' } }),
		delivered: (messageId) => F.webhookRequest(F.status(messageId, 'delivered')),
		sendAccepted: (messageId) => json(200, { idMessage: messageId }),
		mediaAnswers: (data, mimeType) => [bytes(200, data, { 'content-type': mimeType })],
		mediaRef: `${GA.mediaBase}/a0128ca6.jpg`,
		mediaHosts: [new URL(GA.mediaBase).host],
	};
});
