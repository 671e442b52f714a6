// `ctx.state.avsb` is typed for a user's TypeScript project through the state type of the middleware:
// type-check the consumer project in test/fixtures/consumer against the built
// declarations (ESM and CommonJS in one program, and bundler resolution). Its
// `@ts-expect-error` lines prove wrong uses are caught.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const fixture = fileURLToPath(new URL('../test/fixtures/consumer/', import.meta.url));

// 120 s each: a whole tsc run of the consumer project takes seconds alone, over 30 s on a loaded 2-core CI machine
it.each(['mixed', 'bundler'])('types ctx.state.avsb in a user project (%s)', async (mode) => {
  const result = await run(process.execPath, [tsc, '-p', `${fixture}tsconfig.${mode}.json`, '--pretty', 'false']).then(
    () => '',
    (e: { stdout?: string; message: string }) => e.stdout || e.message,
  );
  expect(result).toBe('');
}, 120_000);
