import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { contractSuite } from '../harness/contract-suite';
import { datafile } from '../harness/datafiles';
import type { MockService } from '../harness/mock-service';

const suite = contractSuite();
const user = { kind: 'user', key: 'u_1' };

/** A service that accepts the stream but never says anything, and never answers a datafile request. */
const silent = {
  prepare: (mock: MockService) => {
    mock.onStream((c) => c.open()).onDatafile(() => ({ hang: true }));
  },
};

it('does not wait when onReady is given a timeout of 0 and the service has not answered', async ({ skip }) => {
  // a default limit of ten minutes: a 0 taken for "the default" (or for none) times the test out, with no clock read
  const { client } = await suite.start(skip, { events: null, startupTimeoutMs: 600_000 }, silent);
  expect(await client.waitForReady(0)).toEqual({ ready: false, errorKind: 'timeout' });
});

it('resolves not ready with a timeout after a positive start-up timeout when the source never answers, and serves defaults', async ({ skip }) => {
  const { client } = await suite.start(skip, { events: null }, silent);
  const started = performance.now();
  const result = await client.waitForReady(400);
  const elapsed = performance.now() - started;
  expect(result).toEqual({ ready: false, errorKind: 'timeout' });
  expect(elapsed).toBeGreaterThanOrEqual(395); // only its timer can end it (the service never answers)
  const read = await client.evaluate('contract-flag', user, false);
  expect(read).toMatchObject({ value: false, variationIndex: null, reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' } });
});

it('becomes ready after a start-up timeout once the source answers, and a later wait resolves ready', async ({ skip }) => {
  const { client, mock } = await suite.start(skip, { events: null }, silent);
  expect(await client.waitForReady(100)).toEqual({ ready: false, errorKind: 'timeout' });
  mock.streams[0]!.put(datafile(7));
  expect(await client.waitForReady(5_000)).toEqual({ ready: true, revision: 7 });
  expect(await client.evaluate('contract-flag', user, false)).toMatchObject({ value: true, reason: { kind: 'FALLTHROUGH' } });
});

it('resolves ready at once when the datafile is already loaded, whatever the timeout', async ({ skip }) => {
  const { client, mock } = await suite.start(skip, { events: null }, { prepare: (m) => void (m.datafile = datafile(3)) });
  expect(await client.waitForReady(5_000)).toEqual({ ready: true, revision: 3 });
  // ready with no time to wait at all: it answered from what it holds
  expect(await client.waitForReady(0)).toEqual({ ready: true, revision: 3 });
  expect(mock.streams).toHaveLength(1);
});

it('resolves unauthorized before the timeout when the service refuses the key', async ({ skip }) => {
  const { client } = await suite.start(skip, { events: null }, {
    prepare: (mock) => {
      mock.onStream((c) => c.reply(401)).onDatafile(() => ({ status: 401 }));
    },
  });
  // ended by the refusal: a wait that ran its 20 s out would be a 'timeout'
  expect(await client.waitForReady(20_000)).toEqual({ ready: false, errorKind: 'unauthorized' });
});

it('uses the configured start-up timeout when waitForReady names none', async ({ skip }) => {
  const { client } = await suite.start(skip, { events: null, startupTimeoutMs: 300 }, silent);
  const ended: string[] = [];
  const started = performance.now();
  const configured = client.waitForReady().then((result) => (ended.push('configured'), result));
  const asked = client.waitForReady(2_000).then(() => ended.push('2 s'));
  expect(await configured).toEqual({ ready: false, errorKind: 'timeout' });
  expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  await asked;
  // the configured 300 ms ends before a wait of 2 s asked beside it, which the default (5 s) would not: an order, not
  // a clock that a loaded machine stretches
  expect(ended).toEqual(['configured', '2 s']);
});

it('resolves a pending start-up wait as closed when the client is closed first', async ({ skip }) => {
  const { client } = await suite.start(skip, { events: null }, silent);
  const waiting = client.waitForReady(20_000);
  await new Promise((resolve) => setTimeout(resolve, 50)); // the wait has reached the SDK
  await client.close();
  expect(await waiting).toEqual({ ready: false, errorKind: 'closed' });
});
