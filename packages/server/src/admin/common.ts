import type { AppContext } from '../app-context';
import { maskKey, secretsEqual } from '../domain/keys';
import { AvsbError, invalidRequest, notFound } from '../errors';
import type { Params, RequestContext } from '../http/router';
import type { EnvironmentRecord, JsonObject, ProjectRecord, StoredEvent } from '../storage/records';

/** Checks `Authorization: Bearer <admin token>` in constant time; 401 otherwise. */
export function requireAdmin(ctx: RequestContext, adminToken: string): void {
  const header = ctx.req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) {
    // never echo the header: it may be the token itself, sent without "Bearer "
    const what = header.trim() === '' ? 'missing admin token' : 'the Authorization header is not of the form "Bearer <admin token>"';
    throw new AvsbError('unauthorized', `${what}: send "Authorization: Bearer <admin token>"`);
  }
  if (!secretsEqual(match[1]!.trim(), adminToken)) throw new AvsbError('unauthorized', 'wrong admin token');
}

/** The project named by `:project`, or 404. */
export async function projectOf(app: AppContext, params: Params): Promise<ProjectRecord> {
  const project = await app.store.getProject(params.project!);
  if (!project) throw notFound(`project "${params.project}" not found`);
  return project;
}

/** The environment named by `:project` and `:env`, or 404 (saying which is missing). */
export async function environmentOf(app: AppContext, params: Params): Promise<EnvironmentRecord> {
  const environment = await app.store.getEnvironment(params.project!, params.env!);
  if (environment) return environment;
  await projectOf(app, params);
  throw notFound(`environment "${params.env}" not found in project "${params.project}"`);
}

/** A project as listed: `{ key, name, environments: [keys] }`. */
export function projectView(project: ProjectRecord): JsonObject {
  return { key: project.key, name: project.name, environments: project.environments.map((e) => e.key) };
}

/** An environment as listed, keys masked unless `reveal`. */
export function environmentView(environment: EnvironmentRecord, reveal = false): JsonObject {
  const key = (k: string) => (reveal ? k : maskKey(k));
  return {
    key: environment.key,
    name: environment.name,
    revision: environment.revision,
    serverKey: key(environment.serverKey),
    clientKey: key(environment.clientKey),
  };
}

/** A stored event as the admin API lists it: `{ id, receivedAt, kind, …the event… }`. */
export function eventView(event: StoredEvent): JsonObject {
  // spread defines members: an event's own "__proto__" member is listed as sent instead of replacing the prototype
  const ids = { id: event.id, receivedAt: event.receivedAt };
  return { ...ids, ...event.event, ...ids };
}

/** `If-Match: <revision>` (quotes and `W/` tolerated) as a number, or undefined when absent. */
export function ifMatchRevision(ctx: RequestContext): number | undefined {
  const header = ctx.req.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const text = header.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  const revision = Number(text);
  if (!Number.isSafeInteger(revision) || revision < 0) throw invalidRequest(`If-Match: must be a revision number, not ${header}`);
  return revision;
}

/**
 * `If-None-Match: *` (create only) on a PUT of a flag or segment. Items carry no ETag of their own, so any other
 * value is refused rather than ignored.
 */
export function ifNoneMatchAny(ctx: RequestContext): boolean {
  const header = ctx.req.headers['if-none-match'];
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  throw invalidRequest(`If-None-Match: only * (create only, refused when the item exists) is supported, not ${JSON.stringify(header.slice(0, 64))}`);
}

/** An integer query parameter within [min, max], or its default. */
export function intParam(ctx: RequestContext, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidRequest(`${name}: must be an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * A boolean query parameter: `true` or `false`, absent (or empty) is `false`. Anything else (`yes`, `1`) is
 * refused rather than read as `false`: `?replace=1` must not quietly become "do not replace".
 */
export function boolParam(ctx: RequestContext, name: string): boolean {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw invalidRequest(`${name}: must be true or false, not ${JSON.stringify(raw.slice(0, 32))}`);
}

/** Reads a string member of a JSON body; `required` ones must be present. */
export function stringMember(body: unknown, name: string, required: boolean): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('the body must be a JSON object');
  const value = (body as JsonObject)[name];
  if (value === undefined || value === null) {
    if (required) throw invalidRequest(`${name}: is required (a string)`);
    return undefined;
  }
  if (typeof value !== 'string') throw invalidRequest(`${name}: must be a string`);
  return value;
}
