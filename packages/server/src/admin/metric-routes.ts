import type { AppContext } from '../app-context';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { JsonObject } from '../storage/records';
import { environmentOf } from './common';

const ENV = '/api/v1/projects/:project/environments/:env';

/** How far back `…/metrics` looks: the environment's newest events (the dashboard's hint, not a report). */
export const METRICS_SCAN = 10_000;
/** At most this many metrics in the answer. */
export const METRICS_LIMIT = 50;
const PAGE = 1_000;

interface Seen {
  key: string;
  count: number;
  /** Events from contexts exposed to `?flag=` within the scan. */
  exposedCount: number;
  lastSeen: number;
}

function contextIds(event: JsonObject): string[] {
  const keys = event.contextKeys;
  if (!keys || typeof keys !== 'object' || Array.isArray(keys)) return [];
  return Object.entries(keys).map(([kind, key]) => kind + '\u0000' + String(key));
}

/**
 * `GET …/metrics?flag=<key>`: the custom event keys (metrics) among the
 * environment's newest {@link METRICS_SCAN} events, for the results page's metric picker. With
 * `flag`, metrics sent by contexts exposed to that flag come first.
 */
export function registerMetricRoutes(router: Router, app: AppContext): void {
  router.get(`${ENV}/metrics`, async (ctx) => {
    const environment = await environmentOf(app, ctx.params);
    const flag = ctx.url.searchParams.get('flag') || null;
    const seen = new Map<string, Seen>();
    const exposed = new Set<string>();
    const customs: Array<{ key: string; ids: string[] }> = [];
    // newest first by the environment's own events: ids are one sequence for the server, so a window of ids may
    // hold few of this environment's events when others are busy
    let before = Number.MAX_SAFE_INTEGER;
    for (let scanned = 0; scanned < METRICS_SCAN;) {
      const events = await app.store.listEventsBefore(environment.id, before, Math.min(PAGE, METRICS_SCAN - scanned));
      if (events.length === 0) break;
      for (const stored of events) {
        const event = stored.event;
        if (event.kind === 'exposure' && flag !== null && event.flag === flag) {
          for (const id of contextIds(event)) exposed.add(id);
        } else if (event.kind === 'custom' && typeof event.key === 'string') {
          let entry = seen.get(event.key);
          if (!entry) seen.set(event.key, (entry = { key: event.key, count: 0, exposedCount: 0, lastSeen: 0 }));
          entry.count += 1;
          entry.lastSeen = Math.max(entry.lastSeen, stored.receivedAt);
          if (flag !== null) customs.push({ key: event.key, ids: contextIds(event) });
        }
      }
      scanned += events.length;
      before = events[events.length - 1]!.id;
    }
    // scanned newest first, a conversion comes before the exposure that led to it: count once every exposure is known
    for (const c of customs) if (c.ids.some((id) => exposed.has(id))) seen.get(c.key)!.exposedCount += 1;
    const list = [...seen.values()].sort((a, b) => b.exposedCount - a.exposedCount || b.count - a.count || (a.key < b.key ? -1 : 1));
    sendJson(ctx.res, 200, list.slice(0, METRICS_LIMIT).map((m) => ({ ...m })));
  });
}
