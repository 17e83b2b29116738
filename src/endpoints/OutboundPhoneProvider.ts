import { IConfigurationExtend, IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { coreDeps } from '../compose';
import { CoreDeps } from '../core/Core';
import { Outreach, WizardTemplate } from '../core/Outreach';
import { errorText } from '../core/failures';
import { ProviderDirectory, TemplateInfo, TemplateQuality } from '../core/ports/provider';
import { t } from '../i18n/translate';
import { withLog } from '../rocketchat/appLog';

// Rocket.Chat's outbound-message provider interface (permission `outbound-communication.provide`; the "Outbound
// message" wizard of Rocket.Chat Premium). The app is built against Apps-Engine 1.46, which has no such types: the
// shapes used are declared here (test/endpoints/outboundProviderTypes.test.ts checks them against the engines'
// definitions) and the engine's support is detected at run time (`configuration.outboundCommunication`).
// Two revisions exist, told apart by the arguments Rocket.Chat passes:
// - the first (definitions `outboundComunication`, Apps-Engine 1.53.1): `sendOutboundMessage(message)`,
//   `getProviderMetadata()`, metadata named {appId, appName, …};
// - the later one (`outboundCommunication`, 1.55 … 1.66; the Deno runtime's outboundcomms-handler appends the
//   accessors): `sendOutboundMessage(message, read, modify, http, persistence)`, `getProviderMetadata(read, modify,
//   http, persistence)`, metadata named {providerId, providerName, …}.

/** IOutboundMessage: a template to a phone number, from one of our business numbers. */
export interface OutboundMessageRequest {
	to: string;
	type: 'template';
	templateProviderPhoneNumber: string;
	agentId?: string;
	departmentId?: string;
	template: {
		name: string;
		language: { code: string; policy?: 'deterministic' | 'fallback' };
		components?: Array<{ type: 'header' | 'body' | 'footer' | 'button'; parameters: Array<Record<string, any>> }>;
		namespace?: string;
	};
}

interface OutboundCommunicationExtend {
	registerPhoneProvider(provider: OutboundPhoneProvider): Promise<void>;
}

/** Both revisions' IOutboundPhoneMessageProvider: the accessors are optional because the first one passes none. */
export interface OutboundPhoneProvider {
	type: 'phone';
	appId: string;
	name: string;
	supportsTemplates: boolean;
	getProviderMetadata(read?: IRead, modify?: IModify, http?: IHttp, persis?: IPersistence): Promise<ProviderMetadata>;
	sendOutboundMessage(message: OutboundMessageRequest, read?: IRead, modify?: IModify, http?: IHttp, persis?: IPersistence): Promise<void>;
}

/** IOutboundProviderTemplate (what the wizard lists), in the later revision's lower case; the first revision spells
 *  status, category, component types and formats in upper case and has `rejectedReason: string | null`. */
export interface OutboundProviderTemplate {
	id: string;
	name: string;
	language: string;
	type: 'whatsapp';
	category: string;
	status: string;
	qualityScore: { score: TemplateQuality; reasons: string[] | null };
	components: Array<{ type: string; format?: string; text?: string }>;
	createdAt: string;
	createdBy: string;
	modifiedAt: string;
	modifiedBy: string;
	namespace: string;
	wabaAccountId: string;
	phoneNumber: string;
	partnerId: string;
	externalId: string;
	updatedExternal: string;
	rejectedReason: string | undefined | null;
}
/** The later revision's template, as its definitions type it. */
export interface LaterRevisionTemplate extends OutboundProviderTemplate {
	components: Array<{ type: 'header'; format?: 'text' | 'image' | 'video' | 'document'; text?: string } | { type: 'body'; text: string } | { type: 'footer'; text: string }>;
	rejectedReason: string | undefined;
}

type Common = { providerType: 'phone'; supportsTemplates: boolean; templates: Record<string, OutboundProviderTemplate[]> };
/** ProviderMetadata of the later revision, or of the first one. */
export type ProviderMetadata = (Common & { providerId: string; providerName: string }) | (Common & { appId: string; appName: string });

export type OutboundRegistration = 'not-offered' | 'not-wanted' | 'offered' | 'refused';

/**
 * Offers the app to Rocket.Chat's Outbound message wizard when the engine has the interface and the admin asked for it
 * (`wanted`: the app setting). Not by default: Rocket.Chat registers the provider after the app's onEnable, outside its
 * error handling (AppManager.enableApp → AppOutboundCommunicationProviderManager.registerProviders), and a workspace
 * whose licence lacks the `outbound-messaging` module refuses it (`error-no-license`, rethrown as
 * `error-registering-provider` by apps/meteor/app/apps/server/bridges/outboundCommunication.ts) — which leaves the
 * whole app not enabled, and the app never sees that error. So the app offers only when told the workspace has the
 * module, and says once per start what it did, in words that name the way out.
 */
export async function registerOutboundProvider(configuration: IConfigurationExtend, app: IApp, providers: ProviderDirectory, wanted: boolean): Promise<OutboundRegistration> {
	const outbound = (configuration as unknown as { outboundCommunication?: OutboundCommunicationExtend }).outboundCommunication;
	if (!outbound || typeof outbound.registerPhoneProvider !== 'function') return 'not-offered';
	if (!wanted) return 'not-wanted';
	try {
		await outbound.registerPhoneProvider(outboundPhoneProvider(app, providers));
	} catch (e) {
		// The engine checks `outbound-communication.provide` here (PermissionDeniedError): the rest works without it.
		app.getLogger().error(`outbound-message provider not registered: ${errorText(e)}`);
		return 'refused';
	}
	app.getLogger().info(
		"outbound-message provider offered to Rocket.Chat's Outbound message wizard. If Rocket.Chat then does not enable the app " +
			'(error-registering-provider in its log), its licence lacks the outbound-messaging module: switch the setting off.',
	);
	return 'offered';
}

/** No ':' in it: the engine addresses the provider as `outboundCommunication:<name>-phone:<method>`. */
const PROVIDER_NAME = 'WhatsApp (GREEN-API Bridge)';

interface Accessors { read: IRead; modify: IModify; http: IHttp; persis: IPersistence }

/** The accessors of the later revision, when the call carries them (never assumed from the engine's version). */
export function accessorsOf(read: unknown, modify: unknown, http: unknown, persis: unknown): Accessors | undefined {
	const has = (o: unknown, method: string) => !!o && typeof (o as Record<string, unknown>)[method] === 'function';
	if (has(read, 'getPersistenceReader') && has(modify, 'getCreator') && has(http, 'post') && has(persis, 'updateByAssociation')) {
		return { read, modify, http, persis } as Accessors;
	}
	return undefined;
}

export function outboundPhoneProvider(app: IApp, providers: ProviderDirectory): OutboundPhoneProvider {
	const supportsTemplates = providers.all().some((p) => p.templates !== undefined);
	return {
		type: 'phone',
		appId: app.getID(),
		name: PROVIDER_NAME,
		supportsTemplates,
		async getProviderMetadata(read, modify, http, persis) {
			const given = accessorsOf(read, modify, http, persis);
			// The first revision passes nothing: reading needs only the app's own reader and HTTP.
			const own = app.getAccessors();
			const deps = coreDeps(given ?? { read: own.reader, http: own.http, modify: undefined as never, persis: undefined as never }, providers);
			const templates: Record<string, OutboundProviderTemplate[]> = {};
			for (const instance of await deps.instances.list()) {
				const session = providers.get(instance.provider)?.session(deps.http, instance);
				if (!session?.templates || !instance.number) continue;
				const r = await session.templates.list();
				if (r.ok) templates[`+${instance.number}`] = r.templates.filter((x) => x.status.toUpperCase() === 'APPROVED').map((x) => templateFor(instance.number!, x, given ? 'later' : 'first'));
			}
			const common: Common = { providerType: 'phone', supportsTemplates, templates };
			return given ? { providerId: app.getID(), providerName: PROVIDER_NAME, ...common } : { appId: app.getID(), appName: PROVIDER_NAME, ...common };
		},
		async sendOutboundMessage(message, read, modify, http, persis) {
			const given = accessorsOf(read, modify, http, persis);
			// Starting a conversation records the customer's route: without the accessors the app cannot write.
			if (!given) throw new Error(t('outbound_needs_newer_rocketchat'));
			await withLog(app, (log) => startFromWizard(message, coreDeps(given, providers, log), providers));
		},
	};
}

async function startFromWizard(message: OutboundMessageRequest, deps: CoreDeps, providers: ProviderDirectory): Promise<void> {
	const from = String(message?.templateProviderPhoneNumber || '').replace(/\D/g, '');
	const instance = (await deps.instances.list()).find((i) => i.number === from);
	if (!instance || !message?.to || !message.template?.name) throw new Error(t('outbound_unknown_number', { number: from || '?' }));
	const provider = providers.get(instance.provider);
	const r = await new Outreach(deps).startWithTemplate(instance, message.to, templateParameters(message.template), { departmentId: message.departmentId, agentId: message.agentId });
	if (r.ok) return;
	if (r.why === 'no-templates') throw new Error(t('outbound_no_templates', { provider: provider?.label || instance.provider }));
	if (r.why === 'no-whatsapp') throw new Error(t('start_no_whatsapp', { phone: message.to }));
	throw new Error(t('start_failed', { phone: message.to, reason: r.detail || r.why }));
}

/** The wizard's template, as our port takes it: body and header parameters in order, button parameters by index. */
export function templateParameters(tpl: OutboundMessageRequest['template']): WizardTemplate {
	const body: Record<string, string> = {};
	const buttons: Record<string, string> = {};
	let header: WizardTemplate['header'];
	let buttonIndex = 0;
	const text = (p: Record<string, any>) => String(p.text ?? p.currency?.fallbackValue ?? p.dateTime?.fallbackValue ?? '');
	const link = (p: Record<string, any>) => p.link ?? p.image?.link ?? p.video?.link ?? p.document?.link;
	for (const c of tpl.components || []) {
		const params = Array.isArray(c.parameters) ? c.parameters : [];
		if (c.type === 'body') params.forEach((p, i) => (body[String(i + 1)] = text(p)));
		else if (c.type === 'header' && params[0]) header = link(params[0]) ? { link: link(params[0]) } : { text: text(params[0]) };
		else if (c.type === 'button') {
			if (params[0]) buttons[String(buttonIndex)] = text(params[0]);
			buttonIndex += 1;
		}
	}
	return { name: tpl.name, language: tpl.language?.code || 'en', body, ...(header && { header }), ...(Object.keys(buttons).length && { buttons }) };
}

/** Our TemplateInfo as IOutboundProviderTemplate of the given revision. Rocket.Chat's wizard reads
 *  `qualityScore.score` as one of GREEN | YELLOW | RED | UNKNOWN: the provider's rating, UNKNOWN when it gives none. */
export function templateFor(number: string, x: TemplateInfo, revision: 'first' | 'later' = 'later'): OutboundProviderTemplate {
	const word = (w: string) => (revision === 'first' ? w.toUpperCase() : w.toLowerCase());
	const components: OutboundProviderTemplate['components'] = [];
	if (x.header && x.header.format !== 'location') components.push({ type: word('header'), format: word(x.header.format), ...(x.header.text !== undefined && { text: x.header.text }) });
	components.push({ type: word('body'), text: x.body });
	if (x.footer) components.push({ type: word('footer'), text: x.footer });
	return {
		id: `${x.name}:${x.language}`, name: x.name, language: x.language, type: 'whatsapp', category: word(x.category || 'utility'),
		status: word('approved'), qualityScore: { score: x.quality ?? 'UNKNOWN', reasons: null }, components, createdAt: '', createdBy: '', modifiedAt: '', modifiedBy: '',
		namespace: '', wabaAccountId: '', phoneNumber: `+${number}`, partnerId: '', externalId: '', updatedExternal: '', rejectedReason: revision === 'first' ? null : undefined,
	};
}
