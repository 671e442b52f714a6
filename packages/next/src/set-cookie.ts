/** The part of `next/headers`' cookie store that sets a cookie. */
export interface CookieSetter {
  set(cookie: {
    name: string;
    value: string;
    path?: string;
    maxAge?: number;
    domain?: string;
    httpOnly?: boolean;
    sameSite?: 'lax';
    secure?: boolean;
  }): unknown;
}

/**
 * Sets, through Next's cookie store, the visitor cookie that the shared
 * request scope serialised as a `Set-Cookie` value
 * (`name=value; Path=/; Max-Age=…; HttpOnly; SameSite=Lax[; Domain=…][; Secure]`).
 * Next refuses it in server components, where the error says what to do.
 */
export function setCookieFromHeader(store: CookieSetter, header: string): void {
  const [pair = '', ...attributes] = header.split('; ');
  const eq = pair.indexOf('=');
  const cookie: Parameters<CookieSetter['set']>[0] = {
    name: pair.slice(0, eq),
    value: decodeURIComponent(pair.slice(eq + 1)),
    httpOnly: true,
    sameSite: 'lax',
  };
  for (const attribute of attributes) {
    const [name = '', value = ''] = attribute.split('=');
    if (name === 'Path') cookie.path = value;
    else if (name === 'Max-Age') cookie.maxAge = Number(value);
    else if (name === 'Domain') cookie.domain = value;
    else if (name === 'Secure') cookie.secure = true;
  }
  try {
    store.set(cookie);
  } catch {
    throw new Error(
      'a server component cannot set cookies: add avsbMiddleware of @avsb/next/middleware, which sets the visitor cookie before the page renders',
    );
  }
}
