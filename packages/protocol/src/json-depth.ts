import { MAX_JSON_DEPTH } from './limits';

/**
 * Whether a parsed JSON (or YAML) value nests objects and arrays deeper than `limit` levels (the value itself is level
 * one), for whoever enforces {@link MAX_JSON_DEPTH}: the server on request bodies and documents, the validator on
 * datafiles. It walks with an explicit stack, so a value of any depth is measured without overflowing the call stack,
 * which is exactly what the recursive walks that come later (`JSON.stringify`, the validators) would do.
 */
export function nestsDeeperThan(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
