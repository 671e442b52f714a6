// The dashboard's files without a browser: the built shell links its hashed
// script and stylesheet, the server answers them with caching headers and
// ETags, and the pure logic (rollout percentages, clause values, the Wilson
// interval, dates) does what the editor needs.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDashboardHandler, DASHBOARD_CSP } from '../http/dashboard';
import { DASHBOARD_DEFINES } from './build/bundle-dashboard';
import { dashboardAssets } from './index';

const assets = dashboardAssets();

/** A module of ui/ bundled for Node with the build's constants, then imported. */
async function uiModule(name: string): Promise<Record<string, any>> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./ui/${name}.ts`, import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    define: DASHBOARD_DEFINES,
  });
  return import('data:text/javascript;base64,' + Buffer.from(result.outputFiles[0]!.contents).toString('base64'));
}

describe('dashboard assets', () => {
  it('serves the shell, which links one content-hashed script and stylesheet it serves', () => {
    const shell = assets.get('/')!;
    expect(shell.contentType).toBe('text/html; charset=utf-8');
    const html = shell.body.toString('utf8');
    const script = /<script type="module" src="(app-[A-Z0-9]+\.js)">/.exec(html)?.[1];
    const style = /<link rel="stylesheet" href="(style-[A-Z0-9]+\.css)">/.exec(html)?.[1];
    expect(script, html).toBeTruthy();
    expect(style, html).toBeTruthy();
    expect(assets.get('/' + script)).toMatchObject({ contentType: 'text/javascript; charset=utf-8', immutable: true });
    expect(assets.get('/' + style)).toMatchObject({ contentType: 'text/css; charset=utf-8', immutable: true });
    expect(assets.get('/favicon.svg')?.immutable).toBe(false);
    // one bundle: the script imports nothing at run time, and nothing is inline
    const js = assets.get('/' + script)!.body.toString('utf8');
    expect(js).not.toMatch(/\bimport\s*\(|^import\s/m);
    expect(html).not.toMatch(/<script>|<style|style="/);
  });

  it('answers hashed files as cacheable for a year, the shell as revalidated, and 304 for a known ETag', async () => {
    const handler = createDashboardHandler();
    const server = createServer((req, res) => {
      if (!handler(req.method!, req.url!, res)) res.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const page = await fetch(base + '/');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
      const etag = page.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const script = /src="([^"]+)"/.exec(await page.text())![1]!;
      const js = await fetch(base + '/' + script);
      expect(js.status).toBe(200);
      expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(js.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
      const again = await fetch(base + '/', { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect((await fetch(base + '/', { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('says how to build the dashboard when it is not built', () => {
    const missing = dashboardAssets(null);
    expect(missing.get('/')!.body.toString()).toMatch(/pnpm --filter @avsb\/server build/);
  });
});

describe('format.ts', () => {
  let format: Record<string, (...args: any[]) => any>;
  beforeAll(async () => {
    format = await uiModule('format');
  });

  it('writes times as ISO 8601 in UTC, the same in every locale and time zone', () => {
    expect(format.fmtTime!(Date.UTC(2026, 11, 5, 14, 3, 7))).toBe('2026-12-05 14:03:07 UTC');
    expect(format.fmtTime!('2026-05-12T09:00:00.000Z')).toBe('2026-05-12 09:00:00 UTC');
    expect(format.fmtTime!(undefined)).toBe('–');
  });
});

describe('model.ts', () => {
  // Pure (no DOM): bundled as the build bundles it, with the key rule put in.
  let model: Record<string, (...args: any[]) => any>;
  beforeAll(async () => {
    model = await uiModule('model');
  });

  it('converts percentages to weights out of 100000 and back', () => {
    expect(model.percentToWeight!('50')).toBe(50000);
    expect(model.percentToWeight!('33.333')).toBe(33333);
    expect(model.percentToWeight!('0.001')).toBe(1);
    expect(model.percentToWeight!('abc')).toBeNaN();
    expect(model.percentToWeight!('')).toBeNaN();
    expect(model.weightToPercent!(33334)).toBe(33.334);
    expect(model.sumWeights!(model.equalRollout!(3))).toBe(100000);
    expect(model.equalRollout!(3)).toEqual([
      { variation: 0, weight: 33334 },
      { variation: 1, weight: 33333 },
      { variation: 2, weight: 33333 },
    ]);
    expect(model.rolloutWeights!({ variations: [{ variation: 1, weight: 70000 }, { variation: 0, weight: 30000 }] }, 3)).toEqual([30000, 70000, 0]);
  });

  it('types clause values for the operator and reads back what it writes', () => {
    expect(model.parseValues!('pro, team', 'in')).toEqual(['pro', 'team']);
    expect(model.parseValues!('10, "10", true, "true"', 'in')).toEqual([10, '10', true, 'true']);
    expect(model.parseValues!('5, 7.5', 'greaterThan')).toEqual([5, 7.5]);
    expect(model.parseValues!('abc', 'lessThan')).toEqual(['abc']);
    expect(model.parseValues!('1.2.0, 10', 'semVerLessThan')).toEqual(['1.2.0', '10']);
    expect(model.parseValues!('"a{1,3}"', 'matches')).toEqual(['a{1,3}']);
    expect(model.parseValues!('2026-01-15, 1764072000000', 'after')).toEqual(['2026-01-15', 1764072000000]);
    expect(model.parseValues!(' , ', 'in')).toEqual([]);
    const cases: Array<[unknown[], string]> = [
      [['pro', 'team'], 'in'],
      [[10, '10', true, 'true', '', ' x', 'a,b', '"q"'], 'in'],
      [['a{1,3}', '^x$'], 'matches'],
      [['10'], 'startsWith'],
      [[3, 4.5], 'lessThan'],
    ];
    for (const [values, op] of cases) {
      expect(model.parseValues!(model.formatValues!(values, op), op), op).toEqual(values);
    }
  });

  it('parses target keys and variation values', () => {
    expect(model.parseKeys!('u_1, u_2,u_3')).toEqual(['u_1', 'u_2', 'u_3']);
    expect(model.parseKeys!(model.formatKeys!(['a,b', '42']))).toEqual(['a,b', '42']);
    expect(model.parseVariationValue!('true')).toBe(true);
    expect(model.parseVariationValue!('{"a": 1}')).toEqual({ a: 1 });
    expect(model.parseVariationValue!('dark')).toBe('dark');
    expect(model.variationLabel!({ variations: [false, true] }, 1)).toBe('1 (true)');
  });

  it('describes serves and events', () => {
    const flag = { variations: [false, true] };
    expect(model.describeServe!({ variation: 1 }, flag)).toBe('variation 1 (true)');
    expect(model.describeServe!({ rollout: { kind: 'experiment', variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] } }, flag))
      .toBe('experiment 50% / 50%');
    expect(model.describeEvent!({ kind: 'custom', key: 'purchase', value: 9.5 })).toBe('purchase = 9.5');
    expect(model.describeContextKeys!({ user: 'u_1', org: 'acme' })).toBe('user=u_1, org=acme');
  });

  it('checks keys with the server\'s rule, in the v mode browsers give a pattern attribute', async () => {
    const { KEY_PATTERN } = await import('../domain/keys');
    for (const key of ['checkout-v2', 'A.b_c-9', '1st', 'x'.repeat(64), '.', '..', 'Bad Key!', '-x', 'x'.repeat(65), '']) {
      expect(model.isValidKey!(key), key).toBe(KEY_PATTERN.test(key));
    }
    expect(model.KEY_HINT).toMatch(/^A key must be 1–64 letters/);
  });

  it('keeps a "__proto__" member of data as a member', () => {
    const event = JSON.parse('{"kind":"context","context":{"kind":"user","key":"u","__proto__":{"plan":"pro"}}}');
    expect(model.describeEvent!(event)).toBe('{"__proto__":{"plan":"pro"}}');
    const flag = { key: 'f', on: true };
    const copied = model.copyMembers!(flag, JSON.parse('{"key":"f","on":false,"__proto__":{"polluted":true}}'));
    expect(copied).toBe(flag);
    expect(Object.getPrototypeOf(flag)).toBe(Object.prototype);
    expect(flag.on).toBe(false);
    expect(Object.keys(flag)).toEqual(['key', 'on', '__proto__']);
  });

  it('computes the Wilson interval', () => {
    const [lo, hi] = model.wilson!(100, 1000) as [number, number];
    expect(lo).toBeCloseTo(0.0829, 3);
    expect(hi).toBeCloseTo(0.1202, 3);
    expect(model.wilson!(0, 0)).toEqual([0, 0]);
  });
});
