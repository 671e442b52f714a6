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

it('patchFlag changes a flag as the dashboard does: the next datafile serves it; an unknown flag is refused with its path', async () => {
  const sandbox = await startSandboxServer();
  try {
    const datafile = async (): Promise<{ revision: number; flags: { key: string; on: boolean }[] }> =>
      (await fetch(`${sandbox.url}/sdk/v1/datafile`, { headers: { authorization: sandbox.serverKey } })).json() as never;
    const before = await datafile();
    expect(before.flags.find((f) => f.key === 'checkout-v2')?.on).toBe(true);
    const flag = (await sandbox.patchFlag('checkout-v2', { on: false })) as { key: string; on: boolean };
    expect(flag).toMatchObject({ key: 'checkout-v2', on: false });
    const after = await datafile();
    expect(after.flags.find((f) => f.key === 'checkout-v2')?.on).toBe(false);
    expect(after.revision).toBeGreaterThan(before.revision);
    await expect(sandbox.patchFlag('no-such-flag', { on: true })).rejects.toThrow(/PATCH \/api\/v1\/projects\/shop\/environments\/production\/flags\/no-such-flag: HTTP 404/);
  } finally {
    await sandbox.close();
  }
});
