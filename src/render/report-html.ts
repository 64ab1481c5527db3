/**
 * The capacity report as one static, self-contained HTML page Platon can publish: inline CSS and
 * inline SVG charts, no script, no font, image or style from anywhere else.
 */
import type { CapacityReport } from '../model/capacity.js';
import { connectionChart, escapeHtml, sizeChart } from './report-chart.js';
import { formatBytes } from '../report/capacity.js';
import { REPORT_COLUMNS, reportRow, unusable } from './report-rows.js';

const STYLE = `
:root { color-scheme: light; --ink: #1d2433; --muted: #5b6475; --line: #d9dee7; --accent: #2f6fdb; --track: #dbe6fb; --alarm: #c2410c; --unusable: #a3a9b4; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 1080px; margin: 0 auto; padding: 32px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; }
.meta { color: var(--muted); margin: 0 0 24px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
.card .big { font-size: 24px; font-weight: 650; }
.card .small { color: var(--muted); font-size: 13px; }
.meter { height: 8px; background: var(--track); border-radius: 4px; margin-top: 10px; overflow: hidden; }
.meter span { display: block; height: 100%; background: var(--accent); }
.meter.alarm span { background: var(--alarm); }
.findings { list-style: none; padding: 0; margin: 0; }
.findings li { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--muted); border-radius: 6px; padding: 10px 14px; margin-bottom: 8px; }
.findings li.warning { border-left-color: var(--alarm); }
.findings .hint { color: var(--muted); font-size: 13px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px; overflow-x: auto; }
figcaption { color: var(--muted); font-size: 13px; margin: 0 0 4px 8px; }
svg text { font: 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: var(--ink); }
svg .bar { fill: var(--accent); }
svg .track { fill: var(--track); }
svg .unusable { fill: var(--unusable); }
svg .alarm { fill: var(--alarm); }
svg .value { fill: var(--muted); }
svg .full { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .full-label { fill: var(--muted); font-size: 12px; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 10px; overflow: hidden; font-size: 14px; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f6; font-weight: 600; }
tr.oversized td { background: #fff4ed; }
td.state-retired, td.state-unmanaged { color: var(--muted); }
`;

function meter(used: number, of: number): string {
  const share = of > 0 ? Math.min(used / of, 1) : 0;
  return `<div class="meter${used > of ? ' alarm' : ''}"><span style="width:${(share * 100).toFixed(1)}%"></span></div>`;
}

export function renderReportHtml(report: CapacityReport): string {
  const available = report.maxConnections - report.reservedConnections;
  const server = `max_connections ${report.maxConnections} less ${report.reservedConnections} reserved`;
  const limit = report.maxDatabaseSizeGb === undefined ? '' : `; each meant to stay under ${report.maxDatabaseSizeGb} GB`;
  const unlimited = report.totals.unlimitedRoles.length === 0 ? '' : `; ${report.totals.unlimitedRoles.length} users have no limit`;
  const cards = [
    `<div class="card" id="total-size"><div class="small">Databases</div><div class="big">${report.databases.length}</div><div class="small">${formatBytes(report.totals.sizeBytes)} in all${limit}</div></div>`,
    `<div class="card" id="total-connections"><div class="small">Connections in use</div><div class="big">${report.totals.connections} / ${available}</div>${meter(report.totals.connections, available)}<div class="small">${server}</div></div>`,
    `<div class="card" id="total-limits"><div class="small">Connection limits of the team users, summed</div><div class="big">${report.totals.connectionLimits} / ${available}</div>${meter(report.totals.connectionLimits, available)}<div class="small">${server}${unlimited}${unusable(report)}</div></div>`,
  ];
  const findings =
    report.findings.length === 0
      ? '<p>Nothing to report.</p>'
      : `<ul class="findings">${report.findings
          .map((f) => `<li class="${f.severity}">${escapeHtml(f.message)}${f.hint ? `<div class="hint">${escapeHtml(f.hint)}</div>` : ''}</li>`)
          .join('')}</ul>`;
  const head = REPORT_COLUMNS.map(([, title]) => `<th>${escapeHtml(title)}</th>`).join('');
  const rows = report.databases
    .map((db) => {
      const row = reportRow(db);
      const cells = REPORT_COLUMNS.map(([key]) => `<td${key === 'state' ? ` class="state-${db.state}"` : ''}>${escapeHtml(row[key])}</td>`).join('');
      return `<tr${db.oversized ? ' class="oversized"' : ''}>${cells}</tr>`;
    })
    .join('\n');
  const title = `Capacity of ${report.instance}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">PostgreSQL ${escapeHtml(report.serverVersion)} &middot; generated ${escapeHtml(report.generatedAt)} by platon-db report</p>
<section class="cards">${cards.join('')}</section>
<h2>Findings</h2>
${findings}
<h2>Size per database</h2>
${sizeChart(report)}
<h2>Connections per database</h2>
${connectionChart(report)}
<h2>Databases</h2>
<table id="databases"><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table>
</main>
</body>
</html>
`;
}
