// UserBridge (the app user is created by the engine on install through create()) and RoleBridge.
import { RoleBridge } from '@rocket.chat/apps-engine/server/bridges/RoleBridge';
import { UserBridge } from '@rocket.chat/apps-engine/server/bridges/UserBridge';
import { notImplemented, randomId, RcState, StoredUser } from '../state';

const BUILTIN_ROLES: Array<[string, 'Users' | 'Subscriptions']> = [
	['admin', 'Users'], ['user', 'Users'], ['bot', 'Users'], ['app', 'Users'], ['guest', 'Users'], ['anonymous', 'Users'],
	['livechat-agent', 'Users'], ['livechat-manager', 'Users'], ['livechat-monitor', 'Users'], ['owner', 'Subscriptions'], ['moderator', 'Subscriptions'], ['leader', 'Subscriptions'],
];

export function addUser(rc: RcState, p: Partial<StoredUser> & { username: string }, silent = false): StoredUser {
	if (rc.userByUsername(p.username)) throw new Error(`Username is already in use: ${p.username}`);
	const now = rc.now();
	const u: StoredUser = { id: randomId(), name: p.username, roles: ['user'], status: 'offline', type: 'user', departmentIds: [], active: true, createdAt: now, updatedAt: now, ...p };
	// RC's addAgent: a user who becomes an agent is set available for Omnichannel (Users.setLivechatStatus)
	if (u.roles.includes('livechat-agent') && !u.statusLivechat) u.statusLivechat = 'available';
	rc.users.push(u);
	if (!silent) rc.effect('user.created', { userId: u.id, username: u.username, type: u.type, roles: u.roles });
	return u;
}

export class TestUserBridge extends UserBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	public async getById(id: string): Promise<any> {
		return this.rc.toAppUser(this.rc.user(id));
	}
	public async getByUsername(username: string): Promise<any> {
		return this.rc.toAppUser(this.rc.userByUsername(username));
	}
	public async getAppUser(appId?: string): Promise<any> {
		return this.rc.toAppUser(this.rc.appUser(appId));
	}
	public async getActiveUserCount(): Promise<number> {
		return this.rc.users.filter((u) => u.active && u.type === 'user').length;
	}
	protected async getUserUnreadMessageCount(): Promise<number> {
		return notImplemented('UserBridge', 'getUserUnreadMessageCount');
	}
	public async getUserRoomIds(userId: string): Promise<string[]> {
		return this.rc.rooms.filter((r) => r.memberIds.includes(userId)).map((r) => r.id);
	}
	public async create(data: any, appId: string): Promise<string> {
		const type = data.type === 'app' || data.type === 'bot' ? data.type : 'user';
		const u = addUser(this.rc, {
			username: data.username, name: data.name ?? data.username, roles: data.roles ?? (type === 'app' ? ['app'] : ['bot']), type,
			status: data.status ?? 'online', active: data.isEnabled ?? true, appId: data.appId ?? appId,
		});
		return u.id;
	}
	public async remove(user: any): Promise<boolean> {
		const before = this.rc.users.length;
		this.rc.users = this.rc.users.filter((u) => u.id !== user?.id);
		return this.rc.users.length < before;
	}
	public async update(user: any, updates: any): Promise<boolean> {
		const u = this.rc.user(user?.id);
		if (!u) throw new Error('User not found');
		for (const k of ['name', 'status', 'roles'] as const) if (updates[k] !== undefined) (u as any)[k] = updates[k];
		u.updatedAt = this.rc.now();
		return true;
	}
	public async deleteUsersCreatedByApp(appId: string, type: string): Promise<boolean> {
		this.rc.users = this.rc.users.filter((u) => !(u.appId === appId && u.type === type));
		return true;
	}
	protected async deactivate(): Promise<boolean> {
		return notImplemented('UserBridge', 'deactivate');
	}
}

export class TestRoleBridge extends RoleBridge {
	public async getOneByIdOrName(idOrName: string): Promise<any> {
		const r = BUILTIN_ROLES.find(([id]) => id === idOrName);
		return r ? { id: r[0], name: r[0], description: '', mandatory2fa: false, protected: true, scope: r[1] } : null;
	}
	/** Custom roles are an Enterprise feature; a fresh workspace has none. */
	public async getCustomRoles(): Promise<any[]> {
		return [];
	}
}
