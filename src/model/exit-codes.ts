/** Exit codes scripts rely on (see README). */
export const EXIT = {
  ok: 0,
  /** validate: invalid input; plan/apply: an error (nothing or part applied, as printed). */
  failure: 1,
  /** Usage error; with `plan --detailed-exitcode`: the plan has changes. */
  usageOrChanges: 2,
} as const;
