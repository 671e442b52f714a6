/**
 * The project list, and a project's environments with their SDK keys
 * (masked, revealed on click, rotated after a confirmation).
 */
import { api, enc, envPath, errorText } from './api';
import { field, h, replace } from './dom';
import { KEY_HINT, KEY_INPUT_PATTERN, isValidKey } from './model';
import type { PageContext } from './page';
import type { Environment } from './types';

export async function projectsPage(ctx: PageContext): Promise<void> {
  await ctx.refreshProjects();
  const projects = ctx.projects();
  const rows = projects.map((p) => h('tr', null,
    h('td', null, h('a', { href: ctx.href(['p', p.key]) }, p.name || p.key)),
    h('td', null, h('code', { class: 'key-text' }, p.key)),
    h('td', null, (p.environments || []).map((e, i) => [i ? ', ' : '', h('a', { href: ctx.href(['p', p.key, 'e', e]) }, e)]))));

  const keyInput = h('input', { name: 'key', required: true, placeholder: 'shop', pattern: KEY_INPUT_PATTERN, title: KEY_HINT });
  const nameInput = h('input', { name: 'name', required: true, placeholder: 'Shop' });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'inline-form card' },
    h('h2', null, 'New project'),
    h('div', { class: 'row' }, field('Project key', keyInput), field('Project name', nameInput),
      h('button', { type: 'submit', class: 'primary' }, 'Create project')),
    h('p', { class: 'hint' }, 'A project starts with two environments, production and staging, each with its own keys.'),
    error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(error);
    const key = keyInput.value.trim();
    if (!isValidKey(key)) {
      replace(error, KEY_HINT);
      return;
    }
    try {
      const created = await api<{ key?: string } | null>('POST', '/projects', { key, name: nameInput.value.trim() || key });
      await ctx.refreshProjects();
      ctx.navigate(ctx.href(['p', created?.key || key]));
    } catch (err) {
      replace(error, errorText(err));
    }
  });

  replace(ctx.body,
    h('h1', null, 'Projects'),
    projects.length === 0
      ? h('p', { class: 'empty' }, 'No projects yet. Create one below, or import one with ', h('code', null, 'avsb import'), '.')
      : h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Project'), h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Environments'))),
        h('tbody', null, rows)),
    form);
}

interface RevealedKeys {
  serverKey: string;
  clientKey: string;
}

function keyRow(project: string, env: Environment, kind: 'server' | 'client', maskedAtStart: string | undefined): HTMLElement {
  const envKey = env.key;
  const what = kind + ' key';
  let masked = maskedAtStart || '–';
  let revealed: string | null = null;
  const code = h('code', { class: 'key masked' }, masked);
  const status = h('span', { class: 'status', role: 'status' });
  const revealButton = h('button', { type: 'button', class: 'key-button', 'aria-label': 'Reveal ' + what + ' of ' + envKey, title: 'Click to reveal' }, code);
  const copyButton = h('button', { type: 'button', class: 'small', hidden: true }, 'Copy');
  const confirmBox = h('div', { class: 'confirm', hidden: true });
  const rotateButton = h('button', { type: 'button', class: 'small danger-outline', 'aria-label': 'Rotate ' + what + ' of ' + envKey }, 'Rotate');
  const reveal = async (): Promise<string> => {
    const keys = await api<RevealedKeys>('GET', envPath(project, envKey) + '/keys?reveal=true');
    return kind === 'server' ? keys.serverKey : keys.clientKey;
  };

  function show(full: string): void {
    revealed = full;
    code.textContent = full;
    code.classList.remove('masked');
    revealButton.setAttribute('aria-label', 'Hide ' + what + ' of ' + envKey);
    revealButton.title = 'Click to hide';
    copyButton.hidden = false;
  }
  function hide(): void {
    revealed = null;
    code.textContent = masked;
    code.classList.add('masked');
    revealButton.setAttribute('aria-label', 'Reveal ' + what + ' of ' + envKey);
    revealButton.title = 'Click to reveal';
    copyButton.hidden = true;
  }
  revealButton.addEventListener('click', async () => {
    if (revealed) {
      hide();
      return;
    }
    revealButton.disabled = true;
    replace(status);
    try {
      show(await reveal());
    } catch (err) {
      replace(status, h('span', { class: 'error' }, errorText(err)));
    } finally {
      revealButton.disabled = false;
    }
  });
  copyButton.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(revealed || '');
      replace(status, 'Copied');
    } catch {
      replace(status, 'Select the key to copy it');
    }
    setTimeout(() => replace(status), 2000);
  });
  rotateButton.addEventListener('click', () => {
    const go = h('button', { type: 'button', class: 'small danger' }, 'Rotate ' + what);
    const cancel = h('button', { type: 'button', class: 'small' }, 'Cancel');
    replace(confirmBox, h('span', null, 'Rotate the ' + what + ' of ' + envKey + '? The old key stops working at once.'), ' ', go, ' ', cancel);
    confirmBox.hidden = false;
    cancel.addEventListener('click', () => { confirmBox.hidden = true; });
    go.addEventListener('click', async () => {
      go.disabled = true;
      try {
        const answer = await api<string | { key?: string; serverKey?: string; clientKey?: string } | null>('POST', envPath(project, envKey) + '/keys/rotate', { kind });
        let full: string | null = null;
        if (typeof answer === 'string') full = answer;
        else if (answer) full = answer.key || (kind === 'server' ? answer.serverKey : answer.clientKey) || null;
        full ??= await reveal();
        masked = full.slice(0, 4) + '…' + full.slice(-4);
        show(full);
        confirmBox.hidden = true;
        replace(status, 'Rotated: the old key no longer works');
      } catch (err) {
        replace(confirmBox, h('span', { class: 'error' }, errorText(err)));
      }
    });
  });
  return h('div', { class: 'key-row' },
    h('div', { class: 'key-label' }, kind === 'server' ? 'Server key' : 'Client key'),
    h('div', { class: 'key-value' }, revealButton, copyButton, rotateButton, status),
    confirmBox);
}

export async function projectPage(ctx: PageContext): Promise<void> {
  const project = ctx.params.project ?? '';
  const [info, envs] = await Promise.all([
    api<{ key: string; name?: string }>('GET', '/projects/' + enc(project)),
    api<Environment[]>('GET', '/projects/' + enc(project) + '/environments'),
  ]);
  const cards = envs.map((env) => h('section', { class: 'card env-card', 'aria-label': 'Environment ' + env.key },
    h('div', { class: 'card-head' },
      h('h3', null, env.name || env.key, ' ', h('code', { class: 'muted small' }, env.key)),
      h('span', { class: 'badge' }, 'revision ' + env.revision)),
    keyRow(project, env, 'server', env.serverKey),
    keyRow(project, env, 'client', env.clientKey),
    h('p', { class: 'hint' }, 'Server keys get every flag and may post events: keep them on servers. Client keys get only client-side flags and are safe in browsers.'),
    h('div', { class: 'links' },
      h('a', { href: ctx.href(['p', project, 'e', env.key]) }, 'Flags'),
      h('a', { href: ctx.href(['p', project, 'e', env.key, 'events']) }, 'Live events'),
      h('a', { href: ctx.href(['p', project, 'e', env.key, 'results']) }, 'Results'),
      h('a', { href: ctx.href(['p', project, 'e', env.key, 'history']) }, 'History'))));

  const keyInput = h('input', { name: 'key', required: true, placeholder: 'qa', pattern: KEY_INPUT_PATTERN, title: KEY_HINT });
  const nameInput = h('input', { name: 'name', placeholder: 'QA' });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'inline-form card' },
    h('h2', null, 'New environment'),
    h('div', { class: 'row' }, field('Environment key', keyInput), field('Environment name', nameInput),
      h('button', { type: 'submit', class: 'primary' }, 'Create environment')),
    error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(error);
    const key = keyInput.value.trim();
    if (!isValidKey(key)) {
      replace(error, KEY_HINT);
      return;
    }
    try {
      await api('POST', '/projects/' + enc(project) + '/environments', { key, name: nameInput.value.trim() || key });
      await ctx.refreshProjects();
      await projectPage(ctx);
    } catch (err) {
      replace(error, errorText(err));
    }
  });

  const exportError = h('span', { class: 'error', role: 'alert' });
  const exportButton = h('button', { type: 'button', class: 'small' }, 'Export JSON');
  exportButton.addEventListener('click', async () => {
    replace(exportError);
    try {
      const doc = await api('GET', '/projects/' + enc(project) + '/export?format=json');
      const blob = new Blob([JSON.stringify(doc, null, 2) + '\n'], { type: 'application/json' });
      const a = h('a', { href: URL.createObjectURL(blob), download: project + '.json' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    } catch (err) {
      replace(exportError, errorText(err));
    }
  });

  // "Settings → Environments" in the user's guide: the page is the project's settings, the keys are under Environments
  replace(ctx.body,
    h('div', { class: 'crumbs' }, info.name || info.key),
    h('div', { class: 'page-head' },
      h('h1', null, 'Settings'),
      h('div', { class: 'actions' }, exportButton, exportError)),
    h('p', { class: 'muted' }, 'Project ', h('code', null, info.key), ' · ', envs.length + ' environment' + (envs.length === 1 ? '' : 's')),
    h('section', { 'aria-labelledby': 'environments-heading' },
      h('h2', { id: 'environments-heading' }, 'Environments'),
      h('p', { class: 'hint' }, 'Each environment has its own SDK keys: the server key (srv-…) is what AVSB_SDK_KEY holds on a server.'),
      cards),
    form);
}
