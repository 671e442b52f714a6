// Where a release .wasm's bytes go, by source area and by function (README, "Size").
//
// Raw code bytes say little about a download: gzip shares what repeats. So
// each area is also measured by what gzip saves when that area's function
// bodies are replaced by `unreachable` in the release binary (the rest byte
// for byte as built): an upper bound of what removing it would save, since
// its callers and texts stay. Function names come from a second build of
// the same target with a name section (`asc --debug`), whose bodies must
// match the release's one for one, or the script stops.
//
// Usage (after `pnpm run build:wasm`): node scripts/size-by-area.mjs [engine|evaluator] [--functions N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { reader, uleb } from './merge-data.mjs';

const TARGETS = {
  engine: { entry: 'assembly/abi.ts', target: 'release', built: 'build/avsb-engine.wasm' },
  evaluator: { entry: 'assembly/evaluator.ts', target: 'evaluator', built: 'build/avsb-evaluator.wasm' },
};
const CODE = 10;
const DATA = 11;
const IMPORT = 2;

/** Function bodies (offset, size), the code section's bounds, imported functions and the name section's names. */
function readModule(bytes) {
  const r = reader(bytes, 8);
  const m = { bodies: [], names: new Map(), imports: 0, code: null, data: null };
  while (r.at < bytes.length) {
    const id = bytes[r.at++];
    const header = r.at - 1;
    const size = r.u32();
    const end = r.at + size;
    if (id === IMPORT) {
      for (let n = r.u32(); n > 0; n--) {
        r.at += r.u32();
        r.at += r.u32();
        const kind = bytes[r.at++];
        // only function imports move function indices; the others' descriptions are skipped to the next import
        if (kind === 0) m.imports++, r.u32();
        else if (kind === 1) r.at++, r.u32() & 1 ? (r.u32(), r.u32()) : r.u32();
        else if (kind === 2) r.u32() & 1 ? (r.u32(), r.u32()) : r.u32();
        else r.at += 2;
      }
    } else if (id === CODE) {
      m.code = { header, end };
      for (let n = r.u32(); n > 0; n--) {
        const s = r.u32();
        m.bodies.push({ at: r.at, size: s });
        r.at += s;
      }
    } else if (id === DATA) {
      m.data = { start: r.at, end };
    } else if (id === 0) {
      const len = r.u32();
      const name = bytes.subarray(r.at, r.at + len).toString();
      r.at += len;
      while (name === 'name' && r.at < end) {
        const sub = bytes[r.at++];
        const subEnd = r.u32() + r.at;
        if (sub === 1) {
          for (let n = r.u32(); n > 0; n--) {
            const index = r.u32();
            const l = r.u32();
            m.names.set(index, bytes.subarray(r.at, r.at + l).toString());
            r.at += l;
          }
        }
        r.at = subEnd;
      }
    }
    r.at = end;
  }
  return m;
}

/** The area of a function: its folder under assembly/ (ops/ and util/ one level deeper), or the std library module. */
function areaOf(name) {
  const lib = /^~lib\/(rt\/)?([^/<#]+)/.exec(name);
  if (lib) return `std ${lib[1] ?? ''}${lib[2]}`;
  const own = /^assembly\/((?:ops|util)\/[^/]+|[^/]+)/.exec(name);
  return own ? own[1].replace(/\.ts$/, '') : name;
}

/** The release binary with the given bodies replaced by `unreachable` (no locals). */
function without(bytes, m, drop) {
  const parts = [];
  m.bodies.forEach((b, i) => parts.push(drop.has(i) ? Buffer.from([3, 0, 0x00, 0x0b]) : Buffer.concat([Buffer.from(uleb(b.size)), bytes.subarray(b.at, b.at + b.size)])));
  const body = Buffer.concat([Buffer.from(uleb(m.bodies.length)), ...parts]);
  return Buffer.concat([bytes.subarray(0, m.code.header), Buffer.from([CODE, ...uleb(body.length)]), body, bytes.subarray(m.code.end)]);
}

const args = process.argv.slice(2);
const which = TARGETS[args.find((a) => a in TARGETS) ?? 'engine'];
const fnAt = args.indexOf('--functions');
const functions = fnAt >= 0 ? Number(args[fnAt + 1]) : 30;
const gz = (b) => gzipSync(b, { level: 9 }).length;

const dir = mkdtempSync(join(tmpdir(), 'avsb-size-'));
try {
  const namedPath = join(dir, 'named.wasm');
  execFileSync('npx', ['asc', which.entry, '--target', which.target, '--debug', '-o', namedPath], { stdio: 'inherit' });
  const release = readFileSync(which.built);
  const rel = readModule(release);
  const named = readModule(readFileSync(namedPath));
  if (named.bodies.length !== rel.bodies.length || named.bodies.some((b, i) => b.size !== rel.bodies[i].size)) {
    throw new Error('the named build compiled differently from the release build: rebuild (pnpm run build:wasm) and retry');
  }
  const name = (i) => named.names.get(i + named.imports) ?? `function ${i}`;
  const base = gz(release);
  const code = rel.bodies.reduce((n, b) => n + b.size, 0);
  console.log(`${which.built}: ${release.length} bytes, ${base} gzipped; code ${code} bytes in ${rel.bodies.length} functions`);
  // static data (message texts, member names, tables): what gzip saves with its bytes zeroed
  const zeroed = Buffer.from(release);
  zeroed.fill(0, rel.data.start, rel.data.end);
  console.log(`static data ${rel.data.end - rel.data.start} bytes, ${base - gz(zeroed)} gzipped`);

  const areas = new Map();
  rel.bodies.forEach((b, i) => {
    const a = areaOf(name(i));
    const row = areas.get(a) ?? { raw: 0, fns: new Set() };
    row.raw += b.size;
    row.fns.add(i);
    areas.set(a, row);
  });
  const rows = [...areas].map(([a, row]) => ({ a, raw: row.raw, gz: base - gz(without(release, rel, row.fns)) }));
  console.log('\narea: code bytes, gzipped bytes saved without it');
  for (const row of rows.sort((x, y) => y.gz - x.gz)) console.log(`${row.a.padEnd(24)} ${String(row.raw).padStart(6)} ${String(row.gz).padStart(6)}`);

  console.log(`\nthe ${functions} largest functions: code bytes, gzipped bytes saved without it`);
  const fns = rel.bodies.map((b, i) => ({ n: name(i), raw: b.size, i })).sort((x, y) => y.raw - x.raw).slice(0, functions);
  for (const f of fns) console.log(`${String(f.raw).padStart(6)} ${String(base - gz(without(release, rel, new Set([f.i])))).padStart(6)}  ${f.n}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
