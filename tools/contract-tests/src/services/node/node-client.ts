import type { AvsbContext, AvsbServerOptions, FlagDetail, JsonValue } from '@avsb/node';
import { AvsbServer } from '@avsb/node';
import type { ClientConfig, Command, EvaluateResult, ReadyResultJson, StatusResult } from '../../protocol';

/** A command the client cannot carry out (a bad argument): answered `400`. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
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
    ...(ds.streaming !== undefined ? { streaming: ds.streaming } : {}),
    ...(ds.pollIntervalMs !== undefined ? { pollIntervalMs: ds.pollIntervalMs } : {}),
    ...(ds.initialRetryDelayMs !== undefined ? { streamInitialRetryDelayMs: ds.initialRetryDelayMs } : {}),
    ...(ds.maxRetryDelayMs !== undefined ? { streamMaxRetryDelayMs: ds.maxRetryDelayMs } : {}),
    ...(ds.fallbackAfterFailures !== undefined ? { streamFallbackAfterFailures: ds.fallbackAfterFailures } : {}),
    ...(ds.readTimeoutMs !== undefined ? { streamReadTimeoutMs: ds.readTimeoutMs } : {}),
    ...(config.requestTimeoutMs !== undefined ? { requestTimeoutMs: config.requestTimeoutMs } : {}),
    ...(config.startupTimeoutMs !== undefined ? { startupTimeoutMs: config.startupTimeoutMs } : {}),
    ...(ev?.privateAttributes !== undefined ? { privateAttributes: [...ev.privateAttributes] } : {}),
    ...(ev?.allAttributesPrivate !== undefined ? { allAttributesPrivate: ev.allAttributesPrivate } : {}),
    events:
      ev === undefined || ev === null
        ? false
        : {
            ...(ev.capacity !== undefined ? { capacity: ev.capacity } : {}),
            ...(ev.flushIntervalMs !== undefined ? { flushIntervalMs: ev.flushIntervalMs } : {}),
            ...(ev.batchSize !== undefined ? { batchSize: ev.batchSize } : {}),
            ...(ev.retryInitialDelayMs !== undefined ? { retryInitialDelayMs: ev.retryInitialDelayMs } : {}),
            ...(ev.exposures !== undefined ? { exposures: ev.exposures } : {}),
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
            ...(command.value !== undefined ? { value: command.value } : {}),
            ...(command.properties !== undefined ? { properties: command.properties as Record<string, JsonValue> } : {}),
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
        return this._waitForReady(command.timeoutMs);
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
      lastError: error === null ? null : { kind: error.kind, ...(error.status !== undefined ? { status: error.status } : {}) },
      events: events === null ? null : { queued: events.queued, dropped: events.dropped, sent: events.sent },
    };
  }
}
