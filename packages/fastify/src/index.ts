/**
 * `@avsb/fastify`: the Fastify plugin of A vs B. See README.md.
 */
import { avsbPlugin } from './plugin';

export { avsbPlugin };
export default avsbPlugin;
export { ANONYMOUS_COOKIE, contextProblem } from '@avsb/node/adapter';
export type { AnonymousCookieOptions, ContextFrom } from '@avsb/node/adapter';
export type { AvsbPluginHook, AvsbPluginOptions, AvsbPluginServer } from './types';
export type { AvsbContext, ScopedClient } from '@avsb/core';
