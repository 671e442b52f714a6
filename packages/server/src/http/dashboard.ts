import type { ServerResponse } from 'node:http';
import { dashboardAssets } from '../dashboard';
import { sendText } from './respond';

/**
 * The dashboard's Content-Security-Policy: its scripts, styles and images
 * come from the server itself as files (nothing inline, no `eval`), and it
 * talks only to the server, so anything injected into a page could neither
 * run nor send data elsewhere.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves a GET for a dashboard path; false when the path is not one. */
export type DashboardHandler = (method: string, pathname: string, res: ServerResponse) => boolean;

/** Whether an If-None-Match header names this ETag (a list, `*`, weak forms). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * The dashboard (`src/dashboard/`, its built files read once) mounted at
 * `/`: a GET or HEAD of one of its paths answers that file. Content-hashed
 * files (`app-<hash>.js`) are cached for a year; the page shell is
 * revalidated every time (`no-cache` and an ETag, 304 when unchanged), so a
 * new build reaches the browser on its next load.
 */
export function createDashboardHandler(): DashboardHandler {
  const assets = dashboardAssets();
  return (method, pathname, res) => {
    if (method !== 'GET' && method !== 'HEAD') return false;
    const asset = assets.get(pathname);
    if (!asset) return false;
    res.setHeader('Cache-Control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.setHeader('ETag', asset.etag);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    if (matches(res.req.headers['if-none-match'], asset.etag)) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    sendText(res, 200, asset.body, asset.contentType);
    return true;
  };
}
