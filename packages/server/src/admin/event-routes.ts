import type { AppContext } from '../app-context';
import { flagResults } from '../domain/results';
import { invalidRequest, notFound } from '../errors';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { environmentOf, eventView, intParam } from './common';

const ENV = '/api/v1/projects/:project/environments/:env';

/** Stored SDK events (list and live stream) and experiment results. */
export function registerEventRoutes(router: Router, app: AppContext): void {
  router.get(`${ENV}/events`, async (ctx) => {
    const environment = await environmentOf(app, ctx.params);
    const after = intParam(ctx, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(ctx, 'limit', 100, 1, 1000);
    sendJson(ctx.res, 200, (await app.store.listEvents(environment.id, after, limit)).map(eventView));
  });

  router.get(`${ENV}/events/stream`, async (ctx) => {
    const environment = await environmentOf(app, ctx.params);
    // resume after ?after= or Last-Event-ID; by default only events that arrive from now on
    const lastEventId = ctx.req.headers['last-event-id'];
    const resume = ctx.url.searchParams.get('after') ?? (typeof lastEventId === 'string' ? lastEventId : null);
    let after: number;
    if (resume !== null && resume !== '') {
      after = Number(resume);
      if (!Number.isSafeInteger(after) || after < 0) throw invalidRequest('after: must be an event id (an integer ≥ 0)');
    } else {
      after = await app.store.lastEventId(environment.id);
    }
    app.adminEvents.open(ctx.res, environment.id, after);
  });

  router.get(`${ENV}/results/:flag`, async (ctx) => {
    const environment = await environmentOf(app, ctx.params);
    const metric = ctx.url.searchParams.get('metric');
    if (!metric) throw invalidRequest('metric: is required (the key of the custom event to count as a conversion)');
    const snapshot = await app.store.readEnvironment(environment.id);
    if (!snapshot) throw notFound(`environment "${ctx.params.env}" not found`);
    sendJson(ctx.res, 200, await flagResults(app.store, snapshot, ctx.params.flag!, metric));
  });
}
