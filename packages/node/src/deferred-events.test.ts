import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { DeferredEvents } from './deferred-events';

// `loaded` is what AvsbServer.onReady waits for: it settles whatever the pipeline's import rejects with, even a value
// whose String() throws (an object without a prototype).
it('logs a pipeline that could not be loaded and settles loaded with null, whatever the failure', async () => {
  const logger = new MemoryLogger();
  const events = new DeferredEvents(() => Promise.reject(Object.create(null)), false, logger);
  await expect(events.loaded).resolves.toBeNull();
  expect(logger.at('error')).toEqual(['the event pipeline could not be loaded; no events are sent: unknown error']);
});
