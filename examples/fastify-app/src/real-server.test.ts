// The built app against the real A vs B server: the scenario every server example passes.
import { fileURLToPath } from 'node:url';
import { describeExampleAgainstRealServer } from '@avsb/test-support/example-app';

describeExampleAgainstRealServer({
  root: fileURLToPath(new URL('..', import.meta.url)),
  project: 'fastify-example',
});
