import { Body, Controller, Get, HttpCode, Module, Post, Res, UnauthorizedException } from '@nestjs/common';
import type { BeforeApplicationShutdown, DynamicModule } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Avsb, AvsbModule, InjectAvsbServer } from '@avsb/nestjs';
import type { AvsbContext, AvsbModuleOptions, AvsbModuleServer, ScopedClient } from '@avsb/nestjs';

/** A stand-in for the app's own users; the `demo_session` cookie below is NOT authentication. */
const USERS = new Map([
  ['u_1', { plan: 'free', email: 'ada@example.com' }],
  ['u_2', { plan: 'pro', email: 'grace@example.com' }],
  ['u_9', { plan: 'free', email: 'edsger@avsb.dev' }],
]);

function userContext(id: unknown) {
  const user = typeof id === 'string' ? USERS.get(id) : undefined;
  return user ? { kind: 'user' as const, key: id as string, ...user } : null;
}

/**
 * Step 5 of the guide: a signed-in user is targeted by id, plan and email;
 * `null` makes the module use an anonymous visitor id kept in a cookie.
 * (With Passport, read `req.user`: contextFrom runs after the guards.)
 */
export function contextFrom(req: Request): AvsbContext | null {
  return userContext(/(?:^|;\s*)demo_session=([^;]*)/.exec(req.headers.cookie ?? '')?.[1]);
}

@Controller()
export class ShopController {
  // Step 7: the server itself is injectable, for forUser after a login.
  constructor(@InjectAvsbServer() private readonly _server: AvsbModuleServer) {}

  // Step 4: @Avsb() is the request's scoped client; typed reads never throw.
  @Get('checkout')
  checkout(@Avsb() avsb: ScopedClient) {
    return { showNewCheckout: avsb.getBoolFlag('checkout-v2', false), theme: avsb.getStringFlag('ui-theme', 'default') };
  }

  // Step 6: track an event.
  @Post('purchase')
  @HttpCode(202)
  purchase(@Avsb() avsb: ScopedClient, @Body() body: { amount?: unknown } = {}) {
    avsb.track('purchase', { value: typeof body.amount === 'number' ? body.amount : 149.99, properties: { currency: 'usd' } });
    return { tracked: true };
  }

  // Step 7: after a login, a new scoped client from the server singleton.
  @Post('login')
  login(@Body() body: { userId?: unknown } = {}, @Res({ passthrough: true }) res: Response) {
    const context = userContext(body.userId);
    if (!context) throw new UnauthorizedException('unknown user');
    res.cookie('demo_session', context.key, { httpOnly: true, sameSite: 'lax' });
    const scoped = this._server.forUser(context);
    try {
      return { userId: context.key, showNewCheckout: scoped.getBoolFlag('checkout-v2', false) };
    } finally {
      scoped.close(); // releases the context in the engine
    }
  }
}

@Module({})
export class AppModule implements BeforeApplicationShutdown {
  /**
   * The root module. Step 3: `avsb` is `{ sdkKey }` in main.ts (one
   * AvsbServer, awaited at start-up) or `{ server: mock }` in tests.
   */
  static register(avsb: AvsbModuleOptions): DynamicModule {
    return { module: AppModule, imports: [AvsbModule.forRoot({ ...avsb, contextFrom })], controllers: [ShopController] };
  }

  beforeApplicationShutdown(signal?: string): void {
    if (signal) console.info(`${signal}: shutting down`);
  }
}
