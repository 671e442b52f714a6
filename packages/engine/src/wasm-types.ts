// The WebAssembly types our public signatures name, taken from the user's project rather than assumed. The
// `WebAssembly` namespace is declared by lib.dom, @cloudflare/workers-types and the later majors of @types/node,
// but not by a Node-only project (lib es2022 + @types/node 20): naming `WebAssembly.Module` in a .d.ts fails there
// under skipLibCheck: false and silently becomes `any` under skipLibCheck. Reading the global through
// `typeof globalThis` names nothing that may be missing, and the user's own `WebAssembly.Module` is still the type
// they pass. Declaring the namespace ourselves (`declare global`) was the other way: it would add a `WebAssembly`
// to every user's globals, and its empty `interface Module {}` (lib.dom's is empty too) takes a number.

/** The `WebAssembly` namespace as the project's libraries declare it (`unknown` where none does). */
type DeclaredWasm = typeof globalThis extends { readonly WebAssembly: infer W } ? W : unknown;

/** What `new WebAssembly[Name](…)` makes where the project declares it, else `Fallback`. */
type Declared<Name extends string, Fallback> = DeclaredWasm extends { readonly [N in Name]: abstract new (...args: never[]) => infer T } ? T : Fallback;

/**
 * Where no library declares `WebAssembly`: what `isWasmModule` tells a compiled module by (its tag, which every
 * runtime's `WebAssembly.Module` carries), so a number or another object is refused here too.
 */
interface TaggedWasmModule {
  readonly [Symbol.toStringTag]: 'WebAssembly.Module';
}

/**
 * A compiled `.wasm`: the project's `WebAssembly.Module`. The `& object` refuses what lib.dom's empty interface
 * would take (a number, a string).
 */
export type WasmModule = Declared<'Module', TaggedWasmModule> & object;

/**
 * The `.wasm` bytes `new WebAssembly.Module(…)` compiles: lib.dom's `BufferSource`; its members where no library
 * declares the constructor's argument (none at all, or @cloudflare/workers-types, whose `Module` has no constructor).
 */
export type WasmBytes =
  DeclaredWasm extends { readonly Module: abstract new (bytes: infer B, ...rest: never[]) => unknown }
    ? unknown extends B
      ? ArrayBuffer | ArrayBufferView
      : B
    : ArrayBuffer | ArrayBufferView;

/** An instance's linear memory (`WebAssembly.Memory`). */
export type WasmMemory = Declared<'Memory', { readonly buffer: ArrayBuffer; grow(delta: number): number }>;
