import type { DataSink, DataSource, DataSourceFactory, Datafile, FlagDefinition, JsonValue, SegmentDefinition } from '@avsb/core';
import { FlagBuilder } from './flag-builder';
import { validateDatafile } from './validate';
import { TestDataError, cloneJson } from './values';

/** A flag for `TestData`: a builder, or a flag as datafile JSON (what `builder.build()` returns). */
export type FlagInput = FlagBuilder | FlagDefinition;

export interface TestDataOptions {
  /** Flags to start with. */
  flags?: FlagInput[];
  /** Segments to start with (datafile JSON, SPEC.md §1). */
  segments?: SegmentDefinition[];
}

/**
 * Flags for tests, delivered like the A vs B service delivers them. Build
 * flags with `td.flag(key)`, publish them with `td.update(builder)`, and plug
 * `td.source()` in where the real data source goes: every client attached
 * sees every update at once.
 *
 * ```ts
 * const td = new TestData();
 * td.update(td.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false));
 * const server = new AvsbServer({ sdkKey: 'srv-test', dataSource: td.source(), events: false });
 * td.update(td.flag('checkout-v2').variationForAll(true)); // live
 * ```
 *
 * `TestData.flag(key)` (static) starts a builder on its own, for
 * `new MockAvsbServer({ flags: [builder.build()] })`.
 */
export class TestData {
  private readonly _flags = new Map<string, FlagBuilder>();
  private readonly _segments = new Map<string, SegmentDefinition>();
  private readonly _sinks = new Set<DataSink>();
  private _revision = 1;
  private _datafile: Datafile;

  constructor(options: TestDataOptions = {}) {
    for (const flag of options.flags ?? []) this._flags.set(flag.key, toBuilder(flag));
    for (const segment of options.segments ?? []) this._segments.set(segment.key, cloneSegment(segment));
    this._datafile = this._compose(this._revision);
    validateDatafile(this._datafile, 'TestData datafile');
  }

  /** A new flag builder, not attached to any `TestData` (a boolean flag serving `true` until told otherwise). */
  static flag(key: string): FlagBuilder {
    return new FlagBuilder(key);
  }

  /**
   * A builder for `key`: a copy of the flag this `TestData` holds (change it
   * and pass it to `update`), or a new boolean flag.
   */
  flag(key: string): FlagBuilder {
    return this._flags.get(key)?.copy() ?? new FlagBuilder(key);
  }

  /** Adds or replaces a flag and pushes the new datafile to every attached client. Throws `TestDataError` if the engine refuses it. */
  update(flag: FlagInput): this {
    const builder = toBuilder(flag);
    return this._change(() => this._flags.set(builder.key, builder));
  }

  /** Adds or replaces a segment (datafile JSON: `{ key, included, excluded, rules }`) and pushes the update. */
  updateSegment(segment: SegmentDefinition): this {
    const copy = cloneSegment(segment);
    return this._change(() => this._segments.set(copy.key, copy));
  }

  /** Removes a flag (reads then return the caller's default, reason ERROR/FLAG_NOT_FOUND) and pushes the update. */
  removeFlag(key: string): this {
    return this._change(() => this._flags.delete(key));
  }

  /** Removes a segment and pushes the update. */
  removeSegment(key: string): this {
    return this._change(() => this._segments.delete(key));
  }

  /** The revision of the current datafile: 1 at first, one more with every change. */
  get revision(): number {
    return this._revision;
  }

  /** The current datafile (a copy): usable as `initialDatafile` of `AvsbServer`. */
  datafile(): Datafile {
    return cloneJson(this._datafile, 'datafile');
  }

  /** The value of variation `variation` of flag `key` in the current datafile, or `undefined`. */
  variationValue(key: string, variation: number): JsonValue | undefined {
    const flag = this._datafile.flags.find((f) => f.key === key);
    return flag?.variations[variation] as JsonValue | undefined;
  }

  /**
   * A data source to give a client in place of streaming or polling (for
   * example `new AvsbServer({ sdkKey, dataSource: td.source() })`). The client
   * gets the current datafile as soon as it is built, so it is ready at once,
   * and every later update until it is closed.
   */
  source(): DataSourceFactory {
    return (sink: DataSink): DataSource => {
      let attached = true;
      this._sinks.add(sink);
      this._deliver(sink);
      return {
        start: () => {
          // the datafile was delivered when the client attached; nothing to open
        },
        stop: () => {
          if (attached) this._sinks.delete(sink);
          attached = false;
        },
      };
    };
  }

  private _change(apply: () => void): this {
    const flags = new Map(this._flags);
    const segments = new Map(this._segments);
    apply();
    let next: Datafile;
    try {
      next = this._compose(this._revision + 1);
      validateDatafile(next, 'TestData datafile');
    } catch (e) {
      restore(this._flags, flags);
      restore(this._segments, segments);
      throw e;
    }
    this._revision++;
    this._datafile = next;
    for (const sink of [...this._sinks]) this._deliver(sink);
    return this;
  }

  private _compose(revision: number): Datafile {
    return {
      schemaVersion: 1,
      revision,
      flags: [...this._flags.values()].map((b) => b.build()),
      segments: [...this._segments.values()].map((s) => cloneSegment(s)),
    };
  }

  private _deliver(sink: DataSink): void {
    const result = sink.put(this.datafile(), { source: 'TestData' });
    if (result === 'refused') throw new TestDataError('a client refused the TestData datafile (see its log)');
    sink.valid();
  }
}

function toBuilder(flag: FlagInput): FlagBuilder {
  if (flag instanceof FlagBuilder) return flag.copy();
  // a builder from another copy of this package (ESM and CommonJS both loaded)
  if (typeof (flag as { build?: unknown })?.build === 'function') return FlagBuilder.from((flag as unknown as FlagBuilder).build());
  if (flag === null || typeof flag !== 'object' || typeof (flag as FlagDefinition).key !== 'string') {
    throw new TestDataError('a flag must be a builder (TestData.flag(key)…) or datafile JSON with a key');
  }
  return FlagBuilder.from(flag);
}

function cloneSegment(segment: SegmentDefinition): SegmentDefinition {
  if (segment === null || typeof segment !== 'object' || typeof segment.key !== 'string' || segment.key === '') {
    throw new TestDataError('a segment must be datafile JSON with a key: { key, included?, excluded?, rules? }');
  }
  return cloneJson(segment, `segment "${segment.key}"`);
}

function restore<K, V>(target: Map<K, V>, saved: Map<K, V>): void {
  target.clear();
  for (const [k, v] of saved) target.set(k, v);
}
