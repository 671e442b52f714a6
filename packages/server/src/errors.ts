/** Machine-readable error codes shared by the SDK protocol and the admin API. */
export type AvsbErrorCode =
  | 'invalid_json'
  | 'invalid_batch'
  | 'invalid_event'
  | 'invalid_request'
  | 'invalid_flag'
  | 'invalid_segment'
  | 'invalid_project'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'request_timeout'
  | 'expectation_failed'
  | 'headers_too_large'
  | 'internal'
  | 'unavailable';

const STATUS: Record<AvsbErrorCode, number> = {
  invalid_json: 400,
  invalid_batch: 400,
  invalid_event: 400,
  invalid_request: 400,
  invalid_flag: 400,
  invalid_segment: 400,
  invalid_project: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  request_timeout: 408,
  expectation_failed: 417,
  headers_too_large: 431,
  internal: 500,
  unavailable: 503,
};

/** One problem of a refused document: its JSON path and what is wrong (`@avsb/validator`). */
export interface AvsbProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * An error with a code and an HTTP status, thrown by the storage, the core
 * and the HTTP layers alike; the HTTP layer turns it into
 * `{"error": {"code", "message"}}`, plus `"problems"` when a validation
 * refused a document: every problem, the message naming the first.
 */
export class AvsbError extends Error {
  /** The HTTP status that this error answers with. */
  readonly status: number;

  constructor(
    readonly code: AvsbErrorCode,
    message: string,
    readonly problems?: readonly AvsbProblem[],
  ) {
    super(message);
    this.name = 'AvsbError';
    this.status = STATUS[code];
  }
}

/** Shorthand for a 404 `not_found`. */
export function notFound(message: string): AvsbError {
  return new AvsbError('not_found', message);
}

/** Shorthand for a 400 `invalid_request`. */
export function invalidRequest(message: string): AvsbError {
  return new AvsbError('invalid_request', message);
}
