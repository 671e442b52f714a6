import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { AsyncLocalStorageTransactionContextPropagator, OpenFeature } from '@openfeature/server-sdk';
import type { Client, EvaluationContext } from '@openfeature/server-sdk';
import { AvsbProvider } from '@avsb/openfeature';
import type { AvsbProviderServer } from '@avsb/openfeature';

/** A stand-in for the app's own users; the `demo_session` cookie below is NOT authentication. */
const USERS = new Map([
  ['u_1', { plan: 'free', email: 'ada@example.com' }],
  ['u_2', { plan: 'pro', email: 'grace@example.com' }],
  ['u_9', { plan: 'free', email: 'edsger@avsb.dev' }],
]);

function userContext(id: unknown): EvaluationContext | null {
  const user = typeof id === 'string' ? USERS.get(id) : undefined;
  // `anonymous: false` because OpenFeature merges a read's context over the
  // request's: at login, an anonymous visitor's `anonymous: true` would stay
  return user ? { targetingKey: id as string, anonymous: false, ...user } : null;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  return new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(req.headers.cookie ?? '')?.[1];
}

/**
 * Step 3: registers the provider over `server` (the AvsbServer of main.ts or
 * a MockAvsbServer) and waits for its first datafile; rejects when it did not
 * come in time, and reads serve their defaults until it does.
 */
export async function registerProvider(server: AvsbProviderServer): Promise<Client> {
  // each request's context travels with it (AsyncLocalStorage), see createApp
  OpenFeature.setTransactionContextPropagator(new AsyncLocalStorageTransactionContextPropagator());
  await OpenFeature.setProviderAndWait(new AvsbProvider(server));
  return OpenFeature.getClient();
}

/**
 * Step 6: the evaluation context of a request: the signed-in user by id,
 * plan and email, else an anonymous visitor whose id is kept in a cookie (so
 * that they get the same variation on every request).
 */
export function contextFrom(req: IncomingMessage, res: ServerResponse): EvaluationContext {
  const user = userContext(cookie(req, 'demo_session'));
  if (user) return user;
  let visitor = cookie(req, 'avsb_uid');
  if (!visitor || !/^[\w-]{1,64}$/.test(visitor)) {
    visitor = randomUUID();
    res.appendHeader('set-cookie', `avsb_uid=${visitor}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`);
  }
  return { targetingKey: visitor, anonymous: true };
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function route(flags: Client, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = `${req.method} ${req.url?.split('?')[0]}`;
  if (path === 'GET /checkout') {
    // Step 5: typed reads with the request's context, never throwing.
    send(res, 200, { showNewCheckout: await flags.getBooleanValue('checkout-v2', false), theme: await flags.getStringValue('ui-theme', 'default') });
  } else if (path === 'POST /purchase') {
    // Step 7: track an event: `value` is its value, the other details its properties.
    const { amount } = await jsonBody(req);
    flags.track('purchase', {}, { value: typeof amount === 'number' ? amount : 149.99, currency: 'usd' });
    send(res, 202, { tracked: true });
  } else if (path === 'POST /login') {
    // Step 8: after a login, read with the new user's context, which
    // overrides the request's (OpenFeature's form of server.forUser).
    const context = userContext((await jsonBody(req)).userId);
    if (!context) return send(res, 401, { error: 'unknown user' });
    res.appendHeader('set-cookie', `demo_session=${context.targetingKey}; Path=/; HttpOnly; SameSite=Lax`);
    send(res, 200, { userId: context.targetingKey, showNewCheckout: await flags.getBooleanValue('checkout-v2', false, context) });
  } else {
    send(res, 404, { error: 'not found' });
  }
}

/** The shop, a Node request listener: every request runs inside its own transaction context. */
export function createApp(flags: Client): RequestListener {
  return (req, res) => {
    OpenFeature.setTransactionContext(contextFrom(req, res), () => {
      route(flags, req, res).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
      });
    });
  };
}
