/**
 * `/flags.js`: the flag list of an environment (with the on/off toggle) and
 * the flag editor (details, variations, prerequisites, targets, rules,
 * fallthrough, off variation), which PUTs the whole flag and shows the
 * server's 400 message, with its JSON path, next to the form.
 *
 * Browser code kept as a string: no backticks and no dollar-brace in it.
 */
export const FLAGS_JS = String.raw`
import { h, replace, field, nextId, fmtJson } from './dom.js';
import { api, enc, envPath, ApiError } from './api.js';
import {
  OPERATORS, TOTAL_WEIGHT, weightToPercent, percentToWeight, sumWeights, equalRollout, rolloutWeights,
  parseValues, formatValues, parseKeys, formatKeys, parseVariationValue, variationText, variationLabel,
  describeServe, newBooleanFlag, KEY_INPUT_PATTERN, KEY_HINT, isValidKey, copyMembers,
} from './model.js';

function errorText(err) {
  return err instanceof ApiError ? err.describe() : String(err && err.message ? err.message : err);
}

function withClass(node, cls) {
  node.classList.add(cls);
  return node;
}

/** A labelled input with a unit after it ("%"). */
function unitField(labelText, input, unit) {
  if (!input.id) input.id = nextId('in');
  return h('div', { class: 'field' },
    h('label', { for: input.id }, labelText),
    h('div', { class: 'with-unit' }, input, h('span', { class: 'unit', 'aria-hidden': 'true' }, unit)));
}

function clone(value) {
  return JSON.parse(JSON.stringify(value));
}

async function environmentRevision(project, env) {
  const envs = await api('GET', '/projects/' + enc(project) + '/environments');
  const found = envs.find((e) => e.key === env);
  return found ? found.revision : undefined;
}

function servingText(flag) {
  if (!flag.on) {
    return flag.offVariation === null || flag.offVariation === undefined
      ? 'off: the caller’s default'
      : 'off: variation ' + variationLabel(flag, flag.offVariation);
  }
  return describeServe(flag.fallthrough, flag);
}

function targetingText(flag) {
  const parts = [];
  const targets = (flag.targets || []).reduce((n, t) => n + ((t.values && t.values.length) || 0), 0);
  const rules = (flag.rules || []).length;
  const prereqs = (flag.prerequisites || []).length;
  if (targets) parts.push(targets + ' target' + (targets === 1 ? '' : 's'));
  if (rules) parts.push(rules + ' rule' + (rules === 1 ? '' : 's'));
  if (prereqs) parts.push(prereqs + ' prerequisite' + (prereqs === 1 ? '' : 's'));
  return parts.length ? parts.join(', ') : 'everyone';
}

function isExperiment(flag) {
  const serves = [flag.fallthrough].concat((flag.rules || []).map((r) => r.serve));
  return serves.some((sv) => sv && sv.rollout && sv.rollout.kind === 'experiment');
}

// ---------------------------------------------------------------------------
// The flag list

export async function flagsPage(ctx) {
  const { project, env } = ctx.params;
  const base = envPath(project, env);
  const [flags, revision] = await Promise.all([
    api('GET', base + '/flags'),
    environmentRevision(project, env),
  ]);

  const banner = h('div', { class: 'banner error', role: 'alert', hidden: true });
  const tbody = h('tbody');
  const filter = h('input', { type: 'search', placeholder: 'key or name', autocomplete: 'off' });
  const revisionBadge = h('span', { class: 'badge' }, 'revision ' + (revision === undefined ? '?' : revision));

  function row(flag) {
    const tr = h('tr', { dataset: { flag: flag.key } });
    function draw() {
      const toggle = h('input', {
        type: 'checkbox', role: 'switch', class: 'switch', checked: flag.on,
        'aria-label': 'Toggle ' + flag.key,
      });
      const stateText = h('span', { class: 'switch-text' }, flag.on ? 'On' : 'Off');
      toggle.addEventListener('change', async () => {
        const wanted = toggle.checked;
        toggle.disabled = true;
        banner.hidden = true;
        stateText.textContent = wanted ? 'On' : 'Off';
        try {
          const updated = await api('PATCH', base + '/flags/' + enc(flag.key), { on: wanted });
          if (updated && typeof updated === 'object' && updated.key === flag.key) copyMembers(flag, updated);
          else flag.on = wanted;
          draw();
          environmentRevision(project, env).then((r) => { revisionBadge.textContent = 'revision ' + r; }, () => {});
        } catch (err) {
          toggle.checked = !wanted;
          stateText.textContent = toggle.checked ? 'On' : 'Off';
          toggle.disabled = false;
          replace(banner, 'Could not turn ' + flag.key + (wanted ? ' on' : ' off') + ': ' + errorText(err));
          banner.hidden = false;
        }
      });
      const links = [h('a', { href: ctx.href(['p', project, 'e', env, 'flags', flag.key]) }, 'Edit')];
      if (isExperiment(flag)) links.push(h('a', { href: ctx.href(['p', project, 'e', env, 'results', flag.key]) }, 'Results'));
      replace(tr,
        h('td', { class: 'toggle-cell' }, h('label', { class: 'switch-wrap' }, toggle, stateText)),
        h('td', null,
          h('a', { class: 'flag-key', href: ctx.href(['p', project, 'e', env, 'flags', flag.key]) }, flag.key),
          flag.name ? h('div', { class: 'muted small' }, flag.name) : null),
        h('td', { class: 'variations' }, (flag.variations || []).map((v, i) => h('code', { class: 'chip', title: 'variation ' + i + ': ' + variationText(v) }, fmtJson(v, 28)))),
        h('td', { class: flag.on ? null : 'muted' }, servingText(flag)),
        h('td', { class: 'muted' }, targetingText(flag)),
        h('td', { class: 'row-links' }, links));
    }
    draw();
    return tr;
  }

  const rows = flags.map((f) => ({ flag: f, tr: row(f) }));
  function applyFilter() {
    const q = filter.value.trim().toLowerCase();
    for (const r of rows) {
      const text = (r.flag.key + ' ' + (r.flag.name || '')).toLowerCase();
      r.tr.hidden = q !== '' && !text.includes(q);
    }
  }
  filter.addEventListener('input', applyFilter);
  for (const r of rows) tbody.appendChild(r.tr);

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
    if (!isValidKey(key)) { replace(newError, KEY_HINT); return; }
    if (flags.some((f) => f.key === key)) { replace(newError, 'A flag with the key ' + key + ' already exists.'); return; }
    try {
      await api('PUT', base + '/flags/' + enc(key), newBooleanFlag(key, newName.value.trim()));
      ctx.navigate(ctx.href(['p', project, 'e', env, 'flags', key]));
    } catch (err) {
      replace(newError, errorText(err));
    }
  });

  replace(ctx.body,
    h('div', { class: 'page-head' },
      h('h1', null, 'Flags', revisionBadge),
      h('div', { class: 'actions' }, field('Filter flags', filter))),
    banner,
    flags.length === 0
      ? h('p', { class: 'empty' }, 'No flags in this environment yet.')
      : h('table', { class: 'table flags' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'On'),
          h('th', { scope: 'col' }, 'Flag'),
          h('th', { scope: 'col' }, 'Variations'),
          h('th', { scope: 'col' }, 'Serving'),
          h('th', { scope: 'col' }, 'Targeting'),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Links')))),
        tbody),
    newForm);
}

// ---------------------------------------------------------------------------
// The flag editor

/** Drops what the datafile does not need: empty target lists, empty optional strings. */
function cleanFlag(flag) {
  const out = clone(flag);
  if (Array.isArray(out.targets)) out.targets = out.targets.filter((t) => Array.isArray(t.values) && t.values.length > 0);
  for (const k of ['name', 'description', 'salt']) if (out[k] === '') delete out[k];
  // Empty lists are the defaults: leave them out, as the datafile format does.
  for (const k of ['prerequisites', 'targets', 'rules']) if (Array.isArray(out[k]) && out[k].length === 0) delete out[k];
  return out;
}

/** "flags[3].rules[0].clauses[1].op: …" → "rules[0].clauses[1].op" */
function errorPath(message) {
  const m = /^([A-Za-z_][\w]*(?:\[\d+\]|\.[A-Za-z_][\w]*)*)\s*:/.exec(String(message || ''));
  if (!m) return null;
  return m[1].replace(/^flags\[\d+\]\.?/, '');
}

export async function flagEditorPage(ctx) {
  const { project, env, flag: key } = ctx.params;
  const base = envPath(project, env);
  const [original, allFlags, revision0, segments] = await Promise.all([
    api('GET', base + '/flags/' + enc(key)),
    api('GET', base + '/flags'),
    environmentRevision(project, env),
    api('GET', base + '/segments').catch(() => []),
  ]);
  let revision = revision0;
  let draft = clone(original);
  if (!Array.isArray(draft.variations)) draft.variations = [];
  const otherFlags = allFlags.filter((f) => f.key !== key);

  // JSON path → the control that edits it, to point at the field the server names.
  let pathControls = new Map();
  const errorBox = h('div', { class: 'form-error', role: 'alert', id: 'flag-error', hidden: true });
  const statusBox = h('span', { class: 'status', role: 'status' });
  const jsonPre = h('pre', { class: 'json' });
  const formBody = h('div', { class: 'form-body' });
  const onBadge = h('span', { class: 'badge' });

  function refreshJson() {
    jsonPre.textContent = JSON.stringify(cleanFlag(draft), null, 2);
    onBadge.textContent = draft.on ? 'on' : 'off';
    onBadge.className = 'badge ' + (draft.on ? 'on' : 'off');
  }
  function changed() {
    refreshJson();
    replace(statusBox, 'Unsaved changes');
    statusBox.className = 'status dirty';
  }
  function register(path, control) {
    pathControls.set(path, control);
    return control;
  }
  function clearError() {
    errorBox.hidden = true;
    replace(errorBox);
    for (const el of formBody.querySelectorAll('[aria-invalid="true"].server-invalid')) {
      el.removeAttribute('aria-invalid');
      el.classList.remove('server-invalid');
    }
  }
  function pointAt(path) {
    if (!path) return;
    let p = path;
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

  function variationOptions(selected, noneLabel) {
    const options = [];
    if (noneLabel) options.push(h('option', { value: '', selected: selected === null || selected === undefined }, noneLabel));
    draft.variations.forEach((_, i) => options.push(h('option', { value: String(i), selected: selected === i }, 'Variation ' + variationLabel(draft, i))));
    return options;
  }

  // --- serve (a variation or a rollout) --------------------------------------
  function serveEditor(serve, where, path) {
    const box = h('div', { class: 'serve' });
    function draw() {
      const rollout = serve.rollout;
      const select = h('select', null,
        draft.variations.map((_, i) => h('option', { value: 'v:' + i }, 'Variation ' + variationLabel(draft, i))),
        h('option', { value: 'rollout' }, 'Percentage rollout'));
      select.value = rollout ? 'rollout' : 'v:' + serve.variation;
      register(path, select);
      register(path + '.variation', select);
      select.addEventListener('change', () => {
        if (select.value === 'rollout') {
          delete serve.variation;
          serve.rollout = { kind: 'rollout', variations: equalRollout(draft.variations.length) };
        } else {
          delete serve.rollout;
          serve.variation = Number(select.value.slice(2));
        }
        changed();
        draw();
      });
      replace(box, field('Serve', select), rollout ? rolloutEditor(rollout, where, path + '.rollout') : null);
    }
    draw();
    return box;
  }

  function rolloutEditor(r, where, path) {
    const box = h('div', { class: 'rollout' });
    const total = h('output', { class: 'total' });
    function refreshTotal() {
      const sum = sumWeights(r.variations);
      const bad = sum !== TOTAL_WEIGHT;
      total.textContent = 'Total ' + weightToPercent(sum) + '%' + (bad ? ' — must be 100%' : '');
      total.className = 'total' + (bad ? ' bad' : '');
    }
    const kind = h('select', null,
      h('option', { value: 'rollout' }, 'Rollout'),
      h('option', { value: 'experiment' }, 'Experiment (records exposures for results)'));
    kind.value = r.kind === 'experiment' ? 'experiment' : 'rollout';
    register(path + '.kind', kind);
    kind.addEventListener('change', () => {
      r.kind = kind.value;
      if (r.kind !== 'experiment') { delete r.trafficAllocation; delete r.untrackedVariation; }
      changed();
      replace(box, ...rolloutEditor(r, where, path).childNodes);
    });

    const weights = rolloutWeights(r, draft.variations.length);
    const inputs = draft.variations.map((_, i) => {
      const input = h('input', {
        type: 'number', min: '0', max: '100', step: 'any', inputmode: 'decimal', class: 'pct',
        value: String(weightToPercent(weights[i])),
      });
      const idx = (r.variations || []).findIndex((v) => v.variation === i);
      if (idx >= 0) register(path + '.variations[' + idx + ']', input);
      input.addEventListener('input', () => {
        const w = percentToWeight(input.value);
        const valid = Number.isFinite(w) && w >= 0 && w <= TOTAL_WEIGHT;
        if (valid) input.removeAttribute('aria-invalid'); else input.setAttribute('aria-invalid', 'true');
        input.classList.toggle('client-invalid', !valid);
        const weight = valid ? w : 0;
        if (!Array.isArray(r.variations)) r.variations = [];
        const entries = r.variations.filter((v) => v.variation === i);
        if (entries.length > 0) {
          entries[0].weight = weight;
          for (const extra of entries.slice(1)) extra.weight = 0;
        } else if (weight > 0) {
          r.variations.push({ variation: i, weight });
        }
        refreshTotal();
        changed();
      });
      return unitField('Percentage for variation ' + variationLabel(draft, i), input, '%');
    });

    const bucketBy = h('input', { value: r.bucketBy || '', placeholder: 'key' });
    register(path + '.bucketBy', bucketBy);
    bucketBy.addEventListener('input', () => {
      if (bucketBy.value.trim()) r.bucketBy = bucketBy.value.trim(); else delete r.bucketBy;
      changed();
    });
    const bucketKind = h('input', { value: r.contextKind || '', placeholder: 'user' });
    register(path + '.contextKind', bucketKind);
    bucketKind.addEventListener('input', () => {
      if (bucketKind.value.trim()) r.contextKind = bucketKind.value.trim(); else delete r.contextKind;
      changed();
    });
    const extra = [];
    if (r.kind === 'experiment') {
      const traffic = h('input', {
        type: 'number', min: '0', max: '100', step: 'any', class: 'pct',
        value: String(weightToPercent(typeof r.trafficAllocation === 'number' ? r.trafficAllocation : TOTAL_WEIGHT)),
      });
      register(path + '.trafficAllocation', traffic);
      traffic.addEventListener('input', () => {
        const w = percentToWeight(traffic.value);
        const valid = Number.isFinite(w) && w >= 0 && w <= TOTAL_WEIGHT;
        if (valid) traffic.removeAttribute('aria-invalid'); else traffic.setAttribute('aria-invalid', 'true');
        traffic.classList.toggle('client-invalid', !valid);
        if (valid && w === TOTAL_WEIGHT) delete r.trafficAllocation;
        else if (valid) r.trafficAllocation = w;
        changed();
      });
      const untracked = h('select', null, variationOptions(r.untrackedVariation, 'none'));
      register(path + '.untrackedVariation', untracked);
      untracked.addEventListener('change', () => {
        if (untracked.value === '') delete r.untrackedVariation; else r.untrackedVariation = Number(untracked.value);
        changed();
      });
      extra.push(h('div', { class: 'row' },
        unitField('Traffic in the experiment', traffic, '%'),
        field('Untracked variation', untracked, 'served to contexts outside the experiment traffic')));
    }
    refreshTotal();
    replace(box,
      field('Rollout kind', kind),
      h('div', { class: 'pcts' }, inputs, total),
      extra,
      h('details', { class: 'advanced' },
        h('summary', null, 'Bucketing'),
        h('div', { class: 'row' },
          field('Bucket by attribute', bucketBy, 'default: the context key'),
          field('Bucket by context kind', bucketKind, 'default: user'))));
    return box;
  }

  // --- sections ---------------------------------------------------------------
  function section(title, description, ...content) {
    const id = nextId('sec');
    return h('section', { class: 'card editor-section', 'aria-labelledby': id },
      h('h2', { id }, title),
      description ? h('p', { class: 'hint' }, description) : null,
      content);
  }

  function detailsSection() {
    const on = h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: draft.on });
    register('on', on);
    on.addEventListener('change', () => { draft.on = on.checked; changed(); });
    const name = h('input', { value: draft.name || '' });
    register('name', name);
    name.addEventListener('input', () => { if (name.value) draft.name = name.value; else delete draft.name; changed(); });
    const description = h('textarea', { rows: '2' });
    description.value = draft.description || '';
    register('description', description);
    description.addEventListener('input', () => { if (description.value) draft.description = description.value; else delete draft.description; changed(); });
    const clientSide = h('input', { type: 'checkbox', checked: Boolean(draft.clientSide) });
    register('clientSide', clientSide);
    clientSide.addEventListener('change', () => { if (clientSide.checked) draft.clientSide = true; else delete draft.clientSide; changed(); });
    const salt = h('input', { value: draft.salt || '', placeholder: draft.key });
    register('salt', salt);
    salt.addEventListener('input', () => { if (salt.value) draft.salt = salt.value; else delete draft.salt; changed(); });
    return section('Details', null,
      h('div', { class: 'row' }, field('Name', name), h('div', { class: 'field check' }, h('label', null, on, ' Flag on'))),
      field('Description', description),
      h('div', { class: 'field check' }, h('label', null, clientSide, ' Available to client-side keys (browsers)')),
      h('details', { class: 'advanced' }, h('summary', null, 'Salt'),
        field('Salt', salt, 'mixed into every bucket; changing it reshuffles every rollout of this flag')));
  }

  function variationsSection() {
    const rows = draft.variations.map((v, i) => {
      const input = h('input', { value: variationText(v), class: 'mono', spellcheck: 'false' });
      register('variations[' + i + ']', input);
      input.addEventListener('input', () => { draft.variations[i] = parseVariationValue(input.value); changed(); });
      input.addEventListener('change', () => rerender());
      return field('Variation ' + i, input);
    });
    const add = h('button', { type: 'button', class: 'small' }, 'Add variation');
    add.addEventListener('click', () => {
      const last = draft.variations[draft.variations.length - 1];
      const n = draft.variations.length;
      draft.variations.push(typeof last === 'string' ? 'variation-' + n : typeof last === 'number' ? n : typeof last === 'boolean' ? !last : null);
      changed();
      rerender();
    });
    const remove = h('button', { type: 'button', class: 'small', disabled: draft.variations.length <= 1 }, 'Remove last variation');
    remove.addEventListener('click', () => { draft.variations.pop(); changed(); rerender(); });
    return section('Variations', 'JSON values: true, 42, "dark", {"color": "red"}. Text that is not JSON is a string.',
      h('div', { class: 'grid-2' }, rows),
      h('div', { class: 'buttons' }, add, remove));
  }

  function prerequisitesSection() {
    if (!Array.isArray(draft.prerequisites)) draft.prerequisites = [];
    const rows = draft.prerequisites.map((p, i) => {
      const flagSelect = h('select', null,
        otherFlags.some((f) => f.key === p.key) ? null : h('option', { value: p.key }, p.key || '—'),
        otherFlags.map((f) => h('option', { value: f.key }, f.key)));
      flagSelect.value = p.key;
      register('prerequisites[' + i + '].key', flagSelect);
      const target = otherFlags.find((f) => f.key === p.key);
      const variation = h('select', null, ((target && target.variations) || []).map((v, vi) =>
        h('option', { value: String(vi) }, 'Variation ' + variationLabel(target, vi))));
      if (!target) variation.appendChild(h('option', { value: String(p.variation) }, 'Variation ' + p.variation));
      variation.value = String(p.variation);
      register('prerequisites[' + i + '].variation', variation);
      flagSelect.addEventListener('change', () => { p.key = flagSelect.value; p.variation = 0; changed(); rerender(); });
      variation.addEventListener('change', () => { p.variation = Number(variation.value); changed(); });
      const remove = h('button', { type: 'button', class: 'small', 'aria-label': 'Remove prerequisite ' + (i + 1) }, 'Remove');
      remove.addEventListener('click', () => { draft.prerequisites.splice(i, 1); changed(); rerender(); });
      return h('fieldset', { class: 'row prereq' }, h('legend', null, 'Prerequisite ' + (i + 1)),
        field('Prerequisite flag', flagSelect), field('Required variation', variation), remove);
    });
    const add = h('button', { type: 'button', class: 'small', disabled: otherFlags.length === 0 }, 'Add prerequisite');
    add.addEventListener('click', () => {
      draft.prerequisites.push({ key: otherFlags[0].key, variation: 0 });
      changed();
      rerender();
    });
    return section('Prerequisites', 'Other flags that must be on and serve a given variation; otherwise this flag serves its off variation.',
      rows, h('div', { class: 'buttons' }, add));
  }

  function targetsSection() {
    if (!Array.isArray(draft.targets)) draft.targets = [];
    const isUser = (t) => !t.contextKind || t.contextKind === 'user';
    const rows = draft.variations.map((_, i) => {
      const keys = [];
      draft.targets.forEach((t, ti) => { if (isUser(t) && t.variation === i) keys.push(...(t.values || [])); });
      const input = h('input', { value: formatKeys(keys), placeholder: 'user keys, comma separated', spellcheck: 'false' });
      draft.targets.forEach((t, ti) => { if (isUser(t) && t.variation === i) register('targets[' + ti + ']', input); });
      input.addEventListener('input', () => {
        const values = parseKeys(input.value);
        const kept = [];
        let placed = false;
        for (const t of draft.targets) {
          if (isUser(t) && t.variation === i) {
            if (!placed && values.length) { kept.push({ ...t, values }); placed = true; }
          } else {
            kept.push(t);
          }
        }
        if (!placed && values.length) kept.push({ values, variation: i });
        draft.targets = kept;
        changed();
      });
      return field('Target keys for variation ' + variationLabel(draft, i), input);
    });
    const others = [];
    draft.targets.forEach((t, ti) => {
      if (isUser(t)) return;
      const kind = h('input', { value: t.contextKind || '', spellcheck: 'false' });
      kind.addEventListener('input', () => { t.contextKind = kind.value.trim(); changed(); });
      const variation = h('select', null, variationOptions(t.variation));
      variation.addEventListener('change', () => { t.variation = Number(variation.value); changed(); });
      const keys = h('input', { value: formatKeys(t.values), spellcheck: 'false' });
      register('targets[' + ti + ']', keys);
      keys.addEventListener('input', () => { t.values = parseKeys(keys.value); changed(); });
      const remove = h('button', { type: 'button', class: 'small' }, 'Remove');
      remove.addEventListener('click', () => { draft.targets.splice(ti, 1); changed(); rerender(); });
      others.push(h('fieldset', { class: 'row' }, h('legend', null, 'Targets of context kind ' + (t.contextKind || '?')),
        field('Context kind', kind), field('Serve', variation), field('Keys', keys), remove));
    });
    const add = h('button', { type: 'button', class: 'small' }, 'Add targets for another context kind');
    add.addEventListener('click', () => { draft.targets.push({ contextKind: 'org', values: [], variation: 0 }); changed(); rerender(); });
    return section('Targets', 'Individual contexts by key, checked before the rules. Comma separated.',
      h('div', { class: 'grid-2' }, rows), others, h('div', { class: 'buttons' }, add));
  }

  function clauseEditor(rule, ri, clause, ci) {
    const path = 'rules[' + ri + '].clauses[' + ci + ']';
    const kind = h('input', { value: clause.contextKind || '', placeholder: 'user', spellcheck: 'false' });
    register(path + '.contextKind', kind);
    kind.addEventListener('input', () => { if (kind.value.trim()) clause.contextKind = kind.value.trim(); else delete clause.contextKind; changed(); });
    const attribute = h('input', { value: clause.attribute === undefined ? '' : clause.attribute, placeholder: 'plan', spellcheck: 'false' });
    register(path + '.attribute', attribute);
    attribute.addEventListener('input', () => { if (attribute.value.trim()) clause.attribute = attribute.value.trim(); else delete clause.attribute; changed(); });
    const op = h('select', null,
      OPERATORS.includes(clause.op) ? null : h('option', { value: clause.op || '' }, clause.op || '—'),
      OPERATORS.map((o) => h('option', { value: o }, o)));
    op.value = clause.op || '';
    register(path + '.op', op);
    const values = h('input', { value: formatValues(clause.values, clause.op), spellcheck: 'false', class: 'wide' });
    register(path + '.values', values);
    (clause.values || []).forEach((_, vi) => register(path + '.values[' + vi + ']', values));
    values.addEventListener('input', () => { clause.values = parseValues(values.value, clause.op); changed(); });
    op.addEventListener('change', () => {
      clause.op = op.value;
      clause.values = parseValues(values.value, clause.op);
      changed();
    });
    const negate = h('input', { type: 'checkbox', checked: Boolean(clause.negate) });
    register(path + '.negate', negate);
    negate.addEventListener('change', () => { if (negate.checked) clause.negate = true; else delete clause.negate; changed(); });
    const remove = h('button', { type: 'button', class: 'small icon', 'aria-label': 'Remove clause ' + (ci + 1) + ' of rule ' + (ri + 1), title: 'Remove clause' }, '×');
    remove.addEventListener('click', () => { rule.clauses.splice(ci, 1); changed(); rerender(); });
    const segmentHint = segments.length ? 'segments: ' + segments.map((sg) => sg.key).join(', ') : null;
    return h('fieldset', { class: 'clause' },
      h('legend', { class: 'sr-only' }, 'Clause ' + (ci + 1)),
      h('span', { class: 'clause-word', 'aria-hidden': 'true' }, ci === 0 ? 'If' : 'and'),
      withClass(field('Context kind', kind), 'f-kind'),
      withClass(field('Attribute', attribute), 'f-attr'),
      h('div', { class: 'field check negate' }, h('label', { title: 'Invert the match (a missing attribute still does not match)' }, negate, ' Negate')),
      withClass(field('Operator', op), 'f-op'),
      withClass(field('Values', values, clause.op === 'segmentMatch' ? segmentHint : 'comma separated; quote to keep a string: "10"'), 'f-values'),
      remove);
  }

  function ruleEditor(rule, ri) {
    if (!Array.isArray(rule.clauses)) rule.clauses = [];
    if (!rule.serve) rule.serve = { variation: 0 };
    const rules = draft.rules;
    const legend = h('legend', null, 'Rule ' + (ri + 1) + (rule.id ? ' · ' + rule.id : ''));
    const id = h('input', { value: rule.id || '', spellcheck: 'false', class: 'narrow' });
    register('rules[' + ri + '].id', id);
    id.addEventListener('input', () => {
      if (id.value.trim()) rule.id = id.value.trim(); else delete rule.id;
      legend.textContent = 'Rule ' + (ri + 1) + (rule.id ? ' · ' + rule.id : '');
      changed();
    });
    const addClause = h('button', { type: 'button', class: 'small' }, 'Add clause');
    addClause.addEventListener('click', () => { rule.clauses.push({ attribute: 'key', op: 'in', values: [] }); changed(); rerender(); });
    const up = h('button', { type: 'button', class: 'small', disabled: ri === 0, 'aria-label': 'Move rule ' + (ri + 1) + ' up' }, '↑');
    up.addEventListener('click', () => { rules.splice(ri - 1, 0, rules.splice(ri, 1)[0]); changed(); rerender(); });
    const down = h('button', { type: 'button', class: 'small', disabled: ri === rules.length - 1, 'aria-label': 'Move rule ' + (ri + 1) + ' down' }, '↓');
    down.addEventListener('click', () => { rules.splice(ri + 1, 0, rules.splice(ri, 1)[0]); changed(); rerender(); });
    const remove = h('button', { type: 'button', class: 'small danger-outline', 'aria-label': 'Delete rule ' + (ri + 1) }, 'Delete rule');
    remove.addEventListener('click', () => { rules.splice(ri, 1); changed(); rerender(); });
    const fs = h('fieldset', { class: 'rule' }, legend,
      h('div', { class: 'rule-tools' }, field('Rule ID', id), h('span', { class: 'spacer' }), up, down, remove),
      rule.clauses.length === 0 ? h('p', { class: 'hint' }, 'No clauses: this rule matches every context.') : null,
      rule.clauses.map((c, ci) => clauseEditor(rule, ri, c, ci)),
      h('div', { class: 'buttons' }, addClause),
      h('div', { class: 'then' }, h('span', { class: 'clause-word' }, 'Then'), serveEditor(rule.serve, 'Rule ' + (ri + 1), 'rules[' + ri + '].serve')));
    register('rules[' + ri + ']', fs);
    return fs;
  }

  function rulesSection() {
    if (!Array.isArray(draft.rules)) draft.rules = [];
    const add = h('button', { type: 'button', class: 'small' }, 'Add rule');
    add.addEventListener('click', () => {
      const ids = new Set(draft.rules.map((r) => r.id));
      let n = draft.rules.length + 1;
      while (ids.has('rule-' + n)) n++;
      draft.rules.push({ id: 'rule-' + n, clauses: [{ attribute: 'key', op: 'in', values: [] }], serve: { variation: 0 } });
      changed();
      rerender();
    });
    return section('Rules', 'Evaluated in order after the targets; the first rule whose clauses all match serves. A clause matches when the attribute matches any of its values.',
      draft.rules.map((r, ri) => ruleEditor(r, ri)),
      h('div', { class: 'buttons' }, add));
  }

  function fallthroughSection() {
    if (!draft.fallthrough) draft.fallthrough = { variation: 0 };
    const fs = h('fieldset', { class: 'plain' }, h('legend', { class: 'sr-only' }, 'Fallthrough'),
      serveEditor(draft.fallthrough, 'Fallthrough', 'fallthrough'));
    return section('Fallthrough', 'Served to every context no target or rule matched. Rollout percentages must add up to 100%.', fs);
  }

  function offSection() {
    const select = h('select', null, variationOptions(draft.offVariation, 'none (the caller’s default value)'));
    register('offVariation', select);
    select.addEventListener('change', () => { draft.offVariation = select.value === '' ? null : Number(select.value); changed(); });
    return section('Off variation', 'Served while the flag is off or a prerequisite fails.', field('Off variation', select));
  }

  function rerender() {
    pathControls = new Map();
    replace(formBody,
      detailsSection(),
      variationsSection(),
      prerequisitesSection(),
      targetsSection(),
      rulesSection(),
      fallthroughSection(),
      offSection());
    refreshJson();
  }

  /** Client-side checks the server would make anyway, with friendlier words. */
  function validate() {
    const problems = [];
    const checkServe = (serve, where) => {
      if (serve && serve.rollout) {
        const sum = sumWeights(serve.rollout.variations);
        if (sum !== TOTAL_WEIGHT) problems.push(where + ': the percentages add up to ' + weightToPercent(sum) + '%; they must add up to 100%.');
      }
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
      draft = clone(await api('GET', base + '/flags/' + enc(key)));
      revision = await environmentRevision(project, env);
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

  const form = h('form', { class: 'flag-form', 'aria-label': 'Edit flag ' + key, novalidate: true },
    formBody,
    h('details', { class: 'json-panel' }, h('summary', null, 'Flag JSON (what Save sends)'), jsonPre),
    h('div', { class: 'form-footer' },
      h('div', { class: 'buttons' }, saveButton, discardButton, statusBox, h('span', { class: 'spacer' }), deleteBox, deleteButton),
      errorBox));

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
      const answer = await api('PUT', base + '/flags/' + enc(key), cleanFlag(draft), { headers });
      draft = clone(answer && typeof answer === 'object' && answer.key ? answer : cleanFlag(draft));
      revision = await environmentRevision(project, env);
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
        h('h1', null, key, ' ', onBadge)),
      h('div', { class: 'actions' },
        isExperiment(draft) ? h('a', { class: 'button', href: ctx.href(['p', project, 'e', env, 'results', key]) }, 'Results') : null)),
    form);
}
`;
