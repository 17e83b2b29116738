// Message templates: the account's list (Graph `message_templates`, 360dialog `waba_templates`, same
// objects) → TemplateInfo, and a template the agent filled in → the `template` send body.

import { OutboundTemplate, TemplateInfo, TemplateQuality } from '../../core/ports/provider';
import { TemplateButton } from '../../core/ports/templates';
import { arr, Json, nonEmpty, obj } from '../shared/json';
import { permanent, SendFailure } from '../shared/results';
import { envelope } from './outbound';
import { own } from '../../core/ports/lookup';

type Header = NonNullable<TemplateInfo['header']>;
const HEADER_FORMATS: ReadonlyArray<Header['format']> = ['text', 'image', 'video', 'document', 'location'];

/** `{{1}}` / `{{first_name}}` placeholders in order of first appearance. */
export function placeholders(text: string | undefined): string[] {
	const names = [...(text || '').matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]);
	return names.filter((n, i) => names.indexOf(n) === i);
}

/** One template object → TemplateInfo; undefined when it has no name or language. */
const QUALITIES: TemplateQuality[] = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'];

export function templateInfo(raw: unknown): TemplateInfo | undefined {
	const t = obj(raw);
	const name = nonEmpty(t?.name);
	const language = nonEmpty(t?.language);
	if (!t || !name || !language) return undefined;
	const components = arr(t.components).map(obj).filter((c): c is Json => !!c);
	const byType = (type: string) => components.find((c) => String(c.type).toUpperCase() === type);
	const body = nonEmpty(byType('BODY')?.text) ?? '';
	const info: TemplateInfo = {
		name,
		language,
		status: (nonEmpty(t.status) ?? 'UNKNOWN').toUpperCase(),
		parameterFormat: String(t.parameter_format).toUpperCase() === 'NAMED' ? 'named' : 'positional',
		body,
		bodyParameters: placeholders(body),
		buttons: arr(byType('BUTTONS')?.buttons)
			.map(obj)
			.filter((b): b is Json => !!b)
			.map((b) => templateButton(b, String(t.category).toUpperCase() === 'AUTHENTICATION')),
	};
	const quality = nonEmpty(obj(t.quality_score)?.score)?.toUpperCase();
	if (quality) info.quality = QUALITIES.find((q) => q === quality) ?? 'UNKNOWN';
	const footer = nonEmpty(byType('FOOTER')?.text);
	if (footer) info.footer = footer;
	const category = nonEmpty(t.category);
	if (category) info.category = category.toUpperCase();
	const h = byType('HEADER');
	const format = (nonEmpty(h?.format) ?? 'TEXT').toLowerCase() as Header['format'];
	if (h && HEADER_FORMATS.includes(format)) {
		const text = nonEmpty(h.text);
		// A media header takes one parameter: the file's link.
		info.header = { format, parameters: format === 'text' ? placeholders(text) : format === 'location' ? [] : ['link'] };
		if (text) info.header.text = text;
	}
	return info;
}

/**
 * One listed button. An authentication template's code button is created as `OTP` and listed as `OTP`
 * (with `otp_type`) or, by older versions, as `URL` to WhatsApp's own otp link: both become OTP, which takes
 * the code. URL buttons take their {{1}} suffix, copy-code buttons the code, the others nothing.
 */
function templateButton(b: Json, authentication: boolean): TemplateButton {
	let type = (nonEmpty(b.type) ?? 'QUICK_REPLY').toUpperCase();
	const url = nonEmpty(b.url);
	if (type === 'OTP' || (authentication && type === 'URL')) type = 'OTP';
	const parameters = type === 'URL' ? placeholders(url) : type === 'COPY_CODE' || type === 'OTP' ? ['code'] : [];
	const button: TemplateButton = { type, text: nonEmpty(b.text) ?? type, parameters };
	if (type === 'URL' && url) button.url = url;
	return button;
}

export function templateInfos(raw: unknown[]): TemplateInfo[] {
	return raw.map(templateInfo).filter((t): t is TemplateInfo => !!t);
}

/**
 * The send body. With the approved definition (`def`) parameters go in its order and named ones carry
 * their name; without it, all-digit keys are positional. Missing parameters are refused here, before
 * WhatsApp answers 132000.
 */
export function templateBody(msg: OutboundTemplate, def: TemplateInfo | undefined): { ok: true; body: Json } | SendFailure {
	const components: Json[] = [];
	const named = def ? def.parameterFormat === 'named' : Object.keys(msg.body).some((k) => !/^\d+$/.test(k));
	const bodyNames = def ? def.bodyParameters : Object.keys(msg.body).sort((a, b) => (named ? 0 : Number(a) - Number(b)));
	// A named parameter may also come by position (callers that only know the order, like Rocket.Chat's wizard).
	const value = (n: string, i: number) => own(msg.body, n) || own(msg.body, String(i + 1)) || '';
	const missing = bodyNames.filter((n, i) => value(n, i) === undefined || value(n, i) === '');
	if (missing.length) return permanent('cloud_template_parameters', `template ${msg.name}: parameters missing: ${missing.join(', ')}`, { name: msg.name, missing: missing.join(', ') });
	if (bodyNames.length) {
		components.push({ type: 'body', parameters: bodyNames.map((n, i) => textParameter(value(n, i), named ? n : undefined)) });
	}

	const header = headerComponent(msg, def, named);
	if (!header.ok) return header;
	if (header.component) components.push(header.component);

	for (const [index, value] of Object.entries(msg.buttons || {})) {
		const button = def?.buttons[Number(index)];
		const type = button?.type ?? 'URL';
		if (!/^\d+$/.test(index) || (def && !button)) return permanent('cloud_template_parameters', `template ${msg.name}: no button ${index}`, { name: msg.name, missing: `button ${index}` });
		if (type === 'COPY_CODE') components.push({ type: 'button', sub_type: 'copy_code', index, parameters: [{ type: 'coupon_code', coupon_code: value }] });
		// The one-time code goes as the parameter of the OTP button, sent as a `url` button.
		else if (type === 'OTP') components.push({ type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: value }] });
		else if (type === 'QUICK_REPLY') components.push({ type: 'button', sub_type: 'quick_reply', index, parameters: [{ type: 'payload', payload: value }] });
		else components.push({ type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: value }] });
	}

	const template: Json = { name: msg.name, language: { code: msg.language } };
	if (components.length) template.components = components;
	return { ok: true, body: { ...envelope(msg.chatId), type: 'template', template } };
}

function headerComponent(msg: OutboundTemplate, def: TemplateInfo | undefined, named: boolean): { ok: true; component?: Json } | SendFailure {
	const h = def?.header;
	const format = h?.format ?? (msg.header?.link ? mediaFormat(msg.header.link) : msg.header?.text ? 'text' : undefined);
	if (!format || format === 'location') return { ok: true };
	const missing = (what: string) => permanent('cloud_template_parameters', `template ${msg.name}: the header ${what} is missing`, { name: msg.name, missing: 'header' });
	if (format === 'text') {
		const names = h ? h.parameters : ['1'];
		if (!names.length) return { ok: true };
		if (!msg.header?.text) return missing('text');
		return { ok: true, component: { type: 'header', parameters: [textParameter(msg.header.text, named ? names[0] : undefined)] } };
	}
	// A file of the room was uploaded by the adapter first: it comes here as its media id.
	const media: Json | undefined = msg.header?.mediaId ? { id: msg.header.mediaId } : msg.header?.link ? { link: msg.header.link } : undefined;
	if (!media) return missing(`${format} link`);
	const fileName = msg.header?.file?.name;
	if (format === 'document' && fileName) media.filename = fileName;
	return { ok: true, component: { type: 'header', parameters: [{ type: format, [format]: media }] } };
}

function textParameter(text: string, name: string | undefined): Json {
	return name ? { type: 'text', parameter_name: name, text } : { type: 'text', text };
}

/** Without the definition: the header media kind from the link's extension. */
function mediaFormat(link: string): 'image' | 'video' | 'document' {
	const ext = (link.split(/[?#]/)[0].split('.').pop() || '').toLowerCase();
	if (['jpg', 'jpeg', 'png'].includes(ext)) return 'image';
	if (['mp4', '3gp'].includes(ext)) return 'video';
	return 'document';
}
