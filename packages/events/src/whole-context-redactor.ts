import { ContextRedactor } from './context-redactor';
import type { RedactionOptions } from './context-redactor';
import { toJsonMembers } from './json-safe';
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

  protected override _redactKind(source: Record<string, unknown>, withKind: boolean): JsonObject | undefined {
    return this._nothingPrivate && isPlainWhole(source, withKind) ? toJsonMembers(source) : super._redactKind(source, withKind);
  }
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
