#!/usr/bin/env node
// One-step set-up for a fresh machine with Node 20 and npm:
//   npm run setup        pnpm, then the workspace's dependencies
//   npm run setup:test   the same, plus Debian's Chromium and Firefox ESR for the browser tests
// It only uses what npm already gives us, so it can run before pnpm exists.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PNPM = '12.4.2';
const withBrowser = process.argv.includes('--with-browser');

function run(cmd, args, env = process.env) {
  console.log(`> ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', env });
}

function version(cmd) {
  try {
    return execFileSync(cmd, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

if (version('pnpm') !== PNPM) run('npm', ['install', '-g', `pnpm@${PNPM}`]);

// better-sqlite3 compiles from source; node-gyp downloads Node's headers
// unless told where local ones are. Machines without network need this.
const env = { ...process.env };
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
run('pnpm', ['install', ...(process.env.CI ? ['--frozen-lockfile'] : [])], env);

// the browser tests: Debian's Chromium (the dashboard, @avsb/browser) and Firefox ESR (@avsb/browser)
const browsers = withBrowser ? ['chromium', 'firefox-esr'].filter((name) => !existsSync(`/usr/bin/${name}`)) : [];
if (browsers.length > 0) {
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args));
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...browsers]);
}
