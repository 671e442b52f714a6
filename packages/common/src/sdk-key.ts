/** The key each SDK takes: a server SDK's server key (`srv-…`), a page's client-side key (`cli-…`). */
export type KeyPrefix = 'srv-' | 'cli-';

/**
 * {@link checkSdkKey}'s verdict: the key, trimmed, or what is wrong with it. `absent` marks a key that is missing or
 * empty (an offline server needs none), as opposed to one of the wrong type or kind.
 */
export type SdkKeyCheck = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly absent: boolean; readonly problem: string };

/**
 * Checks the key option `option` of an SDK that takes `want` keys: missing (undefined or null), empty (blank), not a
 * string, or another kind of key than `want` (a server key in a page, a client-side key in a server, an admin API
 * token anywhere), with what that key is and why it is refused. A server also takes a key without a known prefix
 * (self-hosted and test keys); a page takes only `cli-` keys. The problem never quotes the key, and each SDK adds its
 * own name before it and its own help after it.
 */
export function checkSdkKey(value: unknown, option: string, want: KeyPrefix): SdkKeyCheck {
  const key = typeof value === 'string' ? value.trim() : value;
  const text = problemOf(key, option, want);
  return text === undefined ? { ok: true, key: key as string } : { ok: false, absent: key == null || key === '', problem: text };
}

// the texts are this function's results, so that a page's production build finds them and writes their codes
function problemOf(key: unknown, option: string, want: KeyPrefix): string | undefined {
  if (key == null) return `${option} is missing`;
  if (typeof key !== 'string') return `${option} must be a string, not ${typeof key}`;
  if (key === '') return `${option} is empty`;
  if (key.startsWith(want)) return undefined;
  // only a page refuses a server key, and by then the key may already have shipped in a page's code
  if (key.startsWith('srv-')) return 'that is a server key (srv-…), which sees every flag and must never reach a browser: it was not sent anywhere. Rotate it if it was shipped in a page';
  if (key.startsWith('cli-')) return 'that is a client-side key (cli-…), which only sees client-side flags and must not be used by a server';
  if (key.startsWith('adm-')) return 'that is an admin API token (adm-…), not an SDK key';
  return want === 'srv-' ? undefined : `${option} must start with ${want}`;
}
