/**
 * The results charts as inline SVG (no chart library): conversion rate per
 * variation as bars with 95% interval whiskers, and the lift of each
 * treatment over the control with the server's 95% interval.
 */
import { s } from './dom';
import { variationLabel, wilson } from './model';
import type { Flag, Results } from './types';

function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * power;
}

function pctLabel(x: number, step: number): string {
  const digits = step >= 0.01 ? 0 : step >= 0.001 ? 1 : 2;
  return (x * 100).toFixed(digits) + '%';
}

/** The flag for labels, or the values the results carry when the flag is gone. */
function labelSource(results: Results, flag: Flag | undefined): { variations?: readonly unknown[] } {
  return flag || { variations: (results.variations || []).map((x) => x.value) };
}

/** Bars of conversion rate with Wilson 95% whiskers, one per variation. */
export function conversionChart(results: Results, flag: Flag | undefined): SVGSVGElement {
  const labels = labelSource(results, flag);
  const rows = results.variations || [];
  const W = 560;
  const H = 280;
  const m = { top: 20, right: 16, bottom: 48, left: 56 };
  const iw = W - m.left - m.right;
  const ih = H - m.top - m.bottom;
  const data = rows.map((v) => {
    const n = v.exposed || 0;
    const k = v.conversions || 0;
    const rate = typeof v.conversionRate === 'number' ? v.conversionRate : n ? k / n : 0;
    return { v, rate, ci: wilson(k, n) };
  });
  const top = Math.max(0.0001, ...data.map((d) => Math.max(d.ci[1], d.rate)));
  const step = niceStep(top / 4);
  const yMax = Math.min(1, Math.ceil((top * 1.05) / step) * step);
  const y = (value: number): number => m.top + ih - (value / yMax) * ih;
  const band = iw / Math.max(1, data.length);
  const barW = Math.min(96, band * 0.55);

  const svg = s('svg', {
    class: 'chart',
    viewBox: '0 0 ' + W + ' ' + H,
    role: 'img',
    'aria-labelledby': 'chart-conv-title',
  }, s('title', { id: 'chart-conv-title' }, 'Conversion rate by variation with 95% confidence intervals'));

  for (let t = 0; t <= yMax + step / 2; t += step) {
    const yy = y(t);
    svg.appendChild(s('line', { class: 'grid', x1: m.left, x2: W - m.right, y1: yy, y2: yy }));
    svg.appendChild(s('text', { class: 'tick', x: m.left - 8, y: yy + 4, 'text-anchor': 'end' }, pctLabel(t, step)));
  }
  svg.appendChild(s('line', { class: 'axis', x1: m.left, x2: W - m.right, y1: y(0), y2: y(0) }));

  data.forEach((d, i) => {
    const cx = m.left + band * i + band / 2;
    const control = Boolean(d.v.isControl);
    const label = variationLabel(labels, d.v.variation);
    const g = s('g', { class: 'bar-group' + (control ? ' control' : '') });
    g.appendChild(s('rect', {
      class: 'bar',
      x: cx - barW / 2,
      y: y(d.rate),
      width: barW,
      height: Math.max(0, y(0) - y(d.rate)),
      rx: 3,
    }, s('title', null, 'Variation ' + label + ': ' + (d.rate * 100).toFixed(2) + '% (95% CI ' + (d.ci[0] * 100).toFixed(2) + '–' + (d.ci[1] * 100).toFixed(2) + '%)')));
    const lo = y(d.ci[0]);
    const hi = y(d.ci[1]);
    g.appendChild(s('line', { class: 'whisker', x1: cx, x2: cx, y1: lo, y2: hi }));
    g.appendChild(s('line', { class: 'whisker', x1: cx - 10, x2: cx + 10, y1: lo, y2: lo }));
    g.appendChild(s('line', { class: 'whisker', x1: cx - 10, x2: cx + 10, y1: hi, y2: hi }));
    g.appendChild(s('text', { class: 'value', x: cx + barW / 2 + 4, y: Math.min(y(0) - 4, Math.max(m.top + 10, y(d.rate) + 12)) }, (d.rate * 100).toFixed(1) + '%'));
    g.appendChild(s('text', { class: 'label', x: cx, y: H - m.bottom + 18, 'text-anchor': 'middle' }, label));
    if (control) g.appendChild(s('text', { class: 'sublabel', x: cx, y: H - m.bottom + 34, 'text-anchor': 'middle' }, 'control'));
    svg.appendChild(g);
  });
  return svg;
}

/** Lift over the control with the 95% interval, one row per treatment. */
export function liftChart(results: Results, flag: Flag | undefined): SVGSVGElement | null {
  const labels = labelSource(results, flag);
  const rows = (results.variations || []).flatMap((v) => (v.conversion && typeof v.conversion.lift === 'number' ? [{ v, c: v.conversion }] : []));
  if (rows.length === 0) return null;
  const W = 560;
  const rowH = 40;
  const m = { top: 16, right: 24, bottom: 30, left: 120 };
  const H = m.top + m.bottom + rowH * rows.length;
  const iw = W - m.left - m.right;
  let lo = 0;
  let hi = 0;
  for (const { c } of rows) {
    const ci = c.liftCI95 || [c.lift, c.lift];
    lo = Math.min(lo, ci[0], c.lift);
    hi = Math.max(hi, ci[1], c.lift);
  }
  const span = Math.max(0.01, hi - lo);
  const step = niceStep(span / 5);
  lo = Math.floor((lo - span * 0.05) / step) * step;
  hi = Math.ceil((hi + span * 0.05) / step) * step;
  const x = (value: number): number => m.left + ((value - lo) / (hi - lo)) * iw;

  const svg = s('svg', {
    class: 'chart lift',
    viewBox: '0 0 ' + W + ' ' + H,
    role: 'img',
    'aria-labelledby': 'chart-lift-title',
  }, s('title', { id: 'chart-lift-title' }, 'Lift in conversion rate over the control with 95% confidence intervals'));

  for (let t = lo; t <= hi + step / 2; t += step) {
    const xx = x(t);
    svg.appendChild(s('line', { class: 'grid', x1: xx, x2: xx, y1: m.top, y2: H - m.bottom }));
    const label = (t > 0.00001 ? '+' : '') + (Math.abs(t) < 1e-9 ? '0' : (t * 100).toFixed(step >= 0.01 ? 0 : 1)) + '%';
    svg.appendChild(s('text', { class: 'tick', x: xx, y: H - m.bottom + 16, 'text-anchor': 'middle' }, label));
  }
  svg.appendChild(s('line', { class: 'zero', x1: x(0), x2: x(0), y1: m.top - 4, y2: H - m.bottom }));

  rows.forEach(({ v, c }, i) => {
    const cy = m.top + rowH * i + rowH / 2;
    const ci = c.liftCI95 || [c.lift, c.lift];
    const significant = ci[0] > 0 || ci[1] < 0;
    const cls = significant ? (c.lift > 0 ? ' positive' : ' negative') : '';
    svg.appendChild(s('text', { class: 'label', x: m.left - 10, y: cy + 4, 'text-anchor': 'end' }, variationLabel(labels, v.variation)));
    svg.appendChild(s('line', { class: 'whisker' + cls, x1: x(ci[0]), x2: x(ci[1]), y1: cy, y2: cy }));
    svg.appendChild(s('line', { class: 'whisker' + cls, x1: x(ci[0]), x2: x(ci[0]), y1: cy - 6, y2: cy + 6 }));
    svg.appendChild(s('line', { class: 'whisker' + cls, x1: x(ci[1]), x2: x(ci[1]), y1: cy - 6, y2: cy + 6 }));
    svg.appendChild(s('circle', { class: 'point' + cls, cx: x(c.lift), cy, r: 5 },
      s('title', null, 'Lift ' + (c.lift * 100).toFixed(1) + '% (95% CI ' + (ci[0] * 100).toFixed(1) + '% to ' + (ci[1] * 100).toFixed(1) + '%)')));
  });
  return svg;
}
