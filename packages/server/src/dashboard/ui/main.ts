/**
 * The dashboard's entry: sign-in (the admin token, kept in sessionStorage),
 * the sidebar, and hash routing to the pages.
 *
 * Routes:
 *   #/                                      projects
 *   #/p/:project                            environments and their keys
 *   #/p/:project/e/:env                     flags of an environment
 *   #/p/:project/e/:env/flags/:flag         the flag editor
 *   #/p/:project/e/:env/events              live events
 *   #/p/:project/e/:env/results[/:flag]?metric=…   experiment results
 *   #/p/:project/e/:env/history             change history
 */
import { ApiError, api, clearToken, enc, errorText, getToken, setToken } from './api';
import { field, h, replace } from './dom';
import { eventsPage, historyPage } from './events';
import { flagEditorPage } from './flag-editor';
import { flagsPage } from './flag-list';
import type { Page, PageContext, RouteParams } from './page';
import { projectPage, projectsPage } from './projects';
import { resultsPage } from './results';
import type { Project } from './types';

type RouteName = 'projects' | 'project' | 'flags' | 'flag' | 'events' | 'history' | 'results';

interface Route {
  name: RouteName;
  params: RouteParams;
  query: URLSearchParams;
}

const PAGES: Record<RouteName, Page> = {
  projects: projectsPage,
  project: projectPage,
  flags: flagsPage,
  flag: flagEditorPage,
  events: eventsPage,
  history: historyPage,
  results: resultsPage,
};

const ENV_TABS: ReadonlyArray<[RouteName, string, string[]]> = [
  ['flags', 'Flags', []],
  ['events', 'Live events', ['events']],
  ['results', 'Results', ['results']],
  ['history', 'History', ['history']],
];

const app = document.getElementById('app')!;
let projects: Project[] | null = null;
let cleanup: (() => void) | null = null;
let renderSeq = 0;
let signInMessage = '';

function href(parts: readonly string[], query?: Record<string, string | undefined>): string {
  let out = '#/' + parts.map((p) => enc(p)).join('/');
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v);
    const text = q.toString();
    if (text) out += '?' + text;
  }
  return out;
}

function parseRoute(): Route {
  const raw = location.hash.replace(/^#/, '') || '/';
  const qIndex = raw.indexOf('?');
  const path = qIndex === -1 ? raw : raw.slice(0, qIndex);
  const query = new URLSearchParams(qIndex === -1 ? '' : raw.slice(qIndex + 1));
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const route: Route = { name: 'projects', params: {}, query };
  if (parts[0] !== 'p' || parts[1] === undefined) return route;
  route.params.project = parts[1];
  route.name = 'project';
  if (parts[2] !== 'e' || parts[3] === undefined) return route;
  route.params.env = parts[3];
  route.name = 'flags';
  const section = parts[4];
  if (section === 'flags' && parts[5] !== undefined) {
    route.name = 'flag';
    route.params.flag = parts[5];
  } else if (section === 'events') route.name = 'events';
  else if (section === 'history') route.name = 'history';
  else if (section === 'results') {
    route.name = 'results';
    if (parts[5] !== undefined) route.params.flag = parts[5];
  }
  return route;
}

async function loadProjects(force: boolean): Promise<Project[]> {
  if (!projects || force) projects = await api<Project[]>('GET', '/projects');
  return projects;
}

function runCleanup(): void {
  try {
    cleanup?.();
  } catch {
    // a page's cleanup failing must not block the next page
  }
  cleanup = null;
}

function signIn(): void {
  runCleanup();
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true });
  const error = h('p', { class: 'error', role: 'alert' }, signInMessage);
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'signin-card' },
    h('div', { class: 'brand big' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, 'A/B'), ' A vs B'),
    h('h1', null, 'Sign in to the dashboard'),
    h('p', { class: 'muted' }, 'Paste the admin token that ', h('code', null, 'avsb dev'), ' printed when it started. It is kept for this browser tab only.'),
    field('Admin token', input),
    error,
    button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    button.disabled = true;
    replace(error);
    try {
      projects = await api<Project[]>('GET', '/projects', undefined, { token });
      setToken(token);
      signInMessage = '';
      void render();
    } catch (err) {
      replace(error, err instanceof ApiError && err.status === 401 ? 'That token was refused. Check the token avsb dev printed.' : errorText(err));
      button.disabled = false;
    }
  });
  replace(app, h('main', { class: 'signin' }, form));
  input.focus();
}

function signOut(): void {
  clearToken();
  projects = null;
  signInMessage = '';
  location.hash = '#/';
  signIn();
}

function sidebar(route: Route): HTMLElement {
  const list = h('ul', { class: 'nav-projects' });
  for (const p of projects || []) {
    const current = route.params.project === p.key;
    const envs = h('ul', { class: 'nav-envs' });
    for (const envKey of p.environments || []) {
      const envCurrent = current && route.params.env === envKey;
      envs.appendChild(h('li', null, h('a', { href: href(['p', p.key, 'e', envKey]), class: envCurrent ? 'active' : null, 'aria-current': envCurrent ? 'page' : null }, envKey)));
    }
    list.appendChild(h('li', { class: current ? 'open' : null },
      h('a', { href: href(['p', p.key]), class: current && !route.params.env ? 'active project' : 'project' }, p.name || p.key),
      envs));
  }
  if (!projects || projects.length === 0) list.appendChild(h('li', { class: 'muted small' }, 'No projects yet'));
  return h('nav', { class: 'sidebar', 'aria-label': 'Projects' },
    h('a', { class: 'brand', href: '#/' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, 'A/B'), ' A vs B'),
    h('div', { class: 'nav-heading' }, 'Projects'),
    list,
    h('div', { class: 'nav-footer' }, h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out')));
}

function envHeader(route: Route): HTMLElement {
  const project = route.params.project ?? '';
  const env = route.params.env ?? '';
  const p = (projects || []).find((x) => x.key === project);
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Environment' });
  for (const [name, label, suffix] of ENV_TABS) {
    const active = route.name === name || (name === 'flags' && route.name === 'flag');
    tabs.appendChild(h('a', { href: href(['p', project, 'e', env, ...suffix]), class: active ? 'active' : null, 'aria-current': active ? 'page' : null }, label));
  }
  // named as the user's guide and the integration READMEs name it: "Settings → Environments" holds the SDK keys
  tabs.appendChild(h('a', { href: href(['p', project]) }, 'Settings'));
  return h('div', { class: 'env-header' },
    h('div', { class: 'crumbs' },
      h('a', { href: href(['p', project]) }, p ? p.name || p.key : project),
      h('span', { 'aria-hidden': 'true' }, ' / '),
      h('span', { class: 'env-name' }, env)),
    tabs);
}

async function render(): Promise<void> {
  if (!getToken()) {
    signIn();
    return;
  }
  const seq = ++renderSeq;
  runCleanup();
  const route = parseRoute();
  try {
    await loadProjects(false);
  } catch (err) {
    if (seq !== renderSeq || (err instanceof ApiError && err.status === 401)) return;
    replace(app, h('main', { class: 'content' }, h('p', { class: 'error', role: 'alert' }, 'Cannot load projects: ' + errorText(err))));
    return;
  }
  if (seq !== renderSeq) return;
  const body = h('div', { class: 'page' });
  const main = h('main', { class: 'content', id: 'main' }, route.params.env ? envHeader(route) : null, body);
  replace(app, h('div', { class: 'layout' }, sidebar(route), main));
  body.appendChild(h('p', { class: 'muted loading' }, 'Loading…'));
  const ctx: PageContext = {
    body,
    params: route.params,
    query: route.query,
    href,
    navigate(hash) { location.hash = hash; },
    async refreshProjects() {
      await loadProjects(true);
      if (seq === renderSeq) app.querySelector('.sidebar')?.replaceWith(sidebar(route));
    },
    isCurrent: () => seq === renderSeq,
    projects: () => projects || [],
  };
  try {
    const result = await PAGES[route.name](ctx);
    if (seq !== renderSeq) {
      if (typeof result === 'function') result();
      return;
    }
    if (typeof result === 'function') cleanup = result;
  } catch (err) {
    if (seq !== renderSeq || (err instanceof ApiError && err.status === 401)) return;
    const message = err instanceof ApiError && err.status === 404 ? 'Not found: ' + err.message : errorText(err);
    replace(body, h('p', { class: 'error', role: 'alert' }, message));
  }
  const heading = body.querySelector('h1');
  document.title = (heading ? heading.textContent + ' · ' : '') + 'A vs B';
}

window.addEventListener('hashchange', () => void render());
window.addEventListener('avsb:unauthorized', () => {
  clearToken();
  projects = null;
  signInMessage = 'The server refused the admin token (it changes when avsb dev restarts). Sign in again.';
  signIn();
});

void render();
