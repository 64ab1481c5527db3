/**
 * Inline SVG bar charts for the HTML report: no script, no external resource, readable as text
 * (every bar has its label and value as SVG text, and a <title> for screen readers).
 *
 * Each chart's full width is the limit its bars are compared with (the size a database is meant
 * to stay under, the connections the server accepts), so a bar's length is its share of that
 * limit; each chart comes with the caption that says so, built from the same numbers.
 */
import type { CapacityDatabase, CapacityReport } from '../model/capacity.js';
import { formatBytes } from '../report/capacity.js';

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const WIDTH = 760;
const LABEL = 190;
const VALUE = 190;
const ROW = 30;
const BAR = 14;
const TOP = 10;
const GB = 1024 ** 3;

/** One rectangle from the start of the plot; drawn in order, so a later one lies on top. */
interface Segment {
  readonly value: number;
  /** `bar` (dark), `track` (light: a limit), `unusable` (grey: retired), `alarm` (orange: over). */
  readonly kind: 'bar' | 'track' | 'unusable' | 'alarm';
}

interface Row {
  readonly label: string;
  readonly segments: readonly Segment[];
  readonly text: string;
}

/** The bars against `full`, the value drawn as the whole plot width; longer values stop there. */
function chart(id: string, title: string, rows: readonly Row[], full: number, edge: string): string {
  const plot = WIDTH - LABEL - VALUE;
  const height = TOP * 2 + Math.max(rows.length, 1) * ROW + 16;
  const length = (v: number) => (full > 0 ? Math.min(Math.max(v, 0) / full, 1) * plot : 0);
  const drawn = rows.map((row, i) => {
    const y = TOP + i * ROW + ROW / 2 - BAR / 2;
    const rects = row.segments
      .filter((s) => s.value > 0)
      .map((s) => `<rect class="${s.kind}" x="${LABEL}" y="${y}" width="${Math.max(length(s.value), 2).toFixed(1)}" height="${BAR}"/>`);
    return [
      `<g class="row" data-database="${escapeHtml(row.label)}">`,
      `<title>${escapeHtml(`${row.label}: ${row.text}`)}</title>`,
      `<text class="label" x="${LABEL - 10}" y="${y + BAR / 2 + 4}" text-anchor="end">${escapeHtml(row.label)}</text>`,
      ...rects,
      `<text class="value" x="${WIDTH - VALUE + 10}" y="${y + BAR / 2 + 4}">${escapeHtml(row.text)}</text>`,
      '</g>',
    ].join('');
  });
  const right = LABEL + plot;
  const scale =
    `<line class="full" x1="${right}" x2="${right}" y1="${TOP - 4}" y2="${height - 18}"/>` +
    `<text class="full-label" x="${right}" y="${height - 4}" text-anchor="middle">${escapeHtml(edge)}</text>`;
  const empty = rows.length === 0 ? `<text class="label" x="${LABEL}" y="${TOP + ROW / 2}">no databases</text>` : '';
  return `<svg id="${id}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">${drawn.join('')}${scale}${empty}</svg>`;
}

const figure = (caption: string, svg: string) => `<figure><figcaption>${escapeHtml(caption)}</figcaption>${svg}</figure>`;

/** Sizes against limits.maxDatabaseSizeGb; without one, against the largest database. */
export function sizeChart(report: CapacityReport): string {
  const limitGb = report.maxDatabaseSizeGb;
  const largest = Math.max(0, ...report.databases.map((d) => d.sizeBytes ?? 0));
  const full = limitGb === undefined ? largest : limitGb * GB;
  const rows = report.databases.map((d) => ({
    label: d.name,
    segments: [{ value: d.sizeBytes ?? 0, kind: d.oversized ? 'alarm' : d.state === 'retired' ? 'unusable' : 'bar' } as const],
    text: d.sizeBytes === null ? 'unknown' : `${formatBytes(d.sizeBytes)}${limitGb === undefined ? '' : ` (${Math.round(((d.sizeBytes ?? 0) / full) * 100)}%)`}`,
  }));
  const edge = limitGb === undefined ? formatBytes(largest) : `${limitGb} GB`;
  const caption =
    limitGb === undefined
      ? `Each bar is the database's size (pg_database_size); the full width is the largest database, ${formatBytes(largest)}, as no size limit is set for this instance. Grey: a retired database (its data stays until it is dropped).`
      : `Each bar is the database's size (pg_database_size) as a share of ${limitGb} GB, the size a database on this instance is meant to stay under: the full width, at the dashed line, is ${limitGb} GB. Orange: over it (the bar stops at the line). Grey: a retired database (its data stays until it is dropped).`;
  return figure(caption, chart('sizes', 'Size per database', rows, full, edge));
}

/** Sessions and limits against the connections the server accepts (max_connections less the reserve). */
export function connectionChart(report: CapacityReport): string {
  const accepted = report.maxConnections - report.reservedConnections;
  const limitOf = (d: CapacityDatabase) => (typeof d.connectionLimit === 'number' ? d.connectionLimit : 0);
  const rows = report.databases.map((d) => {
    const full = d.connections > 0 && limitOf(d) > 0 && d.connections >= limitOf(d);
    return {
      label: d.name,
      segments: [
        { value: limitOf(d), kind: d.slotsUnusable ? 'unusable' : 'track' },
        { value: d.connections, kind: full ? 'alarm' : 'bar' },
      ] as const,
      text: `${d.connections} of ${d.connectionLimit}${d.slotsUnusable ? ', unusable' : ''}`,
    };
  });
  const caption =
    `The full width, at the dashed line, is the ${accepted} connections the server accepts (max_connections ${report.maxConnections} less ${report.reservedConnections} reserved for superusers). ` +
    `Dark blue: sessions now; orange when they reach the database's limit. Light blue: the connections its users may open together (their connection limits summed; none drawn when unlimited or unknown). ` +
    `Grey: the limits of a retired database's users, who cannot log in, so no one can use them.`;
  return figure(caption, chart('connections', 'Connections per database, against the connections the server accepts', rows, accepted, `${accepted} connections`));
}
