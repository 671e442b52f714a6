// The test page: @avsb/browser as an application bundles it (with the opt-in `jsonDatafiles` of
// @avsb/browser/json-datafiles), exposed on `window.avsb` for the tests to drive.
import * as browser from '@avsb/browser';
import { jsonDatafiles } from '@avsb/browser/json-datafiles';

const avsb = { ...browser, jsonDatafiles };

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
