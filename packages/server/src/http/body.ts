import type { IncomingMessage, ServerResponse } from 'node:http';
import { nestsDeeperThan } from '@avsb/protocol';
import { tooDeepMessage } from '../domain/json-depth';
import { AvsbError } from '../errors';

/**
 * Reads a request body up to `limit` bytes. A larger body is read to its end
 * and discarded (so the client, still uploading, gets to read the 413), up to
 * a hard cap beyond which the connection is closed right away.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer> {
  const hardCap = Math.max(limit * 4, 8 * 1024 * 1024);
  const tooLarge = () => new AvsbError('payload_too_large', `the request body is larger than ${describeBytes(limit)}`);
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > hardCap) {
      res.setHeader('Connection', 'close');
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    let settled = false;
    const settle = (error: Error | null, body?: Buffer) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(body!);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > hardCap) {
        res.setHeader('Connection', 'close');
        req.pause();
        settle(tooLarge());
        return;
      }
      if (size > limit) over = true;
      if (over) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.on('end', () => settle(over ? tooLarge() : null, over ? undefined : Buffer.concat(chunks, size)));
    req.on('error', (error) => settle(error));
    req.on('close', () => settle(new Error('the client closed the connection before sending the whole body')));
  });
}

/** Reads and parses a JSON body; 400 `invalid_json` when it is not JSON. */
export async function readJson(req: IncomingMessage, res: ServerResponse, limit: number): Promise<unknown> {
  return parseJson((await readBody(req, res, limit)).toString('utf8'));
}

/**
 * JSON.parse with a 400 `invalid_json` naming the problem, including a body
 * nested deeper than `MAX_JSON_DEPTH` (64) levels: every body the server
 * reads goes through here, so no handler ever walks a value that would
 * overflow the stack.
 */
export function parseJson(text: string): unknown {
  if (text.trim() === '') throw new AvsbError('invalid_json', 'the request body is empty; expected JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AvsbError('invalid_json', `the request body is not valid JSON (${(error as Error).message})`);
  }
  if (nestsDeeperThan(value)) throw new AvsbError('invalid_json', tooDeepMessage('the request body'));
  return value;
}

function describeBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
