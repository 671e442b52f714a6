import type { AppContext } from '../app-context';
import { datafileObject } from '../domain/served-datafile';
import type { EditDeps } from '../domain/editor';
import { deleteItem, patchItem, putItem } from '../domain/editor';
import { notFound } from '../errors';
import { readJson } from '../http/body';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { adminForm } from '../storage/item-form';
import type { ItemKind } from '../storage/records';
import { environmentOf, ifMatchRevision, ifNoneMatchAny, intParam } from './common';

const BODY_LIMIT = 16 * 1024 * 1024;
const ENV = '/api/v1/projects/:project/environments/:env';

/** Flags and segments of an environment, its datafile and its history. */
export function registerItemRoutes(router: Router, app: AppContext): void {
  const deps: EditDeps = { store: app.store, validator: app.validator };
  for (const [kind, plural] of [['flag', 'flags'], ['segment', 'segments']] as const) {
    router.get(`${ENV}/${plural}`, async (ctx) => {
      const snapshot = await readSnapshot(app, ctx.params);
      sendJson(ctx.res, 200, (kind === 'flag' ? snapshot.flags : snapshot.segments).map(adminForm));
    });

    router.get(`${ENV}/${plural}/:key`, async (ctx) => {
      const snapshot = await readSnapshot(app, ctx.params);
      const item = (kind === 'flag' ? snapshot.flags : snapshot.segments).find((i) => i.key === ctx.params.key);
      if (!item) throw notFound(`${kind} "${ctx.params.key}" not found`);
      // the revision this item was read at: an editor's If-Match, with no second request that another edit could pass
      sendJson(ctx.res, 200, adminForm(item), { ETag: `"${snapshot.environment.revision}"` });
    });

    router.put(`${ENV}/${plural}/:key`, async (ctx) => {
      const environment = await environmentOf(app, ctx.params);
      const ifRevision = ifMatchRevision(ctx);
      const onlyIfAbsent = ifNoneMatchAny(ctx);
      const body = await readJson(ctx.req, ctx.res, BODY_LIMIT);
      const result = await putItem(deps, environment.id, kind, ctx.params.key!, body, { ifRevision, onlyIfAbsent });
      logEdit(app, kind, result.created ? 'created' : 'updated', ctx.params, result.revision);
      sendJson(ctx.res, result.created ? 201 : 200, result.item, { ETag: `"${result.revision}"` });
    });

    router.patch(`${ENV}/${plural}/:key`, async (ctx) => {
      const environment = await environmentOf(app, ctx.params);
      const ifRevision = ifMatchRevision(ctx);
      const body = await readJson(ctx.req, ctx.res, BODY_LIMIT);
      const result = await patchItem(deps, environment.id, kind, ctx.params.key!, body, { ifRevision });
      logEdit(app, kind, 'patched', ctx.params, result.revision);
      sendJson(ctx.res, 200, result.item, { ETag: `"${result.revision}"` });
    });

    router.delete(`${ENV}/${plural}/:key`, async (ctx) => {
      const environment = await environmentOf(app, ctx.params);
      const revision = await deleteItem(deps, environment.id, kind, ctx.params.key!, { ifRevision: ifMatchRevision(ctx) });
      logEdit(app, kind, 'deleted', ctx.params, revision);
      sendJson(ctx.res, 204, undefined, { ETag: `"${revision}"` });
    });
  }

  router.get(`${ENV}/datafile`, async (ctx) => {
    const snapshot = await readSnapshot(app, ctx.params);
    sendJson(ctx.res, 200, datafileObject(snapshot, 'server'), { ETag: `"${snapshot.environment.revision}"` });
  });

  router.get(`${ENV}/history`, async (ctx) => {
    const environment = await environmentOf(app, ctx.params);
    const limit = intParam(ctx, 'limit', 50, 1, 1000);
    sendJson(ctx.res, 200, await app.store.listHistory(environment.id, limit));
  });
}

async function readSnapshot(app: AppContext, params: Record<string, string>) {
  const environment = await environmentOf(app, params);
  const snapshot = await app.store.readEnvironment(environment.id);
  if (!snapshot) throw notFound(`environment "${params.env}" not found`);
  return snapshot;
}

function logEdit(app: AppContext, kind: ItemKind, what: string, params: Record<string, string>, revision: number): void {
  app.logger.info(`${kind} ${what}: ${params.project}/${params.env}/${params.key} (revision ${revision})`);
}
