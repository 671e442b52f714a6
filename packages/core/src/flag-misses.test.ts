import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { MemoryLogger } from '@avsb/test-support';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import { MAX_REMEMBERED_MISSES, editDistance, nearestKey } from './flag-misses';

function client() {
  const logger = new MemoryLogger();
  const core = new ClientCore({ platform: testPlatform(logger), engine: AvsbEngine.createSync(engineWasmModule()), initialDatafile: guideDatafile(3) });
  const warnings = () => logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  return { core, logger, warnings };
}

it('logs a misspelled flag key once, naming the nearest existing key', () => {
  const { core, warnings } = client();
  const u1 = core.forUser({ kind: 'user', key: 'u_1' });
  for (let i = 0; i < 3; i++) expect(u1.getBoolFlag('chekout-v2', false)).toBe(false);
  expect(core.forUser({ key: 'u_2' }).getBoolFlagDetails('chekout-v2', false).value).toBe(false);
  expect(warnings()).toEqual([
    'flag "chekout-v2" is not in the datafile (revision 3, 5 flags); did you mean "checkout-v2"?; returning the default (ERROR/FLAG_NOT_FOUND; logged once per key)',
  ]);
  u1.getStringFlag('UI-Theme', 'x');
  expect(warnings()[1]).toMatch(/^flag "UI-Theme" is not in the datafile .*; did you mean "ui-theme"\?/);
});

it('returns the message as errorMessage of the details reads', () => {
  const { core } = client();
  const scoped = core.forUser({ key: 'u_1' });
  expect(scoped.getNumberFlagDetails('page_size', 10)).toEqual({
    value: 10,
    variationIndex: null,
    reason: { kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' },
    inExperiment: false,
    errorMessage: 'flag "page_size" is not in the datafile (revision 3, 5 flags); did you mean "page-size"?',
  });
  expect(scoped.getBoolFlagDetails('completely-unrelated-name', true).errorMessage).toBe(
    'flag "completely-unrelated-name" is not in the datafile (revision 3, 5 flags), nor any key close to it',
  );
  // only a missing flag carries one
  expect(scoped.getNumberFlagDetails('page-size', 10)).not.toHaveProperty('errorMessage');
  expect(scoped.getBoolFlagDetails('dark-launch', true)).not.toHaveProperty('errorMessage');
});

it('logs nothing for flags that exist, for a client not ready yet or for an invalid context', () => {
  const { core, warnings } = client();
  const u1 = core.forUser({ key: 'u_1' });
  u1.getBoolFlag('checkout-v2', false);
  u1.getStringFlagDetails('ui-theme', 'x');
  const notReady = new ClientCore({ platform: testPlatform(), engine: AvsbEngine.createSync(engineWasmModule()) });
  expect(notReady.forUser({ key: 'u_1' }).getBoolFlagDetails('chekout-v2', false)).not.toHaveProperty('errorMessage');
  expect(warnings()).toEqual([]);
  core.forUser({ kind: 'user', key: '' }).getBoolFlag('chekout-v2', false);
  expect(warnings()).toEqual([expect.stringMatching(/^invalid context/)]);
});

it('remembers at most MAX_REMEMBERED_MISSES keys, and other problems are still logged after them', () => {
  const { core, warnings } = client();
  const scoped = core.forUser({ key: 'u_1' });
  for (let i = 0; i < MAX_REMEMBERED_MISSES + 500; i++) scoped.getBoolFlag(`made-up-${i}`, false);
  for (let i = 0; i < MAX_REMEMBERED_MISSES + 500; i++) scoped.getBoolFlag(`made-up-${i}`, false);
  expect(warnings()).toHaveLength(MAX_REMEMBERED_MISSES);
  // past the limit a details read still explains itself (without a suggestion)
  expect(scoped.getBoolFlagDetails('chekout-v2', false).errorMessage).toBe('flag "chekout-v2" is not in the datafile (revision 3, 5 flags)');
  scoped.getStringFlag('checkout-v2', 'x'); // a boolean read as a string: the client's own log-once still has room
  expect(warnings()).toHaveLength(MAX_REMEMBERED_MISSES + 1);
  expect(warnings().at(-1)).toMatch(/^flag "checkout-v2" served a boolean where a string was asked for/);
});

it('keeps only the start of a very long key, in memory and in the message', () => {
  const { core, warnings } = client();
  const scoped = core.forUser({ key: 'u_1' });
  const long = 'x'.repeat(100_000);
  for (let i = 0; i < 3; i++) scoped.getBoolFlag(`${long}${i}`, false);
  expect(warnings()).toEqual([`flag "${'x'.repeat(200)}…" is not in the datafile (revision 3, 5 flags); returning the default (ERROR/FLAG_NOT_FOUND; logged once per key)`]);
});

it('suggests from the datafile being served after an update', () => {
  const { core } = client();
  const scoped = core.forUser({ key: 'u_1' });
  expect(scoped.getBoolFlagDetails('new-checkout', false).errorMessage).toMatch(/nor any key close to it$/);
  const next = guideDatafile(4);
  next.flags.push({ key: 'new-checkouts', on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } });
  core.store.put(next);
  expect(scoped.getBoolFlagDetails('new-checkout', false).errorMessage).toBe(
    'flag "new-checkout" is not in the datafile (revision 4, 6 flags); did you mean "new-checkouts"?',
  );
});

it('finds the nearest key within a third of the key length', () => {
  const keys = ['checkout-v2', 'checkout-v3', 'ui-theme', 'page-size'];
  expect(nearestKey('checkout-v4', keys)).toBe('checkout-v2');
  expect(nearestKey('chekcout-v2', keys)).toBe('checkout-v2');
  expect(nearestKey('CHECKOUT-V3', keys)).toBe('checkout-v3');
  expect(nearestKey('ui-thme', keys)).toBe('ui-theme');
  expect(nearestKey('theme', keys)).toBeNull();
  expect(nearestKey('x', keys)).toBeNull();
  expect(nearestKey('anything', [])).toBeNull();
  expect(editDistance('kitten', 'sitting', 10)).toBe(3);
  expect(editDistance('kitten', 'sitting', 2)).toBe(2);
  expect(editDistance('', 'abc', 10)).toBe(3);
});

it('cuts the distance short at its limit without changing what is under it', () => {
  // a fixed pseudo-random sequence: reproducible
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const alphabet = 'ab-_cé1';
  const word = (max: number) => Array.from({ length: 1 + (next() % max) }, () => alphabet[next() % alphabet.length]).join('');
  for (let i = 0; i < 2000; i++) {
    const a = word(32);
    const b = word(40);
    const full = editDistance(a, b, 1000);
    const limit = 1 + (next() % 12);
    expect(editDistance(a, b, limit), `${a} / ${b} within ${limit}`).toBe(Math.min(full, limit));
  }
});

it('bounds the work of one suggestion, however many flags', () => {
  // as long as the key (so no length shortcut skips them) and far from it
  const keys = Array.from({ length: 250_000 }, (_, i) => `q${String(i).padStart(19, '0')}`);
  keys.push('feature-flag-numbr-x');
  // the match sits past the budget of characters compared: not found, but the miss stays cheap
  expect(nearestKey('feature-flag-numbr-y', keys)).toBeNull();
  expect(nearestKey('feature-flag-numbr-y', keys.slice(-1000))).toBe('feature-flag-numbr-x');
});

// a page reading a flag the dashboard shows but a client-side key never receives: "not in the datafile" alone sent
// a new user looking for a typo that is not there
it('says why a key with none close to it may be missing when every flag of the datafile is client-side (a page’s)', () => {
  const logger = new MemoryLogger();
  const pageDatafile = { ...guideDatafile(3), flags: guideDatafile(3).flags.map((f) => ({ ...f, clientSide: true })) };
  const core = new ClientCore({ platform: testPlatform(logger), engine: AvsbEngine.createSync(engineWasmModule()), initialDatafile: pageDatafile });
  const scoped = core.forUser({ key: 'u_1' });
  expect(scoped.getBoolFlagDetails('server-only-flag', false).errorMessage).toBe(
    'flag "server-only-flag" is not in the datafile (revision 3, 5 flags), nor any key close to it (every flag of this datafile is marked client-side, and a client-side key receives no other: if "server-only-flag" is a server-only flag, read it on the server or mark it client-side)',
  );
  // a misspelling still names its key alone, and a datafile with a server-only flag (a server's) says nothing more
  expect(scoped.getBoolFlagDetails('chekout-v2', false).errorMessage).toMatch(/; did you mean "checkout-v2"\?$/);
  expect(client().core.forUser({ key: 'u_1' }).getBoolFlagDetails('server-only-flag', false).errorMessage).toMatch(/nor any key close to it$/);
});
