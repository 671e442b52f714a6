// `TextDecoder` is a WHATWG API, not an ECMAScript global, so core's
// ES2022-only lib does not declare it; every runtime core targets (Node,
// browsers, workers, edge) has it.
declare const TextDecoder: new () => { decode(bytes?: Uint8Array, options?: { stream?: boolean }): string };

/**
 * Decodes UTF-8 arriving in chunks: a character split between two chunks
 * comes out whole, and invalid sequences become U+FFFD.
 */
export function utf8Chunks(): (chunk: Uint8Array) => string {
  const decoder = new TextDecoder();
  return (chunk) => decoder.decode(chunk, { stream: true });
}
