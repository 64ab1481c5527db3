/** The real process's edges, for the CLI's entry point (tests pass their own CommandIo). */
import type { CommandIo } from '../model/command-io.js';

export const processIo = (): CommandIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  cwd: process.cwd(),
  env: process.env,
});
