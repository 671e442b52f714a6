import type { Statement } from 'better-sqlite3';
import { adminForm } from '../item-form';
import type {
  EnvironmentId,
  EnvironmentRecord,
  EnvironmentSnapshot,
  HistoryEntry,
  ItemKind,
  ItemWrite,
  JsonObject,
  StoredItem,
} from '../records';
import type { Db } from './open';

interface ItemRow {
  kind: ItemKind;
  key: string;
  name: string | null;
  description: string | null;
  data: string;
}

interface HistoryRow {
  revision: number;
  time: number;
  kind: ItemKind;
  key: string;
  action: HistoryEntry['action'];
  before: string | null;
  after: string | null;
}

/** Flags, segments, revisions and history in SQLite (synchronous; callers own transactions). */
export class ItemTables {
  private readonly _selectItems: Statement<[number], ItemRow>;
  private readonly _selectItem: Statement<[number, ItemKind, string], ItemRow>;
  private readonly _insertItem: Statement<[number, ItemKind, string, string | null, string | null, string]>;
  private readonly _updateItem: Statement<[string | null, string | null, string, number, ItemKind, string]>;
  private readonly _deleteItemRow: Statement<[number, ItemKind, string]>;
  private readonly _deleteAllItems: Statement<[number]>;
  private readonly _bump: Statement<[number], { revision: number }>;
  private readonly _insertHistory: Statement<[number, number, number, ItemKind, string, string, string | null, string | null]>;
  private readonly _selectHistory: Statement<[number, number], HistoryRow>;

  constructor(db: Db) {
    this._selectItems = db.prepare('SELECT kind, key, name, description, data FROM items WHERE environment_id = ? ORDER BY id');
    this._selectItem = db.prepare(
      'SELECT kind, key, name, description, data FROM items WHERE environment_id = ? AND kind = ? AND key = ?',
    );
    this._insertItem = db.prepare(
      'INSERT INTO items (environment_id, kind, key, name, description, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this._updateItem = db.prepare(
      'UPDATE items SET name = ?, description = ?, data = ? WHERE environment_id = ? AND kind = ? AND key = ?',
    );
    this._deleteItemRow = db.prepare('DELETE FROM items WHERE environment_id = ? AND kind = ? AND key = ?');
    this._deleteAllItems = db.prepare('DELETE FROM items WHERE environment_id = ?');
    this._bump = db.prepare('UPDATE environments SET revision = revision + 1 WHERE id = ? RETURNING revision');
    this._insertHistory = db.prepare(
      'INSERT INTO history (environment_id, revision, time, kind, key, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this._selectHistory = db.prepare(
      'SELECT revision, time, kind, key, action, before, after FROM history WHERE environment_id = ? ORDER BY id DESC LIMIT ?',
    );
  }

  /** The environment's items, flags and segments apart, in creation order. */
  snapshot(environment: EnvironmentRecord): EnvironmentSnapshot {
    const flags: StoredItem[] = [];
    const segments: StoredItem[] = [];
    for (const row of this._selectItems.all(environment.id)) (row.kind === 'flag' ? flags : segments).push(item(row));
    return { environment, flags, segments };
  }

  /** Applies writes at a new revision, recording each in the history; returns the revision. */
  apply(id: EnvironmentId, writes: readonly ItemWrite[]): number {
    const revision = this._bump.get(id)!.revision;
    const now = Date.now();
    for (const write of writes) {
      const kind = write.action === 'put' ? write.item.kind : write.kind;
      const key = write.action === 'put' ? write.item.key : write.key;
      const row = this._selectItem.get(id, kind, key);
      const before = row ? JSON.stringify(adminForm(item(row))) : null;
      if (write.action === 'delete') {
        if (!row) continue;
        this._deleteItemRow.run(id, kind, key);
        this._insertHistory.run(id, revision, now, kind, key, 'delete', before, null);
        continue;
      }
      const { name, description, data } = write.item;
      const json = JSON.stringify(data);
      if (row) this._updateItem.run(name ?? null, description ?? null, json, id, kind, key);
      else this._insertItem.run(id, kind, key, name ?? null, description ?? null, json);
      const after = JSON.stringify(adminForm(write.item));
      this._insertHistory.run(id, revision, now, kind, key, row ? 'update' : 'create', before, after);
    }
    return revision;
  }

  /**
   * Makes the environment hold exactly `flags` and `segments`, in that order.
   * Returns the new revision, or null when nothing differed.
   */
  replaceAll(environment: EnvironmentRecord, flags: readonly StoredItem[], segments: readonly StoredItem[]): number | null {
    const current = this.snapshot(environment);
    const forms = (items: readonly StoredItem[]) => JSON.stringify(items.map(adminForm));
    if (forms(current.flags) === forms(flags) && forms(current.segments) === forms(segments)) return null;
    const id = environment.id;
    const revision = this._bump.get(id)!.revision;
    const now = Date.now();
    const before = new Map<string, string>();
    for (const old of [...current.flags, ...current.segments]) before.set(`${old.kind}:${old.key}`, JSON.stringify(adminForm(old)));
    this._deleteAllItems.run(id);
    for (const next of [...flags, ...segments]) {
      this._insertItem.run(id, next.kind, next.key, next.name ?? null, next.description ?? null, JSON.stringify(next.data));
      const ref = `${next.kind}:${next.key}`;
      const old = before.get(ref);
      const after = JSON.stringify(adminForm(next));
      before.delete(ref);
      if (old === after) continue;
      this._insertHistory.run(id, revision, now, next.kind, next.key, old === undefined ? 'create' : 'update', old ?? null, after);
    }
    for (const [ref, old] of before) {
      const colon = ref.indexOf(':');
      this._insertHistory.run(id, revision, now, ref.slice(0, colon) as ItemKind, ref.slice(colon + 1), 'delete', old, null);
    }
    return revision;
  }

  history(id: EnvironmentId, limit: number): HistoryEntry[] {
    return this._selectHistory.all(id, limit).map((row) => ({
      revision: row.revision,
      time: row.time,
      kind: row.kind,
      key: row.key,
      action: row.action,
      before: row.before === null ? null : (JSON.parse(row.before) as JsonObject),
      after: row.after === null ? null : (JSON.parse(row.after) as JsonObject),
    }));
  }
}

function item(row: ItemRow): StoredItem {
  return {
    kind: row.kind,
    key: row.key,
    ...(row.name !== null ? { name: row.name } : {}),
    ...(row.description !== null ? { description: row.description } : {}),
    data: JSON.parse(row.data) as JsonObject,
  };
}
