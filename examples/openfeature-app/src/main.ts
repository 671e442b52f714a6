// Start-up and shutdown (steps 2, 4 and "Graceful shutdown" of the guide).
//
//   AVSB_SDK_KEY=srv-... AVSB_BASE_URL=http://127.0.0.1:4400 node dist/main.js
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenFeature } from '@openfeature/server-sdk';
import { AvsbServer } from '@avsb/node';
import { createApp, registerProvider } from './app.js';

// Step 2: the SDK key comes from the environment; never hard-code or log it.
const sdkKey = process.env.AVSB_SDK_KEY;
if (!sdkKey) {
  console.error('Set AVSB_SDK_KEY to the server SDK key (srv-…) of your environment, or the one `avsb dev` prints.');
  process.exit(1);
}

// Step 4: one AvsbServer per process, registered with OpenFeature and
// awaited before listening. It reads AVSB_BASE_URL (default
// http://127.0.0.1:4400, the server of `avsb dev`).
const server = new AvsbServer({ sdkKey });
const flags = await registerProvider(server).catch((error: Error) => {
  console.warn(`A vs B is not ready yet: ${error.message}`); // flags serve defaults meanwhile
  return OpenFeature.getClient();
});

const host = process.env.HOST ?? '127.0.0.1';
const http = createServer(createApp(flags)).listen(Number(process.env.PORT ?? 3000), host, () => {
  console.info(`shop (OpenFeature) listening on http://${host}:${(http.address() as AddressInfo).port}`);
});
http.once('error', (error) => {
  console.error(`cannot listen: ${error.message}`);
  void OpenFeature.close().then(() => process.exit(1));
});

// Graceful shutdown: stop taking requests, let those in flight finish, then
// OpenFeature.close() shuts the provider down, which closes the A vs B
// server and flushes its events.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.info(`${signal}: shutting down`);
    http.close(() => void OpenFeature.close().then(() => process.exit(0)));
    http.closeIdleConnections();
  });
}
