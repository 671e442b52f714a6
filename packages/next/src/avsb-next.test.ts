// The server side outside a request: one AvsbServer per process across module reloads, what reaches the browser's
// context, the visitor cookie through Next's cookie store, and the keys refused. Requests themselves are tested in
// examples/next-app (next build + next start).
import { expect, it, vi } from 'vitest';
import { browserContext, createAvsbNext } from './index';
import type { AvsbNextOptions } from './index';
import { setCookieFromHeader } from './set-cookie';

const DATAFILE = {
  schemaVersion: 1,
  revision: 1,
  flags: [{ key: 'ui-theme', on: true, clientSide: true, variations: ['default', 'dark'], offVariation: 0, fallthrough: { variation: 1 } }],
};

const offline = (tag: string): AvsbNextOptions => ({ sdkKey: undefined, offline: true, baseUrl: `http://127.0.0.1:1/${tag}`, initialDatafile: DATAFILE, logLevel: 'error' });

it('keeps one AvsbServer per process across module reloads (a dev hot reload, another bundle)', async () => {
  vi.resetModules();
  const first = await import('./index');
  vi.resetModules();
  const second = await import('./index');
  expect(second.createAvsbNext).not.toBe(first.createAvsbNext);
  const a = first.createAvsbNext(offline('reload'));
  const b = second.createAvsbNext(offline('reload'));
  expect(a.server).toBe(b.server);
  expect(a.server).toBe(a.server);
  // another key or service is another server
  expect(createAvsbNext(offline('other')).server).not.toBe(a.server);
  // a closed server is replaced
  const closed = a.server;
  await closed.close();
  expect(b.server).not.toBe(closed);
  expect(b.server.closed).toBe(false);
  await b.server.close();
});

it('creates the server on first use, not when the module is loaded (next build loads it)', () => {
  const avsb = createAvsbNext({ ...offline('lazy'), sdkKey: '', offline: false });
  // the constructor's refusal shows up on use only
  expect(() => avsb.server).toThrow(/sdkKey/);
});

it('removes private attributes from the browser’s context, in every kind, and drops _meta', () => {
  const options = { privateAttributes: ['email', '/address/street'] };
  expect(
    browserContext({ kind: 'user', key: 'u_1', email: 'a@b.c', plan: 'pro', address: { street: '1 Main St', city: 'Oslo' } }, options),
  ).toEqual({ kind: 'user', key: 'u_1', plan: 'pro', address: { city: 'Oslo' } });
  expect(
    browserContext(
      { kind: 'multi', user: { key: 'u_1', email: 'a@b.c', _meta: { privateAttributes: ['name'] }, name: 'Ada' }, org: { key: 'acme', tier: 2 } },
      options,
    ),
  ).toEqual({ kind: 'multi', user: { key: 'u_1' }, org: { key: 'acme', tier: 2 } });
  expect(browserContext({ kind: 'user', key: 'u_1', anonymous: true, plan: 'pro' }, { allAttributesPrivate: true })).toEqual({
    kind: 'user',
    key: 'u_1',
    anonymous: true,
  });
});

it('sets the visitor cookie through Next’s cookie store, and says what to do where Next refuses', () => {
  const set: unknown[] = [];
  setCookieFromHeader({ set: (c) => set.push(c) }, 'avsb_uid=abc-123; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Domain=shop.test; Secure');
  expect(set).toEqual([{ name: 'avsb_uid', value: 'abc-123', path: '/', maxAge: 60, domain: 'shop.test', secure: true, httpOnly: true, sameSite: 'lax' }]);
  const refusing = {
    set: () => {
      throw new Error('Cookies can only be modified in a Server Action or Route Handler.');
    },
  };
  expect(() => setCookieFromHeader(refusing, 'avsb_uid=x; Path=/; Max-Age=1; HttpOnly; SameSite=Lax')).toThrow(/add avsbMiddleware of @avsb\/next\/middleware/);
});

it('refuses a server key where the browser’s key goes, without printing it', () => {
  const serverKey = 'srv-abcdefghijklmnopqrstuvwxyz012345';
  let message = '';
  try {
    createAvsbNext({ ...offline('keys'), clientKey: serverKey });
  } catch (error) {
    message = String(error);
  }
  expect(message).toMatch(/^TypeError: createAvsbNext: that is a server key \(srv-…\), which sees every flag and must never reach a browser.*Pass the client-side key \(cli-…\)/);
  expect(message).not.toContain('abcdefghij');
});

it('checks the browser’s key by the rules every SDK applies: an admin token, a key of no kind and a blank key refused', () => {
  expect(() => createAvsbNext({ ...offline('adm'), clientKey: 'adm-0123456789' })).toThrow(/^createAvsbNext: that is an admin API token \(adm-…\), not an SDK key\. Pass the client-side key/);
  expect(() => createAvsbNext({ ...offline('bare'), clientKey: 'key-0123456789' })).toThrow(/^createAvsbNext: clientKey must start with cli-\. Pass/);
  expect(() => createAvsbNext({ ...offline('empty'), clientKey: ' ' })).toThrow(/^createAvsbNext: clientKey is empty\. Pass/);
});

it('closes the process’s server on close(), and creates none when there was none', async () => {
  const avsb = createAvsbNext(offline('close'));
  await avsb.close();
  const server = avsb.server;
  await avsb.close();
  expect(server.closed).toBe(true);
  expect(avsb.server).not.toBe(server);
  await avsb.close();
});
