import { redactKeys } from './logger';

/** The parts of a WHATWG `URL` read here, typed so the package needs neither DOM nor Node types. */
interface UrlParts {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
}

const UrlClass = (globalThis as unknown as { URL: new (input: string) => UrlParts }).URL;

/** Longer values are refused unread: no service address is this long, and a message never quotes more than a bit of one. */
export const MAX_HTTP_URL_LENGTH = 2048;

/** Quoted at most this many characters of a value in a problem. */
const SHOWN_LENGTH = 80;

const EXAMPLE = 'https://flags.example.com';

/** {@link parseHttpUrl}'s verdict: the URL to append paths to, or what is wrong with the option and what to do. */
export type HttpUrlParse = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly problem: string };

/**
 * Checks an option that names an HTTP service (`baseUrl`): a string of an
 * absolute `http:` or `https:` URL, without a user name or password (`fetch`
 * refuses those) and without a query or fragment (the SDK appends its request
 * paths to it). Returns it trimmed and without trailing slashes, or a problem
 * that names `option`, says what is wrong and what to do. A problem quotes
 * the value without its user name, password, query or fragment and with SDK
 * keys masked, so it never shows a credential.
 */
export function parseHttpUrl(value: unknown, option: string): HttpUrlParse {
  // one sentence shape for every problem keeps the messages few bytes in a browser bundle
  const fail = (what: string, todo = `give an http(s) URL such as ${EXAMPLE}`): HttpUrlParse => ({ ok: false, problem: `${option} ${what}: ${todo}` });
  if (typeof value !== 'string') return fail(`must be a string, not ${value === null ? 'null' : typeof value}`);
  const text = value.trim();
  if (text === '') return fail('is empty');
  if (text.length > MAX_HTTP_URL_LENGTH) return fail(`is longer than ${MAX_HTTP_URL_LENGTH} characters`);
  let url: UrlParts;
  try {
    url = new UrlClass(text);
  } catch {
    return fail(`"${shownRaw(text)}" is not a URL`);
  }
  const shown = `"${bounded(`${url.protocol}//${url.host}${url.pathname}`)}"`;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`${shown} is ${url.protocol}, not http(s)`);
  if (url.username !== '' || url.password !== '') return fail(`${shown} has a user name or password (not shown)`, 'fetch refuses them; leave them out');
  if (url.search !== '' || url.hash !== '') return fail(`${shown} has a query or fragment (not shown)`, 'the SDK appends its paths to it; leave them out');
  return { ok: true, url: text.replace(/\/+$/, '') };
}

/** A value that is not a URL, without anything that may be a user name, password, query or fragment. */
function shownRaw(text: string): string {
  return bounded(text.replace(/[?#][\s\S]*$/, '').replace(/^([^/]*\/\/)?[^/@]*@/, '$1'));
}

function bounded(text: string): string {
  const masked = redactKeys(text);
  return masked.length > SHOWN_LENGTH ? `${masked.slice(0, SHOWN_LENGTH)}…` : masked;
}
