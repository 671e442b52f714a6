// Start-up and shutdown (steps 2, 4 and "Graceful shutdown" of the guide).
//
//   AVSB_SDK_KEY=srv-... AVSB_BASE_URL=http://127.0.0.1:4400 node dist/main.js
import type { Server } from 'node:http';
import { AvsbServer } from '@avsb/node';
import { createApp } from './app.js';

// Step 2: the SDK key comes from the environment; never hard-code or log it.
const sdkKey = process.env.AVSB_SDK_KEY;
if (!sdkKey) {
  console.error(
    'Set AVSB_SDK_KEY to the server SDK key (srv-…) of your environment: A vs B → Settings → Environments, ' +
      'or the "production server key" that `avsb dev` prints.',
  );
  process.exit(1);
}

// Step 4: one AvsbServer per process, made at start-up and awaited, so the
// datafile is there before the first request. AvsbServer reads AVSB_BASE_URL
// (default http://127.0.0.1:4400, the local server of `avsb dev`).
const server = new AvsbServer({ sdkKey });
const ready = await server.onReady({ timeoutMs: 5000 });
if (!ready.ready) {
  // never fatal: flags serve their defaults while the SDK keeps trying
  console.warn(`A vs B is not ready yet: ${ready.error.message}`);
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const http: Server = createApp(server).listen(port, host, (error?: Error) => {
  if (error) {
    console.error(`cannot listen on ${host}:${port}: ${error.message}`);
    void server.close().then(() => process.exit(1));
    return;
  }
  const address = http.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  console.info(`shop listening on http://${host}:${bound}`);
});

// Graceful shutdown: stop taking requests, let those in flight finish, then
// flush events and stop the SDK before the process exits.
let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.info(`${signal}: shutting down`);
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => {
      http.closeAllConnections();
      resolve();
    }, 5000);
    http.close(() => {
      clearTimeout(force);
      resolve();
    });
    http.closeIdleConnections();
  });
  await server.close(); // flushes pending events within closeTimeoutMs (5 s)
  process.exit(0);
}
process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));
