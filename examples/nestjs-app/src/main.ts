// Start-up and shutdown (steps 2, 3 and "Graceful shutdown" of the guide).
//
//   AVSB_SDK_KEY=srv-... AVSB_BASE_URL=http://127.0.0.1:4400 node dist/main.js
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.js';

// Step 2: the SDK key comes from the environment; never hard-code or log it.
const sdkKey = process.env.AVSB_SDK_KEY;
if (!sdkKey) {
  console.error('Set AVSB_SDK_KEY to the server SDK key (srv-…) of your environment, or the one `avsb dev` prints.');
  process.exit(1);
}

// Step 3: AvsbModule.forRoot({ sdkKey }) makes one AvsbServer and waits for
// its first datafile (at most 5 s) before the app starts. The server reads
// AVSB_BASE_URL (default http://127.0.0.1:4400, the server of `avsb dev`).
const app = await NestFactory.create(AppModule.register({ sdkKey }), { logger: ['error', 'warn'] });

// Graceful shutdown: on SIGTERM/SIGINT Nest closes the HTTP server, then the
// module's onApplicationShutdown closes the A vs B server, flushing its events.
app.enableShutdownHooks();

try {
  await app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
  console.info(`shop (NestJS) listening on ${await app.getUrl()}`);
} catch (error) {
  console.error(`cannot listen: ${(error as Error).message}`);
  await app.close(); // closes the A vs B server too
  process.exit(1);
}
