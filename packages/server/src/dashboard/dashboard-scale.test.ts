// The dashboard in Chromium with 10,000 flags (imported through the admin
// API): how long the flag list takes to render and to filter per keystroke,
// measured inside the page with performance.now(); and the layout fixes
// checked on a 390 px wide screen (the sticky save bar, long keys).
//
// Runs wherever /usr/bin/chromium exists; without it the suite is skipped,
// except in CI (CI=true), where it runs and fails loudly instead.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../index';

const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI;
const FLAGS = 10_000;
/** The aims (issue 8), printed beside the times measured. */
const RENDER_AIM_MS = 200;
const FILTER_AIM_MS = 50;
const LONG_KEY = 'checkout-experiment.for-returning_customers-with-saved-carts-v2';
const WORDS = LONG_KEY.split(/(?<=[._-])/);

function scaleFlag(i: number): Record<string, unknown> {
  const key = 'flag-' + String(i).padStart(5, '0');
  const experiment = i % 10 === 0;
  return {
    key,
    name: 'Scale flag number ' + i,
    on: i % 2 === 0,
    variations: [false, true],
    offVariation: 0,
    rules: i % 3 === 0 ? [{ id: 'r1', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } }] : undefined,
    fallthrough: experiment
      ? { rollout: { kind: 'experiment', variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] } }
      : { variation: 0 },
  };
}

describe.skipIf(skip)('dashboard in Chromium with 10,000 flags', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  const project = 'scale';
  const env = 'production';

  const admin = async (path: string, init: RequestInit = {}): Promise<any> => {
    const res = await fetch(baseUrl + '/api/v1' + path, {
      ...init,
      headers: { Authorization: 'Bearer ' + server.adminToken, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'avsb-dashboard-scale-'));
    server = await startServer({ dbPath: join(dir, 'avsb.db'), port: 0 });
    baseUrl = server.url.replace(/\/$/, '');
    const flags = Array.from({ length: FLAGS }, (_, i) => scaleFlag(i));
    flags.push({
      key: LONG_KEY, on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 },
      rules: Array.from({ length: 3 }, (_, r) => ({ id: 'rule-' + r, clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } })),
    });
    await admin('/projects/import', {
      method: 'POST',
      body: JSON.stringify({ key: project, name: 'Scale', environments: [{ key: env, name: 'Production', flags }] }),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.setDefaultTimeout(20_000);
    await page.goto(baseUrl + '/');
    await page.evaluate((token) => sessionStorage.setItem('avsb.adminToken', token), server.adminToken);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('renders the list of 10,000 flags and filters it per keystroke, one window of rows at a time', async () => {
    await page.goto(baseUrl + '/#/');
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    // from the route change to the rows on screen, in the page: fetch of the 10,000 flags included
    const total = await page.evaluate(async (hash) => {
      const t0 = performance.now();
      location.hash = hash;
      for (;;) {
        await new Promise(requestAnimationFrame);
        if (document.querySelector('table.flags tbody tr')) return performance.now() - t0;
      }
    }, `#/p/${project}/e/${env}`);
    const render = await page.evaluate(() => performance.getEntriesByName('avsb:flag-list-render').at(-1)!.duration);
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/flags')).at(-1)!.duration);
    expect(await page.locator('.list-count').textContent()).toBe('Showing 100 of 10,001 flags');
    expect(await page.locator('table.flags tbody tr').count()).toBe(100);

    // each keystroke of "flag-0999" typed into the filter: the handler and the layout it causes
    const keystrokes = await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
      const times: number[] = [];
      const rows: number[] = [];
      for (const text of ['f', 'fl', 'fla', 'flag', 'flag-', 'flag-0', 'flag-09', 'flag-099', 'flag-0999', 'flag-099', '']) {
        const t0 = performance.now();
        input.value = text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        void document.body.offsetHeight;
        times.push(performance.now() - t0);
        rows.push(document.querySelectorAll('table.flags tbody tr').length);
      }
      return { times, rows };
    });
    const filterMax = Math.max(...keystrokes.times);
    const sorted = [...keystrokes.times].sort((a, b) => a - b);
    const filterMedian = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`dashboard, ${FLAGS.toLocaleString('en-US')} flags: list ${total.toFixed(1)} ms from route change to rows, of which GET …/flags ${fetched.toFixed(1)} ms and rendering ${render.toFixed(1)} ms; ` +
      `filter per keystroke median ${filterMedian.toFixed(1)} ms, max ${filterMax.toFixed(1)} ms (aims ${RENDER_AIM_MS} and ${FILTER_AIM_MS} ms)`);
    // the times are printed, not asserted (a loaded machine fails any bound on them): what keeps them within their aims
    // is asserted instead, that a render and every keystroke put at most one window of 100 rows into the page
    expect(keystrokes.rows.every((n) => n <= 100)).toBe(true);

    // the filter finds what it should: "flag-0999" is flag-09990 … flag-09999
    await page.getByLabel('Filter flags').fill('flag-0999');
    expect(await page.locator('.list-count').textContent()).toBe('10 of 10,001 flags match; showing 10');
    await page.getByLabel('Filter flags').fill('');
    // the end of the list scrolled into view brings the next 100 rows
    await page.locator('.show-more').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('table.flags tbody tr').count()).toBeGreaterThanOrEqual(200);
  }, 60_000);

  it('wraps a long key after its separators, never inside a word, at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(baseUrl + `/#/p/${project}/e/${env}`);
      await page.getByLabel('Filter flags').fill('checkout-experiment');
      const key = page.locator('a.flag-key', { hasText: 'checkout' });
      await key.waitFor();
      const lines = await key.evaluate((a) => {
        // each text node is one part of the key up to a separator; a part on two lines has two boxes
        const parts: Array<{ text: string; boxes: number }> = [];
        for (const node of a.childNodes) {
          if (node.nodeType !== Node.TEXT_NODE) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          parts.push({ text: node.textContent!, boxes: range.getClientRects().length });
        }
        const lineTops = new Set([...a.getClientRects()].map((r) => Math.round(r.top)));
        return { parts, lines: lineTops.size, overflow: a.scrollWidth > a.parentElement!.clientWidth };
      });
      expect(lines.parts.map((p) => p.text)).toEqual(WORDS);
      expect(lines.parts.filter((p) => p.boxes !== 1)).toEqual([]);
      expect(lines.lines).toBeGreaterThan(1);
      expect(lines.overflow).toBe(false);
    } finally {
      await page.setViewportSize({ width: 1360, height: 900 });
    }
  }, 30_000);

  it('keeps every label of the flag editor clear of the sticky save bar at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(baseUrl + `/#/p/${project}/e/${env}/flags/${LONG_KEY}`);
      await page.getByRole('button', { name: 'Save flag' }).waitFor();
      const covered = await page.evaluate(() => {
        const bar = document.querySelector('.form-footer')!;
        const out: string[] = [];
        for (const label of document.querySelectorAll<HTMLElement>('form.flag-form .form-body label')) {
          if (label.offsetParent === null) continue; // inside a closed <details>
          label.scrollIntoView({ block: 'nearest' });
          const box = label.getBoundingClientRect();
          const hit = document.elementFromPoint(box.left + Math.min(8, box.width / 2), box.top + box.height / 2);
          if (hit && bar.contains(hit)) out.push(label.textContent!.trim());
        }
        return { out, barRows: Math.round(bar.querySelector('.buttons')!.getBoundingClientRect().height) };
      });
      expect(covered.out).toEqual([]);
      // the bar is two rows high on a phone: what it would cover stays clickable
      await page.getByRole('region', { name: 'Off variation' }).getByLabel('Off variation').click({ trial: true, timeout: 5_000 });
      await page.getByRole('region', { name: 'Fallthrough' }).getByLabel('Serve').click({ trial: true, timeout: 5_000 });
    } finally {
      await page.setViewportSize({ width: 1360, height: 900 });
    }
  }, 30_000);
});
