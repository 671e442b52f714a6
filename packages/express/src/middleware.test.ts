import express5 from 'express';
import type { Express, Request } from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { ANONYMOUS_COOKIE, avsbMiddleware } from './index';
import type { AvsbMiddlewareOptions } from './index';
import { call, cookiePair, listen, waitFor } from '@avsb/test-support';
import type { Listening } from '@avsb/test-support';

const open: Listening[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

function shop(): MockAvsbServer {
  return new MockAvsbServer({
    flags: [
      TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).ifMatch('plan', 'pro').thenReturn(true).fallthroughVariation(false),
      TestData.flag('ui-theme').variations('default', 'dark').fallthroughVariation('default'),
    ],
  });
}

const frameworks = [
  ['Express 5', express5],
  ['Express 4', express4],
] as const;

describe.each(frameworks)('with %s', (_name, express) => {
  async function serve(
    mock: MockAvsbServer,
    options?: AvsbMiddlewareOptions<Request>,
    hooks: { before?: (app: Express) => void; after?: (app: Express) => void } = {},
  ) {
    const app = express();
    app.use(express.json());
    hooks.before?.(app);
    app.use(avsbMiddleware(mock, options));
    hooks.after?.(app);
    app.get('/checkout', (req, res) => {
      res.json({
        showNewCheckout: req.avsb.getBoolFlag('checkout-v2', false),
        theme: req.avsb.getStringFlag('ui-theme', 'default'),
        context: req.avsb.context,
      });
    });
    app.post('/purchase', (req, res) => {
      req.avsb.track('purchase', { value: req.body.amount, properties: { currency: 'usd' } });
      res.status(202).json({ tracked: true });
    });
    const listening = await listen(app);
    open.push(listening);
    return listening.url;
  }

  it('puts a scoped client on req.avsb that reads flags with the real engine', async () => {
    const mock = shop();
    const url = await serve(mock, { contextFrom: (req) => ({ kind: 'user', key: String(req.headers['x-user']), plan: 'free' }) });
    expect((await call(`${url}/checkout`, { headers: { 'x-user': 'u_1' } })).body).toEqual({
      showNewCheckout: true,
      theme: 'default',
      context: { kind: 'user', key: 'u_1', plan: 'free' },
    });
    expect((await call(`${url}/checkout`, { headers: { 'x-user': 'u_2' } })).body.showNewCheckout).toBe(false);
    await call(`${url}/purchase`, { method: 'POST', headers: { 'x-user': 'u_2' }, body: { amount: 149.99 } });
    expect(mock.trackedEvents).toEqual([
      { key: 'purchase', value: 149.99, properties: { currency: 'usd' }, context: { kind: 'user', key: 'u_2', plan: 'free' } },
    ]);
    expect(mock.exposures.map((e) => [e.flag, e.context.key, e.value])).toEqual([
      ['checkout-v2', 'u_1', true],
      ['ui-theme', 'u_1', 'default'],
      ['checkout-v2', 'u_2', false],
      ['ui-theme', 'u_2', 'default'],
    ]);
  });

  it('builds the context once per request, even with the middleware mounted twice', async () => {
    const mock = shop();
    let calls = 0;
    const contextFrom = () => {
      calls++;
      return { kind: 'user', key: 'u_1' };
    };
    const url = await serve(mock, { contextFrom }, { after: (app) => app.use(avsbMiddleware(mock, { contextFrom })) });
    await call(`${url}/checkout`);
    expect(calls).toBe(1);
    await call(`${url}/checkout`);
    expect(calls).toBe(2);
  });

  it('keeps an anonymous visitor id in an HttpOnly cookie, stable across requests', async () => {
    const mock = shop();
    const url = await serve(mock);
    const first = await call(`${url}/checkout`);
    expect(first.body.context).toEqual({ kind: 'user', key: expect.stringMatching(/^[0-9a-f-]{36}$/), anonymous: true });
    expect(first.setCookies).toHaveLength(1);
    expect(first.setCookies[0]).toBe(`${ANONYMOUS_COOKIE}=${first.body.context.key}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`);
    const cookie = `theme=dark; ${cookiePair(first.setCookies, ANONYMOUS_COOKIE)}`;
    const second = await call(`${url}/checkout`, { headers: { cookie } });
    const third = await call(`${url}/checkout`, { headers: { cookie } });
    expect(second.body.context.key).toBe(first.body.context.key);
    expect(third.body.context.key).toBe(first.body.context.key);
    expect(second.setCookies).toEqual([]);
    // another visitor gets another id
    expect((await call(`${url}/checkout`)).body.context.key).not.toBe(first.body.context.key);
    // a tampered cookie is replaced
    const tampered = await call(`${url}/checkout`, { headers: { cookie: `${ANONYMOUS_COOKIE}=<script>` } });
    expect(tampered.body.context.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(tampered.setCookies).toHaveLength(1);
  });

  it('uses the anonymous context when contextFrom returns null, and sets Secure over HTTPS', async () => {
    const mock = shop();
    const url = await serve(
      mock,
      { contextFrom: (req) => (req.headers['x-user'] ? { kind: 'user', key: String(req.headers['x-user']) } : null) },
      {
        before: (app) => {
          app.set('trust proxy', true);
          app.use((_req, res, next) => {
            res.setHeader('Set-Cookie', 'session=abc; Path=/');
            next();
          });
        },
      },
    );
    const reply = await call(`${url}/checkout`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(reply.body.context.anonymous).toBe(true);
    expect(reply.setCookies).toEqual(['session=abc; Path=/', expect.stringMatching(/^avsb_uid=.*; HttpOnly; SameSite=Lax; Secure$/)]);
    const known = await call(`${url}/checkout`, { headers: { 'x-user': 'u_1' } });
    expect(known.body.context).toEqual({ kind: 'user', key: 'u_1' });
    expect(known.setCookies).toEqual(['session=abc; Path=/']);
  });

  it('sets no cookie with cookie: false, and honours cookie options', async () => {
    const mock = shop();
    const none = await serve(mock, { cookie: false });
    const a = await call(`${none}/checkout`);
    const b = await call(`${none}/checkout`);
    expect(a.setCookies).toEqual([]);
    expect(a.body.context.key).not.toBe(b.body.context.key);
    const custom = await serve(mock, { cookie: { name: 'vid', maxAgeSeconds: 60, path: '/shop', domain: 'example.com', secure: true } });
    expect((await call(`${custom}/checkout`)).setCookies[0]).toMatch(/^vid=[0-9a-f-]{36}; Path=\/shop; Max-Age=60; HttpOnly; SameSite=Lax; Domain=example\.com; Secure$/);
  });

  it('logs a contextFrom that throws once per kind of error and serves the request anonymously', async () => {
    const mock = shop();
    const url = await serve(mock, {
      contextFrom: (req) => {
        if (req.headers['x-fail'] === 'type') throw new TypeError('Cannot read properties of undefined (reading "id")');
        if (req.headers['x-fail'] === 'invalid') return { kind: 'user', key: 42 } as never;
        throw new Error('session store down');
      },
    });
    for (let i = 0; i < 3; i++) {
      const reply = await call(`${url}/checkout`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ showNewCheckout: false, theme: 'default', context: { anonymous: true } });
    }
    await call(`${url}/checkout`, { headers: { 'x-fail': 'type' } });
    await call(`${url}/checkout`, { headers: { 'x-fail': 'type' } });
    expect((await call(`${url}/checkout`, { headers: { 'x-fail': 'invalid' } })).body.context.anonymous).toBe(true);
    await call(`${url}/checkout`, { headers: { 'x-fail': 'invalid' } });
    expect(mock.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'avsbMiddleware: contextFrom threw Error: session store down; the request continues with the anonymous context (logged once for each kind of problem)',
      'avsbMiddleware: contextFrom threw TypeError: Cannot read properties of undefined (reading "id"); the request continues with the anonymous context (logged once for each kind of problem)',
      'avsbMiddleware: contextFrom returned an invalid context (context.key: must be a non-empty string, not a number); the request continues with the anonymous context (logged once for each kind of problem)',
    ]);
  });

  it('awaits an async contextFrom, and falls back when it rejects', async () => {
    const mock = shop();
    const url = await serve(mock, {
      contextFrom: async (req) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (req.headers['x-user'] === undefined) throw new RangeError('no session');
        return { kind: 'user', key: String(req.headers['x-user']), plan: 'pro' };
      },
    });
    expect((await call(`${url}/checkout`, { headers: { 'x-user': 'u_9' } })).body).toMatchObject({ showNewCheckout: true, context: { key: 'u_9' } });
    expect((await call(`${url}/checkout`)).body.context.anonymous).toBe(true);
    expect(mock.logs.map((l) => l.message)).toContainEqual(expect.stringContaining('contextFrom rejected with RangeError: no session'));
  });

  it('releases the engine context when the response ends', async () => {
    const mock = shop();
    const late: boolean[] = [];
    const url = await serve(
      mock,
      { contextFrom: () => ({ kind: 'user', key: 'u_1' }) },
      {
        after: (app) => {
          app.get('/late', (req, res) => {
            res.on('finish', () => setImmediate(() => late.push(req.avsb.getBoolFlag('checkout-v2', false))));
            res.json({ read: req.avsb.getBoolFlag('checkout-v2', false) });
          });
        },
      },
    );
    for (let i = 0; i < 5; i++) await call(`${url}/checkout`);
    expect((await call(`${url}/late`)).body).toEqual({ read: true });
    // the read after the response ended: by then the request's client was closed
    await waitFor(() => late.length === 1, 5_000, 'the late read');
    await waitFor(() => mock.metrics().liveContexts === 0, 5_000, 'the requests’ clients to be closed');
    // a read after the response ended returns the default
    expect(late).toEqual([false]);
  });

  it('serves defaults with CLIENT_CLOSED and records nothing after the response ended or the server closed', async () => {
    const mock = shop();
    const late: unknown[] = [];
    const url = await serve(
      mock,
      { contextFrom: () => ({ kind: 'user', key: 'u_1' }) },
      {
        after: (app) => {
          app.get('/late', (req, res) => {
            res.on('finish', () =>
              setImmediate(() => {
                late.push(req.avsb.getBoolFlagDetails('checkout-v2', false).reason);
                req.avsb.track('too-late');
              }),
            );
            res.json({ ok: true });
          });
          app.get('/reason', (req, res) => res.json(req.avsb.getBoolFlagDetails('checkout-v2', false)));
        },
      },
    );
    await call(`${url}/late`);
    // the read and the track after the response ended, in one callback: once it ran, both were refused
    await waitFor(() => late.length === 1, 5_000, 'the late read');
    expect(late).toEqual([{ kind: 'ERROR', errorKind: 'CLIENT_CLOSED' }]);
    expect(mock.trackedEvents).toEqual([]);
    expect(mock.exposures).toEqual([]);

    await mock.close();
    expect((await call(`${url}/reason`)).body).toEqual({
      value: false,
      variationIndex: null,
      reason: { kind: 'ERROR', errorKind: 'CLIENT_CLOSED' },
      inExperiment: false,
    });
    await call(`${url}/purchase`, { method: 'POST', body: { amount: 5 } });
    expect(mock.trackedEvents).toEqual([]);
    expect(mock.exposures).toEqual([]);
    expect(mock.metrics().liveContexts).toBe(0);
  });
});

it('refuses a server without forUser, and a contextFrom that is not a function, at start-up', () => {
  expect(() => avsbMiddleware({} as never)).toThrow(/pass the AvsbServer/);
  expect(() => avsbMiddleware(shop(), { contextFrom: 'user' as never })).toThrow(/contextFrom must be a function/);
});

// from JavaScript: `app.use(avsbMiddleware)` made every request a 500 saying to pass the server, which the app did
it('says the middleware was registered without being called when Express hands it a request', async () => {
  const app = express5();
  app.use(avsbMiddleware as never);
  app.get('/', (_req, res) => res.end());
  const errors: string[] = [];
  app.use((error: Error, _req: Request, res: express5.Response, _next: express5.NextFunction) => {
    errors.push(error.message);
    res.status(500).end();
  });
  const listening = await listen(app);
  open.push(listening);
  expect((await call(listening.url)).status).toBe(500);
  expect(errors).toEqual([
    'avsbMiddleware(server) was given a request, not the server: register the middleware it returns, called once at start-up: app.use(avsbMiddleware(server))',
  ]);
});

// `cookie: { maxAgeSeconds: '1 year' }` wrote Max-Age=NaN (a session cookie: every visit a new visitor), `secure: 'false'`
// set Secure (a browser drops it over http), a name with a space an invalid header: all at the first anonymous request
it('refuses cookie options a browser would not keep, at start-up, naming each', () => {
  const refused: [unknown, string][] = [
    ['avsb', "avsbMiddleware: cookie must be an object such as { name: 'avsb_uid', maxAgeSeconds: 31536000 } or false, not \"avsb\""],
    [{ maxAgeSeconds: '1 year' }, 'avsbMiddleware: cookie.maxAgeSeconds must be a number of seconds (0 or more) such as 31536000, not "1 year"'],
    [{ secure: 'false' }, "avsbMiddleware: cookie.secure must be true, false or 'auto', not \"false\""],
    [{ name: 'my cookie' }, 'avsbMiddleware: cookie.name must be a cookie name (letters, digits and !#$%&\'*+-.^_`|~), not "my cookie"'],
    [{ path: 'shop' }, 'avsbMiddleware: cookie.path must be a path starting with / without ; or control characters, not "shop"'],
    [{ domain: 'example.com; Secure' }, 'avsbMiddleware: cookie.domain must be a domain name without ;, spaces or control characters, not "example.com; Secure"'],
  ];
  for (const [cookie, message] of refused) expect(() => avsbMiddleware(shop(), { cookie: cookie as never }), message).toThrow(new TypeError(message));
  expect(() => avsbMiddleware(shop(), { cookie: { name: 'sid', maxAgeSeconds: 60, path: '/shop', domain: 'example.com', secure: 'auto' } })).not.toThrow();
  expect(() => avsbMiddleware(shop(), { cookie: false })).not.toThrow();
});

it('logs to the logger given, with the [avsb] prefix', async () => {
  const lines: string[] = [];
  const logger = { debug() {}, info() {}, warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
  const mock = shop();
  const app = express5();
  app.use(
    avsbMiddleware(mock, {
      logger,
      contextFrom: () => {
        throw new Error('boom');
      },
    }),
  );
  app.get('/', (req, res) => res.json(req.avsb.context));
  const listening = await listen(app);
  open.push(listening);
  expect((await call(listening.url)).body.anonymous).toBe(true);
  expect(lines).toEqual([expect.stringMatching(/^\[avsb\] avsbMiddleware: contextFrom threw Error: boom;/)]);
  expect(mock.logs.filter((l) => l.level === 'warn')).toEqual([]);
});
