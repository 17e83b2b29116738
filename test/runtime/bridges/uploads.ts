// UploadBridge: RC's Uploads store (validateFileUpload, type sniffing) and the file message it always tries to post.
import { UploadBridge } from '@rocket.chat/apps-engine/server/bridges/UploadBridge';
import { createHash } from 'crypto';
import { meteorError, randomId, RcState, StoredFile, StoredMessage, StoredUpload } from '../state';
import { assertCanPost, insertMessage, userSender } from './messages';
import { guestOf, sendVisitorMessage } from './livechat';

const BY_EXT: Record<string, string> = {
	jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
	pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv', json: 'application/json', zip: 'application/zip',
	ogg: 'audio/ogg', oga: 'audio/ogg', opus: 'audio/ogg', mp3: 'audio/mpeg', m4a: 'audio/mp4', wav: 'audio/wav', mp4: 'video/mp4', webm: 'video/webm', '3gp': 'video/3gpp',
	doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
/** RC's determineFileType: sniff the bytes (file-type) first, then the name's extension, else octet-stream. */
export function determineFileType(buf: Buffer, name: string): string {
	const hex = buf.subarray(0, 12).toString('hex');
	if (hex.startsWith('89504e47')) return 'image/png';
	if (hex.startsWith('ffd8ff')) return 'image/jpeg';
	if (hex.startsWith('47494638')) return 'image/gif';
	if (hex.startsWith('25504446')) return 'application/pdf';
	if (hex.startsWith('4f676753')) return 'audio/ogg';
	if (hex.startsWith('52494646') && buf.subarray(8, 12).toString() === 'WEBP') return 'image/webp';
	if (buf.subarray(4, 8).toString() === 'ftyp') return 'video/mp4';
	return BY_EXT[extensionOf(name)] ?? 'application/octet-stream';
}
const extensionOf = (name: string) => (name.includes('.') ? name.split('.').pop()!.toLowerCase() : '');

export interface UploadRequest { name: string; bytes: Buffer; roomId: string; userId?: string; visitorToken?: string; description?: string; text?: string; origin: 'app' | 'harness' }

function store(rc: RcState, name: string, bytes: Buffer, r: UploadRequest, type: string): StoredUpload {
	const id = randomId();
	const now = rc.now();
	const path = `/file-upload/${id}/${encodeURI(name)}`;
	const u: StoredUpload = {
		id, name, size: bytes.length, type, extension: extensionOf(name), rid: r.roomId, bytes: Buffer.from(bytes), userId: r.userId, visitorToken: r.visitorToken,
		path, url: `${rc.siteUrl}${path}`, etag: createHash('md5').update(bytes).digest('hex').slice(0, 17), uploadedAt: now, updatedAt: now, origin: r.origin,
	};
	rc.uploads.push(u);
	return u;
}

/** The message fields RC's parseFileIntoMessageAttachments builds (images also get a thumbnail entry in files[]). */
function fileMessageFields(rc: RcState, u: StoredUpload, r: UploadRequest): Partial<StoredMessage> {
	const file: StoredFile = { _id: u.id, name: u.name, type: u.type, size: u.size, format: u.extension };
	const files: StoredFile[] = [file];
	const att: any = { title: { value: u.name, link: u.path, displayDownloadLink: true }, type: 'file', ...(r.description !== undefined && { description: r.description }) };
	const group = u.type.split('/')[0];
	if (group === 'image') {
		Object.assign(att, { imageUrl: u.path, imageType: u.type, imageSize: u.size });
		const thumb = store(rc, `thumb-${u.name}`, u.bytes, r, u.type);
		files.push({ _id: thumb.id, name: thumb.name, type: thumb.type, size: thumb.size, typeGroup: 'thumb' });
	} else if (group === 'audio') Object.assign(att, { audioUrl: u.path, audioType: u.type, audioSize: u.size });
	else if (group === 'video') Object.assign(att, { videoUrl: u.path, videoType: u.type, videoSize: u.size });
	return { text: r.text ?? '', file, files, attachments: [att] };
}

/** fileUploadIsValidContentTypeFromSettings (app/utils/lib/restrictions.ts): the blacklist wins (exact type or
 *  `group/*`); an empty whitelist (or `*`) accepts the rest. */
export function isAcceptedMediaType(type: string, whiteList: string, blackList: string): boolean {
	const list = (s: string) => s.split(',').map((x) => x.trim());
	const onList = (l: string[]) => l.includes(type) || l.filter((x) => x.indexOf('/*') > 0).includes(type.replace(/(\/.*)$/, '/*'));
	if (blackList && type && onList(list(blackList))) return false;
	if (whiteList && whiteList !== '*') return onList(list(whiteList));
	return true;
}

/**
 * FileUpload.validateFileUpload (file-upload/server/lib/FileUpload.ts), the store's onCheck filter, on the type the
 * upload bridge sniffed (determineFileType): the room must exist; users other than the app user must be able to post
 * there; FileUpload_Enabled; FileUpload_Enabled_Direct for DMs; FileUpload_MaxFileSize (-1 = no limit);
 * FileUpload_MediaTypeWhiteList / FileUpload_MediaTypeBlackList (SVG blacklisted by default).
 */
function validateFileUpload(rc: RcState, r: UploadRequest, type: string): void {
	const room = rc.room(r.roomId);
	if (!room) throw meteorError('invalid-file', 'File does not pass the "onCheck" filter');
	const user = rc.user(r.userId);
	if (r.userId && !user) throw meteorError('error-invalid-user', 'Invalid user');
	if (user) assertCanPost(rc, user, room);
	const setting = (id: string) => rc.serverSetting(id)?.value;
	if (setting('FileUpload_Enabled') !== true) throw meteorError('error-file-upload-disabled', 'File upload is disabled');
	if (room.type === 'd' && setting('FileUpload_Enabled_Direct') !== true) throw meteorError('error-direct-message-file-upload-not-allowed', 'File sharing not allowed in direct messages');
	const max = rc.maxUploadBytes;
	if (max > -1 && r.bytes.length > max) throw meteorError('error-file-too-large', `File exceeds allowed size of ${max} bytes`);
	if (!isAcceptedMediaType(type, String(setting('FileUpload_MediaTypeWhiteList') ?? ''), String(setting('FileUpload_MediaTypeBlackList') ?? ''))) {
		throw meteorError('error-invalid-file-type', 'File type is not accepted');
	}
}

/** FileUpload store insert (after validateFileUpload) + sendFileMessage / sendFileLivechatMessage. A visitor upload into
 *  a room that is not open (or belongs to another visitor) keeps the file but posts nothing, silently, as RC does. */
export function uploadFile(rc: RcState, r: UploadRequest): { upload: StoredUpload; message?: StoredMessage } {
	if (!r.userId && !r.visitorToken) throw new Error('Missing user to perform the upload operation');
	const type = determineFileType(r.bytes, r.name);
	validateFileUpload(rc, r, type);
	const room = rc.room(r.roomId)!;
	const user = rc.user(r.userId);
	const upload = store(rc, r.name, r.bytes, r, type);
	let message: StoredMessage | undefined;
	if (r.visitorToken) {
		const guest = rc.visitorByToken(r.visitorToken);
		if (guest && room.type === 'l' && room.isOpen && room.visitorToken === guest.token) {
			message = sendVisitorMessage(rc, guestOf(guest), room.id, fileMessageFields(rc, upload, r), { source: room.source ?? { type: 'app' }, origin: r.origin });
		}
	} else {
		message = insertMessage(rc, { ...fileMessageFields(rc, upload, r), rid: r.roomId, sender: userSender(user!), origin: r.origin });
	}
	upload.messageId = message?.id;
	rc.effect('upload.stored', { uploadId: upload.id, roomId: r.roomId, name: upload.name, type: upload.type, size: upload.size, messageId: message?.id, posted: !!message });
	return { upload, message };
}

export class TestUploadBridge extends UploadBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	public async getById(id: string, _appId?: string): Promise<any> {
		return this.rc.toAppUpload(this.rc.uploads.find((u) => u.id === id));
	}
	public async getBuffer(upload: any, _appId?: string): Promise<Buffer> {
		const bytes = this.rc.uploads.find((u) => u.id === upload?.id)?.bytes;
		if (!bytes) throw new Error(`Upload not found: ${upload?.id}`);
		return Buffer.from(bytes);
	}
	public async createUpload(details: any, buffer: Buffer, _appId?: string): Promise<any> {
		const { upload } = uploadFile(this.rc, { name: details.name, bytes: Buffer.from(buffer), roomId: details.rid, userId: details.userId, visitorToken: details.visitorToken, origin: 'app' });
		return this.rc.toAppUpload(upload);
	}
}
