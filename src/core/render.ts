import { t } from '../i18n/translate';
import { InboundContent, InboundMessage, MessageButton, OrderItem, ProviderMarker } from './ports/events';

// How each WhatsApp message type reads in a Rocket.Chat room (as the customer's message).

export function mapLink(latitude: number, longitude: number): string {
	return `https://www.google.com/maps/search/?api=1&query=${latitude},${longitude}`;
}

const markerKeys: Record<ProviderMarker, string> = {
	'empty-first-message': 'inbound_marker_empty_first_message',
	'file-too-large': 'inbound_marker_file_too_large',
	'decryption-failed': 'inbound_marker_decryption_failed',
	'group-too-large': 'inbound_marker_group_too_large',
};

/** Text for content that is not a file; files are uploaded (see InboundService) with their caption. */
export function renderContent(content: InboundContent): string {
	switch (content.kind) {
		case 'text': {
			const preview = [content.linkTitle, content.linkDescription].filter(Boolean).join(' — ');
			return preview && !content.text.includes(preview) ? `${content.text}\n> ${preview}` : content.text;
		}
		case 'media':
			return content.caption || t('inbound_media', { type: t(`media_${content.media}`), name: content.fileName });
		case 'location': {
			const head = [content.name, content.address].filter(Boolean).join(', ');
			return `📍 ${t('inbound_location')}${head ? `: ${head}` : ''}\n${mapLink(content.latitude, content.longitude)}`;
		}
		case 'contacts':
			return [
				`👤 ${t('inbound_contacts', { count: content.contacts.length })}`,
				...content.contacts.map((c) => {
					const reach = [...c.phones, ...(c.emails || [])];
					return `• ${c.name}${reach.length ? `: ${reach.join(', ')}` : ''}`;
				}),
			].join('\n');
		case 'poll':
			return [
				`📊 ${t(content.multipleAnswers ? 'inbound_poll_multiple' : 'inbound_poll')}: ${content.question}`,
				...content.options.map((o) => `• ${o}`),
			].join('\n');
		case 'poll-update':
			return [
				`📊 ${t('inbound_poll_update')}: ${content.question}`,
				...content.votes.map((v) => `• ${v.option}: ${v.voters.length}`),
			].join('\n');
		case 'choice':
			return `🔘 ${t('inbound_choice')}: ${content.text}${content.description ? ` — ${content.description}` : ''}`;
		case 'buttons':
			return renderButtons(content);
		case 'order':
			return [`🛒 ${t('inbound_order', { count: content.items.length })}`, ...content.items.map(orderLine), ...orderTotal(content.items), ...(content.text ? [content.text] : [])].join('\n');
		case 'system':
			if (content.event === 'number-changed' && content.newId) return `ℹ️ ${t('inbound_system_number_changed', { number: `+${content.newId.replace(/^\+/, '')}` })}`;
			if (content.event === 'user-id-changed') return `ℹ️ ${t('inbound_system_user_id_changed')}`;
			return `ℹ️ ${content.text}`;
		case 'referral': {
			const key = content.sourceType === 'ad' ? 'inbound_referral_ad' : content.sourceType === 'post' ? 'inbound_referral_post' : 'inbound_referral';
			const what = [content.headline, content.body].filter(Boolean).join(' — ');
			return [`📣 ${t(key)}${what ? `: ${what}` : ''}`, ...(content.sourceUrl ? [content.sourceUrl] : [])].join('\n');
		}
		case 'reaction':
			return content.emoji ? t('inbound_reaction', { emoji: content.emoji }) : t('inbound_reaction_removed');
		case 'edit':
			return `✏️ ${t('inbound_edited')}: ${content.text}`;
		case 'delete':
			return `🗑️ ${t('inbound_deleted')}`;
		case 'marker': {
			// A file's marker names the file and keeps its caption (the customer's words are not lost).
			const text = content.marker === 'file-too-large' && content.fileName ? t('inbound_marker_file_too_large_named', { name: content.fileName }) : t(markerKeys[content.marker]);
			return `⚠️ ${text}${content.caption ? `\n${content.caption}` : ''}`;
		}
		case 'unsupported':
			return `⚠️ ${content.reason === 'unreadable' ? t('inbound_unreadable') : t('inbound_unsupported', { type: content.type })}${content.detail ? ` (${content.detail})` : ''}`;
	}
}

const buttonKeys: Record<Exclude<MessageButton['action'], 'reply'>, string> = { copy: 'inbound_button_copy', call: 'inbound_button_call', url: 'inbound_button_url' };

/** Header (bold), body, footer (italic), then each button with what it does: the code it copies, the phone it calls, the URL it opens. */
function renderButtons(c: Extract<InboundContent, { kind: 'buttons' }>): string {
	const lines: string[] = [];
	if (c.header) lines.push(`*${c.header}*`);
	if (c.body) lines.push(c.body);
	if (c.footer) lines.push(`_${c.footer}_`);
	if (c.buttons.length) {
		lines.push(`🔘 ${t('inbound_buttons', { count: c.buttons.length })}:`);
		for (const b of c.buttons) {
			const what = b.action !== 'reply' && b.value ? ` — ${t(buttonKeys[b.action], { value: b.value })}` : '';
			lines.push(`• ${b.text}${what}`);
		}
	}
	return lines.join('\n');
}

function orderLine(i: OrderItem): string {
	return `• ${i.productId} × ${i.quantity}${i.price !== undefined ? ` — ${i.price}${i.currency ? ` ${i.currency}` : ''}` : ''}`;
}

/** The sum, when there is more than one piece and every item has a price in one currency. */
function orderTotal(items: OrderItem[]): string[] {
	const currencies = new Set(items.map((i) => i.currency));
	if (items.length === 0 || (items.length === 1 && items[0].quantity === 1) || items.some((i) => i.price === undefined) || currencies.size !== 1) return [];
	const total = items.reduce((sum, i) => sum + (i.price as number) * i.quantity, 0);
	const [currency] = [...currencies];
	return [t('inbound_order_total', { total: `${Math.round(total * 100) / 100}${currency ? ` ${currency}` : ''}` })];
}

/** A quote block for replies whose quoted message is not (or no longer) in the room. */
export function renderQuote(quotedText: string | undefined): string {
	if (!quotedText) return `> ${t('inbound_quote_unknown')}\n`;
	const lines = quotedText.split('\n').slice(0, 4);
	return `${lines.map((l) => `> ${l}`).join('\n')}\n`;
}

/** In bridged group chats, who in the group wrote. */
export function senderPrefix(msg: InboundMessage): string {
	return msg.isGroup ? `*${msg.sender.name}*${msg.groupName ? ` (${msg.groupName})` : ''}: ` : '';
}

export function quoteLink(siteUrl: string, roomId: string, messageId: string): string {
	return `[ ](${siteUrl.replace(/\/$/, '')}/live/${roomId}?msg=${messageId}) `;
}

/** A size as people read it in a note ("40.5 MB", "900 kB", "512 bytes"). */
export function megabytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
	return bytes >= 1024 ? `${Math.round(bytes / 1024)} kB` : `${bytes} bytes`;
}
