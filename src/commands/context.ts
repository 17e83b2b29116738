import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';

// What every `/whatsapp` subcommand gets, and the small helpers they share (no subcommand imports another).

export type Role = 'admin' | 'manager' | 'agent';

/** Who may run what: admins everything, managers status, agents info/help. */
export function hasRole(roles: string[] | undefined, needed: Role): boolean {
	const r = roles || [];
	if (r.includes('admin')) return true;
	if (needed === 'manager') return r.includes('livechat-manager');
	if (needed === 'agent') return r.includes('livechat-manager') || r.includes('livechat-agent');
	return false;
}

export interface CommandContext {
	args: string[];
	ctx: SlashCommandContext;
	read: IRead;
	modify: IModify;
	http: IHttp;
	persis: IPersistence;
	/** Answers the caller privately. */
	reply(text: string): Promise<void>;
}

export function maskPhone(phone: string | undefined): string {
	if (!phone) return '—';
	return phone.length <= 6 ? '***' : `${phone.slice(0, 4)}***${phone.slice(-3)}`;
}

export { formatUtc as when } from '../core/clock';
