// Test support: the guide's shop app on NestJS 12 (platform-express or platform-fastify),
// listening on 127.0.0.1. Decorators as a Nest user writes them; every
// constructor parameter has an explicit @Inject, as the README advises for
// esbuild-based tools that emit no decorator metadata.
import 'reflect-metadata';
import { Controller, Get, Headers, HttpCode, Injectable, Module, Post, Query, UseGuards } from '@nestjs/common';
import type { CanActivate, DynamicModule, ExecutionContext, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { ScopedClient } from '@avsb/core';
import { Avsb, InjectAvsbServer } from '../../src/index';
import type { AvsbModuleServer } from '../../src/index';

/** Signs the user in from the `x-user-id` header, as Passport's AuthGuard would. */
@Injectable()
export class HeaderAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: { id: string; plan: string } }>();
    const id = req.headers['x-user-id'];
    if (id !== undefined) req.user = { id, plan: req.headers['x-plan'] ?? 'free' };
    return true;
  }
}

@Controller()
@UseGuards(HeaderAuthGuard)
export class ShopController {
  constructor(@InjectAvsbServer() private readonly _server: AvsbModuleServer) {}

  @Get('checkout')
  checkout(@Avsb() avsb: ScopedClient) {
    return {
      showNewCheckout: avsb.getBoolFlag('checkout-v2', false),
      theme: avsb.getStringFlag('ui-theme', 'default'),
      context: avsb.context,
    };
  }

  @Post('purchase')
  @HttpCode(202)
  purchase(@Avsb() avsb: ScopedClient, @Query('amount') amount?: string) {
    avsb.track('purchase', { value: Number(amount ?? 149.99), properties: { currency: 'usd' } });
    return { tracked: true };
  }

  @Post('login')
  login(@Headers('x-login') user: string) {
    // the guide's "identify a user": a client for the new identity, closed when done
    const scoped = this._server.forUser({ kind: 'user', key: user, plan: 'pro' });
    try {
      return { showNewCheckout: scoped.getBoolFlag('checkout-v2', false) };
    } finally {
      scoped.close();
    }
  }
}

/** Starts the app (root module importing `avsb`) on 127.0.0.1, on Express (default) or Fastify; returns it and its URL. */
export async function startShop(avsb: DynamicModule, platform: 'express' | 'fastify' = 'express'): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: [avsb], controllers: [ShopController], providers: [HeaderAuthGuard] })
  class AppModule {}
  const app =
    platform === 'express'
      ? await NestFactory.create(AppModule, { logger: false })
      : await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}
