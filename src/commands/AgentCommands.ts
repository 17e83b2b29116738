import { coreDeps } from '../compose';
import { displayNumber } from '../core/Core';
import { ProviderDirectory } from '../core/ports/provider';
import { serviceWindow } from '../core/serviceWindow';
import { t } from '../i18n/translate';
import { waitingKeys } from '../core/ChatQueue';
import { CommandContext, maskPhone, when } from './context';
import { askForNumber } from '../core/identity';
import { conversationUsage } from '../core/UsageLedger';
import { categoryLines } from './CostCommands';

export class AgentCommands {
	constructor(private readonly appId: string, private readonly providers: ProviderDirectory) {}

	/** The customer behind the current WhatsApp room. */
	public async info(c: CommandContext): Promise<void> {
		const room = c.ctx.getRoom() as { id: string; type: string; source?: { id?: string } };
		const deps = coreDeps(c, this.providers);
		const contact = room.type === 'l' ? await deps.contacts.byRoom(room.id) : undefined;
		if (!contact || (room.source?.id && room.source.id !== this.appId)) return c.reply(t('info_not_whatsapp_room'));
		const instance = await deps.instances.get(contact.instanceId);
		const lastOut = [...contact.links].reverse().find((l) => l.dir === 'out');
		await c.reply([
			t('info_title'),
			`${t('info_customer')}: ${contact.name}`,
			`${t('info_phone')}: ${maskPhone(contact.phone)}`,
			`${t('info_business_number')}: ${displayNumber(instance?.number)} (${contact.instanceId})`,
			`${t('info_started')}: ${when(contact.conversationStartedAt)}`,
			`${t('info_last_received')}: ${when(contact.lastInboundAt)}`,
			`${t('info_last_sent')}: ${when(contact.lastOutboundAt)}`,
			`${t('info_last_delivery')}: ${lastOut ? t(`delivery_state_${lastOut.state || 'pending'}`) : '—'}`,
			...this.windowLine(instance?.provider, contact.lastInboundAt),
			...(waitingKeys(contact, 'out').length ? [`${t('info_waiting')}: ${waitingKeys(contact, 'out').length}`] : []),
			...(contact.marketing ? [`${t('info_marketing')}: ${t(contact.marketing.stopped ? 'info_marketing_stopped' : 'info_marketing_resumed', { since: when(contact.marketing.at) })}`] : []),
			...this.pricingLines(contact),
		].join('\n'));
	}

	/** `/whatsapp ask-number [text]`: asks the room's customer to share their phone number. */
	public async askNumber(c: CommandContext): Promise<void> {
		const room = c.ctx.getRoom() as { id: string; type: string; source?: { id?: string } };
		if (room.type !== 'l' || (room.source?.id && room.source.id !== this.appId)) return c.reply(t('ask_number_not_whatsapp_room'));
		const text = c.args.join(' ').trim() || t('ask_number_prompt');
		const r = await askForNumber(coreDeps(c, this.providers), room.id, text);
		if (r.ok) return c.reply(t('ask_number_sent'));
		if (r.why === 'failed') return c.reply(t('ask_number_failed', { reason: r.detail }));
		if (r.why === 'unsupported') return c.reply(t('ask_number_unsupported', { provider: r.provider ?? '' }));
		return c.reply(t(r.why === 'window-closed' ? 'ask_number_window_closed' : 'ask_number_not_whatsapp_room'));
	}

	/** The conversation's messages by WhatsApp's pricing category (as its statuses told), when any was priced. */
	private pricingLines(contact: Parameters<typeof conversationUsage>[0]): string[] {
		const categories = conversationUsage(contact);
		return categories.length ? [`${t('info_pricing')}:`, ...categoryLines(categories)] : [];
	}

	/** Whether free text can go now (providers with a customer-service window), and until when. */
	private windowLine(provider: string | undefined, lastInboundAt: number | undefined): string[] {
		const capabilities = provider ? this.providers.get(provider)?.capabilities : undefined;
		const window = capabilities ? serviceWindow(capabilities, lastInboundAt, Date.now()) : { applies: false as const };
		if (!window.applies) return [];
		const state = window.open ? t('window_open_until', { until: when(window.until) }) : window.until ? t('window_closed_since', { since: when(window.until) }) : t('window_closed_never');
		return [`${t('info_window')}: ${state}`];
	}
}
