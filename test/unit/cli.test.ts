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
  it('exits 2 on an unknown command', async () => {
    const c = capture();
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(c.err()).toContain('frobnicate');
  });
});
