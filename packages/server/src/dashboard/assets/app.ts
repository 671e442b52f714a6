/**
 * `/app.js`: the entry module: sign-in (the admin token, kept in
 * sessionStorage), the sidebar, and hash routing to the pages.
 *
 * Routes:
 *   #/                                      projects
 *   #/p/:project                            environments and their keys
 *   #/p/:project/e/:env                     flags of an environment
 *   #/p/:project/e/:env/flags/:flag         the flag editor
 *   #/p/:project/e/:env/events              live events
 *   #/p/:project/e/:env/results[/:flag]?metric=…   experiment results
 *   #/p/:project/e/:env/history             change history
 *
 * Browser code kept as a string: no backticks and no dollar-brace in it.
 */
export const APP_JS = String.raw`
import { h, replace, field } from './dom.js';
import { api, getToken, setToken, clearToken, ApiError, enc } from './api.js';
import { projectsPage, projectPage } from './projects.js';
import { flagsPage, flagEditorPage } from './flags.js';
import { eventsPage, historyPage } from './events.js';
import { resultsPage } from './results.js';

const app = document.getElementById('app');
let projects = null;
let cleanup = null;
let renderSeq = 0;
let signInMessage = '';

export function href(parts, query) {
  let out = '#/' + parts.map((p) => enc(p)).join('/');
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const text = q.toString();
    if (text) out += '?' + text;
  }
  return out;
}

function parseRoute() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const qIndex = raw.indexOf('?');
  const path = qIndex === -1 ? raw : raw.slice(0, qIndex);
  const query = new URLSearchParams(qIndex === -1 ? '' : raw.slice(qIndex + 1));
  const parts = path.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
  const route = { name: 'projects', params: {}, query };
  if (parts[0] === 'p' && parts[1] !== undefined) {
    route.params.project = parts[1];
    route.name = 'project';
    if (parts[2] === 'e' && parts[3] !== undefined) {
      route.params.env = parts[3];
      route.name = 'flags';
      const section = parts[4];
      if (section === 'flags' && parts[5] !== undefined) { route.name = 'flag'; route.params.flag = parts[5]; }
      else if (section === 'events') route.name = 'events';
      else if (section === 'history') route.name = 'history';
      else if (section === 'results') { route.name = 'results'; route.params.flag = parts[5]; }
    }
  }
  return route;
}

async function loadProjects(force) {
  if (!projects || force) projects = await api('GET', '/projects');
  return projects;
}

function signIn() {
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
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
      projects = await api('GET', '/projects', undefined, { token });
      setToken(token);
      signInMessage = '';
      render();
    } catch (err) {
      replace(error, err instanceof ApiError && err.status === 401 ? 'That token was refused. Check the token avsb dev printed.' : (err.message || String(err)));
      button.disabled = false;
    }
  });
  replace(app, h('main', { class: 'signin' }, form));
  input.focus();
}

function signOut() {
  clearToken();
  projects = null;
  signInMessage = '';
  location.hash = '#/';
  signIn();
}

function sidebar(route) {
  const nav = h('nav', { class: 'sidebar', 'aria-label': 'Projects' });
  nav.appendChild(h('a', { class: 'brand', href: '#/' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, 'A/B'), ' A vs B'));
  nav.appendChild(h('div', { class: 'nav-heading' }, 'Projects'));
  const list = h('ul', { class: 'nav-projects' });
  for (const p of projects || []) {
    const current = route.params.project === p.key;
    const envs = h('ul', { class: 'nav-envs' });
    for (const envKey of p.environments || []) {
      const envCurrent = current && route.params.env === envKey;
      envs.appendChild(h('li', null, h('a', {
        href: href(['p', p.key, 'e', envKey]),
        class: envCurrent ? 'active' : null,
        'aria-current': envCurrent ? 'page' : null,
      }, envKey)));
    }
    list.appendChild(h('li', { class: current ? 'open' : null },
      h('a', { href: href(['p', p.key]), class: current && !route.params.env ? 'active project' : 'project' }, p.name || p.key),
      envs));
  }
  if (!projects || projects.length === 0) list.appendChild(h('li', { class: 'muted small' }, 'No projects yet'));
  nav.appendChild(list);
  nav.appendChild(h('div', { class: 'nav-footer' }, h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out')));
  return nav;
}

const ENV_TABS = [
  ['flags', 'Flags', []],
  ['events', 'Live events', ['events']],
  ['results', 'Results', ['results']],
  ['history', 'History', ['history']],
];

function envHeader(route) {
  const { project, env } = route.params;
  const p = (projects || []).find((x) => x.key === project);
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Environment' });
  for (const [name, label, suffix] of ENV_TABS) {
    const active = route.name === name || (name === 'flags' && route.name === 'flag');
    tabs.appendChild(h('a', { href: href(['p', project, 'e', env].concat(suffix)), class: active ? 'active' : null, 'aria-current': active ? 'page' : null }, label));
  }
  tabs.appendChild(h('a', { href: href(['p', project]) }, 'Keys'));
  return h('div', { class: 'env-header' },
    h('div', { class: 'crumbs' },
      h('a', { href: href(['p', project]) }, p ? p.name || p.key : project),
      h('span', { 'aria-hidden': 'true' }, ' / '),
      h('span', { class: 'env-name' }, env)),
    tabs);
}

const PAGES = {
  projects: projectsPage,
  project: projectPage,
  flags: flagsPage,
  flag: flagEditorPage,
  events: eventsPage,
  history: historyPage,
  results: resultsPage,
};

export async function render() {
  if (!getToken()) { signIn(); return; }
  const seq = ++renderSeq;
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  const route = parseRoute();
  try {
    await loadProjects(false);
  } catch (err) {
    if (seq !== renderSeq) return;
    if (err instanceof ApiError && err.status === 401) return;
    replace(app, h('main', { class: 'content' }, h('p', { class: 'error', role: 'alert' }, 'Cannot load projects: ' + err.message)));
    return;
  }
  if (seq !== renderSeq) return;
  const main = h('main', { class: 'content', id: 'main' });
  const body = h('div', { class: 'page' });
  if (route.params.env) main.appendChild(envHeader(route));
  main.appendChild(body);
  replace(app, h('div', { class: 'layout' }, sidebar(route), main));
  body.appendChild(h('p', { class: 'muted loading' }, 'Loading…'));
  const ctx = {
    body,
    params: route.params,
    query: route.query,
    href,
    navigate(hash) { location.hash = hash; },
    async refreshProjects() {
      await loadProjects(true);
      if (seq === renderSeq) {
        const fresh = sidebar(route);
        const old = app.querySelector('.sidebar');
        if (old) old.replaceWith(fresh);
      }
    },
    isCurrent() { return seq === renderSeq; },
    projects: () => projects || [],
  };
  try {
    const result = await PAGES[route.name](ctx);
    if (seq !== renderSeq) { if (typeof result === 'function') result(); return; }
    if (typeof result === 'function') cleanup = result;
  } catch (err) {
    if (seq !== renderSeq) return;
    if (err instanceof ApiError && err.status === 401) return;
    const message = err instanceof ApiError ? (err.status === 404 ? 'Not found: ' + err.message : err.describe()) : String(err && err.message ? err.message : err);
    replace(body, h('p', { class: 'error', role: 'alert' }, message));
  }
  const heading = body.querySelector('h1');
  document.title = (heading ? heading.textContent + ' · ' : '') + 'A vs B';
}

window.addEventListener('hashchange', () => { render(); });
window.addEventListener('avsb:unauthorized', () => {
  clearToken();
  projects = null;
  signInMessage = 'The server refused the admin token (it changes when avsb dev restarts). Sign in again.';
  signIn();
});

render();
`;
