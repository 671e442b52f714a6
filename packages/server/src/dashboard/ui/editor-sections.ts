/** The flag editor's sections other than the rules: details, variations, prerequisites, targets, off variation. */
import { field, h } from './dom';
import { section, setOptional, variationOptions, type EditorState } from './editor-state';
import { formatKeys, parseKeys, parseVariationValue, variationLabel, variationText } from './model';
import type { Json, Target } from './types';

export function detailsSection(state: EditorState): HTMLElement {
  const { draft, register } = state;
  const on = register('on', h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: draft.on }));
  on.addEventListener('change', () => { draft.on = on.checked; state.changed(); });
  const name = register('name', h('input', { value: draft.name || '' }));
  name.addEventListener('input', () => { setOptional(draft, 'name', name.value, false); state.changed(); });
  const description = register('description', h('textarea', { rows: '2' }));
  description.value = draft.description || '';
  description.addEventListener('input', () => { setOptional(draft, 'description', description.value, false); state.changed(); });
  const clientSide = register('clientSide', h('input', { type: 'checkbox', checked: Boolean(draft.clientSide) }));
  clientSide.addEventListener('change', () => {
    if (clientSide.checked) draft.clientSide = true;
    else delete draft.clientSide;
    state.changed();
  });
  const salt = register('salt', h('input', { value: draft.salt || '', placeholder: draft.key }));
  salt.addEventListener('input', () => { setOptional(draft, 'salt', salt.value, false); state.changed(); });
  return section('Details', null,
    h('div', { class: 'row' }, field('Name', name), h('div', { class: 'field check' }, h('label', null, on, ' Flag on'))),
    field('Description', description),
    h('div', { class: 'field check' }, h('label', null, clientSide, ' Available to client-side keys (browsers)')),
    h('details', { class: 'advanced' }, h('summary', null, 'Salt'),
      field('Salt', salt, 'mixed into every bucket; changing it reshuffles every rollout of this flag')));
}

function nextVariation(last: Json | undefined, n: number): Json {
  if (typeof last === 'string') return 'variation-' + n;
  if (typeof last === 'number') return n;
  if (typeof last === 'boolean') return !last;
  return null;
}

export function variationsSection(state: EditorState): HTMLElement {
  const { draft } = state;
  const rows = draft.variations.map((v, i) => {
    const input = state.register('variations[' + i + ']', h('input', { value: variationText(v), class: 'mono', spellcheck: 'false' }));
    input.addEventListener('input', () => { draft.variations[i] = parseVariationValue(input.value); state.changed(); });
    input.addEventListener('change', () => state.rerender());
    return field('Variation ' + i, input);
  });
  const add = h('button', { type: 'button', class: 'small' }, 'Add variation');
  add.addEventListener('click', () => {
    draft.variations.push(nextVariation(draft.variations[draft.variations.length - 1], draft.variations.length));
    state.changed();
    state.rerender();
  });
  const remove = h('button', { type: 'button', class: 'small', disabled: draft.variations.length <= 1 }, 'Remove last variation');
  remove.addEventListener('click', () => { draft.variations.pop(); state.changed(); state.rerender(); });
  return section('Variations', 'JSON values: true, 42, "dark", {"color": "red"}. Text that is not JSON is a string.',
    h('div', { class: 'grid-2' }, rows),
    h('div', { class: 'buttons' }, add, remove));
}

export function prerequisitesSection(state: EditorState): HTMLElement {
  const { draft, otherFlags } = state;
  const prerequisites = (draft.prerequisites ??= []);
  const rows = prerequisites.map((p, i) => {
    const flagSelect = h('select', null,
      otherFlags.some((f) => f.key === p.key) ? null : h('option', { value: p.key }, p.key || '—'),
      otherFlags.map((f) => h('option', { value: f.key }, f.key)));
    flagSelect.value = p.key;
    state.register('prerequisites[' + i + '].key', flagSelect);
    const target = otherFlags.find((f) => f.key === p.key);
    const variation = h('select', null, (target?.variations || []).map((_, vi) =>
      h('option', { value: String(vi) }, 'Variation ' + variationLabel(target, vi))));
    if (!target) variation.appendChild(h('option', { value: String(p.variation) }, 'Variation ' + p.variation));
    variation.value = String(p.variation);
    state.register('prerequisites[' + i + '].variation', variation);
    flagSelect.addEventListener('change', () => { p.key = flagSelect.value; p.variation = 0; state.changed(); state.rerender(); });
    variation.addEventListener('change', () => { p.variation = Number(variation.value); state.changed(); });
    const remove = h('button', { type: 'button', class: 'small', 'aria-label': 'Remove prerequisite ' + (i + 1) }, 'Remove');
    remove.addEventListener('click', () => { prerequisites.splice(i, 1); state.changed(); state.rerender(); });
    return h('fieldset', { class: 'row prereq' }, h('legend', null, 'Prerequisite ' + (i + 1)),
      field('Prerequisite flag', flagSelect), field('Required variation', variation), remove);
  });
  const add = h('button', { type: 'button', class: 'small', disabled: otherFlags.length === 0 }, 'Add prerequisite');
  add.addEventListener('click', () => {
    prerequisites.push({ key: otherFlags[0]!.key, variation: 0 });
    state.changed();
    state.rerender();
  });
  return section('Prerequisites', 'Other flags that must be on and serve a given variation; otherwise this flag serves its off variation.',
    rows, h('div', { class: 'buttons' }, add));
}

const isUser = (t: Target): boolean => !t.contextKind || t.contextKind === 'user';

export function targetsSection(state: EditorState): HTMLElement {
  const { draft } = state;
  draft.targets ??= [];
  const rows = draft.variations.map((_, i) => {
    const keys: string[] = [];
    draft.targets!.forEach((t) => { if (isUser(t) && t.variation === i) keys.push(...(t.values || [])); });
    const input = h('input', { value: formatKeys(keys), placeholder: 'user keys, comma separated', spellcheck: 'false' });
    draft.targets!.forEach((t, ti) => { if (isUser(t) && t.variation === i) state.register('targets[' + ti + ']', input); });
    input.addEventListener('input', () => {
      const values = parseKeys(input.value);
      const kept: Target[] = [];
      let placed = false;
      for (const t of draft.targets!) {
        if (isUser(t) && t.variation === i) {
          if (!placed && values.length) {
            kept.push({ ...t, values });
            placed = true;
          }
        } else {
          kept.push(t);
        }
      }
      if (!placed && values.length) kept.push({ values, variation: i });
      draft.targets = kept;
      state.changed();
    });
    return field('Target keys for variation ' + variationLabel(draft, i), input);
  });
  const others: HTMLElement[] = [];
  draft.targets.forEach((t, ti) => {
    if (isUser(t)) return;
    const kind = h('input', { value: t.contextKind || '', spellcheck: 'false' });
    kind.addEventListener('input', () => { t.contextKind = kind.value.trim(); state.changed(); });
    const variation = h('select', null, variationOptions(state, t.variation));
    variation.addEventListener('change', () => { t.variation = Number(variation.value); state.changed(); });
    const keys = state.register('targets[' + ti + ']', h('input', { value: formatKeys(t.values), spellcheck: 'false' }));
    keys.addEventListener('input', () => { t.values = parseKeys(keys.value); state.changed(); });
    const remove = h('button', { type: 'button', class: 'small' }, 'Remove');
    remove.addEventListener('click', () => { draft.targets!.splice(ti, 1); state.changed(); state.rerender(); });
    others.push(h('fieldset', { class: 'row' }, h('legend', null, 'Targets of context kind ' + (t.contextKind || '?')),
      field('Context kind', kind), field('Serve', variation), field('Keys', keys), remove));
  });
  const add = h('button', { type: 'button', class: 'small' }, 'Add targets for another context kind');
  add.addEventListener('click', () => { draft.targets!.push({ contextKind: 'org', values: [], variation: 0 }); state.changed(); state.rerender(); });
  return section('Targets', 'Individual contexts by key, checked before the rules. Comma separated.',
    h('div', { class: 'grid-2' }, rows), others, h('div', { class: 'buttons' }, add));
}

export function offSection(state: EditorState): HTMLElement {
  const { draft } = state;
  const select = state.register('offVariation', h('select', null, variationOptions(state, draft.offVariation, 'none (the caller’s default value)')));
  select.addEventListener('change', () => { draft.offVariation = select.value === '' ? null : Number(select.value); state.changed(); });
  return section('Off variation', 'Served while the flag is off or a prerequisite fails.', field('Off variation', select));
}
