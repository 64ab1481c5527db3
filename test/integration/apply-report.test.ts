/**
 * The apply half of the GitOps loop as apply.yml runs it: `apply --result-file`, then
 * `report-apply` commenting on the merged PR of the commit (GitHub is nock). The result file is
 * written whatever happens, and no GitHub answer changes the apply's exit code.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { adminUrl, dropPrefixed, uniquePrefix } from '../support/postgres.js';
import { actionsEnv } from '../support/github-nock.js';
import { ACTIONS_BOT, useGitHubDouble } from '../support/github-double.js';

const gh = useGitHubDouble();

const TOOL = join(import.meta.dirname, '..', '..');
const prefix = uniquePrefix(import.meta.url);
const name = `${prefix}_orders`;
const SHA = 'feed'.padEnd(40, '1');
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'platon-db-apply-report-'));
  cpSync(join(TOOL, 'instances'), join(root, 'instances'), { recursive: true });
  mkdirSync(join(root, 'databases'));
  writeFileSync(join(root, 'databases', `${name}.yaml`), `name: ${name}\nteam: orders\nproject: Orders\ncontact: orders@example.org\nusers:\n  readOnly: true\n`);
});
afterAll(() => dropPrefixed(prefix));

const run = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, {
    cwd: root,
    env: { PLATON_DATABASE_URL: adminUrl(), PLATON_COMMIT: SHA, GITHUB_STEP_SUMMARY: join(root, 'summary.md'), ...env },
  });

describe('apply --result-file, then report-apply', () => {
  it('comments what was applied and where the credentials are on the merged PR', async () => {
    const applied = await run(['apply', '--instance', 'local', '--auto-approve', '--result-file', 'result.json']);
    expect(applied.code).toBe(0);
    const result = JSON.parse(readFileSync(join(root, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ version: 1, outcome: 'applied', instance: 'local', commit: SHA, failed: null });
    expect(result.credentials.map((c: { role: string }) => c.role)).toEqual([`${name}_rw`, `${name}_ro`]);
    expect(JSON.stringify(result)).not.toMatch(/password"\s*:/i);

    gh.addPull({ number: 31, mergeCommitSha: SHA });
    const reported = await run(['report-apply', '--result', 'result.json'], actionsEnv());
    expect(reported.code).toBe(0);
    const [comment] = gh.commentsOn(31);
    expect(comment?.author).toBe(ACTIONS_BOT);
    const posted = comment!.body;
    expect(posted).toContain(`## platon-db apply on \`local\`: ${result.applied.length} changes applied`);
    expect(posted).toContain(`| \`${name}\` | \`${name}_rw\` | \`file:.platon/secrets/local/${name}/rw.json\` |`);
    expect(readFileSync(join(root, 'summary.md'), 'utf8')).toContain('### Credentials');
  });

  it('records an apply that could not reach the server, and reports it', async () => {
    const applied = await run(['apply', '--instance', 'local', '--auto-approve', '--result-file', 'failed.json'], {
      PLATON_DATABASE_URL: 'postgresql://platon_admin:NotThePassword9@127.0.0.1:1/postgres',
    });
    expect(applied.code).not.toBe(0);
    const text = readFileSync(join(root, 'failed.json'), 'utf8');
    expect(text).not.toContain('NotThePassword9');
    const { message } = JSON.parse(text);
    expect(JSON.parse(text)).toMatchObject({ outcome: 'error', instance: null });
    expect(message).toContain('ECONNREFUSED');

    gh.fail('repos/list-pull-requests-associated-with-commit', 403, { message: 'Resource not accessible by integration' });
    // The result of an apply that never planned names no commit: the workflow's GITHUB_SHA does.
    const reported = await run(['report-apply', '--result', 'failed.json'], actionsEnv({ GITHUB_SHA: SHA }));
    expect(reported.code).toBe(0);
    expect(reported.err).toContain('::warning::GitHub: finding the pull request of commit feed11111111 failed: HTTP 403');
    // The message goes through markdown escaping (user@host is broken so nobody is mentioned).
    const summary = readFileSync(join(root, 'summary.md'), 'utf8');
    expect(summary).toContain('**The apply stopped:** cannot read instance local');
    expect(summary).toContain('ECONNREFUSED');
    expect(summary).not.toContain('NotThePassword9');
  });
});
