import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AvsbConfigError, VERSION } from '@avsb/node';
import type { Capability, ClientConfig, Command, CreatedClient, ServiceInfo } from '../../protocol';
import { CommandError, NodeClient } from './node-client';

const CAPABILITIES: readonly Capability[] = [
  'server-side',
  'streaming',
  'polling',
  'events',
  'private-attributes',
  'stream-retry-delay',
  'stream-read-timeout',
  'event-capacity',
  'event-retry-delay',
  'event-status',
  'evaluate-all',
];

/** A running test service. */
export interface RunningService {
  /** e.g. `http://127.0.0.1:43127` */
  readonly url: string;
  /** Closes every client it created (flushing their events), then the HTTP server. */
  close(): Promise<void>;
}

/**
 * The test service of `@avsb/node` (README.md, "The test-service protocol"):
 * one `AvsbServer` per `POST /`, driven by `POST /clients/<id>` commands.
 * `onStop` is called on `DELETE /` (the CLI entry exits there).
 */
export async function startNodeService(options: { port?: number; onStop?: () => void } = {}): Promise<RunningService> {
  const clients = new Map<string, NodeClient>();
  let nextId = 1;

  const closeAll = async (): Promise<void> => {
    const all = [...clients.values()];
    clients.clear();
    await Promise.all(all.map((c) => c.close()));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://service').pathname;
    if (path === '/' && req.method === 'GET') {
      const info: ServiceInfo = {
        name: '@avsb/node test service',
        protocolVersion: 1,
        sdk: { name: '@avsb/node', version: VERSION },
        capabilities: CAPABILITIES,
      };
      return send(res, 200, info);
    }
    if (path === '/' && req.method === 'POST') {
      const config = (await readJson(req)) as ClientConfig;
      const id = String(nextId++);
      clients.set(id, new NodeClient(config));
      res.setHeader('Location', `/clients/${id}`);
      const created: CreatedClient = { id };
      return send(res, 201, created);
    }
    if (path === '/' && req.method === 'DELETE') {
      await closeAll();
      send(res, 204);
      options.onStop?.();
      return;
    }
    const match = /^\/clients\/([^/]+)$/.exec(path);
    const client = match ? clients.get(match[1]!) : undefined;
    if (match === null || client === undefined) return send(res, 404, { error: `no such client: ${path}` });
    if (req.method === 'DELETE') {
      clients.delete(match[1]!);
      await client.close();
      return send(res, 204);
    }
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST or DELETE' });
    const command = (await readJson(req)) as Command;
    return send(res, 200, await client.run(command));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // a bad request or a config the SDK refuses is the harness's mistake; anything else the service's
      const status = e instanceof CommandError || e instanceof SyntaxError || e instanceof AvsbConfigError ? 400 : 500;
      if (!res.headersSent) send(res, status, { error: (e as Error)?.message ?? String(e) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}
