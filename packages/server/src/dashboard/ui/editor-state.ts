/** What the flag editor's parts share: the draft, the path → control map, and the redraw hooks. */
import { h, nextId, type Child } from './dom';
import { variationLabel } from './model';
import type { Flag } from './types';

export interface EditorState {
  /** The flag being edited (a copy; Save sends it). */
  readonly draft: Flag;
  /** Other flags of the environment (prerequisites). */
  readonly otherFlags: readonly Flag[];
  /** Segment keys (hint for segmentMatch). */
  readonly segmentKeys: readonly string[];
  /** Remembers the control that edits a JSON path, to point at the field the server names. */
  register<T extends Element>(path: string, control: T): T;
  /** After an edit: refresh the JSON view and the "Unsaved changes" status. */
  changed(): void;
  /** After a change of shape (a rule added, a variation removed): redraw the form. */
  rerender(): void;
}

/** `<option>`s for every variation of the draft, `selected` preselected; an empty "none" first when named. */
export function variationOptions(state: EditorState, selected: number | null | undefined, noneLabel?: string): HTMLOptionElement[] {
  const options: HTMLOptionElement[] = [];
  if (noneLabel) options.push(h('option', { value: '', selected: selected === null || selected === undefined }, noneLabel));
  state.draft.variations.forEach((_, i) => options.push(h('option', { value: String(i), selected: selected === i }, 'Variation ' + variationLabel(state.draft, i))));
  return options;
}

/** A card of the editor: a heading (which names the region), a hint and the controls. */
export function section(title: string, description: string | null, ...content: Child[]): HTMLElement {
  const id = nextId('sec');
  return h('section', { class: 'card editor-section', 'aria-labelledby': id },
    h('h2', { id }, title),
    description ? h('p', { class: 'hint' }, description) : null,
    content);
}

/** Sets an optional string member from an input: trimmed text, or the member left out when empty. */
export function setOptional<T extends object>(target: T, name: keyof T & string, text: string, trim = true): void {
  const value = trim ? text.trim() : text;
  const record = target as Record<string, unknown>;
  if (value) record[name] = value;
  else delete record[name];
}
