import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { MemoryLogger } from '@avsb/test-support';
import { AvsbConfigError, AvsbServer } from './index';

const datafile = {
  schemaVersion: 1,
  revision: 12,
  flags: [
    { key: 'checkout-v2', on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } },
    { key: 'ui-theme', on: true, clientSide: true, variations: ['default', 'dark'], fallthrough: { variation: 1 } },
  ],
};

it('refuses a missing or empty key at construction and says what to do', () => {
  for (const sdkKey of [undefined, '', '   ']) {
    expect(() => new AvsbServer({ sdkKey })).toThrow(AvsbConfigError);
    expect(() => new AvsbServer({ sdkKey })).toThrow(/AVSB_SDK_KEY.*Server SDK key.*Settings → Environments/);
  }
  expect(() => new AvsbServer({} as never)).toThrow(/sdkKey is missing/);
});

it('refuses a client-side key without printing it', () => {
  const key = 'cli-abcdefghijklmnopqrstuvwxyz0123456789ABCD';
  let error: Error | undefined;
  try {
    new AvsbServer({ sdkKey: key });
  } catch (e) {
    error = e as Error;
  }
  expect(error).toBeInstanceOf(AvsbConfigError);
  expect(error!.message).toMatch(/client-side key \(cli-…\).*AVSB_SDK_KEY.*Settings → Environments/);
  expect(error!.message).not.toContain(key);
  expect(() => new AvsbServer({ sdkKey: 'adm-abc' })).toThrow(/admin API token/);
});

it('refuses a base URL that is not http(s)', () => {
  expect(() => new AvsbServer({ sdkKey: 'srv-x', baseUrl: 'not a url' })).toThrow(/is not a URL/);
  expect(() => new AvsbServer({ sdkKey: 'srv-x', baseUrl: 'ftp://x' })).toThrow(/http\(s\)/);
  expect(() => new AvsbServer({ sdkKey: 'srv-x', baseUrl: 'https://user:hunter2@flags.example.com' })).toThrow(
    new AvsbConfigError('AvsbServer: baseUrl has a user name, password, query or fragment: give the http(s) URL of the service, such as https://flags.example.com'),
  );
});

// from JavaScript or the environment's text: `logLevel: 'WARN'` logged at info, `streaming: 'false'` streamed,
// `pollIntervalMs: '5000'` polled every 30 s (the default), `logger: console.log` swallowed every message, each without a word
it('refuses an option value of the wrong type or outside its values at construction, naming the option and what it takes', () => {
  const refused: [Record<string, unknown>, string][] = [
    [{ logLevel: 'WARN' }, `AvsbServer: logLevel must be 'debug', 'info', 'warn', 'error' or 'none', not "WARN"`],
    [{ streaming: 'false' }, 'AvsbServer: streaming must be true or false, not "false"'],
    [{ offline: 1 }, 'AvsbServer: offline must be true or false, not 1'],
    [{ pollIntervalMs: '5000' }, 'AvsbServer: pollIntervalMs must be a number of milliseconds (0 or more) such as 5000, not "5000" (Number(…) reads one from the environment\'s text)'],
    [{ startupTimeoutMs: Number.NaN }, 'AvsbServer: startupTimeoutMs must be a number of milliseconds (0 or more) such as 5000, not NaN'],
    [{ closeTimeoutMs: -1 }, 'AvsbServer: closeTimeoutMs must be a number of milliseconds (0 or more) such as 5000, not -1'],
    [{ streamFallbackAfterFailures: 1.5 }, 'AvsbServer: streamFallbackAfterFailures must be a whole number (0 or more), not 1.5'],
    [{ logger: console.log }, 'AvsbServer: logger must be an object with debug, info, warn and error methods (console, or your logging library\'s logger), not a function'],
  ];
  for (const [options, message] of refused) {
    expect(() => new AvsbServer({ sdkKey: 'srv-options-test', offline: true, ...options }), message).toThrow(new AvsbConfigError(message));
  }
  // every option of the table at a usable value, and each left out, still constructs
  const server = new AvsbServer({
    sdkKey: 'srv-options-test',
    offline: true,
    logLevel: 'none',
    streaming: false,
    pollIntervalMs: 0,
    startupTimeoutMs: Infinity,
    closeTimeoutMs: 1,
    requestTimeoutMs: 10_000,
    streamInitialRetryDelayMs: 1,
    streamMaxRetryDelayMs: 30_000,
    streamFallbackAfterFailures: 0,
    streamReadTimeoutMs: 45_000,
    allAttributesPrivate: false,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  void server.close();
});

it('names AVSB_BASE_URL when the base URL from the environment is wrong; the option wins over it', async () => {
  vi.stubEnv('AVSB_BASE_URL', 'flags.example.com?token=secret');
  try {
    expect(() => new AvsbServer({ sdkKey: 'srv-x' })).toThrow(
      new AvsbConfigError('AvsbServer: AVSB_BASE_URL is not a URL: give the http(s) URL of the service, such as https://flags.example.com'),
    );
    await new AvsbServer({ sdkKey: 'srv-x', baseUrl: 'http://127.0.0.1:9', offline: true, logLevel: 'none' }).close();
  } finally {
    vi.unstubAllEnvs();
  }
});

it('serves an initial datafile from a file path offline, without a key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-node-unit-'));
  const path = join(dir, 'flags.json');
  writeFileSync(path, JSON.stringify(datafile));
  const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: path, logger: new MemoryLogger() });
  expect(await server.onReady({ timeoutMs: 0 })).toEqual({ ready: true, revision: 12 });
  const scoped = server.forUser({ kind: 'user', key: 'u_1' });
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(server.allFlags({ key: 'u_1' }, { clientSideOnly: true })).toEqual({ 'ui-theme': 'dark' });
  expect(server.metrics()).toMatchObject({ revision: 12, liveContexts: 1, engineFaults: 0, events: null });
  scoped.close();
  expect(server.metrics().liveContexts).toBe(0);
  await server.close();
  expect(() => new AvsbServer({ sdkKey: 'srv-x', offline: true, initialDatafile: join(dir, 'nope.json') })).toThrow(
    /cannot read initialDatafile/,
  );
});

it('masks keys in everything it logs and honours the log level', async () => {
  const logger = new MemoryLogger();
  const key = 'srv-SECRETSECRETSECRETSECRET1234';
  const server = new AvsbServer({
    sdkKey: key,
    baseUrl: 'http://127.0.0.1:9',
    logger,
    logLevel: 'warn',
    events: false,
    initialDatafile: { schemaVersion: 1, flags: [{ key: 'x', on: true, variations: [1], fallthrough: { variation: 9 } }] },
  });
  server.logger.info(`never shown ${key}`);
  server.logger.error(`the key ${key} leaked`);
  await server.close();
  expect(logger.text).not.toContain('SECRETSECRET');
  expect(logger.at('error')).toContain('[avsb] the key srv-…1234 leaked');
  expect(logger.lines.some((l) => l.level === 'info')).toBe(false);
  // the refused initial datafile was logged with the engine's JSON path
  expect(logger.text).toMatch(/flags\[0\]\.fallthrough\.variation/);
});

it('works with `await using`', async () => {
  let closed = false;
  {
    await using server = new AvsbServer({ sdkKey: 'srv-x', offline: true, initialDatafile: datafile });
    using scoped = server.forUser({ key: 'u_1' });
    expect(scoped.getStringFlag('ui-theme', 'default')).toBe('dark');
    const close = server.close.bind(server);
    server.close = () => ((closed = true), close());
  }
  expect(closed).toBe(true);
});

it('runs a plugged-in data source, also offline', async () => {
  let stopped = false;
  const server = new AvsbServer({
    sdkKey: undefined,
    offline: true,
    logger: new MemoryLogger(),
    dataSource: (sink) => ({
      start: () => void sink.put(datafile, { source: 'test' }),
      stop: () => void (stopped = true),
    }),
  });
  expect(await server.onReady({ timeoutMs: 1000 })).toEqual({ ready: true, revision: 12 });
  expect(server.forUser({ key: 'u_1' }).getStringFlag('ui-theme', 'x')).toBe('dark');
  await server.close();
  expect(stopped).toBe(true);
});

it('runs the engine it is given (engineWasm), e.g. the inlined one where a bundler moved it from its files', async () => {
  const { engineWasmBytes } = await import('@avsb/engine/wasm-inline');
  const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: datafile, engineWasm: engineWasmBytes() });
  expect(server.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  await server.close();
  expect(() => new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: datafile, engineWasm: new Uint8Array([0, 97, 115, 109]) })).toThrow();
});
