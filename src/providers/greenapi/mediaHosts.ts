import { HostRule } from '../../core/mediaPolicy';

/**
 * GREEN-API: files are served from Yandex Object Storage buckets (`sw-media.storage.yandexcloud.net`,
 * `sw-media-<n>.storage.yandexcloud.net` in the webhook examples of its docs), and API hosts appear in its examples
 * (`api.green-api.com`) and as universal fallbacks (`api.greenapi.com`, `media.greenapi.com`). The instance's own
 * apiUrl/mediaUrl hosts come on top (hostsOfUrls).
 */
export const GREEN_API_MEDIA_HOSTS: ReadonlyArray<HostRule> = [
	/^sw-media(?:-\d{1,10})?\.storage\.yandexcloud\.net$/,
	'api.green-api.com',
	'api.greenapi.com',
	'media.greenapi.com',
];
