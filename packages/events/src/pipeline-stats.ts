/** What {@link EventPipeline.diagnostics} reports. */
export interface EventDiagnostics {
  /** Events held in memory: queued, or in batches waiting to be sent or retried. */
  readonly queued: number;
  /** Events lost: buffer full, batch rejected or out of attempts, after close, after a 401/403. */
  readonly dropped: number;
  /** Events the server acknowledged. */
  readonly sent: number;
  /** Batches given up on: rejected (4xx), out of attempts (5xx), or unsent at close. */
  readonly failedBatches: number;
  /** `record…` calls ignored because their argument was not valid (never thrown). */
  readonly invalid: number;
  /** The latest delivery failure (`HTTP 500: internal: …`, `network: …`), or `null`. Never holds the SDK key. */
  readonly lastError: string | null;
  /** `true` once the server answered 401/403: the pipeline sends nothing more. */
  readonly stoppedForAuth: boolean;
}

/** The mutable counters behind {@link EventDiagnostics}, shared by the pipeline and its delivery. */
export interface Counters {
  dropped: number;
  sent: number;
  failedBatches: number;
  invalid: number;
  lastError: string | null;
  stoppedForAuth: boolean;
}

export function newCounters(): Counters {
  return { dropped: 0, sent: 0, failedBatches: 0, invalid: 0, lastError: null, stoppedForAuth: false };
}

/** Lets one message of each topic through per flush window, so a failure never floods the log. */
export class LogGate {
  private readonly _seen = new Set<string>();

  /** Whether a message of `topic` may be logged now (and marks it logged for this window). */
  allow(topic: string): boolean {
    if (this._seen.has(topic)) return false;
    this._seen.add(topic);
    return true;
  }

  /** A new window. */
  reset(): void {
    this._seen.clear();
  }
}

