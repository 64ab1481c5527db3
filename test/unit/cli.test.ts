import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const capture = () => {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), isTty: false, cwd: process.cwd(), env: {} },
    out: () => out,
    err: () => err,
  };
};

describe('cli', () => {
  it('prints help and exits 0', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out()).toContain('validate');
  });
  it('prints the version of package.json', async () => {
    const c = capture();
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(await main(['--version'], c.io)).toBe(0);
    expect(c.out()).toBe(`${version}\n`);
  });
  it.each([
    ['plan', 'the instance to plan for'],
    ['apply', 'the instance to apply to'],
  ])('%s --help says what --instance is for', async (command, text) => {
    const c = capture();
    expect(await main([command, '--help'], c.io)).toBe(0);
    expect(c.out()).toMatch(new RegExp(`--instance <name> +${text} \\(default`));
  });
  it('exits 2 on an unknown command', async () => {
    const c = capture();
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(c.err()).toContain('frobnicate');
  });
});
