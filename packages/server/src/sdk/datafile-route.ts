import type { ServerResponse } from 'node:http';
import { COMPILED_MEDIA_TYPE } from '@avsb/engine/compiler';
import type { ServedDatafile } from '../domain/served-datafile';
import { servedCompiled } from '../domain/served-compiled';
import { JSON_TYPE, sendText } from '../http/respond';

/** Accept headers longer than this are not parsed (JSON is answered). */
const MAX_ACCEPT = 1024;

/**
 * Whether an `Accept` header asks for the compiled datafile, version 1:
 * `application/vnd.avsb.compiled-datafile` with `v=1` and a quality above 0.
 * Anything else (no header, `application/json`, `*\/*`, another `v`) gets JSON,
 * so clients that predate compiled datafiles are answered as before.
 */
export function acceptsCompiled(accept: string | undefined): boolean {
  if (accept === undefined || accept.length > MAX_ACCEPT) return false;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type !== 'application/vnd.avsb.compiled-datafile') return false;
    let version = '';
    let quality = 1;
    for (const param of params) {
      const [name, value = ''] = param.split('=').map((part) => part.trim());
      if (name === 'v') version = value.replace(/^"(.*)"$/, '$1');
      if (name === 'q') quality = Number(value);
    }
    return version === '1' && quality > 0;
  });
}

/**
 * Answers `GET /sdk/v1/datafile` with the representation asked for: the
 * compiled datafile when `Accept` asks for it (compiled once per revision),
 * else the JSON datafile. Each representation has its own ETag, and both
 * say `Vary: Accept`, so caches keep them apart; `If-None-Match` is
 * compared with the representation's ETag.
 */
export function sendDatafile(res: ServerResponse, served: ServedDatafile, accept: string | undefined, ifNoneMatch: string | undefined, onError: (message: string) => void): void {
  const compiled = acceptsCompiled(accept) ? servedCompiled(served, onError) : null;
  const etag = compiled?.etag ?? served.etag;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Vary', 'Accept');
  if (etagMatches(ifNoneMatch, etag)) {
    res.writeHead(304);
    res.end();
    return;
  }
  if (compiled !== null) sendText(res, 200, compiled.body, COMPILED_MEDIA_TYPE);
  else sendText(res, 200, served.body, JSON_TYPE);
}

/** `If-None-Match` against a strong ETag: `*`, or a list with that tag (weak prefix tolerated). */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
