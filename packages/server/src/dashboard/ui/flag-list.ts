/**
 * The flag list of an environment, with the on/off switch and the New flag
 * form. Built for 10,000 flags: rows are made only for the flags shown (the
 * first {@link PAGE_SIZE} matches, more on scroll or "Show more"), and the
 * filter compares against lowercase text computed once per flag.
 */
import { ApiError, api, enc, envPath, errorText } from './api';
import { confirmDialog } from './confirm';
import { field, h, keyText, replace } from './dom';
import { fmtInt, fmtJson } from './format';
import { KEY_HINT, KEY_INPUT_PATTERN, copyMembers, describeServe, isExperiment, isProductionEnvironment, isValidKey, newBooleanFlag, variationLabel, variationText } from './model';
import { envParams, type PageContext } from './page';
import type { Environment, Flag } from './types';

/** Rows added at a time. */
export const PAGE_SIZE = 100;

export async function environmentRevision(project: string, env: string): Promise<number | undefined> {
  const envs = await api<Environment[]>('GET', '/projects/' + enc(project) + '/environments');
  return envs.find((e) => e.key === env)?.revision;
}

function servingText(flag: Flag): string {
  if (!flag.on) {
    return flag.offVariation === null || flag.offVariation === undefined
      ? 'off: the caller’s default'
      : 'off: variation ' + variationLabel(flag, flag.offVariation);
  }
  return describeServe(flag.fallthrough, flag);
}

function count(n: number, word: string): string | null {
  return n ? n + ' ' + word + (n === 1 ? '' : 's') : null;
}

function targetingText(flag: Flag): string {
  const targets = (flag.targets || []).reduce((n, t) => n + (t.values?.length || 0), 0);
  const parts = [count(targets, 'target'), count((flag.rules || []).length, 'rule'), count((flag.prerequisites || []).length, 'prerequisite')];
  return parts.filter(Boolean).join(', ') || 'everyone';
}

interface Entry {
  flag: Flag;
  /** key and name, lowercase: what the filter searches. */
  text: string;
  tr?: HTMLTableRowElement;
}

export async function flagsPage(ctx: PageContext): Promise<() => void> {
  const { project, env } = envParams(ctx);
  const base = envPath(project, env);
  const production = isProductionEnvironment(env);
  const [flags, revision] = await Promise.all([api<Flag[]>('GET', base + '/flags'), environmentRevision(project, env)]);
  const started = performance.now();

  const banner = h('div', { class: 'banner error', role: 'alert', hidden: true });
  const tbody = h('tbody');
  const filter = h('input', { type: 'search', placeholder: 'key or name', autocomplete: 'off' });
  const revisionBadge = h('span', { class: 'badge' }, 'revision ' + (revision === undefined ? '?' : revision));
  const shownText = h('p', { class: 'muted small list-count', role: 'status' });
  const more = h('button', { type: 'button', class: 'small show-more', hidden: true }, 'Show more');
  const refreshRevision = (): void => {
    environmentRevision(project, env).then((r) => { revisionBadge.textContent = 'revision ' + r; }, () => {});
  };

  async function toggle(flag: Flag, input: HTMLInputElement, stateText: HTMLElement, redraw: () => void): Promise<void> {
    const wanted = input.checked;
    // show the state it still is in while asking
    input.checked = !wanted;
    if (production) {
      const yes = await confirmDialog({
        title: (wanted ? 'Turn on ' : 'Turn off ') + flag.key + ' in production?',
        message: 'Every SDK connected to ' + env + ' gets the change within seconds: ' +
          (wanted ? 'the flag starts serving its targeting to real users.' : 'real users get its off variation.'),
        confirm: wanted ? 'Turn on in production' : 'Turn off in production',
        danger: !wanted,
      });
      if (!yes) return;
    }
    input.checked = wanted;
    input.disabled = true;
    banner.hidden = true;
    stateText.textContent = wanted ? 'On' : 'Off';
    try {
      const updated = await api<Flag | null>('PATCH', base + '/flags/' + enc(flag.key), { on: wanted });
      if (updated && typeof updated === 'object' && updated.key === flag.key) copyMembers(flag, updated);
      else flag.on = wanted;
      redraw();
      refreshRevision();
    } catch (err) {
      input.checked = !wanted;
      stateText.textContent = input.checked ? 'On' : 'Off';
      input.disabled = false;
      replace(banner, 'Could not turn ' + flag.key + (wanted ? ' on' : ' off') + ': ' + errorText(err));
      banner.hidden = false;
    }
  }

  function row(entry: Entry): HTMLTableRowElement {
    if (entry.tr) return entry.tr;
    const flag = entry.flag;
    const tr = h('tr', { dataset: { flag: flag.key } });
    const flagHref = ctx.href(['p', project, 'e', env, 'flags', flag.key]);
    function draw(): void {
      const input = h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: flag.on, 'aria-label': 'Toggle ' + flag.key });
      const stateText = h('span', { class: 'switch-text' }, flag.on ? 'On' : 'Off');
      input.addEventListener('change', () => void toggle(flag, input, stateText, draw));
      replace(tr,
        h('td', { class: 'toggle-cell' }, h('label', { class: 'switch-wrap' }, input, stateText)),
        h('td', { class: 'flag-cell' },
          h('a', { class: 'flag-key', href: flagHref }, keyText(flag.key)),
          flag.name ? h('div', { class: 'muted small' }, flag.name) : null),
        h('td', { class: 'variations' }, (flag.variations || []).map((v, i) => h('code', { class: 'chip', title: 'variation ' + i + ': ' + variationText(v) }, fmtJson(v, 28)))),
        h('td', { class: flag.on ? null : 'muted' }, servingText(flag)),
        h('td', { class: 'muted' }, targetingText(flag)),
        h('td', { class: 'row-links' },
          h('a', { href: flagHref }, 'Edit'),
          isExperiment(flag) ? h('a', { href: ctx.href(['p', project, 'e', env, 'results', flag.key]) }, 'Results') : null));
    }
    draw();
    entry.tr = tr;
    return tr;
  }

  const entries: Entry[] = flags.map((flag) => ({ flag, text: (flag.key + ' ' + (flag.name || '')).toLowerCase() }));
  let matches: Entry[] = entries;
  let shown = 0;

  /** Appends the next rows of the current matches. */
  function showMore(): void {
    const end = Math.min(matches.length, shown + PAGE_SIZE);
    const fragment = document.createDocumentFragment();
    for (let i = shown; i < end; i++) fragment.appendChild(row(matches[i]!));
    tbody.appendChild(fragment);
    shown = end;
    const all = fmtInt(entries.length);
    shownText.textContent = (matches.length === entries.length ? 'Showing ' + fmtInt(shown) + ' of ' + all + ' flags' : fmtInt(matches.length) + ' of ' + all + ' flags match; showing ' + fmtInt(shown));
    more.hidden = shown >= matches.length;
    more.textContent = 'Show ' + fmtInt(Math.min(PAGE_SIZE, matches.length - shown)) + ' more';
  }

  function applyFilter(): void {
    const q = filter.value.trim().toLowerCase();
    matches = q === '' ? entries : entries.filter((e) => e.text.includes(q));
    tbody.textContent = '';
    shown = 0;
    showMore();
  }
  filter.addEventListener('input', applyFilter);
  more.addEventListener('click', showMore);
  // more rows as the end of the list scrolls into view
  const observer = new IntersectionObserver((seen) => {
    if (seen.some((e) => e.isIntersecting) && !more.hidden) showMore();
  }, { rootMargin: '400px' });
  observer.observe(more);
  showMore();

  const newKey = h('input', { name: 'key', required: true, placeholder: 'new-checkout', autocomplete: 'off', pattern: KEY_INPUT_PATTERN, title: KEY_HINT });
  const newName = h('input', { name: 'name', placeholder: 'New checkout' });
  const newError = h('p', { class: 'error', role: 'alert' });
  const newForm = h('form', { class: 'inline-form card' },
    h('h2', null, 'New flag'),
    h('div', { class: 'row' }, field('Flag key', newKey), field('Flag name', newName),
      h('button', { type: 'submit', class: 'primary' }, 'Create flag')),
    h('p', { class: 'hint' }, 'A new flag is a boolean flag, off, serving false; edit it to add targeting.'),
    newError);
  newForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(newError);
    const key = newKey.value.trim();
    if (!key) return;
    if (!isValidKey(key)) {
      replace(newError, KEY_HINT);
      return;
    }
    if (flags.some((f) => f.key === key)) {
      replace(newError, 'A flag with the key ' + key + ' already exists.');
      return;
    }
    try {
      // the list above may be stale: create only, never replace a flag someone else created meanwhile
      await api('PUT', base + '/flags/' + enc(key), newBooleanFlag(key, newName.value.trim()), { headers: { 'If-None-Match': '*' } });
      ctx.navigate(ctx.href(['p', project, 'e', env, 'flags', key]));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        replace(newError, 'A flag with the key ' + key + ' was created since this list loaded (nothing was changed): ',
          h('a', { href: ctx.href(['p', project, 'e', env, 'flags', key]) }, 'open it'), '.');
        return;
      }
      replace(newError, errorText(err));
    }
  });

  replace(ctx.body,
    h('div', { class: 'page-head' },
      h('h1', null, 'Flags', revisionBadge, production ? h('span', { class: 'badge production' }, 'production') : null),
      h('div', { class: 'actions' }, field('Filter flags', filter))),
    banner,
    flags.length === 0
      ? h('p', { class: 'empty' }, 'No flags in this environment yet.')
      : [h('table', { class: 'table flags' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'On'),
          h('th', { scope: 'col' }, 'Flag'),
          h('th', { scope: 'col' }, 'Variations'),
          h('th', { scope: 'col' }, 'Serving'),
          h('th', { scope: 'col' }, 'Targeting'),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Links')))),
        tbody), h('div', { class: 'list-foot' }, shownText, more)],
    newForm);
  // for the Chromium test and curious users: how long building the list took (the fetch excluded)
  performance.measure('avsb:flag-list-render', { start: started });
  return () => observer.disconnect();
}
