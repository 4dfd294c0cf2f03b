// Everything the action was asked to do, read once from the inputs, the environment and the event
// payload by inputs.ts. Every other module takes this object as a parameter and reads nothing else.
import type { RepoRef } from '../github/errors.js';
import type { Credential } from '../domain/credential.js';
import type { CreateOAuthAppSettings } from './create-oauth-app-mode.js';

export const MODES = ['plan', 'apply', 'drift', 'check', 'create-oauth-app'] as const;
export type Mode = (typeof MODES)[number];

export interface PullRequestInfo {
  number: number;
  /** `owner/name` of the branch's repository; undefined when the fork has been deleted. */
  headRepo: string | undefined;
  baseRepo: string | undefined;
  /** Opened from another repository: GitHub gives such runs no secrets and a read-only token. */
  fromFork: boolean;
}

export interface EventInfo {
  /** `GITHUB_EVENT_NAME`. */
  name: string;
  /** `GITHUB_REF`, e.g. `refs/heads/main`. */
  ref: string | undefined;
  /** The repository's default branch, from the event payload. */
  defaultBranch: string | undefined;
  pullRequest?: PullRequestInfo;
}

/** A credential, or (when none was given at all) the message that says which inputs to set. */
export type CredentialSetting = { given: true; credential: Credential } | { given: false; missing: string };

export interface GitHubSettings {
  /** The `github-token` input; undefined when empty. */
  token: string | undefined;
  apiUrl: string;
  serverUrl: string;
  repository: RepoRef | undefined;
  /** `GITHUB_SHA`: the commit the run is for, which apply records as deployed. */
  sha: string | undefined;
  /** Link to this workflow run (and attempt), for comments and issues. */
  runUrl: string | undefined;
  /** The repository checkout: config paths are relative to it, and so are annotation paths. */
  workspace: string;
  /** Where the plan JSON is written (`RUNNER_TEMP`). */
  runnerTemp: string;
}

export interface ActionSettings {
  mode: Mode;
  /** Why this mode, for the log: `the pull_request event`, `the mode input`. */
  modeFrom: string;
  config: {
    /** Absolute path of the file. */
    path: string;
    /** The path relative to the workspace, with `/`: how messages and annotations name it. */
    shownAs: string;
  };
  /** The `policy-file` input, relative to the repository root: it stands for settings.policyFile. */
  policyFile?: string | undefined;
  /** The `tailnet` input; undefined means the file's `tailnet`, else `-`. */
  tailnet: string | undefined;
  baseUrl: string;
  credential: CredentialSetting;
  /** The `max-changes` input; undefined means the file's `settings.maxChanges`. */
  maxChanges: number | undefined;
  /** Apply a plan larger than max-changes. */
  force: boolean;
  /** The `now` input (ms since the epoch): the moment plan, apply and drift plan for; undefined is the clock. */
  now?: number | undefined;
  /** Drift mode: fail the job when the tailnet differs from the file. */
  failOnDrift: boolean;
  /** Plan mode: keep the sticky comment on the pull request. */
  comment: boolean;
  /** Drift mode: keep an issue open while there is drift. */
  driftIssue: boolean;
  github: GitHubSettings;
  event: EventInfo;
  /** The inputs of `mode: create-oauth-app` (contract.md §4); lists split on commas and newlines. */
  oauthApp: CreateOAuthAppSettings & { update: boolean };
}
