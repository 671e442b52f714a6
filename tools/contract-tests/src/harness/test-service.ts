import type {
  Capability,
  ClientConfig,
  Command,
  ContextJson,
  CreatedClient,
  EvaluateResult,
  ReadyResultJson,
  ServiceInfo,
  StatusResult,
} from '../protocol';

/** The harness's side of the test-service protocol: one SDK's test service at `url`. */
export class TestService {
  private constructor(
    readonly url: string,
    readonly info: ServiceInfo,
  ) {}

  static async connect(url: string): Promise<TestService> {
    const info = (await call(url, 'GET', '/')) as ServiceInfo;
    if (info.protocolVersion !== 1) throw new Error(`${info.name} speaks protocol ${String(info.protocolVersion)}, not 1`);
    return new TestService(url, info);
  }

  has(capability: Capability): boolean {
    return this.info.capabilities.includes(capability);
  }

  async createClient(config: ClientConfig): Promise<TestClient> {
    const created = (await call(this.url, 'POST', '/', config)) as CreatedClient;
    return new TestClient(this.url, `/clients/${created.id}`);
  }
}

/** One SDK client inside a test service, driven by commands. */
export class TestClient {
  private _closed: Promise<void> | null = null;

  constructor(
    private readonly _url: string,
    readonly path: string,
  ) {}

  evaluate(flagKey: string, context: ContextJson, defaultValue: boolean, detail = true): Promise<EvaluateResult> {
    return this.run({ command: 'evaluate', flagKey, context, valueType: 'bool', defaultValue, detail }) as Promise<EvaluateResult>;
  }

  evaluateString(flagKey: string, context: ContextJson, defaultValue: string): Promise<EvaluateResult> {
    return this.run({ command: 'evaluate', flagKey, context, valueType: 'string', defaultValue, detail: true }) as Promise<EvaluateResult>;
  }

  async track(context: ContextJson, eventKey: string, extra: { value?: number; properties?: Record<string, unknown> } = {}): Promise<void> {
    await this.run({ command: 'track', context, eventKey, ...extra });
  }

  async flush(): Promise<void> {
    await this.run({ command: 'flush' });
  }

  waitForReady(timeoutMs?: number): Promise<ReadyResultJson> {
    return this.run(timeoutMs === undefined ? { command: 'waitForReady' } : { command: 'waitForReady', timeoutMs }) as Promise<ReadyResultJson>;
  }

  status(): Promise<StatusResult> {
    return this.run({ command: 'status' }) as Promise<StatusResult>;
  }

  run(command: Command): Promise<unknown> {
    return call(this._url, 'POST', this.path, command);
  }

  /** `DELETE`: the SDK closes (flushing its events). Idempotent. */
  close(): Promise<void> {
    this._closed ??= call(this._url, 'DELETE', this.path).then(() => undefined);
    return this._closed;
  }
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`test service: ${method} ${path} answered ${response.status}: ${text}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}
