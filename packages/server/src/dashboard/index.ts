/**
 * The dashboard: a single-page app in plain HTML, CSS and JavaScript modules,
 * embedded here as strings so the tsup-built server serves it from memory
 * with no build step and no files to find at run time.
 *
 * The server mounts `dashboardAssets()` at `/`: a GET of one of its paths
 * answers that body with that content type (`/` is the page shell).
 */
import { API_JS } from './assets/api';
import { APP_JS } from './assets/app';
import { CHART_JS } from './assets/chart';
import { DOM_JS } from './assets/dom';
import { EVENTS_JS } from './assets/events';
import { FLAGS_JS } from './assets/flags';
import { FAVICON_SVG, INDEX_HTML } from './assets/html';
import { MODEL_JS } from './assets/model';
import { PROJECTS_JS } from './assets/projects';
import { RESULTS_JS } from './assets/results';
import { STYLE_CSS } from './assets/style';

export interface DashboardAsset {
  /** The Content-Type header, with its charset. */
  contentType: string;
  body: string;
}

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const SVG = 'image/svg+xml; charset=utf-8';

/** Request path → asset. Paths are absolute (`/`, `/app.js`, …); query strings are not part of them. */
export function dashboardAssets(): Map<string, DashboardAsset> {
  return new Map<string, DashboardAsset>([
    ['/', { contentType: HTML, body: INDEX_HTML }],
    ['/index.html', { contentType: HTML, body: INDEX_HTML }],
    ['/style.css', { contentType: CSS, body: STYLE_CSS }],
    ['/favicon.svg', { contentType: SVG, body: FAVICON_SVG }],
    ['/app.js', { contentType: JS, body: APP_JS }],
    ['/api.js', { contentType: JS, body: API_JS }],
    ['/dom.js', { contentType: JS, body: DOM_JS }],
    ['/model.js', { contentType: JS, body: MODEL_JS }],
    ['/chart.js', { contentType: JS, body: CHART_JS }],
    ['/projects.js', { contentType: JS, body: PROJECTS_JS }],
    ['/flags.js', { contentType: JS, body: FLAGS_JS }],
    ['/events.js', { contentType: JS, body: EVENTS_JS }],
    ['/results.js', { contentType: JS, body: RESULTS_JS }],
  ]);
}
