import { t } from '../i18n/translate';
import { RoomFile, TemplateButton, TemplateInfo, TemplateMessage } from './ports/templates';

// WhatsApp's rules for a filled template, as data, checked before anything is sent: the provider would
// refuse the same send (132000 parameter count, 132005 text too long, 132012 format mismatch, 131053 media)
// after the agent had left the picker. Read in Meta's documentation (template components, sending
// templates, authentication templates, supported media); where sources disagree the stricter reading is
// taken and said so below.

const MB = 1024 * 1024;

export type MediaHeaderFormat = 'image' | 'video' | 'document';

export interface TemplateRules {
	/** A text header's parameter (Meta: a text header is at most 60 characters; the filled header is held to it). */
	headerText: number;
	/** A body parameter: 1024 characters when the template has other components, 32,768 when the body is all. */
	bodyParameter: { withOtherComponents: number; bodyOnly: number };
	/** A URL button's filled URL (approved part + suffix). */
	buttonUrl: number;
	/** A copy-code (coupon) button's code, and an authentication template's one-time code. */
	couponCode: number;
	oneTimeCode: number;
	/**
	 * A quick-reply button's payload. Meta gives no number for templates; 256 is the limit of an interactive
	 * reply button's id, the same value coming back to us: taken as the defensive reading.
	 */
	quickReplyPayload: number;
	/**
	 * A media header's file, per kind. Documents: Meta's template pages accept PDF only (the message pages
	 * list Office files too): PDF, the defensive reading.
	 */
	headerMedia: Record<MediaHeaderFormat, { mimeTypes: ReadonlyArray<string>; maxBytes: number }>;
}

export const TEMPLATE_RULES: TemplateRules = {
	headerText: 60,
	bodyParameter: { withOtherComponents: 1024, bodyOnly: 32_768 },
	buttonUrl: 2000,
	couponCode: 15,
	oneTimeCode: 15,
	quickReplyPayload: 256,
	headerMedia: {
		image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
		video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
		document: { mimeTypes: ['application/pdf'], maxBytes: 100 * MB },
	},
};

const MEDIA_FORMATS: ReadonlyArray<string> = ['image', 'video', 'document'];

export function isMediaHeader(format: string | undefined): format is MediaHeaderFormat {
	return !!format && MEDIA_FORMATS.includes(format);
}

/** An authentication template: the body and its one-time-code button take the same code. */
export function isAuthentication(info: Pick<TemplateInfo, 'category' | 'buttons'>): boolean {
	return (info.category || '').toUpperCase() === 'AUTHENTICATION' || info.buttons.some((b) => b.type === 'OTP');
}

const bareMime = (type: string) => type.split(';')[0].trim().toLowerCase();

/** Why this file cannot be the template's `format` header; undefined when it can. */
export function mediaHeaderProblem(format: MediaHeaderFormat, file: RoomFile, rules: TemplateRules = TEMPLATE_RULES): string | undefined {
	const rule = rules.headerMedia[format];
	const kind = t(`template_header_${format}`);
	if (!rule.mimeTypes.includes(bareMime(file.type))) return t('template_problem_media_type', { name: file.name, type: bareMime(file.type) || '?', kind, types: rule.mimeTypes.join(', ') });
	if (file.size !== undefined && file.size > rule.maxBytes) return t('template_problem_media_size', { name: file.name, kind, max: `${Math.round(rule.maxBytes / MB)} MB` });
	if (file.size === 0) return t('template_problem_media_empty', { name: file.name });
	return undefined;
}

/**
 * What WhatsApp would refuse in this filled template (people's words, i18n); empty when it can go. Missing
 * values are the caller's (templateProblems) — this checks the values given against the provider's rules.
 */
export function templateRuleProblems(msg: TemplateMessage, rules: TemplateRules = TEMPLATE_RULES): string[] {
	const { info } = msg;
	const problems: string[] = [];
	const tooLong = (slot: string, value: string, max: number) => {
		if (value.length > max) problems.push(t('template_problem_too_long', { slot, max }));
	};
	if (info.header?.format === 'text' && msg.header?.text !== undefined) {
		const filled = (info.header.text || '').replace(/\{\{\s*[A-Za-z0-9_]+\s*\}\}/g, msg.header.text);
		tooLong(t('template_slot_header_text'), filled, rules.headerText);
	}
	if (isMediaHeader(info.header?.format) && msg.header?.file) {
		const problem = mediaHeaderProblem(info.header!.format as MediaHeaderFormat, msg.header.file, rules);
		if (problem) problems.push(problem);
	}
	const bodyOnly = !info.header && !info.footer && info.buttons.length === 0;
	const bodyMax = bodyOnly ? rules.bodyParameter.bodyOnly : rules.bodyParameter.withOtherComponents;
	for (const [name, value] of Object.entries(msg.body)) tooLong(`{{${name}}}`, value, bodyMax);
	info.buttons.forEach((button, i) => {
		const value = msg.buttons?.[String(i)];
		if (value === undefined) return;
		const problem = buttonProblem(button, i, value, rules);
		if (problem) problems.push(problem);
	});
	return problems;
}

function buttonProblem(button: TemplateButton, i: number, value: string, rules: TemplateRules): string | undefined {
	const slot = t('template_slot_button', { number: i + 1, text: button.text });
	switch (button.type) {
		case 'URL': {
			if (button.parameters.length === 0) return t('template_problem_button_takes_nothing', { slot });
			if (/\s/.test(value)) return t('template_problem_url_suffix', { slot });
			const filled = (button.url || '').replace(/\{\{\s*[A-Za-z0-9_]+\s*\}\}/, value);
			return filled.length > rules.buttonUrl ? t('template_problem_too_long', { slot, max: rules.buttonUrl }) : undefined;
		}
		case 'COPY_CODE':
			return value.length > rules.couponCode ? t('template_problem_too_long', { slot, max: rules.couponCode }) : undefined;
		case 'OTP':
			return value.length > rules.oneTimeCode ? t('template_problem_too_long', { slot: t('template_slot_code'), max: rules.oneTimeCode }) : /\s/.test(value) ? t('template_problem_code_spaces') : undefined;
		case 'QUICK_REPLY':
			return value.length > rules.quickReplyPayload ? t('template_problem_too_long', { slot, max: rules.quickReplyPayload }) : undefined;
		default:
			// Phone, request-contact-info and other buttons carry nothing at send time.
			return t('template_problem_button_takes_nothing', { slot });
	}
}
