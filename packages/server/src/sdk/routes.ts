import type { AppContext } from '../app-context';
import { AvsbError } from '../errors';
import { readJson } from '../http/body';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { authenticateSdk, describeKey } from './auth';
import { sendDatafile } from './datafile-route';
import { MAX_BATCH_BYTES, parseEventBatch } from './event-schema';

/** The SDK protocol (PROTOCOL.md): datafile, stream and events under `/sdk/v1`. */
export function registerSdkRoutes(router: Router, app: AppContext): void {
  router.get('/sdk/v1/datafile', async (ctx) => {
    const match = await authenticateSdk(ctx, app.store);
    const datafile = await app.cache.get(match.environmentId, match.kind, match.revision);
    sendDatafile(ctx.res, datafile, ctx.req.headers.accept, ctx.req.headers['if-none-match'], (message) => app.logger.error(message));
  });

  router.get('/sdk/v1/stream', async (ctx) => {
    const match = await authenticateSdk(ctx, app.store, { queryKey: true });
    await app.streams.open(ctx.res, match);
    app.logger.info(`stream opened: ${describeKey(match)}`);
    ctx.res.on('close', () => app.logger.info(`stream closed: ${describeKey(match)}`));
  });

  router.post('/sdk/v1/events', async (ctx) => {
    // ?key= (client keys only): a browser's sendBeacon of a closing page can carry no header
    const match = await authenticateSdk(ctx, app.store, { queryKey: true });
    const batch = parseEventBatch(await readJson(ctx.req, ctx.res, MAX_BATCH_BYTES));
    const outcome = await app.store.insertEvents(match.environmentId, batch.batchId, batch.events, Date.now()).catch((error: unknown) => {
      // its project was deleted while the body arrived: the key is no longer valid, as the next request would be told
      if (error instanceof AvsbError && error.code === 'not_found') throw new AvsbError('unauthorized', 'unknown or rotated SDK key');
      throw error;
    });
    sendJson(ctx.res, 202, { accepted: outcome.accepted });
  });
}
