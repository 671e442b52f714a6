import type { IncomingMessage, ServerResponse } from 'node:http';
import { AvsbError } from '../errors';

/** Path parameters by name (`:project` → `params.project`), already URL-decoded. */
export type Params = Record<string, string>;

/** What a handler gets for one request. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Params;
}

/** A route handler; it writes the response itself. */
export type Handler = (ctx: RequestContext) => Promise<void> | void;

/** HTTP methods the router knows. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  readonly method: Method;
  readonly parts: readonly string[];
  readonly handler: Handler;
}

/** The outcome of matching a request against the routes. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly handler: Handler; readonly params: Params }
  | { readonly kind: 'method_not_allowed'; readonly allowed: readonly Method[] }
  | { readonly kind: 'not_found' };

/**
 * A tiny router: method + path pattern (`/api/v1/projects/:project`), first
 * match in registration order wins, so register literal paths before
 * parameterised ones that could shadow them.
 */
export class Router {
  private readonly _routes: Route[] = [];

  /** Adds a route; `pattern` segments starting with `:` are parameters. */
  add(method: Method, pattern: string, handler: Handler): this {
    this._routes.push({ method, parts: splitPath(pattern), handler });
    return this;
  }

  get(pattern: string, handler: Handler): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler): this {
    return this.add('POST', pattern, handler);
  }

  put(pattern: string, handler: Handler): this {
    return this.add('PUT', pattern, handler);
  }

  patch(pattern: string, handler: Handler): this {
    return this.add('PATCH', pattern, handler);
  }

  delete(pattern: string, handler: Handler): this {
    return this.add('DELETE', pattern, handler);
  }

  /** Finds the route for a method and a (still URL-encoded) path. */
  match(method: string, pathname: string): RouteMatch {
    const segments = splitPath(pathname);
    const allowed: Method[] = [];
    for (const route of this._routes) {
      const params = matchParts(route.parts, segments);
      if (params === null) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        return { kind: 'found', handler: route.handler, params };
      }
      if (!allowed.includes(route.method)) allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method_not_allowed', allowed } : { kind: 'not_found' };
  }
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function matchParts(parts: readonly string[], segments: readonly string[]): Params | null {
  if (parts.length !== segments.length) return null;
  const params: Params = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith(':')) {
      if (segment === '') return null;
      params[part.slice(1)] = decodeSegment(segment);
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AvsbError('invalid_request', `path segment "${segment}" is not valid percent-encoding`);
  }
}
