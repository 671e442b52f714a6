import type { Statement } from 'better-sqlite3';
import { AvsbError } from '../../errors';
import type { EnvironmentId, EnvironmentRecord, NewEnvironment, ProjectRecord, SdkKeyKind, SdkKeyMatch } from '../records';
import type { Db } from './open';

interface ProjectRow {
  id: number;
  key: string;
  name: string;
  created_at: number;
}

interface EnvironmentRow {
  id: number;
  project_key: string;
  key: string;
  name: string;
  revision: number;
  created_at: number;
  server_key: string;
  client_key: string;
}

const ENVIRONMENT_COLUMNS = `
  e.id, p.key AS project_key, e.key, e.name, e.revision, e.created_at,
  (SELECT secret FROM sdk_keys k WHERE k.environment_id = e.id AND k.kind = 'server') AS server_key,
  (SELECT secret FROM sdk_keys k WHERE k.environment_id = e.id AND k.kind = 'client') AS client_key
  FROM environments e JOIN projects p ON p.id = e.project_id`;

/** Projects, environments and SDK keys in SQLite (synchronous; callers own transactions). */
export class ProjectTables {
  private readonly _selectProjects: Statement<[], ProjectRow>;
  private readonly _selectProject: Statement<[string], ProjectRow>;
  private readonly _insertProjectRow: Statement<[string, string, number]>;
  private readonly _updateProjectName: Statement<[string, number]>;
  private readonly _deleteProjectRow: Statement<[number]>;
  private readonly _selectEnvironments: Statement<[number], EnvironmentRow>;
  private readonly _selectEnvironment: Statement<[string, string], EnvironmentRow>;
  private readonly _selectEnvironmentById: Statement<[number], EnvironmentRow>;
  private readonly _insertEnvironmentRow: Statement<[number, string, string, number]>;
  private readonly _updateEnvironmentName: Statement<[string, number]>;
  private readonly _deleteEnvironmentRows: Statement<[number]>[];
  private readonly _insertKey: Statement<[string, number, SdkKeyKind, number]>;
  private readonly _updateKey: Statement<[string, number, number, SdkKeyKind]>;
  private readonly _selectKey: Statement<[string], { kind: SdkKeyKind; id: number; revision: number; env_key: string; project_key: string }>;

  constructor(private readonly _db: Db) {
    this._selectProjects = _db.prepare('SELECT id, key, name, created_at FROM projects ORDER BY id');
    this._selectProject = _db.prepare('SELECT id, key, name, created_at FROM projects WHERE key = ?');
    this._insertProjectRow = _db.prepare('INSERT INTO projects (key, name, created_at) VALUES (?, ?, ?)');
    this._updateProjectName = _db.prepare('UPDATE projects SET name = ? WHERE id = ?');
    this._deleteProjectRow = _db.prepare('DELETE FROM projects WHERE id = ?');
    this._selectEnvironments = _db.prepare(`SELECT ${ENVIRONMENT_COLUMNS} WHERE e.project_id = ? ORDER BY e.id`);
    this._selectEnvironment = _db.prepare(`SELECT ${ENVIRONMENT_COLUMNS} WHERE p.key = ? AND e.key = ?`);
    this._selectEnvironmentById = _db.prepare(`SELECT ${ENVIRONMENT_COLUMNS} WHERE e.id = ?`);
    this._insertEnvironmentRow = _db.prepare('INSERT INTO environments (project_id, key, name, revision, created_at) VALUES (?, ?, ?, 0, ?)');
    this._updateEnvironmentName = _db.prepare('UPDATE environments SET name = ? WHERE id = ?');
    // the small rows of an environment; its events and aggregates are the Purger's (see deleteEnvironment)
    this._deleteEnvironmentRows = ['sdk_keys', 'items', 'history'].map((table) => _db.prepare(`DELETE FROM ${table} WHERE environment_id = ?`));
    this._deleteEnvironmentRows.push(_db.prepare('DELETE FROM environments WHERE id = ?'));
    this._insertKey = _db.prepare('INSERT INTO sdk_keys (secret, environment_id, kind, created_at) VALUES (?, ?, ?, ?)');
    this._updateKey = _db.prepare('UPDATE sdk_keys SET secret = ?, created_at = ? WHERE environment_id = ? AND kind = ?');
    this._selectKey = _db.prepare(`
      SELECT k.kind, e.id, e.revision, e.key AS env_key, p.key AS project_key
      FROM sdk_keys k JOIN environments e ON e.id = k.environment_id JOIN projects p ON p.id = e.project_id
      WHERE k.secret = ?`);
  }

  listProjects(): ProjectRecord[] {
    return this._selectProjects.all().map((row) => this._project(row));
  }

  getProject(key: string): ProjectRecord | null {
    const row = this._selectProject.get(key);
    return row ? this._project(row) : null;
  }

  /** The project's row id, or null. */
  projectId(key: string): number | null {
    return this._selectProject.get(key)?.id ?? null;
  }

  insertProject(key: string, name: string): number {
    if (this._selectProject.get(key)) throw new AvsbError('conflict', `project "${key}" already exists`);
    return Number(this._insertProjectRow.run(key, name, Date.now()).lastInsertRowid);
  }

  renameProject(projectId: number, name: string): void {
    this._updateProjectName.run(name, projectId);
  }

  /**
   * Deletes a project and its environments (see {@link deleteEnvironment});
   * returns the environments that went with it, or null when there was none.
   */
  deleteProject(key: string): EnvironmentRecord[] | null {
    const row = this._selectProject.get(key);
    if (!row) return null;
    const environments = this._selectEnvironments.all(row.id).map(environment);
    for (const { id } of environments) this.deleteEnvironment(id);
    this._deleteProjectRow.run(row.id);
    return environments;
  }

  environments(projectId: number): EnvironmentRecord[] {
    return this._selectEnvironments.all(projectId).map(environment);
  }

  getEnvironment(projectKey: string, environmentKey: string): EnvironmentRecord | null {
    const row = this._selectEnvironment.get(projectKey, environmentKey);
    return row ? environment(row) : null;
  }

  getEnvironmentById(id: EnvironmentId): EnvironmentRecord | null {
    const row = this._selectEnvironmentById.get(id);
    return row ? environment(row) : null;
  }

  insertEnvironment(projectId: number, projectKey: string, input: NewEnvironment): EnvironmentId {
    if (this._selectEnvironment.get(projectKey, input.key)) {
      throw new AvsbError('conflict', `environment "${input.key}" already exists in project "${projectKey}"`);
    }
    const now = Date.now();
    const id = Number(this._insertEnvironmentRow.run(projectId, input.key, input.name, now).lastInsertRowid);
    this._insertKey.run(input.serverKey, id, 'server', now);
    this._insertKey.run(input.clientKey, id, 'client', now);
    return id;
  }

  renameEnvironment(id: EnvironmentId, name: string): void {
    this._updateEnvironmentName.run(name, id);
  }

  /**
   * Deletes an environment with its keys, items and history, leaving its
   * events and aggregates to the caller's purge. Run it with foreign keys
   * off: their ON DELETE CASCADE would delete every event in this one
   * transaction, holding the database for as long as that takes.
   */
  deleteEnvironment(id: EnvironmentId): void {
    for (const statement of this._deleteEnvironmentRows) statement.run(id);
  }

  findKey(secret: string): SdkKeyMatch | null {
    const row = this._selectKey.get(secret);
    if (!row) return null;
    return { environmentId: row.id, projectKey: row.project_key, environmentKey: row.env_key, kind: row.kind, revision: row.revision };
  }

  rotateKey(id: EnvironmentId, kind: SdkKeyKind, secret: string): void {
    if (this._updateKey.run(secret, Date.now(), id, kind).changes !== 1) {
      throw new AvsbError('not_found', 'environment not found');
    }
  }

  private _project(row: ProjectRow): ProjectRecord {
    return { key: row.key, name: row.name, createdAt: row.created_at, environments: this.environments(row.id) };
  }
}

function environment(row: EnvironmentRow): EnvironmentRecord {
  return {
    id: row.id,
    projectKey: row.project_key,
    key: row.key,
    name: row.name,
    revision: row.revision,
    createdAt: row.created_at,
    serverKey: row.server_key,
    clientKey: row.client_key,
  };
}
