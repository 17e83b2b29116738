import { t } from '../i18n/translate';
import { MAX_MEDIA_BYTES } from './budget';
import { findLink } from './contacts';
import { CoreDeps, providerOf, sessionOf } from './Core';
import { InboundContent, InboundMessage } from './ports/events';
import { describeFailure, errorText, MediaNotYet } from './failures';
import { ContactRecord, InstanceRecord } from './ports/records';
import { RoomGone, VisitorRef } from './ports/rocketchat';
import { megabytes, quoteLink, renderContent, renderQuote, senderPrefix } from './render';


type MediaContent = Extract<InboundContent, { kind: 'media' }>;

/** Puts one customer message into the room as Rocket.Chat shows it: text, file, quote, edit, reaction. */
export class RoomPoster {
	constructor(private readonly deps: CoreDeps) {}

	/** Returns the RC message id that stands for the WhatsApp message (for quotes, edits, reactions). */
	public async post(instance: InstanceRecord, msg: InboundMessage, contact: ContactRecord, visitor: VisitorRef): Promise<string | undefined> {
		const rc = this.deps.rc;
		const roomId = contact.roomId!;
		const c = msg.content;
		const prefix = senderPrefix(msg);
		if (c.kind === 'edit' || c.kind === 'delete') {
			const target = findLink(contact, { wa: c.targetMessageId });
			const text = c.kind === 'edit' ? c.text : `🗑️ ${t('inbound_deleted')}`;
			if (target && (await rc.updateMessageText(target.rc, prefix + text))) return undefined;
			return rc.postAsVisitor(roomId, visitor, prefix + renderContent(c));
		}
		if (c.kind === 'reaction') {
			const target = findLink(contact, { wa: c.targetMessageId });
			const quoted = target ? quoteLink(await rc.siteUrl(), roomId, target.rc) : '';
			return rc.postAsVisitor(roomId, visitor, quoted + prefix + renderContent(c));
		}
		let quote = '';
		if (msg.quoted) {
			const target = findLink(contact, { wa: msg.quoted.messageId });
			quote = target ? quoteLink(await rc.siteUrl(), roomId, target.rc) : renderQuote(msg.quoted.text);
		}
		if (c.kind === 'media') return this.postMedia(instance, roomId, visitor, c, quote + prefix);
		return rc.postAsVisitor(roomId, visitor, quote + prefix + renderContent(c));
	}

	private async postMedia(instance: InstanceRecord, roomId: string, visitor: VisitorRef, c: MediaContent, prefix: string): Promise<string | undefined> {
		const rc = this.deps.rc;
		const [limit, settings] = await Promise.all([rc.maxUploadBytes(), rc.settings()]);
		const provider = providerOf(this.deps, instance);
		// What WhatsApp carries for this kind (the provider's limit), within what Rocket.Chat accepts as an upload.
		const kindMax = provider.capabilities.media[c.media]?.maxBytes ?? MAX_MEDIA_BYTES;
		const rcMax = limit && limit > 0 ? limit : Infinity;
		// …and within what one call into Rocket.Chat can carry on this engine (the upload is one call).
		const transferMax = rc.transferLimitBytes();
		const maxBytes = Math.min(kindMax, rcMax, transferMax);
		// Items parked by 0.1.0 carry the download URL as `url`. None outlives 7 days after an upgrade (the
		// longest give_up_after_minutes): this may go when upgrading straight from 0.1.0 is no longer supported.
		const ref = c.ref ?? (c as { url?: string }).url ?? '';
		let got = await sessionOf(this.deps, instance).downloadMedia(ref, { maxBytes, extraHosts: settings.mediaExtraHosts });
		// Larger than Rocket.Chat's upload limit (not WhatsApp's): the note says whose limit it is.
		const size = Number(!got.ok && got.params?.size);
		if (!got.ok && got.code === 'media_too_large' && size <= kindMax) {
			const code = rcMax <= transferMax ? 'media_over_upload_limit' : 'media_over_transfer_limit';
			got = { ...got, code, params: { size: megabytes(size), max: megabytes(Math.min(rcMax, transferMax)) } };
		}
		const label = t('inbound_media', { type: t(`media_${c.media}`), name: c.fileName });
		if (!got.ok) {
			if (got.retryable) throw new MediaNotYet(describeFailure(got));
			return rc.postAsVisitor(roomId, visitor, `${prefix}⚠️ ${t('inbound_media_unavailable', { what: label, reason: describeFailure(got) })}${c.caption ? `\n${c.caption}` : ''}`);
		}
		try {
			await rc.uploadAsVisitor(roomId, visitor.token, c.fileName || `whatsapp-${c.media}`, got.bytes);
		} catch (e) {
			if (e instanceof RoomGone) throw e;
			return rc.postAsVisitor(roomId, visitor, `${prefix}⚠️ ${t('inbound_media_rejected', { what: label, reason: errorText(e) })}${c.caption ? `\n${c.caption}` : ''}`);
		}
		// Rocket.Chat's upload has no caption field: the caption (and any quote) follows as its own message.
		const text = `${prefix}${c.caption || ''}`.trim();
		return text ? rc.postAsVisitor(roomId, visitor, text) : undefined;
	}
}
