// Interactive messages an agent sends inside the customer-service window (reply buttons, lists), as
// plain data: what the outbox stores, what a provider's optional `interactive` member sends
// (SessionInteractive, in provider.ts).

export type InteractiveKind = 'buttons' | 'list';

/** One choice: a reply button, or a row of a list. `id` comes back with the customer's choice. */
export interface InteractiveOption {
	id: string;
	title: string;
	/** List rows only. */
	description?: string;
}

export interface InteractiveSection {
	/** Needed when a list has more than one section. */
	title?: string;
	rows: InteractiveOption[];
}

export type InteractiveMessage =
	| { kind: 'buttons'; header?: string; body: string; footer?: string; buttons: InteractiveOption[] }
	/** `button`: the label of the button that opens the list. */
	| { kind: 'list'; header?: string; body: string; footer?: string; button: string; sections: InteractiveSection[] };

export type OutboundInteractive = InteractiveMessage & { chatId: string; quotedMessageId?: string };
