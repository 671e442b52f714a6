import { isObject } from '@avsb/common';
import { AvsbError, invalidRequest, notFound } from '../errors';
import { adminForm, fromAdminForm } from '../storage/item-form';
import type { EnvironmentId, EnvironmentSnapshot, ItemKind, ItemWrite, JsonObject, StoredItem } from '../storage/records';
import type { Store } from '../storage/store';
import { KEY_RULE, isValidKey } from './keys';
import type { DatafileValidator } from './validator';
import { refusal, relativeMessage } from './validator';

/** What edits need: the store and the engine that validates every resulting datafile. */
export interface EditDeps {
  readonly store: Store;
  readonly validator: DatafileValidator;
}

/** Options of an edit. */
export interface EditOptions {
  /** `If-Match`: refuse with `conflict` unless the environment is at this revision. */
  readonly ifRevision?: number;
  /**
   * `If-None-Match: *` on a PUT: create only, refuse with `conflict` when the item exists (so a "new flag" form
   * working from a stale list cannot replace a flag someone else created meanwhile).
   */
  readonly onlyIfAbsent?: boolean;
}

/** The result of a put or patch: the item in admin form and the new revision. */
export interface ItemEditResult {
  readonly created: boolean;
  readonly item: JsonObject;
  readonly revision: number;
}

/** Creates or replaces a flag or segment (`PUT`); an identical one changes nothing. */
export async function putItem(
  deps: EditDeps,
  environmentId: EnvironmentId,
  kind: ItemKind,
  key: string,
  body: unknown,
  options: EditOptions = {},
): Promise<ItemEditResult> {
  const item = parseItem(kind, key, body);
  const { revision, result } = await deps.store.editEnvironment(environmentId, (snapshot) => {
    checkRevision(snapshot, options);
    const existing = list(snapshot, kind).find((i) => i.key === key);
    if (existing && options.onlyIfAbsent === true) {
      throw new AvsbError('conflict', `${kind} "${key}" already exists (If-None-Match: *): edit it, or create the new ${kind} under another key`);
    }
    // keys stored before the rule existed stay readable, editable and deletable; new ones follow it
    if (!existing && !isValidKey(key)) {
      throw new AvsbError(kind === 'flag' ? 'invalid_flag' : 'invalid_segment', `key: ${KEY_RULE}, not ${JSON.stringify(key)}`);
    }
    if (existing && sameItem(existing, item)) return { writes: [], result: false };
    validateWith(deps.validator, snapshot, { action: 'put', item });
    return { writes: [{ action: 'put', item }], result: existing === undefined };
  });
  return { created: result, item: adminForm(item), revision };
}

/** Merges top-level members into an existing flag or segment (`PATCH`, e.g. `{"on": false}`). */
export async function patchItem(
  deps: EditDeps,
  environmentId: EnvironmentId,
  kind: ItemKind,
  key: string,
  body: unknown,
  options: EditOptions = {},
): Promise<ItemEditResult> {
  if (!isObject(body)) throw invalidRequest(`the body must be a JSON object of ${kind} members to change, e.g. {"on": false}`);
  if ('key' in body && body.key !== key) throw invalidRequest(`key: cannot be changed (the ${kind} is "${key}")`);
  const { revision, result } = await deps.store.editEnvironment(environmentId, (snapshot) => {
    checkRevision(snapshot, options);
    const existing = list(snapshot, kind).find((i) => i.key === key);
    if (!existing) throw notFound(`${kind} "${key}" not found`);
    const merged: JsonObject = { ...adminForm(existing), ...body };
    for (const extra of ['name', 'description']) if (merged[extra] === null) delete merged[extra];
    const item = parseItem(kind, key, merged);
    if (sameItem(existing, item)) return { writes: [], result: item };
    validateWith(deps.validator, snapshot, { action: 'put', item });
    return { writes: [{ action: 'put', item }], result: item };
  });
  return { created: false, item: adminForm(result), revision };
}

/** Deletes a flag or segment; returns the new revision. */
export async function deleteItem(
  deps: EditDeps,
  environmentId: EnvironmentId,
  kind: ItemKind,
  key: string,
  options: EditOptions = {},
): Promise<number> {
  const { revision } = await deps.store.editEnvironment(environmentId, (snapshot) => {
    checkRevision(snapshot, options);
    if (!list(snapshot, kind).some((i) => i.key === key)) throw notFound(`${kind} "${key}" not found`);
    const write: ItemWrite = { action: 'delete', kind, key };
    validateWith(deps.validator, snapshot, write);
    return { writes: [write], result: null };
  });
  return revision;
}

/** Checks the shape the server itself relies on; the engine checks the rest. */
export function parseItem(kind: ItemKind, key: string, body: unknown): StoredItem {
  const code = kind === 'flag' ? 'invalid_flag' : 'invalid_segment';
  if (!isObject(body)) throw new AvsbError(code, `the body must be a JSON object (the ${kind} in datafile form)`);
  if ('key' in body && body.key !== key) {
    throw new AvsbError(code, `key: must be "${key}", the key in the path (got ${JSON.stringify(body.key)})`);
  }
  for (const extra of ['name', 'description']) {
    if (extra in body && body[extra] !== undefined && typeof body[extra] !== 'string') {
      throw new AvsbError(code, `${extra}: must be a string`);
    }
  }
  return fromAdminForm(kind, { ...body, key });
}

/** An edit that changes nothing is no change: no revision, no history, no stream event. */
function sameItem(a: StoredItem, b: StoredItem): boolean {
  return JSON.stringify(adminForm(a)) === JSON.stringify(adminForm(b));
}

function checkRevision(snapshot: EnvironmentSnapshot, options: EditOptions): void {
  const current = snapshot.environment.revision;
  if (options.ifRevision !== undefined && options.ifRevision !== current) {
    throw new AvsbError('conflict', `the environment is at revision ${current}, not ${options.ifRevision} (If-Match): reload and retry`);
  }
}

/** Validates the datafile the environment would have after `write`; throws every problem, the first in the message. */
function validateWith(validator: DatafileValidator, snapshot: EnvironmentSnapshot, write: ItemWrite): void {
  const flags = [...snapshot.flags];
  const segments = [...snapshot.segments];
  const kind = write.action === 'put' ? write.item.kind : write.kind;
  const key = write.action === 'put' ? write.item.key : write.key;
  const items = kind === 'flag' ? flags : segments;
  let index = items.findIndex((i) => i.key === key);
  if (write.action === 'delete') items.splice(index, 1);
  else if (index >= 0) items[index] = write.item;
  else index = items.push(write.item) - 1;
  const problems = validator.problems({
    schemaVersion: 1,
    revision: snapshot.environment.revision + 1,
    flags: flags.map((f) => f.data),
    segments: segments.map((s) => s.data),
  });
  if (problems.length === 0) return;
  // a put's problems are named from the item the client sent (`rules[0].op`), like its body
  const array = kind === 'flag' ? 'flags' : 'segments';
  const named = write.action === 'put' ? problems.map((p) => ({ path: relativeMessage(p.path, array, index), message: p.message })) : problems;
  throw refusal(kind === 'flag' ? 'invalid_flag' : 'invalid_segment', named);
}

function list(snapshot: EnvironmentSnapshot, kind: ItemKind): readonly StoredItem[] {
  return kind === 'flag' ? snapshot.flags : snapshot.segments;
}
