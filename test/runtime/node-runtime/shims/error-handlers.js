// Node counterpart of deno-runtime/error-handlers.ts, as Rocket.Chat's Node runtime registers it
// (packages/apps/node-runtime/src/error-handlers.ts): an uncaught exception or an unhandled rejection (which Node
// raises as an uncaught exception with origin 'unhandledRejection') becomes a notification to the host, named by
// its origin, and the process keeps running.
import * as Messenger from 'gab-runtime:/lib/messenger.ts';

export default function registerErrorListeners() {
	process.on('uncaughtException', (error, origin) => {
		Messenger.sendNotification({ method: origin, params: [error?.stack || error] });
	});
}
