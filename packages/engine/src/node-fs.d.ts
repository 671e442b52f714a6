// The one Node API the ./node entry uses. The package compiles without
// @types/node on purpose, so that nothing else in the host can reach for Node.
declare module 'node:fs' {
  export function readFileSync(path: URL): Uint8Array<ArrayBuffer>;
}
