/**
 * The test-service protocol, version 1: how the contract harness drives an
 * SDK. Every SDK that joins the suite runs a small HTTP server on 127.0.0.1
 * that speaks this (README.md, "The test-service protocol"). Bodies are JSON.
 *
 * - `GET /` → {@link ServiceInfo}
 * - `POST /` with {@link ClientConfig} → `201`, `Location: /clients/<id>`, {@link CreatedClient}
 * - `POST /clients/<id>` with a {@link Command} → `200` and the command's result
 * - `DELETE /clients/<id>` → closes the client (flushing its events), `204`
 * - `DELETE /` → the service exits (when it runs as its own process)
 *
 * Errors are `4xx`/`5xx` with `{ "error": "message" }`; a command a service
 * does not know is `400`.
 */

/** Optional features; a scenario needing one the service lacks is skipped. */
export type Capability =
  | 'server-side'
  | 'streaming'
  | 'polling'
  | 'events'
  | 'private-attributes'
  | 'stream-retry-delay'
  | 'stream-read-timeout'
  | 'event-capacity'
  | 'event-retry-delay'
  | 'event-status'
  | 'evaluate-all';

/** `GET /`: who answers and what it can do. */
export interface ServiceInfo {
  readonly name: string;
  readonly protocolVersion: 1;
  readonly sdk: { readonly name: string; readonly version: string };
  readonly capabilities: readonly Capability[];
}

/** `POST /`: a client to create. Times in milliseconds; omitted options keep the SDK's defaults. */
export interface ClientConfig {
  /** A label for logs (never the key). */
  readonly tag?: string;
  /** The SDK key to send (`srv-…` for server SDKs). */
  readonly credential: string;
  /** Where the SDK finds `/sdk/v1/stream`, `/sdk/v1/datafile` and `/sdk/v1/events` (the harness's mock service). */
  readonly baseUri: string;
  /** Data source: streaming (with its polling fallback) or polling only. */
  readonly dataSource?: {
    readonly streaming?: boolean;
    readonly pollIntervalMs?: number;
    readonly initialRetryDelayMs?: number;
    readonly maxRetryDelayMs?: number;
    readonly fallbackAfterFailures?: number;
    readonly readTimeoutMs?: number;
  };
  /** Event delivery, or `null`/absent to send no events. */
  readonly events?: {
    readonly capacity?: number;
    readonly flushIntervalMs?: number;
    readonly batchSize?: number;
    readonly retryInitialDelayMs?: number;
    readonly exposures?: 'experiments' | 'all';
    readonly privateAttributes?: readonly string[];
    readonly allAttributesPrivate?: boolean;
  } | null;
  /** Time limit of one HTTP request of the SDK. */
  readonly requestTimeoutMs?: number;
  /** Default `onReady` limit of the SDK (`waitForReady` without `timeoutMs`). */
  readonly startupTimeoutMs?: number;
}

/** The answer of `POST /`: the client exists; readiness is asked for with `waitForReady`. */
export interface CreatedClient {
  readonly id: string;
}

/** A context as the engine takes it (`{ kind, key, …attributes }` or a multi-kind context). */
export type ContextJson = Record<string, unknown>;

/** `POST /clients/<id>` bodies. */
export type Command =
  | {
      readonly command: 'evaluate';
      readonly flagKey: string;
      readonly context: ContextJson;
      readonly valueType: 'bool' | 'string' | 'number' | 'json';
      readonly defaultValue: unknown;
      readonly detail?: boolean;
    }
  | { readonly command: 'evaluateAll'; readonly context: ContextJson; readonly clientSideOnly?: boolean }
  | {
      readonly command: 'track';
      readonly context: ContextJson;
      readonly eventKey: string;
      readonly value?: number;
      readonly properties?: Record<string, unknown>;
    }
  | { readonly command: 'flush' }
  | { readonly command: 'waitForReady'; readonly timeoutMs?: number }
  | { readonly command: 'status' };

/** Result of `evaluate` (`variationIndex`, `reason`, `inExperiment` only with `detail: true`). */
export interface EvaluateResult {
  readonly value: unknown;
  readonly variationIndex?: number | null;
  /** The SDK's reason: `kind` (`FALLTHROUGH`, `ERROR`, …) and its details (`errorKind`, `ruleIndex`…). */
  readonly reason?: { readonly kind: string; readonly errorKind?: string; readonly [detail: string]: unknown };
  readonly inExperiment?: boolean;
}

/** Result of `evaluateAll`. */
export interface EvaluateAllResult {
  readonly state: Record<string, unknown>;
}

/** Result of `waitForReady`: what the SDK's start-up wait resolved with. */
export interface ReadyResultJson {
  readonly ready: boolean;
  readonly revision?: number | null;
  /** `'timeout'`, `'unauthorized'`, `'closed'` when not ready. */
  readonly errorKind?: string;
}

/** Result of `status`: what the SDK reports about itself. */
export interface StatusResult {
  readonly ready: boolean;
  readonly revision: number | null;
  readonly lastError: { readonly kind: string; readonly status?: number } | null;
  /** The SDK's event counters, `null` when events are off. */
  readonly events: { readonly queued: number; readonly dropped: number; readonly sent: number } | null;
}
