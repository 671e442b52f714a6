import { ContextRedactor } from './context-redactor';
import type { RedactionOptions } from './context-redactor';
import { isPlainJsonString } from './json-plain';
import { MAX_JSON_BUDGET, toJsonMembers } from './json-safe';
import type { JsonObject } from './wire';

/**
 * The server pipeline's {@link ContextRedactor}: a context with nothing
 * private (no option, no `_meta`) is copied straight into the JSON sent, one
 * walk instead of a shallow copy and then a deep one (half the time of a new
 * user's context event). The same JSON as the general path, which a page
 * keeps (one context per page: not worth its bytes there).
 */
export class WholeContextRedactor extends ContextRedactor {
  private readonly _nothingPrivate: boolean;

  constructor(options: RedactionOptions = {}) {
    super(options);
    const refs = options.privateAttributes;
    this._nothingPrivate = options.allAttributesPrivate !== true && !(Array.isArray(refs) && refs.length > 0);
  }

  /**
   * Appends the JSON of a context event's `context` to a batch's pieces when
   * the context is sent whole and flat (nothing private; a plain single-kind
   * object of strings, finite numbers, booleans and null, as most are): each
   * member read once and written as `JSON.stringify` writes it, with no copy
   * and no serialisation call. `false`, with nothing appended, for any other
   * context: {@link redact} decides it.
   */
  appendWhole(source: Record<string, unknown>, parts: string[]): boolean {
    if (!this._nothingPrivate || source.kind === 'multi' || !isPlainWhole(source, true)) return false;
    const mark = parts.length;
    let chars = 0;
    try {
      const names = Object.keys(source);
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const value = source[name];
        parts.push(i === 0 ? '{' : ',');
        if (isPlainJsonString(name)) parts.push('"', name, '":');
        else parts.push(JSON.stringify(name), ':');
        chars += name.length + 1;
        if (typeof value === 'string') {
          chars += value.length;
          if (isPlainJsonString(value)) parts.push('"', value, '"');
          else parts.push(JSON.stringify(value));
        } else if (typeof value === 'number' && Number.isFinite(value)) parts.push(String(value));
        else if (typeof value === 'boolean') parts.push(value ? 'true' : 'false');
        else if (value === null) parts.push('null');
        // nested values, non-finite numbers and members JSON leaves out: the walk decides them
        else return cut(parts, mark);
      }
      // as flatCopy: text well inside the walk's budget, which decides what is left out beyond it
      if (chars >= MAX_JSON_BUDGET / 2) return cut(parts, mark);
      parts.push(names.length === 0 ? '{}' : '}');
      return true;
    } catch {
      return cut(parts, mark); // a getter or proxy that throws: the general path decides
    }
  }

  protected override _redactKind(source: Record<string, unknown>, withKind: boolean): JsonObject | undefined {
    if (!this._nothingPrivate || !isPlainWhole(source, withKind)) return super._redactKind(source, withKind);
    return flatCopy(source) ?? toJsonMembers(source);
  }
}

/** Takes back what {@link WholeContextRedactor.appendWhole} appended; `false`. */
function cut(parts: string[], mark: number): false {
  parts.length = mark;
  return false;
}

/**
 * A copy of a flat context (strings, booleans, null and numbers only, as
 * most are) made by spreading it: V8 clones its shape at once, a third of
 * the member-by-member walk. `undefined` for anything else (nested values,
 * non-finite numbers, members JSON leaves out, a getter that throws, text
 * near the walk's budget): the walk decides those.
 */
function flatCopy(source: Record<string, unknown>): JsonObject | undefined {
  let copy: Record<string, unknown>;
  try {
    copy = { ...source };
  } catch {
    return undefined;
  }
  let chars = 0;
  for (const name in copy) {
    const value = copy[name];
    chars += name.length + 1;
    if (typeof value === 'string') chars += value.length;
    else if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'boolean' && value !== null) return undefined;
  }
  // text a flat copy may hold: well inside the walk's budget, which decides what is left out beyond it (inline, so
  // that a bundle without this class leaves the figure out too)
  return chars < MAX_JSON_BUDGET / 2 ? (copy as JsonObject) : undefined;
}

/**
 * Whether a kind is sent whole: no `_meta`, and a multi-context's part has
 * no `kind` to leave out. Only a plain object without its own `toJSON`, whose
 * JSON is its members'.
 */
function isPlainWhole(source: Record<string, unknown>, withKind: boolean): boolean {
  if (typeof source !== 'object' || source === null) return false;
  try {
    const proto: unknown = Object.getPrototypeOf(source);
    if (proto !== Object.prototype && proto !== null) return false;
    return !hasOwn(source, '_meta') && !hasOwn(source, 'toJSON') && (withKind || !hasOwn(source, 'kind'));
  } catch {
    return false; // a proxy's trap threw: the general path decides
  }
}

function hasOwn(target: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, name);
}
