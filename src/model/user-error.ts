/**
 * A failure the user can act on (bad flag, server unreachable, lock timeout). The CLI prints its
 * message (and hint) as one clear line, without a stack trace; anything else is a bug.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly options: { readonly hint?: string; readonly exitCode?: number; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
  }
}
