// A provider's outgoing webhook queue, as GREEN-API runs it: one notification at a time per instance, each
// kept until the app answers 2xx and redelivered after a pause otherwise (the real service waits 60 s and
// keeps trying for 24 h; the sandbox waits `retryMs`). A 4xx is the app refusing the notification: dropped.
import * as http from 'http';
import { Notification } from './PhoneProvider';

export interface WebhookTarget {
	url: string;
	headers: Record<string, string>;
}

/** Runs one delivery attempt; the sandbox passes one that serializes and measures it. */
export type DeliveryRunner = (label: string, attempt: () => Promise<number>) => Promise<number>;

/** Anything but a 2xx or a refusal (4xx other than 429) is kept and delivered again. */
const redeliver = (status: number): boolean => !(status >= 200 && status < 300) && !(status >= 400 && status < 500 && status !== 429);

interface Item extends Notification {
	/** a string is sent as is (a provider that signs the exact bytes), anything else as its JSON */
	body: unknown;
	/** this notification's own headers (a signature) on top of the target's */
	headers?: Record<string, string>;
}

export class WebhookQueue {
	private readonly items: Item[] = [];
	private seq = 0;
	private running = false;
	private stopped = false;
	private timer?: NodeJS.Timeout;
	private changes = 0;

	constructor(
		private readonly target: () => WebhookTarget,
		private readonly run: DeliveryRunner,
		private readonly retryMs = 3000,
		private readonly attemptTimeoutMs = 40_000,
	) {}

	push(label: string, body: unknown, ref: { messageId?: string; customerPhone?: string } = {}, headers?: Record<string, string>): Notification {
		const item: Item = { seq: ++this.seq, label, state: 'queued', attempts: 0, at: Date.now(), body, headers, ...ref };
		this.items.push(item);
		this.changes++;
		void this.pump();
		return item;
	}

	list(): Notification[] {
		return this.items.map(({ body: _body, headers: _headers, ...n }) => ({ ...n }));
	}
	pending(): number {
		return this.items.filter((i) => i.state !== 'acknowledged' && i.state !== 'rejected').length;
	}
	version(): number {
		return this.changes;
	}

	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
	}

	private async pump(): Promise<void> {
		if (this.running || this.stopped) return;
		this.running = true;
		try {
			for (;;) {
				const next = this.items.find((i) => i.state === 'queued' || i.state === 'retrying');
				if (!next || this.stopped) return;
				next.state = 'delivering';
				next.attempts++;
				this.changes++;
				// The answer counts the moment it arrives (the runner may go on observing the app for a while).
				let answer: number | undefined;
				await this.run(next.label, async () => {
					answer = await this.post(next.body, next.headers);
					this.answered(next, answer);
					return answer;
				}).catch(() => undefined);
				if (answer === undefined) this.answered(next, 0);
				if (this.stopped) return; // no retry timer outliving stop()
				if (next.lastStatus !== undefined && redeliver(next.lastStatus)) {
					// Head-of-line: the provider retries this one before anything after it.
					this.timer = setTimeout(() => {
						this.timer = undefined;
						void this.pump();
					}, this.retryMs);
					return;
				}
			}
		} finally {
			this.running = false;
		}
	}

	private answered(item: Item, status: number): void {
		item.lastStatus = status;
		item.state = redeliver(status) ? 'retrying' : status < 300 ? 'acknowledged' : 'rejected';
		this.changes++;
	}

	private post(body: unknown, own: Record<string, string> = {}): Promise<number> {
		const { url, headers: targetHeaders } = this.target();
		const headers = { ...targetHeaders, ...own };
		const data = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
		return new Promise<number>((resolve) => {
			const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(data.length), ...headers }, timeout: this.attemptTimeoutMs }, (res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			});
			req.on('timeout', () => req.destroy());
			req.on('error', () => resolve(0));
			req.end(data);
		});
	}
}
