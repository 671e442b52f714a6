import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';
import { AvsbError } from '../errors';
import { parseEventBatch } from './event-schema';

// The protocol's event-batch fixtures: @avsb/events' tests check its pipeline
// sends `valid.json`; here the service must accept it and refuse the others.
const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('@avsb/protocol/package.json')), 'fixtures', 'event-batches');
const fixtures = readdirSync(dir).map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8'))] as [string, { batch: { events: unknown[] }; error: { code: string; path: string } | null }]);

it.each(fixtures)('parses the event-batch fixture %s as the protocol says', (_name, fixture) => {
  if (fixture.error === null) {
    expect(parseEventBatch(fixture.batch).events).toHaveLength(fixture.batch.events.length);
    return;
  }
  let error: unknown;
  try {
    parseEventBatch(fixture.batch);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AvsbError);
  expect((error as AvsbError).code).toBe(fixture.error.code);
  expect((error as AvsbError).message.startsWith(`${fixture.error.path}: `)).toBe(true);
});
