/** The value of cookie `name` in a `Cookie` request header, or `undefined`. */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join('; ') : header;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The attributes of the anonymous visitor's cookie. */
export interface SetCookieOptions {
  maxAgeSeconds: number;
  path: string;
  domain: string | undefined;
  secure: boolean;
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Lax. */
export function serializeCookie(name: string, value: string, options: SetCookieOptions): string {
  let cookie = `${name}=${encodeURIComponent(value)}; Path=${options.path}; Max-Age=${Math.floor(options.maxAgeSeconds)}; HttpOnly; SameSite=Lax`;
  if (options.domain !== undefined) cookie += `; Domain=${options.domain}`;
  if (options.secure) cookie += '; Secure';
  return cookie;
}

/** A response whose headers can be read and set, such as Node's `ServerResponse`. */
export interface HeaderTarget {
  getHeader(name: string): number | string | string[] | undefined;
  setHeader(name: string, value: string | string[]): unknown;
}

/** Adds a `Set-Cookie` header, keeping any the application set before. */
export function appendSetCookie(res: HeaderTarget, cookie: string): void {
  const previous = res.getHeader('Set-Cookie');
  if (previous === undefined) res.setHeader('Set-Cookie', cookie);
  else res.setHeader('Set-Cookie', [...(Array.isArray(previous) ? previous : [String(previous)]), cookie]);
}
