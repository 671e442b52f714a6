/** The flag editor's rules (with their clauses) and fallthrough. */
import { field, h, withClass } from './dom';
import { serveEditor } from './editor-serve';
import { section, setOptional, type EditorState } from './editor-state';
import { OPERATORS, formatValues, parseValues } from './model';
import type { Clause, Rule } from './types';

function clauseEditor(state: EditorState, rule: Rule, ri: number, clause: Clause, ci: number): HTMLElement {
  const path = 'rules[' + ri + '].clauses[' + ci + ']';
  const kind = state.register(path + '.contextKind', h('input', { value: clause.contextKind || '', placeholder: 'user', spellcheck: 'false' }));
  kind.addEventListener('input', () => { setOptional(clause, 'contextKind', kind.value); state.changed(); });
  const attribute = state.register(path + '.attribute', h('input', { value: clause.attribute ?? '', placeholder: 'plan', spellcheck: 'false' }));
  attribute.addEventListener('input', () => { setOptional(clause, 'attribute', attribute.value); state.changed(); });
  const op = h('select', null,
    OPERATORS.includes(clause.op) ? null : h('option', { value: clause.op || '' }, clause.op || '—'),
    OPERATORS.map((o) => h('option', { value: o }, o)));
  op.value = clause.op || '';
  state.register(path + '.op', op);
  const values = state.register(path + '.values', h('input', { value: formatValues(clause.values, clause.op), spellcheck: 'false', class: 'wide' }));
  (clause.values || []).forEach((_, vi) => state.register(path + '.values[' + vi + ']', values));
  values.addEventListener('input', () => { clause.values = parseValues(values.value, clause.op); state.changed(); });
  op.addEventListener('change', () => {
    clause.op = op.value;
    clause.values = parseValues(values.value, clause.op);
    state.changed();
  });
  const negate = state.register(path + '.negate', h('input', { type: 'checkbox', checked: Boolean(clause.negate) }));
  negate.addEventListener('change', () => {
    if (negate.checked) clause.negate = true;
    else delete clause.negate;
    state.changed();
  });
  const remove = h('button', { type: 'button', class: 'small icon', 'aria-label': 'Remove clause ' + (ci + 1) + ' of rule ' + (ri + 1), title: 'Remove clause' }, '×');
  remove.addEventListener('click', () => { rule.clauses.splice(ci, 1); state.changed(); state.rerender(); });
  const segmentHint = state.segmentKeys.length ? 'segments: ' + state.segmentKeys.join(', ') : null;
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

function ruleEditor(state: EditorState, rules: Rule[], rule: Rule, ri: number): HTMLElement {
  if (!Array.isArray(rule.clauses)) rule.clauses = [];
  rule.serve ??= { variation: 0 };
  const title = (): string => 'Rule ' + (ri + 1) + (rule.id ? ' · ' + rule.id : '');
  const legend = h('legend', null, title());
  const id = state.register('rules[' + ri + '].id', h('input', { value: rule.id || '', spellcheck: 'false', class: 'narrow' }));
  id.addEventListener('input', () => {
    setOptional(rule, 'id', id.value);
    legend.textContent = title();
    state.changed();
  });
  const edit = (change: () => void) => (): void => {
    change();
    state.changed();
    state.rerender();
  };
  const addClause = h('button', { type: 'button', class: 'small', onclick: edit(() => rule.clauses.push({ attribute: 'key', op: 'in', values: [] })) }, 'Add clause');
  const up = h('button', { type: 'button', class: 'small', disabled: ri === 0, 'aria-label': 'Move rule ' + (ri + 1) + ' up', onclick: edit(() => rules.splice(ri - 1, 0, ...rules.splice(ri, 1))) }, '↑');
  const down = h('button', { type: 'button', class: 'small', disabled: ri === rules.length - 1, 'aria-label': 'Move rule ' + (ri + 1) + ' down', onclick: edit(() => rules.splice(ri + 1, 0, ...rules.splice(ri, 1))) }, '↓');
  const remove = h('button', { type: 'button', class: 'small danger-outline', 'aria-label': 'Delete rule ' + (ri + 1), onclick: edit(() => rules.splice(ri, 1)) }, 'Delete rule');
  const fs = h('fieldset', { class: 'rule' }, legend,
    h('div', { class: 'rule-tools' }, field('Rule ID', id), h('span', { class: 'spacer' }), up, down, remove),
    rule.clauses.length === 0 ? h('p', { class: 'hint' }, 'No clauses: this rule matches every context.') : null,
    rule.clauses.map((c, ci) => clauseEditor(state, rule, ri, c, ci)),
    h('div', { class: 'buttons' }, addClause),
    h('div', { class: 'then' }, h('span', { class: 'clause-word' }, 'Then'), serveEditor(state, rule.serve, 'rules[' + ri + '].serve')));
  state.register('rules[' + ri + ']', fs);
  return fs;
}

export function rulesSection(state: EditorState): HTMLElement {
  const rules = (state.draft.rules ??= []);
  const add = h('button', { type: 'button', class: 'small' }, 'Add rule');
  add.addEventListener('click', () => {
    const ids = new Set(rules.map((r) => r.id));
    let n = rules.length + 1;
    while (ids.has('rule-' + n)) n++;
    rules.push({ id: 'rule-' + n, clauses: [{ attribute: 'key', op: 'in', values: [] }], serve: { variation: 0 } });
    state.changed();
    state.rerender();
  });
  return section('Rules', 'Evaluated in order after the targets; the first rule whose clauses all match serves. A clause matches when the attribute matches any of its values.',
    rules.map((r, ri) => ruleEditor(state, rules, r, ri)),
    h('div', { class: 'buttons' }, add));
}

export function fallthroughSection(state: EditorState): HTMLElement {
  const fallthrough = (state.draft.fallthrough ??= { variation: 0 });
  const fs = h('fieldset', { class: 'plain' }, h('legend', { class: 'sr-only' }, 'Fallthrough'), serveEditor(state, fallthrough, 'fallthrough'));
  return section('Fallthrough', 'Served to every context no target or rule matched. Rollout percentages must add up to 100%.', fs);
}
