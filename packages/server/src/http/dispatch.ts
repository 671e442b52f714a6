import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { AvsbError } from '../errors';
import type { Logger } from '../logger';
import { answerPreflight } from './cors';
import type { DashboardHandler } from './dashboard';
import { sendError, toAvsbError } from './respond';
import type { RequestContext, Router } from './router';

/** What the request listener needs. */
export interface DispatchOptions {
  readonly router: Router;
  readonly dashboard: DashboardHandler;
  /** Checks admin authentication for every `/api/` request (throws 401). */
  readonly authorizeAdmin: (ctx: RequestContext) => void;
  readonly logger: Logger;
}

/**
 * The server's request listener: CORS preflights for `/sdk/`, the admin
 * token for `/api/`, the dashboard for other GETs, then the router. Every
 * error becomes `{"error": {"code", "message"}}`; 5xx are logged (by path,
 * never with the query string, which may hold a client key).
 */
export function createRequestListener(options: DispatchOptions): RequestListener {
  return (req, res) => {
    void dispatch(req, res, options);
  };
}

async function dispatch(req: IncomingMessage, res: ServerResponse, options: DispatchOptions): Promise<void> {
  const method = req.method ?? 'GET';
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    sendError(res, new AvsbError('invalid_request', 'the request URL cannot be parsed'));
    return;
  }
  const ctx: RequestContext = { req, res, url, params: {} };
  try {
    const path = url.pathname;
    if (path.startsWith('/sdk/') && method === 'OPTIONS') {
      answerPreflight(res);
      return;
    }
    if (path === '/api' || path.startsWith('/api/')) options.authorizeAdmin(ctx);
    else if (!path.startsWith('/sdk/') && options.dashboard(method, path, res)) return;
    const match = options.router.match(method, path);
    if (match.kind === 'found') {
      await match.handler({ ...ctx, params: match.params });
      return;
    }
    if (match.kind === 'method_not_allowed') {
      res.setHeader('Allow', match.allowed.join(', '));
      throw new AvsbError('method_not_allowed', `${method} is not allowed on ${path} (allowed: ${match.allowed.join(', ')})`);
    }
    throw new AvsbError('not_found', `no such path: ${path}`);
  } catch (error) {
    const avsbError = toAvsbError(error);
    if (avsbError.status === 503) {
      // a known cause (read-only or full storage): its message says it all, a stack per request would drown it
      options.logger.error(`${method} ${url.pathname} failed: ${avsbError.message}`);
    } else if (avsbError.status >= 500) {
      options.logger.error(`${method} ${url.pathname} failed: ${(error as Error)?.stack ?? String(error)}`);
    }
    sendError(res, avsbError);
  }
}
