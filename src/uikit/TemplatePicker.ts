import { createHash } from 'crypto';
import { TemplateInfo } from '../core/ports/templates';
import { renderTemplate, sendableTemplates, templateMessage, TemplateSlot, templateSlots, TemplateValues } from '../core/templates';
import { t } from '../i18n/translate';
import { buttonElement, contextBlock, plainText, sectionBlock } from '../rocketchat/uikitIds';

// The template picker as UIKit modal views (plain JSON) and back: pick a template → fill its parameters
// → preview → send. A view submission carries only the view (no room), so the view id names the step,
// the room and the template; the server checks the room and the user again on every submission.

export type PickerStep = 'pick' | 'fill' | 'send';

export interface PickerViewId {
	step: PickerStep;
	roomId: string;
	name?: string;
	language?: string;
	/** `send`: fingerprint of the values the preview showed (what is sent is what was previewed). */
	previewed?: string;
}

const VIEW_PREFIX = 'gab-tpl';
export const PICK_BLOCK = 'tpl-pick';

export function encodeViewId(v: PickerViewId): string {
	return [VIEW_PREFIX, v.step, v.roomId, v.name || '', v.language || '', v.previewed || ''].map(encodeURIComponent).join('|');
}

/** The picker's view id, or undefined for any other view (or a forged one of the wrong shape). */
export function decodeViewId(id: unknown): PickerViewId | undefined {
	if (typeof id !== 'string' || id.length > 2000) return undefined;
	let parts: string[];
	try {
		parts = id.split('|').map(decodeURIComponent);
	} catch {
		return undefined;
	}
	const [prefix, step, roomId, name, language, previewed] = parts;
	if (parts.length !== 6 || prefix !== VIEW_PREFIX || !['pick', 'fill', 'send'].includes(step) || !roomId) return undefined;
	if (step !== 'pick' && (!name || !language)) return undefined;
	return { step: step as PickerStep, roomId, name: name || undefined, language: language || undefined, previewed: previewed || undefined };
}

/** Block ids of the parameter inputs: `slot|<kind>|<key>`. */
const slotBlockId = (slot: TemplateSlot) => `slot|${slot.kind}|${slot.key}`;

export interface Modal {
	id: string;
	title: object;
	blocks: object[];
	submit?: object;
	close: object;
}

const modal = (id: PickerViewId, blocks: object[], submitLabel?: string): Modal => ({
	id: encodeViewId(id),
	title: plainText(t('picker_title')),
	blocks,
	...(submitLabel && { submit: buttonElement('submit', submitLabel) }),
	close: buttonElement('close', t('picker_cancel')),
});

/** A picker that only says something (not a WhatsApp room, no templates, cannot be listed). */
export function messageView(roomId: string, text: string): Modal {
	return modal({ step: 'pick', roomId }, [sectionBlock(text)]);
}

/** Step 1: the approved templates of the room's number. */
export function pickView(roomId: string, list: TemplateInfo[], intro: string, error?: string): Modal {
	const templates = sendableTemplates(list);
	if (templates.length === 0) return messageView(roomId, `${intro}\n\n${t('templates_none')}`);
	const options = templates.slice(0, 100).map((i) => ({ value: JSON.stringify([i.name, i.language]), text: plainText(`${i.name} (${i.language})`) }));
	const select = { type: 'static_select', actionId: PICK_BLOCK, placeholder: plainText(t('picker_choose')), options };
	return modal({ step: 'pick', roomId }, [
		contextBlock(intro),
		...(error ? [sectionBlock(`⚠️ ${error}`)] : []),
		{ type: 'input', blockId: PICK_BLOCK, label: plainText(t('picker_template')), element: select },
	], t('picker_next'));
}

/** The template the pick step's state names, as [name, language]. */
export function pickedTemplate(state: unknown): [string, string] | undefined {
	const raw = stateValue(state, PICK_BLOCK, PICK_BLOCK);
	try {
		const v = JSON.parse(raw || '');
		return Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' ? [v[0], v[1]] : undefined;
	} catch {
		return undefined;
	}
}

/** Step 2 (and 3, with a preview): the template's text and one input per parameter. */
export function fillView(roomId: string, info: TemplateInfo, values?: TemplateValues, preview?: { problems: string[] }): Modal {
	const slots = templateSlots(info);
	const inputs = slots.map((slot) => ({
		type: 'input',
		blockId: slotBlockId(slot),
		label: plainText(slot.label),
		element: { type: 'plain_text_input', actionId: slotBlockId(slot), ...(values && { initialValue: slotValueOf(values, slot) }) },
	}));
	const head = [contextBlock(`📄 *${info.name}* (${info.language})${info.category ? ` · ${info.category}` : ''}`)];
	if (!preview) {
		const text = sectionBlock(`${t('picker_template_text')}\n${quote(renderTemplate({ name: info.name, language: info.language, body: {}, info }))}`);
		const id: PickerViewId = { step: 'fill', roomId, name: info.name, language: info.language };
		return modal(id, [...head, text, ...inputs], t('picker_preview'));
	}
	const id: PickerViewId = { step: 'send', roomId, name: info.name, language: info.language, previewed: values && preview.problems.length === 0 ? fingerprint(values) : undefined };
	const shown = preview.problems.length
		? sectionBlock(`⚠️ ${preview.problems.join('\n')}`)
		: sectionBlock(`${t('picker_preview_heading')}\n${quote(renderTemplate(templateMessage(info, values || { body: {} })))}`);
	return modal(id, [...head, shown, ...inputs], preview.problems.length ? t('picker_preview') : t('picker_send'));
}

/** What the agent typed into the parameter inputs. Anything else in the state is ignored. */
export function filledValues(info: TemplateInfo, state: unknown): TemplateValues {
	const values: TemplateValues = { body: {} };
	for (const slot of templateSlots(info)) {
		const value = (stateValue(state, slotBlockId(slot), slotBlockId(slot)) || '').trim();
		if (!value) continue;
		if (slot.kind === 'body') values.body[slot.key] = value;
		else if (slot.kind === 'button') values.buttons = { ...values.buttons, [slot.key]: value };
		else if (slot.kind === 'header-text') values.header = { text: value };
		else values.header = { link: value };
	}
	return values;
}

/** Same values, same fingerprint (order-independent). */
export function fingerprint(values: TemplateValues): string {
	const sorted = (o: Record<string, string> | undefined) => Object.entries(o || {}).sort(([a], [b]) => a.localeCompare(b));
	const canonical = JSON.stringify([sorted(values.body), values.header?.text || '', values.header?.link || '', sorted(values.buttons)]);
	return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function slotValueOf(values: TemplateValues, slot: TemplateSlot): string {
	if (slot.kind === 'body') return values.body[slot.key] || '';
	if (slot.kind === 'button') return values.buttons?.[slot.key] || '';
	return (slot.kind === 'header-text' ? values.header?.text : values.header?.link) || '';
}

/** `state[blockId][actionId]` as Rocket.Chat's client groups a modal's values; strings only. */
function stateValue(state: unknown, blockId: string, actionId: string): string | undefined {
	if (!state || typeof state !== 'object') return undefined;
	const block = (state as Record<string, unknown>)[blockId];
	if (!block || typeof block !== 'object') return undefined;
	const value = (block as Record<string, unknown>)[actionId];
	return typeof value === 'string' ? value : undefined;
}

const quote = (text: string) => text.split('\n').map((l) => `> ${l}`).join('\n');
