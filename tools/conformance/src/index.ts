/**
 * Conformance vectors for the A vs B rules engine (packages/engine/SPEC.md)
 * and a runner any JavaScript host can plug into a test framework with a
 * vitest/jest-like `describe` / `it.each` / `expect`.
 *
 * The vectors themselves are the JSON files in ../cases; README.md documents
 * their format for hosts in other languages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The only vector format version this runner understands. */
export const SPEC_VERSION = 1;

/** Absolute path of the `cases` directory. */
export const CASES_DIR: string = fileURLToPath(new URL('../cases/', import.meta.url));

export const REASON_KINDS = ['OFF', 'TARGET_MATCH', 'RULE_MATCH', 'PREREQUISITE_FAILED', 'FALLTHROUGH', 'ERROR'] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

/** The reason members each kind carries (besides `kind`). */
export const REASON_MEMBERS: Readonly<Record<ReasonKind, readonly string[]>> = {
  OFF: [],
  TARGET_MATCH: [],
  RULE_MATCH: ['ruleIndex', 'ruleId'],
  PREREQUISITE_FAILED: ['prerequisiteIndex', 'prerequisiteKey'],
  FALLTHROUGH: [],
  ERROR: ['errorKind'],
};

export interface EvaluationResult {
  /** The served variation's value; `null` when no variation is served. */
  value: unknown;
  /** The served variation index; `null` when none is served (offVariation null, errors). */
  variation: number | null;
  reason: Record<string, unknown>;
  inExperiment: boolean;
}

/**
 * What a host's `evaluate` may return: the vectors' shape, or the same with the index named `variationIndex` (the
 * engine's `EvaluationDetail`), so that a host returns its own result as it is. {@link normalizeResult} maps both.
 */
export type HostResult = Omit<EvaluationResult, 'variation'> & ({ variation: number | null } | { variationIndex: number | null });

/** A problem inside a datafile that loads anyway (SPEC.md §1): JSON path and message. */
export interface LoadWarning {
  path: string;
  message: string;
}

/** What a host's `load` may answer instead of `string | null`: the error, or the warnings of a successful load. */
export interface LoadOutcome {
  error: string | null;
  warnings: readonly LoadWarning[];
}

export interface ConformanceHost {
  /**
   * Loads a datafile (an object, or raw JSON text to pass as is). Returns
   * null on success, else the error message; or a LoadOutcome, which also
   * carries the warnings of a successful load (required for
   * datafile-warnings.json).
   */
  load(datafile: unknown | string): string | null | LoadOutcome | Promise<string | null | LoadOutcome>;
  /**
   * Evaluates one flag for one context (an object, or raw JSON text to pass
   * as is). For an invalid context, throw an Error or return its message.
   * A result may name the index `variationIndex` instead of `variation`
   * ({@link HostResult}).
   */
  evaluate(
    context: unknown | string,
    flagKey: string,
  ): HostResult | string | Promise<HostResult | string>;
  /** Optional: SPEC §9 bucket of `value` with `salt`; enables the bucketing.json section. */
  bucket?(salt: string, value: string): number | Promise<number>;
}

/** `[name, context, flagKey, expected]`. A string context is raw JSON text. */
export type EvaluationCase = [name: string, context: unknown, flagKey: string, expected: EvaluationResult];
/** `[name, datafile, expected, words?]`. A string datafile is raw JSON text; `expected` null = must load. */
export type InvalidDatafileCase =
  | [name: string, datafile: unknown, expected: string | null]
  | [name: string, datafile: unknown, expected: string | null, words: string[]];
/** `[context, flagKey, expected]`: one evaluation after a datafile with warnings loaded. */
export type WarningEvaluation = [context: unknown, flagKey: string, expected: EvaluationResult];
/** `[name, datafile, expected, words, evaluations]`: the datafile loads with a warning containing `expected` and `words`. */
export type DatafileWarningCase = [name: string, datafile: unknown, expected: string, words: string[], evaluations: WarningEvaluation[]];
/** `[name, context, expected, words?]`. A string context is raw JSON text. */
export type InvalidContextCase =
  | [name: string, context: unknown, expected: string]
  | [name: string, context: unknown, expected: string, words: string[]];
/** `[name, salt, value, hashAsUnsigned32, bucket]`. */
export type BucketingVector = [name: string, salt: string, value: string, hash: number, bucket: number];

interface FileBase {
  /** File name inside cases/, e.g. `rules.json`. */
  file: string;
  specVersion: number;
  description: string;
}
export interface EvaluationFile extends FileBase {
  type: 'evaluation';
  datafile: unknown;
  cases: EvaluationCase[];
}
export interface InvalidDatafilesFile extends FileBase {
  type: 'invalid-datafiles';
  cases: InvalidDatafileCase[];
}
export interface DatafileWarningsFile extends FileBase {
  type: 'datafile-warnings';
  cases: DatafileWarningCase[];
}
export interface InvalidContextsFile extends FileBase {
  type: 'invalid-contexts';
  datafile: unknown;
  flagKey: string;
  cases: InvalidContextCase[];
}
export interface BucketingFile extends FileBase {
  type: 'bucketing';
  vectors: BucketingVector[];
}
export type CaseFile = EvaluationFile | InvalidDatafilesFile | DatafileWarningsFile | InvalidContextsFile | BucketingFile;

/** The file type follows from the file name; every other file holds evaluation cases. */
export function caseFileType(fileName: string): CaseFile['type'] {
  if (fileName === 'bucketing.json') return 'bucketing';
  if (fileName === 'invalid-datafiles.json') return 'invalid-datafiles';
  if (fileName === 'datafile-warnings.json') return 'datafile-warnings';
  if (fileName === 'invalid-contexts.json') return 'invalid-contexts';
  return 'evaluation';
}

/** Reads every `cases/*.json` (sorted by name). */
export function loadCaseFiles(dir: string = CASES_DIR): CaseFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      if (data.specVersion !== SPEC_VERSION) {
        throw new Error(`${file}: specVersion ${String(data.specVersion)} is not supported (runner knows ${SPEC_VERSION})`);
      }
      return { ...data, file, type: caseFileType(file) } as CaseFile;
    });
}

/** Reduces a host's result ({@link HostResult}, or anything) to the compared shape (README, "Evaluation files"). */
export function normalizeResult(actual: unknown): EvaluationResult {
  const a = (actual ?? {}) as Record<string, unknown>;
  const rawReason = (a.reason ?? {}) as Record<string, unknown>;
  const kind = rawReason.kind as ReasonKind;
  const reason: Record<string, unknown> = { kind };
  for (const m of REASON_MEMBERS[kind] ?? []) {
    const v = rawReason[m];
    if (v !== undefined) reason[m] = v;
    else if (m === 'ruleId') reason[m] = null;
  }
  const variation = 'variation' in a ? a.variation : a.variationIndex;
  return {
    value: a.value === undefined ? null : a.value,
    variation: variation === undefined ? null : (variation as number | null),
    reason,
    inExperiment: a.inExperiment === true,
  };
}

// Structural types, so any vitest/jest-like framework fits.
/* eslint-disable @typescript-eslint/no-explicit-any */
interface EachIt {
  (name: string, fn: () => any): unknown;
  each(table: readonly any[]): (name: string, fn: (...args: any[]) => any) => unknown;
}
export interface TestApi {
  describe(name: string, fn: () => void): unknown;
  it: EachIt;
  expect: (actual: unknown, message?: string) => any;
}

export interface RunOptions {
  /** Files to run; default: loadCaseFiles(). */
  files?: CaseFile[];
  /** Return false to leave a case out (e.g. a known, reported disagreement). */
  filter?: (file: string, caseName: string) => boolean;
}

/** A host's load answer as an outcome; `warnings` is null when the host does not report them. */
function outcomeOf(answer: string | null | LoadOutcome): { error: string | null; warnings: readonly LoadWarning[] | null } {
  if (answer === null || typeof answer === 'string') return { error: answer, warnings: null };
  return answer;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Registers one `describe` per vector file and one `it.each` per section
 * (`cases` or `vectors`); a file left with nothing to run (all filtered out,
 * or bucketing.json for a host without `bucket`) registers nothing. Hosts
 * run in file order; an evaluation file's datafile is loaded before its first
 * case (and again after another file loaded something else).
 */
export function runConformance(host: ConformanceHost, t: TestApi, options: RunOptions = {}): void {
  const { describe, it, expect } = t;
  const files = options.files ?? loadCaseFiles();
  const keep = options.filter ?? (() => true);
  let loaded: CaseFile | null = null;

  async function ensureLoaded(file: EvaluationFile | InvalidContextsFile): Promise<void> {
    if (loaded === file) return;
    loaded = null;
    const { error, warnings } = outcomeOf(await host.load(file.datafile));
    if (error !== null) throw new Error(`${file.file}: the file's datafile must load, but: ${error}`);
    if (warnings !== null && warnings.length > 0) {
      throw new Error(`${file.file}: the file's datafile must load without warnings, but: ${JSON.stringify(warnings)}`);
    }
    loaded = file;
  }

  async function rejection(context: unknown, flagKey: string): Promise<string | null> {
    try {
      const r = await host.evaluate(context, flagKey);
      return typeof r === 'string' ? r : null;
    } catch (e) {
      return messageOf(e);
    }
  }

  function expectMessage(message: string, expected: string, words: string[] | undefined, name: string): void {
    expect(message, `${name}: message must contain ${JSON.stringify(expected)}`).toContain(expected);
    for (const w of words ?? []) {
      expect(message.toLowerCase(), `${name}: message must contain ${JSON.stringify(w)}`).toContain(w.toLowerCase());
    }
  }

  for (const file of files) {
    switch (file.type) {
      case 'evaluation': {
        const cases = file.cases.filter((c) => keep(file.file, c[0]));
        if (cases.length === 0) break;
        describe(file.file, () => {
          it.each(cases.map((c) => [c[0], c]))('%s', async (_name: string, c: EvaluationCase) => {
            const [name, context, flagKey, expected] = c;
            await ensureLoaded(file);
            let actual: HostResult | string;
            try {
              actual = await host.evaluate(context, flagKey);
            } catch (e) {
              actual = messageOf(e);
            }
            if (typeof actual === 'string') {
              throw new Error(`${name}: the context was rejected (${actual}), expected ${JSON.stringify(expected)}`);
            }
            expect(normalizeResult(actual), name).toEqual(expected);
          });
        });
        break;
      }
      case 'invalid-datafiles': {
        const cases = file.cases.filter((c) => keep(file.file, c[0]));
        if (cases.length === 0) break;
        describe(file.file, () => {
          it.each(cases.map((c) => [c[0], c]))('%s', async (_name: string, c: InvalidDatafileCase) => {
            const [name, datafile, expected, words] = c;
            loaded = null;
            const { error, warnings } = outcomeOf(await host.load(datafile));
            if (expected === null) {
              expect(error, `${name}: must load`).toBeNull();
              if (warnings !== null) expect(warnings, `${name}: must load without warnings`).toEqual([]);
            } else {
              expect(error, `${name}: must be rejected`).not.toBeNull();
              expectMessage(error as string, expected, words, name);
            }
          });
        });
        break;
      }
      case 'datafile-warnings': {
        const cases = file.cases.filter((c) => keep(file.file, c[0]));
        if (cases.length === 0) break;
        describe(file.file, () => {
          it.each(cases.map((c) => [c[0], c]))('%s', async (_name: string, c: DatafileWarningCase) => {
            const [name, datafile, expected, words, evaluations] = c;
            loaded = null;
            const { error, warnings } = outcomeOf(await host.load(datafile));
            expect(error, `${name}: must load (with warnings)`).toBeNull();
            if (warnings === null) throw new Error(`${name}: the host's load must report warnings (return a LoadOutcome)`);
            const lines = warnings.map((w) => `${w.path}: ${w.message}`);
            const hit = lines.find((l) => l.includes(expected) && (words ?? []).every((w) => l.toLowerCase().includes(w.toLowerCase())));
            expect(hit, `${name}: a warning must contain ${JSON.stringify(expected)} and ${JSON.stringify(words)}, got ${JSON.stringify(lines)}`).toBeDefined();
            for (const [context, flagKey, want] of evaluations) {
              const actual = await host.evaluate(context, flagKey);
              if (typeof actual === 'string') throw new Error(`${name}: the context was rejected (${actual})`);
              expect(normalizeResult(actual), `${name}: ${flagKey} for ${JSON.stringify(context)}`).toEqual(want);
            }
          });
        });
        break;
      }
      case 'invalid-contexts': {
        const cases = file.cases.filter((c) => keep(file.file, c[0]));
        if (cases.length === 0) break;
        describe(file.file, () => {
          it.each(cases.map((c) => [c[0], c]))('%s', async (_name: string, c: InvalidContextCase) => {
            const [name, context, expected, words] = c;
            await ensureLoaded(file);
            const message = await rejection(context, file.flagKey);
            expect(message, `${name}: the context must be rejected`).not.toBeNull();
            expectMessage(message as string, expected, words, name);
          });
        });
        break;
      }
      case 'bucketing': {
        const bucket = host.bucket?.bind(host);
        const vectors = file.vectors.filter((v) => keep(file.file, v[0]));
        // Hosts without a bucket() hook skip this file: rollouts.json and
        // experiments.json test the same hashing through evaluation.
        if (!bucket || vectors.length === 0) break;
        describe(file.file, () => {
          it.each(vectors.map((v) => [v[0], v]))('%s', async (_name: string, v: BucketingVector) => {
            const [name, salt, value, , expected] = v;
            expect(await bucket(salt, value), name).toBe(expected);
          });
        });
        break;
      }
    }
  }
}
