import { AvsbServer } from '@avsb/node';
import { MemoryLogger } from '@avsb/test-support';
import { MockAvsbServer, TestData } from '@avsb/testing';
import type { Tracer } from '@opentelemetry/api';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AlwaysOffSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { EVALUATION_EVENT, OpenTelemetryHook } from './index';
import type { OpenTelemetryHookOptions } from './index';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer: Tracer = provider.getTracer('avsb-test');
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterEach(() => exporter.reset());
afterAll(async () => {
  context.disable();
  await provider.shutdown();
});

const flags = () => [
  TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false),
  TestData.flag('ui-theme').variations('default', 'dark').ifMatch('plan', 'pro').thenReturn('dark').fallthroughVariation('default'),
  TestData.flag('banner')
    .variations({ show: false }, { show: true, text: 'hi' })
    .fallthroughRollout(
      [
        { value: { show: false }, weight: 50 },
        { value: { show: true, text: 'hi' }, weight: 50 },
      ],
      { kind: 'experiment' },
    ),
  TestData.flag('old-flow').booleanFlag().on(false).offVariation(false),
];

function mock(options: OpenTelemetryHookOptions = {}): MockAvsbServer {
  return new MockAvsbServer({ flags: flags(), hooks: [new OpenTelemetryHook(options)] });
}

/** Runs `fn` inside an active span and returns the span once ended. */
async function inSpan(fn: () => unknown | Promise<unknown>): Promise<ReadableSpan> {
  await tracer.startActiveSpan('GET /checkout', async (span) => {
    try {
      await fn();
    } finally {
      span.end();
    }
  });
  const spans = exporter.getFinishedSpans();
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

it('records a read as a feature_flag.evaluation event on the active span, with the semantic conventions', async () => {
  const server = mock();
  const span = await inSpan(() => {
    expect(server.forUser({ kind: 'user', key: 'u_1', email: 'ada@example.com' }).getBoolFlag('checkout-v2', false)).toBe(true);
  });
  expect(span.events.map((e) => e.name)).toEqual([EVALUATION_EVENT]);
  expect(EVALUATION_EVENT).toBe('feature_flag.evaluation');
  expect(span.events[0]!.attributes).toEqual({
    'feature_flag.key': 'checkout-v2',
    'feature_flag.provider.name': 'avsb',
    'feature_flag.result.variant': '1',
    'feature_flag.result.reason': 'targeting_match',
    'feature_flag.context.id': 'u_1',
    'feature_flag.version': String(server.revision),
  });
  // no context attribute (personal data, private attributes) reaches the span
  expect(JSON.stringify(span.events)).not.toContain('ada@example.com');
});

it('maps A vs B reasons to the conventions: default, split, disabled, targeting_match', async () => {
  const server = mock();
  const span = await inSpan(() => {
    const avsb = server.forUser({ key: 'u_2', plan: 'pro' });
    avsb.getBoolFlag('checkout-v2', true);
    avsb.getStringFlagDetails('ui-theme', 'x');
    avsb.getJsonFlag('banner', null);
    avsb.getBoolFlag('old-flow', true);
  });
  expect(span.events.map((e) => [e.attributes!['feature_flag.key'], e.attributes!['feature_flag.result.reason'], e.attributes!['feature_flag.result.variant']])).toEqual([
    ['checkout-v2', 'default', '0'],
    ['ui-theme', 'targeting_match', '1'],
    ['banner', 'split', expect.stringMatching(/^[01]$/)],
    ['old-flow', 'disabled', '0'],
  ]);
});

it('records a read that served the default with reason error, error.type and the message', async () => {
  const server = mock();
  const span = await inSpan(() => {
    const avsb = server.forUser({ key: 'u_1' });
    expect(avsb.getBoolFlag('chekout-v2', false)).toBe(false);
    expect(avsb.getNumberFlag('checkout-v2', 3)).toBe(3);
  });
  const [missing, wrongType] = span.events.map((e) => e.attributes!);
  expect(missing).toMatchObject({ 'feature_flag.key': 'chekout-v2', 'feature_flag.result.reason': 'error', 'error.type': 'flag_not_found' });
  expect(missing!['feature_flag.error.message']).toMatch(/did you mean "checkout-v2"/);
  expect(missing).not.toHaveProperty('feature_flag.result.variant');
  expect(wrongType).toMatchObject({ 'feature_flag.result.reason': 'error', 'error.type': 'type_mismatch' });
});

it('adds the value only when asked to, and leaves the context id out when asked to', async () => {
  const span = await inSpan(() => {
    mock().forUser({ key: 'u_2', plan: 'pro' }).getStringFlag('ui-theme', 'x');
    mock({ includeValue: true, includeContextId: false, flagSetId: 'shop/production' }).forUser({ key: 'u_2', plan: 'pro' }).getStringFlag('ui-theme', 'x');
    mock({ includeValue: true }).forUser({ key: 'u_3' }).getJsonFlag('banner', null);
  });
  const [plain, withValue, json] = span.events.map((e) => e.attributes!);
  expect(plain).not.toHaveProperty('feature_flag.result.value');
  expect(withValue).toMatchObject({ 'feature_flag.result.value': 'dark', 'feature_flag.set.id': 'shop/production' });
  expect(withValue).not.toHaveProperty('feature_flag.context.id');
  expect(JSON.parse(json!['feature_flag.result.value'] as string)).toHaveProperty('show');
});

it('identifies other kinds and multi-kind contexts by kind and key', async () => {
  const server = mock();
  const span = await inSpan(() => {
    server.forUser({ kind: 'org', key: 'acme' }).getBoolFlag('checkout-v2', false);
    server.forUser({ kind: 'multi', user: { key: 'u_1' }, org: { key: 'acme' } }).getBoolFlag('checkout-v2', false);
  });
  expect(span.events.map((e) => e.attributes!['feature_flag.context.id'])).toEqual(['org:acme', '[["org","acme"],["user","u_1"]]']);
});

it('records nothing outside a span or in a span that is not sampled, and the read is unchanged', async () => {
  const server = mock();
  expect(server.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  const unsampled = new BasicTracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  unsampled.getTracer('off').startActiveSpan('off', (span) => {
    expect(span.isRecording()).toBe(false);
    expect(server.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
    span.end();
  });
  expect(exporter.getFinishedSpans()).toEqual([]);
  expect(server.logs.filter((l) => l.level === 'error')).toEqual([]);
});

it('follows the active span across awaits in a real AvsbServer, one event per read', async () => {
  const datafile = new TestData();
  for (const flag of flags()) datafile.update(flag);
  const server = new AvsbServer({
    sdkKey: undefined,
    offline: true,
    dataSource: datafile.source(),
    logger: new MemoryLogger(),
    hooks: [new OpenTelemetryHook()],
  });
  expect((await server.onReady({ timeoutMs: 2000 })).ready).toBe(true);
  const span = await inSpan(async () => {
    const avsb = server.forUser({ key: 'u_1' });
    avsb.getBoolFlag('checkout-v2', false);
    await new Promise((resolve) => setTimeout(resolve, 1));
    avsb.getStringFlag('ui-theme', 'x');
    avsb.close();
  });
  expect(span.events.map((e) => e.attributes!['feature_flag.key'])).toEqual(['checkout-v2', 'ui-theme']);
  await server.close();
});

it('puts each read on the span of its own request when requests interleave', async () => {
  const server = mock();
  const request = (name: string, key: string) =>
    tracer.startActiveSpan(name, async (span) => {
      const avsb = server.forUser({ key });
      avsb.getBoolFlag('checkout-v2', false);
      await new Promise((resolve) => setTimeout(resolve, 5));
      avsb.getStringFlag('ui-theme', 'x');
      span.end();
    });
  await Promise.all([request('first', 'u_1'), request('second', 'u_2')]);
  const byName = Object.fromEntries(exporter.getFinishedSpans().map((s) => [s.name, s.events.map((e) => `${e.attributes!['feature_flag.key']}:${e.attributes!['feature_flag.context.id']}`)]));
  expect(byName).toEqual({ first: ['checkout-v2:u_1', 'ui-theme:u_1'], second: ['checkout-v2:u_2', 'ui-theme:u_2'] });
});
