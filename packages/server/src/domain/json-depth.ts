/**
 * How deep request bodies and documents may nest: the engine's limit for
 * datafiles and contexts (SPEC.md §10), so nothing deeper is ever stored.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a parsed JSON (or YAML) value nests objects and arrays deeper than
 * `limit` levels. It walks with an explicit stack, so a value of any depth is
 * measured without overflowing the call stack, which is exactly what the
 * recursive walks that come later (`JSON.stringify`, the validators) would do.
 */
export function nestsDeeperThan(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limit) return true;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** The message of a body or document that nests too deeply. */
export function tooDeepMessage(what: string, limit: number = MAX_JSON_DEPTH): string {
  return `${what} nests objects and arrays deeper than ${limit} levels (the limit)`;
}
