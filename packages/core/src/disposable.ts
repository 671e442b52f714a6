/**
 * `Symbol.dispose` / `Symbol.asyncDispose` support without requiring the
 * `esnext.disposable` lib: the members exist in the types only where the
 * consumer's TypeScript knows those symbols, and at run time only where the
 * runtime has them (Node 18.18+/20.4+, modern browsers).
 */
type DisposeSymbol = SymbolConstructor extends { readonly dispose: infer S extends symbol } ? S : never;
type AsyncDisposeSymbol = SymbolConstructor extends { readonly asyncDispose: infer S extends symbol } ? S : never;

/** `{ [Symbol.dispose](): void }` where the symbol exists, else `{}`. */
export type MaybeDisposable = { [K in DisposeSymbol]: () => void };

/** `{ [Symbol.asyncDispose](): Promise<void> }` where the symbol exists, else `{}`. */
export type MaybeAsyncDisposable = { [K in AsyncDisposeSymbol]: () => Promise<void> };

const symbols = Symbol as unknown as { dispose?: symbol; asyncDispose?: symbol };

export const DISPOSE: symbol | undefined = symbols.dispose;
export const ASYNC_DISPOSE: symbol | undefined = symbols.asyncDispose;
