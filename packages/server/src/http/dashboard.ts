import type { ServerResponse } from 'node:http';
import { dashboardAssets } from '../dashboard';
import { sendText } from './respond';

/** Serves a GET for a dashboard path; false when the path is not one. */
export type DashboardHandler = (method: string, pathname: string, res: ServerResponse) => boolean;

/**
 * The dashboard (`src/dashboard/`, static assets held in memory) mounted at
 * `/`: a GET or HEAD of one of its paths answers that asset.
 */
export function createDashboardHandler(): DashboardHandler {
  const assets = dashboardAssets();
  return (method, pathname, res) => {
    if (method !== 'GET' && method !== 'HEAD') return false;
    const asset = assets.get(pathname);
    if (!asset) return false;
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    sendText(res, 200, asset.body, asset.contentType);
    return true;
  };
}
