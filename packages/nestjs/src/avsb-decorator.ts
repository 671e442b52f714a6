import type { ScopedClient } from '@avsb/core';
import { createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';

/**
 * The request's A vs B client, as a handler parameter:
 * `checkout(@Avsb() avsb: ScopedClient)`. Set by `AvsbModule`'s interceptor,
 * so it is there in controllers' handlers (not in guards or middleware,
 * which run before it).
 */
export const Avsb: () => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ScopedClient | undefined => context.switchToHttp().getRequest<{ avsb?: ScopedClient }>().avsb,
);
