// Turns a package.json `exports` map into the list of JavaScript entry points a
// user can import, and which of them are reachable through `import` / `require`.

const JS_EXTENSIONS = ['.js', '.mjs', '.cjs'];
// Conditions Node 20 applies for each kind of load ("default" always matches).
const IMPORT_CONDITIONS = ['node', 'import', 'module-sync'];
const REQUIRE_CONDITIONS = ['node', 'require', 'module-sync'];

/**
 * Resolves an exports target the way Node does for a given set of conditions.
 * Returns a path string, `null` (explicitly blocked) or `undefined` (no match).
 */
export function resolveTarget(value, conditions) {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const resolved = resolveTarget(item, conditions);
      if (resolved != null) return resolved;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key !== 'default' && !conditions.includes(key)) continue;
      const resolved = resolveTarget(inner, conditions);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}

/** Normalises `exports` to `{ subpath: target }` (or null when there is no exports field). */
export function subpathMap(pkg) {
  const exp = pkg.exports;
  if (exp === undefined) return null;
  if (typeof exp === 'string' || Array.isArray(exp) || exp === null) return { '.': exp };
  const keys = Object.keys(exp);
  if (keys.length > 0 && keys.every((k) => k.startsWith('.'))) return exp;
  return { '.': exp }; // a bare conditions object describes the root entry
}

const isJs = (target) => typeof target === 'string' && JS_EXTENSIONS.some((ext) => target.endsWith(ext));

/**
 * Lists the entry points of a package.
 * Each item: { subpath, specifier, esm, cjs, skip } where `esm` / `cjs` are the
 * resolved runtime targets for `import` / `require` (undefined when that kind of
 * load is not exported) and `skip` is a reason string for entries that are not
 * importable JavaScript (./package.json, .wasm, wildcards, blocked paths).
 */
export function listEntries(pkg) {
  const map = subpathMap(pkg);
  if (map === null) {
    // No exports field: Node falls back to `main` (or index.js) for both kinds of load.
    const main = pkg.main ?? './index.js';
    return [{ subpath: '.', specifier: pkg.name, esm: main, cjs: main }];
  }
  return Object.entries(map).map(([subpath, value]) => {
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`;
    const entry = { subpath, specifier };
    if (subpath === './package.json') return { ...entry, skip: 'package metadata' };
    if (subpath.includes('*')) return { ...entry, skip: 'wildcard subpath (not enumerated)' };
    const esm = resolveTarget(value, IMPORT_CONDITIONS) ?? undefined;
    const cjs = resolveTarget(value, REQUIRE_CONDITIONS) ?? undefined;
    if (esm === undefined && cjs === undefined) return { ...entry, skip: 'no runtime target' };
    if (!isJs(esm) && !isJs(cjs)) return { ...entry, skip: `not a JS module (${esm ?? cjs})` };
    return { ...entry, esm: isJs(esm) ? esm : undefined, cjs: isJs(cjs) ? cjs : undefined };
  });
}
