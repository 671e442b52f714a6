// A page's pipeline puts on the wire what the server's does: the same recordings through PageEventPipeline and
// EventPipeline (one clock, one id source) give byte-identical batch bodies, private attributes, multi-contexts,
// custom properties and summaries included.
import { globalPlatform, silentLogger } from '@avsb/common';
import { expect, it } from 'vitest';
import { batchBody } from './batch-body';
import { EventPipeline } from './event-pipeline';
import type { EventPipelineBaseOptions } from './event-pipeline-base';
import type { CustomEventInput, ExposureInput } from './inputs';
import { PageEventPipeline } from './page-pipeline';
import type { EventBatch } from './wire';

interface Recorder {
  recordExposure(input: ExposureInput): void;
  recordCustom(input: CustomEventInput): void;
  close(timeoutMs?: number): Promise<void>;
}

async function bodies(make: (platform: never, options: EventPipelineBaseOptions) => Recorder): Promise<string[]> {
  const sent: string[] = [];
  let ids = 0;
  const platform = {
    ...globalPlatform({ logger: silentLogger }),
    now: () => 1_700_000_000_000,
    randomId: () => `batch-${++ids}`,
    transport: { send: async (batch: EventBatch) => (sent.push(batchBody(batch)), { status: 202 }) },
  };
  const pipeline = make(platform as never, { sdk: { name: 'wire-test', version: '1' }, flushIntervalMs: 60_000, privateAttributes: ['email', '/address/street'] });
  const visitor = {
    kind: 'user',
    key: 'u_wire',
    email: 'a@example.com',
    name: 'Ada',
    address: { street: '1 Main St', city: 'Paris' },
    big: 10n,
    _meta: { privateAttributes: ['phone', '/a~1b'] },
    phone: '555',
    'a/b': 'slash',
  };
  const multi = { kind: 'multi', user: { key: 'u_multi', email: 'b@example.com' }, org: { key: 'acme', tier: 2, _meta: { privateAttributes: ['tier'] } } };
  for (const context of [visitor, multi]) {
    pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, reason: 'RULE_MATCH', inExperiment: true, context, revision: 42 });
    pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, reason: 'RULE_MATCH', inExperiment: true, context, revision: 42 });
    pipeline.recordExposure({ flag: 'ui-theme', variation: null, reason: 'ERROR', context });
    pipeline.recordExposure({ flag: 'banner', variation: 0, reason: 'FALLTHROUGH', inExperiment: true, context });
    pipeline.recordCustom({ key: 'purchase', value: 149.99, properties: { currency: 'usd', nested: { at: new Date(0), skip: () => 1 } }, context });
    pipeline.recordCustom({ key: 'view', value: null, properties: null, context });
  }
  await pipeline.close(2_000);
  return sent;
}

it('sends the same bytes as EventPipeline for the same recordings', async () => {
  const page = await bodies((platform, options) => new PageEventPipeline(platform, options));
  const server = await bodies((platform, options) => new EventPipeline(platform, options));
  expect(page).toEqual(server);
  expect(page.join()).not.toMatch(/example\.com|1 Main St|555|"slash"|"tier":2/);
  expect(page.join()).toContain('"redactedAttributes":["email","/address/street","phone","a/b"]');
});
