import { expect, it } from 'vitest';
import { contextProblem } from './index';
import { readCookie } from './cookies';

it('accepts the contexts of SPEC.md §2', () => {
  expect(contextProblem({ kind: 'user', key: 'u_1', plan: 'pro' })).toBeNull();
  expect(contextProblem({ key: 'u_1' })).toBeNull();
  expect(contextProblem({ kind: 'org.v2', key: 'acme' })).toBeNull();
  expect(contextProblem({ kind: 'multi', user: { key: 'u_1' }, org: { key: 'acme', tier: 2 } })).toBeNull();
});

it('names what is wrong with a context, never its values', () => {
  expect(contextProblem('u_1')).toBe("the context must be an object such as { kind: 'user', key: 'u_1' }, not a string");
  expect(contextProblem(null)).toMatch(/not null$/);
  expect(contextProblem([])).toMatch(/not an array$/);
  expect(contextProblem({ kind: 'user', key: 42 })).toBe('context.key: must be a non-empty string, not a number');
  expect(contextProblem({ kind: 'user', key: '' })).toBe('context.key: must be a non-empty string, not an empty string');
  expect(contextProblem({ kind: 'user' })).toBe('context.key: must be a non-empty string, not undefined');
  expect(contextProblem({ kind: 'us er', key: 'secret-id' })).toBe('context.kind: must be a kind name such as "user" or "org" ([A-Za-z0-9._-])');
  expect(contextProblem({ kind: 7, key: 'k' })).toBe('context.kind: must be a string, not a number');
  expect(contextProblem({ kind: 'multi' })).toBe('a multi-kind context needs at least one kind');
  expect(contextProblem({ kind: 'multi', user: 'u_1' })).toBe('context.user: must be an object with a key, not a string');
  expect(contextProblem({ kind: 'multi', org: { key: null } })).toBe('context.org.key: must be a non-empty string, not null');
});

it('reads one cookie from a Cookie header', () => {
  expect(readCookie('a=1; avsb_uid=abc-123; b=2', 'avsb_uid')).toBe('abc-123');
  expect(readCookie('avsb_uid="quoted-value"', 'avsb_uid')).toBe('quoted-value');
  expect(readCookie('xavsb_uid=1; avsb_uid=2', 'avsb_uid')).toBe('2');
  expect(readCookie('avsb_uid=%E0%A4%A', 'avsb_uid')).toBeUndefined();
  expect(readCookie(undefined, 'avsb_uid')).toBeUndefined();
  expect(readCookie(['a=1', 'avsb_uid=v'], 'avsb_uid')).toBe('v');
});
