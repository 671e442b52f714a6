import type { AppContext } from '../app-context';
import { generateEnvironmentKeys } from '../domain/keys';
import type { ProjectFormat } from '../domain/project-document';
import { KEY_PATTERN, exportProject, parseProjectText, validateProjectDocument } from '../domain/project-document';
import { invalidRequest, notFound } from '../errors';
import { readBody, readJson } from '../http/body';
import { sendJson, sendText } from '../http/respond';
import type { Router } from '../http/router';
import { boolParam, projectOf, projectView, stringMember } from './common';

const ADMIN_BODY_LIMIT = 1024 * 1024;
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;
/** Where the background purge of deleted projects' events is reported. */
const PURGES_PATH = '/api/v1/purges';

/** The default environments of a new project. */
export const DEFAULT_ENVIRONMENTS = [
  { key: 'production', name: 'Production' },
  { key: 'staging', name: 'Staging' },
] as const;

/** `/api/v1/projects…`: list, create, read, delete, export, import; and `/api/v1/purges`, what deletions still purge. */
export function registerProjectRoutes(router: Router, app: AppContext): void {
  router.get('/api/v1/projects', async (ctx) => {
    sendJson(ctx.res, 200, (await app.store.listProjects()).map(projectView));
  });

  router.post('/api/v1/projects', async (ctx) => {
    const body = await readJson(ctx.req, ctx.res, ADMIN_BODY_LIMIT);
    const key = stringMember(body, 'key', true)!;
    if (!KEY_PATTERN.test(key)) throw invalidRequest('key: must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');
    const name = stringMember(body, 'name', false) ?? key;
    const project = await app.store.createProject({
      key,
      name,
      environments: DEFAULT_ENVIRONMENTS.map((e) => ({ ...e, ...generateEnvironmentKeys() })),
    });
    app.logger.info(`project created: ${key}`);
    sendJson(ctx.res, 201, projectView(project));
  });

  // before `/projects/:project` routes of the same shape
  router.post('/api/v1/projects/import', async (ctx) => {
    const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const format: ProjectFormat | undefined = /yaml/.test(type) ? 'yaml' : type === 'application/json' ? 'json' : undefined;
    const text = (await readBody(ctx.req, ctx.res, IMPORT_BODY_LIMIT)).toString('utf8');
    if (text.trim() === '') throw invalidRequest('the body is empty: send a project document (JSON or YAML)');
    const replace = boolParam(ctx, 'replace');
    const raw = parseProjectText(text, format);
    const document = validateProjectDocument(raw, app.validator);
    const existed = (await app.store.getProject(document.key)) !== null;
    const project = await app.store.importProject(document, { replace, newKeys: generateEnvironmentKeys });
    app.logger.info(`project imported: ${project.key}${replace ? ' (replace)' : ''}`);
    sendJson(ctx.res, existed ? 200 : 201, projectView(project));
  });

  router.get('/api/v1/projects/:project', async (ctx) => {
    sendJson(ctx.res, 200, projectView(await projectOf(app, ctx.params)));
  });

  // 202: the project is gone when this answers; its events are purged in the background (ADMIN-API.md)
  router.delete('/api/v1/projects/:project', async (ctx) => {
    if (!(await app.store.deleteProject(ctx.params.project!))) throw notFound(`project "${ctx.params.project}" not found`);
    app.logger.info(`project deleted: ${ctx.params.project} (its events are purged in the background)`);
    const body = { project: ctx.params.project, deleted: true, purge: { state: 'pending', status: PURGES_PATH } };
    sendJson(ctx.res, 202, body, { Location: PURGES_PATH });
  });

  router.get(PURGES_PATH, async (ctx) => {
    const { pending, running, lastError } = await app.store.purgeStatus();
    const view = pending.map((p) => ({ project: p.projectKey, environment: p.environmentKey, deletedAt: p.deletedAt }));
    sendJson(ctx.res, 200, { pending: view, running, lastError });
  });

  router.get('/api/v1/projects/:project/export', async (ctx) => {
    const format = ctx.url.searchParams.get('format') ?? 'json';
    if (format !== 'json' && format !== 'yaml') throw invalidRequest('format: must be "json" or "yaml"');
    const text = await exportProject(app.store, ctx.params.project!, format);
    sendText(ctx.res, 200, text, format === 'yaml' ? 'application/yaml; charset=utf-8' : 'application/json; charset=utf-8');
  });
}
