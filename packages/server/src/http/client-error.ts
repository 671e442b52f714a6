import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AvsbErrorCode } from '../errors';
import { AvsbError } from '../errors';

/**
 * Answers what Node's HTTP parser refuses before any request object exists
 * (the server's `clientError` event): malformed requests, headers over the
 * size limit, requests too slow to arrive. Node's own answers have empty
 * bodies; these carry the same `{"error": {"code", "message"}}` as every
 * other error, and close the connection, which the parser cannot go on with.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // nothing to answer on a connection the client already dropped, or one in the middle of another answer
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const avsbError = describe(error.code);
  const body = JSON.stringify({ error: { code: avsbError.code, message: avsbError.message } });
  socket.end(
    `HTTP/1.1 ${avsbError.status} ${STATUS_CODES[avsbError.status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

function describe(code: string | undefined): AvsbError {
  const error = (c: AvsbErrorCode, message: string) => new AvsbError(c, message);
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return error('headers_too_large', 'the request headers are larger than the server accepts (16 KiB in all)');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return error('request_timeout', 'the request did not arrive in time');
    default:
      return error('invalid_request', 'the request is not valid HTTP/1.1');
  }
}
