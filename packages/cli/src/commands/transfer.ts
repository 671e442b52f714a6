import { existsSync } from 'node:fs';
import path from 'node:path';
import { bool, expectPositionals, parseCommandArgs, str } from '../lib/args';
import { type DocumentFormat, parseDocumentText, readInputFile } from '../lib/document';
import { request, serverUrl } from '../lib/http';
import { type CliIo, CliError, UsageError, writeOutFile } from '../lib/io';
import { Progress, formatProgress } from '../lib/progress';
import { type ProjectKeys, dbProjectExists, formatKeys, serverProjectExists, serverProjectKeys } from '../lib/project-keys';
import { PurgeWait } from '../lib/purge-wait';
import { loadServer } from '../lib/server';
import { validateValue } from '../lib/validate';

/** From this many flags on, `avsb import` reports its progress on stderr. */
const PROGRESS_FROM = 200;

type Target = { kind: 'db'; dbPath: string; display: string } | { kind: 'server'; url: string; token: string };

function target(command: 'import' | 'export', values: Record<string, string | boolean | undefined>, io: CliIo): Target {
  const db = str(values, 'db');
  const server = str(values, 'server');
  if (db !== undefined && server !== undefined) throw new UsageError('give either --db or --server, not both', command);
  if (server !== undefined) {
    const token = str(values, 'token') ?? io.env.AVSB_ADMIN_TOKEN;
    if (!token) throw new UsageError('--server needs --token <admin token> (or AVSB_ADMIN_TOKEN); avsb dev prints it', command);
    return { kind: 'server', url: serverUrl(command, server), token };
  }
  if (str(values, 'token') !== undefined) {
    // avsb dev's banner has AVSB_SERVER exported, which eval and results read: say why this command did not
    const fromEnv = io.env.AVSB_SERVER ? `; ${command} works on ./avsb.db unless --server <url> is given (it does not read AVSB_SERVER): add --server "$AVSB_SERVER"` : '';
    throw new UsageError(`--token goes with --server${fromEnv}`, command);
  }
  const display = db ?? './avsb.db';
  return { kind: 'db', dbPath: path.resolve(io.cwd, db ?? 'avsb.db'), display };
}

interface Counts {
  environments: number;
  flags: number;
  segments: number;
}

function countDocument(value: unknown): Counts {
  const envs = (value as { environments?: unknown }).environments;
  const list = Array.isArray(envs) ? envs.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null) : [];
  const len = (x: unknown) => (Array.isArray(x) ? x.length : 0);
  return {
    environments: list.length,
    flags: list.reduce((n, e) => n + len(e.flags), 0),
    segments: list.reduce((n, e) => n + len(e.segments), 0),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function importCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('import', args, {
    db: { type: 'string' },
    server: { type: 'string' },
    token: { type: 'string' },
    replace: { type: 'boolean' },
  });
  const [file] = expectPositionals('import', positionals, ['file']) as [string];
  const to = target('import', values, io);
  const replace = bool(values, 'replace');

  const text = await readInputFile(file, io);
  const parsed = parseDocumentText(text, file);
  if (!parsed.ok) {
    io.stderr.write(`${file}: ${plural(parsed.problems.length, 'problem')}\n`);
    for (const p of parsed.problems) io.stderr.write(`  ${p.message}\n`);
    return 1;
  }
  const counts = countDocument(parsed.value);
  const large = counts.flags >= PROGRESS_FROM;

  // 0. An existing project is refused before the (long) validation, unless --replace.
  const documentKey = (parsed.value as { key?: unknown }).key;
  if (!replace && typeof documentKey === 'string' && documentKey !== '') {
    const exists = to.kind === 'server' ? await serverProjectExists(to.url, to.token, documentKey) : await dbProjectExists(to.dbPath, documentKey);
    if (exists) throw new CliError(alreadyExists(documentKey));
  }

  // 1. Validate everything locally first: every problem at once, nothing written.
  // Progress: in place on a terminal, else a line at most every quarter second, and the last count.
  const progress = new Progress(io.stderr);
  const report = await validateValue(parsed.value, {
    onProgress: (done, total) => {
      if (large) progress.update(formatProgress('validated', done, total, 'flag'), done === total);
    },
  });
  progress.end();
  if (report.kind !== 'project') {
    throw new CliError(
      report.kind === 'datafile'
        ? `${file} is a datafile, not a project document (key, name, environments); see avsb export`
        : `${file}: ${report.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  }
  if (report.problems.length > 0) {
    io.stderr.write(`${file}: ${plural(report.problems.length, 'problem')}, nothing imported\n`);
    for (const p of report.problems) io.stderr.write(`  ${p.path}: ${p.message}\n`);
    return 1;
  }

  // 2. Import in one transaction.
  const projectKey = String((parsed.value as { key: unknown }).key);
  if (large) io.stderr.write(`importing ${plural(counts.flags, 'flag')} and ${plural(counts.segments, 'segment')} in ${plural(counts.environments, 'environment')}…\n`);
  let where: string;
  let keys: readonly ProjectKeys[];
  let purgeFailure: string | null = null;
  if (to.kind === 'server') {
    const answer = await request(`${to.url}/api/v1/projects/import${replace ? '?replace=true' : ''}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${to.token}`,
        'content-type': parsed.format === 'yaml' ? 'application/yaml' : 'application/json',
        accept: 'application/json',
      },
      body: text,
      credential: 'admin token',
      secrets: [to.token],
      what: `importing project "${projectKey}"`,
    }).catch((error: unknown) => {
      throw conflictHint(error, projectKey);
    });
    where = new URL(to.url).origin;
    keys = await serverProjectKeys(to.url, to.token, projectKey, answer.text);
  } else {
    const { SqliteStore, importProject } = await loadServer();
    const purge = new PurgeWait(io.stderr);
    const store = new SqliteStore(to.dbPath, { logger: purge.logger });
    try {
      keys = (await importProject(store, parsed.value as object, { replace })).environments;
      // the events of environments the document drops go now, not in some later server's background
      purgeFailure = await purge.wait(store, (left) => io.stderr.write(`purging the stored events of ${plural(left.length, 'dropped environment')} (${left.join(', ')})…\n`));
    } catch (error) {
      throw conflictHint(error, projectKey);
    } finally {
      await store.close();
    }
    where = to.display;
  }
  if (large) io.stderr.write(`imported ${counts.flags}/${counts.flags} flags\n`);
  io.stdout.write(
    `imported project "${projectKey}" into ${where}: ${plural(counts.environments, 'environment')}, ` +
      `${plural(counts.flags, 'flag')}, ${plural(counts.segments, 'segment')}${replace ? ' (replaced)' : ''}\n`,
  );
  io.stdout.write(formatKeys(projectKey, keys));
  if (purgeFailure !== null) {
    io.stderr.write(
      `avsb import: error: the events of the dropped environments are not all purged (${purgeFailure}); ` +
        `the rest goes when avsb dev or the server next opens ${to.kind === 'db' ? to.display : 'the file'}, or run this import again\n`,
    );
    return 1;
  }
  return 0;
}

function alreadyExists(projectKey: string): string {
  return `project "${projectKey}" already exists: pass --replace to overwrite it`;
}

/** A `conflict` (the project exists) gets the --replace hint; other store errors keep their message. */
function conflictHint(error: unknown, projectKey: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  if (code === 'conflict' || / 409 conflict/.test(message)) {
    return new CliError(alreadyExists(projectKey));
  }
  if (error instanceof CliError) return error;
  return new CliError(message);
}

export async function exportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', args, {
    format: { type: 'string' },
    out: { type: 'string' },
    db: { type: 'string' },
    server: { type: 'string' },
    token: { type: 'string' },
  });
  const [project] = expectPositionals('export', positionals, ['project']) as [string];
  const out = str(values, 'out');
  const format = exportFormat(str(values, 'format'), out);
  const from = target('export', values, io);

  let text: string;
  if (from.kind === 'server') {
    const answer = await request(`${from.url}/api/v1/projects/${encodeURIComponent(project)}/export?format=${format}`, {
      headers: { authorization: `Bearer ${from.token}` },
      credential: 'admin token',
      secrets: [from.token],
      what: `exporting project "${project}"`,
    });
    text = answer.text.endsWith('\n') ? answer.text : `${answer.text}\n`;
  } else {
    if (!existsSync(from.dbPath)) throw new CliError(`no database at ${from.display}: run avsb dev there first, or pass --db <file> or --server <url>`);
    const { SqliteStore, exportProject } = await loadServer();
    const store = new SqliteStore(from.dbPath);
    try {
      text = await exportProject(store, project, format);
    } catch (error) {
      throw new CliError((error as Error).message);
    } finally {
      await store.close();
    }
  }
  if (out === undefined) {
    io.stdout.write(text);
  } else {
    await writeOutFile(io, out, text);
    io.stderr.write(`exported project "${project}" to ${out} (${format})\n`);
  }
  return 0;
}

function exportFormat(value: string | undefined, out: string | undefined): DocumentFormat {
  if (value !== undefined) {
    if (value !== 'json' && value !== 'yaml') throw new UsageError(`--format must be json or yaml, not ${JSON.stringify(value)}`, 'export');
    return value;
  }
  return out !== undefined && /\.ya?ml$/i.test(out) ? 'yaml' : 'json';
}

