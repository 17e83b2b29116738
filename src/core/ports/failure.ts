// Why something failed, for people. Shared by providers (send, media, admin calls) and the core.

/**
 * `code` names an i18n text (`reason_<code>`, filled with `params`) the app shows in its language;
 * `reason` is the same in English, for logs and unknown codes.
 */
export interface Failure {
	reason: string;
	code?: string;
	params?: Record<string, string | number>;
}
