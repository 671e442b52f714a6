import { expect, it } from 'vitest';
import { startSandboxServer } from './index';

it('starts a seeded server on loopback whose keys serve the datafile, and deletes it on close', async () => {
  const sandbox = await startSandboxServer();
  expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${sandbox.url}/sdk/v1/datafile`, { headers: { authorization: sandbox.serverKey } });
  expect(res.status).toBe(200);
  const datafile = (await res.json()) as { flags: { key: string }[] };
  expect(datafile.flags.map((f) => f.key)).toContain('checkout-v2');
  const client = await fetch(`${sandbox.url}/sdk/v1/datafile`, { headers: { authorization: sandbox.clientKey } });
  expect(client.status).toBe(200);
  const environment = await sandbox.admin<{ key: string }>('');
  expect(environment.key).toBe('production');
  await sandbox.close();
  await expect(fetch(`${sandbox.url}/sdk/v1/datafile`)).rejects.toThrow();
});
