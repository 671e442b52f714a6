// The guide's Express app (steps 3, 5, 6 and 7 of packages/express/README.md):
// AvsbServer in production, MockAvsbServer in tests.
import express from 'express';
import type { Express } from 'express';
import { avsbMiddleware } from '@avsb/express';
import type { AvsbClient } from '@avsb/node';

export function createApp(server: AvsbClient): Express {
  const app = express();
  // A stand-in for the app's authentication: the signed-in user's id.
  app.use(
    avsbMiddleware(server, {
      contextFrom: (req) => {
        const id = req.get('x-user-id');
        return id ? { kind: 'user', key: id, plan: 'pro' } : null;
      },
    }),
  );
  app.get('/checkout', (req, res) => {
    const showNewCheckout = req.avsb.getBoolFlag('checkout-v2', false);
    const theme = req.avsb.getStringFlag('ui-theme', 'default');
    res.json({ showNewCheckout, theme });
  });
  app.post('/purchase', (req, res) => {
    req.avsb.track('purchase', { value: 149.99, properties: { currency: 'usd' } });
    res.status(202).end();
  });
  return app;
}
