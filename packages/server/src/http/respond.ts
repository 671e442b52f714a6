import type { ServerResponse } from 'node:http';
import { AvsbError } from '../errors';
import { storageUnavailable } from '../storage/unavailable';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Writes a JSON answer (`undefined` body: none, e.g. 204). */
export function sendJson(res: ServerResponse, status: number, body?: unknown, headers?: Record<string, string>): void {
  if (headers) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  sendText(res, status, JSON.stringify(body), JSON_TYPE);
}

/** Writes a text or pre-serialised JSON body with its length. */
export function sendText(res: ServerResponse, status: number, body: string | Uint8Array, contentType: string): void {
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  res.writeHead(status);
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** Writes `{"error": {"code", "message"}}` (and `"problems"`, when the error has them) with the error's status. */
export function sendError(res: ServerResponse, error: AvsbError, headers?: Record<string, string>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = error.problems ? { code: error.code, message: error.message, problems: error.problems } : { code: error.code, message: error.message };
  sendJson(res, error.status, { error: body }, headers);
}

/** Any thrown value as an AvsbError; storage that cannot write is a 503 with the cause, unknown errors a 500 `internal`. */
export function toAvsbError(error: unknown): AvsbError {
  if (error instanceof AvsbError) return error;
  return storageUnavailable(error) ?? new AvsbError('internal', 'internal server error');
}

export { JSON_TYPE };
