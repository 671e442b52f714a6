// test/page/tiny-app.ts on @avsb/browser/inline (the engine inside the bundle), bundled by the size test.
import { createClient } from '@avsb/browser/inline';

const client = createClient({ clientKey: 'cli-example', context: { kind: 'user', key: 'u_1' } });
client.on('change:ui-theme', (value) => {
  document.body.className = String(value);
});
document.body.className = client.getStringFlag('ui-theme', 'default');
