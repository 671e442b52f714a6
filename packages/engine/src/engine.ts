import type { EngineExports } from './exports';
import { ABI_VERSION } from './exports';
import type { FlagTable } from './flag-table';
import { decodeResult } from './flag-table';
import type { EvaluationDetail } from './evaluation';
import { ENGINE_FAULT_RESULT, FLAG_NOT_FOUND_RESULT } from './evaluation';
import { EngineInputError } from './engine-input-error';
import type { LoadResult, LoadWarning } from './load-result';
import { encodeUtf8, readUtf8, writeUtf8 } from './utf8';
import type { ContextEncoder } from './context-encoder';
import type { LazyFlags } from './lazy-flags';
import type { WasmBytes, WasmModule } from './wasm-types';

/**
 * Where the engine's code comes from: a compiled module (edge runtimes, or
 * `engineWasmModule()` of `@avsb/engine/node`), `.wasm` bytes (`engineWasmBytes()`
 * of `@avsb/engine/wasm-inline`), or a `fetch` response for the `.wasm` file.
 */
export type EngineSource = WasmModule | WasmBytes | Response | PromiseLike<Response>;

/** How an engine is set up beyond its code. */
export interface EngineOptions {
  /**
   * Writes context objects straight into the engine's memory in the binary
   * encoding (ABI.md), about twice as fast to register as JSON. For hosts that
   * register a context per request (servers, edge functions); a page that
   * registers one context leaves it out and saves its bytes (`new ContextEncoder()`).
   */
  readonly contextEncoder?: ContextEncoder;
  /**
   * Reads a datafile's flags when reads first need them: a load parses no
   * JSON on the host and makes no flag's values and reasons until a read
   * asks for them, which for a large datafile is most of the time `load`
   * takes (README, "Lazy flags"). For servers; a page leaves it out and
   * saves its bytes (`new LazyFlags()`).
   */
  readonly lazyFlags?: LazyFlags;
}

/** What `createSync` accepts: everything but a response. */
export type EngineSyncSource = WasmModule | WasmBytes;

const SLOT_MASK = (1 << 20) - 1;
/** The engine's limit of one input: 64 MiB of UTF-8 (ABI.md). @internal Also for the Node entries' counted write. */
export const MAX_INPUT_BYTES = 64 << 20;
/** Up to this many UTF-16 units, room for 3 bytes each is reserved instead of encoding first. @internal Also for the Node entries' counted write. */
export const RESERVE_WITHOUT_COUNTING = 1 << 16;

/**
 * The engine host as a web page bundles it: {@link AvsbEngine} without
 * what a page does not use (the `load` method, the context encoder, the
 * server metrics, `flagKeys`). It registers contexts once (as JSON) and
 * evaluates flags; datafiles are loaded by functions, so that a page bundles
 * only the load it calls: `loadCompiled(engine, document)` on the evaluator
 * (`avsb-evaluator.wasm`), `loadDatafile(engine, json)` on the full engine.
 * With `AvsbEngine` and `ContextEncoder`, the only code that knows the ABI.
 * It runs in every runtime: no Node, DOM or `fetch` APIs.
 */
export class PageEngine {
  /** @internal Also replaced by `useModule` (engine-binary.ts). */
  _module: WasmModule;
  /** The instance's exports. @internal Also for the load functions (compiled-load.ts, json-load.ts) and `compiledOf`. */
  _x!: EngineExports;
  private _bytes!: Uint8Array;
  /** avsb_eval_all's results, read in place through a view kept until they move. */
  private _results!: Int32Array; // set by _instantiate (as `_contextInput` is)
  /** The input buffer asked for binary contexts (by the encoder), or 0: ask again. @internal Also kept by `ContextEncoder` and reset by `loadCompiled`. */
  _contextInput!: number;
  /** The current datafile's flag table. @internal Also read by `evaluateAll` (evaluation-map.ts). */
  _view: FlagTable | null = null;
  /**
   * What loads the last good datafile again after a trap (its load function
   * decides how, so the page holds only the reload it loads with).
   * @internal Written by `_accept`.
   */
  _lastGood: (() => void) | null = null;
  /** Each live context by slot, kept to restore it after a trap: its JSON, or (`AvsbEngine`'s encoder) the object that was encoded. */
  private _contexts: (string | object | undefined)[] = [];
  private _handles: number[] = [];
  /** @internal Also read by `useModule` and `AvsbEngine.faults`. */
  _faults = 0;

  /** @internal Engines are made by `create` and `createSync`; `AvsbEngine`'s also takes its options. */
  protected constructor(module: WasmModule, _options?: EngineOptions) {
    this._module = module;
    this._instantiate();
  }

  /**
   * Compiles (if needed) and instantiates the engine from an explicit source:
   * a `WebAssembly.Module`, `.wasm` bytes, or a `Response` (or a promise of
   * one, e.g. `fetch(wasmUrl)`), compiled while it downloads where the
   * runtime can (`WebAssembly.compileStreaming`, which needs the
   * `application/wasm` content type) and from its bytes otherwise.
   */
  static create(source: EngineSource): Promise<PageEngine>;
  /** @internal `options`: `AvsbEngine`'s (`this` is the class called). */
  static async create(source: EngineSource, options?: EngineOptions): Promise<PageEngine> {
    source = await source;
    // On a page an asynchronous compile leaves the main thread free (no limit
    // forces it any more: Chromium allows synchronous compiles up to 8 MB
    // there since 114, not 4 KB, and Firefox and Safari set none); elsewhere
    // (Node, workers) a synchronous compile of this small module is about
    // 0.25 ms quicker than handing it to a background thread.
    const onPage = typeof (globalThis as { document?: unknown }).document !== 'undefined';
    const module = isResponse(source)
      ? await compileResponse(source)
      : isWasmModule(source)
        ? source
        : onPage
          ? await WebAssembly.compile(source)
          : new WebAssembly.Module(source);
    // `this`: the class called, so that `AvsbEngine.create` makes an `AvsbEngine`
    return new this(module, options);
  }

  /** Synchronous `create`, for hosts that cannot await at start-up: a module or `.wasm` bytes. */
  static createSync(source: EngineSyncSource): PageEngine;
  /** @internal `options`: `AvsbEngine`'s. */
  static createSync(source: EngineSyncSource, options?: EngineOptions): PageEngine {
    // `this`: the class called, so that `AvsbEngine.createSync` makes an `AvsbEngine`
    return new this(isWasmModule(source) ? source : new WebAssembly.Module(source), options);
  }

  /** A new instance of the module, its memory views reset. @internal Extended by `AvsbEngine` (its budget counts). */
  protected _instantiate(): void {
    const instance = new WebAssembly.Instance(this._module, {});
    const x = instance.exports as unknown as EngineExports;
    const version = x.avsb_abi_version();
    if (version !== ABI_VERSION) {
      throw new Error(`avsb-engine.wasm speaks ABI ${version}, this host speaks ${ABI_VERSION}: install matching versions of @avsb/engine`);
    }
    this._x = x;
    this._bytes = new Uint8Array(x.memory.buffer);
    this._results = new Int32Array(0); // a view of the discarded instance's memory would still read
    this._contextInput = 0;
  }

  /**
   * Memory views die when the memory grows: growing detaches the old buffer,
   * so a view of length 0 is a dead one (cheaper to test than reading
   * `memory.buffer`, a call into the runtime, on every registration).
   * @internal Also for `ContextEncoder`.
   */
  _mem(): Uint8Array {
    if (this._bytes.length === 0) this._bytes = new Uint8Array(this._x.memory.buffer);
    return this._bytes;
  }

  /** @internal Also for `loadCompiled`. */
  _lastError(): string {
    return readUtf8(this._mem(), this._x.avsb_error_ptr(), this._x.avsb_error_len());
  }

  /**
   * Copies UTF-8 text into the engine's input buffer; returns its byte
   * length, or -1 above 64 MiB of UTF-8. Small texts (contexts) are encoded
   * in place into room for 3 bytes per UTF-16 unit; larger ones are encoded
   * first, so the limit is the real one and the buffer is no larger than the text.
   * (The Node entries give `AvsbEngine` a write that counts the larger ones
   * with `Buffer` and makes no copy: node-text-write.ts.) @internal Also for `loadDatafile`.
   */
  _write(text: string): number {
    this._contextInput = 0; // the input buffer is now this text's
    if (text.length > RESERVE_WITHOUT_COUNTING) {
      const bytes = encodeUtf8(text);
      const at = bytes.length > MAX_INPUT_BYTES ? 0 : this._x.avsb_input(bytes.length);
      if (at === 0) return -1;
      this._mem().set(bytes, at);
      return bytes.length;
    }
    const room = text.length * 3;
    const ptr = this._x.avsb_input(room);
    return ptr === 0 ? -1 : writeUtf8(text, this._mem(), ptr, room);
  }

  /**
   * Serves `view`, the flags of the datafile the engine has just loaded, and
   * keeps `reload` to load it again after a trap: the result of a successful load.
   * @internal For the load functions.
   */
  _accept(view: FlagTable, reload: () => void, warnings: readonly LoadWarning[], warningCount: number): LoadResult {
    this._view = view;
    this._lastGood = reload;
    return { ok: true, revision: view._revision, flagCount: view._flags.length, warnings, warningCount };
  }

  /**
   * Registers a context once and returns its handle; evaluate by handle, then
   * `releaseContext`. Throws EngineInputError for a malformed context. A
   * context object goes as its JSON (`AvsbEngine` with a `contextEncoder`
   * writes it in the binary encoding).
   */
  registerContext(context: object | string): number {
    let json: string;
    try {
      json = typeof context === 'string' ? context : JSON.stringify(context);
    } catch (e) {
      throw new EngineInputError(`context: cannot be serialised as JSON (${(e as Error).message})`);
    }
    if (typeof json !== 'string') throw new EngineInputError('context: must be a JSON object');
    let handle: number;
    try {
      const len = this._write(json);
      handle = len < 0 ? -3 : this._x.avsb_ctx_create(len);
    } catch {
      this._recover();
      throw new EngineInputError('context: the engine faulted while reading it');
    }
    return this._registered(handle, json);
  }

  /** @internal Also for `ContextEncoder`. */
  _registered(handle: number, kept: string | object): number {
    if (handle <= 0) throw new EngineInputError(handle === -3 ? 'context: is larger than 1 MiB' : this._lastError());
    this._contexts[handle & SLOT_MASK] = kept;
    this._handles[handle & SLOT_MASK] = handle;
    return handle;
  }

  /** Frees a context. Returns false for an unknown or already released handle. Never throws. */
  releaseContext(handle: number): boolean {
    let released: boolean;
    try {
      released = this._x.avsb_ctx_release(handle) === 0;
    } catch {
      // a trap: rebuild (which restores the context under its handle), then release it there
      this._recover();
      try {
        released = this._x.avsb_ctx_release(handle) === 0;
      } catch {
        this._recover();
        released = false;
      }
    }
    if (released) this._contexts[handle & SLOT_MASK] = undefined;
    return released;
  }

  /** The index of a flag in the current datafile, or -1. */
  flagIndex(key: string): number {
    return this._view === null ? -1 : this._view._indexOf(key);
  }

  get revision(): number | null {
    return this._view?._revision ?? null;
  }

  /** Hot path: one flag by index; a packed result (see `packedVariation` & co). */
  evaluateIndex(handle: number, index: number): number {
    try {
      return this._x.avsb_eval(handle, index);
    } catch {
      this._recover();
      return ENGINE_FAULT_RESULT;
    }
  }

  /** The value of a variation of a flag (frozen), or undefined. */
  variationValue(index: number, variation: number): unknown {
    return this._view?._flags[index]?._variations[variation];
  }

  /** Turns a packed result of flag `index` into a detail with value and reason. */
  decode<T = unknown>(index: number, packed: number): EvaluationDetail<T> {
    return decodeResult<T>(this._view, index, packed);
  }

  /** Evaluates one flag by key for a registered context. Never throws. */
  evaluate<T = unknown>(handle: number, flagKey: string): EvaluationDetail<T> {
    // without a datafile the engine answers NO_DATAFILE for any index
    const index = this._view === null ? 0 : this._view._indexOf(flagKey);
    return this.decode<T>(index, index < 0 ? FLAG_NOT_FOUND_RESULT : this.evaluateIndex(handle, index));
  }

  /**
   * Evaluates every flag for one context in one engine call: packed results
   * by flag index. Pass `into` (at least `flagKeys.length` long, reused from
   * call to call) to have them copied there instead of into a new array:
   * allocating a typed array costs more than the call saves over single reads.
   */
  evaluateAllPacked(handle: number, into?: Int32Array): Int32Array {
    const n = this._view === null ? 0 : this._view._flags.length;
    const out = into !== undefined && into.length >= n ? into : new Int32Array(n);
    const results = this._evaluateAll(handle, n);
    if (results === null) out.fill(ENGINE_FAULT_RESULT, 0, n);
    else out.set(results);
    return out;
  }

  /**
   * avsb_eval_all's `n` results, read in place (valid until the next call into
   * the engine), or null after a trap. @internal Also for `evaluateAll`
   * (evaluation-map.ts), a function so that a page's bundle leaves its map out.
   */
  _evaluateAll(handle: number, n: number): Int32Array | null {
    try {
      const ptr = this._x.avsb_eval_all(handle);
      const view = this._results;
      // a view of memory that grew since is detached (length 0); a larger datafile moves the results
      return view.length === n && view.byteOffset === ptr ? view : (this._results = new Int32Array(this._x.memory.buffer, ptr, n));
    } catch {
      this._recover();
      return null;
    }
  }

  /**
   * After a trap the instance's state is unknowable: discard it, instantiate
   * the cached module again, reload the last good datafile and restore every
   * live context under the handle the application holds.
   */
  /** @internal Also for the load functions and `useModule`. */
  _recover(): void {
    this._faults++;
    // a datafile or a context that traps again while it is restored is dropped, and the rebuild starts over without it
    for (;;) {
      this._instantiate();
      const lastGood = this._lastGood;
      if (lastGood !== null) {
        try {
          lastGood();
        } catch {
          this._lastGood = null; // evaluations answer NO_DATAFILE until the next load
          this._view = null;
          continue;
        }
      }
      const contexts = this._contexts;
      const handles = this._handles;
      let trapped = -1;
      for (let slot = 0; slot < contexts.length && trapped < 0; slot++) {
        const kept = contexts[slot];
        if (kept === undefined) continue;
        try {
          if (this._restore(handles[slot]!, kept) !== 0) contexts[slot] = undefined;
        } catch {
          trapped = slot;
        }
      }
      if (trapped < 0) return;
      contexts[trapped] = undefined;
    }
  }

  /**
   * Restores one context under its handle, the way it was registered: a
   * status (0 ok). Here from its JSON; `AvsbEngine` first restores the
   * objects its encoder kept. @internal
   */
  protected _restore(handle: number, kept: string | object): number {
    return this._x.avsb_ctx_restore(handle, this._write(kept as string));
  }
}

/**
 * Whether `value` is a compiled `WebAssembly.Module`, from any realm: by its
 * tag, not `instanceof`, since a module compiled in another realm (a `vm`
 * context, workerd, edge-runtime) is no instance of this realm's class, yet
 * `WebAssembly.Instance` takes it (and compiling it as bytes would throw).
 */
export function isWasmModule(value: unknown): value is WasmModule {
  return (value as { [Symbol.toStringTag]?: unknown } | null | undefined)?.[Symbol.toStringTag] === 'WebAssembly.Module';
}

/**
 * Compiles an engine source into a `WebAssembly.Module` (a response while it
 * downloads, as `create` does), for `useModule`; a module is taken as it is.
 */
export async function compileModule(source: EngineSource): Promise<WasmModule> {
  source = await source;
  if (isResponse(source)) return compileResponse(source);
  return isWasmModule(source) ? source : WebAssembly.compile(source);
}

// Duck-typed on purpose: naming the global `Response` makes Node load its
// fetch implementation (15-20 ms, DESIGN.md section 3), and bytes have no `arrayBuffer` method.
function isResponse(source: EngineSource): source is Response {
  return typeof (source as { arrayBuffer?: unknown }).arrayBuffer === 'function' && !ArrayBuffer.isView(source);
}

async function compileResponse(response: Response): Promise<WebAssembly.Module> {
  if (!response.ok) throw new Error(`avsb-engine.wasm: the response has status ${response.status}`);
  // compileStreaming refuses any other content type, and a body can be read only once: choose before reading
  if (typeof WebAssembly.compileStreaming === 'function' && /^application\/wasm\b/i.test(response.headers.get('content-type') ?? '')) {
    return WebAssembly.compileStreaming(response);
  }
  // awaited apart: Next's webpack edge build wraps the argument of WebAssembly.compile in a plain function
  const bytes = await response.arrayBuffer();
  return WebAssembly.compile(bytes);
}

/** The exports of `avsb-compiler.wasm` beyond the engine's (docs/compiled-datafile.md). */
interface CompilerExports {
  avsb_compile?(): number;
  avsb_compiled_ptr?(): number;
}

/**
 * The datafile `engine` has loaded, written compiled (a copy), or `null`
 * when it cannot write (not `avsb-compiler.wasm`, no datafile, a trap).
 * @internal For `compileDatafile`; a module function, so no page bundles it.
 */
export function compiledOf(engine: PageEngine): Uint8Array | null {
  const x = engine._x as EngineExports & CompilerExports;
  try {
    const len = x.avsb_compile?.() ?? -1;
    if (len < 0) return null;
    const ptr = x.avsb_compiled_ptr!();
    return new Uint8Array(x.memory.buffer, ptr, len).slice();
  } catch {
    return null;
  }
}
