/** The capacity report: its arithmetic on plain data, and every format against golden files. */
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/report/capacity.js';
import { renderReportHtml } from '../../src/render/report-html.js';
import { renderReportJson } from '../../src/render/report-json.js';
import { renderReportMarkdown } from '../../src/render/report-markdown.js';
import { renderReportText } from '../../src/render/report-text.js';
import { capacityReport, scaleReport } from '../fixtures/reports/capacity.js';

describe('capacity report', () => {
  const report = capacityReport();

  it('lists team databases by name with sizes, sessions and the sum of their users limits', () => {
    expect(report.databases.map((d) => [d.name, d.team, d.state, d.connections, d.connectionLimit, d.slotsUnusable, d.oversized])).toEqual([
      ['big_archive', 'library', 'active', 96, 100, false, true],
      ['lab_booking', 'labs', 'retired', 0, 40, true, false],
      ['old_payroll', undefined, 'unmanaged', 2, 'unknown', false, false],
      ['studentweb', 'studentweb-dev', 'active', 17, 80, false, false],
    ]);
  });

  // Retiring makes the users NOLOGIN and revokes CONNECT (PostgreSQL refuses their logins), and the
  // apply removes the retired database's security-group rules: the report may not offer either.
  it('shows a retired database with no network and its connection slots as unusable, not as capacity', () => {
    const lab = report.databases.find((d) => d.name === 'lab_booking')!;
    expect(lab.externalNetworks).toEqual([]);
    expect(report.databases.find((d) => d.name === 'studentweb')!.externalNetworks).toEqual([{ cidr: '81.91.101.0/28', description: 'Partner application servers' }]);
    expect(report.totals).toMatchObject({ connectionLimits: 180, unusableConnectionLimits: 40 });
    const text = renderReportText(report);
    expect(text).toMatch(/^lab_booking +labs +retired +48 MB +0 \/ 40 unusable \(logins off\) +- +-$/m);
    expect(text).not.toContain('129.240.12.0/24');
    expect(text).toContain('Connection limits of the team users, summed: 180 of 167; 40 more belong to retired databases, whose users cannot log in');
    const json = JSON.parse(renderReportJson(report));
    expect(json.databases[1]).toMatchObject({ name: 'lab_booking', state: 'retired', connectionLimit: 40, slotsUnusable: true, externalNetworks: [] });
    expect(json.totals).toMatchObject({ connectionLimits: 180, unusableConnectionLimits: 40 });
  });

  it('lists no network for a database whose file says retired, before the apply that turns its users off', () => {
    // Only the file says retired (not applied yet): its rule goes with the next apply, so no network.
    const fresh = capacityReport({ appliedRetire: false });
    expect(fresh.databases.find((d) => d.name === 'lab_booking')).toMatchObject({ state: 'active', slotsUnusable: false, externalNetworks: [] });
  });

  it('totals the instance against max_connections less the reserve, and says what is wrong', () => {
    expect(report.totals).toMatchObject({ connections: 116, connectionLimits: 180, unlimitedRoles: [] });
    expect(report.findings.map((f) => f.message)).toEqual([
      'the team users may open 180 connections together, but the server accepts 167 (max_connections 170 less 3 reserved)',
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

  // The picture itself is checked in Chromium (test/integration/report-browser.test.ts); here the
  // case without a size limit, where the only honest full width is the largest database.
  it('scales the size chart to the largest database when the instance sets no size limit, and says so', () => {
    const { maxDatabaseSizeGb: _, ...rest } = scaleReport();
    const html = renderReportHtml({ ...rest, databases: rest.databases.map((d) => ({ ...d, oversized: false })) });
    const sizes = html.slice(html.indexOf('<figure>'), html.indexOf('</figure>'));
    expect(sizes).toContain('the full width is the largest database, 300 GB, as no size limit is set for this instance');
    const bars = [...sizes.matchAll(/<rect class="\w+" x="(\d+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), width: Number(m[2]) }));
    const edge = Number(/<line class="full" x1="([\d.]+)"/.exec(sizes)![1]);
    const full = edge - bars[0]!.x; // from the bars' start to the dashed line
    expect(bars.map((b) => Math.round((b.width / full) * 300))).toEqual([100, 200, 300, 50]);
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
