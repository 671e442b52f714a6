// The visitor (the context) from the page. `?user=` and `?email=` stand in for your own sign-in; everyone else is an
// anonymous visitor whose key is kept in localStorage, so that a returning visitor stays in the same variation.
import type { BrowserClientOptions } from '@avsb/browser';

type Context = BrowserClientOptions['context'];

const ANONYMOUS_KEY = 'shop:visitor';

export function visitorFromPage(location: Location, storage: Storage | undefined): Context {
  const query = new URLSearchParams(location.search);
  const user = query.get('user');
  const email = query.get('email');
  if (user) return { kind: 'user', key: user, ...(email ? { email } : {}) };
  return { kind: 'user', key: anonymousKey(storage), anonymous: true };
}

function anonymousKey(storage: Storage | undefined): string {
  try {
    const kept = storage?.getItem(ANONYMOUS_KEY);
    if (kept) return kept;
    const key = `anon-${crypto.randomUUID()}`;
    storage?.setItem(ANONYMOUS_KEY, key);
    return key;
  } catch {
    // storage forbidden (a privacy setting): a new anonymous visitor on every load
    return `anon-${crypto.randomUUID()}`;
  }
}
