import type { AppContext } from '../app-context';
import { generateEnvironmentKeys, generateSdkKey } from '../domain/keys';
import { KEY_PATTERN } from '../domain/project-document';
import { invalidRequest } from '../errors';
import { readJson } from '../http/body';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { boolParam, environmentOf, environmentView, projectOf, stringMember } from './common';

const BODY_LIMIT = 64 * 1024;
const ENV = '/api/v1/projects/:project/environments/:env';

/** Environments and their SDK keys. */
export function registerEnvironmentRoutes(router: Router, app: AppContext): void {
  router.get('/api/v1/projects/:project/environments', async (ctx) => {
    const project = await projectOf(app, ctx.params);
    sendJson(ctx.res, 200, project.environments.map((e) => environmentView(e)));
  });

  router.post('/api/v1/projects/:project/environments', async (ctx) => {
    const body = await readJson(ctx.req, ctx.res, BODY_LIMIT);
    const key = stringMember(body, 'key', true)!;
    if (!KEY_PATTERN.test(key)) throw invalidRequest('key: must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');
    const name = stringMember(body, 'name', false) ?? key;
    const environment = await app.store.createEnvironment(ctx.params.project!, { key, name, ...generateEnvironmentKeys() });
    app.logger.info(`environment created: ${ctx.params.project}/${key}`);
    sendJson(ctx.res, 201, environmentView(environment));
  });

  router.get(ENV, async (ctx) => {
    sendJson(ctx.res, 200, environmentView(await environmentOf(app, ctx.params)));
  });

  router.get(`${ENV}/keys`, async (ctx) => {
    const environment = await environmentOf(app, ctx.params);
    const view = environmentView(environment, boolParam(ctx, 'reveal'));
    sendJson(ctx.res, 200, { serverKey: view.serverKey, clientKey: view.clientKey });
  });

  router.post(`${ENV}/keys/rotate`, async (ctx) => {
    const body = await readJson(ctx.req, ctx.res, BODY_LIMIT);
    const kind = stringMember(body, 'kind', true);
    if (kind !== 'server' && kind !== 'client') throw invalidRequest('kind: must be "server" or "client"');
    const environment = await environmentOf(app, ctx.params);
    const key = generateSdkKey(kind);
    await app.store.rotateSdkKey(environment.id, kind, key);
    app.logger.info(`${kind} key rotated: ${environment.projectKey}/${environment.key}`);
    sendJson(ctx.res, 200, { kind, key });
  });
}
