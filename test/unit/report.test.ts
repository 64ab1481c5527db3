/** The capacity report: its arithmetic on plain data, and every format against golden files. */
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/report/capacity.js';
import { renderReportHtml } from '../../src/render/report-html.js';
import { renderReportJson } from '../../src/render/report-json.js';
import { renderReportMarkdown } from '../../src/render/report-markdown.js';
import { renderReportText } from '../../src/render/report-text.js';
import { capacityReport } from '../fixtures/reports/capacity.js';

describe('capacity report', () => {
  const report = capacityReport();

  it('lists team databases by name with sizes, sessions and the sum of their users limits', () => {
    expect(report.databases.map((d) => [d.name, d.team, d.state, d.connections, d.connectionLimit, d.oversized])).toEqual([
      ['big_archive', 'library', 'active', 96, 100, true],
      ['lab_booking', 'labs', 'retired', 0, 40, false],
      ['old_payroll', undefined, 'unmanaged', 2, 'unknown', false],
      ['studentweb', 'studentweb-dev', 'active', 17, 80, false],
    ]);
  });

  it('totals the instance against max_connections less the reserve, and says what is wrong', () => {
    expect(report.totals).toMatchObject({ connections: 116, connectionLimits: 220, unlimitedRoles: [] });
    expect(report.findings.map((f) => f.message)).toEqual([
      'the team users may open 220 connections together, but the server accepts 197 (max_connections 200 less 3 reserved)',
      'big_archive is 231 GB, more than the 200 GB the shared instance is meant for',
      'not managed by platon-db: old_payroll',
    ]);
    expect(report.findings[1]!.hint).toBe('move it to a dedicated instance: platon-db move big_archive --to <instance>');
  });

  it.each([
    [0, '0 bytes'],
    [1536, '1.5 kB'],
    [48 * 1024 ** 2, '48 MB'],
    [Math.round(12.4 * 1024 ** 3), '12 GB'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('renders text, markdown, json and html', async () => {
    await expect(renderReportText(report)).toMatchFileSnapshot('../golden/report.txt');
    await expect(renderReportMarkdown(report)).toMatchFileSnapshot('../golden/report.md');
    await expect(renderReportJson(report)).toMatchFileSnapshot('../golden/report.json');
    await expect(renderReportHtml(report)).toMatchFileSnapshot('../golden/report.html');
  });

  it('makes a page that loads nothing from elsewhere and runs no script', () => {
    const html = renderReportHtml(report);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=/i);
    expect(html.match(/https?:\/\/[^"\s]*/g)).toEqual(['http://www.w3.org/2000/svg', 'http://www.w3.org/2000/svg']);
  });

  it('escapes what comes from files and the server', () => {
    const hostile = { ...report, databases: [{ ...report.databases[0]!, team: '<b>x</b>', externalNetworks: [{ cidr: '1.2.3.0/24', description: '"><script>' }] }] };
    const html = renderReportHtml(hostile);
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toContain('"><script>');
  });
});
