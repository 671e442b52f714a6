/** The parts of a WHATWG `URL` read here, typed so the package needs neither DOM nor Node types. */
interface UrlParts {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly search: string;
  readonly hash: string;
}

/** Longer values are refused unread: no service address is this long. */
export const MAX_HTTP_URL_LENGTH = 2048;

/** {@link parseHttpUrl}'s verdict: the URL to append paths to, or what is wrong with the option and what to do. */
export type HttpUrlParse = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly problem: string };

/**
 * Checks an option that names an HTTP service (`baseUrl`): a string of an
 * absolute `http:` or `https:` URL, without a user name or password (`fetch`
 * refuses those) and without a query or fragment (the SDK appends its request
 * paths to it). Returns it trimmed and without trailing slashes, or a problem
 * that names `option`, says what is wrong and what to give instead. A
 * problem never quotes the value (at most its scheme), so it never shows a
 * credential or a key; it is terse because it ships in every page's bundle.
 */
export function parseHttpUrl(value: unknown, option: string): HttpUrlParse {
  const fail = (what: string): HttpUrlParse => ({ ok: false, problem: `${option} ${what}: give the http(s) URL of the service, such as https://flags.example.com` });
  if (typeof value !== 'string') return fail(`must be a string, not ${typeof value}`);
  const text = value.trim();
  if (text.length > MAX_HTTP_URL_LENGTH) return fail(`is longer than ${MAX_HTTP_URL_LENGTH} characters`);
  let url: UrlParts;
  try {
    url = new (globalThis as unknown as { URL: new (input: string) => UrlParts }).URL(text);
  } catch {
    return fail('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`is ${url.protocol}, not http(s)`);
  // fetch refuses credentials in a URL, and the SDK appends its request paths to this one
  if (url.username + url.password + url.search + url.hash !== '') return fail('has a user name, password, query or fragment');
  return { ok: true, url: text.replace(/\/+$/, '') };
}
