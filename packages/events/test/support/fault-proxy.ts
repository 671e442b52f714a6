import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  | { readonly kind: 'pass' }
  /** Answer this status (with a protocol error body) without forwarding. */
  | { readonly kind: 'status'; readonly status: number; readonly message?: string; readonly headers?: Record<string, string> }
  /** Close the connection without answering and without forwarding. */
  | { readonly kind: 'reset' }
  /** Forward (the server stores the batch), then close the connection instead of answering. */
  | { readonly kind: 'forward-then-reset' }
  /** Forward after a delay. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Never answer. */
  | { readonly kind: 'hang' };

/** One request the proxy saw, with the fault it applied. */
export interface SeenRequest {
  readonly index: number;
  readonly at: number;
  readonly path: string;
  readonly bytes: number;
  readonly batchId: string | undefined;
  readonly events: number;
  readonly authorization: string | undefined;
  readonly userAgent: string | undefined;
  readonly contentType: string | undefined;
  readonly fault: Fault['kind'];
}

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of the real server:
 * the only fake thing in these tests. `fault` decides per request; `down()`
 * stops listening (connections are refused) until `up()`.
 */
export class FaultProxy {
  readonly requests: SeenRequest[] = [];
  /** The indexes of the requests the server behind answered (stored, when it answered 202), in the order it did. */
  readonly forwarded: number[] = [];
  fault: (request: SeenRequest) => Fault = () => ({ kind: 'pass' });
  private readonly _sockets = new Set<Socket>();
  private readonly _server: Server;
  private _port = 0;

  private constructor(private readonly _target: URL) {
    this._server = createServer((req, res) => void this._handle(req, res));
    this._server.on('connection', (socket) => {
      this._sockets.add(socket);
      socket.on('close', () => this._sockets.delete(socket));
    });
  }

  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(target));
    await proxy._listen(0);
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this._port}`;
  }

  /** Requests to the events endpoint. */
  get eventRequests(): SeenRequest[] {
    return this.requests.filter((r) => r.path === '/sdk/v1/events');
  }

  /** Stops listening and cuts every connection: the service is down. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this._server.close(() => resolve()));
    for (const socket of this._sockets) socket.destroy();
    await closed;
  }

  /** Listens again on the same port (no-op when listening). */
  async up(): Promise<void> {
    if (!this._server.listening) await this._listen(this._port);
  }

  async close(): Promise<void> {
    if (this._server.listening) await this.down();
  }

  private _listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this._server.once('error', reject);
      this._server.listen(port, '127.0.0.1', () => {
        this._server.off('error', reject);
        this._port = (this._server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async _handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let parsed: { batchId?: unknown; events?: unknown } = {};
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      // not JSON: forwarded as is
    }
    const seen = {
      index: this.requests.length,
      at: Date.now(),
      path: new URL(req.url ?? '/', 'http://x').pathname,
      bytes: body.length,
      batchId: typeof parsed.batchId === 'string' ? parsed.batchId : undefined,
      events: Array.isArray(parsed.events) ? parsed.events.length : 0,
      authorization: req.headers.authorization,
      userAgent: req.headers['user-agent'],
      contentType: req.headers['content-type'],
      fault: 'pass' as Fault['kind'],
    };
    const fault = this.fault(seen);
    seen.fault = fault.kind;
    this.requests.push(seen);
    switch (fault.kind) {
      case 'status': {
        const code = fault.status === 413 ? 'payload_too_large' : fault.status >= 500 ? 'internal' : 'injected';
        res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers });
        res.end(JSON.stringify({ error: { code, message: fault.message ?? `injected ${fault.status}` } }));
        return;
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        break;
      default:
        break;
    }
    const upstream = await this._forward(req, body);
    this.forwarded.push(seen.index);
    if (fault.kind === 'forward-then-reset' || res.destroyed) {
      req.socket.destroy();
      return;
    }
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  private _forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: this._target.host };
      const out = httpRequest(
        { host: this._target.hostname, port: this._target.port, method: req.method, path: req.url, headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...rest } = answer.headers;
            resolve({ status: answer.statusCode ?? 502, headers: rest as Record<string, string>, body: Buffer.concat(parts) });
          });
          answer.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }
}
