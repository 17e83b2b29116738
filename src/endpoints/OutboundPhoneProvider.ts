import { IConfigurationExtend, IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { coreDeps } from '../compose';
import { Outreach } from '../core/Outreach';
import { errorText } from '../core/failures';
import { Log } from '../core/log';
import { OutboundTemplate, ProviderDirectory, TemplateInfo } from '../core/ports/provider';
import { t } from '../i18n/translate';

// Rocket.Chat's outbound-message provider interface (`IOutboundPhoneMessageProvider`, Apps-Engine 1.54+,
// permission `outbound-communication.provide`; its "Outbound message" wizard is a Premium feature). The
// app is built against Apps-Engine 1.46, which has no such types: the shapes used are declared here, and
// the engine's support is detected at run time (`configuration.outboundCommunication`).

/** IOutboundMessage (1.62): a template to a phone number, from one of our business numbers. */
export interface OutboundMessageRequest {
	to: string;
	type: 'template';
	templateProviderPhoneNumber: string;
	agentId?: string;
	departmentId?: string;
	template: {
		name: string;
		language: { code: string; policy?: string };
		components?: Array<{ type: 'header' | 'body' | 'footer' | 'button'; parameters: Array<Record<string, any>> }>;
		namespace?: string;
	};
}

interface OutboundCommunicationExtend {
	registerPhoneProvider(provider: OutboundPhoneProvider): Promise<void>;
}

export interface OutboundPhoneProvider {
	type: 'phone';
	appId: string;
	name: string;
	supportsTemplates: boolean;
	getProviderMetadata(read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<unknown>;
	sendOutboundMessage(message: OutboundMessageRequest, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<void>;
}

/** Registers the app as a phone provider where the engine offers it. Says what happened (for the log). */
export async function registerOutboundProvider(configuration: IConfigurationExtend, app: IApp, providers: ProviderDirectory): Promise<'registered' | 'not-offered' | 'refused'> {
	const outbound = (configuration as unknown as { outboundCommunication?: OutboundCommunicationExtend }).outboundCommunication;
	if (!outbound || typeof outbound.registerPhoneProvider !== 'function') return 'not-offered';
	try {
		await outbound.registerPhoneProvider(outboundPhoneProvider(app, providers));
		return 'registered';
	} catch (e) {
		// Missing permission or a server that refuses: the rest of the app works without it.
		app.getLogger().error(`outbound-message provider not registered: ${errorText(e)}`);
		return 'refused';
	}
}

/** No ':' in it: the engine addresses the provider as `outboundCommunication:<name>-phone:<method>`. */
const PROVIDER_NAME = 'WhatsApp (GREEN-API Bridge)';

export function outboundPhoneProvider(app: IApp, providers: ProviderDirectory): OutboundPhoneProvider {
	const supportsTemplates = providers.all().some((p) => p.capabilities.templates);
	return {
		type: 'phone',
		appId: app.getID(),
		name: PROVIDER_NAME,
		supportsTemplates,
		async getProviderMetadata(read, modify, http, persis) {
			const deps = coreDeps({ read, modify, http, persis }, providers);
			const templates: Record<string, unknown[]> = {};
			for (const instance of await deps.instances.list()) {
				const provider = providers.get(instance.provider);
				if (!provider?.capabilities.templates || !provider.templates || !instance.number) continue;
				const r = await provider.templates.list(deps.http, instance);
				if (r.ok) templates[`+${instance.number}`] = r.templates.filter((x) => x.status.toUpperCase() === 'APPROVED').map((x) => templateFor(instance.number!, x));
			}
			return { providerId: app.getID(), providerName: PROVIDER_NAME, providerType: 'phone', supportsTemplates, templates };
		},
		async sendOutboundMessage(message, read, modify, http, persis) {
			const deps = coreDeps({ read, modify, http, persis }, providers, new Log(app.getLogger()));
			const from = String(message?.templateProviderPhoneNumber || '').replace(/\D/g, '');
			const instance = (await deps.instances.list()).find((i) => i.number === from);
			if (!instance || !message?.to || !message.template?.name) throw new Error(t('outbound_unknown_number', { number: from || '?' }));
			const provider = providers.get(instance.provider);
			const r = await new Outreach(deps).startWithTemplate(instance, message.to, templateParameters(message.template), { departmentId: message.departmentId, agentId: message.agentId });
			if (r.ok) return;
			if (r.why === 'no-templates') throw new Error(t('outbound_no_templates', { provider: provider?.label || instance.provider }));
			if (r.why === 'no-whatsapp') throw new Error(t('start_no_whatsapp', { phone: message.to }));
			throw new Error(t('start_failed', { phone: message.to, reason: r.detail || r.why }));
		},
	};
}

/** The wizard's template, as our port takes it: body and header parameters in order, button parameters by index. */
export function templateParameters(tpl: OutboundMessageRequest['template']): Omit<OutboundTemplate, 'chatId' | 'info'> {
	const body: Record<string, string> = {};
	const buttons: Record<string, string> = {};
	let header: OutboundTemplate['header'];
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

/** Our TemplateInfo in the shape of Apps-Engine's IOutboundProviderTemplate (what the wizard lists). */
function templateFor(number: string, x: TemplateInfo): Record<string, unknown> {
	const components: Array<Record<string, unknown>> = [];
	if (x.header) components.push({ type: 'header', format: x.header.format, text: x.header.text });
	components.push({ type: 'body', text: x.body });
	return {
		id: `${x.name}:${x.language}`, name: x.name, language: x.language, type: 'whatsapp', category: (x.category || 'utility').toLowerCase(),
		status: 'approved', qualityScore: { score: 'unknown', reasons: null }, components, createdAt: '', createdBy: '', modifiedAt: '', modifiedBy: '',
		namespace: '', wabaAccountId: '', phoneNumber: `+${number}`, partnerId: '', externalId: '', updatedExternal: '', rejectedReason: undefined,
	};
}
