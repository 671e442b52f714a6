/**
 * Regenerates cases/bucketing.json, cases/rollouts.json and
 * cases/experiments.json from src/bucketing-cases.ts (expectations computed
 * with src/murmur3.ts, independently of the engine). Commit the output.
 *
 *   pnpm --filter @avsb/conformance generate
 *   # or, from tools/conformance: node --import ./scripts/register-ts.mjs scripts/generate-bucketing.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBucketingFiles } from '../src/bucketing-cases';
import { formatCaseFile } from '../src/format';
import { murmur3_x86_32, PUBLISHED_MURMUR3_VECTORS } from '../src/murmur3';

for (const [input, seed, expected] of PUBLISHED_MURMUR3_VECTORS) {
  const got = murmur3_x86_32(typeof input === 'string' ? input : new Uint8Array(input), seed);
  if (got !== expected) throw new Error(`murmur3 self-test failed for ${JSON.stringify(input)}, seed ${seed}`);
}

const casesDir = fileURLToPath(new URL('../cases/', import.meta.url));
for (const [name, content] of Object.entries(buildBucketingFiles())) {
  writeFileSync(join(casesDir, name), formatCaseFile(content));
  const rows = (content.cases ?? content.vectors) as unknown[];
  console.log(`${name}: ${rows.length}`);
}
