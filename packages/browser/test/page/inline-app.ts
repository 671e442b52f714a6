// The test page of the inline entry: the engine's .wasm travels inside the bundle.
import * as avsb from '@avsb/browser/inline';

(window as unknown as { avsb: typeof avsb }).avsb = avsb;
window.heard = [];
document.documentElement.dataset.loaded = 'true';
