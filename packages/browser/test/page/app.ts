// The test page: @avsb/browser as an application bundles it, exposed on `window.avsb` for the tests to drive.
import * as avsb from '@avsb/browser';

declare global {
  interface Window {
    avsb: typeof avsb;
    /** What change listeners heard, in order. */
    heard: unknown[];
  }
}

window.avsb = avsb;
window.heard = [];
document.documentElement.dataset.loaded = 'true';
