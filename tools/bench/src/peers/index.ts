// The SDKs of the benchmark, in table order. Adapter modules import their SDK
// lazily (in `load`), so importing an adapter costs nothing measurable.
import type { PeerModule } from './types.js';

export const SDK_IDS = ['avsb', 'avsb-index', 'avsb-evaluator', 'flagd', 'growthbook', 'launchdarkly', 'devcycle'] as const;
export type SdkId = (typeof SDK_IDS)[number];

export async function loadPeerModule(id: string): Promise<PeerModule> {
  switch (id) {
    case 'avsb':
    case 'avsb-index': {
      const m = await import('./avsb.js');
      return { translate: m.translate, createPeer: () => m.createPeer(id === 'avsb-index' ? 'index' : 'key') };
    }
    case 'avsb-evaluator': {
      const m = await import('./avsb.js');
      return { translate: m.translateCompiled, createPeer: () => m.createPeer('evaluator') };
    }
    case 'flagd':
      return import('./flagd.js');
    case 'growthbook':
      return import('./growthbook.js');
    case 'launchdarkly':
      return import('./launchdarkly.js');
    case 'devcycle':
      return import('./devcycle.js');
    default:
      throw new Error(`unknown SDK id: ${id} (one of ${SDK_IDS.join(', ')})`);
  }
}
