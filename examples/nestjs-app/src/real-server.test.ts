// The built app against the real A vs B server: the scenario every server example passes.
import { fileURLToPath } from 'node:url';
import { describeExampleAgainstRealServer } from '@avsb/test-support/example-app';

describeExampleAgainstRealServer({
  root: fileURLToPath(new URL('..', import.meta.url)),
  project: 'nestjs-example',
  // Nest's shutdown hooks run, then it re-raises the signal, as enableShutdownHooks() does
  sigtermExit: 'SIGTERM',
});
