/** `/style.css`: system font, a sidebar, cards and tables; light and dark. */
export const STYLE_CSS = String.raw`
:root {
  --bg: #f6f7f9;
  --panel: #ffffff;
  --text: #1b1f24;
  --muted: #5f6b7a;
  --border: #dfe3e8;
  --border-strong: #c5ccd5;
  --accent: #4f46e5;
  --accent-soft: #eef0ff;
  --accent-text: #ffffff;
  --sidebar: #171a21;
  --sidebar-text: #c9ced8;
  --sidebar-active: #2a2f3b;
  --good: #15803d;
  --good-soft: #e8f6ee;
  --bad: #b91c1c;
  --bad-soft: #fdecec;
  --warn: #8a5a00;
  --warn-soft: #fff5dc;
  --control: #8f9bb0;
  --radius: 8px;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111318;
    --panel: #191c23;
    --text: #e6e8ec;
    --muted: #9aa4b2;
    --border: #2b303a;
    --border-strong: #3a404c;
    --accent: #8b85ff;
    --accent-soft: #24233f;
    --accent-text: #0e0e1a;
    --sidebar: #0b0d11;
    --sidebar-active: #1f232c;
    --good: #4ade80;
    --good-soft: #15291e;
    --bad: #f87171;
    --bad-soft: #2f1a1a;
    --warn: #fbbf24;
    --warn-soft: #2e2612;
    --control: #6b778c;
  }
}

* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; height: 100%; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px;
  line-height: 1.45;
  color: var(--text);
  background: var(--bg);
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
h1 { font-size: 22px; margin: 0 0 12px; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 15px; margin: 0 0 10px; font-weight: 620; }
h4 { margin: 0; }
.boot { padding: 40px; color: var(--muted); }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.nowrap { white-space: nowrap; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.spacer { flex: 1; }
.error { color: var(--bad); }
.error:empty { display: none; }

/* layout */
.layout { display: grid; grid-template-columns: 232px 1fr; min-height: 100vh; }
.sidebar {
  background: var(--sidebar); color: var(--sidebar-text);
  padding: 16px 12px; display: flex; flex-direction: column; gap: 4px;
  position: sticky; top: 0; height: 100vh; overflow-y: auto;
}
.brand { display: flex; align-items: center; gap: 8px; font-weight: 700; font-size: 16px; color: #fff; padding: 4px 8px 14px; }
.brand:hover { text-decoration: none; }
.brand.big { color: var(--text); font-size: 20px; padding: 0 0 8px; }
.logo {
  display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 7px;
  background: var(--accent); color: #fff; font-size: 11px; font-weight: 800; letter-spacing: -0.02em;
}
.nav-heading { text-transform: uppercase; font-size: 11px; letter-spacing: 0.06em; color: #7d8696; padding: 8px 8px 4px; }
.sidebar ul { list-style: none; margin: 0; padding: 0; }
.sidebar a { color: var(--sidebar-text); display: block; padding: 5px 8px; border-radius: 6px; }
.sidebar a:hover { background: var(--sidebar-active); text-decoration: none; color: #fff; }
.sidebar a.active { background: var(--sidebar-active); color: #fff; font-weight: 600; }
.sidebar a.project { font-weight: 560; }
.nav-envs { margin-left: 12px !important; border-left: 1px solid #2c313c; padding-left: 6px !important; }
.nav-envs a { font-size: 13px; padding: 3px 8px; }
.nav-footer { margin-top: auto; padding: 12px 8px 0; border-top: 1px solid #2c313c; }
.nav-footer .link { color: var(--sidebar-text); }
.content { padding: 20px 32px 64px; min-width: 0; max-width: 1280px; }
.page-head { display: flex; align-items: flex-start; justify-content: space-between; gap: 16px; margin-bottom: 8px; flex-wrap: wrap; }
.page-head h1 { display: flex; align-items: center; gap: 10px; }
.actions { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.back { display: inline-block; font-size: 13px; margin-bottom: 4px; }

.env-header { margin-bottom: 18px; border-bottom: 1px solid var(--border); }
.crumbs { color: var(--muted); font-size: 13px; margin-bottom: 6px; }
.env-name { color: var(--text); font-weight: 600; }
.tabs { display: flex; gap: 2px; }
.tabs a { padding: 8px 12px; color: var(--muted); border-bottom: 2px solid transparent; margin-bottom: -1px; font-weight: 520; }
.tabs a:hover { color: var(--text); text-decoration: none; }
.tabs a.active { color: var(--accent); border-bottom-color: var(--accent); }

/* sign in */
.signin { min-height: 100vh; display: grid; place-items: center; padding: 24px; }
.signin-card {
  width: min(440px, 100%); background: var(--panel); border: 1px solid var(--border);
  border-radius: 12px; padding: 28px; box-shadow: 0 10px 30px rgba(0,0,0,0.06);
}
.signin-card h1 { font-size: 18px; }
.signin-card input { width: 100%; }
.signin-card button { margin-top: 12px; width: 100%; justify-content: center; padding: 8px 12px; }

/* controls */
button, .button {
  font: inherit; font-weight: 550; border: 1px solid var(--border-strong); background: var(--panel); color: var(--text);
  padding: 6px 12px; border-radius: 6px; cursor: pointer; display: inline-flex; align-items: center; gap: 6px;
}
button:hover, .button:hover { border-color: var(--accent); text-decoration: none; }
button:disabled { opacity: 0.55; cursor: default; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
button.primary:hover { filter: brightness(1.08); }
button.danger { background: var(--bad); border-color: var(--bad); color: #fff; }
button.danger-outline { color: var(--bad); }
button.danger-outline:hover { border-color: var(--bad); }
button.small { padding: 3px 9px; font-size: 12.5px; }
button.icon { padding: 2px 8px; font-size: 16px; line-height: 1.2; }
button.link { border: 0; background: none; padding: 0; color: var(--accent); font-weight: 500; }
input, select, textarea {
  font: inherit; color: var(--text); background: var(--panel); border: 1px solid var(--border-strong);
  border-radius: 6px; padding: 6px 8px; min-width: 0;
}
textarea { width: 100%; resize: vertical; }
input:focus, select:focus, textarea:focus, button:focus-visible, a:focus-visible {
  outline: 2px solid var(--accent); outline-offset: 1px;
}
input[aria-invalid="true"], select[aria-invalid="true"], fieldset[aria-invalid="true"] {
  border-color: var(--bad); background: var(--bad-soft);
}
input.mono { font-family: var(--mono); }
input.narrow { width: 110px; }
input.wide { width: 100%; }
.field { display: flex; flex-direction: column; gap: 3px; min-width: 0; }
.field > label { font-size: 12px; font-weight: 600; color: var(--muted); }
.field.check { flex-direction: row; align-items: center; }
.field.check > label { font-size: 13px; color: var(--text); font-weight: 500; display: flex; align-items: center; gap: 6px; cursor: pointer; }
.hint { color: var(--muted); font-size: 12px; margin: 2px 0 8px; }
.field .hint { margin: 0; }
.row { display: flex; gap: 12px; align-items: flex-end; flex-wrap: wrap; }
.buttons { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 8px; }
.grid-2 { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px 16px; }
.toolbar { display: flex; gap: 12px; align-items: flex-end; flex-wrap: wrap; margin-bottom: 14px; }
details.advanced { margin-top: 8px; }
details > summary { cursor: pointer; color: var(--muted); font-size: 12.5px; font-weight: 550; }
details[open] > summary { margin-bottom: 6px; }

/* switch */
input.switch {
  appearance: none; -webkit-appearance: none; width: 36px; height: 20px; border-radius: 999px; padding: 0;
  background: var(--border-strong); border: 0; position: relative; cursor: pointer; flex: none; transition: background 0.15s;
}
input.switch::after {
  content: ""; position: absolute; top: 2px; left: 2px; width: 16px; height: 16px; border-radius: 50%;
  background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,0.3); transition: transform 0.15s;
}
input.switch:checked { background: var(--good); }
input.switch:checked::after { transform: translateX(16px); }
input.switch:disabled { opacity: 0.6; }
.switch-wrap { display: inline-flex; align-items: center; gap: 8px; cursor: pointer; }
.switch-text { font-size: 12px; color: var(--muted); width: 22px; }

/* cards, badges, banners */
.card { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); padding: 16px 18px; margin: 14px 0; }
.card-head { display: flex; align-items: center; justify-content: space-between; gap: 12px; }
.inline-form h2 { margin-bottom: 8px; }
.badge {
  display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 999px;
  background: var(--accent-soft); color: var(--accent); vertical-align: middle; white-space: nowrap; margin-left: 6px;
}
.badge.on { background: var(--good-soft); color: var(--good); }
.badge.off { background: var(--bad-soft); color: var(--bad); }
.banner { padding: 10px 14px; border-radius: var(--radius); margin: 10px 0; border: 1px solid; }
.banner.error { background: var(--bad-soft); border-color: var(--bad); color: var(--bad); }
.banner.warning { background: var(--warn-soft); border-color: var(--warn); color: var(--warn); }
.empty { color: var(--muted); padding: 18px; border: 1px dashed var(--border-strong); border-radius: var(--radius); background: var(--panel); }
.chip { display: inline-block; background: var(--bg); border: 1px solid var(--border); border-radius: 4px; padding: 0 5px; margin: 1px 4px 1px 0; }
.status { color: var(--muted); font-size: 13px; }
.status.dirty { color: var(--warn); }
.status.saved { color: var(--good); }
.confirm:not([hidden]) { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; margin-top: 8px; padding: 8px 10px; background: var(--warn-soft); border-radius: 6px; }
.confirm.inline:empty { display: none; }
.confirm.inline { margin-top: 0; }

/* tables */
.table { width: 100%; border-collapse: separate; border-spacing: 0; background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); overflow: hidden; }
.table th, .table td { text-align: left; padding: 9px 12px; border-bottom: 1px solid var(--border); vertical-align: top; }
.table thead th { font-size: 12px; font-weight: 600; color: var(--muted); background: var(--bg); white-space: nowrap; }
.table tbody tr:last-child > * { border-bottom: 0; }
.table tbody tr:hover > * { background: color-mix(in srgb, var(--accent-soft) 40%, transparent); }
.table caption { caption-side: top; text-align: left; padding: 0 0 8px; color: var(--muted); }
.table .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.table th.group { text-align: center; border-left: 1px solid var(--border); }
.flags .toggle-cell { width: 84px; padding-top: 7px; }
.flag-key { font-family: var(--mono); font-weight: 600; font-size: 13px; }
.row-links a { margin-right: 10px; }
.variations { max-width: 240px; }

/* keys */
.key-row { display: grid; grid-template-columns: 90px 1fr; gap: 4px 12px; align-items: center; padding: 6px 0; }
.key-row .confirm { grid-column: 2; }
.key-label { color: var(--muted); font-size: 12.5px; font-weight: 600; }
.key-value { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.key-button { padding: 3px 8px; background: var(--bg); }
.key-button code.masked { letter-spacing: 0.02em; color: var(--muted); }
.links { display: flex; gap: 14px; margin-top: 8px; }

/* flag editor */
.flag-form { max-width: 1080px; }
.json-panel { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); padding: 10px 18px; margin: 0 0 14px; }
pre.json { margin: 0; max-height: 60vh; overflow: auto; white-space: pre-wrap; word-break: break-word; font-size: 11.5px; }
.editor-section { margin-top: 0; }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
fieldset > legend { padding: 0; }
fieldset.rule { border: 1px solid var(--border); border-radius: var(--radius); padding: 10px 14px 14px; margin: 0 0 12px; background: var(--bg); }
fieldset.rule > legend { font-weight: 650; padding: 0 6px; margin-left: -6px; }
.rule-tools { display: flex; gap: 8px; align-items: flex-end; margin-bottom: 8px; }
fieldset.clause { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; margin: 6px 0; }
fieldset.clause .clause-word { width: 30px; }
fieldset.clause .f-kind { width: 96px; }
fieldset.clause .f-attr { width: 150px; }
fieldset.clause .f-op { width: 170px; }
fieldset.clause .f-values { flex: 1 1 200px; }
fieldset.clause .f-kind input, fieldset.clause .f-attr input, fieldset.clause .f-op select { width: 100%; }
fieldset.clause .negate { padding-bottom: 7px; }
.clause-word { font-weight: 700; color: var(--accent); font-size: 12px; text-transform: uppercase; padding-bottom: 8px; }
fieldset.clause .field .hint { position: absolute; visibility: hidden; }
fieldset.clause .field:focus-within .hint { position: static; visibility: visible; }
.then { display: grid; grid-template-columns: 30px 1fr; gap: 8px; margin-top: 10px; padding-top: 10px; border-top: 1px dashed var(--border-strong); }
.then .clause-word { padding-top: 22px; }
.serve > .field > select, .rollout > .field > select { max-width: 380px; }
.rollout { margin-top: 8px; }
.pcts { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: flex-end; margin-top: 8px; }
.with-unit { display: flex; align-items: center; gap: 4px; }
input.pct { width: 96px; text-align: right; }
.unit { color: var(--muted); }
.total { font-weight: 600; padding-bottom: 7px; color: var(--good); }
.total.bad { color: var(--bad); }
fieldset.prereq { align-items: flex-end; margin-bottom: 8px; }
.form-footer {
  position: sticky; bottom: 0; background: color-mix(in srgb, var(--bg) 92%, transparent); backdrop-filter: blur(4px);
  border-top: 1px solid var(--border); padding: 10px 0 12px; margin-top: 8px; z-index: 2;
}
.form-footer .buttons { margin-top: 0; }
.form-error { margin-top: 10px; padding: 10px 12px; border-radius: 6px; background: var(--bad-soft); color: var(--bad); border: 1px solid var(--bad); }
.form-error .server-message { font-size: 12.5px; word-break: break-word; }

/* events */
.live-status { font-size: 12.5px; font-weight: 600; display: inline-flex; align-items: center; gap: 6px; }
.live-status::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
.live-status.live { color: var(--good); }
.live-status.live::before { background: var(--good); box-shadow: 0 0 0 3px var(--good-soft); }
.live-status.error { color: var(--bad); }
.live-status.error::before { background: var(--bad); }
.events td.detail { word-break: break-word; }
.events tr.new > td { background: var(--accent-soft); transition: background 1s; }
.kind { font-size: 11.5px; font-weight: 600; padding: 1px 7px; border-radius: 999px; background: var(--bg); border: 1px solid var(--border); }
.kind-exposure { color: var(--accent); }
.kind-custom { color: var(--good); }
.kind-context { color: var(--warn); }
.diff { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }

/* results */
.results .ci { font-size: 11.5px; color: var(--muted); }
.results .positive { color: var(--good); }
.results .negative { color: var(--bad); }
.results .positive .ci, .results .negative .ci { color: inherit; opacity: 0.8; }
.results .strong { font-weight: 700; }
.results tr.control th { color: var(--muted); }
.summary { margin: 4px 0 10px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 14px; margin-top: 14px; align-items: start; }
.chart-card { margin: 0; }
.chart-card figcaption { color: var(--muted); font-size: 12px; margin-top: 6px; }
svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
svg.chart .grid { stroke: var(--border); stroke-width: 1; }
svg.chart .axis { stroke: var(--border-strong); stroke-width: 1; }
svg.chart .zero { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.chart .tick { fill: var(--muted); font-size: 11px; }
svg.chart .label { fill: var(--text); font-size: 12px; font-weight: 600; }
svg.chart .sublabel { fill: var(--muted); font-size: 11px; }
svg.chart .value { fill: var(--muted); font-size: 11px; }
svg.chart .bar { fill: var(--accent); opacity: 0.85; }
svg.chart .control .bar { fill: var(--control); }
svg.chart .whisker { stroke: var(--text); stroke-width: 1.6; }
svg.chart .whisker.positive { stroke: var(--good); }
svg.chart .whisker.negative { stroke: var(--bad); }
svg.chart .point { fill: var(--text); }
svg.chart .point.positive { fill: var(--good); }
svg.chart .point.negative { fill: var(--bad); }

@media (max-width: 760px) {
  .layout { grid-template-columns: 1fr; }
  .sidebar { position: static; height: auto; }
  .content { padding: 16px; }
}
`;
