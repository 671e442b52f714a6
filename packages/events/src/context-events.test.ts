import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ContextRedactor, parseReference } from './context-redactor';
import type { FaultProxy } from '../test/support/fault-proxy';
import type { Backend } from '../test/support/harness';
import { pipelineTo, startStack } from '../test/support/harness';

let stack: Awaited<ReturnType<typeof startStack>>;
let backend: Backend;
let proxy: FaultProxy;
let before = 0;

beforeAll(async () => {
  stack = await startStack();
  ({ backend, proxy } = stack);
});
afterAll(() => stack.close());
beforeEach(async () => {
  before = (await backend.events()).length;
});

async function stored() {
  return (await backend.events()).slice(before);
}

it('sends each context once per window, without private attributes: they never reach the server', async () => {
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, {
    privateAttributes: ['email', '/address/street'],
    dedupeWindowMs: 60_000,
    exposures: 'all',
  });
  const alice = {
    kind: 'user',
    key: 'u_alice',
    name: 'Alice',
    email: 'alice@secret.example',
    phone: '+47-SECRET-PHONE',
    address: { street: 'SECRET STREET 1', city: 'Oslo' },
    _meta: { privateAttributes: ['phone'] },
  };
  const multi = {
    kind: 'multi',
    user: { key: 'u_bob', email: 'bob@secret.example', plan: 'pro' },
    org: { key: 'acme', revenue: 'SECRET-REVENUE', tier: 2, _meta: { privateAttributes: ['revenue'] } },
  };
  for (let i = 0; i < 50; i++) {
    pipeline.recordExposure({ flag: 'checkout-v2', variation: i % 2, context: alice });
    pipeline.recordCustom({ key: 'purchase', value: 1, context: { ...alice } }); // another object, same key
    pipeline.recordExposure({ flag: 'ui-theme', variation: 0, context: multi });
  }
  await pipeline.close();

  const events = await stored();
  const contexts = events.filter((e) => e.kind === 'context');
  expect(contexts).toHaveLength(2);
  expect(contexts.find((e) => e.context.kind === 'user')!.context).toEqual({
    kind: 'user',
    key: 'u_alice',
    name: 'Alice',
    address: { city: 'Oslo' },
    _meta: { redactedAttributes: ['email', '/address/street', 'phone'] },
  });
  expect(contexts.find((e) => e.context.kind === 'multi')!.context).toEqual({
    kind: 'multi',
    user: { key: 'u_bob', plan: 'pro', _meta: { redactedAttributes: ['email'] } },
    org: { key: 'acme', tier: 2, _meta: { redactedAttributes: ['revenue'] } },
  });
  expect(events.find((e) => e.kind === 'exposure' && e.flag === 'ui-theme')!.contextKeys).toEqual({ org: 'acme', user: 'u_bob' });
  const everything = JSON.stringify(events);
  for (const secret of ['alice@secret.example', 'bob@secret.example', 'SECRET STREET', 'SECRET-PHONE', 'SECRET-REVENUE']) {
    expect(everything).not.toContain(secret);
  }
  // the application's objects are untouched
  expect(alice.email).toBe('alice@secret.example');
  expect(alice.address.street).toBe('SECRET STREET 1');
});

it('sends only kind, key and anonymous with allAttributesPrivate', async () => {
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, { allAttributesPrivate: true });
  pipeline.recordCustom({
    key: 'visit',
    context: { kind: 'device', key: 'd_1', anonymous: true, model: 'SECRET-MODEL', owner: { name: 'SECRET-OWNER' } },
  });
  await pipeline.close();
  const events = await stored();
  expect(events.find((e) => e.kind === 'context')!.context).toEqual({
    kind: 'device',
    key: 'd_1',
    anonymous: true,
    _meta: { redactedAttributes: ['model', 'owner'] },
  });
  expect(JSON.stringify(events)).not.toContain('SECRET');
});

// a JavaScript caller's `privateAttributes: 'email'` (or a typo'd reference) must not send what it meant to keep
it('fails closed on private attributes it cannot read: one name is a list of one, anything else keeps every attribute', async () => {
  const cases: [string, unknown, Record<string, unknown>][] = [
    ['one name', 'email', { kind: 'user', key: 'p_name', plan: 'pro', _meta: { redactedAttributes: ['email'] } }],
    ['an object', { email: true }, { kind: 'user', key: 'p_object', _meta: { redactedAttributes: ['email', 'plan'] } }],
    ['a bad reference', ['/email/'], { kind: 'user', key: 'p_reference', _meta: { redactedAttributes: ['email', 'plan'] } }],
    ['a number in the list', ['plan', 7], { kind: 'user', key: 'p_number', _meta: { redactedAttributes: ['email', 'plan'] } }],
  ];
  for (const [name, privateAttributes, sent] of cases) {
    const { pipeline, logger } = pipelineTo(proxy.url, backend.sdkKey, { privateAttributes: privateAttributes as string[] });
    pipeline.recordCustom({ key: 'visit', context: { kind: 'user', key: sent.key as string, email: 'SECRET@example.com', plan: 'pro' } });
    await pipeline.close();
    const events = await stored();
    before += events.length;
    expect(events.find((e) => e.kind === 'context')!.context, name).toEqual(sent);
    expect(JSON.stringify(events), name).not.toContain('SECRET');
    if (name !== 'one name') expect(logger.text(), name).toMatch(/^warn: privateAttributes.*: every attribute but kind, key and anonymous is kept private/m);
  }
  // a context's own _meta.privateAttributes the same way
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey);
  pipeline.recordCustom({ key: 'visit', context: { kind: 'user', key: 'p_meta', email: 'SECRET@example.com', plan: 'pro', _meta: { privateAttributes: 'email' } } });
  await pipeline.close();
  expect((await stored()).find((e) => e.kind === 'context')!.context).toEqual({ kind: 'user', key: 'p_meta', plan: 'pro', _meta: { redactedAttributes: ['email'] } });
});

// a server's dedupe cache full of one-request visitors: the user who keeps coming back is the one it keeps
it('keeps a returning context over visitors read in one request only, when the dedupe cache is full', async () => {
  // three contexts with two exposures each fill it
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, { dedupeCapacity: 9, dedupeWindowMs: 60_000 });
  const request = (key: string) => {
    const context = { kind: 'user', key, plan: 'pro' };
    for (const flag of ['checkout-experiment', 'search-ranking']) pipeline.recordExposure({ flag, variation: 1, inExperiment: true, context });
  };
  for (let i = 0; i < 40; i++) {
    request('u_regular');
    request(`u_visitor_${i}`);
  }
  await pipeline.close();

  const contexts = (await stored()).filter((e) => e.kind === 'context').map((e) => e.context.key);
  expect(contexts.filter((key) => key === 'u_regular')).toHaveLength(1);
  expect(contexts).toHaveLength(41);
});

it('parses attribute references as the engine does', () => {
  expect(parseReference('plan')).toEqual(['plan']);
  expect(parseReference('a/b')).toEqual(['a/b']);
  expect(parseReference('/address/city')).toEqual(['address', 'city']);
  expect(parseReference('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
  for (const bad of ['', '/', '//x', '/x/', 7, null]) expect(parseReference(bad)).toBeUndefined();
});

it('never redacts kind or key, and leaves values that are not JSON out', () => {
  const redactor = new ContextRedactor({ privateAttributes: ['key', 'kind', '/key', 'missing', '/nested/deeper/x'] });
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const out = redactor.redact({ kind: 'user', key: 'k', nested: { deeper: 'not an object' }, fn: () => 1, big: 10n, cyclic });
  expect(out).toEqual({ kind: 'user', key: 'k', nested: { deeper: 'not an object' }, cyclic: { a: 1 } });
});
