// The load generators' side of the IPC channel with the bench (load.ts,
// heavy.ts): wait for the start message, run, send the result or the
// failure and exit; `mark(name)` tells the bench a phase begins and resolves
// once the bench has noted it.
import type { BenchToLoad, LoadConfig, LoadMessage, ScenarioResult } from './protocol.js';

/** Answers the bench's start message with `run(config)`; returns `mark`. */
export function serveBench(run: (config: LoadConfig) => Promise<ScenarioResult>): (name: string) => Promise<void> {
  if (!process.send) {
    process.stderr.write('started by the bench only (it needs an IPC channel)\n');
    process.exit(2);
  }
  const send = (message: LoadMessage): Promise<void> =>
    new Promise((resolve, reject) => void process.send!(message, undefined, undefined, (e) => (e ? reject(e) : resolve())));
  const marks = new Map<string, () => void>();
  process.on('message', (message: BenchToLoad) => {
    if (message.type === 'marked') {
      marks.get(message.name)?.();
      marks.delete(message.name);
      return;
    }
    run(message.config)
      .then((result) => send({ type: 'result', result }))
      .catch((e: unknown) => send({ type: 'failed', message: (e as Error).stack ?? String(e) }))
      .finally(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(1));
  return (name) => {
    const answered = new Promise<void>((resolve) => marks.set(name, resolve));
    void send({ type: 'mark', name });
    return answered;
  };
}
