/**
 * `/events.js`: the live event view (server-sent events read with fetch and a
 * stream reader, reconnecting with backoff) and the change history.
 *
 * Browser code kept as a string: no backticks and no dollar-brace in it.
 */
export const EVENTS_JS = String.raw`
import { h, replace, field, fmtTime, fmtJson } from './dom.js';
import { api, envPath, readEventStream, ApiError } from './api.js';
import { describeContextKeys, describeEvent } from './model.js';

const MAX_ROWS = 500;

function eventTime(e) {
  if (e.receivedAt !== undefined) return e.receivedAt;
  return e.time !== undefined ? e.time : e.endTime;
}

export async function eventsPage(ctx) {
  const { project, env } = ctx.params;
  const base = envPath(project, env);
  const controller = new AbortController();
  let paused = false;
  let count = 0;
  const pending = [];

  const status = h('span', { class: 'live-status connecting', role: 'status' }, 'Connecting…');
  const counter = h('span', { class: 'muted' }, '0 events');
  const tbody = h('tbody');
  const empty = h('tr', { class: 'empty-row' }, h('td', { colspan: '4' }, 'Waiting for events… Events that SDKs post to this environment appear here as they arrive.'));
  tbody.appendChild(empty);
  const kindFilter = h('select', null,
    h('option', { value: '' }, 'all kinds'),
    ['exposure', 'custom', 'context', 'summary'].map((k) => h('option', { value: k }, k)));
  const pause = h('input', { type: 'checkbox' });
  const clearButton = h('button', { type: 'button', class: 'small' }, 'Clear');

  function visible(tr) {
    return !kindFilter.value || tr.dataset.kind === kindFilter.value;
  }
  kindFilter.addEventListener('change', () => {
    for (const tr of tbody.querySelectorAll('tr[data-kind]')) tr.hidden = !visible(tr);
  });
  pause.addEventListener('change', () => {
    paused = pause.checked;
    if (!paused) { for (const e of pending.splice(0)) addRow(e); }
  });
  clearButton.addEventListener('click', () => {
    replace(tbody, empty);
    count = 0;
    counter.textContent = '0 events';
  });

  function addRow(e) {
    if (empty.parentNode) empty.remove();
    const tr = h('tr', { dataset: { kind: String(e.kind || '') }, class: 'new' },
      h('td', { class: 'nowrap' }, fmtTime(eventTime(e))),
      h('td', null, h('span', { class: 'kind kind-' + String(e.kind || 'other') }, String(e.kind || '?'))),
      h('td', { class: 'mono' }, describeContextKeys(e.contextKeys) || (e.context ? (e.context.kind || 'user') + '=' + e.context.key : '')),
      h('td', { class: 'mono detail', title: fmtJson(e, 2000) }, describeEvent(e)));
    tr.hidden = !visible(tr);
    tbody.insertBefore(tr, tbody.firstChild);
    setTimeout(() => tr.classList.remove('new'), 1200);
    while (tbody.children.length > MAX_ROWS) tbody.lastChild.remove();
    count += 1;
    counter.textContent = count + ' event' + (count === 1 ? '' : 's');
  }

  function onEvent(message) {
    if (message.event !== 'events') return;
    if (message.id) lastId = message.id;
    let list;
    try { list = JSON.parse(message.data); } catch { return; }
    if (!Array.isArray(list)) list = [list];
    for (const e of list) {
      if (paused) pending.push(e); else addRow(e);
    }
  }

  function setStatus(kind, text) {
    status.className = 'live-status ' + kind;
    status.textContent = text;
  }

  // after a reconnect (the server drops a reader that falls behind), go on from the last event shown
  let lastId = '';
  async function run() {
    let delay = 1000;
    while (!controller.signal.aborted) {
      setStatus('connecting', 'Connecting…');
      try {
        await readEventStream(base + '/events/stream' + (lastId ? '?after=' + encodeURIComponent(lastId) : ''), {
          signal: controller.signal,
          onOpen: () => { setStatus('live', 'Live'); delay = 1000; },
          onEvent,
        });
        if (controller.signal.aborted) return;
        setStatus('connecting', 'Stream ended, reconnecting…');
      } catch (err) {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) return;
        setStatus('error', 'Disconnected (' + (err && err.message ? err.message : err) + '), retrying in ' + Math.round(delay / 1000) + ' s');
      }
      await new Promise((resolve) => {
        const t = setTimeout(resolve, delay * (0.8 + Math.random() * 0.4));
        controller.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
      });
      delay = Math.min(30000, delay * 2);
    }
  }

  replace(ctx.body,
    h('div', { class: 'page-head' },
      h('h1', null, 'Live events'),
      h('div', { class: 'actions' }, status, counter)),
    h('div', { class: 'toolbar' },
      field('Event kind', kindFilter),
      h('div', { class: 'field check' }, h('label', null, pause, ' Pause')),
      clearButton),
    h('table', { class: 'table events', 'aria-label': 'Live events' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Received'),
        h('th', { scope: 'col' }, 'Kind'),
        h('th', { scope: 'col' }, 'Context'),
        h('th', { scope: 'col' }, 'Detail'))),
      tbody));

  run();
  return () => controller.abort();
}

export async function historyPage(ctx) {
  const { project, env } = ctx.params;
  const entries = await api('GET', envPath(project, env) + '/history?limit=100');
  const rows = entries.map((e) => h('tr', null,
    h('td', null, String(e.revision)),
    h('td', { class: 'nowrap' }, fmtTime(e.time)),
    h('td', null, e.kind),
    h('td', null, e.kind === 'flag' && e.action !== 'delete'
      ? h('a', { href: ctx.href(['p', project, 'e', env, 'flags', e.key]) }, e.key)
      : e.key),
    h('td', null, h('span', { class: 'kind action-' + e.action }, e.action)),
    h('td', null, h('details', null, h('summary', null, 'JSON'),
      h('div', { class: 'diff' },
        h('div', null, h('div', { class: 'muted small' }, 'before'), h('pre', { class: 'json' }, JSON.stringify(e.before, null, 2))),
        h('div', null, h('div', { class: 'muted small' }, 'after'), h('pre', { class: 'json' }, JSON.stringify(e.after, null, 2))))))));
  replace(ctx.body,
    h('h1', null, 'History'),
    entries.length === 0
      ? h('p', { class: 'empty' }, 'No changes yet.')
      : h('table', { class: 'table' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Revision'), h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Kind'),
          h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Action'), h('th', { scope: 'col' }, 'Change'))),
        h('tbody', null, rows)));
}
`;
