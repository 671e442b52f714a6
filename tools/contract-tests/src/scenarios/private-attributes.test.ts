import { expect, it } from 'vitest';
import { contractSuite } from '../harness/contract-suite';
import { boolFlag, datafile, experimentFlag } from '../harness/datafiles';
import type { MockService, WireEventJson } from '../harness/mock-service';

const suite = contractSuite();
const EVENTS = { flushIntervalMs: 60_000, batchSize: 1_000, exposures: 'all' as const };
const prepare = (m: MockService): void => {
  m.datafile = datafile(1, [boolFlag('contract-flag', true), experimentFlag('contract-experiment')]);
};

/** Every request body the events endpoint got, as one text: a private value must appear nowhere in it. */
const everything = (mock: MockService): string => mock.eventRequests.map((r) => r.body).join('\n');

const contextEvent = (events: readonly WireEventJson[], key: string): Record<string, unknown> | undefined => {
  const found = events.find((e) => e.kind === 'context' && (e.context as { key?: unknown }).key === key);
  return found?.context as Record<string, unknown> | undefined;
};

/** Reads both flags and tracks an event for `context`, so that it appears in every event type. */
async function useEverywhere(client: Awaited<ReturnType<typeof suite.start>>['client'], context: Record<string, unknown>): Promise<void> {
  await client.evaluate('contract-flag', context, false);
  await client.evaluateString('contract-experiment', context, 'control');
  await client.track(context, 'purchase', { value: 1, properties: { currency: 'usd' } });
}

it('redacts private attributes from every event type and applies per-context private attributes to that context only', async ({ skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: { ...EVENTS, privateAttributes: ['email', '/address/street'] } },
    { requires: ['events', 'private-attributes'], prepare },
  );
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  const a = {
    kind: 'user',
    key: 'user-a',
    name: 'Ann',
    email: 'ann@secret.example',
    phone: 'PHONE-OF-ANN',
    address: { street: 'STREET-OF-ANN', city: 'Lyon' },
    _meta: { privateAttributes: ['phone'] },
  };
  const b = { kind: 'user', key: 'user-b', name: 'Bob', email: 'bob@secret.example', phone: 'PHONE-OF-BOB' };
  await useEverywhere(client, a);
  await useEverywhere(client, b);
  await client.flush();
  await mock.waitFor(() => mock.storedBatches.size >= 1, 'a stored batch');
  const events = mock.storedEvents();
  expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['exposure', 'custom', 'context', 'summary']));

  const text = everything(mock);
  for (const secret of ['ann@secret.example', 'bob@secret.example', 'PHONE-OF-ANN', 'STREET-OF-ANN']) {
    expect(text).not.toContain(secret);
  }
  const sentA = contextEvent(events, 'user-a')!;
  expect(sentA).toMatchObject({ kind: 'user', key: 'user-a', name: 'Ann', address: { city: 'Lyon' } });
  expect(sentA).not.toHaveProperty('email');
  expect(sentA).not.toHaveProperty('phone');
  expect((sentA._meta as { redactedAttributes: string[] }).redactedAttributes.sort()).toEqual(['/address/street', 'email', 'phone']);
  // B's phone is private nowhere: A's `_meta` must not leak into B
  const sentB = contextEvent(events, 'user-b')!;
  expect(sentB).toMatchObject({ kind: 'user', key: 'user-b', name: 'Bob', phone: 'PHONE-OF-BOB' });
  expect(sentB).not.toHaveProperty('email');
  expect((sentB._meta as { redactedAttributes: string[] }).redactedAttributes).toEqual(['email']);
});

it('redacts private attributes in each kind of a multi-kind context', async ({ skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: { ...EVENTS, privateAttributes: ['email'] } },
    { requires: ['events', 'private-attributes'], prepare },
  );
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  const multi = {
    kind: 'multi',
    user: { key: 'user-m', email: 'multi@secret.example', plan: 'pro' },
    org: { key: 'org-m', email: 'org@secret.example', tier: 'gold', secret: 'ORG-SECRET', _meta: { privateAttributes: ['secret'] } },
  };
  await useEverywhere(client, multi);
  await client.flush();
  await mock.waitFor(() => mock.storedBatches.size >= 1, 'a stored batch');
  const text = everything(mock);
  for (const secret of ['multi@secret.example', 'org@secret.example', 'ORG-SECRET']) expect(text).not.toContain(secret);
  expect(text).toContain('"plan":"pro"');
  expect(text).toContain('"tier":"gold"');
});

it('sends only kind, key and anonymous of contexts with all attributes private', async ({ skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: { ...EVENTS, allAttributesPrivate: true } },
    { requires: ['events', 'private-attributes'], prepare },
  );
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  await useEverywhere(client, { kind: 'user', key: 'user-p', anonymous: true, name: 'NAME-OF-P', plan: 'PLAN-OF-P' });
  await client.flush();
  await mock.waitFor(() => mock.storedBatches.size >= 1, 'a stored batch');
  const text = everything(mock);
  expect(text).not.toContain('NAME-OF-P');
  expect(text).not.toContain('PLAN-OF-P');
  const sent = contextEvent(mock.storedEvents(), 'user-p')!;
  expect(Object.keys(sent).filter((k) => k !== '_meta').sort()).toEqual(['anonymous', 'key', 'kind']);
});

it('sends every attribute when none is private', async ({ skip }) => {
  const { mock, client } = await suite.start(skip, { events: EVENTS }, { requires: ['events'], prepare });
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  await useEverywhere(client, { kind: 'user', key: 'user-o', email: 'open@example.com' });
  await client.flush();
  await mock.waitFor(() => mock.storedBatches.size >= 1, 'a stored batch');
  expect(contextEvent(mock.storedEvents(), 'user-o')).toMatchObject({ email: 'open@example.com' });
});
