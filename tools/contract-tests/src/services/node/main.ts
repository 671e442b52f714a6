/**
 * Runs the `@avsb/node` test service as its own process:
 *
 *   node dist/node-service.js [--port 8111]
 *
 * Prints `listening on <url>` once it accepts requests; exits on `DELETE /`,
 * SIGINT or SIGTERM after closing every client.
 */
import { parseArgs } from 'node:util';
import { startNodeService } from './node-service';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`node-service: --port must be an integer in [0, 65535], not ${values.port}`);
  process.exit(2);
}

const service = await startNodeService({
  port,
  // answered first, then stopped: the caller sees its 204
  onStop: () => setImmediate(() => void stop()),
});
console.log(`listening on ${service.url}`);

let stopping: Promise<void> | null = null;
function stop(): Promise<void> {
  stopping ??= service.close().then(() => process.exit(0));
  return stopping;
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
