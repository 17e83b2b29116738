// The outbound-message provider (src/endpoints/OutboundPhoneProvider.ts): which interface revision a call belongs to,
// the template quality the wizard reads, and the declared shapes checked against the engines' own definitions.
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import type * as FirstRevision from 'apps-engine-1.53.1/definition/outboundComunication';
import type * as LaterRevision from '../runtime/node_modules/@rocket.chat/apps-engine/definition/outboundCommunication';
import {
	accessorsOf, LaterRevisionTemplate, OutboundMessageRequest, OutboundPhoneProvider, outboundPhoneProvider, ProviderMetadata, templateFor,
} from '../../src/endpoints/OutboundPhoneProvider';
import { TemplateInfo, WhatsAppProvider } from '../../src/core/ports/provider';
import { templateInfo } from '../../src/providers/cloud/templates';

// Compile-time, against the engines' own definitions (1.53.1: the first revision; 1.62.0: the later one, identical in
// 1.66.0's): the messages Rocket.Chat sends fit what the provider takes, the metadata and templates it returns fit what
// Rocket.Chat reads. (The accessors' types differ between engine copies only by their private members.)
type Assignable<T, U extends T> = U;
type Metadata<P extends { getProviderMetadata(...a: any[]): Promise<unknown> }> = Awaited<ReturnType<P['getProviderMetadata']>>;
type FirstMetadata = Metadata<FirstRevision.IOutboundPhoneMessageProvider>;
export type Checks = [
	Assignable<OutboundMessageRequest, FirstRevision.IOutboundMessage>,
	Assignable<OutboundMessageRequest, LaterRevision.IOutboundMessage>,
	Assignable<Omit<FirstMetadata, 'templates'>, Omit<Extract<ProviderMetadata, { appId: string }>, 'templates'>>,
	Assignable<Omit<LaterRevision.ProviderMetadata, 'templates'>, Omit<Extract<ProviderMetadata, { providerId: string }>, 'templates'>>,
	Assignable<LaterRevision.IOutboundProviderTemplate, LaterRevisionTemplate>,
	Assignable<Pick<LaterRevision.IOutboundPhoneMessageProvider, 'type' | 'appId' | 'name' | 'supportsTemplates'>, OutboundPhoneProvider>,
];

const fn = () => undefined;
const read = { getPersistenceReader: fn };
const modify = { getCreator: fn };
const http = { post: fn };
const persis = { updateByAssociation: fn };

const info = (o: Partial<TemplateInfo> = {}): TemplateInfo => ({ name: 'order_update', language: 'en_US', status: 'APPROVED', parameterFormat: 'positional', body: 'Hi {{1}}', bodyParameters: ['1'], buttons: [], ...o });

describe('the interface revision is read from the call', () => {
	it('the later revision passes read, modify, http, persistence; the first passes none', () => {
		expect(accessorsOf(read, modify, http, persis)).toEqual({ read, modify, http, persis });
		expect(accessorsOf(undefined, undefined, undefined, undefined)).toBeUndefined();
		// anything else in those places (a partial set, other objects) is not taken for accessors
		expect(accessorsOf(read, modify, http, undefined)).toBeUndefined();
		expect(accessorsOf({}, modify, http, persis)).toBeUndefined();
	});

	const app = (persistenceRead: unknown) =>
		({ getID: () => 'app-1', getLogger: () => ({ error: fn, info: fn, debug: fn }), getAccessors: () => ({ reader: { getPersistenceReader: () => persistenceRead }, http }) }) as unknown as IApp;
	const noInstances = { readByAssociation: async () => [], readByAssociations: async () => [] };
	const providers = { all: () => [{ templates: { chatIdFor: (d: string) => d } } as unknown as WhatsAppProvider], get: () => undefined };

	it('first revision: metadata named appId/appName, read with the app’s own reader; a send is refused with a reason', async () => {
		const p = outboundPhoneProvider(app(noInstances), providers);
		expect(await p.getProviderMetadata()).toEqual({ appId: 'app-1', appName: 'WhatsApp (GREEN-API Bridge)', providerType: 'phone', supportsTemplates: true, templates: {} });
		await expect(p.sendOutboundMessage({ to: '+1555', type: 'template', templateProviderPhoneNumber: '+1666', template: { name: 'x', language: { code: 'en' } } })).rejects.toThrow(
			'This Rocket.Chat version passes the app too little to start a conversation from the Outbound message wizard: use /whatsapp template instead.',
		);
	});

	it('later revision: metadata named providerId/providerName, read with the accessors of the call', async () => {
		const p = outboundPhoneProvider(app(undefined), providers);
		const given = { ...read, getPersistenceReader: () => noInstances };
		expect(await p.getProviderMetadata(given as any, modify as any, http as any, persis as any)).toEqual({
			providerId: 'app-1', providerName: 'WhatsApp (GREEN-API Bridge)', providerType: 'phone', supportsTemplates: true, templates: {},
		});
	});
});

describe('template quality, as the wizard reads it (qualityScore.score: GREEN | YELLOW | RED | UNKNOWN)', () => {
	it('reads quality_score.score from the Graph / 360dialog template, whatever the case; an unknown word is UNKNOWN, none is absent', () => {
		const raw = (quality_score?: unknown) => ({ name: 'a', language: 'en', status: 'APPROVED', components: [{ type: 'BODY', text: 'x' }], ...(quality_score !== undefined && { quality_score }) });
		expect(templateInfo(raw({ score: 'green', date: 1 }))?.quality).toBe('GREEN');
		expect(templateInfo(raw({ score: 'RED' }))?.quality).toBe('RED');
		expect(templateInfo(raw({ score: 'PURPLE' }))?.quality).toBe('UNKNOWN');
		expect(templateInfo(raw())?.quality).toBeUndefined();
		expect(templateInfo(raw('GREEN'))?.quality).toBeUndefined();
	});

	it('maps our template to IOutboundProviderTemplate: the rating or UNKNOWN, header/body/footer, a location header left out', () => {
		expect(templateFor('4915100000', info({ quality: 'YELLOW' })).qualityScore).toEqual({ score: 'YELLOW', reasons: null });
		const t = templateFor('4915100000', info({ header: { format: 'location', parameters: [] }, footer: 'Bye' }));
		expect(t.qualityScore).toEqual({ score: 'UNKNOWN', reasons: null });
		expect(t.components).toEqual([{ type: 'body', text: 'Hi {{1}}' }, { type: 'footer', text: 'Bye' }]);
		expect(templateFor('4915100000', info({ header: { format: 'text', text: 'News', parameters: [] } })).components[0]).toEqual({ type: 'header', format: 'text', text: 'News' });
		expect(t.phoneNumber).toBe('+4915100000');
		// the first revision's definitions spell the words in upper case (1.53.1 IOutboundProviderTemplate)
		const first = templateFor('4915100000', info({ header: { format: 'image', parameters: ['link'] }, quality: 'GREEN' }), 'first');
		expect([first.status, first.category, first.components, first.qualityScore.score, first.rejectedReason]).toEqual([
			'APPROVED', 'UTILITY', [{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'Hi {{1}}' }], 'GREEN', null,
		]);
	});
});
