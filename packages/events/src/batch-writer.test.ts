// The batch text written from compact records against JSON.stringify of the object form the pipeline used to build
// (ExposureEvent objects, context events holding the redacted copy): the same bytes for any keys, flags, reasons and
// contexts, including the ones JSON must escape.
import { validateContext } from '@avsb/common';
import type { ValidatedContext } from '@avsb/common';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { batchBody } from './batch-body';
import { writeBatch } from './batch-writer';
import { ContextRedactor } from './context-redactor';
import { ExposureTails } from './exposure-tails';
import { customEvent } from './inputs';
import { EventRing } from './event-ring';
import type { ExposureTail } from './exposure-tails';
import type { QueuedEvent } from './queued-event';
import { WholeContextRedactor } from './whole-context-redactor';
import type { WireEvent } from './wire';

const SDK = { name: '@avsb/node', version: '1.2.3' };

function identity(context: object): ValidatedContext {
  const result = validateContext(context);
  if (!result.valid) throw new Error(result.problem);
  return result;
}

/** What the pipeline queued before: an exposure object with every member, in this order. */
function exposureObject(time: number, id: ValidatedContext, flag: string, variation: number | null, inExperiment: boolean, reason?: string, revision?: number): WireEvent {
  const event: Record<string, unknown> = { kind: 'exposure', time, contextKeys: id.keys, flag, variation, inExperiment };
  if (reason !== undefined) event.reason = reason;
  if (revision !== undefined) event.revision = revision;
  return event as unknown as WireEvent;
}

/** The ring the records' slots are in (as small as the test's batches: slots wrap around it). */
const ring = new EventRing(5, () => {
  throw new Error('each batch of these tests fits in the ring');
});

/** An exposure's slot, as the pipeline records it. */
function exposure(time: number, id: ValidatedContext, tail: ExposureTail): number {
  return ring.exposure(time, id.kinds, id.keys, tail);
}

/** A context event's slot. */
function contextEvent(time: number, context: object): number {
  return ring.context(time, context);
}

function written(records: QueuedEvent[], redactor: ContextRedactor = new WholeContextRedactor()) {
  let dropped = 0;
  const { wire, count } = writeBatch(records, 'batch-1', SDK, redactor, ring, () => dropped++);
  ring.clear();
  return { wire, count, dropped, body: batchBody(wire) };
}

/** Strings heavy in what JSON escapes or encoders treat apart: quotes, backslashes, controls, lone surrogates, pairs. */
const special = fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\ud800', '\udfff', '\u2028', 'é', '😀', '~1', '/');
const text = fc.array(fc.oneof(special, fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })), { maxLength: 6 }).map((parts) => parts.join(''));
const key = text.filter((s) => s.length > 0);

it('writes exposures byte for byte as JSON.stringify of the exposure objects, whatever their keys, flags and reasons hold', () => {
  const tails = new ExposureTails();
  const kind = fc.constantFrom('user', 'org', 'device', 'a.b_c-9');
  const exposureInput = fc.record({
    time: fc.oneof(fc.integer({ min: 0, max: 2 ** 41 }), fc.constantFrom(1.5, -0, 1e21)),
    keys: fc.uniqueArray(fc.tuple(kind, key), { minLength: 1, maxLength: 3, selector: ([k]) => k }),
    flag: key,
    variation: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 4093 })),
    inExperiment: fc.boolean(),
    reason: fc.option(fc.oneof(text, fc.constantFrom('RULE_MATCH', 'FALLTHROUGH')), { nil: undefined }),
    revision: fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined }),
  });
  fc.assert(
    fc.property(fc.array(exposureInput, { minLength: 1, maxLength: 5 }), (inputs) => {
      const records: QueuedEvent[] = [];
      const objects: WireEvent[] = [];
      for (const e of inputs) {
        const context = e.keys.length === 1 ? { kind: e.keys[0]![0], key: e.keys[0]![1] } : Object.fromEntries([['kind', 'multi'], ...e.keys.map(([k, v]) => [k, { key: v }])]);
        const id = identity(context);
        records.push(exposure(e.time, id, tails.get(e.flag, e.variation, e.inExperiment, e.reason, e.revision)));
        objects.push(exposureObject(e.time, id, e.flag, e.variation, e.inExperiment, e.reason, e.revision));
      }
      const out = written(records);
      expect(out.body).toBe(JSON.stringify({ batchId: 'batch-1', sdk: SDK, events: objects }));
      expect(out.count).toBe(inputs.length);
      expect(out.wire.events).toEqual(JSON.parse(JSON.stringify(objects)));
    }),
    { numRuns: 500 },
  );
});

it('writes context events as the redactor leaves them (private attributes removed), custom and summary events as JSON.stringify does', () => {
  const redactor = new WholeContextRedactor({ privateAttributes: ['email'] });
  const alice = { kind: 'user', key: 'ålice "the" \\ one \u2028', email: 'alice@secret.example', nested: { a: [1, 'x'] }, emoji: '😀', lone: '\ud800' };
  const bob = { kind: 'multi', user: { key: 'bob', email: 'bob@secret.example', _meta: { privateAttributes: ['phone'] }, phone: '555' }, org: { key: 'acme' } };
  const aliceId = identity(alice);
  const tails = new ExposureTails();
  const summary = { kind: 'summary' as const, startTime: 1, endTime: 2, flags: { 'ä-flag': { counters: [{ variation: 0, count: 3 }, { variation: null, count: 1 }] } } };
  const records: QueuedEvent[] = [
    contextEvent(1_733_500_000_123, alice),
    exposure(1_733_500_000_123, aliceId, tails.get('checkout-😀', 1, true, 'RULE_MATCH', 42)),
    contextEvent(1_733_500_000_124, bob),
    exposure(1_733_500_000_124, identity(bob), tails.get('checkout-😀', null, false, undefined, undefined)),
    customEvent({ key: 'purchase', value: 9.99, properties: { currency: 'nok', items: [{ sku: 'a"b' }] }, context: alice }, aliceId.keys, 1_733_500_000_125),
    summary,
  ];
  const events = [
    { kind: 'context', time: 1_733_500_000_123, context: redactor.redact(alice) },
    exposureObject(1_733_500_000_123, aliceId, 'checkout-😀', 1, true, 'RULE_MATCH', 42),
    { kind: 'context', time: 1_733_500_000_124, context: redactor.redact(bob) },
    exposureObject(1_733_500_000_124, identity(bob), 'checkout-😀', null, false),
    { kind: 'custom', time: 1_733_500_000_125, contextKeys: aliceId.keys, key: 'purchase', value: 9.99, properties: { currency: 'nok', items: [{ sku: 'a"b' }] } },
    summary,
  ];
  const out = written(records, redactor);
  expect(out.body).toBe(JSON.stringify({ batchId: 'batch-1', sdk: SDK, events }));
  expect(out.body).not.toContain('secret.example');
  expect(out.body).not.toContain('555');
  expect(out.wire.events[0]).toMatchObject({ context: { _meta: { redactedAttributes: ['email'] } } });
  // read back: the batch object serialises to its body, the same events, as a custom transport would see them
  expect(JSON.stringify(out.wire)).toBe(out.body);
  expect(out.wire.events).toBe(out.wire.events);
  expect({ ...out.wire }.events).toHaveLength(6);
});

it('leaves out (and counts) a context event whose context cannot be represented, and writes the rest', () => {
  const broken = { kind: 'user', key: 'u_broken' };
  Object.defineProperty(broken, 'bad', { enumerable: true, get: () => { throw new Error('no'); } });
  const good = { kind: 'user', key: 'u_good' };
  const redactor = new ContextRedactor();
  const tails = new ExposureTails();
  const out = written(
    [
      contextEvent(5, broken),
      exposure(5, identity(good), tails.get('f', 0, true, 'FALLTHROUGH', undefined)),
      contextEvent(6, good),
    ],
    redactor,
  );
  expect(out.dropped).toBe(1);
  expect(out.count).toBe(2);
  expect(out.wire.events.map((e) => e.kind)).toEqual(['exposure', 'context']);
  expect(out.body.startsWith('{"batchId":"batch-1","sdk":{"name":"@avsb/node","version":"1.2.3"},"events":[{"kind":"exposure","time":5,')).toBe(true);
  // nothing representable: an empty batch, still valid JSON
  const none = written([contextEvent(5, broken)], redactor);
  expect([none.count, none.dropped, JSON.parse(none.body).events]).toEqual([0, 1, []]);
});

it('writes a batch of contexts byte for byte as JSON.stringify of each, whatever their names and values hold', () => {
  const redactor = new WholeContextRedactor();
  // text that looks like where the contexts are cut apart (`},{`, and the `,"",` of earlier versions), and what JSON
  // escapes around it
  const tricky = fc.oneof(text, fc.constantFrom('', ',"",', '",""', '},{', '}', '{', '},{}', '\\', '[', '{}', ',', '"'));
  const value = fc.oneof(tricky, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  const flatContext = fc.dictionary(tricky, value, { maxKeys: 6 });
  // now and then a nested one: an array whose objects meet at `},{` as the contexts do, one that ends with an object
  // (its text then ends `}}`), an empty object (`{}`, also a whole context now and then)
  const nested = fc.record({
    key: tricky,
    list: fc.array(fc.oneof(fc.constantFrom('', 'a', ',"",', '},{'), flatContext), { maxLength: 4 }),
    deep: flatContext,
  });
  const anyContext = fc.oneof({ weight: 3, arbitrary: flatContext }, { weight: 1, arbitrary: nested }, { weight: 1, arbitrary: fc.constant({}) });
  fc.assert(
    fc.property(fc.array(fc.tuple(anyContext, fc.integer({ min: 0, max: 2 ** 41 })), { minLength: 1, maxLength: 5 }), (inputs) => {
      const records = inputs.map(([context, time]) => contextEvent(time, context));
      const events = inputs.map(([context, time]) => ({ kind: 'context', time, context: redactor.redact(context) }));
      const out = written(records, redactor);
      expect(out.body).toBe(JSON.stringify({ batchId: 'batch-1', sdk: SDK, events }));
      expect(out.count).toBe(inputs.length);
    }),
    { numRuns: 1_000 },
  );
});

it('writes each context alone when one JSON.stringify of them would not give their texts (an Object.prototype.toJSON)', () => {
  const redactor = new WholeContextRedactor();
  const contexts = [
    { kind: 'user', key: 'a', plan: 'free' },
    { kind: 'user', key: 'b', age: 42 },
    { kind: 'user', key: 'c', beta: true },
  ];
  const proto = Object.prototype as { toJSON?: unknown };
  // what each copy's text becomes: an array given to JSON.stringify would be replaced whole
  Object.defineProperty(proto, 'toJSON', { configurable: true, writable: true, value(this: object) { return Array.isArray(this) ? 'the array' : { keys: Object.keys(this).join() }; } });
  let body: string;
  try {
    body = written(contexts.map((c, i) => contextEvent(i, c)), redactor).body;
  } finally {
    delete proto.toJSON;
  }
  expect(JSON.parse(body).events.map((e: { context: unknown }) => e.context)).toEqual([
    { keys: 'kind,key,plan' },
    { keys: 'kind,key,age' },
    { keys: 'kind,key,beta' },
  ]);
});

it('writes each exposure with its own kind when exposures of one millisecond change kinds, and in the next batch', () => {
  const tails = new ExposureTails();
  const tail = tails.get('f', 1, true, 'RULE_MATCH', undefined);
  const user = identity({ kind: 'user', key: 'u1' });
  const org = identity({ kind: 'org', key: 'o1' });
  const both = identity({ kind: 'multi', user: { key: 'u1' }, org: { key: 'o"1' } });
  const order = [user, org, org, both, user, user];
  for (let batch = 0; batch < 2; batch++) {
    const out = written(order.slice(batch * 3, batch * 3 + 3).map((id) => exposure(7, id, tail)));
    const objects = order.slice(batch * 3, batch * 3 + 3).map((id) => exposureObject(7, id, 'f', 1, true, 'RULE_MATCH'));
    expect(out.body).toBe(JSON.stringify({ batchId: 'batch-1', sdk: SDK, events: objects }));
  }
});

it('writes flat contexts of one shape and then of others at the same places byte for byte, batch after batch', () => {
  // a server's contexts: the same names at the same places, values of one type or another (the pieces between them
  // are kept per place, with the quotes a string on either side needs), more members than places are kept for
  const names = ['kind', 'key', 'email', 'age', 'beta', 'plan', 'a"b', 'x', 'y', 'z', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
  const value = fc.oneof(fc.constantFrom('user', 'pro', '', 'é😀', 'a"b', '\ud800'), fc.integer(), fc.constantFrom(-0, 1.5, 1e21, 5e-324, NaN), fc.boolean(), fc.constant(null));
  const context = fc.tuple(fc.integer({ min: 0, max: names.length }), fc.array(value, { minLength: names.length, maxLength: names.length })).map(([size, values]) =>
    Object.fromEntries(names.slice(0, size).map((name, i) => [name, values[i]])),
  );
  const redactor = new WholeContextRedactor();
  fc.assert(
    fc.property(fc.array(fc.array(context, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (batches) => {
      for (const contexts of batches) {
        const out = written(contexts.map((c, i) => contextEvent(i, c)), redactor);
        const events = contexts.map((c, i) => ({ kind: 'context', time: i, context: redactor.redact(c) }));
        expect(out.body).toBe(JSON.stringify({ batchId: 'batch-1', sdk: SDK, events }));
      }
    }),
    { numRuns: 500 },
  );
});

it('leaves out a context event whose copy JSON.stringify writes as nothing (an Object.prototype.toJSON), first in its batch too', () => {
  const redactor = new WholeContextRedactor();
  const tails = new ExposureTails();
  const user = { kind: 'user', key: 'u_1' };
  const proto = Object.prototype as { toJSON?: unknown };
  // the copies of contexts marked `skip` have no JSON; the batch's array is written as its members would be
  Object.defineProperty(proto, 'toJSON', { configurable: true, writable: true, value(this: { skip?: boolean }) { return Array.isArray(this) ? 'the array' : this.skip ? undefined : { ...this, toJSON: undefined }; } });
  let first: ReturnType<typeof written>;
  let middle: ReturnType<typeof written>;
  try {
    first = written([contextEvent(1, { ...user, skip: true }), exposure(1, identity(user), tails.get('f', 0, true, 'FALLTHROUGH', undefined)), contextEvent(2, user)], redactor);
    middle = written([contextEvent(1, user), contextEvent(2, { ...user, skip: true }), contextEvent(3, { ...user, skip: true }), customEvent({ key: 'k', context: user }, { user: 'u_1' }, 4)], redactor);
  } finally {
    delete proto.toJSON;
  }
  expect([first.count, first.dropped]).toEqual([2, 1]);
  expect(JSON.parse(first.body).events.map((e: { kind: string; time: number }) => `${e.kind}@${e.time}`)).toEqual(['exposure@1', 'context@2']);
  expect([middle.count, middle.dropped]).toEqual([2, 2]);
  expect(JSON.parse(middle.body).events.map((e: { kind: string; time: number }) => `${e.kind}@${e.time}`)).toEqual(['context@1', 'custom@4']);
});
