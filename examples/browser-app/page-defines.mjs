// @ts-check
// What both builds write into the page: the client key and the service's URL, from the environment `avsb dev --exec`
// sets. Only these two are taken (never AVSB_SDK_KEY, the server key, which sees every flag), and a build refuses a
// server key or an admin token given as the client key rather than ship it in a page.

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {Record<string, string>} esbuild's and Vite's `define`
 */
export function pageDefines(env = process.env) {
  const clientKey = env.AVSB_CLIENT_KEY ?? '';
  if (clientKey !== '' && !clientKey.startsWith('cli-')) {
    throw new Error('AVSB_CLIENT_KEY is not a client key (cli-…): a page must never carry a server key or an admin token. It was not written anywhere.');
  }
  const baseUrl = (env.AVSB_BASE_URL ?? 'http://127.0.0.1:4400').replace(/\/+$/, '');
  return { __AVSB_CLIENT_KEY__: JSON.stringify(clientKey), __AVSB_BASE_URL__: JSON.stringify(baseUrl) };
}
