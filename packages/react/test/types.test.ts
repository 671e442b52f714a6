// The hooks' and the provider's types, checked by tsc (`pnpm --filter @avsb/react typecheck`): a literal default does
// not narrow the value's type to that literal; a server render's props need no client key.
import { expect, expectTypeOf, it } from 'vitest';
import { type AvsbProviderProps, type BootstrapValues, type BrowserFlagDetail, type JsonValue, useBoolFlag, useFlagDetails, useJsonFlag, useNumberFlag, useStringFlag } from '@avsb/react';

it('types each read by its default value', () => {
  // never called: hooks run inside components; tsc checks the types
  const reads = () => {
    expectTypeOf(useBoolFlag('k', false)).toEqualTypeOf<boolean>();
    expectTypeOf(useStringFlag('k', 'none')).toEqualTypeOf<string>();
    expectTypeOf(useNumberFlag('k', 20)).toEqualTypeOf<number>();
    expectTypeOf(useJsonFlag<{ columns: number }>('k', { columns: 1 })).toEqualTypeOf<{ columns: number }>();
    expectTypeOf(useFlagDetails('k', 'none')).toEqualTypeOf<BrowserFlagDetail<string>>();
    expectTypeOf(useFlagDetails('k', true)).toEqualTypeOf<BrowserFlagDetail<boolean>>();
    expectTypeOf(useFlagDetails('k', 7)).toEqualTypeOf<BrowserFlagDetail<number>>();
    expectTypeOf(useFlagDetails<JsonValue>('k', null)).toEqualTypeOf<BrowserFlagDetail<JsonValue>>();
    expectTypeOf(useFlagDetails('k', { show: false })).toEqualTypeOf<BrowserFlagDetail<{ show: boolean }>>();
  };
  expect(typeof reads).toBe('function');
});

it('takes the props of a server render without a client key, and still refuses props with neither a client nor a context', () => {
  const context = { kind: 'user', key: 'u_1' };
  const bootstrap: BootstrapValues = { 'ui-theme': 'dark' };
  const unset: string | undefined = process.env.AVSB_TEST_UNSET_CLIENT_KEY;
  const server: AvsbProviderProps[] = [
    { context, bootstrap }, // renderToString: the provider creates no client there
    { clientKey: unset, context, bootstrap }, // a key read from an environment that may not set it
    { clientKey: 'cli-…', context, bootstrap },
    { client: null, bootstrap },
  ];
  // @ts-expect-error neither a client nor a context: nothing to evaluate for
  const none: AvsbProviderProps = { bootstrap };
  // @ts-expect-error a client key is a string
  const numeric: AvsbProviderProps = { clientKey: 7, context };
  expectTypeOf<NonNullable<AvsbProviderProps['bootstrap']>>().toEqualTypeOf<BootstrapValues>();
  expect(server.length + [none, numeric].length).toBe(6);
});
