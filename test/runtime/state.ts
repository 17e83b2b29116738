// The in-memory Rocket.Chat: plain collections tests can assert on, an effect log, a bridge-call counter,
// a clock, and RC's converters (stored record -> the Apps-Engine shape the app receives).
import { randomBytes } from 'crypto';

export type UserType = 'user' | 'app' | 'bot';
export interface StoredUser {
	id: string; username: string; name: string; roles: string[]; status: 'online' | 'offline' | 'away' | 'busy';
	type: UserType; departmentIds: string[]; active: boolean; appId?: string; createdAt: Date; updatedAt: Date;
	/** Omnichannel availability of an agent (RC sets 'available' when a user becomes an agent); routing needs it */
	statusLivechat?: 'available' | 'not-available';
}
export interface StoredVisitor {
	id: string; token: string; username: string; name?: string; phone?: Array<{ phoneNumber: string }>;
	visitorEmails?: Array<{ address: string }>; department?: string; status: string; livechatData?: Record<string, unknown>;
	createdAt: Date; updatedAt: Date;
	/** set by removeVisitorData (RC's removeGuest -> disableById: token, phone, name, ... unset; '' here) */
	disabled?: boolean;
}
export interface StoredDepartment {
	id: string; name: string; enabled: boolean; createdAt: Date; updatedAt: Date;
	/** where a room goes when this department has no available agent (QueueManager getDepartment) */
	fallbackForwardDepartment?: string;
	/** closeRoom's resolveChatTags: closing needs tags; with no chatClosingTags configured every close without the
	 *  client's tag form (an app's, a visitor's) throws error-tags-must-be-assigned-before-closing-chat */
	requestTagBeforeClosingChat?: boolean; chatClosingTags?: string[];
	/** shown on the registration form: getRequiredDepartment picks only those (default true) */
	showOnRegistration?: boolean;
}
export interface RoomSource { type: string; id?: string; alias?: string; label?: string; sidebarIcon?: string; defaultIcon?: string; destination?: string }
export interface StoredRoom {
	id: string; type: 'l' | 'c' | 'p' | 'd'; name?: string; displayName?: string; memberIds: string[]; creatorId?: string;
	// livechat only
	isOpen?: boolean; visitorId?: string; visitorToken?: string; departmentId?: string; servedBy?: { id: string; username: string }; queued?: boolean;
	source?: RoomSource; customFields?: Record<string, unknown>; livechatData?: Record<string, unknown>;
	closedAt?: Date; closer?: 'user' | 'visitor'; closedById?: string; closeComment?: string;
	/** RC 7+ contact verification required: created but not queued, no agent can take it */
	contactVerificationPending?: boolean;
	messageCount: number; createdAt: Date; updatedAt: Date; lastMessageAt?: Date;
}
export interface MessageSender { id: string; username: string; name?: string; type: UserType | 'visitor' }
export interface StoredFile { _id: string; name: string; type: string; size?: number; format?: string; typeGroup?: string }
export interface StoredMessage {
	id: string; rid: string; text: string; sender: MessageSender; createdAt: Date; updatedAt: Date;
	/** visitor token: set on every message sent by a livechat visitor (RC's isMessageFromVisitor). */
	token?: string; alias?: string; emoji?: string; avatarUrl?: string; groupable?: boolean; parseUrls?: boolean;
	attachments?: any[]; blocks?: any[]; customFields?: Record<string, unknown>; threadId?: string;
	file?: StoredFile; files?: StoredFile[];
	/** system message type ('livechat-started', 'livechat-close', ...); undefined for normal messages */
	type?: string;
	/** `_hidden` (Message_KeepHistory keeps old versions hidden): never read back by RoomBridge.getMessages */
	hidden?: boolean;
	editedAt?: Date; editor?: { id: string; username: string };
	/** RC's message.reactions: shortcode (`:thumbsup:`) -> who reacted */
	reactions?: Record<string, { usernames: string[] }>;
	/** who created it: through a bridge call of the app, or the test harness acting as a user/visitor */
	origin: 'app' | 'harness' | 'system';
}
export interface StoredUpload {
	id: string; name: string; size: number; type: string; extension: string; rid: string; userId?: string; visitorToken?: string; bytes: Buffer;
	path: string; url: string; etag: string; uploadedAt: Date; updatedAt: Date;
	/** id of the file message posted for it; undefined when RC stored the file but posted nothing */
	messageId?: string; origin: 'app' | 'harness';
}
export interface PersistenceRecord { _id: string; appId: string; associations: Array<{ model: string; id: string }>; data: any }
export interface StoredJob {
	/** Mongo-like ObjectId (24 hex), what RC returns and passes to the processor as jobContext.jobId */
	id: string; name: string; processorId: string; appId: string; type: 'onetime' | 'recurring';
	nextRunAt: Date | null; interval?: string | number; intervalMs?: number; data: any; createdAt: Date;
	lastRunAt?: Date; runCount: number; lastError?: string;
	/** set while a runDueJobs() pass runs it (Agenda's lock: another node's pass skips it) */
	lockedAt?: Date;
}
export interface JobRun { seq: number; jobId: string; processorId: string; at: Date; ok: boolean; error?: string }
export interface Notice { id: string; kind: 'user' | 'room'; userId?: string; roomId?: string; text?: string; attachments?: any[]; blocks?: any[]; message: any; at: Date }
export interface Effect { seq: number; kind: string; [k: string]: unknown }

export class CallCounter {
	total = 0;
	byMethod: Record<string, number> = {};
	/** app -> host JSON-RPC round trips (bridge calls plus accessor calls that need no bridge) */
	rpc = 0;
	/** app -> host requests the host is handling now */
	inFlight = 0;
	/** told of each app -> host request once answered, with its arrival and the moment its answer was written back
	 *  (performance.now()): the bench attributes host time to the message in flight */
	onTimed?: (method: string, start: number, end: number) => void;
	count(name: string): void {
		this.total++;
		this.byMethod[name] = (this.byMethod[name] || 0) + 1;
	}
	timed(method: string, start: number, end: number): void {
		this.inFlight--;
		this.onTimed?.(method, start, end);
	}
	reset(): void {
		this.total = 0;
		this.byMethod = {};
		this.rpc = 0;
	}
	snapshot(): { total: number; byMethod: Record<string, number>; rpc: number } {
		return { total: this.total, byMethod: { ...this.byMethod }, rpc: this.rpc };
	}
}

export const randomId = (n = 17): string => {
	const chars = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
	return Array.from(randomBytes(n), (b) => chars[b % chars.length]).join('');
};
export const objectId = (): string => randomBytes(12).toString('hex');

/** Meteor.Error as the app sees it through the bridge: message `reason [error]`. */
export function meteorError(error: string, reason?: string): Error {
	return Object.assign(new Error(reason ? `${reason} [${error}]` : `[${error}]`), { error });
}
export function notImplemented(bridge: string, method: string): never {
	throw new Error(`${bridge}.${method}: not implemented by the test runtime`);
}

/** Deep copy keeping Dates and Buffers (what Mongo/BSON would give back), dropping functions and undefined. */
export function clone<T>(v: T): T {
	if (v === null || typeof v !== 'object') return v;
	if (v instanceof Date) return new Date(v.getTime()) as any;
	if (Buffer.isBuffer(v)) return Buffer.from(v) as any;
	if (v instanceof Uint8Array) return Buffer.from(v) as any;
	if (Array.isArray(v)) return v.map((x) => clone(x)) as any;
	const out: any = {};
	for (const [k, x] of Object.entries(v as any)) if (x !== undefined && typeof x !== 'function') out[k] = clone(x);
	return out;
}

/**
 * What differs between the Rocket.Chat versions the engines of the matrix ship with (set by the harness from the
 * engine in use; the defaults are the newest). `contacts`: Rocket.Chat 7+ contacts (a blocked contact channel,
 * contact verification); `roomSourceDestination`: IOmnichannelSourceApp.destination (not in engine 1.46.0 / RC 6.13).
 */
export interface RcPlatform {
	contacts: boolean; roomSourceDestination: boolean;
	/** the message converter maps `t` → `type` and `files` (not on RC 6.13 / engine 1.46.0) */
	messageType: boolean; messageFiles: boolean;
	/** app endpoint body limit (router.ts): 100 kB from RC 7.0, 50 MB on 6.13 */
	endpointBodyLimitBytes: number;
}
export interface RcOptions { siteUrl?: string; acceptChatsWithNoAgents?: boolean; maxUploadBytes?: number; platform?: Partial<RcPlatform> }

export class RcState {
	appId = '';
	appName = '';
	appNameSlug = '';
	siteUrl: string;
	acceptChatsWithNoAgents: boolean;
	readonly platform: RcPlatform;
	/** Enterprise licence over its monthly-active-contacts cap, for contacts not yet counted this month (harness switch):
	 *  non-visitor messages into omnichannel rooms throw error-mac-limit-reached (BeforeSaveCheckMAC) */
	macLimitReached = false;
	/** Agenda cannot write its job (its database down): the scheduler bridge logs the error and returns undefined */
	schedulerDown = false;
	/** Administration → Custom Emoji (EmojiCustom: name and aliases, without colons) */
	customEmoji: Array<{ name: string; aliases: string[] }> = [];
	/** visitor ids whose contact channel (visitor + app source) an agent blocked (RC 7+, LivechatContacts.isChannelBlocked) */
	blockedContacts = new Set<string>();
	/** Livechat_Require_Contact_Verification with a verification app (RC 7+): new rooms of unverified contacts are not
	 *  queued, no agent can take them (QueueManager.requestRoom, shouldTriggerVerificationApp) */
	requireContactVerification = false;
	/** The licence module `outbound-messaging` (harness switch; most workspaces lack it): without it Rocket.Chat refuses
	 *  outbound-message providers (bridges/platform.ts TestOutboundMessageBridge) */
	outboundMessagingLicence = false;

	users: StoredUser[] = [];
	visitors: StoredVisitor[] = [];
	departments: StoredDepartment[] = [];
	/** rooms created after start (livechat rooms, rooms the app or the test created) */
	rooms: StoredRoom[] = [];
	/** rooms every workspace has from the start (#general), kept apart so `rooms` only shows what the test caused */
	builtinRooms: StoredRoom[] = [];
	messages: StoredMessage[] = [];
	uploads: StoredUpload[] = [];
	persistence: PersistenceRecord[] = [];
	jobs: StoredJob[] = [];
	jobRuns: JobRun[] = [];
	/** processorId (`<id>_<appId>`) -> the function the engine handed to registerProcessors */
	processors = new Map<string, (ctx: any) => Promise<void>>();
	notices: Notice[] = [];
	effects: Effect[] = [];
	commands = new Map<string, { appId: string; command: any; enabled: boolean }>();
	apis: Array<{ appId: string; path: string; computedPath: string; methods: string[]; authRequired?: boolean }> = [];
	/** login token -> user id (X-Auth-Token of REST calls; see uikit.ts authenticatedUser) */
	loginTokens = new Map<string, string>();
	/** what apps sent to one user's client through the UiInteractionBridge (modals opened, updated, errors) */
	uiInteractions: Array<{ userId: string; interaction: any; at: Date }> = [];
	appStatus?: string;
	/** Omnichannel > Custom Fields definitions (id -> scope); setCustomFields throws for others */
	livechatCustomFields = new Map<string, 'visitor' | 'room'>();
	serverSettings = new Map<string, { id: string; value: unknown; packageValue: unknown; type: string; public: boolean }>();
	envVars: Record<string, string>;
	calls = new CallCounter();
	clockOffsetMs = 0;
	/**
	 * The app's own Date.now() (inside Deno) is real time and does not move with advanceClock(). When true, a Date the
	 * app passes to scheduleOnce is read as "that far from the app's now": the current clock offset is added, so a
	 * backoff of N ms fires N ms of harness time after it was scheduled, however far the clock was advanced before.
	 * Off by default (then any job the app schedules after a large advanceClock() is due at once).
	 */
	shiftAppDates = false;
	private seq = 0;
	private guestN = 0;
	/** Fires an Apps-Engine event at the app (set by the harness; tests without an engine only get the effect). */
	eventSink: (int: string, payload: unknown) => void = () => undefined;

	constructor(opts: RcOptions = {}) {
		this.siteUrl = (opts.siteUrl ?? 'http://rc.test').replace(/\/$/, '');
		this.acceptChatsWithNoAgents = opts.acceptChatsWithNoAgents ?? false;
		this.platform = { contacts: true, roomSourceDestination: true, messageType: true, messageFiles: true, endpointBodyLimitBytes: 100 * 1024, ...opts.platform };
		const s = (id: string, value: unknown, type = 'string', packageValue = value) => this.serverSettings.set(id, { id, value, packageValue, type, public: true });
		s('Site_Url', this.siteUrl);
		s('Site_Name', 'Rocket.Chat');
		s('Language', 'en');
		s('Livechat_enabled', true, 'boolean');
		s('Livechat_Routing_Method', 'Auto_Selection');
		s('Livechat_assign_new_conversation_to_bot', false, 'boolean');
		s('Livechat_request_comment_when_closing_conversation', false, 'boolean');
		s('FileUpload_MaxFileSize', opts.maxUploadBytes ?? 104857600, 'int', 104857600);
		s('FileUpload_Enabled', true, 'boolean');
		s('FileUpload_Enabled_Direct', true, 'boolean');
		s('FileUpload_MediaTypeBlackList', 'image/svg+xml');
		s('FileUpload_MediaTypeWhiteList', '');
		s('Message_MaxAllowedSize', 5000, 'int');
		s('Message_CustomFields_Enabled', false, 'boolean');
		this.envVars = { NODE_ENV: 'production', ROOT_URL: this.siteUrl, INSTANCE_IP: '127.0.0.1' };
	}

	// ---- clock & log ----
	/** Harness clock: real time plus whatever advanceClock() added. All host-side timestamps use it. */
	now(): Date {
		return new Date(Date.now() + this.clockOffsetMs);
	}
	effect(kind: string, details: Record<string, unknown> = {}): Effect {
		const e = { seq: ++this.seq, kind, ...details };
		this.effects.push(e);
		return e;
	}
	fire(int: string, payload: unknown, ref: Record<string, unknown> = {}): void {
		this.effect('event', { interface: int, ...ref });
		this.eventSink(int, payload);
	}
	/** Changes a server setting as an admin would (Administration > Workspace > Settings). */
	setServerSetting(id: string, value: unknown): void {
		const s = this.serverSettings.get(id);
		if (!s) throw new Error(`RcState: unknown server setting ${id}`);
		s.value = value;
		this.effect('server-setting.changed', { settingId: id, value });
	}
	/** FileUpload_MaxFileSize (-1: no limit) */
	get maxUploadBytes(): number {
		return Number(this.serverSettings.get('FileUpload_MaxFileSize')!.value);
	}
	set maxUploadBytes(v: number) {
		this.serverSettings.get('FileUpload_MaxFileSize')!.value = v;
	}
	nextGuestUsername(): string {
		return `guest-${++this.guestN}`;
	}
	/** A server setting record (Livechat_accept_chats_with_no_agents mirrors the harness flag). */
	serverSetting(id: string): { id: string; value: unknown; packageValue: unknown; type: string; public: boolean } | undefined {
		if (id === 'Livechat_accept_chats_with_no_agents') return { id, value: this.acceptChatsWithNoAgents, packageValue: false, type: 'boolean', public: true };
		return this.serverSettings.get(id);
	}

	// ---- lookups ----
	user(id?: string): StoredUser | undefined {
		return id ? this.users.find((u) => u.id === id) : undefined;
	}
	userByUsername(username: string): StoredUser | undefined {
		return this.users.find((u) => u.username === username);
	}
	appUser(appId = this.appId): StoredUser | undefined {
		return this.users.find((u) => u.type === 'app' && u.appId === appId);
	}
	visitorByToken(token?: string): StoredVisitor | undefined {
		return token ? this.visitors.find((v) => v.token === token && !v.disabled) : undefined;
	}
	visitor(id?: string): StoredVisitor | undefined {
		return id ? this.visitors.find((v) => v.id === id) : undefined;
	}
	room(id?: string): StoredRoom | undefined {
		return id ? this.rooms.find((r) => r.id === id) ?? this.builtinRooms.find((r) => r.id === id) : undefined;
	}
	department(idOrName?: string): StoredDepartment | undefined {
		return idOrName ? this.departments.find((d) => d.id === idOrName) ?? this.departments.find((d) => d.name === idOrName) : undefined;
	}
	message(id?: string): StoredMessage | undefined {
		return id ? this.messages.find((m) => m.id === id) : undefined;
	}
	roomMessages(roomId: string, opts: { includeSystem?: boolean } = {}): StoredMessage[] {
		return this.messages.filter((m) => m.rid === roomId && (opts.includeSystem || !m.type));
	}
	isAgent(u?: StoredUser): boolean {
		return !!u && u.roles.includes('livechat-agent');
	}

	// ---- converters: stored record -> Apps-Engine object, as RC's converters build them ----
	toAppUser(u?: StoredUser): any {
		if (!u) return undefined;
		return {
			id: u.id, username: u.username, name: u.name, emails: [], type: u.type, isEnabled: u.active, roles: [...u.roles],
			status: u.status, statusConnection: u.status === 'offline' ? 'offline' : 'online', utcOffset: 0,
			createdAt: u.createdAt, updatedAt: u.updatedAt, lastLoginAt: u.updatedAt, ...(u.appId && { appId: u.appId }),
		};
	}
	toAppVisitor(v?: StoredVisitor): any {
		if (!v) return undefined;
		if (v.disabled) return clone({ id: v.id, updatedAt: v.updatedAt }); // what disableById leaves
		return clone({
			id: v.id, token: v.token, username: v.username, name: v.name ?? v.username, department: v.department, phone: v.phone,
			visitorEmails: v.visitorEmails, status: v.status, livechatData: v.livechatData, updatedAt: v.updatedAt,
		});
	}
	toAppDepartment(d?: StoredDepartment): any {
		if (!d) return undefined;
		const numberOfAgents = this.users.filter((u) => this.isAgent(u) && u.departmentIds.includes(d.id)).length;
		return { id: d.id, name: d.name, enabled: d.enabled, updatedAt: d.updatedAt, numberOfAgents, showOnOfflineForm: false, showOnRegistration: d.showOnRegistration ?? true };
	}
	toAppRoom(r?: StoredRoom): any {
		if (!r) return undefined;
		const base: any = {
			id: r.id, displayName: r.displayName, slugifiedName: r.name, type: r.type, creator: this.toAppUser(this.user(r.creatorId)),
			userIds: [...r.memberIds], isDefault: false, isReadOnly: false, displaySystemMessages: true, messageCount: r.messageCount,
			createdAt: r.createdAt, updatedAt: r.updatedAt, lastModifiedAt: r.lastMessageAt ?? r.updatedAt, customFields: r.customFields,
		};
		if (r.type !== 'l') return clone(base);
		const last = [...this.messages].reverse().find((m) => m.rid === r.id && !m.type);
		return clone({
			// converters/rooms.ts convertRoom: `open` → isOpen, `v` → visitor plus visitorChannelInfo (phone, lastMessageTs when set)
			...base, isOpen: !!r.isOpen, visitor: this.toAppVisitor(this.visitor(r.visitorId)), ...(r.visitorId && { visitorChannelInfo: {} }), department: this.toAppDepartment(this.department(r.departmentId)),
			servedBy: this.toAppUser(this.user(r.servedBy?.id)), source: r.source, livechatData: r.livechatData,
			isWaitingResponse: last?.sender.type === 'visitor', closedAt: r.closedAt, closer: r.closer,
			closedBy: r.closer === 'user' ? this.toAppUser(this.user(r.closedById)) : undefined,
		});
	}
	/** The sender RC builds for a message: the full user for users; for visitor messages (token set) a user built from `u` (type 'unknown'). */
	toAppSender(m: StoredMessage): any {
		if (m.sender.type === 'visitor') return { id: m.sender.id, username: m.sender.username, name: m.sender.name, emails: [], type: 'unknown', roles: [], status: 'online', isEnabled: true };
		return this.toAppUser(this.user(m.sender.id)) ?? { id: m.sender.id, username: m.sender.username, name: m.sender.name, type: 'unknown' };
	}
	toAppMessage(m?: StoredMessage): any {
		if (!m) return undefined;
		const out: any = {
			id: m.id, room: this.toAppRoom(this.room(m.rid)), sender: this.toAppSender(m), text: m.text, createdAt: m.createdAt, updatedAt: m.updatedAt,
			editedAt: m.editedAt, editor: m.editor && this.toAppUser(this.user(m.editor.id)), alias: m.alias, emoji: m.emoji, avatarUrl: m.avatarUrl,
			groupable: m.groupable, parseUrls: m.parseUrls, attachments: m.attachments, blocks: m.blocks, customFields: m.customFields,
			threadId: m.threadId, token: m.token, file: m.file, reactions: m.reactions,
			// converters/messages: `t` → type and `files` only where the RC of the engine maps them (not 6.13)
			...(this.platform.messageFiles && { files: m.files }), ...(this.platform.messageType && { type: m.type }),
		};
		return clone(out);
	}
	toAppUpload(u?: StoredUpload): any {
		if (!u) return undefined;
		return clone({
			id: u.id, name: u.name, size: u.size, type: u.type, extension: u.extension, etag: u.etag, path: u.path, url: u.url,
			progress: 1, uploading: false, complete: true, store: 'GridFS:Uploads', updatedAt: u.updatedAt, uploadedAt: u.uploadedAt,
			room: this.toAppRoom(this.room(u.rid)), visitor: this.toAppVisitor(this.visitorByToken(u.visitorToken)), user: this.toAppUser(this.user(u.userId)),
		});
	}
}
