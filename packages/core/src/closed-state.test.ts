import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { MemoryLogger } from '@avsb/test-support';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import type { CustomRecord, EventRecorder, ExposureRecord } from './event-recorder';

const CLOSED = { kind: 'ERROR', errorKind: 'CLIENT_CLOSED' } as const;

class Recorder implements EventRecorder {
  readonly recordsEveryRead = false;
  exposures: ExposureRecord[] = [];
  custom: CustomRecord[] = [];
  counted = 0;
  closes = 0;
  recordExposure(e: ExposureRecord): void {
    this.exposures.push(e);
  }
  recordCustom(e: CustomRecord): void {
    this.custom.push(e);
  }
  countEvaluation(): void {
    this.counted++;
  }
  close(): Promise<void> {
    this.closes++;
    return Promise.resolve();
  }
  get total(): number {
    return this.exposures.length + this.custom.length + this.counted;
  }
}

/** The real engine, with every method call counted once `counting` is set. */
function countingEngine() {
  const engine = AvsbEngine.createSync(engineWasmModule());
  const state = { counting: false, calls: [] as string[] };
  const proxy = new Proxy(engine, {
    get(target, name, receiver) {
      const member = Reflect.get(target, name, receiver) as unknown;
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        if (state.counting) state.calls.push(String(name));
        return (member as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { engine, proxy, state };
}

function client() {
  const logger = new MemoryLogger();
  const events = new Recorder();
  const { engine, proxy, state } = countingEngine();
  const core = new ClientCore({ platform: testPlatform(logger), engine: proxy, events, initialDatafile: guideDatafile(3) });
  return { core, events, logger, engine, state };
}

it('serves defaults with CLIENT_CLOSED and records nothing once the client is closed, for old and new scoped clients', async () => {
  const { core, events, logger, engine, state } = client();
  const old = core.forUser({ key: 'u_1' });
  expect(old.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(engine.liveContexts).toBe(1);
  const recorded = events.total;
  await core.close();
  state.counting = true;

  expect(old.getBoolFlag('checkout-v2', false)).toBe(false);
  expect(old.getStringFlag('ui-theme', 'x')).toBe('x');
  expect(old.getBoolFlagDetails('checkout-v2', false)).toEqual({ value: false, variationIndex: null, reason: CLOSED, inExperiment: false });
  expect(old.allFlags()).toEqual({});
  old.track('purchase', { value: 1 });

  const fresh = core.forUser({ key: 'u_2', plan: 'pro' });
  expect(fresh.getBoolFlag('checkout-v2', false)).toBe(false);
  expect(fresh.getNumberFlagDetails('page-size', 7)).toEqual({ value: 7, variationIndex: null, reason: CLOSED, inExperiment: false });
  expect(fresh.getJsonFlagDetails('nope', null).reason).toEqual(CLOSED);
  expect(core.allFlags({ key: 'u_3' })).toEqual({});
  fresh.track('purchase');
  fresh.close();

  expect(events.total).toBe(recorded);
  // a new scoped client never reached the engine, and the old one only to read nothing
  expect(state.calls).toEqual([]);
  expect(engine.liveContexts).toBe(1);
  old.close();
  expect(state.calls).toEqual(['releaseContext']);
  expect(engine.liveContexts).toBe(0);
  expect(logger.at('warn').filter((m) => m.includes('CLIENT_CLOSED'))).toEqual([
    expect.stringMatching(/^a flag read or track\(\) on an A vs B client after close\(\)/),
  ]);
});

it('serves defaults with CLIENT_CLOSED after a scoped client closes, and drops its track() events', () => {
  const { core, events, logger } = client();
  const ctx = { key: 'u_1' };
  const scoped = core.forUser(ctx);
  scoped.getBoolFlag('checkout-v2', false);
  scoped.close();
  scoped.close();
  const recorded = events.total;
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(false);
  expect(scoped.getStringFlagDetails('ui-theme', 'x').reason).toEqual(CLOSED);
  expect(scoped.allFlags()).toEqual({});
  scoped.track('purchase', { value: 3 });
  expect(events.total).toBe(recorded);
  expect(logger.at('warn')).toEqual([expect.stringMatching(/^a flag read or track\(\) on a scoped client after its close\(\).*CLIENT_CLOSED/)]);
  // the client itself is unaffected
  const other = core.forUser(ctx);
  expect(other.getBoolFlag('checkout-v2', false)).toBe(true);
  other.track('purchase');
  expect(events.custom).toHaveLength(1);
});

it('closes once however often close() is called, and says closed in onReady and ready afterwards', async () => {
  const { core, events } = client();
  expect(core.ready).toBe(true);
  expect(await core.onReady({ timeoutMs: 0 })).toEqual({ ready: true, revision: 3 });
  const first = core.close();
  expect(core.close()).toBe(first);
  await first;
  await core.close();
  expect(events.closes).toBe(1);
  expect(core.closed).toBe(true);
  expect(core.ready).toBe(false);
  const result = await core.onReady({ timeoutMs: 10_000 });
  expect(result.ready).toBe(false);
  expect(!result.ready && result.error.kind).toBe('closed');
  expect(!result.ready && result.error.message).toMatch(/closed.*CLIENT_CLOSED/);
  expect(core.revision).toBe(3);
});
