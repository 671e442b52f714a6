import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { MemoryLogger } from '@avsb/test-support';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import type { CustomRecord, EventRecorder, ExposureRecord } from './event-recorder';

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

/** A recorder like `@avsb/events` by default: reads outside experiments are only counted. */
class CountingRecorder extends Recorder {
  readonly recordsEveryRead = false;
  counted: string[] = [];
  indexes: (number | undefined)[] = [];
  countEvaluation(flag: string, variation: number | null, index?: number): void {
    this.counted.push(`${flag}:${variation}`);
    this.indexes.push(index);
  }
}

function client<R extends Recorder = Recorder>(options: { datafile?: boolean; events?: R } = {}) {
  const logger = new MemoryLogger();
  const events = options.events ?? (new Recorder() as R);
  const core = new ClientCore({
    platform: testPlatform(logger),
    engine: AvsbEngine.createSync(engineWasmModule()),
    events,
    initialDatafile: options.datafile === false ? null : guideDatafile(3),
  });
  return { core, events, logger };
}

it('reads typed values for a context', () => {
  const { core } = client();
  const u1 = core.forUser({ kind: 'user', key: 'u_1', plan: 'free' });
  expect(u1.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(u1.getStringFlag('ui-theme', 'x')).toBe('default');
  expect(u1.getNumberFlag('page-size', 10)).toBe(50);
  expect(u1.getJsonFlag('banner', { show: false })).toEqual({ show: false });
  const beta = core.forUser({ key: 'u_7' });
  expect(beta.getStringFlag('ui-theme', 'x')).toBe('dark');
  expect(beta.getJsonFlag<{ show: boolean; text?: string }>('banner', { show: false }).text).toBe('hi');
});

it('explains each value in the details reads', () => {
  const { core } = client();
  const pro = core.forUser({ key: 'u_2', plan: 'pro' });
  expect(pro.getBoolFlagDetails('checkout-v2', false)).toEqual({
    value: true,
    variationIndex: 1,
    reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'pro-plan' },
    inExperiment: false,
  });
  expect(pro.getBoolFlagDetails('dark-launch', true)).toEqual({
    value: true,
    variationIndex: null,
    reason: { kind: 'OFF' },
    inExperiment: false,
  });
  expect(pro.getJsonFlagDetails('banner', null).reason).toEqual({
    kind: 'PREREQUISITE_FAILED',
    prerequisiteIndex: 0,
    prerequisiteKey: 'ui-theme',
  });
  expect(pro.getNumberFlagDetails('missing', 1)).toEqual({
    value: 1,
    variationIndex: null,
    reason: { kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' },
    inExperiment: false,
    errorMessage: expect.stringMatching(/^flag "missing" is not in the datafile/),
  });
  const other = core.forUser({ key: 'someone-else' });
  expect(other.getBoolFlagDetails('checkout-v2', false).inExperiment).toBe(true);
});

it('returns the default with ERROR/WRONG_TYPE when the variation has another type, and logs once', () => {
  const { core, logger, events } = client();
  const c = core.forUser({ key: 'u_1' });
  expect(c.getBoolFlag('ui-theme', false)).toBe(false);
  expect(c.getNumberFlag('ui-theme', 7)).toBe(7);
  expect(c.getStringFlagDetails('page-size', 'd')).toEqual({
    value: 'd',
    variationIndex: null,
    reason: { kind: 'ERROR', errorKind: 'WRONG_TYPE' },
    inExperiment: false,
  });
  c.getBoolFlag('ui-theme', false);
  expect(logger.at('warn').filter((m) => m.includes('"ui-theme"') && m.includes('boolean'))).toHaveLength(1);
  expect(events.exposures[0]).toMatchObject({ flag: 'ui-theme', variation: null, reason: 'ERROR' });
});

it('serves defaults with CLIENT_NOT_READY before any datafile', () => {
  const { core } = client({ datafile: false });
  const c = core.forUser({ key: 'u_1' });
  expect(c.getBoolFlag('checkout-v2', true)).toBe(true);
  expect(c.getStringFlagDetails('ui-theme', 'light')).toEqual({
    value: 'light',
    variationIndex: null,
    reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' },
    inExperiment: false,
  });
  expect(c.allFlags()).toEqual({});
});

it('serves defaults with CONTEXT_INVALID for an invalid context, logging the engine message once', () => {
  const { core, logger, events } = client();
  for (let i = 0; i < 3; i++) {
    const c = core.forUser({ kind: 'user', key: '' });
    expect(c.getBoolFlag('checkout-v2', true)).toBe(true);
    expect(c.getBoolFlagDetails('checkout-v2', true).reason).toEqual({ kind: 'ERROR', errorKind: 'CONTEXT_INVALID' });
    expect(c.allFlags()).toEqual({});
  }
  const warnings = logger.at('warn');
  expect(warnings).toHaveLength(1);
  expect(events.exposures).toEqual([]);
  expect(warnings[0]).toMatch(/invalid context \(context\.key: .*\); serving flag defaults/);
  // not even nonsense throws
  const nonsense = core.forUser(null as never);
  expect(nonsense.getStringFlag('ui-theme', 'x')).toBe('x');
  nonsense.track('x');
  nonsense.close();
});

it('lists every served value, or only client-side flags', () => {
  const { core } = client();
  const c = core.forUser({ key: 'u_7' });
  expect(c.allFlags()).toEqual({
    'checkout-v2': expect.any(Boolean),
    'ui-theme': 'dark',
    'page-size': 50,
    banner: { show: true, text: 'hi' },
  });
  expect(c.allFlags({ clientSideOnly: true })).toEqual({ 'ui-theme': 'dark' });
  expect(core.allFlags({ key: 'u_1' }, { clientSideOnly: true })).toEqual({ 'ui-theme': 'default' });
});

it('records an exposure per read and custom events from track', () => {
  const { core, events } = client();
  const ctx = { kind: 'user', key: 'u_2', plan: 'pro' };
  const c = core.forUser(ctx);
  c.getBoolFlag('checkout-v2', false);
  c.getBoolFlag('nope', false);
  c.track('purchase', { value: 149.99, properties: { currency: 'usd' } });
  c.track('signup');
  c.track('bad-value', { value: Number.NaN });
  // the context's validation travels with its events: worked out once per scoped client, not per event
  const identity = expect.objectContaining({ valid: true, context: ctx, canonicalKey: 'user:u_2', keys: { user: 'u_2' } });
  expect(events.exposures).toEqual([
    { flag: 'checkout-v2', variation: 1, reason: 'RULE_MATCH', inExperiment: false, context: ctx, identity, revision: 3 },
    { flag: 'nope', variation: null, reason: 'ERROR', inExperiment: false, context: ctx, identity, revision: 3 },
  ]);
  expect(events.custom).toEqual([
    { key: 'purchase', value: 149.99, properties: { currency: 'usd' }, context: ctx, identity },
    { key: 'signup', context: ctx, identity },
    { key: 'bad-value', context: ctx, identity },
  ]);
  expect(events.exposures[0]!.identity).toBe(events.custom[2]!.identity);
});

it('never throws, even when the event recorder does', () => {
  const logger = new MemoryLogger();
  const core = new ClientCore({
    platform: testPlatform(logger),
    engine: AvsbEngine.createSync(engineWasmModule()),
    initialDatafile: guideDatafile(),
    events: {
      recordExposure: () => {
        throw new Error('boom');
      },
      recordCustom: () => {
        throw new Error('boom');
      },
    },
  });
  const c = core.forUser({ key: 'u_1' });
  expect(c.getBoolFlag('checkout-v2', false)).toBe(false);
  expect(c.getBoolFlagDetails('checkout-v2', false).value).toBe(false);
  expect(() => c.track('x')).not.toThrow();
  expect(logger.at('error').length).toBeGreaterThan(0);
});

it('registers the context once, lazily, and releases it on close or dispose', () => {
  const { core } = client();
  const engine = core.engine;
  const before = engine.liveContexts;
  const c = core.forUser({ key: 'u_1' });
  expect(engine.liveContexts).toBe(before);
  c.getBoolFlag('checkout-v2', false);
  c.getStringFlag('ui-theme', 'x');
  expect(engine.liveContexts).toBe(before + 1);
  c.close();
  expect(engine.liveContexts).toBe(before);
  expect(c.getBoolFlagDetails('checkout-v2', false).reason).toEqual({ kind: 'ERROR', errorKind: 'CLIENT_CLOSED' });
  {
    using d = core.forUser({ key: 'u_2' });
    d.getBoolFlag('checkout-v2', false);
    expect(engine.liveContexts).toBe(before + 1);
  }
  expect(engine.liveContexts).toBe(before);
});

it('keeps a scoped client working across datafile updates', () => {
  const { core } = client();
  const c = core.forUser({ key: 'u_1' });
  expect(c.getNumberFlag('page-size', 0)).toBe(50);
  const next = guideDatafile(4);
  next.flags = next.flags.filter((f) => f.key !== 'checkout-v2');
  next.flags.find((f) => f.key === 'page-size')!.fallthrough = { variation: 0 };
  core.store.put(next);
  expect(c.getNumberFlag('page-size', 0)).toBe(20);
  expect(c.getBoolFlagDetails('checkout-v2', false).reason).toEqual({ kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' });
});

it('hands reads outside experiments to countEvaluation when the recorder only counts them, and records the rest', () => {
  const { core, events } = client({ events: new CountingRecorder() });
  const visitor = core.forUser({ key: 'v_42', plan: 'free' }); // free: in checkout-v2's experiment
  // the first read registers the context, then records its one evaluation as every read does: counted
  expect(visitor.getStringFlag('ui-theme', 'x')).toBe('default');
  expect(visitor.getStringFlag('ui-theme', 'x')).toBe('default');
  expect(visitor.getNumberFlag('page-size', 10)).toBe(50);
  expect(typeof visitor.getBoolFlag('checkout-v2', false)).toBe('boolean');
  expect(visitor.getBoolFlag('no-such-flag', true)).toBe(true);
  visitor.close();
  expect(events.counted).toEqual(['ui-theme:0', 'ui-theme:0', 'page-size:1']);
  expect(events.exposures.map((e) => `${e.flag}:${e.variation === null ? 'default' : 'variation'}:${e.inExperiment}`)).toEqual([
    'checkout-v2:variation:true',
    'no-such-flag:default:false',
  ]);
});

it('counts a read that serves the default (no variation, or one of another type) by its flag index when the recorder only counts', () => {
  const { core, events, logger } = client({ events: new CountingRecorder() });
  const visitor = core.forUser({ key: 'v_44', plan: 'pro' });
  expect(visitor.getBoolFlag('dark-launch', true)).toBe(true); // off, no off variation
  expect(visitor.getBoolFlag('dark-launch', true)).toBe(true);
  expect(visitor.getBoolFlag('page-size', false)).toBe(false); // a number: wrong type, logged once
  visitor.close();
  const keys = guideDatafile(3).flags.map((f) => f.key);
  expect(events.counted).toEqual(['dark-launch:null', 'dark-launch:null', 'page-size:null']);
  expect(events.indexes).toEqual([keys.indexOf('dark-launch'), keys.indexOf('dark-launch'), keys.indexOf('page-size')]);
  expect(events.exposures).toEqual([]);
  expect(logger.at('warn').filter((m) => m.includes('"page-size"'))).toHaveLength(1);
  // a recorder that takes every read gets the record as before, with its reason
  const all = client();
  const other = all.core.forUser({ key: 'v_45' });
  other.getBoolFlag('dark-launch', true);
  other.getBoolFlag('page-size', false);
  other.close();
  expect(all.events.exposures.map((e) => `${e.flag}:${e.variation}:${e.reason}:${e.inExperiment}`)).toEqual([
    'dark-launch:null:OFF:false',
    'page-size:null:ERROR:false',
  ]);
});

it("gives the recorder each read's flag index in the datafile that answered it, after an update that moved the flag too", () => {
  const { core, events } = client({ events: new CountingRecorder() });
  const visitor = core.forUser({ key: 'v_43', plan: 'free' });
  visitor.getStringFlag('ui-theme', 'x');
  visitor.getBoolFlagDetails('checkout-v2', false);
  const next = guideDatafile(4);
  next.flags.reverse();
  core.store.put(next);
  visitor.getStringFlag('ui-theme', 'x');
  visitor.getBoolFlag('checkout-v2', false);
  visitor.getBoolFlag('no-such-flag', true);
  visitor.close();
  const keys = guideDatafile(3).flags.map((f) => f.key);
  const theme = keys.indexOf('ui-theme');
  const last = keys.length - 1;
  expect(theme).toBeGreaterThanOrEqual(0);
  expect(theme).not.toBe(last - theme);
  expect(events.indexes).toEqual([theme, last - theme]);
  // checkout-v2 puts this visitor in an experiment: recorded, not counted
  expect(events.exposures.map((e) => e.flag)).toEqual(['checkout-v2', 'checkout-v2', 'no-such-flag']);
});

/** A recorder that marks exposures, as `@avsb/events` does: a mark per context, which it may stop honouring. */
class MarkingRecorder extends CountingRecorder {
  mark = 7;
  holds = true;
  repeats: string[] = [];
  override recordExposure(e: ExposureRecord): number {
    super.recordExposure(e);
    return e.inExperiment ? this.mark : -1;
  }
  repeatExposure(mark: number, flag: string, variation: number, index: number): boolean {
    if (!this.holds) return false;
    this.repeats.push(`${mark}:${flag}:${variation}:${index}`);
    return true;
  }
}

it('after a few reads in an experiment, counts a held client repeat ones by the mark the recorder gave, until it no longer holds', () => {
  const { core, events } = client({ events: new MarkingRecorder() });
  const visitor = core.forUser({ key: 'v_44', plan: 'free' }); // in checkout-v2's experiment
  const index = guideDatafile(3).flags.findIndex((f) => f.key === 'checkout-v2');
  const served = visitor.getBoolFlag('checkout-v2', false);
  // a request's first reads in an experiment are recorded (and marked) as before
  for (let i = 0; i < 5; i++) expect(visitor.getBoolFlag('checkout-v2', !served)).toBe(served);
  expect(events.exposures).toHaveLength(5);
  const variation = events.exposures[0]!.variation;
  expect(events.repeats).toEqual([`7:checkout-v2:${variation}:${index}`]);
  // the mark no longer holds (a new window): recorded again, and marked anew
  events.holds = false;
  events.mark = 9;
  visitor.getBoolFlag('checkout-v2', false);
  expect(events.exposures).toHaveLength(6);
  events.holds = true;
  visitor.getBoolFlagDetails('checkout-v2', false);
  visitor.getStringFlag('ui-theme', 'x');
  visitor.getBoolFlag('checkout-v2', false);
  expect(events.repeats).toEqual([`7:checkout-v2:${variation}:${index}`, `9:checkout-v2:${variation}:${index}`]);
  // a `…Details` read records as before; reads outside experiments are counted
  expect(events.exposures).toHaveLength(7);
  expect(events.counted).toEqual(['ui-theme:0']);
  visitor.close();
  visitor.getBoolFlag('checkout-v2', false);
  expect(events.repeats).toHaveLength(2);
});
