import type { AvsbContext, TrackOptions } from '@avsb/core';
import { validateContext } from '@avsb/core';
import type { EvaluationContext, EvaluationContextValue, TrackingEventDetails, TrackingEventValue } from '@openfeature/core';

/** An evaluation context turned into an A vs B context, or why it cannot be one. */
export type ContextMapping =
  | { readonly ok: true; readonly context: AvsbContext }
  | { readonly ok: false; readonly errorCode: 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT'; readonly message: string };

/**
 * Maps an OpenFeature evaluation context to an A vs B context:
 *
 * - `targetingKey` is the context key (`key`); a context without
 *   `targetingKey` may give `key` instead; with both, `targetingKey` wins.
 * - `kind` picks the context kind, `user` by default. With `kind: 'multi'`
 *   every other member is one kind's context, each with its own
 *   `targetingKey` (or `key`); a top-level `targetingKey` is then ignored.
 * - Every other member is an attribute, nested objects and arrays included;
 *   a `Date` becomes its RFC 3339 text, which the date operators read.
 *
 * The result is checked by the same rules the engine applies (`validateContext`
 * of `@avsb/core`), so a bad kind name or a missing kind key is reported here
 * with its path, never with a value.
 */
export function toAvsbContext(context: EvaluationContext): ContextMapping {
  const kind = context.kind;
  let mapped: Record<string, unknown>;
  if (kind === 'multi') {
    mapped = record();
    mapped.kind = 'multi';
    for (const name of Object.keys(context)) {
      if (name === 'kind' || name === 'targetingKey') continue;
      const member = context[name];
      mapped[name] = isPlainObject(member) ? withKey(member) : member;
    }
  } else {
    if (keyOf(context) === undefined) {
      return {
        ok: false,
        errorCode: 'TARGETING_KEY_MISSING',
        message: 'the evaluation context has no targetingKey: A vs B needs it as the context key (e.g. the user id)',
      };
    }
    mapped = withKey(context);
    if (kind === undefined) mapped.kind = 'user';
  }
  const validation = validateContext(mapped);
  if (!validation.valid) return { ok: false, errorCode: 'INVALID_CONTEXT', message: validation.problem };
  return { ok: true, context: mapped as AvsbContext };
}

/** A tracking event's details as `track` options: `value` stays the value, every other member is a property. */
export function toTrackOptions(details: TrackingEventDetails | undefined): TrackOptions {
  if (details === undefined || details === null) return {};
  const options: TrackOptions = {};
  const properties = record();
  let any = false;
  for (const name of Object.keys(details)) {
    if (name === 'value') continue;
    properties[name] = plain(details[name] as TrackingEventValue);
    any = true;
  }
  if (details.value !== undefined) options.value = details.value;
  if (any) options.properties = properties;
  return options;
}

function keyOf(source: Record<string, unknown>): unknown {
  return source.targetingKey ?? source.key;
}

/** The members of `source` as attributes, `targetingKey` moved to `key`. */
function withKey(source: Record<string, unknown>): Record<string, unknown> {
  const out = record();
  for (const name of Object.keys(source)) {
    if (name !== 'targetingKey') out[name] = plain(source[name] as EvaluationContextValue);
  }
  const key = keyOf(source);
  if (key !== undefined) out.key = key;
  return out;
}

/** JSON-shaped copy: dates as RFC 3339 text (the context and events are JSON). */
function plain(value: EvaluationContextValue | TrackingEventValue): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => plain(item as EvaluationContextValue));
  if (isPlainObject(value)) {
    const out = record();
    for (const name of Object.keys(value)) out[name] = plain(value[name] as EvaluationContextValue);
    return out;
  }
  return value;
}

/** A null-prototype object: a member named `__proto__` (data) stays a member. */
function record(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
