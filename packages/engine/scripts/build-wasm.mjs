// `pnpm run build:wasm` (and `build:compiled`): the engine's .wasm builds.
//
// Each asc run is one single-threaded process and no two write the same file,
// so the five binaries build side by side, as many at a time as the machine
// has CPUs: the engine's build heads every other package's in `pnpm build`,
// and one after another they kept a CPU idle for half a minute on two cores.
// Each binary's own steps stay in order (asc, then merge-data.mjs on it).
// The inlined copies (inline-wasm.mjs) are written once every binary is built.
//
// Usage: node scripts/build-wasm.mjs [name…]   (names of BUILDS below; all of
// them and the inlined copies by default)
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const mergeData = (file) => ['scripts/merge-data.mjs', file];

/** Each binary's steps (node arguments), the slowest (optimized, `converge`) first. */
const BUILDS = {
  release: [[asc, 'assembly/abi.ts', '--target', 'release'], mergeData('build/avsb-engine.wasm')],
  evaluator: [[asc, 'assembly/evaluator.ts', '--target', 'evaluator'], mergeData('build/avsb-evaluator.wasm')],
  compiler: [[asc, 'assembly/compiler.ts', '--target', 'compiler'], mergeData('build/avsb-compiler.wasm')],
  test: [[asc, 'assembly/test-entry.ts', '--target', 'test']],
  debug: [[asc, 'assembly/abi.ts', '--target', 'debug']],
};

/** Runs `node args` in the package; resolves with its exit code and everything it printed. */
function node(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.stack ?? error}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, output: signal ? `${output}killed by ${signal}\n` : output }));
  });
}

/** Runs one binary's steps in order; its output is printed in one piece, so parallel builds do not interleave. */
async function build(name) {
  for (const args of BUILDS[name]) {
    const display = ['node', ...args].join(' ').replace(asc, 'asc');
    const { code, output } = await node(args);
    process.stdout.write(`> ${display}\n${output}`);
    if (code !== 0) throw new Error(`${name}: \`${display}\` exited with ${code}`);
  }
}

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in BUILDS));
if (unknown.length > 0) {
  console.error(`unknown build(s): ${unknown.join(', ')} (known: ${Object.keys(BUILDS).join(', ')})`);
  process.exit(2);
}
const queue = asked.length > 0 ? [...asked] : Object.keys(BUILDS);
const failures = [];
const worker = async () => {
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    // one failed binary does not stop the others: every failure is reported at once
    await build(name).catch((error) => failures.push(error.message));
  }
};
await Promise.all(Array.from({ length: Math.min(availableParallelism(), queue.length) }, worker));
if (failures.length > 0) {
  for (const failure of failures) console.error(failure);
  process.exit(1);
}
if (asked.length === 0) {
  const { code, output } = await node(['scripts/inline-wasm.mjs']);
  process.stdout.write(`> node scripts/inline-wasm.mjs\n${output}`);
  process.exitCode = code;
}
