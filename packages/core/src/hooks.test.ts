import { AvsbEngine } from '@avsb/engine';
import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import type { CustomRecord, EventRecorder, ExposureRecord } from './event-recorder';
import type { FlagDetail } from './flag-detail';
import type { AvsbHook, EvaluationSeriesContext, EvaluationSeriesData, TrackSeriesContext } from './hooks';

class Recorder implements EventRecorder {
  exposures: ExposureRecord[] = [];
  custom: CustomRecord[] = [];
  recordExposure(e: ExposureRecord): void {
    this.exposures.push(e);
  }
  recordCustom(e: CustomRecord): void {
    this.custom.push(e);
  }
}

interface Call {
  stage: string;
  series: EvaluationSeriesContext | TrackSeriesContext;
  data?: EvaluationSeriesData;
  detail?: FlagDetail<unknown>;
}

/** A hook that writes down every call, tagged with its name. */
function recordingHook(name: string, calls: Call[], extra: Partial<AvsbHook> = {}): AvsbHook {
  return {
    name,
    beforeEvaluation(series, data) {
      calls.push({ stage: `${name}:before`, series, data });
      return { startedBy: name };
    },
    afterEvaluation(series, data, detail) {
      calls.push({ stage: `${name}:after`, series, data, detail });
    },
    afterTrack(series) {
      calls.push({ stage: `${name}:track`, series });
    },
    ...extra,
  };
}

async function client(options: { hooks?: AvsbHook[]; datafile?: boolean; events?: boolean } = {}) {
  const logger = new MemoryLogger();
  const events = new Recorder();
  const core = new ClientCore({
    platform: testPlatform(logger),
    engine: await AvsbEngine.create(engineWasmBytes()),
    events: options.events === false ? null : events,
    initialDatafile: options.datafile === false ? null : guideDatafile(3),
    hooks: options.hooks ?? null,
  });
  return { core, events, logger };
}

it('tells hooks the flag key, context, default, method and revision, then the value, variation index and reason', async () => {
  const calls: Call[] = [];
  const { core } = await client({ hooks: [recordingHook('a', calls)] });
  const context = { kind: 'user', key: 'u_2', plan: 'pro' };
  const scoped = core.forUser(context);
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(calls.map((c) => c.stage)).toEqual(['a:before', 'a:after']);
  const series = { flagKey: 'checkout-v2', context, defaultValue: false, method: 'getBoolFlag', revision: 3 };
  expect(calls[0]!.series).toEqual(series);
  expect(calls[0]!.series.context).toBe(context);
  expect(calls[1]!.series).toBe(calls[0]!.series);
  expect(calls[1]!.detail).toEqual({ value: true, variationIndex: 1, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'pro-plan' }, inExperiment: false });

  calls.length = 0;
  const detail = scoped.getStringFlagDetails('ui-theme', 'x');
  expect(calls[0]!.series).toMatchObject({ flagKey: 'ui-theme', defaultValue: 'x', method: 'getStringFlagDetails' });
  expect(calls[1]!.detail).toEqual(detail);
  scoped.getNumberFlag('page-size', 1);
  scoped.getJsonFlagDetails('banner', null);
  expect(calls.filter((c) => c.stage === 'a:before').map((c) => (c.series as EvaluationSeriesContext).method)).toEqual([
    'getStringFlagDetails',
    'getNumberFlag',
    'getJsonFlagDetails',
  ]);
});

it('runs beforeEvaluation in the order hooks were added and afterEvaluation in reverse, each with its own data', async () => {
  const calls: Call[] = [];
  const { core } = await client({ hooks: [recordingHook('a', calls), recordingHook('b', calls)] });
  core.addHook(recordingHook('c', calls, { beforeEvaluation: undefined }));
  core.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false);
  expect(calls.map((c) => c.stage)).toEqual(['a:before', 'b:before', 'c:after', 'b:after', 'a:after']);
  expect(calls[0]!.data).toEqual({});
  expect(calls.find((c) => c.stage === 'a:after')!.data).toEqual({ startedBy: 'a' });
  expect(calls.find((c) => c.stage === 'b:after')!.data).toEqual({ startedBy: 'b' });
  expect(calls.find((c) => c.stage === 'c:after')!.data).toEqual({});
});

it('calls hooks for reads that serve the default: unknown flag, wrong type, not ready, closed', async () => {
  const calls: Call[] = [];
  const notReady = await client({ hooks: [recordingHook('a', calls)], datafile: false });
  expect(notReady.core.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(false);
  expect(calls[0]!.series).toMatchObject({ revision: null });
  expect(calls[1]!.detail).toMatchObject({ value: false, variationIndex: null, reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' } });

  calls.length = 0;
  const { core } = await client({ hooks: [recordingHook('a', calls)] });
  const scoped = core.forUser({ key: 'u_1' });
  expect(scoped.getBoolFlag('chekout-v2', false)).toBe(false);
  expect(scoped.getStringFlag('checkout-v2', 'x')).toBe('x');
  await core.close();
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(false);
  const reasons = calls.filter((c) => c.detail !== undefined).map((c) => c.detail!.reason);
  expect(reasons).toEqual([
    { kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' },
    { kind: 'ERROR', errorKind: 'WRONG_TYPE' },
    { kind: 'ERROR', errorKind: 'CLIENT_CLOSED' },
  ]);
});

it('gives hooks a copy of the detail, so a hook cannot change what the read returns', async () => {
  const tamper: AvsbHook = {
    afterEvaluation(_series, _data, detail) {
      const d = detail as { value: unknown; variationIndex: number | null };
      d.value = 'tampered';
      d.variationIndex = 7;
      // reasons and JSON values are frozen: changing them throws (logged once)
      (detail.reason as { kind: string }).kind = 'OFF';
    },
  };
  const { core, logger } = await client({ hooks: [tamper] });
  const scoped = core.forUser({ key: 'u_7' });
  expect(scoped.getStringFlag('ui-theme', 'x')).toBe('dark');
  expect(scoped.getStringFlagDetails('ui-theme', 'x')).toEqual({ value: 'dark', variationIndex: 1, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'beta' }, inExperiment: false });
  expect(scoped.getJsonFlag('banner', null)).toEqual({ show: true, text: 'hi' });
  expect(logger.at('error')).toEqual([expect.stringMatching(/hook #1 threw in afterEvaluation/)]);
});

it('logs a hook that throws once per stage, and the read and the other hooks go on', async () => {
  const calls: Call[] = [];
  const broken: AvsbHook = {
    name: 'broken',
    beforeEvaluation() {
      throw new Error('before boom');
    },
    afterEvaluation() {
      throw new Error('after boom');
    },
    afterTrack() {
      throw new Error('track boom');
    },
  };
  const { core, events, logger } = await client({ hooks: [broken, recordingHook('ok', calls)] });
  const scoped = core.forUser({ key: 'u_1' });
  for (let i = 0; i < 5; i++) expect(scoped.getBoolFlag('checkout-v2', false)).toBe(true);
  for (let i = 0; i < 3; i++) scoped.track('purchase', { value: 1 });
  expect(calls.filter((c) => c.stage === 'ok:after')).toHaveLength(5);
  expect(calls.filter((c) => c.stage === 'ok:track')).toHaveLength(3);
  expect(events.exposures).toHaveLength(5);
  expect(events.custom).toHaveLength(3);
  const errors = logger.at('error');
  expect(errors).toHaveLength(3);
  expect(errors[0]).toMatch(/hook "broken" threw in beforeEvaluation: before boom/);
  expect(errors[1]).toMatch(/hook "broken" threw in afterEvaluation: after boom/);
  expect(errors[2]).toMatch(/hook "broken" threw in afterTrack: track boom/);
});

it('reaches scoped clients made before addHook', async () => {
  const calls: Call[] = [];
  const { core } = await client();
  expect(core.hooks).toBeNull();
  const scoped = core.forUser({ key: 'u_1' });
  scoped.getBoolFlag('checkout-v2', false);
  core.addHook(recordingHook('late', calls));
  scoped.getBoolFlag('checkout-v2', false);
  expect(calls.map((c) => c.stage)).toEqual(['late:before', 'late:after']);
});

it('tells afterTrack of each custom event recorded, but not of one that was dropped', async () => {
  const calls: Call[] = [];
  const { core, events } = await client({ hooks: [recordingHook('a', calls)] });
  const context = { key: 'u_1', plan: 'pro' };
  const scoped = core.forUser(context);
  scoped.track('purchase', { value: 149.99, properties: { currency: 'usd' } });
  scoped.track('signup');
  scoped.track('');
  scoped.close();
  scoped.track('after-close');
  expect(calls.map((c) => c.series)).toEqual([
    { key: 'purchase', context, value: 149.99, properties: { currency: 'usd' } },
    { key: 'signup', context },
  ]);
  expect(events.custom.map((e) => e.key)).toEqual(['purchase', 'signup']);
});

it('calls afterTrack when events are off too', async () => {
  const calls: Call[] = [];
  const { core } = await client({ hooks: [recordingHook('a', calls)], events: false });
  core.forUser({ key: 'u_1' }).track('purchase');
  expect(calls.map((c) => c.stage)).toEqual(['a:track']);
});

it('records the same exposures with hooks as without', async () => {
  const read = async (hooks: AvsbHook[]) => {
    const { core, events } = await client({ hooks });
    const scoped = core.forUser({ key: 'u_3' });
    scoped.getBoolFlag('checkout-v2', false);
    scoped.getStringFlag('ui-theme', 'x');
    scoped.getNumberFlagDetails('page-size', 1);
    scoped.getBoolFlag('nope', false);
    return events.exposures;
  };
  expect(await read([{ afterEvaluation() {} }])).toEqual(await read([]));
});

it('calls no hooks for a flag read made from inside a hook', async () => {
  const calls: Call[] = [];
  const { core } = await client();
  const scoped = core.forUser({ key: 'u_1' });
  core.addHook({
    afterEvaluation(series) {
      if (series.flagKey === 'checkout-v2') calls.push({ stage: `nested:${scoped.getStringFlag('ui-theme', 'x')}`, series });
    },
  });
  core.addHook(recordingHook('a', calls, { beforeEvaluation: undefined }));
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(calls.map((c) => c.stage)).toEqual(['a:after', 'nested:default']);
});

it('ignores, with a warning, something that is not a hook', async () => {
  const { core, logger } = await client();
  core.addHook(null as unknown as AvsbHook);
  core.addHook(42 as unknown as AvsbHook);
  expect(core.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  expect(logger.at('warn')).toEqual([expect.stringMatching(/addHook\(\) needs a hook object, not null/)]);
});

it('does not await a hook that returns a promise, and logs its rejection instead of leaving it unhandled', async () => {
  const seen: unknown[] = [];
  // the types refuse async stages; JavaScript (or a cast) does not
  const asyncHook = {
    name: 'async',
    beforeEvaluation: async () => ({ never: 'used' }),
    async afterEvaluation(_series: unknown, data: unknown) {
      seen.push(data);
      throw new Error('async boom');
    },
    afterTrack: () => Promise.reject(new Error('track boom')),
  } as unknown as AvsbHook;
  const { core, logger } = await client({ hooks: [asyncHook] });
  const scoped = core.forUser({ key: 'u_1' });
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(true);
  scoped.track('purchase');
  // the promise is not data: afterEvaluation gets the empty data
  expect(seen).toEqual([{}]);
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(logger.at('error')).toEqual([
    expect.stringMatching(/hook "async" threw in afterEvaluation: async boom/),
    expect.stringMatching(/hook "async" threw in afterTrack: track boom/),
  ]);
});

/** A recorder like @avsb/events' by default: reads outside an experiment are only counted. */
class CountingRecorder extends Recorder {
  readonly recordsEveryRead = false;
  counted: [string, number | null, number | undefined][] = [];
  countEvaluation(flag: string, variation: number | null, index?: number): void {
    this.counted.push([flag, variation, index]);
  }
}

it('records reads with hooks as without: counted by index outside experiments, exposed inside', async () => {
  const read = async (hooks: AvsbHook[]) => {
    const events = new CountingRecorder();
    const core = new ClientCore({
      platform: testPlatform(new MemoryLogger()),
      engine: await AvsbEngine.create(engineWasmBytes()),
      events,
      initialDatafile: guideDatafile(3),
      hooks,
    });
    for (const key of ['u_1', 'u_2', 'u_3', 'u_7']) {
      const scoped = core.forUser({ key, plan: key === 'u_2' ? 'pro' : 'free' });
      scoped.getBoolFlag('checkout-v2', false);
      scoped.getStringFlag('ui-theme', 'x');
      scoped.getNumberFlag('page-size', 1);
      scoped.getBoolFlag('dark-launch', false);
      scoped.getStringFlag('checkout-v2', 'wrong type');
      scoped.getBoolFlag('nope', false);
      scoped.getJsonFlagDetails('banner', null);
    }
    return { counted: events.counted, exposures: events.exposures };
  };
  const plain = await read([]);
  expect(plain.counted.length).toBeGreaterThan(0);
  expect(plain.exposures.length).toBeGreaterThan(0);
  expect(await read([{ afterEvaluation() {} }])).toEqual(plain);
});

it("hands a typed read's hooks the engine's frozen detail, and a hook that keeps what it was given sees it unchanged", async () => {
  const kept: { series: EvaluationSeriesContext; detail: FlagDetail<unknown> }[] = [];
  const { core, logger } = await client({
    hooks: [
      {
        afterEvaluation(series, _data, detail) {
          kept.push({ series, detail });
        },
      },
    ],
  });
  const pro = core.forUser({ kind: 'user', key: 'u_2', plan: 'pro' });
  const free = core.forUser({ kind: 'user', key: 'u_1', plan: 'free' });
  expect(pro.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(pro.getBoolFlag('checkout-v2', false)).toBe(true);
  const freeValue = free.getBoolFlag('checkout-v2', false);
  expect(free.getBoolFlag('dark-launch', true)).toBe(true);
  const returned = pro.getStringFlagDetails('ui-theme', 'x');
  expect(kept.map((k) => k.series.flagKey)).toEqual(['checkout-v2', 'checkout-v2', 'checkout-v2', 'dark-launch', 'ui-theme']);
  // a new series per read, even for the same flag and context
  expect(kept[1]!.series).not.toBe(kept[0]!.series);
  expect(kept[0]!.series).toEqual({ flagKey: 'checkout-v2', context: { kind: 'user', key: 'u_2', plan: 'pro' }, defaultValue: false, method: 'getBoolFlag', revision: 3 });
  expect(kept[0]!.detail).toEqual({ value: true, variationIndex: 1, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'pro-plan' }, inExperiment: false });
  expect(Object.isFrozen(kept[0]!.detail)).toBe(true);
  expect(kept[2]!.detail).toEqual(free.getBoolFlagDetails('checkout-v2', false));
  expect(kept[2]!.detail.value).toBe(freeValue);
  expect(kept[3]!.detail).toEqual({ value: true, variationIndex: null, reason: { kind: 'OFF' }, inExperiment: false });
  // a …Details read: the caller's detail as without hooks, the hooks' a copy of it
  expect(kept[4]!.detail).toEqual(returned);
  expect(kept[4]!.detail).not.toBe(returned);
  expect(Object.isFrozen(returned)).toBe(false);
  expect(logger.at('error')).toEqual([]);
});

it('treats data whose `then` throws as a fault of the hook, not of the read', async () => {
  const seen: unknown[] = [];
  const hook: AvsbHook = {
    name: 'thenable',
    beforeEvaluation: () =>
      ({
        get then(): never {
          throw new Error('then boom');
        },
      }) as unknown as EvaluationSeriesData,
    afterEvaluation: (_series, data) => void seen.push(data),
  };
  const { core, logger } = await client({ hooks: [hook] });
  const scoped = core.forUser({ key: 'u_1' });
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(seen).toEqual([{}, {}]);
  expect(logger.at('error')).toEqual([expect.stringMatching(/hook "thenable" threw in beforeEvaluation: then boom/)]);
});
