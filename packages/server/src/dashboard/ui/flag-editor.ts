/**
 * The flag editor: details, variations, prerequisites, targets, rules,
 * fallthrough and off variation. Save PUTs the whole flag and shows the
 * server's 400 message, with its JSON path, in the save bar and on the field.
 */
import { ApiError, api, apiWithRevision, enc, envPath, errorText } from './api';
import { h, replace } from './dom';
import { fallthroughSection, rulesSection } from './editor-rules';
import { detailsSection, offSection, prerequisitesSection, targetsSection, variationsSection } from './editor-sections';
import type { EditorState } from './editor-state';
import { TOTAL_WEIGHT, isExperiment, sumWeights, weightToPercent } from './model';
import { envParams, type PageContext } from './page';
import { stickyBar } from './sticky-bar';
import type { Flag, Segment, Serve } from './types';

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Drops what the datafile does not need: empty target lists, empty optional strings, empty lists. */
function cleanFlag(flag: Flag): Flag {
  const out = clone(flag) as Flag & Record<string, unknown>;
  if (Array.isArray(out.targets)) out.targets = out.targets.filter((t) => Array.isArray(t.values) && t.values.length > 0);
  for (const k of ['name', 'description', 'salt']) if (out[k] === '') delete out[k];
  for (const k of ['prerequisites', 'targets', 'rules']) {
    const list = out[k];
    if (Array.isArray(list) && list.length === 0) delete out[k];
  }
  return out;
}

/** "flags[3].rules[0].clauses[1].op: …" → "rules[0].clauses[1].op" */
function errorPath(message: string): string | null {
  const m = /^([A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_]\w*)*)\s*:/.exec(message);
  return m ? m[1]!.replace(/^flags\[\d+\]\.?/, '') : null;
}

export async function flagEditorPage(ctx: PageContext): Promise<() => void> {
  const { project, env } = envParams(ctx);
  const key = ctx.params.flag ?? '';
  const base = envPath(project, env);
  // the flag and the revision it was read at come in one answer: fetched apart, an edit landing between them would
  // pair an old flag with a newer revision, and the next save would overwrite that edit without a conflict
  const [read, allFlags, segments] = await Promise.all([
    apiWithRevision<Flag>('GET', base + '/flags/' + enc(key)),
    api<Flag[]>('GET', base + '/flags'),
    api<Segment[]>('GET', base + '/segments').catch((): Segment[] => []),
  ]);
  const original = read.data;
  let revision = read.revision;
  let draft = clone(original);
  if (!Array.isArray(draft.variations)) draft.variations = [];

  // JSON path → the control that edits it
  let pathControls = new Map<string, Element>();
  const errorBox = h('div', { class: 'form-error', role: 'alert', id: 'flag-error', hidden: true });
  const statusBox = h('span', { class: 'status', role: 'status' });
  const jsonPre = h('pre', { class: 'json' });
  const formBody = h('div', { class: 'form-body' });
  const onBadge = h('span', { class: 'badge' });

  const state: EditorState = {
    get draft() { return draft; },
    otherFlags: allFlags.filter((f) => f.key !== key),
    segmentKeys: segments.map((sg) => sg.key),
    register(path, control) {
      pathControls.set(path, control);
      return control;
    },
    changed() {
      refreshJson();
      replace(statusBox, 'Unsaved changes');
      statusBox.className = 'status dirty';
    },
    rerender,
  };

  function refreshJson(): void {
    jsonPre.textContent = JSON.stringify(cleanFlag(draft), null, 2);
    onBadge.textContent = draft.on ? 'on' : 'off';
    onBadge.className = 'badge ' + (draft.on ? 'on' : 'off');
  }
  function clearError(): void {
    errorBox.hidden = true;
    replace(errorBox);
    for (const el of formBody.querySelectorAll('[aria-invalid="true"].server-invalid')) {
      el.removeAttribute('aria-invalid');
      el.classList.remove('server-invalid');
    }
  }
  function pointAt(path: string | null): void {
    let p = path || '';
    while (p) {
      const control = pathControls.get(p);
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        control.classList.add('server-invalid');
        control.setAttribute('aria-errormessage', 'flag-error');
        return;
      }
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut > 0 ? p.slice(0, cut) : '';
    }
  }
  function rerender(): void {
    pathControls = new Map();
    replace(formBody,
      detailsSection(state),
      variationsSection(state),
      prerequisitesSection(state),
      targetsSection(state),
      rulesSection(state),
      fallthroughSection(state),
      offSection(state));
    refreshJson();
  }

  /** Client-side checks the server would make anyway, with friendlier words. */
  function validate(): string[] {
    const problems: string[] = [];
    const checkServe = (serve: Serve | undefined, where: string): void => {
      if (!serve?.rollout) return;
      const sum = sumWeights(serve.rollout.variations);
      if (sum !== TOTAL_WEIGHT) problems.push(where + ': the percentages add up to ' + weightToPercent(sum) + '%; they must add up to 100%.');
    };
    (draft.rules || []).forEach((r, i) => checkServe(r.serve, 'Rule ' + (i + 1)));
    checkServe(draft.fallthrough, 'Fallthrough');
    if (formBody.querySelector('.client-invalid')) problems.push('A percentage is not a number between 0 and 100.');
    return problems;
  }

  const saveButton = h('button', { type: 'submit', class: 'primary' }, 'Save flag');
  const discardButton = h('button', { type: 'button' }, 'Discard changes');
  discardButton.addEventListener('click', async () => {
    clearError();
    try {
      const reread = await apiWithRevision<Flag>('GET', base + '/flags/' + enc(key));
      draft = clone(reread.data);
      revision = reread.revision;
      rerender();
      replace(statusBox, 'Reloaded from the server');
      statusBox.className = 'status';
    } catch (err) {
      errorBox.hidden = false;
      replace(errorBox, errorText(err));
    }
  });
  const deleteBox = h('span', { class: 'confirm inline' });
  const deleteButton = h('button', { type: 'button', class: 'danger-outline' }, 'Delete flag');
  deleteButton.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger' }, 'Delete ' + key);
    const no = h('button', { type: 'button' }, 'Cancel');
    replace(deleteBox, 'Delete this flag from ' + env + '? ', yes, ' ', no);
    no.addEventListener('click', () => replace(deleteBox));
    yes.addEventListener('click', async () => {
      try {
        await api('DELETE', base + '/flags/' + enc(key));
        ctx.navigate(ctx.href(['p', project, 'e', env]));
      } catch (err) {
        replace(deleteBox, h('span', { class: 'error' }, errorText(err)));
      }
    });
  });

  const footer = h('div', { class: 'form-footer' },
    h('div', { class: 'buttons' }, saveButton, discardButton, statusBox, h('span', { class: 'spacer' }), deleteBox, deleteButton),
    errorBox);
  const form = h('form', { class: 'flag-form', 'aria-label': 'Edit flag ' + key, novalidate: true },
    formBody,
    h('details', { class: 'json-panel' }, h('summary', null, 'Flag JSON (what Save sends)'), jsonPre),
    footer);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    const problems = validate();
    if (problems.length) {
      errorBox.hidden = false;
      replace(errorBox, h('strong', null, 'Not saved. '), problems.join(' '));
      return;
    }
    saveButton.disabled = true;
    replace(statusBox, 'Saving…');
    statusBox.className = 'status';
    try {
      const headers = typeof revision === 'number' ? { 'If-Match': String(revision) } : undefined;
      const saved = await apiWithRevision<Flag | null>('PUT', base + '/flags/' + enc(key), cleanFlag(draft), headers ? { headers } : undefined);
      const answer = saved.data;
      draft = clone(answer && typeof answer === 'object' && answer.key ? answer : cleanFlag(draft));
      revision = saved.revision;
      rerender();
      replace(statusBox, 'Saved' + (typeof revision === 'number' ? ' · revision ' + revision : ''));
      statusBox.className = 'status saved';
    } catch (err) {
      replace(statusBox);
      errorBox.hidden = false;
      if (err instanceof ApiError && err.status === 409) {
        const reload = h('button', { type: 'button', class: 'small' }, 'Reload the flag');
        reload.addEventListener('click', () => discardButton.click());
        replace(errorBox, h('strong', null, 'Not saved: someone changed this environment since you opened the flag. '),
          h('span', { class: 'server-message' }, err.message), ' ', reload);
      } else if (err instanceof ApiError && err.status === 400) {
        replace(errorBox, h('strong', null, 'The server refused the flag: '),
          h('code', { class: 'server-message' }, err.message),
          h('span', { class: 'muted' }, ' (' + err.code + ')'));
        pointAt(errorPath(err.message));
      } else {
        replace(errorBox, h('strong', null, 'Not saved: '), h('span', { class: 'server-message' }, errorText(err)));
      }
    } finally {
      saveButton.disabled = false;
    }
  });

  rerender();
  replace(ctx.body,
    h('div', { class: 'page-head' },
      h('div', null,
        h('a', { class: 'back', href: ctx.href(['p', project, 'e', env]) }, '← Flags'),
        h('h1', { class: 'key-text' }, key, ' ', onBadge)),
      h('div', { class: 'actions' },
        isExperiment(draft) ? h('a', { class: 'button', href: ctx.href(['p', project, 'e', env, 'results', key]) }, 'Results') : null)),
    form);
  return stickyBar(footer);
}
