// The per-request logic the framework adapters share, on a real AvsbServer
// (offline, from a datafile): the sync/async contract the adapters rely on,
// the anonymous visitor's cookie, and problems logged once. The adapters'
// own tests run it inside the real frameworks.
import { afterEach, expect, it } from 'vitest';
import { MemoryLogger } from '@avsb/test-support';
import { AvsbServer } from '../index';
import { ANONYMOUS_COOKIE, createRequestScope } from './index';
import type { RequestCookies } from './index';

const datafile = {
  schemaVersion: 1,
  revision: 1,
  flags: [{ key: 'checkout-v2', on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } }],
};

const servers: AvsbServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function server(logger = new MemoryLogger()): AvsbServer {
  const s = new AvsbServer({ sdkKey: 'srv-x', offline: true, initialDatafile: datafile, logger, logLevel: 'debug' });
  servers.push(s);
  return s;
}

function jar(header?: string, secure = false): RequestCookies & { set: string[] } {
  const set: string[] = [];
  return { header, secure, set, setCookie: (value) => void set.push(value) };
}

it('answers at once for a synchronous contextFrom, and with a promise for an async one', async () => {
  const sync = createRequestScope<{ user: string }>(server(), { contextFrom: (req) => ({ key: req.user }) });
  const scoped = sync.open({ user: 'u_1' }, jar());
  expect(scoped).not.toBeInstanceOf(Promise);
  expect((scoped as { context: unknown }).context).toEqual({ key: 'u_1' });

  const async = createRequestScope<{ user: string }>(server(), { contextFrom: async (req) => ({ key: req.user }) });
  const later = async.open({ user: 'u_2' }, jar());
  expect(later).toBeInstanceOf(Promise);
  expect((await later)?.context).toEqual({ key: 'u_2' });
});

it('keeps the anonymous visitor in a cookie, Secure over HTTPS, and replaces a tampered one', () => {
  const scope = createRequestScope(server());
  const first = jar(undefined, true);
  const visitor = (scope.open({}, first) as { context: { key: string } }).context;
  expect(visitor).toEqual({ kind: 'user', key: expect.stringMatching(/^[0-9a-f-]{36}$/), anonymous: true });
  expect(first.set).toEqual([`${ANONYMOUS_COOKIE}=${visitor.key}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax; Secure`]);
  const again = jar(`theme=dark; ${ANONYMOUS_COOKIE}=${visitor.key}`);
  expect((scope.open({}, again) as { context: unknown }).context).toEqual(visitor);
  expect(again.set).toEqual([]);
  const tampered = jar(`${ANONYMOUS_COOKIE}=<x>`);
  expect((scope.open({}, tampered) as { context: { key: string } }).context.key).not.toBe('<x>');
  expect(tampered.set).toHaveLength(1);
});

it('logs each kind of problem once, under the adapter\'s name, and never throws', async () => {
  const logger = new MemoryLogger();
  const scope = createRequestScope<{ fail: string }>(
    server(logger),
    {
      contextFrom: (req) => {
        if (req.fail === 'invalid') return { kind: 'user', key: '' };
        if (req.fail === 'reject') return Promise.reject(new RangeError('no session'));
        throw new TypeError('boom');
      },
    },
    'myAdapter',
  );
  const failing: RequestCookies = { header: undefined, secure: false, setCookie: () => { throw new Error('headers already sent'); } };
  for (let i = 0; i < 2; i++) {
    for (const fail of ['throw', 'invalid', 'reject']) {
      const scoped = await scope.open({ fail }, failing);
      expect(scoped?.context).toMatchObject({ anonymous: true });
      scoped?.close();
    }
  }
  expect(logger.at('warn').map((m) => m.replace(/^\[avsb\] /, ''))).toEqual([
    'myAdapter: contextFrom threw TypeError: boom; the request continues with the anonymous context (logged once for each kind of problem)',
    'myAdapter could not set the avsb_uid cookie (headers already sent); anonymous visitors get a new id per request',
    'myAdapter: contextFrom returned an invalid context (context.key: must be a non-empty string, not an empty string); the request continues with the anonymous context (logged once for each kind of problem)',
    'myAdapter: contextFrom rejected with RangeError: no session; the request continues with the anonymous context (logged once for each kind of problem)',
  ]);
  expect(() => createRequestScope({} as never, {}, 'myAdapter')).toThrow('myAdapter(server): pass the AvsbServer (or MockAvsbServer) created at start-up');
});

// What contextFrom throws is application code's: a value that is no Error still gets its message (a `{ message }` its
// text, an object without a prototype, whose String() throws, `unknown error`), and the request goes on.
it('logs what a contextFrom throws or rejects with that is no Error, and still serves the anonymous context', async () => {
  const logger = new MemoryLogger();
  const scope = createRequestScope<{ fail: string }>(
    server(logger),
    {
      contextFrom: (req) => {
        if (req.fail === 'reject') return Promise.reject({ message: 'session store down' });
        throw Object.create(null);
      },
    },
    'myAdapter',
  );
  for (const fail of ['throw', 'reject']) {
    const scoped = await scope.open({ fail }, jar());
    expect(scoped?.context, fail).toMatchObject({ anonymous: true });
    scoped?.close();
  }
  expect(logger.at('warn').map((m) => m.replace(/^\[avsb\] /, ''))).toEqual([
    'myAdapter: contextFrom threw object: unknown error; the request continues with the anonymous context (logged once for each kind of problem)',
    'myAdapter: contextFrom rejected with object: session store down; the request continues with the anonymous context (logged once for each kind of problem)',
  ]);
});
