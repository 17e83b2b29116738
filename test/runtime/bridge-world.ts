// An in-memory Rocket.Chat with the bridges called directly (no engine, no Deno): the app user, a department and an
// online agent, for the contract tests of bridges.test.ts and rc-rules.test.ts.
import { TestBridges } from './bridges';
import { addUser } from './bridges/users';
import { RcState } from './state';

export const APP = 'app-1';
export function world(opts: ConstructorParameters<typeof RcState>[0] = {}) {
	const rc = new RcState(opts);
	Object.assign(rc, { appId: APP, appName: 'GREEN-API WhatsApp Bridge', appNameSlug: 'green-api-whatsapp-bridge' });
	const b = new TestBridges(rc);
	const appUser = addUser(rc, { username: 'bridge.bot', type: 'app', roles: ['app'], status: 'online', appId: APP });
	const dep = { id: 'dep1', name: 'Support', enabled: true, createdAt: rc.now(), updatedAt: rc.now() };
	rc.departments.push(dep);
	const agent = addUser(rc, { username: 'agent', roles: ['user', 'livechat-agent'], status: 'online', departmentIds: [dep.id] });
	return { rc, b, appUser, agent, dep };
}
/** What the engine's Deno runtime hands the bridge for a livechat message: the token taken from the visitor
 *  (ModifyCreator._finishLivechatMessage). */
export const livechatMessage = (m: { room: any; visitor: any; text: string }) => ({ ...m, token: m.visitor.token }) as any;
export const visitorIn = (token: string, phone?: string, extra: Record<string, unknown> = {}) => ({ token, username: '', name: 'Anna', ...(phone && { phone: [{ phoneNumber: phone }] }), ...extra }) as any;

