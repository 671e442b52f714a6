// Test support: serve a Node request listener (Express, Koa's callback(), Hono's node adapter…) on 127.0.0.1
// and talk to it with fetch.
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on an ephemeral port of 127.0.0.1. */
export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `app` on an ephemeral port of 127.0.0.1; `close()` ends open connections too. */
export async function listen(app: RequestListener): Promise<Listening> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A response, its body parsed as JSON when it is JSON. */
export interface Reply {
  readonly status: number;
  readonly body: any;
  readonly setCookies: string[];
}

/** A request; `cookie` is sent as the Cookie header. */
export async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body, setCookies: res.headers.getSetCookie() };
}

/** `name=value` of the first Set-Cookie named `name`, for the Cookie header of the next request. */
export function cookiePair(setCookies: string[], name: string): string | undefined {
  return setCookies.map((c) => c.split(';')[0]!).find((pair) => pair.startsWith(`${name}=`));
}
