// The compiled datafile documents the evaluator rows load (docs/compiled-datafile.md
// of @avsb/engine), made in the bench from the same workload the JSON rows load,
// so no checked-in artefact can drift from it. run.ts compiles them once, in its
// own process (importing the compiler there would warm up the engine module a
// cold child times), and hands the children their directory in the environment.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { avsbDatafile, largeDatafile } from './workload.js';

const ENV = 'AVSB_BENCH_COMPILED_DIR';
const DOCUMENTS = { bench: () => JSON.stringify(avsbDatafile()), large: () => largeDatafile(50) } as const;
export type CompiledName = keyof typeof DOCUMENTS;

/** Compiles the workload's datafile and the 1,000-flag one with `compileDatafile`, writes them to a new temporary directory and exports it to child processes. */
export async function writeCompiledDocuments(): Promise<string> {
  const { compileDatafile } = await import('@avsb/engine/compiler');
  const dir = mkdtempSync(join(tmpdir(), 'avsb-bench-compiled-'));
  for (const [name, datafile] of Object.entries(DOCUMENTS)) {
    const result = compileDatafile(datafile());
    if (!result.ok) throw new Error(`compileDatafile refused the ${name} datafile: ${result.error}`);
    if (result.warningCount !== 0) throw new Error(`compileDatafile warned on the ${name} datafile: ${JSON.stringify(result.warnings).slice(0, 300)}`);
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(result.document));
  }
  process.env[ENV] = dir;
  return dir;
}

/** A compiled document's text, as `writeCompiledDocuments` left it for this (child) process. */
export function compiledDocument(name: CompiledName): string {
  const dir = process.env[ENV];
  if (!dir) throw new Error(`${ENV} is not set: run the evaluator rows through run.js (it compiles the documents first)`);
  return readFileSync(join(dir, `${name}.json`), 'utf8');
}

/** Removes the directory `writeCompiledDocuments` made, once no child needs it. */
export function removeCompiledDocuments(): void {
  const dir = process.env[ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
  delete process.env[ENV];
}
