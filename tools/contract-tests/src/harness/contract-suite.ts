import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Capability, ClientConfig } from '../protocol';
import type { RunningService } from '../services/node/node-service';
import { startNodeService } from '../services/node/node-service';
import { MockService } from './mock-service';
import type { TestClient } from './test-service';
import { TestService } from './test-service';

/** The environment variable naming an external test service to drive instead of `@avsb/node`'s. */
export const SERVICE_URL_ENV = 'AVSB_CONTRACT_SERVICE_URL';

/** A key shaped like a server key; the mock accepts any key. */
export const SDK_KEY = 'srv-contract-tests-0000';

/** What one scenario works with: the mock A vs B service and the SDK client pointed at it. */
export interface Scenario {
  readonly mock: MockService;
  readonly client: TestClient;
}

/** Config overrides of one scenario (`credential` and `baseUri` are filled in). */
export type ScenarioConfig = Omit<ClientConfig, 'credential' | 'baseUri'> & { readonly credential?: string };

export interface ContractSuite {
  /** The test service (available inside tests). */
  readonly service: TestService;
  /**
   * A mock service and a client of the SDK pointed at it, both closed after
   * the test. `prepare` sets up the mock before the client is created (the
   * SDK connects at once). Skips the test when the service lacks a capability.
   */
  start(
    skip: (note?: string) => void,
    config: ScenarioConfig,
    options?: { requires?: readonly Capability[]; prepare?: (mock: MockService) => void },
  ): Promise<Scenario>;
}

/**
 * Registers the hooks of one test file: the test service for the file (the
 * `@avsb/node` one in this process, or the one at `AVSB_CONTRACT_SERVICE_URL`),
 * and per test a fresh mock service and client that are closed afterwards.
 */
export function contractSuite(): ContractSuite {
  let running: RunningService | null = null;
  let service: TestService | null = null;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const external = process.env[SERVICE_URL_ENV];
    if (external !== undefined && external !== '') {
      service = await TestService.connect(external);
    } else {
      running = await startNodeService();
      service = await TestService.connect(running.url);
    }
  });
  afterEach(async () => {
    const pending = cleanups.splice(0).reverse();
    for (const cleanup of pending) await cleanup();
  });
  afterAll(async () => {
    await running?.close();
  });

  return {
    get service(): TestService {
      if (service === null) throw new Error('the test service is not started yet (use it inside a test)');
      return service;
    },
    async start(skip, config, options = {}) {
      const svc = this.service;
      const missing = (options.requires ?? []).filter((c) => !svc.has(c));
      if (missing.length > 0) skip(`${svc.info.name} lacks ${missing.join(', ')}`);
      const mock = await MockService.start();
      cleanups.push(() => mock.close());
      options.prepare?.(mock);
      const client = await svc.createClient({ credential: SDK_KEY, baseUri: mock.url, ...config });
      // closed before the mock, so that its last flush still has somewhere to go
      cleanups.push(() => client.close().catch(() => {}));
      return { mock, client };
    },
  };
}
