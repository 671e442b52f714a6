// The user's side of the rehearsal: a fresh project outside the workspace
// that installs @avsb packages by name from the local registry (everything
// else from the public registry, as configured on the machine), gets the
// guide's tests from ./guide, and type-checks and runs them.
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCOPE } from './registry.mjs';

const GUIDE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'guide');
// The guide's two tests are the ones @avsb/testing runs in the workspace, run again against what a user installs.
const GUIDE_TESTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../packages/testing/src/guide.test.ts');

/** The packages the user installs by name, at the rehearsal's version. */
export const USER_PACKAGES = ['@avsb/node', '@avsb/express', '@avsb/testing'];

/**
 * Creates the project: package.json, an .npmrc pointing only the @avsb scope
 * at the local registry, and the guide's test files.
 */
export function createConsumer(dir, registryUrl) {
  mkdirSync(dir, { recursive: true });
  const manifest = { name: 'avsb-rehearsal-user', version: '1.0.0', private: true, type: 'module' };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(dir, '.npmrc'), `${SCOPE}:registry=${registryUrl}\n`);
  for (const file of readdirSync(GUIDE_DIR)) cpSync(path.join(GUIDE_DIR, file), path.join(dir, file));
  cpSync(GUIDE_TESTS, path.join(dir, 'guide.test.ts'));
}

/**
 * `npm install` arguments: the @avsb packages at `version`, and the third-party
 * packages at the exact versions the repository itself uses.
 */
export function installArgs(version, versionOf) {
  const thirdParty = ['express', 'vitest', 'typescript', '@types/express', '@types/node'];
  return [
    'install',
    '--no-audit',
    '--no-fund',
    '--save-exact',
    ...USER_PACKAGES.map((name) => `${name}@${version}`),
    ...thirdParty.map((name) => `${name}@${versionOf(name)}`),
  ];
}
