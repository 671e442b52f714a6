/**
 * `@avsb/nestjs`: the NestJS module of A vs B. See README.md.
 */
export { AvsbModule } from './avsb-module';
export { AvsbInterceptor } from './avsb-interceptor';
export { Avsb } from './avsb-decorator';
export { AVSB_MODULE_OPTIONS, AVSB_SERVER, InjectAvsbServer } from './tokens';
export { ANONYMOUS_COOKIE, contextProblem } from '@avsb/node/adapter';
export type { AnonymousCookieOptions, ContextFrom } from '@avsb/node/adapter';
export type {
  AvsbModuleAsyncOptions,
  AvsbModuleBaseOptions,
  AvsbModuleOptions,
  AvsbModuleSdkOptions,
  AvsbModuleServer,
  AvsbModuleServerOptions,
} from './types';
export type { AvsbContext, ScopedClient } from '@avsb/core';
