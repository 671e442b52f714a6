// Test support: Node module hooks that run this package's TypeScript sources
// directly (for child processes spawned by tests), transpiled with the
// workspace's TypeScript. Used as `node --import ./register-ts.mjs file.ts`.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const isFile = (url) => {
  const path = fileURLToPath(url);
  return existsSync(path) && statSync(path).isFile();
};

export async function resolve(specifier, context, nextResolve) {
  const relative = specifier.startsWith('./') || specifier.startsWith('../');
  if (relative && context.parentURL?.endsWith('.ts')) {
    for (const suffix of ['', '.ts', '/index.ts']) {
      const url = new URL(specifier + suffix, context.parentURL);
      if (isFile(url)) return { url: url.href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
