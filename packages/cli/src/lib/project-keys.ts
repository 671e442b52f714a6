import { existsSync } from 'node:fs';
import { request } from './http';
import { loadServer } from './server';

/** The SDK keys of one environment of a project. */
export interface ProjectKeys {
  readonly key: string;
  readonly serverKey: string;
  readonly clientKey: string;
}

/** The SDK keys of an imported project, one environment a line, as `avsb dev` prints its example project's. */
export function formatKeys(projectKey: string, environments: readonly ProjectKeys[]): string {
  if (environments.length === 0) return '';
  const width = Math.max(...environments.map((e) => e.key.length));
  const lines = [`SDK keys of "${projectKey}" (set AVSB_SDK_KEY to the server key of an environment; the client key is for browsers):`];
  for (const env of environments) lines.push(`  ${env.key.padEnd(width)}  server key ${env.serverKey}  client key ${env.clientKey}`);
  return `${lines.join('\n')}\n`;
}

/** Whether the server at `url` has project `key`. */
export async function serverProjectExists(url: string, token: string, key: string): Promise<boolean> {
  const answer = await request(`${url}/api/v1/projects/${encodeURIComponent(key)}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    credential: 'admin token',
    secrets: [token],
    what: `looking up project "${key}"`,
    notFoundOk: true,
  });
  return answer.status !== 404;
}

/** Whether the SQLite file has project `key` (a file not yet created has none). */
export async function dbProjectExists(dbPath: string, key: string): Promise<boolean> {
  if (!existsSync(dbPath)) return false;
  const { SqliteStore } = await loadServer();
  const store = new SqliteStore(dbPath);
  try {
    return (await store.getProject(key)) !== null;
  } finally {
    await store.close();
  }
}

/**
 * The keys of every environment that the import answer (`{ environments:
 * [keys] }`) lists, from `…/keys?reveal=true`: the admin API masks keys
 * everywhere else.
 */
export async function serverProjectKeys(url: string, token: string, projectKey: string, importAnswer: string): Promise<ProjectKeys[]> {
  let environments: unknown;
  try {
    environments = (JSON.parse(importAnswer) as { environments?: unknown }).environments;
  } catch {
    return [];
  }
  if (!Array.isArray(environments)) return [];
  const out: ProjectKeys[] = [];
  for (const env of environments) {
    if (typeof env !== 'string') continue;
    const answer = await request(`${url}/api/v1/projects/${encodeURIComponent(projectKey)}/environments/${encodeURIComponent(env)}/keys?reveal=true`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      credential: 'admin token',
      secrets: [token],
      what: `the keys of ${projectKey}/${env}`,
    });
    let keys: { serverKey?: unknown; clientKey?: unknown } = {};
    try {
      keys = JSON.parse(answer.text) as typeof keys;
    } catch {
      continue;
    }
    if (typeof keys.serverKey === 'string' && typeof keys.clientKey === 'string') out.push({ key: env, serverKey: keys.serverKey, clientKey: keys.clientKey });
  }
  return out;
}
