import { validateContext } from '@avsb/common';
import { expect, it } from 'vitest';
import { contextIdentity, identityOf } from './context-keys';

it('takes the validation a caller already has for the same object instead of validating again', () => {
  const context = { kind: 'user', key: 'u_1' };
  const given = validateContext(context);
  expect(identityOf(context, given.valid ? given : undefined)).toBe(given);
});

it('validates again when the given validation is of another object, or there is none', () => {
  const context = { kind: 'user', key: 'u_1' };
  const other = validateContext({ kind: 'user', key: 'u_2' });
  const identity = identityOf(context, other.valid ? other : undefined);
  expect(identity).not.toBe(other);
  expect(identity).toMatchObject({ canonicalKey: 'user:u_1' });
  expect(identityOf({ kind: 'user' }, undefined)).toBe(contextIdentity({ kind: 'user' }));
});
