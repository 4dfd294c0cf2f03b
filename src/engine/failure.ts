// One failure classifier for both front ends. Any error a run can end with becomes a Failure: a kind,
// a one-line title, the detail lines, and what it concerns (the file's diagnostics, the plan's
// problems, the plan and its policy-file part). The CLI prints it (src/commands/failure-text.ts); the
// action annotates, summarises and fails the step with it (src/action/failure.ts). So the two say the
// same thing about the same input.
import { ApplyRefusedError } from '../apply/errors.js';
import { ConfigFileError } from '../config/load.js';
import { DiagnosticsError, formatDiagnostic, parseSourceRef } from '../diagnostics.js';
import type { Diagnostic } from '../domain/diagnostic.js';
import { RefusedError, UsageError } from '../errors.js';
import { ActionsSecretError, GitHubApiError } from '../github/errors.js';
import { POLICY_REJECTED } from '../plan/candidate.js';
import type { Plan, PlanProblem } from '../domain/plan.js';
import type { PolicyErrorData } from '../domain/policy.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { PolicyRejectedError, TailscaleError } from '../tailscale/client.js';
import { LivePolicyError } from '../tailscale/live.js';

/**
 * The file asks for something that cannot be done (e.g. `owner` for someone who is not the owner), or,
 * under settings.policyFile, the policy file is not rendered or Tailscale refuses it.
 */
export class PlanProblemsError extends Error {
  readonly problems: readonly PlanProblem[];
  readonly plan: Plan;
  /** Under settings.policyFile: the policy file's part of the plan, shown beside the problems. */
  readonly policyFile: PolicyFilePlan | undefined;
  constructor(problems: readonly PlanProblem[], plan: Plan, policyFile?: PolicyFilePlan) {
    const n = problems.length;
    super(`the plan cannot be carried out: fix the ${n === 1 ? 'problem' : `${n} problems`} in the file`);
    this.name = 'PlanProblemsError';
    this.problems = problems;
    this.plan = plan;
    this.policyFile = policyFile;
  }
}

/** The validator's per-user `data` as lines: `alice@example.com: error: …`. */
export function policyDataLines(data: readonly PolicyErrorData[]): string[] {
  return data.flatMap((entry) => {
    const who = entry.user ? `${entry.user}: ` : '';
    return [
      ...(entry.errors ?? []).map((e) => `${who}error: ${e}`),
      ...(entry.warnings ?? []).map((w) => `${who}warning: ${w}`),
    ];
  });
}

export type FailureKind =
  | 'file-problems'
  | 'plan-problems'
  | 'policy-rejected'
  | 'refused'
  | 'file-unreadable'
  | 'usage'
  | 'live-policy'
  | 'tailscale'
  | 'github'
  | 'actions-secret'
  | 'unexpected';

export interface Failure {
  kind: FailureKind;
  /** One line: what failed. */
  title: string;
  /** The details, one per line. */
  lines: string[];
  /** file-problems: the diagnostics, each with its position. */
  diagnostics?: readonly Diagnostic[];
  /** plan-problems: the problems, with the path each is about when it has one. */
  problems?: readonly PlanProblem[];
  /** refused: the safety rail that refused. */
  rail?: string;
  /** The plan the failure concerns. */
  plan?: Plan;
  /** Under settings.policyFile: the policy file's part of that plan. */
  policyFile?: PolicyFilePlan;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const linesOf = (error: Error): string[] => error.message.split('\n');

/** The files named, each once, in order (`tailnet-access.yaml and policy.hujson`); `fallback` when none is. */
function filesOf(files: readonly (string | undefined)[], fallback: string): string {
  const named = [...new Set(files.filter((f) => f !== undefined))];
  return named.length === 0 ? fallback : named.join(' and ');
}

/** Problems that keep a plan from being carried out, as a failure: the CLI's plan prints it after the plan. */
export function planProblemsFailure(
  problems: readonly PlanProblem[],
  plan: Plan,
  configShown: string,
  policyFile?: PolicyFilePlan,
): Failure {
  const rejected = problems.length > 0 && problems.every((p) => p.code === POLICY_REJECTED);
  const failure: Failure = {
    kind: 'plan-problems',
    title: rejected
      ? "Tailscale's validator rejects the policy file this plan would write"
      : `The plan cannot be carried out: fix the ${plural(problems.length, 'problem', 'problems')} in ${filesOf(
          problems.map((p) => parseSourceRef(p.path)?.file),
          configShown,
        )}`,
    lines: problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`),
    problems,
    plan,
  };
  if (policyFile) failure.policyFile = policyFile;
  return failure;
}

/**
 * What `error` means for the person who ran the command or the workflow. `configShown` names the
 * config file where a failure does not say which file it is about; with `debug`, an unexpected
 * error's stack is among its lines.
 */
export function classifyFailure(error: unknown, configShown: string, debug = false): Failure {
  if (error instanceof DiagnosticsError) {
    const n = error.diagnostics.length;
    return {
      kind: 'file-problems',
      title: `${plural(n, 'problem', 'problems')} in ${filesOf(
        error.diagnostics.map((d) => d.file),
        configShown,
      )}; nothing was written to the tailnet`,
      lines: error.diagnostics.map(formatDiagnostic),
      diagnostics: error.diagnostics,
    };
  }
  if (error instanceof PlanProblemsError)
    return planProblemsFailure(error.problems, error.plan, configShown, error.policyFile);
  if (error instanceof PolicyRejectedError) {
    return {
      kind: 'policy-rejected',
      title: 'Tailscale rejected the policy file',
      lines: [...linesOf(error), ...policyDataLines(error.data ?? [])],
    };
  }
  if (error instanceof RefusedError) {
    const failure: Failure = {
      kind: 'refused',
      title: `Refused by the ${error.rail} safety rail`,
      lines: linesOf(error),
      rail: error.rail,
    };
    if (error instanceof ApplyRefusedError) {
      failure.plan = error.plan;
      if (error.policyFile) failure.policyFile = error.policyFile;
    }
    return failure;
  }
  // The config file, or the policy file it names: the title says which.
  if (error instanceof ConfigFileError)
    return { kind: 'file-unreadable', title: `Cannot read ${error.path}`, lines: linesOf(error) };
  const titles: [new (...args: never[]) => Error, FailureKind, string][] = [
    [UsageError, 'usage', 'The command is not set up correctly'],
    [LivePolicyError, 'live-policy', "The tailnet's policy file cannot be read"],
    [TailscaleError, 'tailscale', 'A Tailscale API call failed'],
    [GitHubApiError, 'github', 'A GitHub API call failed'],
    [ActionsSecretError, 'actions-secret', 'Storing the secret in GitHub failed'],
  ];
  for (const [type, kind, title] of titles) {
    if (error instanceof type) return { kind, title, lines: linesOf(error) };
  }
  if (error instanceof Error) {
    const stack = debug && error.stack ? error.stack.split('\n').slice(1) : [];
    return { kind: 'unexpected', title: 'Unexpected error', lines: [...linesOf(error), ...stack] };
  }
  return { kind: 'unexpected', title: 'Unexpected error', lines: [String(error)] };
}
