// The one failure table (src/engine/failure.ts) and the CLI's words for it (src/commands/failure-text.ts):
// each kind of error gets its kind, title and lines, and carries what it concerns (positions, problems,
// the refusing rail, the plan and its policy-file part), so both front ends can say the same thing.
import { describe, expect, it } from 'vitest';
import { ApplyRefusedError } from '../src/apply/errors.js';
import { failureText } from '../src/commands/failure-text.js';
import { ConfigFileError } from '../src/config/load.js';
import { DiagnosticsError } from '../src/diagnostics.js';
import type { Plan } from '../src/domain/plan.js';
import type { PolicyFilePlan } from '../src/domain/policy-file.js';
import { classifyFailure, PlanProblemsError, planProblemsFailure, policyDataLines } from '../src/engine/failure.js';
import { RefusedError, UsageError } from '../src/errors.js';
import { ActionsSecretError, GitHubApiError } from '../src/github/errors.js';
import { POLICY_REJECTED } from '../src/plan/candidate.js';
import { PolicyRejectedError, TailscaleError } from '../src/tailscale/client.js';
import { LivePolicyError } from '../src/tailscale/live.js';

const plan: Plan = { version: 1, tailnet: 'example.com', policyEtag: '"e1"', changes: [], warnings: [] };
const policyFile = { file: 'policy.hujson' } as unknown as PolicyFilePlan;
const call = { operation: 'write the policy file', method: 'POST', path: '/api/v2/tailnet/-/acl' };

describe('classifyFailure', () => {
  it('counts the problems of a file, names every file they are in, and keeps their positions', () => {
    const diagnostics = [
      {
        file: 'ta.yaml',
        line: 3,
        column: 20,
        severity: 'error' as const,
        code: 'schema',
        message: 'unknown role "admn"',
      },
      {
        file: 'policy.hujson',
        line: 2,
        column: 1,
        severity: 'error' as const,
        code: 'hujson',
        message: 'expected ","',
      },
      { file: 'ta.yaml', line: 4, column: 3, severity: 'error' as const, code: 'schema', message: 'unknown key "rol"' },
    ];
    const failure = classifyFailure(new DiagnosticsError(diagnostics), 'other.yaml');
    expect(failure).toMatchObject({
      kind: 'file-problems',
      title: '3 problems in ta.yaml and policy.hujson; nothing was written to the tailnet',
    });
    expect(failure.lines).toEqual([
      'ta.yaml:3:20: unknown role "admn"',
      'policy.hujson:2:1: expected ","',
      'ta.yaml:4:3: unknown key "rol"',
    ]);
    expect(failure.diagnostics).toBe(diagnostics);
    expect(classifyFailure(new DiagnosticsError(diagnostics.slice(0, 1)), 'x').title).toBe(
      '1 problem in ta.yaml; nothing was written to the tailnet',
    );
  });

  it('says which files a plan problem is in, the config file when a problem has no position', () => {
    const problems = [
      { code: 'owner', message: 'alice is not the owner', path: 'ta.yaml:3:3' },
      { code: 'x', message: 'somewhere else' },
    ];
    const failure = classifyFailure(new PlanProblemsError(problems, plan, policyFile), 'ta.yaml');
    expect(failure).toMatchObject({
      kind: 'plan-problems',
      title: 'The plan cannot be carried out: fix the 2 problems in ta.yaml',
      plan,
      policyFile,
    });
    expect(failure.lines).toEqual(['ta.yaml:3:3: alice is not the owner', 'somewhere else']);
    expect(failure.problems).toBe(problems);
    expect(planProblemsFailure([{ code: 'x', message: 'm' }], plan, 'cfg.yaml')).not.toHaveProperty('policyFile');
    expect(planProblemsFailure([{ code: 'x', message: 'm' }], plan, 'cfg.yaml').title).toBe(
      'The plan cannot be carried out: fix the 1 problem in cfg.yaml',
    );
  });

  it("gives the validator's refusal its own title only when every problem is the validator's", () => {
    const refused = { code: POLICY_REJECTED, message: 'tests failed', path: 'policy.hujson:9:3' };
    expect(planProblemsFailure([refused], plan, 'ta.yaml').title).toBe(
      "Tailscale's validator rejects the policy file this plan would write",
    );
    expect(
      planProblemsFailure([refused, { code: 'owner', message: 'no', path: 'ta.yaml:3:3' }], plan, 'ta.yaml').title,
    ).toBe('The plan cannot be carried out: fix the 2 problems in policy.hujson and ta.yaml');
    expect(planProblemsFailure([], plan, 'ta.yaml').title).toBe(
      'The plan cannot be carried out: fix the 0 problems in ta.yaml',
    );
  });

  it("lists the validator's per-user errors and warnings after Tailscale's refusal of a write", () => {
    const error = new PolicyRejectedError(call, {
      status: 400,
      apiMessage: 'test(s) failed',
      data: [
        {
          user: 'carol@example.com',
          errors: ['address "tag:monitoring:9100": want: Accept, got: Drop'],
          warnings: ['slow'],
        },
        { errors: ['no user'] },
      ],
    });
    const failure = classifyFailure(error, 'ta.yaml');
    expect(failure).toMatchObject({ kind: 'policy-rejected', title: 'Tailscale rejected the policy file' });
    expect(failure.lines).toEqual([
      error.message,
      'carol@example.com: error: address "tag:monitoring:9100": want: Accept, got: Drop',
      'carol@example.com: warning: slow',
      'error: no user',
    ]);
    expect(classifyFailure(new PolicyRejectedError(call, { status: 400, apiMessage: 'bad' }), 'ta.yaml').lines).toEqual(
      ['write the policy file (POST /api/v2/tailnet/-/acl): 400 bad'],
    );
    expect(policyDataLines([{ user: 'a@example.com' }])).toEqual([]);
  });

  it('names the rail of a refusal, and carries the refused plan of an apply', () => {
    const plain = classifyFailure(new RefusedError('max-changes', 'too many\nNothing was written.'), 'ta.yaml');
    expect(plain).toEqual({
      kind: 'refused',
      title: 'Refused by the max-changes safety rail',
      lines: ['too many', 'Nothing was written.'],
      rail: 'max-changes',
    });
    expect(plain).not.toHaveProperty('plan');
    const applied = classifyFailure(
      new ApplyRefusedError(plan, [{ rail: 'owner', message: 'no' }], policyFile),
      'ta.yaml',
    );
    expect(applied).toMatchObject({ kind: 'refused', rail: 'owner', plan, policyFile });
    expect(
      classifyFailure(new ApplyRefusedError(plan, [{ rail: 'owner', message: 'no' }]), 'ta.yaml'),
    ).not.toHaveProperty('policyFile');
  });

  it('gives every other kind its own kind and title, and the message as its lines', () => {
    const cases: [Error, string, string][] = [
      [
        new ConfigFileError('infra/policy.hujson', 'the policy file infra/policy.hujson is a directory'),
        'file-unreadable',
        'Cannot read infra/policy.hujson',
      ],
      [new UsageError('no credential'), 'usage', 'The command is not set up correctly'],
      [new LivePolicyError('the live policy is not HuJSON'), 'live-policy', "The tailnet's policy file cannot be read"],
      [new TailscaleError(call, 'no answer'), 'tailscale', 'A Tailscale API call failed'],
      [
        new GitHubApiError('comment', { status: 500, message: 'oops', errors: [], headers: {} }),
        'github',
        'A GitHub API call failed',
      ],
      [new ActionsSecretError('write the secret: 500', 500), 'actions-secret', 'Storing the secret in GitHub failed'],
    ];
    for (const [error, kind, title] of cases)
      expect(classifyFailure(error, 'ta.yaml')).toEqual({ kind, title, lines: error.message.split('\n') });
  });

  it("shows an unexpected error's stack only when asked, without repeating its message", () => {
    const error = new TypeError('boom');
    expect(classifyFailure(error, 'ta.yaml')).toEqual({
      kind: 'unexpected',
      title: 'Unexpected error',
      lines: ['boom'],
    });
    const debug = classifyFailure(error, 'ta.yaml', true);
    expect(debug.lines[0]).toBe('boom');
    expect(debug.lines.slice(1)).toEqual((error.stack ?? '').split('\n').slice(1));
    expect(debug.lines.length).toBeGreaterThan(1);
    expect(classifyFailure('a string', 'ta.yaml')).toEqual({
      kind: 'unexpected',
      title: 'Unexpected error',
      lines: ['a string'],
    });
  });

  it('words the error of a plan that cannot be carried out by its count', () => {
    expect(new PlanProblemsError([{ code: 'x', message: 'm' }], plan).message).toBe(
      'the plan cannot be carried out: fix the problem in the file',
    );
    const two = new PlanProblemsError(
      [
        { code: 'x', message: 'm' },
        { code: 'y', message: 'n' },
      ],
      plan,
    );
    expect(two.message).toBe('the plan cannot be carried out: fix the 2 problems in the file');
    expect(two.name).toBe('PlanProblemsError');
  });
});

describe('failureText (the CLI)', () => {
  it('prints file problems one per line, then the summary as a sentence', () => {
    const failure = classifyFailure(
      new DiagnosticsError([
        { file: 'ta.yaml', line: 3, column: 20, severity: 'error', code: 'schema', message: 'unknown role' },
      ]),
      'ta.yaml',
    );
    expect(failureText(failure)).toBe(
      'ta.yaml:3:20: unknown role\n1 problem in ta.yaml; nothing was written to the tailnet.',
    );
  });

  it('prints each plan problem as an error at its place, then the summary', () => {
    const failure = planProblemsFailure(
      [
        { code: 'owner', message: 'alice is not the owner', path: 'ta.yaml:3:3' },
        { code: 'x', message: 'no place' },
      ],
      plan,
      'ta.yaml',
    );
    expect(failureText(failure)).toBe(
      'ta.yaml:3:3: error: alice is not the owner\nerror: no place\nThe plan cannot be carried out: ' +
        'fix the 2 problems in ta.yaml.',
    );
  });

  it('names the refusing rail, and says error: for everything else', () => {
    expect(failureText(classifyFailure(new RefusedError('owner', 'the owner is never changed'), 'ta.yaml'))).toBe(
      'refused by the owner safety rail: the owner is never changed',
    );
    expect(failureText({ kind: 'refused', title: 'Refused', lines: ['x'] })).toBe(
      'refused by the unknown safety rail: x',
    );
    expect(failureText(classifyFailure(new UsageError('two lines\nof usage'), 'ta.yaml'))).toBe(
      'error: two lines\nof usage',
    );
    expect(failureText({ kind: 'plan-problems', title: 'T', lines: [] })).toBe('\nT.');
  });
});
