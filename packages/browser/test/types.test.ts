// The public types a page's code leans on, checked by tsc (`pnpm --filter @avsb/browser typecheck`, which compiles the
// test files against the built .d.ts): a typed flag change listener and the bootstrap record, each used as a user
// writes it, without a cast. Their runtime is the client's own (test/bootstrap.test.ts hears a typed listener in
// Chromium).
import { expect, expectTypeOf, it } from 'vitest';
import type { AvsbServer } from '@avsb/node';
import { type AvsbBrowserClient, type BootstrapValues, type BrowserClientOptions, type ChangeInfo, type FlagChangeListener, type JsonValue, copyBootstrap } from '@avsb/browser';

it('types a change:<key> listener by a type argument or by its parameter, as the reads are typed', () => {
  // never called: tsc checks the types
  const listen = (client: AvsbBrowserClient): Array<() => void> => [
    client.on<boolean>('change:checkout-v2', (on, info) => {
      expectTypeOf(on).toEqualTypeOf<boolean | undefined>();
      expectTypeOf(info).toEqualTypeOf<ChangeInfo>();
    }),
    client.on('change:ui-theme', (theme: string | undefined) => expectTypeOf(theme).toEqualTypeOf<string | undefined>()),
    client.on<number>('change:search-page-size', (size) => expectTypeOf(size).toEqualTypeOf<number | undefined>()),
    client.on<{ show: boolean }>('change:promo-banner', (banner) => expectTypeOf(banner?.show).toEqualTypeOf<boolean | undefined>()),
    // without a type: any JSON value, as before
    client.on('change:anything', (value) => expectTypeOf(value).toEqualTypeOf<JsonValue | undefined>()),
    // @ts-expect-error a flag that no longer serves a value is heard as undefined: the listener must take it
    client.on('change:ui-theme', (theme: string) => theme.length),
    // @ts-expect-error the type argument and the listener's parameter disagree
    client.on<boolean>('change:checkout-v2', (theme: string | undefined) => theme),
  ];
  expectTypeOf<FlagChangeListener<boolean>>().toEqualTypeOf<(value: boolean | undefined, info: ChangeInfo) => void>();
  expectTypeOf<FlagChangeListener>().toEqualTypeOf<(value: JsonValue | undefined, info: ChangeInfo) => void>();
  expect(typeof listen).toBe('function');
});

it('names the bootstrap record: what a server computes, what createClient takes, what a page declares its global as', () => {
  // the server's allFlags is the bootstrap, with no cast
  expectTypeOf<ReturnType<AvsbServer['allFlags']>>().toEqualTypeOf<BootstrapValues>();
  expectTypeOf<BootstrapValues>().toEqualTypeOf<Record<string, JsonValue>>();
  expectTypeOf<BootstrapValues | null | undefined>().toEqualTypeOf<BrowserClientOptions['bootstrap']>();
  // the global a page's server sets, as README "Bootstrap: no flicker" declares it
  const page = {} as { __AVSB_FLAGS__?: BootstrapValues };
  const options: BrowserClientOptions = { clientKey: 'cli-types', context: { key: 'u_1' }, bootstrap: page.__AVSB_FLAGS__ };
  expectTypeOf(copyBootstrap(options.bootstrap)).toEqualTypeOf<BootstrapValues | null>();
  // copyBootstrap keeps the server's members, in an object without a prototype
  const copied = copyBootstrap({ 'ui-theme': 'dark' });
  expect(copied).toEqual({ 'ui-theme': 'dark' });
  expect(Object.getPrototypeOf(copied)).toBe(null);
});
