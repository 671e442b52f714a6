import { bool, expectPositionals, parseCommandArgs, str } from '../lib/args';
import { DEFAULT_SERVER, requestJson, serverUrl } from '../lib/http';
import { type CliIo, UsageError } from '../lib/io';
import { renderTable } from '../lib/table';

interface Stats {
  readonly lift?: number | null;
  readonly liftCI95?: readonly [number, number] | readonly number[] | null;
  readonly pValue?: number | null;
}

/** One variation of an experiment's results (ADMIN-API.md, "Events and results"). */
export interface ResultsVariation {
  readonly variation: number;
  readonly value?: unknown;
  readonly weight?: number;
  readonly exposed: number;
  readonly conversions: number;
  readonly conversionRate?: number | null;
  readonly valueTotal?: number | null;
  readonly valueMean?: number | null;
  readonly isControl?: boolean;
  readonly conversion?: Stats | null;
  readonly valueStats?: Stats | null;
}

/** The admin API's experiment results. */
export interface ExperimentResults {
  readonly flag: string;
  readonly metric: string;
  readonly variations: readonly ResultsVariation[];
  readonly srm?: { readonly chiSquare?: number | null; readonly pValue?: number | null; readonly mismatch?: boolean } | null;
}

export async function resultsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('results', args, {
    metric: { type: 'string' },
    server: { type: 'string' },
    token: { type: 'string' },
    project: { type: 'string' },
    env: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [flag] = expectPositionals('results', positionals, ['flag']) as [string];
  const metric = str(values, 'metric');
  if (!metric) throw new UsageError('--metric <event key> is required', 'results');
  const serverFlag = str(values, 'server');
  const server =
    serverFlag !== undefined
      ? serverUrl('results', serverFlag)
      : io.env.AVSB_SERVER
        ? serverUrl('results', io.env.AVSB_SERVER, 'AVSB_SERVER')
        : serverUrl('results', DEFAULT_SERVER);
  const token = str(values, 'token') ?? io.env.AVSB_ADMIN_TOKEN;
  if (!token) throw new UsageError('--token <admin token> is required (or AVSB_ADMIN_TOKEN); avsb dev prints it', 'results');
  const project = str(values, 'project') ?? 'shop';
  const env = str(values, 'env') ?? 'production';
  const url =
    `${server}/api/v1/projects/${encodeURIComponent(project)}/environments/${encodeURIComponent(env)}` +
    `/results/${encodeURIComponent(flag)}?metric=${encodeURIComponent(metric)}`;
  const results = await requestJson<ExperimentResults>(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    credential: 'admin token',
    secrets: [token],
    what: `the results of ${flag}`,
  });
  if (bool(values, 'json')) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else io.stdout.write(formatResults(results, `${project}/${env}`));
  if (!results.variations.some((v) => v.conversions > 0)) {
    // zeros everywhere: usually a metric nobody tracks (a typo, another event name); say which are
    const base = `${server}/api/v1/projects/${encodeURIComponent(project)}/environments/${encodeURIComponent(env)}`;
    io.stderr.write(formatNoConversions(flag, metric, `${project}/${env}`, await metricsSeen(base, token)));
  }
  return 0;
}

/** Custom event keys found in an environment's stored events, with their counts. */
export interface MetricsSeen {
  readonly counts: ReadonlyMap<string, number>;
  /** Events read; `complete` is `false` when the scan stopped at its limit. */
  readonly scanned: number;
  readonly complete: boolean;
}

/** How many stored events `avsb results` reads at most to list the metrics seen. */
export const METRICS_SCAN_LIMIT = 20_000;
const PAGE = 1000;

/** Reads the environment's events (oldest first, at most `METRICS_SCAN_LIMIT`) and counts custom event keys. */
async function metricsSeen(base: string, token: string): Promise<MetricsSeen> {
  const counts = new Map<string, number>();
  let after = 0;
  let scanned = 0;
  while (scanned < METRICS_SCAN_LIMIT) {
    const page = await requestJson<{ id?: unknown; kind?: unknown; key?: unknown }[]>(`${base}/events?after=${after}&limit=${PAGE}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      credential: 'admin token',
      secrets: [token],
      what: 'the stored events',
    });
    if (!Array.isArray(page) || page.length === 0) return { counts, scanned, complete: true };
    for (const event of page) {
      if (event.kind === 'custom' && typeof event.key === 'string') counts.set(event.key, (counts.get(event.key) ?? 0) + 1);
      if (typeof event.id === 'number' && event.id > after) after = event.id;
    }
    scanned += page.length;
    if (page.length < PAGE) return { counts, scanned, complete: true };
  }
  return { counts, scanned, complete: false };
}

/** Why every conversion count is zero: the metric was never tracked (and which were), or not after an exposure. */
export function formatNoConversions(flag: string, metric: string, where: string, seen: MetricsSeen): string {
  const within = seen.complete ? '' : ` in the first ${seen.scanned.toLocaleString('en-US')} events`;
  const tracked = seen.counts.get(metric);
  if (tracked !== undefined) {
    return `note: "${metric}" was tracked ${tracked.toLocaleString('en-US')} time${tracked === 1 ? '' : 's'}${within}, but never by a context after its exposure to ${flag}'s experiment\n`;
  }
  const list = [...seen.counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([key, n]) => `${key} (${n.toLocaleString('en-US')})`);
  const head = `note: no "${metric}" events were tracked in ${where}${within}, so every conversion count is 0`;
  if (list.length === 0) return `${head}; no custom events were tracked at all (track('${metric}') in the app records one)\n`;
  const shown = list.length > 20 ? [...list.slice(0, 20), `… ${list.length - 20} more`] : list;
  return `${head}. Metrics seen: ${shown.join(', ')}\n`;
}

const DASH = '—';

function percent(x: number | null | undefined, digits: number, signed = false): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  const text = `${(x * 100).toFixed(digits)}%`;
  return signed && x >= 0 ? `+${text}` : text;
}

function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return DASH;
  if (p < 0.001) return '<0.001';
  return p.toFixed(3);
}

function count(n: number | null | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : DASH;
}

function mean(x: number | null | undefined): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(2) : DASH;
}

function label(v: ResultsVariation): string {
  let value = v.value === undefined ? '' : JSON.stringify(v.value);
  if (value.length > 24) value = `${value.slice(0, 23)}…`;
  return `${v.variation}${value ? ` ${value}` : ''}${v.isControl ? ' (control)' : ''}`;
}

function lift(stats: Stats | null | undefined): string {
  if (!stats || stats.lift === null || stats.lift === undefined) return DASH;
  const ci = stats.liftCI95;
  const interval = ci && ci.length === 2 ? ` [${percent(ci[0], 1, true)}, ${percent(ci[1], 1, true)}]` : '';
  return `${percent(stats.lift, 1, true)}${interval}`;
}

/** The results as a terminal table with an SRM line. */
export function formatResults(results: ExperimentResults, where = ''): string {
  const header = ['variation', 'exposed', 'conversions', 'rate', 'lift (95% CI)', 'p-value', 'value mean'];
  const rows = results.variations.map((v) => [
    label(v),
    count(v.exposed),
    count(v.conversions),
    v.exposed > 0 ? percent(v.conversionRate ?? v.conversions / v.exposed, 2) : DASH,
    v.isControl ? 'control' : lift(v.conversion),
    v.isControl ? DASH : pValue(v.conversion?.pValue),
    mean(v.valueMean),
  ]);
  const lines = [
    `${results.flag} · metric ${results.metric}${where ? ` · ${where}` : ''}`,
    '',
    rows.length ? renderTable(header, rows, [false, true, true, true, true, true, true]) : '(no variations: is the flag serving an experiment rollout?)',
    '',
    srmLine(results),
    '',
  ];
  return lines.join('\n');
}

function srmLine(results: ExperimentResults): string {
  const srm = results.srm;
  const totalWeight = results.variations.reduce((s, v) => s + (v.weight ?? 0), 0);
  const split = totalWeight > 0 ? ` (expected split ${results.variations.map((v) => `${trim(((v.weight ?? 0) / totalWeight) * 100)}%`).join(' / ')})` : '';
  if (!srm) return `SRM: not computed${split}`;
  const chi = typeof srm.chiSquare === 'number' ? srm.chiSquare.toFixed(2) : DASH;
  const stats = `χ² = ${chi}, p = ${pValue(srm.pValue)}`;
  return srm.mismatch
    ? `SRM: ${stats}: MISMATCH: exposures do not follow the weights${split}; do not trust these results until the cause is found`
    : `SRM: ${stats}: no sample ratio mismatch${split}`;
}

function trim(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
