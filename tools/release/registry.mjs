// A throwaway npm registry for the rehearsal: Verdaccio, in this process, on
// 127.0.0.1 at a port the OS picks, with its storage, user file and config in
// a temporary folder. It has no uplinks: it only ever holds what the rehearsal
// publishes, so a consumer asks it for the @avsb scope and the public registry
// for everything else.
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Verdaccio is CommonJS; load it where the rehearsal runs, not at import time,
// so `--help` and argument errors do not pay for it.
const require = createRequire(import.meta.url);

/** The scope the rehearsal publishes to the local registry. */
export const SCOPE = '@avsb';

function configYaml() {
  // Paths are relative to the config file. `publish: $authenticated` makes the
  // rehearsal log in as a publisher would; nothing proxies anywhere.
  return [
    'storage: ./storage',
    'auth:',
    '  htpasswd:',
    '    file: ./htpasswd',
    '    max_users: 10',
    'uplinks: {}',
    'packages:',
    `  '${SCOPE}/*':`,
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    'web:',
    '  enable: false',
    'max_body_size: 200mb',
    'log: { type: stdout, format: pretty, level: error }',
    '',
  ].join('\n');
}

/**
 * Starts Verdaccio with everything under `dir`.
 * @returns {Promise<{ url: string, token: string, close: () => Promise<void> }>}
 *   `url` ends with a slash; `token` is a publisher's auth token.
 */
export async function startRegistry(dir) {
  mkdirSync(path.join(dir, 'storage'), { recursive: true });
  const configPath = path.join(dir, 'config.yaml');
  writeFileSync(configPath, configYaml());
  const { runServer } = require('verdaccio');
  const server = await runServer(configPath);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}/`;
  const close = async () => {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(() => resolve()));
  };
  try {
    const token = await addUser(url, 'rehearsal', `rehearsal-${process.pid}-${Date.now()}`);
    return { url, token, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Creates a user the way `npm adduser` does (CouchDB's user document) and
 * returns its token. No secret of the machine is involved: the user and its
 * password exist only in this registry's temporary htpasswd file.
 */
async function addUser(registryUrl, name, password) {
  const res = await fetch(new URL(`-/user/org.couchdb.user:${encodeURIComponent(name)}`, registryUrl), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [] }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok || typeof body.token !== 'string') {
    throw new Error(`the local registry refused to create a user: HTTP ${res.status} ${body.error ?? ''}`.trim());
  }
  return body.token;
}

/**
 * The registry's document for one package (all versions and dist-tags), or
 * null when it does not have the package.
 */
export async function packageDocument(registryUrl, name) {
  const res = await fetch(new URL(name.replace('/', '%2f'), registryUrl), { headers: { accept: 'application/json' } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET ${name} from the local registry: HTTP ${res.status}`);
  return res.json();
}
