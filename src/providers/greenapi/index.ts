// Public surface of the GREEN-API provider.

export { GreenApiProvider } from './GreenApiProvider';
export { GreenApiClient, methodUrl, downloadMedia, DEFAULT_API_URL, DEFAULT_MEDIA_URL, MAX_UPLOAD_BYTES } from './client';
export type { ApiResult, GreenApiCredentials, GreenApiClientOptions, GreenApiSettings, GreenApiSettingsUpdate, QrResult, WaSettings, YesNo } from './client';
export { parseWebhook, verifyWebhook, webhookInstanceId, constantTimeEqual } from './webhook';
export { parseJournal } from './journal';
export type { JournalContext } from './journal';
export { classifySendResponse, classifyHttpFailure, classifyTransportError, redact, retryAfterMs } from './errors';
export { buildMultipart } from './multipart';
export { splitText, MAX_TEXT_LENGTH } from './textSplit';
export { phoneFromChatId, chatIdFromPhone, isGroupChatId } from './phone';
export { parseMessageData, renderPlain } from './messages';
export { parseVCard } from './vcard';
