/** Every `platon-db ...` command a plan note suggests parses as the CLI defines it (nothing runs). */
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import type { Note } from '../../src/model/change.js';
import { describeNote } from '../../src/render/plan-sections.js';

const secret = { store: 'vault', path: 'secret/platon/rds/shared-pg15/legacy/rw', database: 'legacy', user: 'rw' as const, role: 'legacy_user' };
/** One of each kind. */
const NOTES: Note[] = [
  { kind: 'retained-database', database: 'legacy', file: 'databases/legacy.yaml' },
  { kind: 'extension-kept', database: 'legacy', extension: 'citext' },
  { kind: 'warning', database: 'legacy', message: 'something' },
  { kind: 'password-unknown', database: 'legacy', role: 'legacy_user', secret },
  { kind: 'password-unknown', database: 'legacy', role: 'legacy_reader', secret: { ...secret, user: 'ro' } },
  { kind: 'drop-pending', database: 'legacy' },
  { kind: 'moved', database: 'legacy', to: 'dedicated' },
];

/** Parses a command line with every action stubbed out: throws a CommanderError if it is no valid usage. */
async function parse(command: string): Promise<void> {
  const program = buildProgram({ stdout: () => undefined, stderr: () => undefined, isTty: false, cwd: '/', env: {} }, () => async () => undefined);
  await program.parseAsync(command.replace(/^platon-db /, '').split(' '), { from: 'user' });
}

describe('commands suggested in plan notes', () => {
  const suggested = NOTES.flatMap((note) => [...describeNote(note).text.matchAll(/`(platon-db [^`]*)`/g)].map((m) => m[1]!));

  it('finds the rotate commands', () => {
    expect(suggested).toEqual(['platon-db rotate legacy --user rw', 'platon-db rotate legacy --user ro']);
  });

  it.each(suggested)('%s parses', async (command) => {
    await expect(parse(command)).resolves.toBeUndefined();
  });

  it('the check itself refuses a command the CLI does not take', async () => {
    await expect(parse('platon-db rotate legacy rw')).rejects.toThrow(/too many arguments/);
  });
});
