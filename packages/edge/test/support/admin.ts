// The admin API of the sandbox server, for changing a flag during a test.
import type { SandboxServer } from '@avsb/server';

/** `PATCH …/flags/:key` of the `shop` project's production environment (e.g. `{ on: false }`). */
export async function patchFlag(real: SandboxServer, key: string, body: object): Promise<void> {
  const res = await fetch(`${real.url}/api/v1/projects/shop/environments/production/flags/${key}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${real.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`PATCH flag ${key}: HTTP ${res.status}`);
}
