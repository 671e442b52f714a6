import express from 'express';
import type { Express, Request } from 'express';
import { avsbMiddleware } from '@avsb/express';
import type { AvsbClient, AvsbContext } from '@avsb/node';
import { SESSION_COOKIE, findUser, sessionUser } from './users.js';

/**
 * Step 6 of the guide: the targeting context of a request. A signed-in user
 * is targeted by id and plan; anyone else gets `null`, and the middleware
 * uses an anonymous context with a visitor id kept in a cookie.
 */
export function contextFrom(req: Request): AvsbContext | null {
  const user = sessionUser(req);
  return user ? { kind: 'user', key: user.id, plan: user.plan, email: user.email } : null;
}

/**
 * The shop: `server` is the `AvsbServer` made once at start-up (main.ts), or
 * a `MockAvsbServer` in tests.
 */
export function createApp(server: AvsbClient): Express {
  const app = express();
  app.use(express.json());

  // Step 3: the middleware, early, so every route below has req.avsb.
  app.use(avsbMiddleware(server, { contextFrom }));

  // Step 5: read flags in a view.
  app.get('/checkout', (req, res) => {
    const showNewCheckout = req.avsb.getBoolFlag('checkout-v2', false);
    const theme = req.avsb.getStringFlag('ui-theme', 'default');
    res.json({ showNewCheckout, theme });
  });

  // Step 7: track an event.
  app.post('/purchase', (req, res) => {
    const amount = typeof req.body?.amount === 'number' ? req.body.amount : 149.99;
    req.avsb.track('purchase', { value: amount, properties: { currency: 'usd' } });
    res.status(202).json({ tracked: true });
  });

  // Step 8: identify a user who logs in during the request, with a new
  // scoped client from the server singleton.
  app.post('/login', (req, res) => {
    const user = findUser(req.body?.userId);
    if (!user) {
      res.status(401).json({ error: 'unknown user' });
      return;
    }
    res.cookie(SESSION_COOKIE, user.id, { httpOnly: true, sameSite: 'lax' });
    const scoped = server.forUser({ kind: 'user', key: user.id, plan: user.plan, email: user.email });
    try {
      const showNewCheckout = scoped.getBoolFlag('checkout-v2', false);
      res.json({ userId: user.id, showNewCheckout });
    } finally {
      scoped.close(); // releases the context in the engine
    }
  });

  return app;
}
