// `pnpm --filter @avsb/doc-snippets check [README…] [--keep]`: typechecks the READMEs' blocks (by default the root
// README and every package's), prints each failure as path:line:column, exits 1 if there is any.
import { relative, resolve } from 'node:path';
import { checkReadmes, formatFailure } from './check';
import { PACKAGE_DIR, WORKSPACE_ROOT, defaultReadmes } from './readmes';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
// paths as typed in the shell, which pnpm runs from this package's folder: INIT_CWD is where the user typed them
const cwd = process.env.INIT_CWD ?? process.cwd();
const named = args.filter((a) => !a.startsWith('--')).map((a) => relative(WORKSPACE_ROOT, resolve(cwd, a)));
const readmes = named.length > 0 ? named : defaultReadmes();

const started = performance.now();
const result = checkReadmes({ root: WORKSPACE_ROOT, readmes, workParent: PACKAGE_DIR, keep });
for (const f of result.failures) console.error(formatFailure(f));
const programs = result.programs
  .map((p) => `${p.target}${p.declarations ? ' (declarations)' : ''}: ${p.modules} modules ${(p.ms / 1000).toFixed(1)} s`)
  .join(', ');
console.log(
  `${readmes.length} READMEs: ${result.checked} blocks checked, ${result.skipped.length} skipped, ` +
    `${result.failures.length} failures (${programs}; ${((performance.now() - started) / 1000).toFixed(1)} s in all)`,
);
if (result.workDir) console.log(`modules kept in ${result.workDir}`);
process.exitCode = result.failures.length > 0 ? 1 : 0;
