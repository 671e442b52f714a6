import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

// In a fresh process V8 compiles each function on its first call, Node's own
// too: `engineWasmModule()` reads the shipped .wasm through the node:fs
// function whose first call compiles the least (tools/bench/earlier-measurements.md,
// "Bytes to the first evaluation: the host's half"). Counted, not timed:
// V8 logs each function it runs for the first time (`--log-function-events`).
// A fresh process from the package's directory, so that `@avsb/engine/node`
// resolves to the built file a Node application loads.

const cwd = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'avsb-wasm-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("reads the shipped .wasm with node:fs's readvSync, never readSync (whose first call compiles more: 0.17 against 0.10 ms of CPU)", () => {
  const log = join(dir, 'v8.log');
  const body = `
    const { AvsbEngine, engineWasmModule } = await import('@avsb/engine/node');
    const e = AvsbEngine.createSync(engineWasmModule());
    const loaded = e.load('{"schemaVersion":1,"flags":[{"key":"f","on":true,"variations":[1,2],"fallthrough":{"variation":1}}]}');
    console.log(JSON.stringify({ ok: loaded.ok, value: e.evaluate(e.registerContext({ key: 'u' }), 'f').value }));
  `;
  const out = execFileSync(process.execPath, ['--log-function-events', `--logfile=${log}`, '--no-logfile-per-isolate', '--input-type=module', '-e', body], { cwd, encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ ok: true, value: 2 });
  const lines = readFileSync(log, 'utf8').split('\n');
  const fs = new Set(lines.filter((l) => l.startsWith('script-details,') && l.split(',')[2] === 'node:fs').map((l) => l.split(',')[1]));
  const ran = lines
    .filter((l) => l.startsWith('function,first-execution,'))
    .map((l) => l.split(','))
    .filter((f) => fs.has(f[2]))
    .map((f) => f.slice(7).join(','));
  expect(ran).toContain('readvSync');
  expect(ran).not.toContain('readSync');
});
