/**
 * The HTML capacity report in a real browser (headless Chromium): what a reader sees is what the
 * report says, with nothing loaded from elsewhere. Skips where Chromium is not installed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/render/report-html.js';
import { capacityReport, scaleReport } from '../fixtures/reports/capacity.js';
import { dumpDom, hasChromium, NO_CHROMIUM_REASON, screenshot } from '../support/chromium.js';
import { decodePng, type Picture } from '../support/png.js';

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
    expect(dom).toMatch(/id="total-limits">.*180 \/ 167.*class="meter alarm".*40 more belong to retired databases, whose users cannot log in/s);
    expect(dom).toContain('big_archive is 231 GB, more than the 200 GB the shared instance is meant for');
  });

  it('draws one row per database in each chart, the oversized one orange, each chart with its full width named', () => {
    for (const chart of ['sizes', 'connections']) {
      const svg = dom.slice(dom.indexOf(`<svg id="${chart}"`), dom.indexOf('</svg>', dom.indexOf(`<svg id="${chart}"`)));
      expect([...svg.matchAll(/data-database="([^"]+)"/g)].map((m) => m[1])).toEqual(['big_archive', 'lab_booking', 'old_payroll', 'studentweb']);
    }
    expect(dom).toMatch(/data-database="big_archive"><title>[^<]*<\/title><text[^>]*>big_archive<\/text><rect class="alarm"/);
    expect(dom).toContain('>200 GB</text>');
    expect(dom).toContain('>167 connections</text>');
    expect(dom).toContain('>17 of 80<');
    expect(dom).toContain('>0 of 40, unusable<');
  });

  it('lists every database in the table, a retired one without its network and with its slots unusable', () => {
    const table = dom.slice(dom.indexOf('<table id="databases"'));
    expect([...table.matchAll(/<tr[^>]*><td>([a-z_]+)<\/td>/g)].map((m) => m[1])).toEqual(['big_archive', 'lab_booking', 'old_payroll', 'studentweb']);
    expect(table).toContain('81.91.101.0/28 (Partner application servers)');
    expect(table).not.toContain('129.240.12.0/24');
    expect(table).toContain('0 / 40 unusable (logins off)');
  });
});

/** Pixels within a few levels of a colour (edges are blended with the background). */
const near = ([r, g, b]: number[], hex: string) => {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return Math.max(Math.abs(r! - want[0]!), Math.abs(g! - want[1]!), Math.abs(b! - want[2]!)) <= 12;
};

interface Drawn {
  readonly top: number;
  readonly left: number;
  readonly length: number;
}

/**
 * The chart bars of one colour as a person sees them: horizontal runs of that colour stacked
 * 12 to 16 pixels high (the charts' bars; the 8-pixel meters in the cards are not bars), top first.
 */
function barsOf(picture: Picture, colour: string): Drawn[] {
  const runs: { y: number; left: number; length: number }[] = [];
  for (let y = 0; y < picture.height; y++) {
    for (let x = 0; x < picture.width; x++) {
      if (!near(picture.pixel(x, y), colour)) continue;
      const left = x;
      while (x < picture.width && near(picture.pixel(x, y), colour)) x++;
      if (x - left >= 3) runs.push({ y, left, length: x - left });
    }
  }
  const bars: { top: number; bottom: number; left: number; length: number }[] = [];
  for (const run of runs) {
    const bar = bars.find((b) => b.bottom === run.y - 1 && Math.abs(b.left - run.left) <= 1 && Math.abs(b.length - run.length) <= 1);
    if (bar) bar.bottom = run.y;
    else bars.push({ top: run.y, bottom: run.y, left: run.left, length: run.length });
  }
  return bars.filter((b) => b.bottom - b.top + 1 >= 12 && b.bottom - b.top + 1 <= 16).map(({ top, left, length }) => ({ top, left, length }));
}

// What the captions promise: the full width is the limit (200 GB; 200 connections accepted), a
// bar's length its share of it, orange over the limit and stopped at it, grey for a retired database.
describe.skipIf(!hasChromium)(`the HTML report's charts as a picture in headless Chromium${hasChromium ? '' : ` (skipped: ${NO_CHROMIUM_REASON})`}`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'platon-report-'));
  const page = join(folder, 'scale.html');
  const png = join(folder, 'scale.png');
  let picture: Picture;
  let dom: string;
  beforeAll(async () => {
    writeFileSync(page, renderReportHtml(scaleReport()));
    await screenshot(pathToFileURL(page).href, png);
    picture = decodePng(readFileSync(png));
    dom = await dumpDom(pathToFileURL(page).href);
    if (process.env.PLATON_SHOW_SCREENSHOT) console.log(`screenshot: ${png}`);
  });

  it('says in each caption what the full width is and what each colour means', () => {
    expect(dom).toContain('the full width, at the dashed line, is 200 GB. Orange: over it (the bar stops at the line). Grey: a retired database');
    expect(dom).toContain('The full width, at the dashed line, is the 200 connections the server accepts (max_connections 203 less 3 reserved for superusers)');
    expect(dom).toContain("Grey: the limits of a retired database's users, who cannot log in, so no one can use them.");
  });

  it('draws the sizes as shares of the 200 GB limit: 50% half as long as 100%, 150% stopped at the limit, the retired one grey', () => {
    const [half, full, sessions] = barsOf(picture, '#2f6fdb');
    const [over] = barsOf(picture, '#c2410c');
    const [retiredSize] = barsOf(picture, '#a3a9b4');
    expect(sessions).toBeDefined();
    expect(half!.top).toBeLessThan(full!.top);
    expect(Math.abs(half!.length * 2 - full!.length)).toBeLessThanOrEqual(2);
    expect(Math.abs(over!.length - full!.length)).toBeLessThanOrEqual(2);
    expect(over!.top).toBeGreaterThan(full!.top);
    expect(Math.abs(retiredSize!.length * 4 - full!.length)).toBeLessThanOrEqual(4);
    expect(retiredSize!.top).toBeGreaterThan(over!.top);
  });

  it('draws connections as shares of the 200 the server accepts, the retired slots grey', () => {
    const full = barsOf(picture, '#2f6fdb')[1]!.length; // the 100% size bar: the charts' full width
    const sessions = barsOf(picture, '#2f6fdb')[2]!; // a_half: 50 sessions of 200
    const tracks = barsOf(picture, '#dbe6fb'); // a_half (behind its sessions), b_full 100, c_over 10
    const retiredSlots = barsOf(picture, '#a3a9b4')[1]!; // d_retired: 40 of 200, unusable
    expect(Math.abs(sessions.length * 4 - full)).toBeLessThanOrEqual(4);
    expect(tracks).toHaveLength(3);
    expect(Math.abs(sessions.length + tracks[0]!.length - full / 2)).toBeLessThanOrEqual(2);
    expect(Math.abs(tracks[1]!.length * 2 - full)).toBeLessThanOrEqual(2);
    expect(Math.abs(retiredSlots.length * 5 - full)).toBeLessThanOrEqual(5);
    expect(retiredSlots.top).toBeGreaterThan(tracks[2]!.top);
  });
});
