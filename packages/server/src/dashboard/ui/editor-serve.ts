/** The flag editor's "Serve" control: one variation or a percentage rollout (or experiment). */
import { field, h, replace, unitField } from './dom';
import { variationOptions, type EditorState } from './editor-state';
import { TOTAL_WEIGHT, equalRollout, percentToWeight, rolloutWeights, sumWeights, variationLabel, weightToPercent } from './model';
import type { Rollout, Serve } from './types';

/** Marks a percentage input valid or not (the form refuses to save while one is not). */
function checkPercent(input: HTMLInputElement): number | null {
  const w = percentToWeight(input.value);
  const valid = Number.isFinite(w) && w >= 0 && w <= TOTAL_WEIGHT;
  if (valid) input.removeAttribute('aria-invalid');
  else input.setAttribute('aria-invalid', 'true');
  input.classList.toggle('client-invalid', !valid);
  return valid ? w : null;
}

function pctInput(value: number): HTMLInputElement {
  return h('input', { type: 'number', min: '0', max: '100', step: 'any', inputmode: 'decimal', class: 'pct', value: String(weightToPercent(value)) });
}

export function serveEditor(state: EditorState, serve: Serve, path: string): HTMLElement {
  const { draft } = state;
  const box = h('div', { class: 'serve' });
  function draw(): void {
    const rollout = serve.rollout;
    const select = h('select', null,
      draft.variations.map((_, i) => h('option', { value: 'v:' + i }, 'Variation ' + variationLabel(draft, i))),
      h('option', { value: 'rollout' }, 'Percentage rollout'));
    select.value = rollout ? 'rollout' : 'v:' + serve.variation;
    state.register(path, select);
    state.register(path + '.variation', select);
    select.addEventListener('change', () => {
      if (select.value === 'rollout') {
        delete serve.variation;
        serve.rollout = { kind: 'rollout', variations: equalRollout(draft.variations.length) };
      } else {
        delete serve.rollout;
        serve.variation = Number(select.value.slice(2));
      }
      state.changed();
      draw();
    });
    replace(box, field('Serve', select), rollout ? rolloutEditor(state, rollout, path + '.rollout') : null);
  }
  draw();
  return box;
}

function rolloutEditor(state: EditorState, r: Rollout, path: string): HTMLElement {
  const { draft } = state;
  const box = h('div', { class: 'rollout' });
  const total = h('output', { class: 'total' });
  function refreshTotal(): void {
    const sum = sumWeights(r.variations);
    const bad = sum !== TOTAL_WEIGHT;
    total.textContent = 'Total ' + weightToPercent(sum) + '%' + (bad ? ' — must be 100%' : '');
    total.className = 'total' + (bad ? ' bad' : '');
  }
  const kind = h('select', null,
    h('option', { value: 'rollout' }, 'Rollout'),
    h('option', { value: 'experiment' }, 'Experiment (records exposures for results)'));
  kind.value = r.kind === 'experiment' ? 'experiment' : 'rollout';
  state.register(path + '.kind', kind);
  kind.addEventListener('change', () => {
    r.kind = kind.value;
    if (r.kind !== 'experiment') {
      delete r.trafficAllocation;
      delete r.untrackedVariation;
    }
    state.changed();
    replace(box, ...rolloutEditor(state, r, path).childNodes);
  });

  const weights = rolloutWeights(r, draft.variations.length);
  const inputs = draft.variations.map((_, i) => {
    const input = pctInput(weights[i] ?? 0);
    const idx = (r.variations || []).findIndex((v) => v.variation === i);
    if (idx >= 0) state.register(path + '.variations[' + idx + ']', input);
    input.addEventListener('input', () => {
      const weight = checkPercent(input) ?? 0;
      if (!Array.isArray(r.variations)) r.variations = [];
      const entries = r.variations.filter((v) => v.variation === i);
      if (entries.length > 0) {
        entries[0]!.weight = weight;
        for (const extra of entries.slice(1)) extra.weight = 0;
      } else if (weight > 0) {
        r.variations.push({ variation: i, weight });
      }
      refreshTotal();
      state.changed();
    });
    return unitField('Percentage for variation ' + variationLabel(draft, i), input, '%');
  });

  const bucketBy = h('input', { value: r.bucketBy || '', placeholder: 'key' });
  state.register(path + '.bucketBy', bucketBy);
  bucketBy.addEventListener('input', () => {
    if (bucketBy.value.trim()) r.bucketBy = bucketBy.value.trim();
    else delete r.bucketBy;
    state.changed();
  });
  const bucketKind = h('input', { value: r.contextKind || '', placeholder: 'user' });
  state.register(path + '.contextKind', bucketKind);
  bucketKind.addEventListener('input', () => {
    if (bucketKind.value.trim()) r.contextKind = bucketKind.value.trim();
    else delete r.contextKind;
    state.changed();
  });
  const extra: HTMLElement[] = [];
  if (r.kind === 'experiment') {
    const traffic = pctInput(typeof r.trafficAllocation === 'number' ? r.trafficAllocation : TOTAL_WEIGHT);
    state.register(path + '.trafficAllocation', traffic);
    traffic.addEventListener('input', () => {
      const w = checkPercent(traffic);
      if (w === TOTAL_WEIGHT) delete r.trafficAllocation;
      else if (w !== null) r.trafficAllocation = w;
      state.changed();
    });
    const untracked = h('select', null, variationOptions(state, r.untrackedVariation, 'none'));
    state.register(path + '.untrackedVariation', untracked);
    untracked.addEventListener('change', () => {
      if (untracked.value === '') delete r.untrackedVariation;
      else r.untrackedVariation = Number(untracked.value);
      state.changed();
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
