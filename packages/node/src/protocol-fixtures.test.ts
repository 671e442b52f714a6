import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';
import { MemoryLogger } from '@avsb/test-support';
import { AvsbServer } from './index';

// The protocol's datafile fixtures, which the server's admin API and `avsb
// validate` must judge alike: a valid one is served whole by the SDK, and a
// flag the validator finds four problems in evaluates to the caller's
// default (MALFORMED_FLAG) while the SDK keeps serving.
const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('@avsb/protocol/package.json')), 'fixtures', 'datafiles');
const load = (name: string) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { document: { flags: { key: string }[] }; problems: unknown[] };
const valid = readdirSync(dir).filter((f) => load(f).problems.length === 0);

it.each(valid)('serves every flag of the valid datafile fixture %s', async (name) => {
  const { document } = load(name);
  const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: document, logger: new MemoryLogger() });
  expect((await server.onReady({ timeoutMs: 0 })).ready).toBe(true);
  expect(Object.keys(server.allFlags({ key: 'u_1', plan: 'pro' })).sort()).toEqual(document.flags.map((f) => f.key).sort());
  await server.close();
});

it('loads the fixture with four problems in one flag, answering the default for that flag', async () => {
  const { document } = load('four-problems-in-one-flag.json');
  const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: document, logger: new MemoryLogger() });
  expect((await server.onReady({ timeoutMs: 0 })).ready).toBe(true);
  const detail = server.forUser({ kind: 'user', key: 'u_1', plan: 'pro' }).getBoolFlagDetails('checkout-v2', true);
  expect(detail).toMatchObject({ value: true, variationIndex: null, reason: { kind: 'ERROR', errorKind: 'MALFORMED_FLAG' } });
  await server.close();
});
