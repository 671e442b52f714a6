// The kinds of project besides the DOM-lib defaults whose type check a package entry must pass. A tsc program has
// one set of globals, so each is its own mode: "node-only" is what @tsconfig/node20 or a server's `tsc --init` gives
// (an ES lib and @types/node, no DOM lib: no `WebAssembly`, no `BufferSource`, which @types/node does not declare);
// "workers" is a Cloudflare Worker's (@cloudflare/workers-types, whose globals clash with the DOM's). With
// skipLibCheck a missing global would silently turn a parameter into `any`, so the modes run with it off.

/** Compiler options of each mode, merged over the node20 mode's (Workers: the bundler mode's). */
export const PROJECT_OPTIONS = {
  'node-only': { lib: ['es2022'], types: ['node'] },
  workers: { lib: ['es2022'], types: ['@cloudflare/workers-types'] },
};

/** What the consumer project installs for the workers mode: the version tools/doc-snippets checks READMEs with. */
export const WORKERS_TYPES = '@cloudflare/workers-types';

/**
 * Entries whose users build pages with a bundler and the DOM lib: not imported in the Node-only project.
 * `true` stands for every entry of the package.
 */
const PAGE_ENTRIES = new Map([
  ['@avsb/browser', true],
  ['@avsb/react', true],
  ['@avsb/next', ['./client']],
  ['@avsb/openfeature', ['./web']],
]);

/** The packages a Worker imports (the ones whose code runs in workerd): every entry but Node's. */
const WORKERS_PACKAGES = new Set(['@avsb/common', '@avsb/engine', '@avsb/events', '@avsb/core', '@avsb/edge']);
const NODE_ENTRIES = new Set(['./node']);

/** Whether a project of the mode is expected to compile an import of the entry (the DOM-lib modes: every entry). */
export function importsEntry(mode, pkgName, subpath) {
  if (mode === 'node-only') {
    const page = PAGE_ENTRIES.get(pkgName);
    return page === undefined || (page !== true && !page.includes(subpath));
  }
  if (mode === 'workers') return WORKERS_PACKAGES.has(pkgName) && !NODE_ENTRIES.has(subpath);
  return true;
}
