import { AvsbServer } from '@avsb/node';
import { Global, Inject, Logger, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AvsbInterceptor } from './avsb-interceptor';
import { AVSB_MODULE_OPTIONS, AVSB_SERVER } from './tokens';
import type { AvsbModuleAsyncOptions, AvsbModuleOptions, AvsbModuleServer } from './types';

async function serverFrom(options: AvsbModuleOptions): Promise<AvsbModuleServer> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('AvsbModule: pass { server } (an AvsbServer or MockAvsbServer) or { sdkKey } to forRoot');
  }
  if (options.server !== undefined) return options.server;
  // AvsbServer refuses a missing key with a message that says what to do
  const { readyTimeoutMs, contextFrom: _c, cookie: _k, closeOnShutdown: _s, server: _v, ...serverOptions } = options;
  const server = new AvsbServer(serverOptions);
  // never rejects: the application starts either way, and says so in Nest's log when it starts without a datafile
  // (the server's own log has only the connection's warnings, and onReady's result would be lost here)
  const ready = await server.onReady({ timeoutMs: readyTimeoutMs ?? 5000 });
  if (!ready.ready) new Logger('AvsbModule').warn(`starting without a datafile: ${ready.error.message}`);
  return server;
}

/**
 * The NestJS module of A vs B. Import it once, in the root module:
 *
 * ```ts
 * @Module({ imports: [AvsbModule.forRoot({ sdkKey: process.env.AVSB_SDK_KEY, contextFrom: (req) => … })] })
 * export class AppModule {}
 * ```
 *
 * It is global: the server is injectable everywhere (`@InjectAvsbServer()`),
 * every HTTP handler can take the request's scoped client (`@Avsb()`), and
 * the server is closed, its events flushed, when the application shuts down.
 */
@Global()
@Module({})
export class AvsbModule implements OnApplicationShutdown {
  constructor(
    @Inject(AVSB_SERVER) private readonly _server: AvsbModuleServer,
    @Inject(AVSB_MODULE_OPTIONS) private readonly _options: AvsbModuleOptions,
  ) {}

  /** With `{ server }` (an `AvsbServer` or `MockAvsbServer`) or with `AvsbServer`'s options (`{ sdkKey, … }`). */
  static forRoot(options: AvsbModuleOptions): DynamicModule {
    return AvsbModule._dynamic([{ provide: AVSB_MODULE_OPTIONS, useValue: options }], []);
  }

  /** The options from a factory, which can inject providers (`ConfigService`). */
  static forRootAsync(options: AvsbModuleAsyncOptions): DynamicModule {
    const provider: Provider = { provide: AVSB_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return AvsbModule._dynamic([provider], options.imports ?? []);
  }

  private static _dynamic(options: Provider[], imports: NonNullable<DynamicModule['imports']>): DynamicModule {
    return {
      module: AvsbModule,
      global: true,
      imports,
      providers: [
        ...options,
        { provide: AVSB_SERVER, useFactory: serverFrom, inject: [AVSB_MODULE_OPTIONS] },
        { provide: APP_INTERCEPTOR, useClass: AvsbInterceptor },
      ],
      exports: [AVSB_SERVER],
    };
  }

  /** Nest calls it after the HTTP server stopped: the events of every request are flushed here. */
  async onApplicationShutdown(): Promise<void> {
    if (this._options.closeOnShutdown === false) return;
    await this._server.close?.();
  }
}
