import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { ReadableStreamReaderLike, ResponseLike } from '@avsb/core';

/**
 * The most a `text()` returns, after decompression: twice the largest
 * datafile an engine loads (64 MiB of JSON; a compiled one is of the same
 * order), so whatever the SDK could accept still arrives and its own limits
 * refuse it with their message, while a compressed body that inflates
 * without end (a few KB of gzip can hold gigabytes) stops here.
 */
export const MAX_TEXT_BYTES = 128 * 1024 * 1024;

/** fetch's codings (RFC 9110 names and undici's `x-gzip`); a list longer than this is not decoded, as undici does. */
const MAX_CODINGS = 5;

/** Statuses whose responses never have a body (fetch's "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch `Response` over a `node:http` response: `headers.get` as fetch
 * joins repeated headers, the body decoded as fetch decodes it (`node:zlib`
 * loaded only for a compressed body), `text()` bounded, and a reader whose
 * `read()` hands on chunks as they arrive (pulling, so a fast server waits
 * for the SDK) and whose `cancel()` closes the socket. `abortError` is the
 * abort's reason once the request's signal fired: reads then reject with
 * it, as fetch's do. A socket lost mid-body rejects with fetch's
 * `TypeError('terminated')`, so the data sources word it as before.
 */
export function nodeResponse(res: IncomingMessage, method: string, abortError: () => unknown): ResponseLike {
  const status = res.statusCode ?? 0;
  const hasBody = method !== 'HEAD' && !NULL_BODY.has(status);
  if (!hasBody) res.resume(); // read to its end, so the socket goes back to the agent
  const stream = hasBody ? decoded(res) : null;
  let chunks: AsyncIterator<Buffer> | null = null;
  let used = false;
  const next = async (): Promise<IteratorResult<Buffer>> => {
    chunks ??= stream![Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    try {
      return await chunks.next();
    } catch (e) {
      throw abortError() ?? new TypeError('terminated', { cause: e });
    }
  };
  const take = (): void => {
    if (used) throw new TypeError('Body is unusable: Body has already been read');
    used = true;
  };
  const reader: ReadableStreamReaderLike = {
    read: async () => {
      const chunk = await next();
      return chunk.done ? { done: true, value: undefined } : { done: false, value: chunk.value };
    },
    cancel: async () => {
      stream?.destroy();
      res.destroy();
    },
  };
  return {
    status,
    ok: status >= 200 && status <= 299,
    headers: { get: (name) => header(res, name) },
    text: async () => {
      take();
      if (stream === null) return '';
      const parts: Buffer[] = [];
      let size = 0;
      for (let chunk = await next(); !chunk.done; chunk = await next()) {
        size += chunk.value.length;
        if (size > MAX_TEXT_BYTES) {
          await reader.cancel();
          throw new TypeError(`the response body is over ${MAX_TEXT_BYTES} bytes`);
        }
        parts.push(chunk.value);
      }
      const text = Buffer.concat(parts, size).toString('utf8');
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // fetch's UTF-8 decode drops a byte-order mark
    },
    body:
      stream === null
        ? null
        : {
            getReader: () => {
              take();
              return reader;
            },
          },
  };
}

function header(res: IncomingMessage, name: string): string | null {
  const value = res.headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

/** The body with its `content-encoding` undone, the last coding applied first; an unknown coding leaves it as sent, as fetch does. */
function decoded(res: IncomingMessage): Readable {
  const codings = (res.headers['content-encoding'] ?? '').toLowerCase().split(',').map((c) => c.trim());
  if (codings.length > MAX_CODINGS) throw new TypeError(`too many content-encodings in response: ${codings.length}, maximum allowed is ${MAX_CODINGS}`);
  const known = codings.filter((c) => c !== '' && c !== 'identity');
  if (known.length === 0 || !known.every((c) => Object.hasOwn(DECODERS, c))) return res;
  const zlib = process.getBuiltinModule('node:zlib');
  const { pipeline } = process.getBuiltinModule('node:stream');
  const stages = known.reverse().map((c) => DECODERS[c as keyof typeof DECODERS](zlib));
  // pipeline destroys every stage when one fails or is destroyed: cancelling the last one closes the socket too
  return pipeline([res, ...stages], () => {}) as unknown as Readable;
}

type Zlib = typeof import('node:zlib');

// Z_SYNC_FLUSH as fetch (and cURL) decode: a server's flushed output is handed on as it arrives, and a body whose
// trailer is missing still reads
const DECODERS = {
  gzip: (z: Zlib) => z.createGunzip({ flush: z.constants.Z_SYNC_FLUSH, finishFlush: z.constants.Z_SYNC_FLUSH }),
  'x-gzip': (z: Zlib) => z.createGunzip({ flush: z.constants.Z_SYNC_FLUSH, finishFlush: z.constants.Z_SYNC_FLUSH }),
  deflate: inflate,
  br: (z: Zlib) => z.createBrotliDecompress({ flush: z.constants.BROTLI_OPERATION_FLUSH, finishFlush: z.constants.BROTLI_OPERATION_FLUSH }),
};

/**
 * `deflate` should be zlib-wrapped (RFC 9110), and a zlib stream's first byte (RFC 1950's CMF) names method 8,
 * deflate, in its low four bits; some servers send raw deflate (RFC 1951) under that name, and fetch reads both. So the
 * decoder is picked once the body's first byte has arrived, and the body, that first chunk included, flows through it.
 */
function inflate(zlib: Zlib): NodeJS.ReadWriteStream {
  const { Duplex, Readable: ReadableStream } = process.getBuiltinModule('node:stream');
  const options = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  return Duplex.from(async function* inflated(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    const chunks = source[Symbol.asyncIterator]();
    let first = await chunks.next();
    while (first.done !== true && first.value.length === 0) first = await chunks.next();
    if (first.done === true) return;
    const lead: Buffer = first.value;
    const decoder = (lead[0]! & 0x0f) === 0x08 ? zlib.createInflate(options) : zlib.createInflateRaw(options);
    const body = ReadableStream.from(
      (async function* whole(): AsyncGenerator<Buffer> {
        yield lead;
        for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
      })(),
    );
    body.on('error', (err) => decoder.destroy(err));
    body.pipe(decoder);
    try {
      for await (const out of decoder) yield out as Buffer;
    } finally {
      body.destroy();
      decoder.destroy();
    }
  }) as unknown as NodeJS.ReadWriteStream;
}
