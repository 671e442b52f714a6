// `avsb validate` and the server's admin API run one validator (@avsb/validator):
// the protocol's shared fixtures must get the same problem list from both.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DevServer, assertBuilt, avsb, startDev, tempDir } from '../test/support/harness';

const tmp = tempDir();
let dev: DevServer;
beforeAll(async () => {
  assertBuilt();
  dev = await startDev(tmp.dir, ['--db', 'parity.db']);
}, 60_000);
afterAll(async () => {
  if (dev && dev.child.exitCode === null && dev.child.signalCode === null) await dev.stop('SIGKILL');
  tmp.remove();
});

interface Fixture {
  readonly document: object;
  readonly problems: { path: string; message: string }[];
}
const require = createRequire(import.meta.url);
const fixturesDir = path.join(path.dirname(require.resolve('@avsb/protocol/package.json')), 'fixtures');
const load = (dir: string): [string, Fixture][] =>
  readdirSync(path.join(fixturesDir, dir)).map((f) => [f, JSON.parse(readFileSync(path.join(fixturesDir, dir, f), 'utf8')) as Fixture]);

async function validate(name: string, document: object): Promise<{ code: number; problems: { path: string; message: string }[] }> {
  const r = await avsb(['validate', tmp.file(name, document), '--json']);
  return { code: r.code, problems: (JSON.parse(r.stdout) as { problems: { path: string; message: string }[] }).problems };
}

it.each(load('datafiles'))('avsb validate lists exactly the problems of the datafile fixture %s', async (name, fixture) => {
  const r = await validate(`datafile-${name}`, fixture.document);
  expect(r.problems).toEqual(fixture.problems);
  expect(r.code).toBe(fixture.problems.length === 0 ? 0 : 1);
});

it.each(load('projects'))('avsb validate and POST /projects/import agree on the project fixture %s', async (name, fixture) => {
  const cli = await validate(`project-${name}`, fixture.document);
  const res = await fetch(`${dev.url}/api/v1/projects/import?replace=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${dev.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(fixture.document),
  });
  const body = (await res.json()) as { error?: { problems?: unknown[] } };
  expect(cli.problems).toEqual(fixture.problems);
  if (fixture.problems.length === 0) {
    expect(res.status).toBeLessThan(300);
    expect(cli.code).toBe(0);
  } else {
    expect(res.status).toBe(400);
    expect(body.error?.problems).toEqual(cli.problems);
  }
});

it('a file with four problems in one flag: all four, not the first two', async () => {
  const [, fixture] = load('datafiles').find(([n]) => n === 'four-problems-in-one-flag.json')!;
  const r = await avsb(['validate', tmp.file('four.json', fixture.document)]);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('(datafile): 4 problems');
});

it('a client-side flag with a server-only prerequisite is refused, as the server refuses it', async () => {
  const [, fixture] = load('datafiles').find(([n]) => n === 'client-side-server-only-prerequisite.json')!;
  const r = await avsb(['validate', tmp.file('client.json', fixture.document)]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/flags\[1\]\.prerequisites\[0\]\.key: "gate" is not client-side/);
});
