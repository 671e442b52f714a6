import type { AvsbContext, AvsbServerOptions, FlagDetail, JsonValue } from '@avsb/node';
import { AvsbServer } from '@avsb/node';
import type { ClientConfig, Command, EvaluateResult, ReadyResultJson, StatusResult } from '../../protocol';

/** A command the client cannot carry out (a bad argument): answered `400`. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** Whether a config property was given: `null` counts as omitted (README.md, protocol). */
function set<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

/** The `AvsbServerOptions` a protocol {@link ClientConfig} asks for. */
export function serverOptions(config: ClientConfig): AvsbServerOptions {
  const ds = config.dataSource ?? {};
  const ev = config.events;
  return {
    sdkKey: config.credential,
    baseUrl: config.baseUri,
    // the harness reads what it needs through `status`; the SDK's own lines would only be noise
    logLevel: 'none',
    ...(set(ds.streaming) ? { streaming: ds.streaming } : {}),
    ...(set(ds.pollIntervalMs) ? { pollIntervalMs: ds.pollIntervalMs } : {}),
    ...(set(ds.initialRetryDelayMs) ? { streamInitialRetryDelayMs: ds.initialRetryDelayMs } : {}),
    ...(set(ds.maxRetryDelayMs) ? { streamMaxRetryDelayMs: ds.maxRetryDelayMs } : {}),
    ...(set(ds.fallbackAfterFailures) ? { streamFallbackAfterFailures: ds.fallbackAfterFailures } : {}),
    ...(set(ds.readTimeoutMs) ? { streamReadTimeoutMs: ds.readTimeoutMs } : {}),
    ...(set(config.requestTimeoutMs) ? { requestTimeoutMs: config.requestTimeoutMs } : {}),
    ...(set(config.startupTimeoutMs) ? { startupTimeoutMs: config.startupTimeoutMs } : {}),
    ...(set(ev?.privateAttributes) ? { privateAttributes: [...ev.privateAttributes] } : {}),
    ...(set(ev?.allAttributesPrivate) ? { allAttributesPrivate: ev.allAttributesPrivate } : {}),
    events:
      ev === undefined || ev === null
        ? false
        : {
            ...(set(ev.capacity) ? { capacity: ev.capacity } : {}),
            ...(set(ev.flushIntervalMs) ? { flushIntervalMs: ev.flushIntervalMs } : {}),
            ...(set(ev.batchSize) ? { batchSize: ev.batchSize } : {}),
            ...(set(ev.retryInitialDelayMs) ? { retryInitialDelayMs: ev.retryInitialDelayMs } : {}),
            ...(set(ev.exposures) ? { exposures: ev.exposures } : {}),
          },
  };
}

/** One `AvsbServer` behind `/clients/<id>`: carries out protocol commands. */
export class NodeClient {
  private readonly _server: AvsbServer;

  constructor(config: ClientConfig) {
    this._server = new AvsbServer(serverOptions(config));
  }

  async run(command: Command): Promise<unknown> {
    switch (command.command) {
      case 'evaluate':
        return this._evaluate(command);
      case 'evaluateAll':
        return { state: this._server.allFlags(command.context as AvsbContext, { clientSideOnly: command.clientSideOnly === true }) };
      case 'track': {
        const scoped = this._server.forUser(command.context as AvsbContext);
        try {
          scoped.track(command.eventKey, {
            ...(set(command.value) ? { value: command.value } : {}),
            ...(set(command.properties) ? { properties: command.properties as Record<string, JsonValue> } : {}),
          });
        } finally {
          scoped.close();
        }
        return {};
      }
      case 'flush':
        await this._server.flush();
        return {};
      case 'waitForReady':
        return this._waitForReady(set(command.timeoutMs) ? command.timeoutMs : undefined);
      case 'status':
        return this._status();
      default:
        throw new CommandError(`unknown command ${JSON.stringify((command as { command?: unknown }).command)}`);
    }
  }

  close(): Promise<void> {
    return this._server.close();
  }

  private _evaluate(command: Extract<Command, { command: 'evaluate' }>): EvaluateResult {
    const scoped = this._server.forUser(command.context as AvsbContext);
    try {
      const { flagKey: key, defaultValue: def } = command;
      let detail: FlagDetail<unknown>;
      switch (command.valueType) {
        case 'bool':
          detail = scoped.getBoolFlagDetails(key, def as boolean);
          break;
        case 'string':
          detail = scoped.getStringFlagDetails(key, def as string);
          break;
        case 'number':
          detail = scoped.getNumberFlagDetails(key, def as number);
          break;
        case 'json':
          detail = scoped.getJsonFlagDetails(key, def as JsonValue);
          break;
        default:
          throw new CommandError(`unknown valueType ${JSON.stringify(command.valueType)}`);
      }
      if (command.detail !== true) return { value: detail.value };
      return { value: detail.value, variationIndex: detail.variationIndex, reason: detail.reason, inExperiment: detail.inExperiment };
    } finally {
      scoped.close();
    }
  }

  private async _waitForReady(timeoutMs: number | undefined): Promise<ReadyResultJson> {
    const result = await this._server.onReady(timeoutMs === undefined ? {} : { timeoutMs });
    return result.ready ? { ready: true, revision: result.revision } : { ready: false, errorKind: result.error.kind };
  }

  private _status(): StatusResult {
    const { events } = this._server.metrics();
    const error = this._server.lastError;
    return {
      ready: this._server.ready,
      revision: this._server.revision,
      lastError: error === null ? null : { kind: error.kind, ...(set(error.status) ? { status: error.status } : {}) },
      events: events === null ? null : { queued: events.queued, dropped: events.dropped, sent: events.sent },
    };
  }
}
