// Exposures recorded as compact records and written as text at seal (batch-writer.ts), end to end: through the real
// fetch transport to the real server, and through a custom transport that reads the batch object instead of its body.
import { expect, it } from 'vitest';
import type { ValidatedContext } from '@avsb/common';
import { batchBody } from './batch-body';
import { EventPipeline } from './event-pipeline';
import { createPlatform } from './global-platform';
import type { EventBatch } from './wire';
import type { StoredEvent } from '../test/support/harness';
import { FAST, pipelineTo, recordingLogger, useBackend } from '../test/support/harness';

const suite = useBackend();
const stored = (): Promise<StoredEvent[]> => suite.stored();
const line = (e: StoredEvent): string => (e.kind === 'context' ? `context:${JSON.stringify(e.context)}` : `${e.kind}:${JSON.stringify(e.contextKeys)}:${e.flag}:${e.variation}:${e.reason}:${e.revision}`);

it('stores exposures with unicode and escaped keys, flags and reasons as recorded, each context once and without its private attributes', async () => {
  const { pipeline } = pipelineTo(suite.backend.server.url, suite.backend.sdkKey, { privateAttributes: ['email'] });
  const quoted = { kind: 'user', key: 'ø "quoted" \\ \u2028 😀', email: 'quoted@secret.example', plan: 'pro' };
  const multi = { kind: 'multi', user: { key: 'u_multi', email: 'm@secret.example' }, 'org.unit': { key: 'acme/ø' } };
  for (let i = 0; i < 3; i++) {
    pipeline.recordExposure({ flag: 'checkout-😀', variation: 1, reason: 'RULE_MATCH', inExperiment: true, context: quoted, revision: 7 });
    pipeline.recordExposure({ flag: 'checkout-😀', variation: null, reason: 'ERROR', inExperiment: true, context: multi });
    pipeline.recordExposure({ flag: 'søk "v3"', variation: 0, inExperiment: true, context: multi, revision: 8 });
  }
  await pipeline.close();
  expect(pipeline.diagnostics()).toMatchObject({ dropped: 0, invalid: 0, sent: 6 });
  const events = (await stored()).filter((e) => e.kind !== 'summary');
  expect(events.map(line)).toEqual([
    `context:${JSON.stringify({ kind: 'user', key: quoted.key, plan: 'pro', _meta: { redactedAttributes: ['email'] } })}`,
    `exposure:${JSON.stringify({ user: quoted.key })}:checkout-😀:1:RULE_MATCH:7`,
    `context:${JSON.stringify({ kind: 'multi', user: { key: 'u_multi', _meta: { redactedAttributes: ['email'] } }, 'org.unit': { key: 'acme/ø' } })}`,
    `exposure:${JSON.stringify({ 'org.unit': 'acme/ø', user: 'u_multi' })}:checkout-😀:null:ERROR:undefined`,
    `exposure:${JSON.stringify({ 'org.unit': 'acme/ø', user: 'u_multi' })}:søk "v3":0:undefined:8`,
  ]);
  expect(JSON.stringify(events)).not.toContain('secret.example');
});

it('keeps what is recorded while a batch is being sent, and drops (and counts) exposures beyond the buffer', async () => {
  const { pipeline } = pipelineTo(suite.backend.server.url, suite.backend.sdkKey, { capacity: 6, batchSize: 4 });
  const record = (n: number) => pipeline.recordExposure({ flag: `flag-${n}`, variation: n % 2, reason: 'FALLTHROUGH', inExperiment: true, context: { key: `u_full_${n}` } });
  record(0); // a context and an exposure
  record(1);
  const flushing = pipeline.flush(); // seals the first batch now; what follows goes to the next one
  record(2);
  await flushing;
  for (let n = 3; n < 8; n++) record(n); // room for 6 waiting events: two users, then every event is dropped
  await pipeline.close();
  const { sent, dropped, invalid } = pipeline.diagnostics();
  const events = await stored();
  const exposures = events.filter((e) => e.kind === 'exposure');
  const contexts = events.filter((e) => e.kind === 'context').map((e) => e.context.key as string);
  // no event lost: each of the 16 recorded (8 contexts, 8 exposures) is stored or counted as dropped; the buffer dropped some
  expect(events.length).toBe(sent);
  expect(sent - events.filter((e) => e.kind === 'summary').length + dropped).toBe(16);
  expect([invalid, dropped > 0, exposures.length < 8]).toEqual([0, true, true]);
  // each stored exposure is the one recorded for its user, and its user's context was stored too
  for (const e of exposures) {
    const n = Number((e.contextKeys.user as string).slice('u_full_'.length));
    expect(e).toMatchObject({ flag: `flag-${n}`, variation: n % 2, reason: 'FALLTHROUGH', inExperiment: true });
    expect(contexts).toContain(`u_full_${n}`);
  }
  // what was recorded before and while the first batch was sealed and sent is there
  expect(exposures.slice(0, 2).map((e) => e.flag)).toEqual(['flag-0', 'flag-1']);
  expect(contexts.slice(0, 3)).toEqual(['u_full_0', 'u_full_1', 'u_full_2']);
});

it('gives a custom transport batches whose events, read as objects, are the body sent', async () => {
  const batches: { body: string; batch: EventBatch }[] = [];
  const transport = { send: async (batch: EventBatch) => (batches.push({ body: batchBody(batch), batch }), { status: 202 }) };
  const pipeline = new EventPipeline(createPlatform({ transport, logger: recordingLogger() }), FAST);
  const context = { kind: 'user', key: 'u_custom_transport', tier: 'gold' };
  pipeline.recordExposure({ flag: 'ui-theme', variation: 2, reason: 'FALLTHROUGH', inExperiment: true, context, revision: 3 });
  pipeline.recordCustom({ key: 'purchase', value: 5, properties: { items: ['a'] }, context });
  await pipeline.close();
  expect(batches).toHaveLength(1);
  const [{ body, batch }] = batches as [{ body: string; batch: EventBatch }];
  expect(JSON.stringify(batch)).toBe(body);
  expect(batch.events.map((e) => e.kind)).toEqual(['context', 'exposure', 'custom', 'summary']);
  expect(batch.events[1]).toEqual({ kind: 'exposure', time: (batch.events[0] as { time: number }).time, contextKeys: { user: 'u_custom_transport' }, flag: 'ui-theme', variation: 2, inExperiment: true, reason: 'FALLTHROUGH', revision: 3 });
  expect(JSON.parse(body)).toEqual({ batchId: batch.batchId, sdk: batch.sdk, events: batch.events });
});

it('writes the keys of a validation handed in without kinds (a recorder fed by other code) as JSON', async () => {
  const batches: EventBatch[] = [];
  const transport = { send: async (batch: EventBatch) => (batches.push(batch), { status: 202 }) };
  const pipeline = new EventPipeline(createPlatform({ transport, logger: recordingLogger() }), FAST);
  const context = { kind: 'org', key: 'o "1"' };
  const keys = Object.freeze({ org: 'o "1"' });
  const identity = { valid: true, context, keys, canonicalKey: 'org:o "1"' } as unknown as ValidatedContext;
  pipeline.recordExposure({ flag: 'f', variation: 0, inExperiment: true, context, identity });
  await pipeline.close();
  expect(pipeline.diagnostics()).toMatchObject({ invalid: 0, dropped: 0, sent: 3 });
  expect(batches[0]!.events[1]).toMatchObject({ kind: 'exposure', contextKeys: { org: 'o "1"' }, flag: 'f', variation: 0 });
});
