import { expect, it } from 'vitest';
import { testPlatform } from '../../test/support/platform';
import { DatafileRequestor } from './datafile-requestor';

// An injected fetch is application code: what it rejects with becomes the request's error, whatever it is.
it('reports a fetch that rejects with a value whose String() throws as a network error, without throwing', async () => {
  const rejects = (reason: unknown) => ({ ...testPlatform(), fetch: () => Promise.reject(reason) });
  const endpoint = { baseUrl: 'http://127.0.0.1:9', sdkKey: 'server-key' };
  expect(await new DatafileRequestor(endpoint, rejects(Object.create(null))).fetch(false)).toEqual({
    status: 'error',
    error: { kind: 'network', message: 'datafile request: unknown error' },
  });
  expect(await new DatafileRequestor(endpoint, rejects({ message: 'socket hang up', cause: { code: 'ECONNRESET' } })).fetch(false)).toEqual({
    status: 'error',
    error: { kind: 'network', message: 'datafile request: socket hang up (ECONNRESET)' },
  });
});
