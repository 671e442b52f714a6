// Self-check of the vector files' own shape, of the generated files being up
// to date, and of murmur3 against published test vectors. Needs no engine.
import { describe, it, expect } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CASES_DIR,
  REASON_KINDS,
  REASON_MEMBERS,
  loadCaseFiles,
  type CaseFile,
  type EvaluationFile,
  type ReasonKind,
} from './index';
import { murmur3_x86_32, bucketOf, PUBLISHED_MURMUR3_VECTORS } from './murmur3';
import { buildBucketingFiles } from './bucketing-cases';

const files = loadCaseFiles();
const byName = new Map(files.map((f) => [f.file, f]));
const evaluationFiles = files.filter((f): f is EvaluationFile => f.type === 'evaluation');

const REQUIRED = [
  'operators-in.json', 'operators-string.json', 'operators-regex.json', 'operators-number.json',
  'operators-date.json', 'operators-semver.json', 'decisions.json', 'attributes.json', 'targets.json',
  'rules.json', 'prerequisites.json', 'segments.json', 'multi-kind.json', 'rollouts.json',
  'experiments.json', 'off.json', 'bucketing.json', 'invalid-datafiles.json', 'invalid-contexts.json',
  'datafile-warnings.json',
];

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkUniqueNames(rows: unknown[][]): void {
  const seen = new Set<string>();
  for (const row of rows) {
    const name = row[0];
    expect(typeof name === 'string' && name.length > 0, `name ${JSON.stringify(name)}`).toBe(true);
    expect(seen.has(name as string), `duplicate name ${JSON.stringify(name)}`).toBe(false);
    seen.add(name as string);
  }
}

function parseMaybeRaw(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

describe('murmur3_x86_32', () => {
  it.each(PUBLISHED_MURMUR3_VECTORS.map((v) => [JSON.stringify(v[0]), v[1], v[2], v[0]] as const))(
    'published vector %s seed %i',
    (_label, seed, expected, input) => {
      const bytes = typeof input === 'string' ? input : new Uint8Array(input);
      expect(murmur3_x86_32(bytes, seed)).toBe(expected);
    },
  );
  it('the brief\'s three vectors', () => {
    expect(murmur3_x86_32('', 0)).toBe(0);
    expect(murmur3_x86_32('hello', 0)).toBe(0x248bfa47);
    expect(murmur3_x86_32('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723);
  });
  it('buckets stay in [0, 100000) at the extremes of the hash', () => {
    expect(Math.floor((0xffffffff * 100000) / 2 ** 32)).toBe(99999);
    expect(bucketOf('', '').bucket).toBe(Math.floor((murmur3_x86_32(':') * 100000) / 2 ** 32));
  });
});

describe('vector files', () => {
  it('every required file exists', () => {
    for (const f of REQUIRED) expect(byName.has(f), f).toBe(true);
  });

  it('every file has specVersion 1 and a description', () => {
    for (const f of files) {
      expect(f.specVersion, f.file).toBe(1);
      expect(typeof f.description === 'string' && f.description.length > 20, f.file).toBe(true);
    }
  });

  it('at least 400 evaluation cases in total', () => {
    const total = evaluationFiles.reduce((n, f) => n + f.cases.length, 0);
    expect(total).toBeGreaterThanOrEqual(400);
  });

  it('decisions.json covers each of the five decisions with several cases', () => {
    const f = byName.get('decisions.json') as EvaluationFile;
    for (const d of ['1:', '2:', '3:', '4:', '5:']) {
      expect(f.cases.filter((c) => c[0].startsWith(d)).length, d).toBeGreaterThanOrEqual(3);
    }
  });

  describe.each(evaluationFiles.map((f) => [f.file, f] as const))('%s', (_name, file) => {
    const df = parseMaybeRaw(file.datafile) as Obj;
    const flags = new Map<string, Obj>((df.flags as Obj[]).map((f) => [f.key as string, f]));

    it('has a datafile with schemaVersion 1 and unique flag keys', () => {
      expect(df.schemaVersion).toBe(1);
      expect(Array.isArray(df.flags)).toBe(true);
      expect(flags.size).toBe((df.flags as unknown[]).length);
    });

    it('has cases of 4 entries with unique names', () => {
      expect(file.cases.length).toBeGreaterThan(0);
      for (const c of file.cases) expect(c.length, c[0]).toBe(4);
      checkUniqueNames(file.cases);
    });

    it('has contexts that are objects or raw JSON text of an object', () => {
      for (const [name, ctx] of file.cases) expect(isObj(parseMaybeRaw(ctx)), name).toBe(true);
    });

    it('has flag keys that exist in the datafile (except FLAG_NOT_FOUND cases)', () => {
      for (const [name, , key, exp] of file.cases) {
        const notFound = exp.reason.kind === 'ERROR' && exp.reason.errorKind === 'FLAG_NOT_FOUND';
        expect(flags.has(key), `${name}: flag ${JSON.stringify(key)}`).toBe(!notFound);
      }
    });

    it('has expectations consistent with the datafile', () => {
      for (const [name, , key, exp] of file.cases) {
        expect(Object.keys(exp).sort(), name).toEqual(['inExperiment', 'reason', 'value', 'variation']);
        expect(typeof exp.inExperiment, name).toBe('boolean');
        const kind = exp.reason.kind as ReasonKind;
        expect(REASON_KINDS, name).toContain(kind);
        expect(Object.keys(exp.reason).sort(), name).toEqual(['kind', ...REASON_MEMBERS[kind]].sort());
        const flag = flags.get(key);
        if (exp.variation === null) {
          expect(exp.value, name).toBeNull();
          expect(exp.inExperiment, name).toBe(false);
        } else {
          expect(Number.isInteger(exp.variation), name).toBe(true);
          expect(isDeepStrictEqual(exp.value, flag!.variations[exp.variation]), `${name}: value is variations[${exp.variation}]`).toBe(true);
        }
        if (kind === 'OFF') expect(flag!.on, name).toBe(false);
        else if (kind !== 'ERROR') expect(flag!.on, name).toBe(true);
        if (kind === 'OFF' || kind === 'PREREQUISITE_FAILED') {
          expect(exp.variation, `${name}: offVariation`).toBe(flag!.offVariation ?? null);
        }
        if (kind === 'RULE_MATCH') {
          const rule = (flag!.rules as Obj[])[exp.reason.ruleIndex as number];
          expect(rule, `${name}: rule ${String(exp.reason.ruleIndex)}`).toBeDefined();
          expect(exp.reason.ruleId, name).toBe(rule!.id ?? null);
        }
        if (kind === 'PREREQUISITE_FAILED') {
          const p = (flag!.prerequisites as Obj[])[exp.reason.prerequisiteIndex as number];
          expect(p?.key, name).toBe(exp.reason.prerequisiteKey);
        }
        if (kind === 'ERROR') expect(exp.variation, name).toBeNull();
      }
    });
  });

  it('invalid-datafiles.json: at least 25 rejections, well-formed rows', () => {
    const f = byName.get('invalid-datafiles.json') as Extract<CaseFile, { type: 'invalid-datafiles' }>;
    checkUniqueNames(f.cases);
    for (const c of f.cases) {
      expect([3, 4], c[0]).toContain(c.length);
      expect(c[2] === null || (typeof c[2] === 'string' && c[2].length > 0), c[0]).toBe(true);
      if (c.length === 4) expect(Array.isArray(c[3]) && c[3].every((w) => typeof w === 'string'), c[0]).toBe(true);
    }
    expect(f.cases.filter((c) => c[2] !== null).length).toBeGreaterThanOrEqual(25);
  });

  it('datafile-warnings.json: at least 100 cases, well-formed rows, evaluations of flags the datafile has', () => {
    const f = byName.get('datafile-warnings.json') as Extract<CaseFile, { type: 'datafile-warnings' }>;
    checkUniqueNames(f.cases);
    for (const c of f.cases) {
      expect(c.length, c[0]).toBe(5);
      expect(typeof c[2] === 'string' && c[2].length > 0, c[0]).toBe(true);
      expect(Array.isArray(c[3]) && c[3].every((w) => typeof w === 'string'), c[0]).toBe(true);
      expect(c[4].length, `${c[0]}: evaluations`).toBeGreaterThan(0);
      const keys = new Set(((parseMaybeRaw(c[1]) as Obj).flags as Obj[]).map((fl) => fl.key));
      for (const [, flagKey, exp] of c[4]) {
        expect(keys.has(flagKey), `${c[0]}: ${flagKey}`).toBe(true);
        expect(Object.keys(exp).sort(), c[0]).toEqual(['inExperiment', 'reason', 'value', 'variation']);
      }
    }
    expect(f.cases.length).toBeGreaterThanOrEqual(100);
  });

  it('invalid-contexts.json: at least 20 rejections, well-formed rows, a loadable datafile', () => {
    const f = byName.get('invalid-contexts.json') as Extract<CaseFile, { type: 'invalid-contexts' }>;
    checkUniqueNames(f.cases);
    for (const c of f.cases) {
      expect([3, 4], c[0]).toContain(c.length);
      expect(typeof c[2] === 'string' && c[2].length > 0, c[0]).toBe(true);
    }
    expect(f.cases.length).toBeGreaterThanOrEqual(20);
    const flags = (parseMaybeRaw(f.datafile) as Obj).flags as Obj[];
    expect(flags.some((fl) => fl.key === f.flagKey)).toBe(true);
  });

  it('bucketing.json: at least 60 vectors that murmur3 reproduces, incl. empty and non-ASCII values', () => {
    const f = byName.get('bucketing.json') as Extract<CaseFile, { type: 'bucketing' }>;
    checkUniqueNames(f.vectors);
    expect(f.vectors.length).toBeGreaterThanOrEqual(60);
    for (const [name, salt, value, hash, bucket] of f.vectors) {
      expect(murmur3_x86_32(`${salt}:${value}`), name).toBe(hash);
      expect(Math.floor((hash * 100000) / 2 ** 32), name).toBe(bucket);
    }
    expect(f.vectors.some((v) => v[2] === '')).toBe(true);
    expect(f.vectors.some((v) => /[^\x00-\x7f]/.test(v[2]))).toBe(true);
  });

  it('generated files are up to date (run `pnpm --filter @avsb/conformance generate`)', () => {
    for (const [name, content] of Object.entries(buildBucketingFiles())) {
      const onDisk = JSON.parse(readFileSync(join(CASES_DIR, name), 'utf8'));
      expect(isDeepStrictEqual(onDisk, JSON.parse(JSON.stringify(content))), name).toBe(true);
    }
    // regenerating every vector takes seconds when the whole suite shares two cores
  }, 60_000);
});
