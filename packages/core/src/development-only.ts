/**
 * `value`, in development builds and on servers. A web page's production build (`*.browser.js`, written by
 * tools/build/short-messages.ts) has `(void 0)` in place of each call, so the page's bundler leaves out what only
 * `value` reaches. For development aids that cost a page bytes (the nearest key named in a missing flag's message),
 * never for what a production page needs to work or to report an error.
 */
export function developmentOnly<T>(value: T): T | undefined {
  return value;
}
