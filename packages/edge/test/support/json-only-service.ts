// A service that predates compiled datafiles, in front of the real server on 127.0.0.1: it forwards every request
// with `Accept: application/json` (what such a service answers, whatever the client asks), and records what the
// datafile requests asked for and got.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '@avsb/test-support';
import type { Listening } from '@avsb/test-support';

export interface JsonOnlyService extends Listening {
  /** Each datafile request: the Accept the client sent, the Content-Type it got. */
  readonly datafileRequests: { accept: string; type: string | null }[];
}

// hop-by-hop, or no longer true once fetch has decoded the body
const DROPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length', 'host']);

export async function startJsonOnlyService(upstream: string): Promise<JsonOnlyService> {
  const datafileRequests: JsonOnlyService['datafileRequests'] = [];
  const server = await listen((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !DROPPED.has(name)) headers[name] = value;
      const response = await fetch(`${upstream}${req.url}`, {
        method: req.method,
        headers: { ...headers, accept: 'application/json' },
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      if (req.url?.startsWith('/sdk/v1/datafile')) datafileRequests.push({ accept: req.headers.accept ?? '', type: response.headers.get('content-type') });
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => void (DROPPED.has(name) ? undefined : (out[name] = value)));
      res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
    })().catch((e: unknown) => res.writeHead(502).end(String(e)));
  });
  return Object.assign(server, { datafileRequests });
}
