import { HttpStatusCode, IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { coreDeps } from '../compose';
import { CoreDeps, providerOf } from '../core/Core';
import { errorText } from '../core/failures';
import { Log } from '../core/log';
import { ProviderDirectory } from '../core/ports/provider';
import { InstanceRecord } from '../core/ports/records';
import { TemplateInfo, TemplateMessage } from '../core/ports/templates';
import { findTemplate, prepareTemplate, TemplateValues } from '../core/templates';
import { TemplateService } from '../core/TemplateService';
import { sameSecret } from '../core/tokens';
import { t } from '../i18n/translate';
import { Setting } from '../rocketchat/settings';
import { withLog } from '../rocketchat/appLog';
import { Accessors } from '../rocketchat/RocketChatAdapter';

// The `templateMessage` endpoint of Rocket.Chat's marketplace WhatsApp apps, as a drop-in:
// POST /api/apps/public/<appId>/templateMessage {phoneNumbers[], connectedWhatsAppNo, targetAgent?,
// targetDepartment?, template: {name, language: {code}, components: [...]}} (Cloud API component shape).

/** The marketplace apps' limit. */
export const MAX_RECIPIENTS = 250;
/** Recipients not reached by then are answered `skipped` (the oldest engines give a call 10 s in all). */
export const TIME_BUDGET_MS = 8_000;
const CONCURRENCY = 4;

export interface TemplateRequest {
	phoneNumbers: string[];
	connectedWhatsAppNo: string;
	targetAgent?: string;
	targetDepartment?: string;
	template: { name: string; language?: string; components: unknown[] };
}

export interface RecipientResult {
	phoneNumber: string;
	success: boolean;
	/** sent: WhatsApp accepted it; queued: it will be retried; failed / skipped: not sent. */
	status: 'sent' | 'queued' | 'failed' | 'skipped';
	messageId?: string;
	roomId?: string;
	room?: 'opened' | 'reused';
	error?: string;
}

const bad = (error: string): IApiResponse => ({ status: HttpStatusCode.BAD_REQUEST, content: { success: false, error } });

/** The request body, checked; or what is wrong with it. */
export function parseTemplateRequest(content: unknown): { ok: true; request: TemplateRequest } | { ok: false; error: string } {
	const body = content && typeof content === 'object' && !Array.isArray(content) ? (content as Record<string, unknown>) : undefined;
	if (!body) return { ok: false, error: t('api_error_body') };
	const phones = body.phoneNumbers;
	if (!Array.isArray(phones) || phones.length === 0 || !phones.every((p) => typeof p === 'string' || typeof p === 'number')) return { ok: false, error: t('api_error_phone_numbers') };
	if (phones.length > MAX_RECIPIENTS) return { ok: false, error: t('api_error_too_many', { max: MAX_RECIPIENTS }) };
	const from = body.connectedWhatsAppNo;
	if ((typeof from !== 'string' && typeof from !== 'number') || !String(from).trim()) return { ok: false, error: t('api_error_connected_number') };
	const template = body.template && typeof body.template === 'object' && !Array.isArray(body.template) ? (body.template as Record<string, unknown>) : undefined;
	if (!template || typeof template.name !== 'string' || !template.name.trim()) return { ok: false, error: t('api_error_template') };
	const lang = template.language;
	const language = typeof lang === 'string' ? lang : lang && typeof lang === 'object' && typeof (lang as { code?: unknown }).code === 'string' ? (lang as { code: string }).code : undefined;
	const components = template.components === undefined ? [] : template.components;
	if (!Array.isArray(components)) return { ok: false, error: t('api_error_template') };
	const optional = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
	return {
		ok: true,
		request: {
			phoneNumbers: [...new Set(phones.map((p) => String(p).trim()))],
			connectedWhatsAppNo: String(from).trim(),
			targetAgent: optional(body.targetAgent),
			targetDepartment: optional(body.targetDepartment),
			template: { name: template.name.trim(), language: language?.trim() || undefined, components },
		},
	};
}

/** Cloud API components (`body` / `header` / `button` with `parameters`) → the values of `info`'s slots. */
export function valuesFromComponents(info: TemplateInfo, components: unknown[]): { ok: true; values: TemplateValues } | { ok: false; error: string } {
	const values: TemplateValues = { body: {} };
	for (const raw of components) {
		const c = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
		const params = Array.isArray(c.parameters) ? (c.parameters as unknown[]).map((p) => (p && typeof p === 'object' ? (p as Record<string, unknown>) : {})) : [];
		const type = String(c.type || '').toLowerCase();
		if (type === 'body') {
			params.forEach((p, i) => {
				const key = typeof p.parameter_name === 'string' ? p.parameter_name : info.bodyParameters[i] ?? String(i + 1);
				values.body[key] = parameterText(p);
			});
		} else if (type === 'header' && params[0]) {
			const p = params[0];
			const kind = String(p.type || '').toLowerCase();
			if (kind === 'text') values.header = { text: parameterText(p) };
			else if (['image', 'video', 'document'].includes(kind)) {
				const media = p[kind] && typeof p[kind] === 'object' ? (p[kind] as Record<string, unknown>) : {};
				// A media id the caller uploaded to the provider itself, or a link.
				if (typeof media.id === 'string' && /^[A-Za-z0-9_.:-]{1,200}$/.test(media.id)) values.header = { mediaId: media.id };
				else if (typeof media.link === 'string') values.header = { link: media.link };
				else return { ok: false, error: t('api_error_header_link') };
			}
		} else if (type === 'button' && params[0]) {
			const index = Number(c.index);
			if (!Number.isInteger(index) || index < 0 || index > 9) return { ok: false, error: t('api_error_button_index') };
			values.buttons = { ...values.buttons, [String(index)]: parameterText(params[0]) };
		}
	}
	return { ok: true, values };
}

/** Text of one Cloud API parameter (text, payload, coupon code, or a currency / date fallback). */
function parameterText(p: Record<string, unknown>): string {
	for (const key of ['text', 'payload', 'coupon_code']) if (typeof p[key] === 'string') return p[key] as string;
	for (const key of ['currency', 'date_time']) {
		const v = p[key] && typeof p[key] === 'object' ? (p[key] as Record<string, unknown>).fallback_value : undefined;
		if (typeof v === 'string') return v;
	}
	return '';
}

/** Digits of a phone number as people write it (`+49 170 123-45 67`), or undefined when it is not one. */
export function phoneDigits(phone: string): string | undefined {
	const digits = phone.replace(/[\s().\-]/g, '').replace(/^\+/, '');
	return /^\d{6,15}$/.test(digits) ? digits : undefined;
}

/**
 * Authenticated either by Rocket.Chat itself (X-User-Id + X-Auth-Token of an admin or Omnichannel
 * manager: the app only sees the user Rocket.Chat verified) or by the app's API key setting
 * (`X-API-Key`, or `Authorization: Bearer`), compared in constant time. Empty key: key access is off.
 */
export class TemplateMessageEndpoint extends ApiEndpoint {
	public path = 'templateMessage';

	constructor(app: IApp, private readonly providers: ProviderDirectory) {
		super(app);
	}

	public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
		return withLog(this.app, (log) => this.send(request, { read, modify, http, persis }, log));
	}

	private async send(request: IApiRequest, { read, modify, http, persis }: Accessors, log: Log): Promise<IApiResponse> {
		const started = Date.now();
		const caller = await this.caller(request, read);
		if (caller === 'unauthenticated') return { status: HttpStatusCode.UNAUTHORIZED, content: { status: 'error', message: 'You must be logged in to do this.' } };
		if (caller === 'forbidden') return { status: HttpStatusCode.FORBIDDEN, content: { success: false, error: 'User does not have the permissions required for this action [error-unauthorized]' } };
		const parsed = parseTemplateRequest(request.content);
		if (!parsed.ok) return bad(parsed.error);
		const req = parsed.request;
		const deps = coreDeps({ read, modify, http, persis }, this.providers, log);
		const instance = await this.instanceFor(deps, req.connectedWhatsAppNo);
		if (!instance) return bad(t('api_error_number_unknown', { number: req.connectedWhatsAppNo }));
		const agentId = req.targetAgent ? await deps.rc.findAgent(req.targetAgent) : undefined;
		if (req.targetAgent && !agentId) return bad(t('api_error_agent_unknown', { agent: req.targetAgent }));
		const departmentId = req.targetDepartment ? await deps.rc.findDepartment(req.targetDepartment) : undefined;
		if (req.targetDepartment && !departmentId) return bad(t('api_error_department_unknown', { department: req.targetDepartment }));
		const templates = new TemplateService(deps);
		const info = await this.templateFor(templates, instance, req.template.name, req.template.language);
		if (typeof info === 'string') return bad(info);
		const values = valuesFromComponents(info, req.template.components);
		if (!values.ok) return bad(values.error);
		// No room yet: a media header is a link or a media id the provider already has.
		const prepared = prepareTemplate(info, values.values);
		if (!prepared.ok) return bad(prepared.problems.join('; '));
		const message = prepared.message;
		const via = caller === 'api-key' ? t('template_via_api') : t('template_via_user', { username: caller.username });

		const results: RecipientResult[] = req.phoneNumbers.map((phoneNumber) => ({ phoneNumber, success: false, status: 'skipped', error: t('api_error_time_budget') }));
		let next = 0;
		const worker = async () => {
			for (let i = next++; i < results.length; i = next++) {
				if (Date.now() - started > TIME_BUDGET_MS) return;
				results[i] = await this.sendOne(templates, instance, message, via, results[i].phoneNumber, { agentId, departmentId }, log);
			}
		};
		await Promise.all(Array.from({ length: Math.min(CONCURRENCY, results.length) }, worker));
		const success = results.every((r) => r.success);
		log.info(`templateMessage ${info.name} (${info.language}) via ${instance.id}: ${results.map((r) => r.status).join(', ')}`);
		return this.json({ status: HttpStatusCode.OK, content: { success, results } });
	}

	private async sendOne(
		templates: TemplateService, instance: InstanceRecord, message: TemplateMessage, via: string,
		phoneNumber: string, routing: { agentId?: string; departmentId?: string }, log: Log,
	): Promise<RecipientResult> {
		const digits = phoneDigits(phoneNumber);
		if (!digits) return { phoneNumber, success: false, status: 'failed', error: t('api_error_phone_invalid') };
		try {
			// A customer who stopped marketing messages gets no marketing template, and no room opened for one.
			const refused = await templates.refusalFor(instance, digits, message.info);
			if (refused) return { phoneNumber, success: false, status: 'failed', error: refused };
			const { contact, reused } = await templates.conversationFor(instance, digits, routing);
			const room = reused ? 'reused' : 'opened';
			const sent = await templates.send(contact, contact.roomId!, message, { via });
			if (!sent.ok) return { phoneNumber, success: false, status: 'failed', roomId: contact.roomId, room, error: sent.reason };
			const o = sent.outcome;
			if (o.status === 'sent') return { phoneNumber, success: true, status: 'sent', messageId: o.messageId, roomId: contact.roomId, room };
			return { phoneNumber, success: o.status === 'queued', status: o.status, roomId: contact.roomId, room, error: o.reason || undefined };
		} catch (e) {
			log.info(`templateMessage to ${digits.slice(0, 4)}…: ${errorText(e)}`);
			return { phoneNumber, success: false, status: 'failed', error: /no-agent-online/.test(errorText(e)) ? t('api_error_no_agent') : errorText(e) };
		}
	}

	/** Who is calling: a Rocket.Chat user (checked by Rocket.Chat), the API key, or nobody. */
	private async caller(request: IApiRequest, read: IRead): Promise<IUser | 'api-key' | 'unauthenticated' | 'forbidden'> {
		const user = request.user;
		if (user) return (user.roles || []).some((r) => r === 'admin' || r === 'livechat-manager') ? user : 'forbidden';
		const headers = request.headers || {};
		const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization || '')?.[1];
		const given = headers['x-api-key'] || bearer;
		const key = (await read.getEnvironmentReader().getSettings().getById(Setting.TemplateApiKey))?.value;
		if (typeof key === 'string' && key.length >= 16 && typeof given === 'string' && sameSecret(given, key)) return 'api-key';
		return 'unauthenticated';
	}

	/** The connected number, by the provider's id (Cloud API phone_number_id) or the phone number itself. */
	private async instanceFor(deps: CoreDeps, number: string): Promise<InstanceRecord | undefined> {
		const digits = number.replace(/\D/g, '');
		const found = (await deps.instances.list()).find((i) => i.id === number || (!!digits && i.number === digits));
		return found && providerOf(deps, found).templates ? found : undefined;
	}

	/** The approved template; a name the cached list lacks gets one fresh look (it may be newly approved). */
	private async templateFor(templates: TemplateService, instance: InstanceRecord, name: string, language?: string): Promise<TemplateInfo | string> {
		for (const refresh of [false, true]) {
			const list = await templates.list(instance, refresh);
			if (!list.ok) return t('templates_unavailable', { reason: list.reason });
			const info = findTemplate(list.templates, name, language);
			if (info) return info;
		}
		return t('api_error_template_unknown', { name, language: language || '—' });
	}
}
