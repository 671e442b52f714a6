// @avsb/node exactly as in avsb.ts, with one hook that does nothing: what the
// evaluation hook machinery costs a read once an application registers a hook.
import type { ScopedClient } from '@avsb/node';
import { NO_OP_HOOK, createAvsbSdk } from './avsb.js';
import type { SdkPeer } from './types.js';

export function createSdk(): SdkPeer<ScopedClient> {
  return createAvsbSdk([NO_OP_HOOK]);
}
