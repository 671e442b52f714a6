import type { AvsbContext } from './context';
import type { CustomRecord } from './event-recorder';
import type { FlagDetail } from './flag-detail';
import type { AvsbHook, EvaluationMethod, EvaluationSeriesContext, EvaluationSeriesData, TrackSeriesContext } from './hooks';
import type { LogOnce } from './logger';
import type { ValueType } from './scoped-client-support';
import { describeError as message } from '@avsb/common';

// Runs the hooks of one client (hooks.ts says what a hook may expect). Only
// scoped clients of a client with hooks get here: without hooks the read path
// pays one `hooks !== null` test and nothing else.

const NO_DATA: EvaluationSeriesData = Object.freeze({});

type Stage = 'beforeEvaluation' | 'afterEvaluation' | 'afterTrack';

export class HookRunner {
  private _hooks: readonly AvsbHook[] = [];
  private readonly _logOnce: LogOnce;
  /** Above 0 while a hook runs: a flag read from inside a hook calls no hooks (no recursion). */
  private _depth = 0;

  constructor(logOnce: LogOnce) {
    this._logOnce = logOnce;
  }

  /** Whether a hook of this client is running (reads it makes skip the hooks). */
  get busy(): boolean {
    return this._depth > 0;
  }

  /** Adds a hook after those already there; anything but an object is logged and ignored. */
  add(hook: AvsbHook): void {
    if (typeof hook !== 'object' || hook === null) {
      this._logOnce.log('warn', 'hook:invalid', `addHook() needs a hook object, not ${hook === null ? 'null' : typeof hook}; it was ignored`);
      return;
    }
    // copy on write: a read in progress keeps the list it started with
    this._hooks = [...this._hooks, hook];
  }

  /** The hooks, in the order they were added (a new array when one is added: a read keeps the one it started with). */
  get list(): readonly AvsbHook[] {
    return this._hooks;
  }

  /** What the hooks are told about one read: a new object per read, never reused, since a hook may keep it. */
  series(context: AvsbContext, flagKey: string, defaultValue: unknown, type: ValueType, details: boolean, revision: number | null): EvaluationSeriesContext {
    // not frozen: freezing per read costs more than the rest of the hook machinery
    return { flagKey, context, defaultValue, method: methodOf(type, details), revision };
  }

  /**
   * Runs every `beforeEvaluation` of `hooks`, in order, and returns what they handed on for `after`: with one
   * hook (tracing, the common case) its data itself, with more an array by hook (which of the two is told by
   * `hooks.length`, never by the data's shape). Never throws.
   */
  before(hooks: readonly AvsbHook[], series: EvaluationSeriesContext): EvaluationSeriesData | EvaluationSeriesData[] {
    const n = hooks.length;
    this._depth++;
    try {
      if (n === 1) return this._before(hooks[0]!, 0, series);
      const data = new Array<EvaluationSeriesData>(n);
      for (let i = 0; i < n; i++) data[i] = this._before(hooks[i]!, i, series);
      return data;
    } finally {
      this._depth--;
    }
  }

  /**
   * Runs every `afterEvaluation` of `hooks`, last first, with `before`'s `data` and the read's detail.
   * `returned`: the read returns this object (a `…Details` read), so the hooks get a copy and the caller's
   * detail stays as the SDK made it; a typed read returns its value, taken before, and hands the hooks its
   * detail itself (one object less per read). Either way the reason is one of the frozen reason objects of
   * @avsb/engine and flag-detail.ts, and variation values are frozen by the engine. Never throws.
   */
  after(
    hooks: readonly AvsbHook[],
    series: EvaluationSeriesContext,
    data: EvaluationSeriesData | EvaluationSeriesData[],
    detail: FlagDetail<unknown>,
    returned: boolean,
  ): void {
    const n = hooks.length;
    const seen = returned ? copyDetail(detail) : detail;
    this._depth++;
    try {
      for (let i = n - 1; i >= 0; i--) {
        const hook = hooks[i]!;
        if (typeof hook.afterEvaluation !== 'function') continue;
        try {
          const own = n === 1 ? (data as EvaluationSeriesData) : (data as EvaluationSeriesData[])[i]!;
          this._isPromise(hook.afterEvaluation(series, own, seen), hook, i, 'afterEvaluation');
        } catch (e) {
          this._fault(hook, i, 'afterEvaluation', e);
        }
      }
    } finally {
      this._depth--;
    }
  }

  /** One hook's `beforeEvaluation` (inside `before`'s count of running hooks): what it handed on, or the empty data. */
  private _before(hook: AvsbHook, index: number, series: EvaluationSeriesContext): EvaluationSeriesData {
    if (typeof hook.beforeEvaluation !== 'function') return NO_DATA;
    try {
      const out = hook.beforeEvaluation(series, NO_DATA);
      // inside the try: a `then` getter that throws is the hook's fault, not the read's
      if (typeof out === 'object' && out !== null && !this._isPromise(out, hook, index, 'beforeEvaluation')) return out;
    } catch (e) {
      this._fault(hook, index, 'beforeEvaluation', e);
    }
    return NO_DATA;
  }

  /** Runs every `afterTrack`, in order, for a custom event that was recorded. Never throws. */
  afterTrack(record: CustomRecord): void {
    const hooks = this._hooks;
    const series = trackSeries(record);
    for (let i = 0; i < hooks.length; i++) {
      const hook = hooks[i]!;
      if (typeof hook.afterTrack !== 'function') continue;
      this._depth++;
      try {
        this._isPromise(hook.afterTrack(series), hook, i, 'afterTrack');
      } catch (e) {
        this._fault(hook, i, 'afterTrack', e);
      } finally {
        this._depth--;
      }
    }
  }

  /**
   * Whether a stage returned a promise (an `async` hook): it is not awaited
   * (hooks are synchronous), but its rejection is logged like a throw rather
   * than left unhandled, which would end a Node process.
   */
  private _isPromise(out: unknown, hook: AvsbHook, index: number, stage: Stage): boolean {
    if (typeof out !== 'object' || out === null || typeof (out as PromiseLike<unknown>).then !== 'function') return false;
    (out as PromiseLike<unknown>).then(undefined, (e: unknown) => this._fault(hook, index, stage, e));
    return true;
  }

  private _fault(hook: AvsbHook, index: number, stage: Stage, e: unknown): void {
    const name = typeof hook.name === 'string' && hook.name !== '' ? `"${hook.name}"` : `#${index + 1}`;
    this._logOnce.log(
      'error',
      `hook:${index}:${stage}`,
      `hook ${name} threw in ${stage}: ${message(e)}; the read or track() went on without it (logged once per hook and stage)`,
    );
  }
}

function copyDetail(detail: FlagDetail<unknown>): FlagDetail<unknown> {
  const { value, variationIndex, reason, inExperiment, errorMessage } = detail;
  return errorMessage === undefined ? { value, variationIndex, reason, inExperiment } : { value, variationIndex, reason, inExperiment, errorMessage };
}

function trackSeries(record: CustomRecord): TrackSeriesContext {
  const series: { key: string; context: AvsbContext; value?: number; properties?: Record<string, unknown> } = { key: record.key, context: record.context };
  if (record.value !== undefined) series.value = record.value;
  if (record.properties !== undefined) series.properties = record.properties;
  return series;
}

function methodOf(type: ValueType, details: boolean): EvaluationMethod {
  switch (type) {
    case 'boolean':
      return details ? 'getBoolFlagDetails' : 'getBoolFlag';
    case 'string':
      return details ? 'getStringFlagDetails' : 'getStringFlag';
    case 'number':
      return details ? 'getNumberFlagDetails' : 'getNumberFlag';
    default:
      return details ? 'getJsonFlagDetails' : 'getJsonFlag';
  }
}
