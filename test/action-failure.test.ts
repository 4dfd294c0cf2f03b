// How each failure is told: a title, the lines behind it, the places to annotate, and the plan it
// concerns; in markdown, under the length it is given.
import { describe, expect, it } from 'vitest';
import { PlanProblemsError } from '../src/engine/failure.js';
import { rejectionProblems } from '../src/plan/candidate.js';
import { describeFailure, failureMarkdown } from '../src/action/failure.js';
import { ConfigFileError } from '../src/config/load.js';
import { DiagnosticsError } from '../src/diagnostics.js';
import { RefusedError, UsageError } from '../src/errors.js';
import { ActionsSecretError, GitHubApiError } from '../src/github/errors.js';
import type { Plan, UserRoleChange } from '../src/domain/plan.js';

const promote = (login: string, userId: string): UserRoleChange => ({
  type: 'user.role',
  login,
  userId,
  from: 'member',
  to: 'admin',
  reason: 'declared',
});
const plan: Plan = {
  version: 1,
  tailnet: '-',
  policyEtag: '"abc"',
  changes: [promote('bob@example.com', '1')],
  warnings: [],
};

describe('describeFailure', () => {
  it('counts the problems in the file and annotates each at its place', () => {
    const error = new DiagnosticsError([
      {
        file: 'ta.yaml',
        line: 2,
        column: 3,
        severity: 'error',
        code: 'schema',
        message: 'unknown key "usrs"; did you mean "users"?',
      },
      { file: 'ta.yaml', line: 5, column: 1, severity: 'error', code: 'x', message: 'bad' },
    ]);
    const report = describeFailure(error, 'ta.yaml');
    expect(report.title).toBe('2 problems in ta.yaml; nothing was written to the tailnet');
    expect(report.lines).toEqual(['ta.yaml:2:3: unknown key "usrs"; did you mean "users"?', 'ta.yaml:5:1: bad']);
    expect(report.findings.map((f) => f.at)).toEqual([
      { file: 'ta.yaml', line: 2, column: 3 },
      { file: 'ta.yaml', line: 5, column: 1 },
    ]);
  });

  it('keeps the plan beside plan problems and validator rejections', () => {
    const problems = describeFailure(
      new PlanProblemsError([{ code: 'owner', message: 'alice is not the owner', path: 'ta.yaml:3:3' }], plan),
      'ta.yaml',
    );
    expect(problems).toMatchObject({
      title: 'The plan cannot be carried out: fix the 1 problem in ta.yaml',
      lines: ['ta.yaml:3:3: alice is not the owner'],
      plan,
    });
    const verdict = rejectionProblems({
      ok: false,
      message: 'test(s) failed',
      data: [{ user: 'alice@example.com', errors: ['want: Accept, got: Drop'] }],
    });
    const rejected = describeFailure(new PlanProblemsError(verdict, plan), 'ta.yaml');
    expect(rejected).toMatchObject({
      title: "Tailscale's validator rejects the policy file this plan would write",
      lines: [expect.stringMatching(/: test\(s\) failed; alice@example\.com: want: Accept, got: Drop$/)],
      findings: [{ severity: 'error', message: expect.stringContaining('alice@example.com: want: Accept, got: Drop') }],
      plan,
    });
  });

  it('names the files the problems are in: the policy file under settings.policyFile', () => {
    const syntax = new DiagnosticsError([
      {
        file: 'infra/policy.hujson',
        line: 27,
        column: 3,
        severity: 'error',
        code: 'policy.syntax',
        message: "expected ','",
      },
    ]);
    expect(describeFailure(syntax, 'ta.yaml').title).toBe(
      '1 problem in infra/policy.hujson; nothing was written to the tailnet',
    );
    const both = new PlanProblemsError(
      [
        { code: 'owner', message: 'alice is not the owner', path: 'ta.yaml:3:3' },
        { code: 'policy.not-rendered', message: 'run `tailnet-access render`', path: 'policy.hujson:13:1' },
        { code: 'policy.invalid', message: 'tag not found', path: 'policy.hujson:40:9' },
      ],
      plan,
    );
    expect(describeFailure(both, 'ta.yaml').title).toBe(
      'The plan cannot be carried out: fix the 3 problems in ta.yaml and policy.hujson',
    );
    expect(describeFailure(new PlanProblemsError([{ code: 'x', message: 'somewhere' }], plan), 'ta.yaml').title).toBe(
      'The plan cannot be carried out: fix the 1 problem in ta.yaml',
    );
  });

  it('translates the rails’ flags into the action’s inputs', () => {
    const report = describeFailure(
      new RefusedError('max-changes', 'the plan has 80 changes, over maxChanges 50; pass --max-changes 80'),
      'ta.yaml',
    );
    expect(report.title).toBe('Refused by the max-changes safety rail');
    expect(report.lines.at(-1)).toContain('max-changes input');
  });

  it('gives each kind of error its own title', () => {
    expect(describeFailure(new UsageError('x'), 'f').title).toBe('The action is not set up correctly');
    expect(describeFailure(new ConfigFileError('f', 'f does not exist'), 'f').title).toBe('Cannot read f');
    // The policy file a config names fails the same way, and the title names that file, not the config.
    expect(
      describeFailure(
        new ConfigFileError('infra/policy.hujson', 'the policy file infra/policy.hujson is a directory'),
        'tailnet-access.yaml',
      ).title,
    ).toBe('Cannot read infra/policy.hujson');
    expect(
      describeFailure(new GitHubApiError('comment', { status: 500, message: 'oops', errors: [], headers: {} }), 'f')
        .title,
    ).toBe('A GitHub API call failed');
    expect(
      describeFailure(
        new ActionsSecretError('write the Actions secret X of o/r (PUT …): GitHub answered 500: oops.', 500),
        'f',
      ).title,
    ).toBe('Storing the secret in GitHub failed');
    expect(describeFailure(new TypeError('boom'), 'f')).toEqual({
      kind: 'unexpected',
      title: 'Unexpected error',
      lines: ['boom'],
      findings: [],
    });
  });
});

describe('failureMarkdown', () => {
  it('puts the marker first and stays under the length, however long the error and the plan', () => {
    const many: Plan = {
      ...plan,
      changes: Array.from({ length: 5000 }, (_, i) => promote(`user-${i}@example.com`, String(i))),
    };
    const report = {
      title: 'boom',
      lines: Array.from({ length: 5000 }, (_, i) => `line ${i} of a long error`),
      findings: [],
      plan: many,
    };
    const text = failureMarkdown(report, {
      heading: 'tailnet-access plan',
      configPath: 'ta.yaml',
      marker: '<!-- m -->',
      runUrl: 'https://github.example/run/1',
      maxLength: 20_000,
    });
    expect(text.length).toBeLessThanOrEqual(20_000);
    expect(text.startsWith('<!-- m -->')).toBe(true);
    expect(text).toContain('**Error:** boom');
    expect(text).toContain('The plan it concerns');
    expect(text.match(/\[Workflow run\]/g)).toHaveLength(1);
  });
});
