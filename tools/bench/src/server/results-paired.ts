// The heavy-admin section's results request alone, two server builds alternating in one process on copies of one
// prefilled file (prefill.ts): CPU and wall time per request, their ratios, whether the answers are identical, and
// how long each chunk of units held the event loop (the wait a light request can meet during a results request).
// Usage: node --expose-gc dist/server/results-paired.js <prefilled db> [--rounds N] name=/repo name=/repo
// Each repo is a worktree with packages/server built. The copies go beside the file (1 GB each at 4 million events).
import { copyFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cpuNs, gc, median } from '../paired-pass.js';

const RESULTS = '/api/v1/projects/bulk/environments/production/results/checkout-v2?metric=purchase';
const TOKEN = 'results-paired-token';

interface Running {
  url: string;
  store: unknown;
  close(): Promise<void>;
}

interface Build {
  name: string;
  copy: string;
  server: Running;
  answer: string;
  cpuMs: number[];
  wallMs: number[];
  chunkMs: number[];
}

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 6;
const [db, ...specs] = args;
if (!db || specs.length === 0 || !(rounds > 0)) {
  process.stderr.write('usage: node --expose-gc dist/server/results-paired.js <db> [--rounds N] name=/repo …\n');
  process.exit(2);
}

/**
 * Times each `readChunk` of the store's experiment units, in CPU: a probe that reaches into the store's private
 * `_units`, for this measurement only (a chunk runs synchronously, so its CPU time is the event loop's hold).
 */
function probeChunks(store: unknown, into: number[]): void {
  const units = (store as { _units?: { readChunk: (...a: unknown[]) => unknown } })._units;
  if (!units) return;
  const readChunk = units.readChunk.bind(units);
  units.readChunk = (...a: unknown[]) => {
    const t = cpuNs();
    const last = readChunk(...a);
    into.push((cpuNs() - t) / 1e6);
    return last;
  };
}

async function request(build: Build): Promise<{ cpuMs: number; wallMs: number; text: string }> {
  const c = cpuNs();
  const t = performance.now();
  const res = await fetch(build.server.url + RESULTS, { headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await res.text();
  const wallMs = performance.now() - t;
  if (res.status !== 200) throw new Error(`${build.name}: ${res.status} ${text.slice(0, 200)}`);
  return { cpuMs: (cpuNs() - c) / 1e6, wallMs, text };
}

const builds: Build[] = [];
for (const spec of specs) {
  const [name, repo] = spec.split('=') as [string, string];
  const copy = `${db}.${name}.copy`;
  copyFileSync(db, copy);
  const mod = (await import(pathToFileURL(`${repo}/packages/server/dist/index.js`).href)) as {
    startServer(o: { dbPath: string; adminToken: string }): Promise<Running>;
  };
  const server = await mod.startServer({ dbPath: copy, adminToken: TOKEN });
  const build: Build = { name, copy, server, answer: '', cpuMs: [], wallMs: [], chunkMs: [] };
  build.answer = (await request(build)).text; // warm-up; the first also folds anything left
  probeChunks(server.store, build.chunkMs);
  builds.push(build);
}
console.log(builds.every((b) => b.answer === builds[0]!.answer) ? 'answers identical' : 'ANSWERS DIFFER');

for (let r = 0; r < rounds; r++) {
  for (const build of r % 2 === 0 ? builds : [...builds].reverse()) {
    gc();
    const m = await request(build);
    if (m.text !== build.answer) console.log(`${build.name}: the answer changed`);
    build.cpuMs.push(m.cpuMs);
    build.wallMs.push(m.wallMs);
  }
}

const list = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join(' ');
const range = (xs: readonly number[], digits: number) =>
  `median ${median(xs).toFixed(digits)}, ${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
for (const b of builds) {
  const chunks = [...b.chunkMs].sort((x, y) => x - y);
  console.log(`${b.name}: CPU ms ${list(b.cpuMs)} (${range(b.cpuMs, 1)}); wall ms ${list(b.wallMs)} (${range(b.wallMs, 1)})`);
  if (chunks.length > 0) {
    const p90 = chunks[Math.floor(chunks.length * 0.9)]!;
    console.log(`${b.name}: ${chunks.length} chunks, CPU ms each: median ${median(chunks).toFixed(1)}, p90 ${p90.toFixed(1)}, max ${chunks.at(-1)!.toFixed(1)}`);
  }
}
const [first, ...others] = builds;
for (const b of others) {
  const cpu = b.cpuMs.map((x, i) => x / first!.cpuMs[i]!);
  const wall = b.wallMs.map((x, i) => x / first!.wallMs[i]!);
  console.log(`${b.name} ÷ ${first!.name}: CPU ${range(cpu, 3)}; wall ${range(wall, 3)}`);
}
for (const b of builds) {
  await b.server.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(b.copy + suffix, { force: true });
}
