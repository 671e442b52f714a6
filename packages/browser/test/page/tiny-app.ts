// The smallest real use of @avsb/browser, bundled by the size budget test as a user's bundler would.
import { createClient } from '@avsb/browser';

const client = createClient({ clientKey: 'cli-example', context: { kind: 'user', key: 'u_1' } });
client.on('change:ui-theme', (value) => {
  document.body.className = String(value);
});
document.body.className = client.getStringFlag('ui-theme', 'default');
