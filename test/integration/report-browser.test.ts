/**
 * The HTML capacity report in a real browser (headless Chromium): what a reader sees is what the
 * report says, with nothing loaded from elsewhere. Skips where Chromium is not installed.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/render/report-html.js';
import { capacityReport } from '../fixtures/reports/capacity.js';
import { dumpDom, hasChromium, NO_CHROMIUM_REASON, screenshot } from '../support/chromium.js';

describe.skipIf(!hasChromium)(`the HTML report in headless Chromium${hasChromium ? '' : ` (skipped: ${NO_CHROMIUM_REASON})`}`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'platon-report-'));
  const page = join(folder, 'capacity.html');
  let dom: string;
  beforeAll(async () => {
    writeFileSync(page, renderReportHtml(capacityReport()));
    dom = await dumpDom(pathToFileURL(page).href);
  });

  it('shows the title, the totals and the findings', () => {
    expect(dom).toContain('<h1>Capacity of shared-pg15</h1>');
    expect(dom).toMatch(/id="total-connections">.*116 \/ 167/s);
    expect(dom).toMatch(/id="total-limits">.*180 \/ 167.*class="meter alarm"/s);
    expect(dom).toContain('big_archive is 231 GB, more than the 200 GB the shared instance is meant for');
  });

  it('draws one bar per database in each chart, the oversized one marked, with the size limit line', () => {
    for (const chart of ['sizes', 'connections']) {
      const svg = dom.slice(dom.indexOf(`<svg id="${chart}"`), dom.indexOf('</svg>', dom.indexOf(`<svg id="${chart}"`)));
      expect([...svg.matchAll(/data-database="([^"]+)"/g)].map((m) => m[1])).toEqual(['big_archive', 'lab_booking', 'old_payroll', 'studentweb']);
    }
    expect(dom).toMatch(/<g class="row alarm" data-database="big_archive">/);
    expect(dom).toContain('limit 200 GB');
    expect(dom).toContain('>17 of 80<');
  });

  it('lists every database in the table', () => {
    const table = dom.slice(dom.indexOf('<table id="databases"'));
    expect([...table.matchAll(/<tr[^>]*><td>([a-z_]+)<\/td>/g)].map((m) => m[1])).toEqual(['big_archive', 'lab_booking', 'old_payroll', 'studentweb']);
    expect(table).toContain('81.91.101.0/28 (Partner application servers)');
  });

  it('renders to a screenshot (kept for a person to look at)', async () => {
    const png = join(folder, 'capacity.png');
    await screenshot(pathToFileURL(page).href, png);
    expect(statSync(png).size).toBeGreaterThan(10_000);
    if (process.env.PLATON_SHOW_SCREENSHOT) console.log(`screenshot: ${png}`);
  });
});
