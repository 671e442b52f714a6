// Lets Node 20 run this package's TypeScript scripts without a build step:
//   node --import ./scripts/register-ts.mjs scripts/generate-bucketing.ts
// (Node >= 22.6 can use --experimental-strip-types instead.)
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
