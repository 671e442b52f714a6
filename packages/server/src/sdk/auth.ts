import { AvsbError } from '../errors';
import { allowCors } from '../http/cors';
import type { RequestContext } from '../http/router';
import type { SdkKeyMatch } from '../storage/records';
import type { Store } from '../storage/store';

/**
 * Resolves the request's SDK key (`Authorization: <key>` or `Bearer <key>`;
 * with `queryKey`, also `?key=` for client keys). Answers for client keys
 * carry open CORS headers; server keys get none. Throws 401 `unauthorized`,
 * or 403 `forbidden` for a server key sent from a browser (an `Origin` header).
 */
export async function authenticateSdk(ctx: RequestContext, store: Store, options: { queryKey?: boolean } = {}): Promise<SdkKeyMatch> {
  const header = ctx.req.headers.authorization ?? '';
  let secret = header.replace(/^Bearer\s+/i, '').trim();
  if (secret === '' && options.queryKey) {
    const fromQuery = ctx.url.searchParams.get('key') ?? '';
    if (fromQuery !== '' && !fromQuery.startsWith('cli-')) {
      throw new AvsbError('unauthorized', 'only client keys may be passed as ?key=; send server keys in the Authorization header');
    }
    secret = fromQuery;
  }
  // browsers must be able to read a client key's answers, errors included
  if (secret.startsWith('cli-')) allowCors(ctx.res);
  if (secret === '') throw new AvsbError('unauthorized', 'missing SDK key: send "Authorization: <sdk key>"');
  const match = await store.findSdkKey(secret);
  if (!match) throw new AvsbError('unauthorized', 'unknown or rotated SDK key');
  // browsers send Origin on cross-origin requests and servers' fetch does not: a server key in a page has leaked
  if (match.kind === 'server' && ctx.req.headers.origin !== undefined) {
    throw new AvsbError(
      'forbidden',
      'a server key was sent from a browser (the request has an Origin header): server keys give the whole datafile and must stay on servers; ' +
        "use the environment's client key (cli-…) in browsers, and rotate this server key",
    );
  }
  return match;
}

/** "shop/production (client key)": how logs name a key, never by its value. */
export function describeKey(match: SdkKeyMatch): string {
  return `${match.projectKey}/${match.environmentKey} (${match.kind} key)`;
}
