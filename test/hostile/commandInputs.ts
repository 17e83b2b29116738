// Generated hostile `/whatsapp` argument lists, by role. None may change state: the lists never
// name the connected instance for a destructive subcommand, and an `instance add` that would reach a provider
// is pointed at the fake GREEN-API (the only host the suite allows) with credentials the fake refuses.
import { CONTROL_CHARS, PROTOTYPE_NAMES } from './webhookInputs';
import { Prng } from './prng';

export type Role = 'admin' | 'manager' | 'agent' | 'plain';

export interface CommandCase {
	role: Role;
	args: string[];
	/** Run in the customer's WhatsApp room instead of #general. */
	inWhatsAppRoom?: boolean;
}

export interface CommandContext {
	instanceId: string;
	apiToken: string;
	/** The fake GREEN-API's hosts: the only ones an `instance add` may name. */
	apiUrl: string;
	mediaUrl: string;
}

export const ROLES: Record<Role, string[]> = {
	admin: ['admin', 'user'],
	manager: ['livechat-manager', 'user'],
	agent: ['livechat-agent', 'user'],
	plain: ['user'],
};

/** Words no subcommand expects. ('undefined' and 'null' are left out: an echo of them would read like a bug.) */
const WORDS = [
	...PROTOTYPE_NAMES, '__proto__', '', ' ', '\u0000', '\u202eniamod', '<script>alert(1)</script>', '**bold**', '[link](https://evil.example)', '@all', '@here', '#general',
	'```', '${7*7}', '{{7*7}}', '%00', '../../etc/passwd', 'DROP TABLE users;', '-1', '0', '1e309', 'NaN', '0x10', '１２３４５', '٧٩٠٠', '😀', 'x'.repeat(10_000),
	'HELP', 'Instance', 'STATUS', 'help\u0000', 'instance\u200b', 'status\n', '-', '--', '--help', '/whatsapp',
];

export class CommandInputs {
	constructor(private readonly rng: Prng, private readonly ctx: CommandContext) {}

	/** `perRole` lists for each role. */
	all(perRole: number): CommandCase[] {
		const out: CommandCase[] = [];
		for (const role of Object.keys(ROLES) as Role[]) {
			const fixed = this.fixed(role);
			for (const args of fixed) out.push({ role, args });
			for (let i = fixed.length; i < perRole; i++) out.push({ role, args: this.random(), inWhatsAppRoom: this.rng.chance(0.2) });
		}
		return out;
	}

	private word(): string {
		let w = this.rng.pick(WORDS);
		if (this.rng.chance(0.2)) w = this.rng.insert(w, this.rng.pick(CONTROL_CHARS));
		return w;
	}

	/** Ids that are not the connected instance, of every shape. */
	private bogusId(): string {
		return this.rng.pick(['1101000002', '0', '123', '99999999999999999999999', '-1101000001', `${this.ctx.instanceId}x`, ` ${this.ctx.instanceId}0`, '１１０１', 'constructor', '__proto__', '1e10', this.word()]);
	}

	/** Each Object.prototype name in each position, and the subcommands with hostile arguments. */
	private fixed(role: Role): string[][] {
		const lists: string[][] = [];
		for (const name of [...PROTOTYPE_NAMES, '__proto__']) {
			lists.push([name], ['instance', name], ['status', name], ['info', name], ['buttons', name], ['list', name]);
		}
		lists.push(
			[], [''], ['', '', 'help'], ['instance'], ['instance', ''], ['instance', 'add'], ['instance', 'add', '', ''], ['instance', 'remove'], ['instance', 'qr'],
			['instance', 'department'], ['instance', 'department', this.ctx.instanceId], ['instance', 'department', this.ctx.instanceId, '\u0000'],
			['instance', 'department', this.ctx.instanceId, 'constructor'], ['instance', 'department', this.ctx.instanceId, '<b>Support</b>'],
			['instance', 'remove', '__proto__'], ['instance', 'remove', '1101000002'], ['instance', 'qr', 'constructor', 'here'], ['instance', 'qr', '1101000002', 'here'],
			// Valid-looking adds, pointed at the fake provider, with credentials it refuses: nothing is stored, no token echoed.
			['instance', 'add', '1101000009', this.ctx.apiToken, '-', this.ctx.apiUrl, this.ctx.mediaUrl],
			['instance', 'add', '1101000009', 'wrong-token-123', 'constructor', this.ctx.apiUrl, this.ctx.mediaUrl],
			['instance', 'add', this.ctx.instanceId, this.ctx.apiToken, '-', this.ctx.apiUrl, this.ctx.mediaUrl],
			// Shapes refused before any request: bad ids, short tokens, garbage URLs.
			['instance', 'add', 'constructor', this.ctx.apiToken], ['instance', 'add', '１１０１０００００９', this.ctx.apiToken], ['instance', 'add', '1101000009', 'short'],
			['instance', 'add', 'x', 'y', 'z', 'javascript:alert(1)', 'file:///etc/passwd'],
			['status', '--all'], ['help', 'me'], ['info'],
			// Interactive sends that are not one: no question, no rows, prototype names as parts.
			['buttons', '|', '|'], ['buttons', '__proto__', '|'], ['list', '__proto__', '|', 'constructor'], ['list', '\u0000', '|', '|', '|'],
		);
		// Only non-admins may try this one (for an admin it re-applies the webhook settings, a legitimate change).
		if (role !== 'admin') lists.push(['instance', 'sync-url'], ['instance', 'list'], ['instance', 'remove', this.ctx.instanceId], ['instance', 'qr', this.ctx.instanceId, 'here']);
		return lists;
	}

	private random(): string[] {
		const n = this.rng.int(0, 5);
		const head = this.rng.pick(['instance', 'status', 'info', 'help', this.word(), this.word()]);
		const args = [head];
		if (head === 'instance') {
			const action = this.rng.pick(['add', 'remove', 'department', 'qr', 'list', this.word()]);
			args.push(action);
			if (action === 'add') {
				// Never a valid id with a long token and no fake URL: that would reach the real provider.
				args.push(this.rng.pick(['constructor', 'x', '12', this.word()]), this.rng.pick(['short', this.word()]));
			} else if (action === 'remove' || action === 'qr' || action === 'department') {
				args.push(this.bogusId());
				// `instance department <id> -` clears a department: a bare '-' never goes there.
				if (action === 'department') {
					const department = this.word();
					args.push(department === '-' ? 'x' : department);
				}
				if (action === 'qr' && this.rng.chance(0.5)) args.push('here');
			}
		}
		for (let i = 0; i < n; i++) args.push(this.word());
		return args;
	}
}
