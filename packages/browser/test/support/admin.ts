// Test support: the admin API of the sandbox server (ADMIN-API.md), as the dashboard uses it.
import type { SandboxServer } from '@avsb/server';

/** PATCHes a flag of shop/production (e.g. `{ on: true }`, the toggle) and returns the flag. */
export async function patchFlag(server: SandboxServer, key: string, body: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`${server.url}/api/v1/projects/shop/environments/production/flags/${key}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PATCH flag ${key}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}
