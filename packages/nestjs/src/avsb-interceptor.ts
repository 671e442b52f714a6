import type { ScopedClient } from '@avsb/core';
import { appendSetCookie, createRequestScope, releaseOnEnd } from '@avsb/node/adapter';
import type { EndingResponse, RequestScope } from '@avsb/node/adapter';
import { Inject, Injectable } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { from, switchMap } from 'rxjs';
import type { Observable } from 'rxjs';
import { AVSB_MODULE_OPTIONS, AVSB_SERVER } from './tokens';
import type { AvsbModuleOptions, AvsbModuleServer } from './types';

interface HttpRequest {
  avsb?: ScopedClient;
  headers?: { cookie?: string | string[] };
  secure?: boolean;
  protocol?: string;
}

// Express's response (a Node ServerResponse) or Fastify's reply (with .raw)
interface HttpResponse extends Partial<EndingResponse> {
  raw?: EndingResponse;
  getHeader?(name: string): number | string | string[] | undefined;
  setHeader?(name: string, value: string | string[]): unknown;
  header?(name: string, value: string): unknown;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function setCookieOn(res: HttpResponse, cookie: string): void {
  if (typeof res.setHeader === 'function' && typeof res.getHeader === 'function') {
    appendSetCookie(res as Required<Pick<HttpResponse, 'getHeader' | 'setHeader'>>, cookie);
  } else if (typeof res.header === 'function') {
    res.header('set-cookie', cookie); // Fastify appends Set-Cookie values
  }
}

/**
 * Puts the request's scoped client on `req.avsb` for the `@Avsb()`
 * parameter decorator. An interceptor rather than a middleware because
 * interceptors run after guards: `contextFrom` sees `req.user`. Registered
 * globally by `AvsbModule`; only HTTP requests get a client.
 */
@Injectable()
export class AvsbInterceptor implements NestInterceptor {
  private readonly _scope: RequestScope<HttpRequest>;

  constructor(@Inject(AVSB_SERVER) server: AvsbModuleServer, @Inject(AVSB_MODULE_OPTIONS) options: AvsbModuleOptions) {
    this._scope = createRequestScope<HttpRequest>(server, options, 'AvsbModule');
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<HttpRequest>();
    if (req.avsb !== undefined) return next.handle();
    const res = http.getResponse<HttpResponse>();
    const attach = (scoped: ScopedClient | undefined): void => {
      if (scoped === undefined) return;
      req.avsb = scoped;
      const raw = res.raw ?? res;
      if (typeof raw.once === 'function') releaseOnEnd(scoped, raw as EndingResponse);
    };
    const opened = this._scope.open(req, {
      header: req.headers?.cookie,
      secure: req.secure ?? req.protocol === 'https',
      setCookie: (cookie) => setCookieOn(res, cookie),
    });
    if (!isPromise(opened)) {
      attach(opened);
      return next.handle();
    }
    return from(opened).pipe(
      switchMap((scoped) => {
        attach(scoped);
        return next.handle();
      }),
    );
  }
}
