import { engineWasmBase64 } from './generated/engine-wasm-base64';
import { evaluatorWasmBase64 } from './generated/evaluator-wasm-base64';
import { decodeBase64 } from './base64';

let bytes: Uint8Array | null = null;
let evaluator: Uint8Array | null = null;

/**
 * The release `avsb-engine.wasm`, inlined as bytes: for runtimes where no file
 * can be read at run time (edge workers, bundled browser code). Decoded on
 * first use, then cached.
 */
export function engineWasmBytes(): Uint8Array {
  if (bytes === null) bytes = decodeBase64(engineWasmBase64);
  return bytes;
}

/**
 * The evaluator, `avsb-evaluator.wasm` (loads compiled datafiles only),
 * inlined as bytes: for pages whose bundler cannot emit the file. Decoded on
 * first use, then cached.
 */
export function evaluatorWasmBytes(): Uint8Array {
  if (evaluator === null) evaluator = decodeBase64(evaluatorWasmBase64);
  return evaluator;
}
