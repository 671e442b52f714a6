import { ContextRedactor } from './context-redactor';
import { pushFlatContext } from './flat-context-text';
import type { RedactionOptions } from './context-redactor';
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
  /**
   * With nothing private: pushes a context event's `context` onto a batch's
   * pieces without a copy when it is flat (flat-context-text.ts: its `{` to
   * the `}}` that also closes the event), or says `false`, with nothing
   * pushed, when the copy `redact` makes must be written instead.
   * `undefined` when something is private. (A member set once, not a
   * method reading `_nothingPrivate`: the build names `_` members by how
   * often the package uses them, and one more use renamed a page's.)
   */
  readonly pushWhole: ((parts: string[], context: Record<string, unknown>) => boolean) | undefined;

  constructor(options: RedactionOptions = {}) {
    super(options);
    // the references as the base read them: a list it could not read makes everything private, not nothing
    const nothingPrivate = !this._all && this._global.length === 0;
    this._nothingPrivate = nothingPrivate;
    this.pushWhole = nothingPrivate ? pushFlatContext : undefined;
  }

  protected override _redactKind(source: Record<string, unknown>, withKind: boolean): JsonObject | undefined {
    if (!this._nothingPrivate || !isPlainWhole(source, withKind)) return super._redactKind(source, withKind);
    return flatCopy(source) ?? toJsonMembers(source);
  }
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
