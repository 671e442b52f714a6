import { engineWasmBase64 } from './generated/engine-wasm-base64';
import { decodeBase64 } from './base64';

/**
 * The release `avsb-engine.wasm`, inlined as bytes. Use it where no file can
 * be read at run time (edge workers, bundled browser code).
 */
export const engineWasmBytes: Uint8Array = decodeBase64(engineWasmBase64);
