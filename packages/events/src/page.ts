// `@avsb/events/page`: what a web page's client (@avsb/browser) sends its events with, and nothing of a server's
// pipeline. Built apart from the index, so that a page's bundle is made of page code alone: esbuild picks a bundle's
// short local names from the character counts of every module it reads, so the index's server code shifted the
// page's names (and its gzipped bytes) whenever it changed.
export { PageEventPipeline } from './page-pipeline';
export { BROWSER_KEEPALIVE_BYTES, browserTransport } from './browser-transport';
export type { BeaconFunction, BrowserTransportOptions } from './browser-transport';
