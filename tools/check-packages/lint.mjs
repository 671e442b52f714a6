// Static checks on a packed tarball: publint and "are the types wrong".
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { problemKindInfo } from '@arethetypeswrong/core/problems';
import { listEntries } from './exports-map.mjs';

/** Resolution modes attw must pass (its `node16` profile: node10 is ignored). */
export const ATTW_RESOLUTIONS = ['node16-cjs', 'node16-esm', 'bundler'];

/**
 * publint on the tarball. Errors fail the check; warnings are returned as notes.
 * @returns {Promise<{ errors: string[], warnings: string[] }>}
 */
export async function runPublint(tarball) {
  const data = tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball: data }, level: 'warning' });
  const format = (m) => `[${m.code}] ${formatMessage(m, pkg, { color: false }) ?? m.code}`;
  return {
    errors: messages.filter((m) => m.type === 'error').map(format),
    warnings: messages.filter((m) => m.type === 'warning').map(format),
  };
}

/**
 * attw on the tarball, restricted to JavaScript entry points (./package.json and
 * .wasm exports are not modules TypeScript can type). Problems seen under
 * ATTW_RESOLUTIONS are errors; problems seen only under node10 are returned
 * separately as `ignored` (attw's `--profile node16`).
 * @returns {Promise<{ errors: string[], ignored: string[], entrypoints: string[] }>}
 */
export async function runAttw(tarball) {
  const pkg = createPackageFromTarballData(new Uint8Array(tarball));
  const packedPkgJson = JSON.parse(pkg.readFile(`/node_modules/${pkg.packageName}/package.json`));
  const excludeEntrypoints = listEntries(packedPkgJson)
    .filter((e) => e.skip && !e.subpath.includes('*'))
    .map((e) => e.subpath);
  const analysis = await checkPackage(pkg, { excludeEntrypoints });
  if (!analysis.types) {
    return { errors: ['package ships no type declarations (attw: untyped)'], ignored: [], entrypoints: [] };
  }

  // problem index -> [{ entry, mode }] for every entry point / resolution mode showing it
  const where = new Map();
  for (const [entry, info] of Object.entries(analysis.entrypoints)) {
    for (const [mode, resolution] of Object.entries(info.resolutions)) {
      for (const index of resolution.visibleProblems ?? []) {
        if (!where.has(index)) where.set(index, []);
        where.get(index).push({ entry, mode });
      }
    }
  }

  const errors = new Map(); // text -> locations, so one cause across modes is one line
  const ignored = new Map();
  analysis.problems.forEach((problem, index) => {
    const all = where.get(index) ?? [
      // not shown for any entry point: attribute it to its own resolution, if any
      { entry: '(package-wide)', mode: problem.resolutionKind ?? problem.resolutionOption ?? '' },
    ];
    const checked = all.filter((l) => l.mode === '' || ATTW_RESOLUTIONS.includes(l.mode) || l.mode === 'node16');
    const [target, locations] = checked.length ? [errors, checked] : [ignored, all];
    const text = describeProblem(problem, analysis.packageName, target === ignored);
    if (!target.has(text)) target.set(text, []);
    target.get(text).push(...locations);
  });
  const render = (map) => [...map].map(([text, locations]) => text.replace('@@', formatLocations(locations)));
  return { errors: render(errors), ignored: render(ignored), entrypoints: Object.keys(analysis.entrypoints) };
}

/** One line per problem kind/files; `@@` is replaced by where it was seen. */
function describeProblem(problem, packageName, brief = false) {
  const prefix = `/node_modules/${packageName}/`;
  const short = (file) => file.replace(prefix, '');
  const info = problemKindInfo[problem.kind];
  const facts = [];
  if (problem.typesFileName) facts.push(`types ${short(problem.typesFileName)}`);
  if (problem.implementationFileName) facts.push(`js ${short(problem.implementationFileName)}`);
  if (problem.fileName) facts.push(`in ${short(problem.fileName)}`);
  if (problem.moduleSpecifier) facts.push(`import "${problem.moduleSpecifier}" (${problem.resolutionOption})`);
  if (problem.missing?.length) facts.push(`missing at runtime: ${problem.missing.join(', ')}`);
  const head = `[${problem.kind}] ${info.title} — entry @@${facts.length ? `; ${facts.join('; ')}` : ''}`;
  return brief ? head : `${head}. ${info.description} (${info.docsUrl})`;
}

/** [{entry:".",mode:"bundler"},{entry:".",mode:"node16-cjs"}] -> '"." (bundler, node16-cjs)' */
function formatLocations(locations) {
  const byEntry = new Map();
  for (const { entry, mode } of locations) {
    if (!byEntry.has(entry)) byEntry.set(entry, new Set());
    if (mode) byEntry.get(entry).add(mode);
  }
  return [...byEntry]
    .map(([entry, modes]) => {
      const name = entry.startsWith('(') ? entry : `"${entry}"`;
      return modes.size ? `${name} (${[...modes].join(', ')})` : name;
    })
    .join(', ');
}
