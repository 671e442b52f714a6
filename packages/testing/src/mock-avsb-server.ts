import type { AvsbHook, EngineMetrics, Logger, SegmentDefinition } from '@avsb/core';
import { ClientCore, ClientFacade } from '@avsb/core';
import { AvsbEngine, ContextEncoder } from '@avsb/engine';
import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import type { RecordedExposure, TrackedEvent } from './event-recorder';
import { MemoryEventRecorder } from './event-recorder';
import type { LogLine } from './mock-platform';
import { mockPlatform, recordingLogger } from './mock-platform';
import type { FlagInput } from './test-data';
import { TestData } from './test-data';

export interface MockAvsbServerOptions {
  /** The flags to serve: `TestData.flag(key)…build()` results, builders, or datafile JSON. */
  flags?: FlagInput[];
  /** Segments the flags' rules use (datafile JSON). */
  segments?: SegmentDefinition[];
  /** Serve this `TestData` (its updates reach the mock at once); `flags` and `segments` are added to it. */
  testData?: TestData;
  /** Where to log as well (every line is kept in `mock.logs` anyway). */
  logger?: Logger;
  /** Evaluation hooks, as `AvsbServer` takes them (also `mock.addHook(hook)`). */
  hooks?: readonly AvsbHook[];
}

/** Engine counters, as `AvsbServer.metrics()` reports them (`events` is always `null` here). */
export interface MockAvsbServerMetrics extends EngineMetrics {
  readonly events: null;
}

/**
 * A stand-in for `AvsbServer` in tests: the same surface (`onReady`,
 * `forUser`, `allFlags`, `on('update')`, `flush`, `close`), flags evaluated
 * by the real rules engine, no network at all, and everything the code under
 * test did recorded for assertions.
 *
 * ```ts
 * const mock = new MockAvsbServer({
 *   flags: [TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false).build()],
 * });
 * mock.forUser({ kind: 'user', key: 'u_1' }).getBoolFlag('checkout-v2', false); // true
 * mock.trackedEvents; // [{ key, value, properties, context }] from track()
 * mock.exposures;     // every flag read: { flag, value, variation, reason, inExperiment, context, revision }
 * ```
 *
 * It is ready as soon as it is built. Change flags while it runs with
 * `mock.update(builder)` (or through the `TestData` given as `testData`).
 */
export class MockAvsbServer extends ClientFacade {
  /** The flags served; `update` them to change what the mock serves. */
  readonly testData: TestData;
  /** The logger the SDK (and adapters such as `@avsb/express`) write to; lines land in `logs`. */
  readonly logger: Logger;
  private readonly _logs: LogLine[];
  private readonly _recorder: MemoryEventRecorder;

  constructor(options: MockAvsbServerOptions = {}) {
    const o = typeof options === 'object' && options !== null ? options : {};
    const td = o.testData ?? new TestData();
    for (const segment of o.segments ?? []) td.updateSegment(segment);
    for (const flag of o.flags ?? []) td.update(flag);
    const logs: LogLine[] = [];
    const logger = recordingLogger(logs, o.logger);
    const engine = AvsbEngine.createSync(engineWasmBytes(), { contextEncoder: new ContextEncoder() });
    const recorder = new MemoryEventRecorder((flag, variation) => td.variationValue(flag, variation));
    const core = new ClientCore({
      platform: mockPlatform(logger),
      engine,
      dataSource: td.source(),
      events: recorder,
      closeTimeoutMs: 1_000,
      hooks: o.hooks ?? null,
    });
    super(core, engine);
    this.testData = td;
    this.logger = logger;
    this._logs = logs;
    this._recorder = recorder;
  }

  /** Custom events from `track`, oldest first: `{ key, value, properties, context }`. */
  get trackedEvents(): readonly TrackedEvent[] {
    return this._recorder.tracked;
  }

  /** Every flag read, oldest first (not deduplicated, unlike the events sent by `AvsbServer`). */
  get exposures(): readonly RecordedExposure[] {
    return this._recorder.exposures;
  }

  /** Every line logged, oldest first. */
  get logs(): readonly LogLine[] {
    return this._logs;
  }

  /** How many times events were flushed (`flush()`, and `close()` once; a `flush()` after `close()` does not count). */
  get flushCount(): number {
    return this._recorder.flushes;
  }

  /** Forgets the recorded events, exposures, logs and flush count (the flags stay). */
  reset(): void {
    this._recorder.reset();
    this._logs.length = 0;
  }

  /** Adds or replaces a flag (a builder or datafile JSON); update listeners hear of it at once. */
  update(flag: FlagInput): this {
    this.testData.update(flag);
    return this;
  }

  /** The engine's counters: `liveContexts` shows scoped clients not closed yet. */
  metrics(): MockAvsbServerMetrics {
    return { ...this._engineMetrics(), events: null };
  }
}
