import type { AvsbHook, EvaluationSeriesContext, EvaluationSeriesData, FlagDetail } from '@avsb/core';
import type { Attributes, Span } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import {
  ATTR_CONTEXT_ID,
  ATTR_ERROR_MESSAGE,
  ATTR_ERROR_TYPE,
  ATTR_KEY,
  ATTR_PROVIDER,
  ATTR_REASON,
  ATTR_SET_ID,
  ATTR_VALUE,
  ATTR_VARIANT,
  ATTR_VERSION,
  EVALUATION_EVENT,
  contextId,
  errorType,
  resultReason,
  resultValue,
} from './attributes';

/** Options of {@link OpenTelemetryHook}. */
export interface OpenTelemetryHookOptions {
  /**
   * Add `feature_flag.result.value`, the value the read returned (strings,
   * numbers and booleans as they are, JSON values as JSON text). Default
   * `false`: values can be large or personal, and the variant
   * (`feature_flag.result.variant`) already says which one was served.
   */
  includeValue?: boolean;
  /**
   * Add `feature_flag.context.id`, the context's key (`u_1`; `org:acme` for
   * another kind; the canonical key of a multi-kind context). Default
   * `true`. Context attributes are never recorded.
   */
  includeContextId?: boolean;
  /** `feature_flag.set.id`, e.g. the A vs B project and environment (`shop/production`). Default: none. */
  flagSetId?: string;
}

/**
 * An A vs B hook that records every flag read as a span event named
 * `feature_flag.evaluation` on the active span, with OpenTelemetry's
 * feature-flag semantic conventions:
 *
 * | attribute | value |
 * |---|---|
 * | `feature_flag.key` | the flag key read |
 * | `feature_flag.provider.name` | `avsb` |
 * | `feature_flag.result.variant` | the variation index served, as text (`"1"`); absent when the default was returned |
 * | `feature_flag.result.reason` | `targeting_match`, `split`, `default`, `disabled` or `error` |
 * | `feature_flag.result.value` | the value (opt-in: `includeValue`) |
 * | `feature_flag.context.id` | the context key (`includeContextId`, default on) |
 * | `feature_flag.version` | the datafile revision that answered (`"12"`) |
 * | `feature_flag.set.id` | `flagSetId`, if given |
 * | `error.type`, `feature_flag.error.message` | with reason `error`: `flag_not_found`, `type_mismatch`, `provider_not_ready`…; the message when A vs B has one (an unknown key names the nearest one) |
 *
 * A read outside any span, or inside a span that is not recorded (sampled
 * out), costs a look-up of the active span and records nothing.
 *
 * ```ts
 * const server = new AvsbServer({ sdkKey: process.env.AVSB_SDK_KEY, hooks: [new OpenTelemetryHook()] });
 * ```
 */
export class OpenTelemetryHook implements AvsbHook {
  readonly name = 'opentelemetry';
  private readonly _includeValue: boolean;
  private readonly _includeContextId: boolean;
  private readonly _flagSetId: string | undefined;

  constructor(options: OpenTelemetryHookOptions = {}) {
    this._includeValue = options.includeValue === true;
    this._includeContextId = options.includeContextId !== false;
    this._flagSetId = typeof options.flagSetId === 'string' && options.flagSetId !== '' ? options.flagSetId : undefined;
  }

  afterEvaluation(series: EvaluationSeriesContext, data: EvaluationSeriesData, detail: FlagDetail<unknown>): EvaluationSeriesData {
    const span = trace.getActiveSpan();
    if (span !== undefined && span.isRecording()) this._record(span, series, detail);
    return data;
  }

  private _record(span: Span, series: EvaluationSeriesContext, detail: FlagDetail<unknown>): void {
    const attributes: Attributes = {
      [ATTR_KEY]: series.flagKey,
      [ATTR_PROVIDER]: 'avsb',
      [ATTR_REASON]: resultReason(detail.reason, detail.inExperiment),
    };
    if (detail.variationIndex !== null) attributes[ATTR_VARIANT] = String(detail.variationIndex);
    if (this._includeValue) {
      const value = resultValue(detail.value);
      if (value !== undefined) attributes[ATTR_VALUE] = value;
    }
    if (this._includeContextId) {
      const id = contextId(series.context);
      if (id !== undefined) attributes[ATTR_CONTEXT_ID] = id;
    }
    if (series.revision !== null) attributes[ATTR_VERSION] = String(series.revision);
    if (this._flagSetId !== undefined) attributes[ATTR_SET_ID] = this._flagSetId;
    const type = errorType(detail);
    if (type !== undefined) {
      attributes[ATTR_ERROR_TYPE] = type;
      if (detail.errorMessage !== undefined) attributes[ATTR_ERROR_MESSAGE] = detail.errorMessage;
    }
    span.addEvent(EVALUATION_EVENT, attributes);
  }
}
