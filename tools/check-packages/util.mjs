// Small helpers shared by the check-packages modules: running child processes
// and collecting/printing check results.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Environment for child processes that should behave like a user's shell, not
 * like a script launched by `pnpm test` (pnpm injects npm_config_* /
 * npm_package_* / npm_lifecycle_* variables that would leak workspace settings
 * into the fresh consumer project). A registry override is kept so mirrors work.
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    const k = key.toLowerCase();
    if (k.startsWith('npm_package_') || k.startsWith('npm_lifecycle_')) continue;
    if (k.startsWith('npm_config_') && k !== 'npm_config_registry') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs a command without a shell and collects its output.
 * Never rejects: a spawn error or a timeout is reported through `code`/`error`.
 */
export function run(cmd, args, { cwd, env = cleanEnv(), timeoutMs = 120_000 } = {}) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(cmd, args, {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        shell: process.platform === 'win32',
      });
    } catch (error) {
      resolve({ code: -1, stdout, stderr, error: String(error), timedOut });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr, error: String(error), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout, stderr, timedOut });
    });
  });
}

/** Last `max` non-empty lines of a command's combined output, for failure details. */
export function tail(result, max = 15) {
  const text = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  const lines = text.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const out = lines.slice(-max);
  if (lines.length > max) out.unshift(`... (${lines.length - max} earlier lines)`);
  if (result.timedOut) out.push('(timed out)');
  if (result.error) out.push(result.error);
  return out;
}

/** Collects check results per package and prints them as they arrive. */
export class Report {
  constructor() {
    /** @type {Map<string, {passed: string[], failed: string[], notes: string[]}>} */
    this.packages = new Map();
    this.passed = 0;
    this.failed = 0;
  }

  #entry(pkg) {
    if (!this.packages.has(pkg)) this.packages.set(pkg, { passed: [], failed: [], notes: [] });
    return this.packages.get(pkg);
  }

  /** Registers a package so it gets a summary line even if no check ran. */
  add(pkg) {
    this.#entry(pkg);
  }

  /** Records one check. `details` are printed indented under it. */
  record(pkg, check, ok, details = []) {
    const entry = this.#entry(pkg);
    (ok ? entry.passed : entry.failed).push(check);
    if (ok) this.passed++;
    else this.failed++;
    console.log(`  ${ok ? 'pass' : 'FAIL'}  ${pkg}  ${check}`);
    for (const line of details) console.log(`          ${line}`);
  }

  /** Prints an informational line that does not count as a check. */
  note(pkg, text) {
    this.#entry(pkg).notes.push(text);
    console.log(`  note  ${pkg}  ${text}`);
  }

  printSummary() {
    console.log('\nSummary:');
    for (const [pkg, { passed, failed }] of this.packages) {
      const total = passed.length + failed.length;
      if (failed.length === 0) {
        console.log(`  ok    ${pkg}: ${passed.length}/${total} checks passed`);
      } else {
        console.log(`  FAIL  ${pkg}: ${passed.length}/${total} checks passed; failed: ${failed.join(', ')}`);
      }
    }
    console.log(`${this.passed} passed, ${this.failed} failed`);
  }
}

/**
 * Holds one package's report calls (add, record, note) until `replay`: its
 * checks can then run beside another package's while the output still reads
 * package by package.
 */
export class HeldReport {
  #calls = [];

  add(...args) {
    this.#calls.push(['add', args]);
  }

  record(...args) {
    this.#calls.push(['record', args]);
  }

  note(...args) {
    this.#calls.push(['note', args]);
  }

  /** Makes every held call on `report`, in the order they were made. */
  replay(report) {
    for (const [method, args] of this.#calls) report[method](...args);
    this.#calls = [];
  }
}

/** How many packages' checks run at once: one per CPU (a check is a single-threaded tsc, node or pnpm). */
export const CHECK_CONCURRENCY = availableParallelism();

/**
 * Runs `work(item, held)` for every item, at most `limit` at a time, and
 * replays each item's HeldReport into `report` in the items' order, as soon
 * as it and every item before it are done. Resolves with the results of
 * `work`, in the items' order.
 */
export async function checkInOrder(items, limit, report, work) {
  const results = new Array(items.length);
  const held = items.map(() => new HeldReport());
  const done = items.map(() => false);
  let printed = 0;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], held[index]);
      done[index] = true;
      for (; printed < items.length && done[printed]; printed++) held[printed].replay(report);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
