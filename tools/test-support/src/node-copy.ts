// What the tests of a package's Node copy (`nodeCopies` of tools/build: dist/<entry>.node.js under `module-sync`) ask of
// a fresh process: which file Node resolves the package to, its exports, and what a built file imports.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

/** Runs `script` as an ES module in a fresh `node` from `cwd` (where its bare imports resolve); the JSON it prints. */
export async function inFreshNode<T>(cwd: string, script: string, env?: NodeJS.ProcessEnv): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd, env, encoding: 'utf8' });
  return JSON.parse(stdout) as T;
}

/** The file Node resolves `specifier` to from `cwd`, and the sorted export names of it and of the built `indexFile`. */
export function nodeCopyExports(cwd: string, specifier: string, indexFile: string): Promise<{ resolved: string; node: string[]; index: string[] }> {
  return inFreshNode(
    cwd,
    `const node = Object.keys(await import(${JSON.stringify(specifier)})).sort();
    const index = Object.keys(await import(${JSON.stringify(indexFile)})).sort();
    console.log(JSON.stringify({ resolved: import.meta.resolve(${JSON.stringify(specifier)}), node, index }));`,
  );
}

/** The modules a built file imports (`from "…"`, `import("…")`), each once, sorted. */
export function importedModules(file: string): string[] {
  return [...new Set(readFileSync(file, 'utf8').match(/(?<=\b(?:from|import)\s*\(?")[^"]+/g))].sort();
}
