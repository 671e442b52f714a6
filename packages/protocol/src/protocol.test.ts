import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { KEY_INPUT_PATTERN, KEY_PATTERN, MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH, MAX_JSON_DEPTH, isValidKey } from './index';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

it('holds keys to one rule, the same as a pattern for forms and as a regular expression', () => {
  for (const key of ['checkout-v2', 'a', 'A.b_c-1', 'x'.repeat(64)]) expect(isValidKey(key)).toBe(true);
  for (const key of ['', '.', '..', '-a', 'has space', 'é', 'x'.repeat(65), 3, null]) expect(isValidKey(key)).toBe(false);
  expect(new RegExp(`^(?:${KEY_INPUT_PATTERN})$`, 'v').source).toContain(KEY_INPUT_PATTERN);
  expect(KEY_PATTERN.test('Bad Key!')).toBe(false);
  // the literal is the input pattern's, whole, with no flags
  expect(KEY_PATTERN.source).toBe(`^(?:${KEY_INPUT_PATTERN})$`);
  expect(KEY_PATTERN.flags).toBe('');
});

it('states the limits PROTOCOL.md states', () => {
  const text = readFileSync(here('../PROTOCOL.md'), 'utf8').replace(/\s+/g, ' ');
  expect(text).toContain(`A batch holds at most ${MAX_EVENTS_PER_BATCH.toLocaleString('en-US')} events and ${MAX_BATCH_BYTES / 1024 / 1024} MiB`);
  expect(text).toContain(`at most ${MAX_JSON_DEPTH} levels deep`);
});

it('keeps the main entry free of the validator, the engine and ajv (browsers import it)', () => {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(here(file), 'utf8').matchAll(/from '([^']+)'/g)) {
      if (spec!.startsWith('./')) visit(`${spec}.ts`);
      else expect(spec).toBe('@avsb/common');
    }
  };
  visit('./index.ts');
  expect(seen.size).toBeGreaterThan(3);
});

it('gives every fixture a description and an expected answer', () => {
  for (const dir of ['datafiles', 'projects', 'event-batches']) {
    const files = readdirSync(here(`../fixtures/${dir}`));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) {
      const fixture = JSON.parse(readFileSync(here(`../fixtures/${dir}/${f}`), 'utf8')) as Record<string, unknown>;
      expect(typeof fixture.description, `${dir}/${f}`).toBe('string');
      expect(dir === 'event-batches' ? 'error' in fixture && 'batch' in fixture : Array.isArray(fixture.problems) && 'document' in fixture).toBe(true);
    }
  }
});
