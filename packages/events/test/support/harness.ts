// Test support: the real A vs B server (@avsb/server) on 127.0.0.1 over a
// temp SQLite file, a fault-injecting proxy in front of it, and pipelines
// wired to both through the real fetch transport.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '@avsb/server';
import type { RunningServer } from '@avsb/server';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { EventPipeline } from '../../src/event-pipeline';
import { fetchTransport } from '../../src/fetch-transport';
import { createPlatform } from '../../src/global-platform';
import type { EventPipelineOptions } from '../../src/options';
import type { EventLogger, EventPlatform } from '../../src/platform';
import type { EventBatch } from '../../src/wire';
import { FaultProxy } from './fault-proxy';

/** An event as the admin API lists it: the event as sent plus `id` and `receivedAt`. */
export type StoredEvent = Record<string, any> & { id: number; receivedAt: number; kind: string };

/** The real server, seeded with the example project `shop`. */
export interface Backend {
  readonly server: RunningServer;
  /** The server key of `shop`/`production`. */
  readonly sdkKey: string;
  /** Every event stored for `shop`/`production`, oldest first (read through the admin API). */
  events(): Promise<StoredEvent[]>;
  close(): Promise<void>;
}

export async function startBackend(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-events-test-'));
  const server = await startServer({ dbPath: join(dir, 'avsb.db'), port: 0, seed: true });
  const admin = async (path: string): Promise<any> => {
    const res = await fetch(`${server.url}/api/v1/projects/shop/environments/production${path}`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    if (res.status !== 200) throw new Error(`admin ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  const { serverKey } = (await admin('/keys?reveal=true')) as { serverKey: string };
  return {
    server,
    sdkKey: serverKey,
    async events() {
      const all: StoredEvent[] = [];
      for (;;) {
        const after = all.length === 0 ? 0 : all[all.length - 1]!.id;
        const page = (await admin(`/events?after=${after}&limit=1000`)) as StoredEvent[];
        all.push(...page);
        if (page.length < 1000) return all;
      }
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One log line. */
export interface LogLine {
  readonly level: keyof EventLogger;
  readonly message: string;
}

/** A logger that keeps every line. */
export function recordingLogger(): EventLogger & { readonly lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: keyof EventLogger) => (message: string) => void lines.push({ level, message });
  return {
    lines,
    text: () => lines.map((l) => `${l.level}: ${l.message}`).join('\n'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** Test defaults: short waits so faults play out in a test's time. */
export const FAST: EventPipelineOptions = {
  flushIntervalMs: 60_000,
  retryInitialDelayMs: 20,
  retryMaxDelayMs: 200,
};

/** A pipeline sending through the real fetch transport to `baseUrl`; `wrap` changes the platform it is given. */
export function pipelineTo(
  baseUrl: string,
  sdkKey: string,
  options: EventPipelineOptions = {},
  transportTimeoutMs = 2_000,
  wrap: (platform: EventPlatform) => EventPlatform = (platform) => platform,
): { pipeline: EventPipeline; logger: ReturnType<typeof recordingLogger>; platform: EventPlatform } {
  const logger = recordingLogger();
  const platform = wrap(createPlatform({ transport: fetchTransport({ baseUrl, sdkKey, timeoutMs: transportTimeoutMs }), logger }));
  return { pipeline: new EventPipeline(platform, { ...FAST, ...options }), logger, platform };
}

/**
 * Notes in `sent` each batch as the pipeline hands it to the transport, before any network: a batch that must not be
 * sent is then seen at once, not once its request (maybe) reached the proxy. `answered` gets each once its send
 * settled, before the pipeline reads the outcome.
 */
export function recordSends(sent: EventBatch[], answered: EventBatch[] = []): (platform: EventPlatform) => EventPlatform {
  return (platform) => ({
    ...platform,
    transport: {
      send: (batch) => {
        sent.push(batch);
        return platform.transport.send(batch).finally(() => answered.push(batch));
      },
      close: () => platform.transport.close?.(),
    },
  });
}

/** Lets what the pipeline started run to its end: its promise chains, and what they do on the next turn. */
export const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A platform whose clock (`now`) stands still until the test advances it: a window's length is then read, not timed. */
export function heldNow(): { wrap(platform: EventPlatform): EventPlatform; advance(ms: number): void } {
  let now = Date.now();
  return {
    wrap: (platform) => ({ ...platform, now: () => now }),
    advance(ms) {
      now += ms;
    },
  };
}

/** Starts the server and a proxy in front of it. */
export async function startStack(): Promise<{ backend: Backend; proxy: FaultProxy; close(): Promise<void> }> {
  const backend = await startBackend();
  const proxy = await FaultProxy.start(backend.server.url);
  return {
    backend,
    proxy,
    async close() {
      await proxy.close();
      await backend.close();
    },
  };
}

/** What the tests of a fault suite read: the file's server and proxy, and where the current test's events and requests start. */
export interface FaultSuite {
  readonly backend: Backend;
  readonly proxy: FaultProxy;
  /** Events the server had stored when the current test began. */
  readonly storedBefore: number;
  /** Event requests the proxy had seen when the current test began (faults chosen by `r.index` count from here). */
  readonly seenBefore: number;
}

/**
 * Starts the server and the proxy once for the calling test file (closed
 * after it) and, before each test, heals the proxy and notes where the
 * test's stored events and requests start.
 */
export function useFaultStack(): FaultSuite {
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  const suite = { storedBefore: 0, seenBefore: 0 } as { -readonly [K in keyof FaultSuite]: FaultSuite[K] };
  beforeAll(async () => {
    stack = await startStack();
    suite.backend = stack.backend;
    suite.proxy = stack.proxy;
  });
  afterAll(() => stack?.close());
  beforeEach(async () => {
    await suite.proxy.up();
    suite.proxy.fault = () => ({ kind: 'pass' });
    suite.storedBefore = (await suite.backend.events()).length;
    suite.seenBefore = suite.proxy.eventRequests.length;
  });
  return suite;
}

/** What the tests of a file on the server alone read: the file's server, and the events the current test stored. */
export interface BackendSuite {
  readonly backend: Backend;
  /** The events stored since the current test began, oldest first. */
  stored(): Promise<StoredEvent[]>;
}

/** Starts the server once for the calling test file (closed after it) and notes, before each test, where its events start. */
export function useBackend(): BackendSuite {
  let before = 0;
  const suite = {
    async stored() {
      return (await suite.backend.events()).slice(before);
    },
  } as { backend: Backend; stored(): Promise<StoredEvent[]> };
  beforeAll(async () => {
    suite.backend = await startBackend();
  });
  afterAll(() => suite.backend?.close());
  beforeEach(async () => {
    before = (await suite.backend.events()).length;
  });
  return suite;
}

/** A single-kind user context. */
export function user(key: string, attributes: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'user', key, ...attributes };
}
