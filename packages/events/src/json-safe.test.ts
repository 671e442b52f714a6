import { MAX_JSON_DEPTH as PROTOCOL_MAX_JSON_DEPTH } from '@avsb/protocol';
import { expect, it } from 'vitest';
import { MAX_JSON_DEPTH, toJson } from './json-safe';

/** `levels` objects, one inside the other. */
function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { v: value };
  return value;
}

it("copies values as deep as the protocol's MAX_JSON_DEPTH, and leaves deeper ones out", () => {
  expect(MAX_JSON_DEPTH).toBe(PROTOCOL_MAX_JSON_DEPTH);
  expect(JSON.stringify(toJson(nested(PROTOCOL_MAX_JSON_DEPTH)))).toBe(JSON.stringify(nested(PROTOCOL_MAX_JSON_DEPTH)));
  expect(JSON.stringify(toJson(nested(PROTOCOL_MAX_JSON_DEPTH + 1)))).not.toContain('leaf');
});
