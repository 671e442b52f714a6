import { describe, expect, it } from 'vitest';
import { Router } from './router';

describe('Router', () => {
  const handler = () => {};
  const other = () => {};
  const router = new Router()
    .post('/api/v1/projects/import', other)
    .get('/api/v1/projects/:project', handler)
    .delete('/api/v1/projects/:project', handler)
    .get('/api/v1/projects/:project/environments/:env/flags/:key', handler);

  it('matches parameters, URL-decoded', () => {
    expect(router.match('GET', '/api/v1/projects/my%20shop/environments/prod/flags/a%2Fb')).toEqual({
      kind: 'found',
      handler,
      params: { project: 'my shop', env: 'prod', key: 'a/b' },
    });
  });

  it('prefers the first registered route and tells allowed methods', () => {
    expect(router.match('POST', '/api/v1/projects/import')).toMatchObject({ kind: 'found', handler: other });
    expect(router.match('PUT', '/api/v1/projects/shop')).toEqual({ kind: 'method_not_allowed', allowed: ['GET', 'DELETE'] });
    expect(router.match('GET', '/api/v1/projects/shop/extra')).toEqual({ kind: 'not_found' });
    expect(router.match('HEAD', '/api/v1/projects/shop')).toMatchObject({ kind: 'found' });
  });

  it('refuses broken percent-encoding', () => {
    expect(() => router.match('GET', '/api/v1/projects/%E0%A4%A')).toThrow(/percent-encoding/);
  });
});
