#!/usr/bin/env node
// `pnpm release:rehearse`: the release path of RELEASING.md, end to end,
// against a throwaway local registry instead of npm. See README.md here.
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, run, tail } from '../check-packages/util.mjs';
import { USER_PACKAGES, createConsumer, installArgs } from './consumer.mjs';
import { packageDocument, startRegistry } from './registry.mjs';
import {
  assertNoRegistryOverride,
  copyWorkspace,
  linkWorkspaceDependencies,
  missingBuild,
  prepareSnapshotChangesets,
  readManifest,
  workspacePackages,
} from './workspace-copy.mjs';

/** The workspace this script belongs to: its changesets CLI is the one run. */
const TOOLS_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TAG = 'rehearsal';
const keep = process.argv.includes('--keep');
const verbose = process.argv.includes('--verbose');
const rootArg = process.argv.indexOf('--root');
/** The workspace rehearsed: this one, or a built checkout given with --root. */
const ROOT = rootArg > 0 && process.argv[rootArg + 1] ? realpathSync(path.resolve(process.argv[rootArg + 1])) : TOOLS_ROOT;

let passed = 0;
let failed = 0;

/** Runs one named step; a failure prints its details and stops the rehearsal. */
async function step(name, fn) {
  const started = Date.now();
  try {
    const result = await fn();
    passed++;
    console.log(`  pass  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    failed++;
    console.log(`  FAIL  ${name}`);
    // A step's own checks say what is wrong; a stack only helps for the unexpected (--verbose).
    const lines =
      error instanceof StepError
        ? error.details
        : String((verbose ? error?.stack : error?.message) ?? error).split('\n');
    for (const line of lines) console.log(`          ${line}`);
    throw new StepError(name, []);
  }
}

class StepError extends Error {
  constructor(message, details) {
    super(message);
    this.details = details;
  }
}

/** Runs a command and throws a StepError with its last lines if it fails. */
async function mustRun(cmd, args, options) {
  const result = await run(cmd, args, options);
  if (result.code !== 0) {
    throw new StepError(`${cmd} failed`, [`\`${[cmd, ...args].join(' ')}\` exited with ${result.code}`, ...tail(result, 30)]);
  }
  return result;
}

/**
 * The environment of the publishing commands: the user's environment without
 * any npm/pnpm setting (so no registry or token of the machine can apply),
 * with the local registry and a config file holding only its token.
 */
function publishEnv(registryUrl, npmrc) {
  const env = cleanEnv();
  for (const key of Object.keys(env)) if (/^(npm|pnpm)_config_/i.test(key)) delete env[key];
  return { ...env, npm_config_registry: registryUrl, npm_config_userconfig: npmrc, pnpm_config_registry: registryUrl };
}

/** The exact version of `name` that the workspace's manifests use. */
function workspaceVersionOf(pkgs) {
  return (name) => {
    for (const pkg of pkgs) {
      const manifest = readManifest(pkg.dir);
      const spec = manifest.devDependencies?.[name] ?? manifest.dependencies?.[name];
      if (spec && /^\d+\.\d+\.\d+/.test(spec)) return spec;
    }
    throw new Error(`no workspace package depends on an exact version of ${name}`);
  };
}

async function rehearse(tmp) {
  const pkgs = await step('find the public packages', async () => {
    const all = await workspacePackages(ROOT);
    const publics = all.filter((p) => !p.private && path.resolve(p.dir) !== ROOT);
    if (publics.length === 0) throw new Error('the workspace has no public package');
    const unbuilt = publics.filter(missingBuild).map((p) => p.name);
    if (unbuilt.length > 0) throw new Error(`not built: ${unbuilt.join(', ')} (run \`pnpm build\` first)`);
    assertNoRegistryOverride(publics);
    console.log(`          ${publics.map((p) => p.name).join(' ')}`);
    return { all, publics };
  });

  const registry = await step('start the local registry (Verdaccio)', () => startRegistry(path.join(tmp, 'registry')));
  try {
    const workspace = path.join(tmp, 'workspace');
    const npmrc = path.join(tmp, 'publish.npmrc');
    const env = publishEnv(registry.url, npmrc);
    const changeset = changesetBin();

    const version = await step(`changeset version --snapshot ${TAG} (in a copy of the workspace)`, async () => {
      copyWorkspace(ROOT, pkgs.all, workspace);
      linkWorkspaceDependencies(ROOT, pkgs.all, workspace);
      prepareSnapshotChangesets(workspace, pkgs.publics.map((p) => p.name));
      const hostPath = new URL(registry.url).host;
      writeFileSync(npmrc, `registry=${registry.url}\n//${hostPath}/:_authToken=${registry.token}\n`);
      writeFileSync(path.join(workspace, '.npmrc'), readFileSync(npmrc));
      await mustRun(process.execPath, [changeset, 'version', '--snapshot', TAG], { cwd: workspace, env });
      const versions = new Set(pkgs.publics.map((p) => readManifest(path.join(workspace, path.relative(ROOT, p.dir))).version));
      const [v] = versions;
      if (versions.size !== 1 || !v.includes(`-${TAG}-`)) throw new Error(`unexpected snapshot versions: ${[...versions].join(', ')}`);
      console.log(`          version ${v}`);
      return v;
    });

    await step(`changeset publish --tag ${TAG} (pnpm publish to ${registry.url})`, () =>
      mustRun(process.execPath, [changeset, 'publish', '--tag', TAG, '--no-git-tag'], { cwd: workspace, env, timeoutMs: 300_000 }),
    );

    await step('every public package is in the registry, with real dependency versions', async () => {
      const problems = [];
      for (const { name } of pkgs.publics) {
        const doc = await packageDocument(registry.url, name);
        const published = doc?.versions?.[version];
        if (!published) {
          problems.push(`${name}@${version} was not published`);
          continue;
        }
        if (doc['dist-tags']?.[TAG] !== version) problems.push(`${name}: dist-tag ${TAG} is not ${version}`);
        for (const [dep, spec] of Object.entries({ ...published.dependencies, ...published.peerDependencies })) {
          if (String(spec).startsWith('workspace:')) problems.push(`${name} depends on ${dep}@${spec}`);
          else if (pkgs.publics.some((p) => p.name === dep) && spec !== version) problems.push(`${name} depends on ${dep}@${spec}, not ${version}`);
        }
      }
      if (problems.length > 0) throw new StepError('published packages are wrong', problems);
    });

    const consumer = path.join(tmp, 'user-project');
    await step(`npm install ${USER_PACKAGES.join(' ')} by name into a fresh project`, async () => {
      createConsumer(consumer, registry.url);
      await mustRun('npm', installArgs(version, workspaceVersionOf(pkgs.all)), { cwd: consumer, timeoutMs: 300_000 });
    });

    await step("tsc: the guide's tests type-check against the published types", () =>
      mustRun(process.execPath, [path.join(consumer, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], {
        cwd: consumer,
      }),
    );

    await step("vitest: the guide's tests pass (TestData, MockAvsbServer, an Express route)", async () => {
      const result = await mustRun(process.execPath, [path.join(consumer, 'node_modules/vitest/vitest.mjs'), 'run'], {
        cwd: consumer,
        env: cleanEnv({ CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' }),
      });
      for (const line of tail(result, 8)) console.log(`          ${line}`);
    });
  } finally {
    await registry.close();
  }
}

/** The changesets CLI of the workspace (the one `pnpm release` runs). */
function changesetBin() {
  const require = createRequire(path.join(TOOLS_ROOT, 'package.json'));
  const manifestPath = require.resolve('@changesets/cli/package.json');
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return path.join(path.dirname(manifestPath), typeof bin === 'string' ? bin : bin.changeset);
}

const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'avsb-release-rehearsal-')));
const cleanUp = () => {
  if (keep) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

console.log('Release rehearsal: publish every public package to a local registry and install it as a user');
try {
  await rehearse(tmp);
} catch (error) {
  if (!(error instanceof StepError)) {
    failed++;
    console.log(`  FAIL  ${String(error?.stack ?? error)}`);
  }
} finally {
  cleanUp();
}
console.log(`rehearsal: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
