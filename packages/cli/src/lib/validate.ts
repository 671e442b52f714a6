import { AvsbEngine } from '@avsb/engine';
import { type Problem, parseDocumentText } from './document';

export type DocumentKind = 'datafile' | 'project';

/** Everything `avsb validate` found in one document. */
export interface ValidationReport {
  /** What the document was taken for; `null` when it is neither. */
  readonly kind: DocumentKind | null;
  /** Every problem, in document order, each with its JSON path. Empty when valid. */
  readonly problems: Problem[];
  /** One line: what the document holds (when valid) or how many problems it has. */
  readonly summary: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A single engine for every check of a run: loading is cheap, instantiating less so. */
let sharedEngine: Promise<AvsbEngine> | undefined;
function engine(): Promise<AvsbEngine> {
  sharedEngine ??= AvsbEngine.create();
  return sharedEngine;
}

/** Splits the engine's "path: message" (the path never contains ": "). */
export function splitEngineError(error: string): Problem {
  const at = error.indexOf(': ');
  return at < 0 ? { path: '(document)', message: error } : { path: error.slice(0, at), message: error.slice(at + 2) };
}

/**
 * Validates a datafile (SPEC.md) or a project document (ADMIN-API.md) given
 * as JSON or YAML text. The engine stops at the first problem, so every flag,
 * segment and rule is checked on its own, then the whole (for duplicate keys
 * and cycles), removing each culprit to find the next one.
 */
export async function validateText(text: string, filename?: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const parsed = parseDocumentText(text, filename);
  if (!parsed.ok) return report(null, parsed.problems, '');
  return validateValue(parsed.value, options);
}

/** Options of {@link validateText} and {@link validateValue}. */
export interface ValidateOptions {
  /** Called after each flag is checked, with the count so far and the total of the document. */
  readonly onProgress?: (flagsChecked: number, flagsTotal: number) => void;
}

/** Counts checked flags across environments for `onProgress`. */
class Progress {
  private _done = 0;
  constructor(
    private readonly _total: number,
    private readonly _callback?: (done: number, total: number) => void,
  ) {}
  tick(): void {
    this._done += 1;
    this._callback?.(this._done, this._total);
  }
}

/** `validateText` for an already parsed value. */
export async function validateValue(value: unknown, options: ValidateOptions = {}): Promise<ValidationReport> {
  const eng = await engine();
  if (!isObject(value)) {
    return report(null, [{ path: '(document)', message: 'must be an object: a datafile or a project document' }], '');
  }
  if (!('schemaVersion' in value) && ('environments' in value || ('key' in value && !('flags' in value)))) {
    const envs = Array.isArray(value.environments) ? value.environments.filter(isObject) : [];
    const flags = envs.reduce((n, e) => n + (Array.isArray(e.flags) ? e.flags.length : 0), 0);
    const problems = checkProject(eng, value, new Progress(flags, options.onProgress));
    const segments = envs.reduce((n, e) => n + (Array.isArray(e.segments) ? e.segments.length : 0), 0);
    return report(
      'project',
      problems,
      `project ${JSON.stringify(value.key)}: ${plural(envs.length, 'environment')}, ${plural(flags, 'flag')}, ${plural(segments, 'segment')}`,
    );
  }
  if ('schemaVersion' in value || 'flags' in value) {
    const flags = Array.isArray(value.flags) ? value.flags.length : 0;
    const problems = checkDatafile(eng, value, '', false, new Progress(flags, options.onProgress));
    const segments = Array.isArray(value.segments) ? value.segments.length : 0;
    const revision = typeof value.revision === 'number' ? `, revision ${value.revision}` : '';
    return report('datafile', problems, `datafile: ${plural(flags, 'flag')}, ${plural(segments, 'segment')}${revision}`);
  }
  return report(
    null,
    [{ path: '(document)', message: 'neither a datafile (no "schemaVersion") nor a project document (no "environments")' }],
    '',
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function report(kind: DocumentKind | null, problems: Problem[], validSummary: string): ValidationReport {
  const unique = dedupe(problems).sort(comparePaths);
  const summary = unique.length === 0 ? `valid ${validSummary}` : `${plural(unique.length, 'problem')}`;
  return { kind, problems: unique, summary };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.path}\u0000${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Document order: compares paths token by token, array indexes numerically. */
function comparePaths(a: Problem, b: Problem): number {
  const ta = a.path.match(/\d+|[^\d]+/g) ?? [];
  const tb = b.path.match(/\d+|[^\d]+/g) ?? [];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}

// ---------------------------------------------------------------------------
// Datafiles

/** Rewrites `flags[i]` / `segments[j]` in an engine message to the document's own indexes. */
function remap(error: string, flagIndex: number[], segmentIndex: number[], prefix: string): Problem {
  const mapped = error.replace(/\b(flags|segments)\[(\d+)\]/g, (whole, array: string, n: string) => {
    const table = array === 'flags' ? flagIndex : segmentIndex;
    const original = table[Number(n)];
    return original === undefined ? whole : `${array}[${original}]`;
  });
  const problem = splitEngineError(mapped);
  return prefix ? { path: problem.path === '(document)' ? prefix.replace(/\.$/, '') : `${prefix}${problem.path}`, message: problem.message } : problem;
}

/**
 * Loads a datafile; the engine's error, its first warning (a problem SDKs
 * work around but a document must not have) or null.
 */
function loadError(eng: AvsbEngine, datafile: Json): string | null {
  const result = eng.load(datafile);
  if (!result.ok) return result.error;
  const warning = result.warnings[0];
  return warning === undefined ? null : `${warning.path}: ${warning.message}`;
}

/** The index of the leading `flags[k]` / `segments[k]` of an engine error path. */
function culprit(error: string): { array: 'flags' | 'segments'; index: number } | null {
  const m = /^(flags|segments)\[(\d+)\]/.exec(error);
  return m ? { array: m[1] as 'flags' | 'segments', index: Number(m[2]) } : null;
}

/** A member that is a safe stand-in for a broken top-level member. */
function repairTopLevel(doc: Json, member: string): boolean {
  if (member === 'schemaVersion') doc.schemaVersion = 1;
  else if (member === 'flags') doc.flags = [];
  else if (member === 'segments') doc.segments = [];
  else if (member in doc) delete doc[member];
  else return false;
  return true;
}

/**
 * Every problem of one datafile-shaped object. `prefix` is prepended to every
 * path (`environments[0].` for a project document); `inProject` skips the
 * members a project document does not have (`schemaVersion`, `revision`).
 */
function checkDatafile(eng: AvsbEngine, doc: Json, prefix: string, inProject: boolean, progress: Progress): Problem[] {
  const problems: Problem[] = [];
  const flags: unknown[] = Array.isArray(doc.flags) ? doc.flags : [];
  const segments: unknown[] = Array.isArray(doc.segments) ? doc.segments : [];

  // 1. Top-level members, one repair at a time.
  const top: Json = inProject
    ? { schemaVersion: 1, flags: doc.flags ?? [], segments: doc.segments }
    : { ...doc };
  if (Array.isArray(top.flags)) top.flags = [];
  if (Array.isArray(top.segments)) top.segments = [];
  for (let attempt = 0; attempt < 8; attempt++) {
    const error = loadError(eng, top);
    if (error === null) break;
    const problem = splitEngineError(error);
    problems.push(prefixed(problem, prefix));
    const member = /^[A-Za-z_$][\w$]*/.exec(problem.path)?.[0];
    if (!member || !repairTopLevel(top, member)) break;
  }

  // 2. Each segment alone (and each of its rules alone), then the good ones together.
  const goodSegments: number[] = [];
  segments.forEach((segment, j) => {
    const found = checkItem(eng, 'segments', segment, j, [], prefix);
    if (found.length === 0) goodSegments.push(j);
    else problems.push(...found);
  });
  const segmentSet = together(eng, [], goodSegments, flags, segments, prefix, problems).segments;

  // 3. Each flag alone with the segments that load together.
  const goodFlags: number[] = [];
  flags.forEach((flag, i) => {
    const found = checkItem(eng, 'flags', flag, i, segmentSet.map((j) => segments[j]), prefix, segmentSet);
    if (found.length === 0) goodFlags.push(i);
    else problems.push(...found);
    progress.tick();
  });

  // 4. Duplicate keys among all items (the engine sees only the good ones
  // together), then the good flags and segments together: prerequisite and
  // segment cycles. Same wording as the engine, so the two dedupe.
  problems.push(...duplicateKeys('flags', flags, prefix), ...duplicateKeys('segments', segments, prefix));
  together(eng, goodFlags, segmentSet, flags, segments, prefix, problems);

  // 5. Safety net: the whole document as the engine sees it.
  if (problems.length === 0 && !inProject) {
    const error = loadError(eng, doc);
    if (error !== null) problems.push(prefixed(splitEngineError(error), prefix));
  } else if (problems.length === 0) {
    const error = loadError(eng, { schemaVersion: 1, flags, segments });
    if (error !== null) problems.push(prefixed(splitEngineError(error), prefix));
  }
  return problems;
}

function duplicateKeys(array: 'flags' | 'segments', items: unknown[], prefix: string): Problem[] {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  items.forEach((item, i) => {
    if (!isObject(item) || typeof item.key !== 'string') return;
    const earlier = first.get(item.key);
    if (earlier === undefined) first.set(item.key, i);
    else problems.push({ path: `${prefix}${array}[${i}].key`, message: `duplicate key ${JSON.stringify(item.key)} (also at ${array}[${earlier}])` });
  });
  return problems;
}

function prefixed(problem: Problem, prefix: string): Problem {
  return prefix ? { path: `${prefix}${problem.path}`, message: problem.message } : problem;
}

/**
 * Loads the given flags and segments together, records each error and drops
 * its culprit until the rest loads. Returns the indexes that load together.
 */
function together(
  eng: AvsbEngine,
  flagIdx: number[],
  segmentIdx: number[],
  flags: unknown[],
  segments: unknown[],
  prefix: string,
  problems: Problem[],
): { flags: number[]; segments: number[] } {
  let fi = [...flagIdx];
  let si = [...segmentIdx];
  for (let attempt = 0; attempt <= fi.length + si.length; attempt++) {
    const error = loadError(eng, { schemaVersion: 1, flags: fi.map((i) => flags[i]), segments: si.map((j) => segments[j]) });
    if (error === null) break;
    problems.push(remap(error, fi, si, prefix));
    const who = culprit(error);
    if (!who) break;
    if (who.array === 'flags') fi = fi.filter((_, k) => k !== who.index);
    else si = si.filter((_, k) => k !== who.index);
  }
  return { flags: fi, segments: si };
}

/**
 * One flag (with the given segments) or one segment alone. When it fails and
 * its shell (without rules) loads, each rule is tried alone so that every
 * broken rule is reported.
 */
function checkItem(
  eng: AvsbEngine,
  array: 'flags' | 'segments',
  item: unknown,
  index: number,
  withSegments: unknown[],
  prefix: string,
  segmentIndex: number[] = [],
): Problem[] {
  const load = (candidate: unknown) =>
    loadError(eng, array === 'flags' ? { schemaVersion: 1, flags: [candidate], segments: withSegments } : { schemaVersion: 1, flags: [], segments: [candidate] });
  const flagIndex = array === 'flags' ? [index] : [];
  const segIndex = array === 'flags' ? segmentIndex : [index];
  const error = load(item);
  if (error === null) return [];
  const whole = remap(error, flagIndex, segIndex, prefix);
  if (!isObject(item) || !Array.isArray(item.rules) || item.rules.length === 0) return [whole];
  const shellError = load({ ...item, rules: [] });
  if (shellError !== null) return [whole, remap(shellError, flagIndex, segIndex, prefix)];
  const found: Problem[] = [];
  item.rules.forEach((rule, k) => {
    const ruleError = load({ ...item, rules: [rule] });
    if (ruleError === null) return;
    const head = `${array}[0].rules[0]`;
    const text = ruleError.startsWith(head) ? `${array}[0].rules[${k}]${ruleError.slice(head.length)}` : ruleError;
    found.push(remap(text, flagIndex, segIndex, prefix));
  });
  return found.length > 0 ? found : [whole];
}

// ---------------------------------------------------------------------------
// Project documents (ADMIN-API.md)

/** Project and environment keys, as the server checks them. */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY_RULE = 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit';

function checkProject(eng: AvsbEngine, doc: Json, progress: Progress): Problem[] {
  const problems: Problem[] = [];
  const key = (path: string, value: unknown) => {
    if (value === undefined) problems.push({ path, message: `is required (${KEY_RULE.replace(/^must be /, '')})` });
    else if (typeof value !== 'string' || !KEY_PATTERN.test(value)) problems.push({ path, message: KEY_RULE });
  };
  const name = (path: string, value: unknown) => {
    if (value !== undefined && value !== null && typeof value !== 'string') problems.push({ path, message: 'must be a string' });
  };
  key('key', doc.key);
  name('name', doc.name);
  if (doc.environments === undefined || doc.environments === null) return problems;
  if (!Array.isArray(doc.environments)) {
    problems.push({ path: 'environments', message: 'must be an array' });
    return problems;
  }
  const seen = new Map<string, number>();
  doc.environments.forEach((env: unknown, i) => {
    const at = `environments[${i}]`;
    if (!isObject(env)) {
      problems.push({ path: at, message: 'must be an object with key, name, flags and segments' });
      return;
    }
    key(`${at}.key`, env.key);
    name(`${at}.name`, env.name);
    if (typeof env.key === 'string') {
      const first = seen.get(env.key);
      if (first !== undefined) problems.push({ path: `${at}.key`, message: `duplicate environment "${env.key}" (also at environments[${first}])` });
      else seen.set(env.key, i);
    }
    const lists: Json = { flags: env.flags ?? [], segments: env.segments ?? [] };
    for (const array of ['flags', 'segments'] as const) {
      const items = lists[array];
      if (!Array.isArray(items)) continue;
      items.forEach((item, k) => {
        if (!isObject(item)) return; // the engine reports it
        for (const member of ['name', 'description'] as const) {
          if (item[member] !== undefined && typeof item[member] !== 'string') {
            problems.push({ path: `${at}.${array}[${k}].${member}`, message: 'must be a string' });
          }
        }
      });
    }
    problems.push(...checkDatafile(eng, lists, `${at}.`, true, progress));
  });
  return problems;
}
