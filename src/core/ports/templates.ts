// Pre-approved message templates (Cloud API / 360dialog): what a provider lists, what an agent fills
// in, and the per-instance cache the core keeps. Plain data, shared by the provider port, the outbox
// and the store.

export type TemplateHeaderFormat = 'text' | 'image' | 'video' | 'document' | 'location';

/** WhatsApp's quality rating of a template (Graph and 360dialog `quality_score.score`). */
export type TemplateQuality = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';

/** A pre-approved template, as the picker and `/whatsapp templates` show it. */
export interface TemplateInfo {
	name: string;
	language: string;
	/** APPROVED templates only are sendable (others: PENDING, REJECTED, PAUSED, DISABLED…). */
	status: string;
	category?: string;
	/** POSITIONAL ({{1}}…) or NAMED ({{first_name}}) body parameters. */
	parameterFormat: 'positional' | 'named';
	/** Body text with its placeholders, for the preview. */
	body: string;
	/** Body parameter names (named) or '1', '2'… (positional), in order. */
	bodyParameters: string[];
	/** A media header (image, video, document) takes a link or a file when sent; a text header its own parameters. */
	header?: { format: TemplateHeaderFormat; text?: string; parameters: string[] };
	/**
	 * `type` as the provider names it (URL, QUICK_REPLY, COPY_CODE, PHONE_NUMBER, REQUEST_CONTACT_INFO), or OTP:
	 * an authentication template's one-time-code button, which takes the code.
	 */
	buttons: TemplateButton[];
	footer?: string;
	/** Absent when the provider gives none. */
	quality?: TemplateQuality;
}

export interface TemplateButton {
	type: string;
	text: string;
	/** URL buttons with a {{1}} suffix take one parameter; copy-code and one-time-code buttons the code. */
	parameters: string[];
	/** URL buttons: the approved URL (with its {{1}}), for the length of the filled one. */
	url?: string;
}

/** A file already uploaded in the room, as a media header can use it. */
export interface RoomFile {
	id: string;
	name: string;
	/** MIME type as Rocket.Chat stored it. */
	type: string;
	/** Bytes, when Rocket.Chat tells. */
	size?: number;
}

/** A template with the agent's values, before it is addressed to a chat (stored in the outbox). */
export interface TemplateMessage {
	name: string;
	language: string;
	/** Body parameters by name (named) or by position '1', '2'… (positional). */
	body: Record<string, string>;
	/**
	 * Header parameter: text, or for media headers one of a link, a file of the room (uploaded to the provider
	 * when sent) or a media id the provider already has.
	 */
	header?: { text?: string; link?: string; file?: RoomFile; mediaId?: string };
	/** Button parameters by button index ('0', '1'…, the provider's numbering). */
	buttons?: Record<string, string>;
	/** The template as listed when it was filled (parameter format, header format, button types). */
	info: TemplateInfo;
}

/** The approved templates of one instance, as last fetched from the provider. */
export interface TemplateCache {
	instanceId: string;
	fetchedAt: number;
	/** A status update arrived since: fetch again before the next use. */
	stale?: boolean;
	templates: TemplateInfo[];
}

export interface TemplateRepository {
	get(instanceId: string): Promise<TemplateCache | undefined>;
	save(cache: TemplateCache): Promise<void>;
}

/** A template send an agent confirmed in the picker, one per modal: it happens at most once, whatever is clicked or retried. */
export interface TemplateSendClaim {
	viewId: string;
	state: 'queued' | 'sending' | 'done';
	at: number;
	outcome?: string;
}

export interface TemplateSendClaims {
	get(viewId: string): Promise<TemplateSendClaim | undefined>;
	save(claim: TemplateSendClaim): Promise<void>;
	remove(viewId: string): Promise<void>;
}
