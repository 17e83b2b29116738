// The test runtime itself: the packaged zip really runs in the Apps-Engine AppManager (1.62.0, or the engine GAB_ENGINE
// selects), in its own Deno subprocess, and the runtime leaves nothing behind.
import * as fs from 'fs';
import { AppInterface, AppStatusUtils, ENGINE, TestRocketChat } from '../runtime/TestRocketChat';

/** pids of processes whose command line mentions `needle` (Linux /proc). */
function processesMentioning(needle: string): number[] {
	return fs
		.readdirSync('/proc')
		.filter((d) => /^\d+$/.test(d))
		.filter((pid) => {
			try {
				return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
			} catch {
				return false;
			}
		})
		.map(Number);
}
const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

let firstSetting: { id: string; packageValue: unknown; type: string } | undefined;

describe('the in-memory Rocket.Chat runtime', () => {
	let t: TestRocketChat;
	let pid: number;

	beforeAll(async () => {
		t = await TestRocketChat.start();
		pid = t.denoPid()!;
	});
	afterAll(async () => {
		await t?.stop();
	});

	it('installs the packaged zip and enables it in a real app subprocess (Deno, or Node on the Node-runtime harness)', async () => {
		expect(AppStatusUtils.isEnabled(await t.app().getStatus())).toBe(true);
		expect(t.rc.appId).toBe(t.appId);
		expect(pid).toBeGreaterThan(0);
		expect(alive(pid)).toBe(true);
		const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
		expect(cmdline).toContain('--subprocess');
		if (ENGINE.runtime === 'node') {
			// Rocket.Chat 8.8+'s NodeRuntimeSubprocessController: node with its permission model, read-only access
			expect(cmdline[0]).toBe(ENGINE.node!.bin);
			expect(cmdline).toEqual(expect.arrayContaining(['--permission', `--allow-fs-read=${t.tempDir}`, ENGINE.node!.bundle]));
			expect(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => kv.split('=')[0])).toEqual(['PATH']);
		} else {
			expect(cmdline[0]).toMatch(/deno$/);
			// 1.62 runs the runtime from a symlink in this node's temp dir; older engines from their own deno-runtime folder
			expect(cmdline.join(' ')).toContain(ENGINE.runtimeInTempDir ? t.tempDir : `${ENGINE.engineDir}/deno-runtime/main.ts`);
		}
		expect(t.appProcessIds()).toEqual([pid]);
		expect(t.rc.users.find((u) => u.type === 'app')).toMatchObject({ username: 'green-api-whatsapp-bridge.bot', appId: t.appId, roles: ['app'] });
	});

	it('serves the health endpoint through AppApiManager.executeApi', async () => {
		const res = await t.callEndpoint('health');
		expect(res.status).toBe(200);
		expect(res.content).toMatchObject({ ok: true });
		expect((await t.callEndpoint('no-such-endpoint')).status).toBe(404);
	});

	it('survives IPostMessageSent fired through the listener manager, state unchanged', async () => {
		const agent = t.addUser({ username: 'agent.foundation', roles: ['user', 'livechat-agent'] });
		const visitor = t.addVisitor({ name: 'Anna', phone: '+79001234567' });
		const room = t.openLivechatRoom({ token: visitor.token });
		expect(room.servedBy?.id).toBe(agent.id);
		const stored = await t.sendUserMessage({ roomId: room.id, userId: agent.id, text: 'hello from RC' });
		const message = t.rc.toAppMessage(stored);
		expect(message).toMatchObject({ id: stored.id, text: 'hello from RC', room: { id: room.id, type: 'l', visitor: { token: visitor.token } } });
		const before = { messages: t.rc.messages.length, rooms: t.rc.rooms.length, visitors: t.rc.visitors.length };
		await expect(t.manager.getListenerManager().executeListener(AppInterface.IPostMessageSent, message)).resolves.toBeUndefined();
		await new Promise((r) => setTimeout(r, 200));
		expect(alive(pid)).toBe(true);
		expect(t.denoPid()).toBe(pid);
		expect(AppStatusUtils.isEnabled(await t.app().getStatus())).toBe(true);
		expect((await t.callEndpoint('health')).status).toBe(200);
		expect(t.rc.rooms.length).toBe(before.rooms);
		expect(t.rc.visitors.length).toBe(before.visitors);
		expect(t.rc.effects.filter((e) => e.kind === 'event.error')).toEqual([]);
	});

	it('counts the bridge calls the app makes, and only those', async () => {
		const health = await t.measureCalls(() => t.callEndpoint('health'));
		expect(health).toMatchObject({ result: { status: 200 }, calls: 0 });
		const [command] = [...t.rc.commands.keys()];
		const m = await t.measureCalls(() => t.runCommand(command, ['help'], { userId: t.admin.id }));
		expect(m.calls).toBeGreaterThan(0);
		expect(m.calls).toBe(Object.values(m.byMethod).reduce((a, b) => a + b, 0));
		expect(Object.keys(m.byMethod).every((k) => /^[A-Za-z]+\.do[A-Z]/.test(k))).toBe(true);
		expect(m.rpc).toBeGreaterThanOrEqual(m.calls > 0 ? 1 : 0);
		const hostSide = await t.measureCalls(async () => t.addVisitor({ name: 'x' }));
		expect(hostSide.calls).toBe(0);
	});

	it('changes an app setting like the admin UI: storage updated, onSettingUpdated called', async () => {
		const settings = Object.values(t.app().getStorageItem().settings);
		expect(settings.length).toBeGreaterThan(0);
		firstSetting = settings[0];
		await t.setAppSetting(firstSetting.id, firstSetting.packageValue);
		expect(t.app().getStorageItem().settings[firstSetting.id].value).toEqual(firstSetting.packageValue);
		expect(t.rc.effects.some((e) => e.kind === 'app-setting.changed' && e.settingId === firstSetting!.id)).toBe(true);
		expect(t.appLogs().some((e) => e.method === 'app:onSettingUpdated')).toBe(true);
		await expect(t.setAppSetting('no_such_setting', 1)).rejects.toThrow('No setting found');
	});

	it('runs the app\'s slash command through the command manager', async () => {
		const [command] = [...t.rc.commands.keys()];
		expect(command).toBeTruthy();
		await t.runCommand(command, ['help'], { userId: t.admin.id });
		expect(t.rc.effects.some((e) => e.kind === 'command.executed' && e.command === command)).toBe(true);
		await expect(t.runCommand('no-such-command', [], { userId: t.admin.id })).rejects.toThrow('No such command');
	});

	it('runs due jobs through the engine on the harness clock', async () => {
		expect(t.rc.processors.size).toBeGreaterThan(0);
		const recurring = t.rc.jobs.filter((j) => j.type === 'recurring');
		t.advanceClock(24 * 3600_000);
		const ran = await t.runDueJobs();
		expect(ran).toBeGreaterThanOrEqual(recurring.length);
		expect(t.rc.jobRuns.filter((r) => !r.ok)).toEqual([]);
		for (const j of recurring) expect(j.nextRunAt!.getTime()).toBeGreaterThan(t.now().getTime());
		expect(await t.runDueJobs()).toBe(0);
	});

	it('leaves no Deno process and no temp dir after stop()', async () => {
		const dir = t.tempDir;
		const started = t.appProcessIds();
		expect(started).toContain(pid);
		if (ENGINE.runtimeInTempDir) expect(processesMentioning(dir)).toContain(pid);
		await t.stop();
		expect(alive(pid)).toBe(false);
		expect(started.filter(alive)).toEqual([]);
		expect(processesMentioning(dir)).toEqual([]);
		expect(fs.existsSync(dir)).toBe(false);
		await t.stop(); // idempotent
	});
});

describe('starting with app settings', () => {
	it('applies them between install and enable, as an admin would', async () => {
		const s = firstSetting!;
		const t = await TestRocketChat.start({ appSettings: { [s.id]: s.packageValue } });
		try {
			expect(AppStatusUtils.isEnabled(await t.app().getStatus())).toBe(true);
			expect(t.app().getStorageItem().settings[s.id].value).toEqual(s.packageValue);
		} finally {
			await t.stop();
		}
	});
});
