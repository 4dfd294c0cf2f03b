// The parts of the event payload the action needs, read defensively: a payload is JSON written by
// GitHub, but a `workflow_dispatch` or a test may leave any field out.

import type { EventInfo, PullRequestInfo } from './settings.js';

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function pullRequestOf(payload: unknown): PullRequestInfo | undefined {
  const number = field(payload, 'pull_request', 'number') ?? field(payload, 'number');
  if (typeof number !== 'number') return undefined;
  const headRepo = text(field(payload, 'pull_request', 'head', 'repo', 'full_name'));
  const baseRepo =
    text(field(payload, 'pull_request', 'base', 'repo', 'full_name')) ??
    text(field(payload, 'repository', 'full_name'));
  // A deleted fork leaves head.repo null: still a fork, and still without secrets.
  const fromFork =
    headRepo === undefined || baseRepo === undefined || headRepo.toLowerCase() !== baseRepo.toLowerCase();
  return { number, headRepo, baseRepo, fromFork };
}

export function readEvent(name: string, ref: string | undefined, payload: unknown): EventInfo {
  // A schedule's payload names no repository, but GitHub runs scheduled workflows on the latest
  // commit of the default branch only, so its ref is the default branch: a scheduled apply (access
  // that ends on time, examples/workflows/expire.yml) is an apply from the default branch.
  const named = text(field(payload, 'repository', 'default_branch'));
  const defaultBranch = named ?? (name === 'schedule' ? branchOf(ref) : undefined);
  const event: EventInfo = { name, ref, defaultBranch };
  if (name === 'pull_request') {
    const pullRequest = pullRequestOf(payload);
    if (pullRequest) event.pullRequest = pullRequest;
  }
  return event;
}

/** `refs/heads/main` -> `main`; undefined for tags and other refs. */
export function branchOf(ref: string | undefined): string | undefined {
  return ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
