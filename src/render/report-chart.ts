/**
 * Inline SVG bar charts for the HTML report: no script, no external resource, readable as text
 * (every bar has its label and value as SVG text, and a <title> for screen readers).
 */
import type { CapacityDatabase, CapacityReport } from '../model/capacity.js';
import { formatBytes } from '../report/capacity.js';

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const WIDTH = 760;
const LABEL = 190;
const VALUE = 150;
const ROW = 30;
const BAR = 14;
const TOP = 10;

interface Bar {
  readonly label: string;
  /** Drawn solid. */
  readonly value: number;
  /** Drawn as a light track behind the value (a limit); absent: none. */
  readonly track?: number;
  readonly text: string;
  readonly alarm: boolean;
}

function chart(id: string, title: string, bars: readonly Bar[], scaleMax: number, line?: { value: number; label: string }): string {
  const plot = WIDTH - LABEL - VALUE;
  const height = TOP * 2 + Math.max(bars.length, 1) * ROW + (line ? 16 : 0);
  const x = (v: number) => LABEL + (scaleMax > 0 ? Math.min(v / scaleMax, 1) * plot : 0);
  const rows = bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const mid = y + ROW / 2;
    const track = bar.track === undefined ? '' : `<rect class="track" x="${LABEL}" y="${mid - BAR / 2}" width="${(x(bar.track) - LABEL).toFixed(1)}" height="${BAR}" rx="3"/>`;
    const width = Math.max(x(bar.value) - LABEL, bar.value > 0 ? 2 : 0);
    return [
      `<g class="row${bar.alarm ? ' alarm' : ''}" data-database="${escapeHtml(bar.label)}">`,
      `<title>${escapeHtml(`${bar.label}: ${bar.text}`)}</title>`,
      `<text class="label" x="${LABEL - 10}" y="${mid + 4}" text-anchor="end">${escapeHtml(bar.label)}</text>`,
      track,
      `<rect class="bar" x="${LABEL}" y="${mid - BAR / 2}" width="${width.toFixed(1)}" height="${BAR}" rx="3"/>`,
      `<text class="value" x="${WIDTH - VALUE + 10}" y="${mid + 4}">${escapeHtml(bar.text)}</text>`,
      '</g>',
    ].join('');
  });
  const limit =
    line && line.value <= scaleMax
      ? `<line class="limit" x1="${x(line.value).toFixed(1)}" x2="${x(line.value).toFixed(1)}" y1="${TOP - 4}" y2="${height - 18}"/>` +
        `<text class="limit-label" x="${x(line.value).toFixed(1)}" y="${height - 4}" text-anchor="middle">${escapeHtml(line.label)}</text>`
      : '';
  const empty = bars.length === 0 ? `<text class="label" x="${LABEL}" y="${TOP + ROW / 2}">no databases</text>` : '';
  return `<svg id="${id}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">${rows.join('')}${limit}${empty}</svg>`;
}

export function sizeChart(report: CapacityReport): string {
  const GB = 1024 ** 3;
  const sizes = report.databases.map((d) => d.sizeBytes ?? 0);
  const limit = report.maxDatabaseSizeGb === undefined ? undefined : report.maxDatabaseSizeGb * GB;
  const largest = Math.max(1, ...sizes);
  // Show the limit line when a database is at least a tenth of it; else the bars would be slivers.
  const line = limit !== undefined && largest >= limit / 10 ? { value: limit, label: `limit ${report.maxDatabaseSizeGb} GB` } : undefined;
  const scale = line ? Math.max(largest, line.value) * 1.05 : largest;
  const bars = report.databases.map((d) => ({
    label: d.name,
    value: d.sizeBytes ?? 0,
    text: d.sizeBytes === null ? 'unknown' : formatBytes(d.sizeBytes),
    alarm: d.oversized,
  }));
  return chart('sizes', 'Size per database', bars, scale, line);
}

export function connectionChart(report: CapacityReport): string {
  const limitOf = (d: CapacityDatabase) => (typeof d.connectionLimit === 'number' ? d.connectionLimit : undefined);
  const scale = Math.max(1, ...report.databases.map((d) => Math.max(d.connections, limitOf(d) ?? d.connections)));
  const bars = report.databases.map((d) => ({
    label: d.name,
    value: d.connections,
    ...(limitOf(d) === undefined ? {} : { track: limitOf(d) }),
    text: `${d.connections} of ${d.connectionLimit}`,
    alarm: (limitOf(d) ?? Infinity) > 0 && d.connections >= (limitOf(d) ?? Infinity),
  }));
  return chart('connections', 'Connections in use per database, against its limit', bars, scale);
}
