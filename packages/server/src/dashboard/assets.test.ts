// The dashboard's assets without a browser: every module parses, every import
// between them resolves to a served path, and the pure logic (rollout
// percentages, clause values, the Wilson interval) does what the editor needs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardAssets } from './index';

const assets = dashboardAssets();
const scripts = [...assets].filter(([, a]) => a.contentType.startsWith('text/javascript'));

describe('dashboard assets', () => {
  it('serves the shell, the stylesheet and the modules with their content types', () => {
    expect(assets.get('/')?.contentType).toBe('text/html; charset=utf-8');
    expect(assets.get('/')?.body).toContain('<script type="module" src="app.js">');
    expect(assets.get('/style.css')?.contentType).toBe('text/css; charset=utf-8');
    expect(assets.get('/app.js')?.contentType).toBe('text/javascript; charset=utf-8');
    for (const path of assets.keys()) expect(path.startsWith('/')).toBe(true);
  });

  it('imports only modules it serves', () => {
    for (const [path, asset] of scripts) {
      for (const m of asset.body.matchAll(/^\s*import\s[^;]*?from\s+'([^']+)'/gm)) {
        const target = m[1]!;
        expect(target, path).toMatch(/^\.\/[a-z-]+\.js$/);
        expect(assets.has(target.slice(1)), path + ' imports ' + target).toBe(true);
      }
    }
  });

  describe('every module is valid JavaScript', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'avsb-dashboard-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    it.each(scripts.map(([path]) => [path]))('%s', (path) => {
      const file = join(dir, path.slice(1).replace(/\.js$/, '.mjs'));
      writeFileSync(file, assets.get(path)!.body);
      // Throws with the syntax error when the module does not parse.
      execFileSync(process.execPath, ['--check', file], { stdio: 'pipe' });
    });
  });
});

describe('model.js', () => {
  // The module has no imports and touches no DOM: load it as it is served.
  let model: Record<string, (...args: any[]) => any>;
  beforeAll(async () => {
    const body = assets.get('/model.js')!.body;
    model = await import('data:text/javascript;base64,' + Buffer.from(body).toString('base64'));
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
    const { KEY_PATTERN } = await import('../core/keys');
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
