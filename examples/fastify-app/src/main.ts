// Start-up and shutdown (steps 2, 4 and "Graceful shutdown" of the guide).
//
//   AVSB_SDK_KEY=srv-... AVSB_BASE_URL=http://127.0.0.1:4400 node dist/main.js
import { AvsbServer } from '@avsb/node';
import { createApp } from './app.js';

// Step 2: the SDK key comes from the environment; never hard-code or log it.
const sdkKey = process.env.AVSB_SDK_KEY;
if (!sdkKey) {
  console.error('Set AVSB_SDK_KEY to the server SDK key (srv-…) of your environment, or the one `avsb dev` prints.');
  process.exit(1);
}

// Step 4: one AvsbServer per process, awaited before listening. It reads
// AVSB_BASE_URL (default http://127.0.0.1:4400, the server of `avsb dev`).
const server = new AvsbServer({ sdkKey });
const ready = await server.onReady({ timeoutMs: 5000 });
if (!ready.ready) console.warn(`A vs B is not ready yet: ${ready.error.message}`); // flags serve defaults meanwhile

const app = await createApp(server);
try {
  const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
  console.info(`shop (Fastify) listening on ${url}`);
} catch (error) {
  console.error(`cannot listen: ${(error as Error).message}`);
  await app.close(); // closes the A vs B server too
  process.exit(1);
}

// Graceful shutdown: app.close() stops taking requests, waits for those in
// flight, then runs the plugin's onClose hook, which closes the server and
// flushes its events.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.info(`${signal}: shutting down`);
    void app.close().then(() => process.exit(0));
  });
}
