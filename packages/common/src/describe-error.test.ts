import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { describeError } from './describe-error';

it("gives an error's message, from this realm or another, and a thrown { message }'s", () => {
  expect(describeError(new TypeError('bad input'))).toBe('bad input');
  expect(describeError(runInNewContext("new RangeError('from a vm context')"))).toBe('from a vm context');
  expect(describeError({ message: 'a plain object' })).toBe('a plain object');
});

it('writes any other thrown value as text, and never throws', () => {
  expect([describeError('text'), describeError(42), describeError(null), describeError(undefined)]).toEqual(['text', '42', 'null', 'undefined']);
  expect(describeError({ message: 7 })).toBe('7');
  // String() of an object without a prototype throws; so does a message getter that throws
  expect(describeError(Object.create(null))).toBe('unknown error');
  expect(
    describeError({
      get message(): string {
        throw new Error('no');
      },
    }),
  ).toBe('unknown error');
});
