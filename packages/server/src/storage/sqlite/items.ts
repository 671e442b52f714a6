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
  private readonly selectItems: Statement<[number], ItemRow>;
  private readonly selectItem: Statement<[number, ItemKind, string], ItemRow>;
  private readonly insertItem: Statement<[number, ItemKind, string, string | null, string | null, string]>;
  private readonly updateItem: Statement<[string | null, string | null, string, number, ItemKind, string]>;
  private readonly deleteItemRow: Statement<[number, ItemKind, string]>;
  private readonly deleteAllItems: Statement<[number]>;
  private readonly bump: Statement<[number], { revision: number }>;
  private readonly insertHistory: Statement<[number, number, number, ItemKind, string, string, string | null, string | null]>;
  private readonly selectHistory: Statement<[number, number], HistoryRow>;

  constructor(db: Db) {
    this.selectItems = db.prepare('SELECT kind, key, name, description, data FROM items WHERE environment_id = ? ORDER BY id');
    this.selectItem = db.prepare(
      'SELECT kind, key, name, description, data FROM items WHERE environment_id = ? AND kind = ? AND key = ?',
    );
    this.insertItem = db.prepare(
      'INSERT INTO items (environment_id, kind, key, name, description, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.updateItem = db.prepare(
      'UPDATE items SET name = ?, description = ?, data = ? WHERE environment_id = ? AND kind = ? AND key = ?',
    );
    this.deleteItemRow = db.prepare('DELETE FROM items WHERE environment_id = ? AND kind = ? AND key = ?');
    this.deleteAllItems = db.prepare('DELETE FROM items WHERE environment_id = ?');
    this.bump = db.prepare('UPDATE environments SET revision = revision + 1 WHERE id = ? RETURNING revision');
    this.insertHistory = db.prepare(
      'INSERT INTO history (environment_id, revision, time, kind, key, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectHistory = db.prepare(
      'SELECT revision, time, kind, key, action, before, after FROM history WHERE environment_id = ? ORDER BY id DESC LIMIT ?',
    );
  }

  /** The environment's items, flags and segments apart, in creation order. */
  snapshot(environment: EnvironmentRecord): EnvironmentSnapshot {
    const flags: StoredItem[] = [];
    const segments: StoredItem[] = [];
    for (const row of this.selectItems.all(environment.id)) (row.kind === 'flag' ? flags : segments).push(item(row));
    return { environment, flags, segments };
  }

  /** Applies writes at a new revision, recording each in the history; returns the revision. */
  apply(id: EnvironmentId, writes: readonly ItemWrite[]): number {
    const revision = this.bump.get(id)!.revision;
    const now = Date.now();
    for (const write of writes) {
      const kind = write.action === 'put' ? write.item.kind : write.kind;
      const key = write.action === 'put' ? write.item.key : write.key;
      const row = this.selectItem.get(id, kind, key);
      const before = row ? JSON.stringify(adminForm(item(row))) : null;
      if (write.action === 'delete') {
        if (!row) continue;
        this.deleteItemRow.run(id, kind, key);
        this.insertHistory.run(id, revision, now, kind, key, 'delete', before, null);
        continue;
      }
      const { name, description, data } = write.item;
      const json = JSON.stringify(data);
      if (row) this.updateItem.run(name ?? null, description ?? null, json, id, kind, key);
      else this.insertItem.run(id, kind, key, name ?? null, description ?? null, json);
      const after = JSON.stringify(adminForm(write.item));
      this.insertHistory.run(id, revision, now, kind, key, row ? 'update' : 'create', before, after);
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
    const revision = this.bump.get(id)!.revision;
    const now = Date.now();
    const before = new Map<string, string>();
    for (const old of [...current.flags, ...current.segments]) before.set(`${old.kind}:${old.key}`, JSON.stringify(adminForm(old)));
    this.deleteAllItems.run(id);
    for (const next of [...flags, ...segments]) {
      this.insertItem.run(id, next.kind, next.key, next.name ?? null, next.description ?? null, JSON.stringify(next.data));
      const ref = `${next.kind}:${next.key}`;
      const old = before.get(ref);
      const after = JSON.stringify(adminForm(next));
      before.delete(ref);
      if (old === after) continue;
      this.insertHistory.run(id, revision, now, next.kind, next.key, old === undefined ? 'create' : 'update', old ?? null, after);
    }
    for (const [ref, old] of before) {
      const colon = ref.indexOf(':');
      this.insertHistory.run(id, revision, now, ref.slice(0, colon) as ItemKind, ref.slice(colon + 1), 'delete', old, null);
    }
    return revision;
  }

  history(id: EnvironmentId, limit: number): HistoryEntry[] {
    return this.selectHistory.all(id, limit).map((row) => ({
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
