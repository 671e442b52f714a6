// Test support: a proxy on 127.0.0.1 in front of the real A vs B server that records what each datafile request asked
// for and got, and can play a service that predates compiled datafiles (it answers JSON whatever is asked).
import { request as upstreamRequest } from 'node:http';
import { listen } from '@avsb/test-support';

/** One datafile request through the proxy. */
export interface DatafileRequest {
  /** Whose key asked: the server key (the Node runtime or the middleware) or the client key (the browser). */
  readonly key: 'server' | 'client' | 'other';
  /** The Accept the SDK sent (before any rewrite). */
  readonly accept: string;
  /** The status and Content-Type of the answer (a 304 answers a conditional request, without a body). */
  readonly status: number;
  readonly type: string;
}

/** The proxy: `url` is the `AVSB_BASE_URL` to give the app. */
export interface DatafileProxy {
  readonly url: string;
  /** The datafile requests so far, oldest first. */
  readonly datafiles: readonly DatafileRequest[];
  close(): Promise<void>;
}

/**
 * Passes every request to `target` (streams included) and records the datafile requests; with `jsonOnly` their
 * Accept becomes `application/json`, as a service that predates compiled datafiles ignores it.
 */
export async function startDatafileProxy(target: string, keys: { serverKey: string; clientKey: string }, jsonOnly = false): Promise<DatafileProxy> {
  const datafiles: DatafileRequest[] = [];
  const origin = new URL(target);
  const listening = await listen((req, res) => {
    const isDatafile = req.url?.split('?')[0] === '/sdk/v1/datafile';
    const accept = req.headers.accept ?? '';
    const headers = { ...req.headers, host: origin.host, ...(isDatafile && jsonOnly ? { accept: 'application/json' } : {}) };
    const upstream = upstreamRequest(new URL(req.url ?? '/', origin), { method: req.method, headers }, (answer) => {
      if (isDatafile) {
        const auth = req.headers.authorization?.replace(/^Bearer /, '');
        const key = auth === keys.serverKey ? 'server' : auth === keys.clientKey ? 'client' : 'other';
        datafiles.push({ key, accept, status: answer.statusCode ?? 0, type: answer.headers['content-type'] ?? '' });
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  return {
    url: listening.url,
    get datafiles() {
      return datafiles;
    },
    close: () => listening.close(),
  };
}
