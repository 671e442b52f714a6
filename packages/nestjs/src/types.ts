import type { AdapterServer, RequestScopeOptions } from '@avsb/node/adapter';
import type { AvsbServerOptions } from '@avsb/node';
import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';

/** Anything with `AvsbServer`'s surface: `AvsbServer` (`@avsb/node`) or `MockAvsbServer` (`@avsb/testing`). */
export interface AvsbModuleServer extends AdapterServer {}

/**
 * What every form of the options has. `Req` is what `contextFrom` receives:
 * the platform's request (Express's `Request` on `@nestjs/platform-express`,
 * `FastifyRequest` on `@nestjs/platform-fastify`), after your guards ran, so
 * `req.user` from Passport's `AuthGuard` is there.
 */
export interface AvsbModuleBaseOptions<Req = any> extends RequestScopeOptions<Req> {
  /**
   * Close the server (flushing its events) when the application shuts down
   * (`app.close()`, or a signal with `app.enableShutdownHooks()`). Default `true`.
   */
  closeOnShutdown?: boolean;
}

/** `forRoot({ server })`: an `AvsbServer` or `MockAvsbServer` created elsewhere. */
export interface AvsbModuleServerOptions<Req = any> extends AvsbModuleBaseOptions<Req> {
  server: AvsbModuleServer;
}

/**
 * `forRoot({ sdkKey, ... })`: the module creates the `AvsbServer` with these
 * options (those of `new AvsbServer()`) and waits for it to be ready, at most
 * `readyTimeoutMs`, before the application starts.
 */
export interface AvsbModuleSdkOptions<Req = any> extends AvsbModuleBaseOptions<Req>, AvsbServerOptions {
  server?: undefined;
  /** How long start-up waits for the first datafile; default 5000 ms. Flags serve defaults until it comes. */
  readyTimeoutMs?: number;
}

/** The options of `AvsbModule.forRoot` and of the factory of `forRootAsync`. */
export type AvsbModuleOptions<Req = any> = AvsbModuleServerOptions<Req> | AvsbModuleSdkOptions<Req>;

/** `AvsbModule.forRootAsync({ imports, inject, useFactory })`. */
export interface AvsbModuleAsyncOptions<Req = any> extends Pick<ModuleMetadata, 'imports'> {
  /** Returns the options (or a promise of them); receives the providers named in `inject`. */
  useFactory: (...args: any[]) => AvsbModuleOptions<Req> | Promise<AvsbModuleOptions<Req>>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
}
