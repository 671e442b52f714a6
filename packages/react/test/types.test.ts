// The hooks' types, checked by tsc (`pnpm --filter @avsb/react typecheck`): a literal default does not narrow the
// value's type to that literal.
import { expect, expectTypeOf, it } from 'vitest';
import { type BrowserFlagDetail, type JsonValue, useBoolFlag, useFlagDetails, useJsonFlag, useNumberFlag, useStringFlag } from '@avsb/react';

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
