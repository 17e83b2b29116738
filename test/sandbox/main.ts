// `npm start`: the sandbox on http://127.0.0.1:<port> (--port N or PORT, default a free port), the customer's phone
// on --provider greenapi|cloud|360dialog (or PROVIDER, default greenapi). Prints one line,
// `Sandbox: <url>`, once everything is up; SIGINT / SIGTERM stop it all, the app's Deno process included.
import { descendants, portFrom, ProviderId, providerFrom } from './cli';
import { CloudPhone, Dialog360Phone } from './providers/CloudPhone';
import { GreenApiPhone } from './providers/GreenApiPhone';
import { PhoneProvider } from './providers/PhoneProvider';
import { DeliveryRunner } from './providers/WebhookQueue';
import { Sandbox } from './Sandbox';
import { SandboxServer } from './server';

const STOP_TIMEOUT_MS = 8000;

async function main(): Promise<void> {
	const port = portFrom(process.argv.slice(2), process.env);
	const providerId = providerFrom(process.argv.slice(2), process.env);
	const server = new SandboxServer();
	const url = await server.listen(port);
	let sandbox: Sandbox | undefined;
	const provider = phoneOn(providerId, (label, attempt) => sandbox!.deliver(label, attempt));
	sandbox = new Sandbox(provider, provider.publicSiteUrl?.(url) ?? url);

	let stopping: Promise<void> | undefined;
	const stop = (why: string): Promise<void> =>
		(stopping ??= (async () => {
			process.stderr.write(`[sandbox] ${why}: stopping\n`);
			const force = setTimeout(() => process.stderr.write('[sandbox] stop is taking long: killing the app process\n'), STOP_TIMEOUT_MS);
			await Promise.race([Promise.all([server.close(), sandbox!.stop()]), new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS))]);
			clearTimeout(force);
			// A Ctrl-C in a terminal also reaches the Deno child (same process group); the engine may have respawned it
			// while we were stopping. Nothing of ours may outlive us.
			for (let round = 0; round < 20; round++) {
				const left = descendants();
				if (!left.length) break;
				for (const pid of left) {
					try {
						process.kill(pid, 'SIGKILL');
					} catch {
						// already gone
					}
				}
				await new Promise((r) => setTimeout(r, 100));
			}
		})());
	for (const sig of ['SIGINT', 'SIGTERM'] as const) {
		process.on(sig, () => {
			void stop(sig).then(() => process.exit(0));
		});
	}

	try {
		await sandbox.start();
	} catch (e) {
		process.stderr.write(`[sandbox] could not start: ${(e as Error).stack ?? e}\n`);
		await stop('start failed');
		process.exit(1);
	}
	server.serve(sandbox);
	process.stdout.write(`Sandbox: ${url}\n`);
}

function phoneOn(id: ProviderId, run: DeliveryRunner): PhoneProvider {
	if (id === 'cloud') return new CloudPhone(run);
	if (id === '360dialog') return new Dialog360Phone(run);
	return new GreenApiPhone(run);
}

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`[sandbox] ${(e as Error).stack ?? e}\n`);
		process.exit(1);
	});
}
