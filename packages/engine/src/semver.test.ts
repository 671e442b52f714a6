import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Tests for assembly/ops/semver.ts through assembly/test-exports/semver-datetime.ts.

const engineDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface Exports {
  memory: WebAssembly.Memory;
  test_sd_scratch(len: number): number;
  test_semver_valid(ptr: number, len: number): number;
  test_semver_compare(aPtr: number, aLen: number, bPtr: number, bLen: number): number;
  test_semver_major(): number;
  test_semver_minor(): number;
  test_semver_patch(): number;
  test_semver_pre_ptr(): number;
  test_semver_pre_len(): number;
}

let ex: Exports;
let outDir: string;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

beforeAll(() => {
  // Each test file compiles into its own temporary directory, so files run in
  // parallel never read a wasm another worker is still writing.
  outDir = mkdtempSync(join(tmpdir(), "avsb-semver-"));
  const out = join(outDir, "semver-datetime.test.wasm");
  execFileSync(
    "npx",
    ["asc", "assembly/test-exports/semver-datetime.ts", "--target", "test", "-o", out],
    { cwd: engineDir, stdio: "pipe" },
  );
  const module = new WebAssembly.Module(readFileSync(out));
  expect(WebAssembly.Module.imports(module)).toEqual([]);
  ex = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** Writes the strings back to back into the scratch buffer; returns [ptr, len] pairs. */
function write(...strings: string[]): Array<[number, number]> {
  const bytes = strings.map((s) => encoder.encode(s));
  const total = bytes.reduce((n, b) => n + b.length, 0);
  const base = ex.test_sd_scratch(Math.max(total, 1));
  const mem = new Uint8Array(ex.memory.buffer);
  let p = base;
  return bytes.map((b) => {
    mem.set(b, p);
    const r: [number, number] = [p, b.length];
    p += b.length;
    return r;
  });
}

function valid(s: string): boolean {
  const [[p, n]] = write(s) as [[number, number]];
  return ex.test_semver_valid(p, n) === 1;
}

function parsed(s: string): { major: number; minor: number; patch: number; pre: string } | null {
  if (!valid(s)) return null;
  const pre = new Uint8Array(ex.memory.buffer, ex.test_semver_pre_ptr(), ex.test_semver_pre_len());
  return {
    major: ex.test_semver_major(),
    minor: ex.test_semver_minor(),
    patch: ex.test_semver_patch(),
    pre: decoder.decode(pre),
  };
}

function cmp(a: string, b: string): number {
  const [[ap, an], [bp, bn]] = write(a, b) as [[number, number], [number, number]];
  return ex.test_semver_compare(ap, an, bp, bn);
}

describe("semver: precedence", () => {
  it("follows the SemVer 2.0.0 spec's example chain (§11.4)", () => {
    const chain = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
    ];
    for (let i = 0; i < chain.length; i++) {
      for (let j = 0; j < chain.length; j++) {
        const expected = i < j ? -1 : i > j ? 1 : 0;
        expect(cmp(chain[i]!, chain[j]!), `${chain[i]} vs ${chain[j]}`).toBe(expected);
      }
    }
  });

  it("orders major, minor, patch numerically (§11.2)", () => {
    expect(cmp("1.0.0", "2.0.0")).toBe(-1);
    expect(cmp("2.0.0", "2.1.0")).toBe(-1);
    expect(cmp("2.1.0", "2.1.1")).toBe(-1);
    expect(cmp("1.10.0", "1.9.0")).toBe(1);
    expect(cmp("10.0.0", "9.99.99")).toBe(1);
    expect(cmp("1.2.3", "1.2.3")).toBe(0);
  });

  it("ignores build metadata (§10)", () => {
    expect(cmp("1.0.0+build.1", "1.0.0+build.2")).toBe(0);
    expect(cmp("1.0.0+zzz", "1.0.0")).toBe(0);
    expect(cmp("1.0.0-alpha+001", "1.0.0-alpha+exp.sha.5114f85")).toBe(0);
    expect(cmp("1.0.0-alpha+999", "1.0.0-alpha.1+000")).toBe(-1);
    expect(cmp("1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85")).toBe(1);
  });

  it("compares pre-release identifiers as the spec says", () => {
    expect(cmp("1.0.0-1", "1.0.0-a")).toBe(-1); // numeric < alphanumeric
    expect(cmp("1.0.0-999", "1.0.0-0a")).toBe(-1);
    expect(cmp("1.0.0-2", "1.0.0-10")).toBe(-1); // numerically
    expect(cmp("1.0.0-a10", "1.0.0-a2")).toBe(-1); // alphanumeric: ASCII order
    expect(cmp("1.0.0-B", "1.0.0-a")).toBe(-1); // uppercase sorts before lowercase
    expect(cmp("1.0.0--", "1.0.0-0")).toBe(1); // "-" is alphanumeric
    expect(cmp("1.0.0-a.b", "1.0.0-a")).toBe(1); // more identifiers win
    expect(cmp("1.0.0-a.1", "1.0.0-a.1.0")).toBe(-1);
    expect(cmp("1.0.0-alpha", "1.0.0-alphabet")).toBe(-1);
    // Numeric identifiers beyond 2^53 and beyond 64 bits are still exact.
    expect(cmp("1.0.0-99999999999999999999", "1.0.0-9999999999999999999")).toBe(1);
    expect(cmp("1.0.0-18446744073709551617", "1.0.0-18446744073709551616")).toBe(1);
    expect(cmp("1.0.0-9007199254740993", "1.0.0-9007199254740992")).toBe(1);
    expect(cmp("1.0.0-123456789012345678901234567890", "1.0.0-123456789012345678901234567890")).toBe(0);
    expect(cmp("1.0.0-rc.1", "2.0.0-alpha")).toBe(-1);
  });

  it("keeps components exact up to 2^53 - 1", () => {
    expect(cmp("9007199254740991.0.0", "9007199254740990.0.0")).toBe(1);
    expect(cmp("0.9007199254740991.0", "0.9007199254740990.9007199254740991")).toBe(1);
    expect(cmp("0.0.9007199254740991", "0.0.9007199254740991")).toBe(0);
    expect(parsed("9007199254740991.9007199254740991.9007199254740991")).toEqual({
      major: 2 ** 53 - 1,
      minor: 2 ** 53 - 1,
      patch: 2 ** 53 - 1,
      pre: "",
    });
  });

  it("reports which operand is invalid", () => {
    expect(cmp("1.2", "1.2.3.4")).toBe(3);
    expect(cmp("01.2.3", "1.2.3")).toBe(2);
    expect(cmp("x", "y")).toBe(2);
  });
});

describe("semver: accepted forms", () => {
  it("parses components and points the pre-release into the input", () => {
    expect(parsed("1.2.3")).toEqual({ major: 1, minor: 2, patch: 3, pre: "" });
    expect(parsed("1.2.3-rc.1+build.5")).toEqual({ major: 1, minor: 2, patch: 3, pre: "rc.1" });
    expect(parsed("0.0.0-0")).toEqual({ major: 0, minor: 0, patch: 0, pre: "0" });
    expect(parsed("1.0.0+only.build")).toEqual({ major: 1, minor: 0, patch: 0, pre: "" });
  });

  it("is lenient on a missing minor/patch and one leading v/V", () => {
    const same: Array<[string, string]> = [
      ["2", "2.0.0"],
      ["2.0", "2.0.0"],
      ["2.1", "2.1.0"],
      ["2.0-rc.1", "2.0.0-rc.1"],
      ["2-rc.1", "2.0.0-rc.1"],
      ["2+build", "2.0.0"],
      ["2.5+build.7", "2.5.0"],
      ["v2.0.0", "2.0.0"],
      ["V2.0.0", "2.0.0"],
      ["v2", "2.0.0"],
      ["V2.3", "2.3.0"],
      ["v1.0.0-beta.11+sha.1", "1.0.0-beta.11"],
      ["v0", "0.0.0"],
    ];
    for (const [a, b] of same) {
      expect(valid(a), a).toBe(true);
      expect(cmp(a, b), `${a} = ${b}`).toBe(0);
      expect(cmp(b, a), `${b} = ${a}`).toBe(0);
    }
    expect(parsed("v2.0-rc.1")).toEqual({ major: 2, minor: 0, patch: 0, pre: "rc.1" });
    expect(cmp("2", "2.0.1")).toBe(-1);
    expect(cmp("2.1", "2.0.9")).toBe(1);
    expect(cmp("v2-rc.1", "2")).toBe(-1);
  });

  it("accepts the valid strings of semver.org's regex test list (and a few more)", () => {
    const ok = [
      "0.0.4",
      "1.2.3",
      "10.20.30",
      "1.1.2-prerelease+meta",
      "1.1.2+meta",
      "1.1.2+meta-valid",
      "1.0.0-alpha",
      "1.0.0-beta",
      "1.0.0-alpha.beta",
      "1.0.0-alpha.beta.1",
      "1.0.0-alpha.1",
      "1.0.0-alpha0.valid",
      "1.0.0-alpha.0valid",
      "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
      "1.0.0-rc.1+build.1",
      "2.0.0-rc.1+build.123",
      "1.2.3-beta",
      "10.2.3-DEV-SNAPSHOT",
      "1.2.3-SNAPSHOT-123",
      "1.0.0",
      "2.0.0",
      "1.1.7",
      "2.0.0+build.1848",
      "2.0.1-alpha.1227",
      "1.0.0-alpha+beta",
      "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
      "1.2.3----R-S.12.9.1--.12+meta",
      "1.2.3----RC-SNAPSHOT.12.9.1--.12",
      "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
      "1.0.0-0A.is.legal",
      "1.0.0+001", // leading zeros are fine in build metadata
      "1.0.0+-",
      "1.0.0--",
      "1.0.0-0",
      "1.0.0-00a",
      "0.0.0",
    ];
    for (const s of ok) expect(valid(s), s).toBe(true);
  });
});

describe("semver: rejected forms", () => {
  const bad = [
    "",
    "1.2.3-",
    "1.2.3+",
    "1..2",
    "1..2.3",
    " 1.2.3",
    "1.2.3 ",
    "1 .2.3",
    "\t1.2.3",
    "1.2.3\n",
    "1.2.3\u0000",
    "vv1",
    "v",
    "V",
    "v.1.2",
    "v 1.2.3",
    "1.2.3.4",
    "2.0.0.0",
    "1.2.3.DEV",
    "01.2.3",
    "00.0.0",
    "1.02.3",
    "1.2.03",
    "01",
    "1.01",
    "1.2.3-01",
    "1.2.3-alpha.01",
    "1.0.0-alpha.00",
    "1.2.3-alpha..1",
    "1.2.3-.alpha",
    "1.2.3-alpha.",
    "1.2.3+build..1",
    "1.2.3+.build",
    "1.2.3+build.",
    "1.2.3-+build",
    "1.2.3-alpha+",
    "1.2.3-alpha_beta",
    "1.2.3+build_1",
    "1.2.3-beta!",
    "1.2.3-a b",
    "1.2.3++",
    "9.8.7+meta+meta",
    "9.8.7-whatever+meta+meta",
    "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788",
    "=1.2.3",
    "~1.2.3",
    "^1.2.3",
    ">=1.2.3",
    "1.",
    "1.2.",
    ".1.2.3",
    "-1.2.3",
    "+1.2.3",
    "+justmeta",
    "-invalid+invalid",
    "1.-2.3",
    "1.2.-3",
    "a.b.c",
    "1.b.3",
    "1.2.c",
    "alpha",
    "1,2,3",
    "1.2.3-α",
    "1.2.3+β",
    "１.2.3", // fullwidth digit one
    "1.２.3",
    "١.٢.٣", // Arabic-Indic digits
    "1.2.৩", // Bengali digit three
    "ｖ1.2.3", // fullwidth v
    "9007199254740992.0.0",
    "1.9007199254740992.0",
    "1.2.9007199254740992",
    "1.2.99999999999999999999",
    "99999999999999999999999.999999999999999999.99999999999999999",
  ];

  it(`rejects ${bad.length} malformed strings`, () => {
    expect(bad.length).toBeGreaterThanOrEqual(40);
    for (const s of bad) {
      expect(valid(s), JSON.stringify(s)).toBe(false);
      expect(cmp(s, "1.0.0"), JSON.stringify(s)).toBe(2);
      expect(cmp("1.0.0", s), JSON.stringify(s)).toBe(3);
    }
  });
});

// Reference precedence in TypeScript (BigInt for numeric identifiers), used as an oracle.
function refCompare(a: { core: bigint[]; pre: string[] }, b: { core: bigint[]; pre: string[] }): number {
  for (let i = 0; i < 3; i++) {
    if (a.core[i]! !== b.core[i]!) return a.core[i]! < b.core[i]! ? -1 : 1;
  }
  if (a.pre.length === 0 || b.pre.length === 0) {
    return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  }
  const n = Math.min(a.pre.length, b.pre.length);
  for (let i = 0; i < n; i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    if (xn && yn) {
      const bx = BigInt(x);
      const by = BigInt(y);
      if (bx !== by) return bx < by ? -1 : 1;
    } else if (xn !== yn) {
      return xn ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

describe("semver: properties", () => {
  const component = fc.oneof(
    fc.integer({ min: 0, max: 20 }),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  );
  const triple = fc.tuple(component, component, component);

  it("orders random valid triples lexicographically, antisymmetrically", () => {
    fc.assert(
      fc.property(triple, triple, ([a1, a2, a3], [b1, b2, b3]) => {
        const a = `${a1}.${a2}.${a3}`;
        const b = `${b1}.${b2}.${b3}`;
        const expected = a1 !== b1 ? Math.sign(a1 - b1) : a2 !== b2 ? Math.sign(a2 - b2) : Math.sign(a3 - b3);
        const ab = cmp(a, b);
        expect(ab).toBe(expected);
        expect(cmp(b, a)).toBe(0 - ab);
        expect(cmp(a, a)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("matches a reference implementation on random pre-releases and build metadata", () => {
    const alnumChar = fc.constantFrom(..."0123456789abcXYZ-");
    const numericId = fc.oneof(
      fc.nat({ max: 12 }).map(String),
      fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String),
    );
    const alnumId = fc
      .array(alnumChar, { minLength: 1, maxLength: 4 })
      .map((cs) => cs.join(""))
      .filter((s) => !/^[0-9]+$/.test(s));
    const preId = fc.oneof(numericId, alnumId);
    const version = fc.record({
      core: fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 }), fc.nat({ max: 2 })),
      pre: fc.array(preId, { maxLength: 4 }),
      build: fc.array(fc.stringMatching(/^[0-9A-Za-z-]{1,4}$/), { maxLength: 2 }),
      v: fc.constantFrom("", "v", "V"),
    });
    const text = (x: { core: number[]; pre: string[]; build: string[]; v: string }): string =>
      x.v +
      x.core.join(".") +
      (x.pre.length ? `-${x.pre.join(".")}` : "") +
      (x.build.length ? `+${x.build.join(".")}` : "");
    const ref = (x: { core: number[]; pre: string[] }) => ({ core: x.core.map(BigInt), pre: x.pre });

    fc.assert(
      fc.property(version, version, (a, b) => {
        const r = cmp(text(a), text(b));
        expect(r).toBe(refCompare(ref(a), ref(b)));
        expect(cmp(text(b), text(a))).toBe(0 - r);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("semver: memory", () => {
  it("does not grow memory over 100,000 parses and compares", () => {
    const [[ap, an], [bp, bn]] = write(
      "v1.22.333-alpha.beta.11.x-y-z+build.5114f85",
      "1.22.333-alpha.beta.11.x-y-z.0+build",
    ) as [[number, number], [number, number]];
    const buffer = ex.memory.buffer;
    const size = buffer.byteLength;
    for (let i = 0; i < 100_000; i++) {
      ex.test_semver_valid(ap, an);
      ex.test_semver_compare(ap, an, bp, bn);
    }
    expect(ex.test_semver_compare(ap, an, bp, bn)).toBe(-1);
    expect(ex.memory.buffer).toBe(buffer); // growing would detach the old buffer
    expect(ex.memory.buffer.byteLength).toBe(size);
  });
});
