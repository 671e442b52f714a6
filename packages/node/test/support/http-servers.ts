// Test support: plain HTTP(S) servers on 127.0.0.1 that tests script request by request, and a self-signed
// certificate for 127.0.0.1 made with openssl at test time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestServer {
  readonly url: string;
  /** Every request's method, path, headers, body and socket, in order. */
  readonly seen: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: string; socket: unknown }>;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export async function startTestServer(handler: Handler, tls?: { key: string; cert: string }): Promise<TestServer> {
  const seen: TestServer['seen'] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, socket: req.socket });
      handler(req, res, body);
    });
  };
  const server: Server = tls ? createTlsServer(tls, onRequest) : createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A key and a self-signed certificate (`openssl req -x509`), valid for a day, for 127.0.0.1 unless `subjectAltName`
 * names another host; `certPath` for NODE_EXTRA_CA_CERTS.
 */
export function selfSignedCertificate(subjectAltName = 'IP:127.0.0.1'): { key: string; cert: string; certPath: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=avsb-test', '-addext', `subjectAltName=${subjectAltName}`],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
