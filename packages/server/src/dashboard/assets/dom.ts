/**
 * `/dom.js`: building DOM and SVG nodes without innerHTML (every text goes
 * through text nodes, so flag keys and event payloads can never inject markup),
 * and the number and time formats the pages share.
 *
 * Browser code kept as a string: no backticks and no dollar-brace in it.
 */
export const DOM_JS = String.raw`
const SVG_NS = 'http://www.w3.org/2000/svg';

function append(node, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(node, c);
    return;
  }
  node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

function setAttrs(node, attrs) {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'value' && 'value' in node) {
      node.value = value;
    } else if (name === 'checked' || name === 'selected' || name === 'disabled') {
      node[name] = Boolean(value);
      if (value) node.setAttribute(name, '');
    } else if (name === 'dataset') {
      for (const [k, v] of Object.entries(value)) node.dataset[k] = v;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

/** h('button', { class: 'primary', onclick: fn }, 'Save') */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replace(node, ...children) {
  clear(node);
  append(node, children);
  return node;
}

let uid = 0;
/** A fresh id for label/input pairs. */
export function nextId(prefix) {
  uid += 1;
  return (prefix || 'f') + '-' + uid;
}

/** A label and its control, wired by id. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = nextId('in');
  return h('div', { class: 'field' },
    h('label', { for: control.id }, labelText),
    control,
    hint ? h('span', { class: 'hint' }, hint) : null);
}

export function fmtInt(n) {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : '–';
}

/** 0.1294 → "12.94%" */
export function fmtPct(x, digits) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
  return (x * 100).toFixed(digits === undefined ? 2 : digits) + '%';
}

/** 0.294 → "+29.4%" */
export function fmtSignedPct(x, digits) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
  const text = (x * 100).toFixed(digits === undefined ? 1 : digits) + '%';
  return x > 0 ? '+' + text : text;
}

export function fmtP(p) {
  if (typeof p !== 'number' || !Number.isFinite(p)) return '–';
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

export function fmtNum(x, digits) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 2 : digits });
}

export function fmtTime(ms) {
  if (typeof ms !== 'number' && typeof ms !== 'string') return '–';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return d.toLocaleString('en-GB', { hour12: false });
}

/** A JSON value shown compactly: strings quoted, long values cut. */
export function fmtJson(v, max) {
  let text;
  try { text = JSON.stringify(v); } catch { text = String(v); }
  if (text === undefined) text = 'null';
  const limit = max || 60;
  return text.length > limit ? text.slice(0, limit - 1) + '…' : text;
}
`;
