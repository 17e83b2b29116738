// What the hostile suite looks at after each batch: state that changed, requests that left for an unlisted
// host, garbage the app posted, and secrets in anything the app wrote.
import { TestRocketChat } from '../runtime/TestRocketChat';

type Effect = { seq: number; kind: string; [k: string]: unknown };

/** Effect kinds that are a change of Rocket.Chat's or the app's state (reads, runs and registrations are not). */
const MUTATING = /^(visitor\.|room\.|message\.|upload\.|persistence\.(create|update|remove|purge)|job\.(scheduled|cancelled)|notice$|user\.created|typing$|app-setting\.changed)/;

/** Text no agent should ever see from the app: a JavaScript value printed where content belongs. */
const GARBAGE = /\bundefined\b|\[object Object\]|\[native code\]|\bNaN\b|function \w*\(/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Observer {
	private flagged = new Set<string>();
	private readonly windows: string[];

	/** `listedHosts`: host:port of the only servers the app may reach (the fake GREEN-API). */
	constructor(private readonly t: TestRocketChat, secrets: string[], private readonly listedHosts: string[]) {
		// Every 16-character window at 8-character steps: any leaked piece of 24 characters or more contains one.
		this.windows = secrets.flatMap((s) => {
			const out: string[] = [];
			for (let i = 0; i + 16 <= s.length; i += 8) out.push(s.slice(i, i + 16));
			out.push(s.slice(-16));
			return out;
		});
	}

	get effectCount(): number {
		return this.t.rc.effects.length;
	}

	/** Changes of state among the effects recorded since `from` (ignoring `except` kinds). */
	changesSince(from: number, except: RegExp = /^$/): string[] {
		return (this.t.rc.effects.slice(from) as Effect[]).filter((e) => MUTATING.test(e.kind) && !except.test(e.kind)).map((e) => e.kind);
	}

	/**
	 * Waits until the app has finished (no post-event listener running, no engine request pending: fails if it stays
	 * busy) and then nothing was recorded for 100 ms. (The app answers a webhook as soon as the message is posted and
	 * writes the contact record right after, so a batch's last writes can follow its last answer.)
	 */
	async settle(): Promise<void> {
		await this.t.settle();
		const end = Date.now() + 5000;
		let last = -1;
		let quiet = 0;
		while (quiet < 10 && Date.now() < end) {
			await sleep(10);
			const n = this.t.rc.effects.length;
			quiet = n === last ? quiet + 1 : 0;
			last = n;
		}
	}

	/** Everything the app can change, serialized in a stable order (file bytes left out). */
	snapshot(withNotices: boolean): string {
		const rc = this.t.rc;
		return JSON.stringify({
			persistence: rc.persistence.map((r) => [r.associations, r.data]),
			visitors: rc.visitors,
			rooms: rc.rooms,
			messages: rc.messages,
			uploads: rc.uploads.map((u) => [u.id, u.name, u.size, u.rid, u.messageId]),
			jobs: rc.jobs.map((j) => [j.id, j.name, j.type, j.data, j.nextRunAt]),
			users: rc.users.map((u) => [u.id, u.roles, u.status]),
			notices: withNotices ? rc.notices.length : 0,
		});
	}

	/** HTTP requests since `from` to anything but the listed hosts (refused non-loopback attempts included). */
	foreignRequestsSince(from: number): string[] {
		return (this.t.rc.effects.slice(from) as Effect[])
			.filter((e) => e.kind === 'http.request')
			.map((e) => String(e.url))
			.filter((url) => {
				try {
					return !this.listedHosts.includes(new URL(url).host);
				} catch {
					return true;
				}
			});
	}

	/** Visitor or app messages and visitors created since `from` that are empty or show a JavaScript value. */
	garbageSince(from: number): string[] {
		const out: string[] = [];
		for (const e of this.t.rc.effects.slice(from) as Effect[]) {
			if (e.kind === 'message.created' || e.kind === 'message.updated') {
				const m = this.t.rc.messages.find((x) => x.id === e.messageId);
				if (!m || m.type) continue;
				const blank = !m.text.replace(/[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '') && !m.file && !(m.attachments && m.attachments.length);
				if (blank) out.push(`empty message ${JSON.stringify(m.text)}`);
				else if (GARBAGE.test(m.text)) out.push(`message shows a JavaScript value: ${JSON.stringify(m.text.slice(0, 120))}`);
			}
			if (e.kind === 'visitor.created') {
				const v = this.t.rc.visitors.find((x) => x.id === e.visitorId);
				if (v && (!v.name || !v.name.trim() || GARBAGE.test(v.name))) out.push(`visitor named ${JSON.stringify(v?.name)}`);
			}
		}
		return out;
	}

	/** Places the app wrote that carry a secret (each place reported once). */
	newSecretLeaks(): string[] {
		const rc = this.t.rc;
		const out: string[] = [];
		const check = (place: string, value: unknown) => {
			if (this.flagged.has(place)) return;
			const text = typeof value === 'string' ? value : JSON.stringify(value);
			if (text && this.windows.some((w) => text.includes(w))) {
				this.flagged.add(place);
				out.push(place);
			}
		};
		for (const m of rc.messages) check(`message ${m.id}`, m);
		for (const n of rc.notices) check(`notice ${n.id}`, [n.text, n.attachments, n.blocks]);
		for (const v of rc.visitors) check(`visitor ${v.id}`, v);
		for (const r of rc.rooms) check(`room ${r.id}`, r);
		for (const u of rc.uploads) check(`upload ${u.id}`, [u.name, u.url]);
		for (const j of rc.jobs) check(`job ${j.id}`, j.data);
		// The instance record holds the credentials by design; every other record must not.
		for (const p of rc.persistence) if (!p.associations.some((a) => a.id === 'gab:instance')) check(`persistence ${p._id}`, p.data);
		this.t.appWrittenLogText().split('\n').forEach((line, i) => check(`app log line ${i}: ${line.slice(0, 80)}`, line));
		return out;
	}
}

/** `p`, or 'timeout' when it has not settled within `ms` (a hostile request must never hang the app). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<'timeout'>((r) => {
		timer = setTimeout(() => r('timeout'), ms);
	});
	try {
		return await Promise.race([p, timeout]);
	} finally {
		clearTimeout(timer);
	}
}
