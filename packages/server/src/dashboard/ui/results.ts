/**
 * Experiment results for a flag and a metric (a custom event key): the
 * table, the sample-ratio-mismatch warning and the SVG charts. The flag
 * picker lists the experiments only; the metric picker offers the custom
 * events seen (`GET …/metrics`) and, when the link names none, opens on the
 * one seen most.
 */
import { api, enc, envPath, errorText } from './api';
import { conversionChart, liftChart } from './chart';
import { field, h, replace } from './dom';
import { fmtInt, fmtNum, fmtP, fmtPct, fmtSignedPct } from './format';
import { isExperiment, variationLabel, weightToPercent } from './model';
import { envParams, type PageContext } from './page';
import type { Comparison, Flag, MetricSeen, Results } from './types';

const OTHER = '\u0000other';

function liftCell(stats: Comparison | undefined): HTMLTableCellElement {
  if (!stats || typeof stats.lift !== 'number') return h('td', { class: 'muted' }, '–');
  const ci = Array.isArray(stats.liftCI95) ? stats.liftCI95 : null;
  const significant = ci && (ci[0] > 0 || ci[1] < 0);
  return h('td', { class: 'num' + (significant ? (stats.lift > 0 ? ' positive' : ' negative') : '') },
    fmtSignedPct(stats.lift),
    ci ? h('div', { class: 'ci' }, '[' + fmtSignedPct(ci[0]) + ', ' + fmtSignedPct(ci[1]) + ']') : null);
}

function pCell(stats: Comparison | undefined): HTMLTableCellElement {
  if (!stats || typeof stats.pValue !== 'number') return h('td', { class: 'num muted' }, '–');
  return h('td', { class: 'num' + (stats.pValue < 0.05 ? ' strong' : '') }, fmtP(stats.pValue));
}

function resultsTable(results: Results, flag: Flag | undefined): HTMLTableElement {
  const labels = flag || { variations: (results.variations || []).map((x) => x.value) };
  const rows = (results.variations || []).map((v) => h('tr', { class: v.isControl ? 'control' : null },
    h('th', { scope: 'row' }, 'Variation ' + variationLabel(labels, v.variation),
      v.isControl ? h('span', { class: 'badge' }, 'control') : null),
    h('td', { class: 'num' }, typeof v.weight === 'number' ? weightToPercent(v.weight) + '%' : '–'),
    h('td', { class: 'num' }, fmtInt(v.exposed)),
    h('td', { class: 'num' }, fmtInt(v.conversions)),
    h('td', { class: 'num' }, fmtPct(v.conversionRate)),
    liftCell(v.conversion),
    pCell(v.conversion),
    h('td', { class: 'num' }, fmtNum(v.valueMean)),
    liftCell(v.valueStats),
    pCell(v.valueStats)));
  return h('table', { class: 'table results' },
    h('caption', null, 'Conversion to ', h('code', null, results.metric), ' by variation of ', h('code', null, results.flag)),
    h('thead', null,
      h('tr', null,
        h('th', { scope: 'col', rowspan: '2' }, 'Variation'),
        h('th', { scope: 'col', rowspan: '2', class: 'num' }, 'Weight'),
        h('th', { scope: 'col', rowspan: '2', class: 'num' }, 'Exposed'),
        h('th', { scope: 'colgroup', colspan: '4', class: 'group' }, 'Conversion'),
        h('th', { scope: 'colgroup', colspan: '3', class: 'group' }, 'Value')),
      h('tr', null,
        h('th', { scope: 'col', class: 'num' }, 'Conversions'),
        h('th', { scope: 'col', class: 'num' }, 'Rate'),
        h('th', { scope: 'col', class: 'num' }, 'Lift (95% CI)'),
        h('th', { scope: 'col', class: 'num' }, 'p-value'),
        h('th', { scope: 'col', class: 'num' }, 'Mean'),
        h('th', { scope: 'col', class: 'num' }, 'Lift (95% CI)'),
        h('th', { scope: 'col', class: 'num' }, 'p-value'))),
    h('tbody', null, rows));
}

function srmNote(srm: Results['srm']): HTMLElement | null {
  if (!srm) return null;
  const p = fmtP(srm.pValue);
  const stats = 'χ² = ' + fmtNum(srm.chiSquare, 2) + ', p ' + (p.startsWith('<') ? p : '= ' + p);
  if (srm.mismatch) {
    return h('div', { class: 'banner warning srm', role: 'alert' },
      h('strong', null, 'Sample ratio mismatch. '),
      'The exposure counts do not match the rollout weights (' + stats + '). Something is dropping or duplicating exposures for some variations; do not trust these results until the cause is found.');
  }
  return h('p', { class: 'muted small srm-ok' }, 'No sample ratio mismatch (' + stats + ').');
}

export async function resultsPage(ctx: PageContext): Promise<void> {
  const { project, env } = envParams(ctx);
  const base = envPath(project, env);
  const flagKey = ctx.params.flag || '';
  const [flags, metrics] = await Promise.all([
    api<Flag[]>('GET', base + '/flags'),
    // best effort: without the list the user types the key
    api<MetricSeen[]>('GET', base + '/metrics' + (flagKey ? '?flag=' + enc(flagKey) : '')).catch((): MetricSeen[] => []),
  ]);
  const flag = flags.find((f) => f.key === flagKey);
  // a link without ?metric= opens on the metric seen most with this flag's contexts
  const metric = ctx.query.get('metric') || (flagKey && metrics[0] ? metrics[0].key : '');

  const experiments = flags.filter(isExperiment);
  const flagSelect = h('select', { name: 'flag', required: true },
    h('option', { value: '' }, experiments.length ? 'Choose an experiment' : 'No flag runs an experiment'),
    experiments.map((f) => h('option', { value: f.key }, f.key)),
    flag && !isExperiment(flag) ? h('option', { value: flag.key }, flag.key + ' (not an experiment)') : null);
  flagSelect.value = flagKey;

  const known = metrics.some((m) => m.key === metric);
  const metricSelect = h('select', { name: 'metric' },
    metrics.length ? null : h('option', { value: '' }, 'No custom events seen yet'),
    metrics.map((m) => h('option', { value: m.key }, m.key + ' (' + fmtInt(m.count) + ' seen)')),
    h('option', { value: OTHER }, 'Another event key…'));
  const otherInput = h('input', { name: 'metric-key', value: known ? '' : metric, placeholder: 'purchase', spellcheck: 'false' });
  const otherField = field('Event key', otherInput);
  const syncOther = (): void => { otherField.hidden = metricSelect.value !== OTHER; };
  metricSelect.value = known ? metric : metric || !metrics.length ? OTHER : metrics[0]!.key;
  syncOther();
  metricSelect.addEventListener('change', syncOther);

  const form = h('form', { class: 'toolbar card' },
    field('Flag', flagSelect),
    field('Metric (event key)', metricSelect, metrics.length ? 'custom events seen recently' : null),
    otherField,
    h('button', { type: 'submit', class: 'primary' }, 'Show results'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!flagSelect.value) {
      flagSelect.focus();
      return;
    }
    const chosen = metricSelect.value === OTHER ? otherInput.value.trim() : metricSelect.value;
    ctx.navigate(ctx.href(['p', project, 'e', env, 'results', flagSelect.value], { metric: chosen }));
  });

  const output = h('div', { class: 'results-output' });
  replace(ctx.body, h('h1', null, 'Experiment results'), form, output);

  if (!flagKey) {
    replace(output, h('p', { class: 'empty' }, 'Choose a flag that runs an experiment and the custom event that counts as a conversion.'));
    return;
  }
  if (!metric) {
    replace(output, h('p', { class: 'empty' }, 'Name the metric: the key of the custom event that counts as a conversion (for example purchase).'));
    (metricSelect.value === OTHER ? otherInput : metricSelect).focus();
    return;
  }
  replace(output, h('p', { class: 'muted' }, 'Loading results…'));
  let results: Results;
  try {
    results = await api<Results>('GET', base + '/results/' + enc(flagKey) + '?metric=' + enc(metric));
  } catch (err) {
    replace(output, h('p', { class: 'error', role: 'alert' }, errorText(err)));
    return;
  }
  const totalExposed = (results.variations || []).reduce((n, v) => n + (v.exposed || 0), 0);
  const lift = liftChart(results, flag);
  replace(output,
    h('p', { class: 'summary' },
      h('strong', null, fmtInt(totalExposed)), totalExposed === 1 ? ' context' : ' contexts', ' exposed in the experiment; conversions count ',
      h('code', null, metric), ' events after a context’s first exposure.'),
    srmNote(results.srm),
    totalExposed === 0 ? h('p', { class: 'empty' }, 'No exposures yet: the table fills in as SDKs send exposure events for contexts in the experiment.') : null,
    // ten columns: narrower than the table, the page scrolls the table alone, not the page past its edge
    h('div', { class: 'table-scroll' }, resultsTable(results, flag)),
    h('div', { class: 'charts' },
      h('figure', { class: 'card chart-card' },
        conversionChart(results, flag),
        h('figcaption', null, 'Conversion rate per variation; whiskers: 95% Wilson interval.')),
      lift ? h('figure', { class: 'card chart-card' },
        lift,
        h('figcaption', null, 'Relative lift in conversion rate over the control; whiskers: 95% interval.')) : null));
}
