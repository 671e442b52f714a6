// Test support: serve the app on 127.0.0.1 and call it with fetch.
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  readonly status: number;
  readonly body: any;
  readonly setCookies: string[];
}

export interface Client {
  readonly url: string;
  /** A request carrying `cookie` when given. */
  call(path: string, init?: { method?: string; body?: unknown; cookie?: string }): Promise<Reply>;
  close(): Promise<void>;
}

export async function serve(app: RequestListener): Promise<Client> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    call: (path, init = {}) => request(`${url}${path}`, init),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function request(url: string, init: { method?: string; body?: unknown; cookie?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.cookie !== undefined) headers.cookie = init.cookie;
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text), setCookies: res.headers.getSetCookie() };
}

/** The `name=value` part of the Set-Cookie named `name`. */
export function cookieOf(reply: Reply, name: string): string {
  const pair = reply.setCookies.map((c) => c.split(';')[0]!).find((p) => p.startsWith(`${name}=`));
  if (pair === undefined) throw new Error(`no ${name} cookie in ${JSON.stringify(reply.setCookies)}`);
  return pair;
}
