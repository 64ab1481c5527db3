/**
 * plan.yml, apply.yml and drift.yml: the promises they make (workflow-files.test.ts checks every
 * workflow against GitHub's schema), and that every platon-db command and option they run exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly if?: string;
  readonly environment?: string;
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean };
  readonly env?: Record<string, string>;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean };
  readonly jobs: Record<string, Job>;
}

const DIR = join(import.meta.dirname, '..', '..', '.github', 'workflows');
const FILES = ['plan.yml', 'apply.yml', 'drift.yml'] as const;
const text = (file: string) => readFileSync(join(DIR, file), 'utf8');
const load = (file: string) => parse(text(file)) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const step = (w: Workflow, fragment: string) => steps(w).find((s) => s.run?.includes(fragment));

describe.each(FILES)('%s', (file) => {
  const workflow = load(file);

  it('uses no stored secret and never pull_request_target: credentials come from OIDC', () => {
    expect(text(file)).not.toMatch(/\bsecrets\./);
    expect(Object.keys(workflow.on)).not.toContain('pull_request_target');
    expect(workflow.permissions['id-token']).toBe('write');
    expect(workflow.permissions.contents).toBe('read');
  });

  it('pins every third-party action to a full commit SHA (a tag can be moved to other code), the tag in a comment', () => {
    for (const s of steps(workflow).filter((s) => s.uses)) expect(s.uses).toMatch(/@[0-9a-f]{40}$/);
    for (const line of text(file).split('\n').filter((l) => /^\s*-?\s*uses:/.test(l))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  });

  it('checks out without leaving the token in .git/config', () => {
    expect(steps(workflow).find((s) => s.uses?.startsWith('actions/checkout'))?.with?.['persist-credentials']).toBe(false);
  });

  it('runs only platon-db commands and options that exist', async () => {
    const commands = steps(workflow).flatMap((s) => [...(s.run ?? '').matchAll(/npx platon-db ([a-z-]+)([^\n>|]*)/g)]);
    expect(commands.length).toBeGreaterThan(0);
    for (const [, command, rest] of commands) {
      const help = await runCli([command!, '--help'], { cwd: process.cwd(), env: {} });
      expect(help.code, `platon-db ${command}`).toBe(0);
      for (const [option] of rest!.matchAll(/--[a-z-]+/g)) expect(help.out, `platon-db ${command} ${option}`).toContain(option);
    }
  });
});

describe('plan.yml', () => {
  const w = load('plan.yml');
  const job = w.jobs.plan!;
  it('runs for pull requests from this repository only: forks get the validate check', () => {
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    expect(job.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(w.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
  });
  it("runs the base branch's tool with credentials, and takes only databases/ and instances/ from the pull request", () => {
    const checkouts = steps(w).filter((s) => s.uses?.startsWith('actions/checkout'));
    expect(checkouts).toHaveLength(2);
    expect(checkouts[0]!.with?.ref).toBe('${{ github.event.pull_request.base.sha }}');
    expect(checkouts[0]!.with?.path).toBeUndefined();
    expect(checkouts[1]!.with?.path).toBe('pr');
    expect(String(checkouts[1]!.with?.['sparse-checkout']).trim().split('\n')).toEqual(['databases', 'instances']);
    // Every platon-db command reads the pull request's files as data only.
    expect(step(w, 'platon-db plan')?.run).toContain('--root pr');
    // Nothing runs from the pull request's checkout.
    for (const s of steps(w)) expect(s.run ?? '').not.toMatch(/\bpr\/|cd pr|working-directory/);
  });
  it('uses the read-only roles', () => {
    expect(steps(w).find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))?.with?.['role-to-assume']).toContain('PLAN_ROLE');
    expect(steps(w).find((s) => s.uses?.startsWith('hashicorp/vault-action'))?.with?.role).toBe('platon-db-plan');
    expect(job.env?.VAULT_JWT_ROLE).toBe('platon-db-plan');
  });
  it('uploads the full plan under the name the comment points to, and comments even when the plan failed', () => {
    const upload = steps(w).find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.name).toBe('platon-db-plan');
    const comment = step(w, 'platon-db pr-comment');
    expect(comment?.run).toContain('--artifact platon-db-plan');
    expect(comment?.if).toContain('always()');
    expect(comment?.env?.GITHUB_TOKEN).toBe('${{ github.token }}');
  });
});

describe('apply.yml', () => {
  const w = load('apply.yml');
  const job = w.jobs.apply!;
  it('applies on push to main, one at a time per instance, in the protected environment', () => {
    expect(w.on.push).toEqual({ branches: ['main'] });
    expect(job.concurrency).toEqual({ group: 'apply-${{ matrix.instance }}', 'cancel-in-progress': false });
    expect(job.environment).toBe('production');
    expect(step(w, 'platon-db apply')?.run).toContain('--auto-approve --result-file apply-result.json');
  });
  it('reports whatever happened, as a separate step that cannot change the verdict', () => {
    const report = step(w, 'platon-db report-apply');
    expect(report?.if).toBe('always()');
    expect(report?.run).toContain('--result apply-result.json');
    expect(w.permissions['pull-requests']).toBe('write');
  });
});

describe('drift.yml', () => {
  const w = load('drift.yml');
  it('plans on a schedule with the detailed exit code and reports to the drift issue', () => {
    expect(Object.keys(w.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(step(w, 'platon-db plan')?.run).toContain('--detailed-exitcode');
    expect(step(w, 'platon-db drift-report')?.run).toContain('--exit-code "$PLAN_EXIT"');
    expect(w.permissions.issues).toBe('write');
    expect(steps(w).find((s) => s.uses?.startsWith('hashicorp/vault-action'))?.with?.role).toBe('platon-db-plan');
  });
  it('runs verify on every drift run, even when the plan shows drift, and fails the run on its exit code', () => {
    const verify = step(w, 'platon-db verify');
    expect(verify?.run).toContain('npx platon-db verify --instance "$INSTANCE"');
    // `if: always()` so a drift plan's exit code 2 does not skip it; verify exits 1 on any problem.
    expect(verify?.if).toBe("always() && steps.plan.outcome == 'success'");
    expect(verify?.run).toMatch(/code=\$\?[\s\S]*exit \$code\s*$/);
    expect((verify as { 'continue-on-error'?: boolean })['continue-on-error']).toBeUndefined();
  });
});
