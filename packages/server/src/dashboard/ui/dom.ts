/**
 * Building DOM and SVG nodes without innerHTML: every text goes through text
 * nodes, so flag keys and event payloads can never inject markup.
 */

/** What `h` and `s` accept as children: nodes, text, and nothing (skipped). */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/**
 * Attributes: `on…` functions become listeners, `value`/`checked`/
 * `selected`/`disabled` set the property, `dataset` sets data attributes,
 * null/undefined/false leave the attribute out.
 */
export type Attrs = Readonly<Record<string, unknown>> | null | undefined;

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(node: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child as readonly Child[]) append(node, c);
    return;
  }
  node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

function setAttrs(node: Element, attrs: Attrs): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value as EventListener);
    } else if (name === 'value' && 'value' in node) {
      (node as HTMLInputElement).value = String(value);
    } else if (name === 'checked' || name === 'selected' || name === 'disabled') {
      (node as unknown as Record<string, boolean>)[name] = Boolean(value);
      if (value) node.setAttribute(name, '');
    } else if (name === 'dataset' && node instanceof HTMLElement) {
      for (const [k, v] of Object.entries(value as Record<string, string>)) node.dataset[k] = v;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

/** `h('button', { class: 'primary', onclick: fn }, 'Save')` */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** The same for SVG elements. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function clear<T extends Node>(node: T): T {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replace<T extends Node>(node: T, ...children: Child[]): T {
  clear(node);
  append(node, children);
  return node;
}

let uid = 0;
/** A fresh id for label/input pairs. */
export function nextId(prefix?: string): string {
  uid += 1;
  return (prefix || 'f') + '-' + uid;
}

/** A label and its control, wired by id. */
export function field(labelText: string, control: HTMLElement, hint?: string | null): HTMLDivElement {
  if (!control.id) control.id = nextId('in');
  return h('div', { class: 'field' },
    h('label', { for: control.id }, labelText),
    control,
    hint ? h('span', { class: 'hint' }, hint) : null);
}

/** A labelled input with a unit after it ("%"). */
export function unitField(labelText: string, input: HTMLInputElement, unit: string): HTMLDivElement {
  if (!input.id) input.id = nextId('in');
  return h('div', { class: 'field' },
    h('label', { for: input.id }, labelText),
    h('div', { class: 'with-unit' }, input, h('span', { class: 'unit', 'aria-hidden': 'true' }, unit)));
}

export function withClass<T extends Element>(node: T, cls: string): T {
  node.classList.add(cls);
  return node;
}

const SEPARATOR = /([._\-/:])/;

/**
 * A key as text that wraps after its separators (`checkout-v2.` `beta`):
 * a `<wbr>` after every `.`, `_`, `-`, `/` or `:`, so a long key breaks
 * between its words; CSS (`overflow-wrap: anywhere`) only cuts a single
 * part longer than the column.
 */
export function keyText(key: string): DocumentFragment {
  const out = document.createDocumentFragment();
  let text = '';
  for (const part of key.split(SEPARATOR)) {
    text += part;
    if (SEPARATOR.test(part)) {
      out.appendChild(document.createTextNode(text));
      out.appendChild(document.createElement('wbr'));
      text = '';
    }
  }
  if (text) out.appendChild(document.createTextNode(text));
  return out;
}
