// `TextDecoder` is a WHATWG API, not an ECMAScript global, so core's
// ES2022-only lib does not declare it; every runtime core targets (Node,
// browsers, workers, edge) has it.
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };

const decoder = new TextDecoder();

/** Decodes UTF-8 bytes; invalid sequences become U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
