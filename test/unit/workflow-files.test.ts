/** The GitHub workflows conform to GitHub's workflow schema, and the PR check stays unprivileged. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO } from './validate-helpers.js';

const WORKFLOWS = join(REPO, '.github/workflows');
const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

describe('workflow files', () => {
  it.each(workflowFiles)('%s matches GitHub workflow schema', (file) => {
    expect(validateWorkflow(readFileSync(join(WORKFLOWS, file), 'utf8')).errors).toEqual([]);
  });

  it.each(workflowFiles)('%s pins every action to a full commit SHA with its tag in a comment', (file) => {
    const uses = readFileSync(join(WORKFLOWS, file), 'utf8').split('\n').filter((line) => /^\s*-?\s*uses:/.test(line));
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  });

  it('Dependabot keeps the pinned actions and npm packages current', () => {
    const config = parse(readFileSync(join(REPO, '.github/dependabot.yml'), 'utf8')) as { updates: { 'package-ecosystem': string }[] };
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
  });

  it('catches a misspelt key (the check itself works)', () => {
    const bad = 'on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: true\n';
    expect(validateWorkflow(bad).errors.length).toBeGreaterThan(0);
  });
});

describe('validate.yml', () => {
  const text = readFileSync(join(WORKFLOWS, 'validate.yml'), 'utf8');
  const workflow = parse(text) as {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

  it('runs on pull requests only, never pull_request_target', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
  });
  it('has a read-only token and uses no secrets', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(text).not.toMatch(/secrets\./);
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with?.['persist-credentials']).toBe(false);
  });
  it('installs and validates with annotations, and runs no test suite (a team PR is checked in seconds)', () => {
    expect(steps.filter((s) => s.run).map((s) => s.run)).toEqual(['npm ci', 'npx platon-db validate --format github']);
  });
});

describe('tests.yml', () => {
  const workflow = parse(readFileSync(join(WORKFLOWS, 'tests.yml'), 'utf8')) as {
    on: { pull_request: { 'paths-ignore': string[] }; push: { branches: string[] } };
    permissions: Record<string, string>;
    jobs: Record<string, { strategy: { matrix: { node: number[] } }; steps: { run?: string }[] }>;
  };
  const job = Object.values(workflow.jobs)[0]!;
  it('runs the suite on pushes to main and on pull requests, except those touching only databases/', () => {
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.on.pull_request['paths-ignore']).toEqual(['databases/**']);
    expect(job.steps.filter((s) => s.run).map((s) => s.run)).toEqual(['npm ci', 'npm test']);
  });
  it('on the supported Node LTS lines, with a read-only token', () => {
    expect(job.strategy.matrix.node).toEqual([22, 24]);
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });
});

describe('CODEOWNERS', () => {
  const text = readFileSync(join(REPO, 'CODEOWNERS'), 'utf8');
  it('gives Platon everything, with a clearly marked placeholder', () => {
    const rules = text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(rules.map((l) => l.split(/\s+/))).toEqual([['*', '@platon-org/platon']]);
    expect(text).toContain('PLACEHOLDER');
  });
  it('is the only CODEOWNERS (GitHub reads .github/ first, then the root, then docs/)', () => {
    expect(existsSync(join(REPO, '.github/CODEOWNERS')) || existsSync(join(REPO, 'docs/CODEOWNERS'))).toBe(false);
  });
});
