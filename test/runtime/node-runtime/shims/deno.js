// The few Deno APIs the 1.62 engine's app-side runtime (deno-runtime/) calls, on Node. The build injects these as
// module-scoped bindings (esbuild `inject`), never as globals: the app's code must not see a `Deno` in the Node
// runtime, as it sees none in Rocket.Chat's.
import * as fs from 'node:fs';
import { Readable } from 'node:stream';

const writer = (stream) => ({
	// what the Node runtime's stdout transport does: one write, resolved when Node flushed it
	write: (bytes) => new Promise((resolve, reject) => stream.write(bytes, (err) => (err ? reject(err) : resolve(bytes.length)))),
	writeSync: (bytes) => fs.writeSync(stream.fd, bytes),
});

export const Deno = {
	args: process.argv.slice(2),
	pid: process.pid,
	exit: (code) => process.exit(code),
	stdin: {
		get readable() {
			return Readable.toWeb(process.stdin);
		},
	},
	stdout: writer(process.stdout),
	stderr: writer(process.stderr),
	// handleUploadEvents: `using file = await Deno.open(path, { read: true })`, then `file.readable`
	open: async (path) => {
		const stream = fs.createReadStream(path);
		return { readable: Readable.toWeb(stream), close: () => stream.destroy(), [Symbol.dispose]: () => stream.destroy() };
	},
};

// The runtime's main loop wraps an error response from the host in an ErrorEvent (a web global Node lacks).
class NodeErrorEvent extends Event {
	constructor(type, init = {}) {
		super(type);
		this.error = init.error;
		this.message = init.message ?? '';
	}
}
export const ErrorEvent = globalThis.ErrorEvent ?? NodeErrorEvent;
