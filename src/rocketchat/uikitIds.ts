// Ids the app's UIKit surfaces and marks share (notes with buttons, the room action button, the picker).

/** Button under a "window closed" note: opens the template picker for the note's room. */
export const OPEN_TEMPLATE_PICKER = 'gab-open-template-picker';
/** Room action button "Send template". */
export const SEND_TEMPLATE_BUTTON = 'gab-send-template';
/** Room action buttons "Send reply buttons" / "Send a list": open the interactive composer. */
export const SEND_BUTTONS_BUTTON = 'gab-send-buttons';
export const SEND_LIST_BUTTON = 'gab-send-list';
/** Block of a message that shows a template the app sent: the agent-message hook never sends it again. */
export const SENT_TEMPLATE_BLOCK = 'gab-sent-template';

/** UIKit text and blocks as plain JSON (the engine's BlockBuilder is deprecated in newer engines). */
export const plainText = (text: string) => ({ type: 'plain_text', text, emoji: true });
export const markdown = (text: string) => ({ type: 'mrkdwn', text });
export const sectionBlock = (text: string, blockId?: string) => ({ type: 'section', ...(blockId && { blockId }), text: markdown(text) });
export const contextBlock = (text: string, blockId?: string) => ({ type: 'context', ...(blockId && { blockId }), elements: [markdown(text)] });
export const buttonElement = (actionId: string, label: string, value?: string) => ({ type: 'button', actionId, text: plainText(label), ...(value !== undefined && { value }) });
