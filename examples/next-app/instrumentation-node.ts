// With NEXT_MANUAL_SIG_HANDLE=true (the start script sets it) Next leaves SIGTERM and SIGINT to the app: the A vs B
// server flushes its buffered events before the process exits.
import { avsb } from './lib/avsb';

if (process.env.NEXT_MANUAL_SIG_HANDLE) {
  const shutdown = (): void => {
    void avsb.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
