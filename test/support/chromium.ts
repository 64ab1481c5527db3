/**
 * Debian's headless Chromium for page tests. Not on CI machines (only Node and npm), so tests
 * skip when it is absent: `apt-get install chromium` makes them run. The flags keep it off the
 * network (this machine has none) and out of any profile but a fresh one.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const CHROMIUM = process.env.PLATON_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const NO_CHROMIUM_REASON = `${CHROMIUM} is absent (Debian: apt-get install chromium)`;

const run = promisify(execFile);

function flags(): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'platon-chromium-'))}`,
  ];
}

/** The DOM after the page loaded, as Chromium serialises it. */
export async function dumpDom(url: string): Promise<string> {
  const { stdout } = await run(CHROMIUM, [...flags(), '--dump-dom', url], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** A PNG of the page at `width` x `height`. */
export async function screenshot(url: string, file: string, width = 1100, height = 1400): Promise<void> {
  await run(CHROMIUM, [...flags(), `--screenshot=${file}`, `--window-size=${width},${height}`, '--hide-scrollbars', url], { timeout: 60_000 });
}
