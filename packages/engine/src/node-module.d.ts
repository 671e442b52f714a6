// The one Node API the ./node entry imports. The package compiles without
// @types/node on purpose, so that nothing else in the host can reach for Node.
declare module 'node:module' {
  export function createRequire(url: string): (id: string) => unknown;
}
