/**
 * The live event view (server-sent events read with fetch and a stream
 * reader, reconnecting with backoff from the last event shown) and the change
 * history.
 */
import { ApiError, api, envPath, errorText, readEventStream } from './api';
import { field, h, replace } from './dom';
import { fmtJson, fmtTime } from './format';
import { describeContextKeys, describeEvent } from './model';
import { envParams, type PageContext } from './page';
import type { SseMessage } from './sse';
import type { HistoryEntry, SdkEvent } from './types';

const MAX_ROWS = 500;

function eventTime(e: SdkEvent): number | undefined {
  if (e.receivedAt !== undefined) return e.receivedAt;
  return e.time !== undefined ? e.time : e.endTime;
}

function contextText(e: SdkEvent): string {
  const keys = describeContextKeys(e.contextKeys);
  if (keys) return keys;
  return e.context ? (e.context.kind || 'user') + '=' + String(e.context.key) : '';
}

export async function eventsPage(ctx: PageContext): Promise<() => void> {
  const { project, env } = envParams(ctx);
  const base = envPath(project, env);
  const controller = new AbortController();
  let paused = false;
  let count = 0;
  const pending: SdkEvent[] = [];
  // after a reconnect (the server drops a reader that falls behind), go on from the last event shown
  let lastId = '';

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

  const visible = (tr: HTMLElement): boolean => !kindFilter.value || tr.dataset.kind === kindFilter.value;
  kindFilter.addEventListener('change', () => {
    for (const tr of tbody.querySelectorAll<HTMLElement>('tr[data-kind]')) tr.hidden = !visible(tr);
  });
  pause.addEventListener('change', () => {
    paused = pause.checked;
    if (!paused) for (const e of pending.splice(0)) addRow(e);
  });
  clearButton.addEventListener('click', () => {
    replace(tbody, empty);
    count = 0;
    counter.textContent = '0 events';
  });

  function addRow(e: SdkEvent): void {
    if (empty.parentNode) empty.remove();
    const kind = String(e.kind || '');
    const tr = h('tr', { dataset: { kind }, class: 'new' },
      h('td', { class: 'nowrap' }, fmtTime(eventTime(e))),
      h('td', null, h('span', { class: 'kind kind-' + (kind || 'other') }, kind || '?')),
      h('td', { class: 'mono' }, contextText(e)),
      h('td', { class: 'mono detail', title: fmtJson(e, 2000) }, describeEvent(e)));
    tr.hidden = !visible(tr);
    tbody.insertBefore(tr, tbody.firstChild);
    setTimeout(() => tr.classList.remove('new'), 1200);
    while (tbody.children.length > MAX_ROWS) tbody.lastElementChild!.remove();
    count += 1;
    counter.textContent = count + ' event' + (count === 1 ? '' : 's');
  }

  function onEvent(message: SseMessage): void {
    if (message.event !== 'events') return;
    if (message.id) lastId = message.id;
    let list: unknown;
    try {
      list = JSON.parse(message.data);
    } catch {
      return;
    }
    for (const e of (Array.isArray(list) ? list : [list]) as SdkEvent[]) {
      if (paused) pending.push(e);
      else addRow(e);
    }
  }

  function setStatus(kind: string, text: string): void {
    status.className = 'live-status ' + kind;
    status.textContent = text;
  }

  async function run(): Promise<void> {
    let delay = 1000;
    while (!controller.signal.aborted) {
      setStatus('connecting', 'Connecting…');
      try {
        await readEventStream(base + '/events/stream' + (lastId ? '?after=' + encodeURIComponent(lastId) : ''), {
          signal: controller.signal,
          onOpen: () => {
            setStatus('live', 'Live');
            delay = 1000;
          },
          onEvent,
        });
        if (controller.signal.aborted) return;
        setStatus('connecting', 'Stream ended, reconnecting…');
      } catch (err) {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) return;
        setStatus('error', 'Disconnected (' + errorText(err) + '), retrying in ' + Math.round(delay / 1000) + ' s');
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay * (0.8 + Math.random() * 0.4));
        controller.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
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
        h('th', { scope: 'col' }, 'Received (UTC)'),
        h('th', { scope: 'col' }, 'Kind'),
        h('th', { scope: 'col' }, 'Context'),
        h('th', { scope: 'col' }, 'Detail'))),
      tbody));

  void run();
  return () => controller.abort();
}

export async function historyPage(ctx: PageContext): Promise<void> {
  const { project, env } = envParams(ctx);
  const entries = await api<HistoryEntry[]>('GET', envPath(project, env) + '/history?limit=100');
  const rows = entries.map((e) => h('tr', null,
    h('td', null, String(e.revision)),
    h('td', { class: 'nowrap' }, fmtTime(e.time)),
    h('td', null, e.kind),
    h('td', { class: 'key-text' }, e.kind === 'flag' && e.action !== 'delete'
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
          h('th', { scope: 'col' }, 'Revision'), h('th', { scope: 'col' }, 'Time (UTC)'), h('th', { scope: 'col' }, 'Kind'),
          h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Action'), h('th', { scope: 'col' }, 'Change'))),
        h('tbody', null, rows)));
}
