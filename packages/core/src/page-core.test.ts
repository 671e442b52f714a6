import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { testPlatform } from '../test/support/platform';
import { ClientCoreBase } from './client-core-base';
import type { AvsbContext } from './context';
import type { EventRecorder, ExposureRecord } from './event-recorder';
import { LogOnce } from './logger';
import { PageCore } from './page-core';
import { JsonPageStore } from './page-json-store';
import type { ValueType } from './scoped-client-support';

function recorder(): EventRecorder & { exposures: ExposureRecord[] } {
  const exposures: ExposureRecord[] = [];
  return { exposures, recordExposure: (e) => void exposures.push(e), recordCustom: () => {} };
}

function page(options: { context?: AvsbContext; datafile?: boolean } = {}) {
  const logger = new MemoryLogger();
  const engine = AvsbEngine.createSync(engineWasmModule());
  const events = recorder();
  const source = { started: 0, stopped: 0, sink: null as PageCore | null };
  let settled = 0;
  const core = new PageCore({
    platform: testPlatform(logger),
    engine,
    context: options.context ?? { key: 'u_1' },
    dataSource: (sink) => {
      source.sink = sink as PageCore;
      return { start: () => void source.started++, stop: () => void source.stopped++ };
    },
    events,
    logOnce: new LogOnce(logger),
    keyHelp: 'pass the client key',
    settled: () => void settled++,
    // the guide's datafile is JSON: a store that loads it through the AvsbEngine's load
    store: (e, l) => new JsonPageStore(e, l),
  });
  if (options.datafile !== false) core.put(guideDatafile(3), { source: 'cache' });
  return { core, engine, events, logger, source, settled: () => settled };
}

// the reads a server's scoped client answers, and what it records for them
const READS: [string, unknown, ValueType][] = [
  ['checkout-v2', false, 'boolean'],
  ['ui-theme', 'x', 'string'],
  ['page-size', 10, 'number'],
  ['banner', null, null],
  ['ui-theme', 0, 'number'], // WRONG_TYPE
  ['chekout-v2', false, 'boolean'], // FLAG_NOT_FOUND, naming checkout-v2
];
const CONTEXTS: AvsbContext[] = [{ key: 'u_1' }, { key: 'u_2', plan: 'pro' }, { key: 'u_7' }, { key: 'u_9' }, { kind: 'bad kind!', key: 'u_1' } as AvsbContext];

it.each(CONTEXTS)('answers and records every read as a scoped client does, for %j', (context) => {
  const { core, events } = page({ context });
  const server = recorder();
  const base = new ClientCoreBase({
    platform: testPlatform(),
    engine: AvsbEngine.createSync(engineWasmModule()),
    events: server,
    initialDatafile: guideDatafile(3),
  });
  const scoped = base.forUser(context);
  for (const [key, defaultValue, type] of READS) {
    const expected =
      type === 'boolean'
        ? scoped.getBoolFlagDetails(key, defaultValue as boolean)
        : type === 'string'
          ? scoped.getStringFlagDetails(key, defaultValue as string)
          : type === 'number'
            ? scoped.getNumberFlagDetails(key, defaultValue as number)
            : scoped.getJsonFlagDetails(key, defaultValue);
    expect(core.read(key, defaultValue, type), key).toEqual(expected);
  }
  expect(core.allFlags()).toEqual(scoped.allFlags());
  const withoutIdentity = (records: ExposureRecord[]) => records.map(({ identity: _, ...record }) => record);
  expect(withoutIdentity(events.exposures)).toEqual(withoutIdentity(server.exposures));
});

it('reads CLIENT_NOT_READY before a datafile and starts its data source on the next turn, after what was put first', async () => {
  const { core, source, events } = page({ datafile: false });
  expect(core.ready).toBe(false);
  expect(core.status()).toBeNull();
  expect(core.read('ui-theme', 'x', 'string')).toEqual({ value: 'x', variationIndex: null, reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' }, inExperiment: false });
  expect(events.exposures).toMatchObject([{ flag: 'ui-theme', variation: null, reason: 'ERROR' }]);
  expect(source.started).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(source.started).toBe(1);
  core.put(guideDatafile(4));
  expect(core.status()).toEqual({ ready: true, revision: 4 });
});

it('keeps one context handle: identify releases it, close releases it and stops the source', () => {
  const { core, engine, source } = page();
  expect(core.read('ui-theme', 'x', 'string').value).toBe('default');
  expect(engine.liveContexts).toBe(1);
  core.identify({ key: 'u_7' });
  expect(engine.liveContexts).toBe(0);
  expect(core.read('ui-theme', 'x', 'string').value).toBe('dark');
  expect(engine.liveContexts).toBe(1);
  core.close();
  expect(engine.liveContexts).toBe(0);
  expect(source.stopped).toBe(1);
  expect(core.ready).toBe(false);
  expect(core.read('ui-theme', 'x', 'string').reason).toEqual({ kind: 'ERROR', errorKind: 'CLIENT_CLOSED' });
  expect(core.allFlags()).toEqual({});
  expect(engine.liveContexts).toBe(0);
});

it('tells of a refused key once, with the key help, and names the last problem when a wait times out', () => {
  const { core, logger, settled } = page({ datafile: false });
  core.error({ kind: 'network', message: 'stream: timed out' });
  core.error({ kind: 'network', message: 'stream: timed out' });
  expect(logger.at('warn')).toEqual(['stream: timed out; serving flag defaults and retrying']);
  const timedOut = core.timedOut(250);
  expect(timedOut.ready).toBe(false);
  expect(!timedOut.ready && timedOut.error.message).toMatch(/^A vs B: no datafile within 250 ms \(last problem: stream: timed out\)/);
  core.valid();
  expect(logger.at('info')).toContain('connected to A vs B again');
  core.error({ kind: 'unauthorized', status: 401, message: 'stream: refused' });
  expect(settled()).toBe(1);
  const status = core.status();
  expect(status?.ready).toBe(false);
  expect(status?.ready === false && status.error.kind).toBe('unauthorized');
  expect(status?.ready === false && status.error.message).toMatch(/^A vs B refused the SDK key \(HTTP 401\): pass the client key\./);
  expect(logger.at('error')).toHaveLength(1);
});
