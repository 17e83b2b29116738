import { createHash, randomBytes } from 'crypto';
import { RoomFile, TemplateInfo } from '../core/ports/templates';
import { isMediaHeader, TEMPLATE_RULES } from '../core/templateRules';
import { renderTemplate, sendableTemplates, templateMessage, TemplateSlot, templateSlots, TemplateValues } from '../core/templates';
import { t } from '../i18n/translate';
import { buttonElement, contextBlock, plainText, sectionBlock } from '../rocketchat/uikitIds';

// The template picker as UIKit modal views (plain JSON) and back: pick a template → fill its parameters
// → preview → send. Rocket.Chat's client hands an update only to the open modal with the same view id, so
// one id names the modal for its whole life (the room and a random part); the step travels in the view
// itself, as the block id of its first block, which the client sends back with every submission (a view
// submission carries only the view, no room). The server checks the room and the user again every time.

export type PickerStepName = 'loading' | 'pick' | 'fill' | 'send' | 'sending' | 'message';

export interface PickerStep {
	step: PickerStepName;
	name?: string;
	language?: string;
	/** `send`: fingerprint of the values the preview showed (what is sent is what was previewed). */
	previewed?: string;
	/** `loading`: the command line's template arguments, taken up once the list is there. */
	args?: string;
}

const VIEW_PREFIX = 'gab-tpl';
const STEP_PREFIX = 'gab-step';
const STEPS: PickerStepName[] = ['loading', 'pick', 'fill', 'send', 'sending', 'message'];
export const PICK_BLOCK = 'tpl-pick';

/** A new modal's view id: the room, and a random part so that two modals never share one. */
export function newViewId(roomId: string): string {
	return [VIEW_PREFIX, roomId, randomBytes(8).toString('hex')].map(encodeURIComponent).join('|');
}

/** The picker's room, or undefined for any other view (or a forged id of the wrong shape). */
export function decodeViewId(id: unknown): { roomId: string } | undefined {
	const parts = splitEncoded(id, 3);
	if (!parts || parts[0] !== VIEW_PREFIX || !parts[1] || !/^[0-9a-f]{16}$/.test(parts[2])) return undefined;
	return { roomId: parts[1] };
}

export function encodeStep(s: PickerStep): string {
	return [STEP_PREFIX, s.step, s.name || '', s.language || '', s.previewed || '', s.args || ''].map(encodeURIComponent).join('|');
}

/** The step a submitted view is at (read from its first block), or undefined. */
export function decodeStep(blocks: unknown): PickerStep | undefined {
	const first = Array.isArray(blocks) ? blocks[0] : undefined;
	const parts = splitEncoded(first && typeof first === 'object' ? (first as { blockId?: unknown }).blockId : undefined, 6);
	if (!parts || parts[0] !== STEP_PREFIX || !STEPS.includes(parts[1] as PickerStepName)) return undefined;
	const [, step, name, language, previewed, args] = parts;
	if ((step === 'fill' || step === 'send') && (!name || !language)) return undefined;
	return { step: step as PickerStepName, name: name || undefined, language: language || undefined, previewed: previewed || undefined, args: args || undefined };
}

function splitEncoded(id: unknown, count: number): string[] | undefined {
	if (typeof id !== 'string' || id.length > 2000) return undefined;
	try {
		const parts = id.split('|').map(decodeURIComponent);
		return parts.length === count ? parts : undefined;
	} catch {
		return undefined;
	}
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

/** The first block carries the step (see above); every view has one. */
const modal = (viewId: string, step: PickerStep, blocks: Array<Record<string, unknown>>, submitLabel?: string): Modal => ({
	id: viewId,
	title: plainText(t('picker_title')),
	blocks: [{ ...blocks[0], blockId: encodeStep(step) }, ...blocks.slice(1)],
	...(submitLabel && { submit: buttonElement('submit', submitLabel) }),
	close: buttonElement('close', t('picker_cancel')),
});

// Rocket.Chat's client merges an update into the open view ({ ...view, ...update }): a button cannot be
// taken away by leaving it out. The views that only say something keep a submit button, labelled Close,
// whose submission closes the modal.

/** A picker that only says something (not a WhatsApp room, no templates, cannot be listed). */
export function messageView(viewId: string, text: string): Modal {
	return modal(viewId, { step: 'message' }, [sectionBlock(text)], t('picker_close'));
}

/** No template list yet: it is being fetched in the background; Refresh shows it once it is there. */
export function loadingView(viewId: string, args?: string): Modal {
	return modal(viewId, { step: 'loading', args }, [sectionBlock(`⏳ ${t('picker_loading')}`)], t('picker_refresh'));
}

/** After Send: the template goes out from a background job; this window only says so. */
export function sendingView(viewId: string, info: Pick<TemplateInfo, 'name' | 'language'>, already = false): Modal {
	const text = already ? t('picker_already_sent') : t('picker_sending', { name: info.name, language: info.language });
	return modal(viewId, { step: 'sending', name: info.name, language: info.language }, [sectionBlock(`${already ? 'ℹ️' : '⏳'} ${text}`)], t('picker_close'));
}

/** Step 1: the approved templates of the room's number. */
export function pickView(viewId: string, list: TemplateInfo[], intro: string, error?: string): Modal {
	const templates = sendableTemplates(list);
	if (templates.length === 0) return messageView(viewId, `${intro}\n\n${t('templates_none')}`);
	const options = templates.slice(0, 100).map((i) => ({ value: JSON.stringify([i.name, i.language]), text: plainText(`${i.name} (${i.language})`) }));
	const select = { type: 'static_select', actionId: PICK_BLOCK, placeholder: plainText(t('picker_choose')), options };
	return modal(viewId, { step: 'pick' }, [
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
export function fillView(viewId: string, info: TemplateInfo, values?: TemplateValues, preview?: { problems: string[] }, args?: string, files?: ReadonlyArray<RoomFile>): Modal {
	const slots = templateSlots(info);
	const inputs = slots.map((slot) => ({
		type: 'input',
		blockId: slotBlockId(slot),
		label: plainText(slot.label),
		element: { type: 'plain_text_input', actionId: slotBlockId(slot), ...(values && { initialValue: slotValueOf(values, slot) }) },
	}));
	const head = [contextBlock(`📄 *${info.name}* (${info.language})${info.category ? ` · ${info.category}` : ''}`)];
	const usable = usableFiles(info, files);
	if (usable) head.push(contextBlock(usable.length ? t('picker_room_files', { names: usable.map((f) => f.name).join(', ') }) : t('picker_no_room_files')));
	if (!preview) {
		const text = sectionBlock(`${t('picker_template_text')}\n${quote(renderTemplate({ name: info.name, language: info.language, body: {}, info }))}`);
		return modal(viewId, { step: 'fill', name: info.name, language: info.language, args }, [...head, text, ...inputs], t('picker_preview'));
	}
	const step: PickerStep = { step: 'send', name: info.name, language: info.language, previewed: values && preview.problems.length === 0 ? fingerprint(values) : undefined, args };
	const shown = preview.problems.length
		? sectionBlock(`⚠️ ${preview.problems.join('\n')}`)
		: sectionBlock(`${t('picker_preview_heading')}\n${quote(renderTemplate(templateMessage(info, values || { body: {} }, files)))}`);
	return modal(viewId, step, [...head, shown, ...inputs], preview.problems.length ? t('picker_preview') : t('picker_send'));
}

/**
 * What the agent typed into the parameter inputs; where nothing was typed, `given` (the command line's values).
 * Rocket.Chat's client sends only values the person entered or that the modal's first view held: the
 * prefilled inputs of a later step are not in the state. Anything else in the state is ignored.
 */
export function filledValues(info: TemplateInfo, state: unknown, given?: TemplateValues): TemplateValues {
	const values: TemplateValues = { body: {} };
	for (const slot of templateSlots(info)) {
		const value = (stateValue(state, slotBlockId(slot), slotBlockId(slot)) || (given ? slotValueOf(given, slot) : '')).trim();
		if (!value) continue;
		if (slot.kind === 'body') values.body[slot.key] = value;
		else if (slot.kind === 'button') values.buttons = { ...values.buttons, [slot.key]: value };
		else if (slot.kind === 'header-text') values.header = { text: value };
		else if (slot.kind === 'code') values.code = value;
		else values.header = { link: value };
	}
	return values;
}

/** Same values, same fingerprint (order-independent). */
export function fingerprint(values: TemplateValues): string {
	const sorted = (o: Record<string, string> | undefined) => Object.entries(o || {}).sort(([a], [b]) => a.localeCompare(b));
	const canonical = JSON.stringify([sorted(values.body), values.header?.text || '', values.header?.link || '', sorted(values.buttons), values.code || '']);
	return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function slotValueOf(values: TemplateValues, slot: TemplateSlot): string {
	if (slot.kind === 'body') return values.body[slot.key] || '';
	if (slot.kind === 'button') return values.buttons?.[slot.key] || '';
	if (slot.kind === 'code') return values.code || values.body[slot.key] || '';
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

/** The room's files a media header of this template can take (its kind's types), newest first; undefined without a media header. */
function usableFiles(info: TemplateInfo, files: ReadonlyArray<RoomFile> | undefined): RoomFile[] | undefined {
	const format = info.header?.format;
	if (!files || !isMediaHeader(format)) return undefined;
	const types = TEMPLATE_RULES.headerMedia[format].mimeTypes;
	return files.filter((f) => types.includes(f.type.split(';')[0].trim().toLowerCase())).slice(0, 10);
}

const quote = (text: string) => text.split('\n').map((l) => `> ${l}`).join('\n');
