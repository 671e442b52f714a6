// The server SDKs of the SDK-level section, in table order. Adapters import
// their SDK lazily (in `load`).
import type { SdkModule } from './types.js';

// Settings of the measurement (src/sdk/child.ts); environment variables shorten a smoke test.
/** Requests of the soak (RSS is sampled at a tenth of it and at the end). */
export const SOAK = Number(process.env.BENCH_SDK_SOAK ?? 1_000_000);
/** Time budget of the soak: a slower SDK does as many requests as fit (a multiple of 10,000, estimated from its request timing). */
export const SOAK_S = Number(process.env.BENCH_SDK_SOAK_S ?? 90);
/** Scopes the repeat-read row cycles over: few enough that every exposure is already recorded (deduplicated). */
export const REPEAT_SCOPES = 100;
/** Requests (or scopes) between two turns of the event loop, so that timers, I/O and event delivery run as in a server. */
export const YIELD_EVERY = 100;

export const SDK_LEVEL_IDS = ['avsb', 'avsb-hook', 'launchdarkly', 'growthbook', 'devcycle', 'unleash', 'flipt', 'hand'] as const;

export async function loadSdkModule(id: string): Promise<SdkModule> {
  switch (id) {
    case 'avsb':
      return import('./avsb.js');
    case 'avsb-hook':
      return import('./avsb-hook.js');
    case 'launchdarkly':
      return import('./launchdarkly.js');
    case 'growthbook':
      return import('./growthbook.js');
    case 'devcycle':
      return import('./devcycle.js');
    case 'unleash':
      return import('./unleash.js');
    case 'flipt':
      return import('./flipt.js');
    case 'hand':
      return import('./hand.js');
    default:
      throw new Error(`unknown SDK-level id: ${id} (one of ${SDK_LEVEL_IDS.join(', ')})`);
  }
}
