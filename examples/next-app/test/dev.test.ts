// `next dev`: a hot reload of the module that calls createAvsbNext re-evaluates it, and the pages and route handlers
// go on with the process's one AvsbServer (kept on globalThis) instead of opening another stream per reload.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '@avsb/test-support';
import { startRealProject } from '@avsb/test-support/real-project';
import type { RealProject } from '@avsb/test-support/real-project';
import { nextDev } from './support/next-process';
import type { NextServer } from './support/next-process';

const root = fileURLToPath(new URL('..', import.meta.url));
const module = `${root}/lib/avsb.ts`;

let project: RealProject;
let dev: NextServer;

beforeAll(async () => {
  project = await startRealProject('next-dev');
  dev = await nextDev(root, { AVSB_SDK_KEY: project.serverKey, AVSB_CLIENT_KEY: project.clientKey, AVSB_BASE_URL: project.url });
});

afterAll(async () => {
  await dev?.stop();
  await project?.close();
});

const readies = (): number => dev.output.match(/ready: serving datafile revision/g)?.length ?? 0;
const compiles = (): number => dev.output.match(/Compiled in/g)?.length ?? 0;

it('keeps one AvsbServer across a hot reload of lib/avsb.ts', async () => {
  const flags = async () => (await fetch(`${dev.url}/api/flags`, { headers: { cookie: 'demo_user=u_1' } })).json();
  expect(await flags()).toEqual({ user: 'u_1', showNewCheckout: true, theme: 'default' });
  expect((await fetch(`${dev.url}/`, { headers: { cookie: 'demo_user=u_1' } })).status).toBe(200);
  // the Node runtime's AvsbServer and the middleware's AvsbEdge
  expect(readies()).toBe(2);
  const source = readFileSync(module, 'utf8');
  const before = compiles();
  try {
    writeFileSync(module, `${source}// edited by test/dev.test.ts\n`);
    await waitFor(() => compiles() > before, 30_000, 'the hot reload');
    expect(await flags()).toEqual({ user: 'u_1', showNewCheckout: true, theme: 'default' });
    expect((await fetch(`${dev.url}/`, { headers: { cookie: 'demo_user=u_1' } })).status).toBe(200);
  } finally {
    writeFileSync(module, source);
  }
  expect(readies()).toBe(2);
});
