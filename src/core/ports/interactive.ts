// Interactive messages an agent sends inside the customer-service window (reply buttons, lists), as
// plain data: what the outbox stores, what a provider's optional `interactive` member sends.

import { HttpClient } from './http';
import { InstanceRecord } from './records';
import { SendResult } from './provider';

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

/** The provider does not offer this here (a beta feature switched off for the number): the core sends a numbered text instead. */
export interface InteractiveUnavailable {
	ok: false;
	unavailable: true;
	reason: string;
}

/** A provider that sends interactive messages has this member; one that does not, has none. */
export interface ProviderInteractive {
	/** The kinds sent as WhatsApp interactive messages; any other kind goes as a numbered text. */
	readonly kinds: ReadonlyArray<InteractiveKind>;
	send(http: HttpClient, instance: InstanceRecord, msg: OutboundInteractive): Promise<SendResult | InteractiveUnavailable>;
}
