// The scenario every framework adapter's tests run: a `contextFrom` that
// throws, returns an invalid context or rejects (chosen by the `x-fail`
// header), and the one warning per kind of problem the shared request scope
// of `@avsb/node/adapter` logs while the request goes on anonymously.

/** The `x-fail` values, one per way a `contextFrom` can fail, in the order the warnings are expected. */
export const CONTEXT_FROM_FAILURES = ['throw', 'invalid', 'reject'] as const;

/** The body of a failing `contextFrom` for the request's `x-fail` header. */
export function failingContextFrom(fail: unknown): never {
  if (fail === 'invalid') return { kind: 'user', key: 42 } as never;
  if (fail === 'reject') return Promise.reject(new RangeError('no session')) as never;
  throw new Error('session store down');
}

/** The warnings the adapter called `name` logs for {@link CONTEXT_FROM_FAILURES}, once each. */
export function contextFromWarnings(name: string): string[] {
  const rest = 'the request continues with the anonymous context (logged once for each kind of problem)';
  return [
    `${name}: contextFrom threw Error: session store down; ${rest}`,
    `${name}: contextFrom returned an invalid context (context.key: must be a non-empty string, not a number); ${rest}`,
    `${name}: contextFrom rejected with RangeError: no session; ${rest}`,
  ];
}
