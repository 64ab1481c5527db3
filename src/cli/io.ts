/** The process edges a command uses, passed in so tests run commands in-process. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal: colour and progress only then. */
  readonly isTty: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIo = (): CommandIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  cwd: process.cwd(),
  env: process.env,
});

/** Exit codes scripts rely on (see README). */
export const EXIT = {
  ok: 0,
  /** validate: invalid input; plan/apply: an error (nothing or part applied, as printed). */
  failure: 1,
  /** Usage error; with `plan --detailed-exitcode`: the plan has changes. */
  usageOrChanges: 2,
} as const;
