// The one place the action reads its inputs (through @actions/core), the runner's environment and the
// event payload. It returns one typed, checked ActionSettings; every problem is a UsageError naming
// the input. Secrets are registered (masked in the log, redacted from everything we print or post) the
// moment they are read.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { suggest } from '../config/suggest.js';
import { parseNow, TimeValueError } from '../config/until.js';
import { UsageError } from '../errors.js';
import { resolveWithin, workspaceBoundary } from '../files/boundary.js';
import type { RepoRef } from '../github/errors.js';
import { registerSecret } from '../secrets.js';
import { chooseCredential } from '../tailscale/credential.js';
import { readEvent } from './event.js';
import { idTokenSource } from './id-token.js';
import {
  MODES,
  type ActionSettings,
  type CredentialSetting,
  type EventInfo,
  type GitHubSettings,
  type Mode,
} from './settings.js';

type Env = Readonly<Record<string, string | undefined>>;

const SECRET_INPUTS = ['api-key', 'oauth-client-secret', 'oauth-secret', 'github-token', 'secrets-token'];

/** Typed readers of the step's inputs; every error names the input. */
function inputReader() {
  const text = (name: string): string | undefined => core.getInput(name) || undefined;
  return {
    text,
    /** One item a line or comma-separated, blanks dropped. */
    list: (name: string): string[] =>
      core
        .getMultilineInput(name)
        .flatMap((line) => line.split(','))
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    // The YAML 1.2 core-schema booleans, as core.getBooleanInput reads them; an empty input takes the
    // default, so the action also runs where action.yml defaults are not applied (a local run, a test).
    boolean(name: string, fallback: boolean): boolean {
      const value = core.getInput(name);
      if (value === '') return fallback;
      try {
        return core.getBooleanInput(name);
      } catch {
        throw new UsageError(`the ${name} input must be true or false, not "${value}"`);
      }
    },
    /** A moment: a date (its start, UTC) or an RFC 3339 date-time with offset, as ms since the epoch. */
    moment(name: string): number | undefined {
      const value = text(name);
      if (value === undefined) return undefined;
      try {
        return parseNow(value).epochMs;
      } catch (error) {
        if (error instanceof TimeValueError) throw new UsageError(`the ${name} input: ${error.message}`);
        throw error;
      }
    },
    positiveInteger(name: string): number | undefined {
      const value = text(name);
      if (value === undefined) return undefined;
      if (!/^\d+$/.test(value) || Number(value) < 1)
        throw new UsageError(`the ${name} input must be a whole number of at least 1, not "${value}"`);
      return Number(value);
    },
  };
}

type Inputs = ReturnType<typeof inputReader>;

const DEFAULT_MODES: Record<string, Mode> = { pull_request: 'plan', push: 'apply', schedule: 'drift' };

export function chooseMode(value: string | undefined, event: string): { mode: Mode; modeFrom: string } {
  if (value !== undefined && value !== 'auto') {
    if (!(MODES as readonly string[]).includes(value)) {
      const hint = suggest(value, [...MODES]);
      throw new UsageError(
        `the mode input must be auto, ${MODES.join(', ')}; not "${value}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
      );
    }
    const mode = value as Mode;
    // Applying from a pull request would apply a file nobody has approved and merged yet.
    if (mode === 'apply' && event.startsWith('pull_request')) {
      throw new UsageError(
        'mode: apply is refused on pull request events: apply runs on push to the default branch, after review; ' +
          'use mode: plan here',
      );
    }
    return { mode, modeFrom: 'the mode input' };
  }
  const mode = DEFAULT_MODES[event];
  if (mode === undefined) {
    const which =
      event === 'workflow_dispatch' ? 'a manual run (workflow_dispatch)' : `the ${event || 'unknown'} event`;
    throw new UsageError(`${which} has no default mode: set the mode input to ${MODES.join(', ')}`);
  }
  return { mode, modeFrom: `the ${event} event` };
}

const CREDENTIAL_INPUTS = {
  apiKey: 'api-key',
  clientId: 'oauth-client-id',
  clientSecret: 'oauth-client-secret',
  idToken: 'audience',
};

/**
 * The OAuth client's secret: `oauth-client-secret`, or `oauth-secret` as tailscale/gitops-acl-action
 * names it (accepted, with a deprecation notice). Both given is refused unless they agree.
 */
function readClientSecret(inputs: Inputs): string | undefined {
  const secret = inputs.text('oauth-client-secret');
  const legacy = inputs.text('oauth-secret');
  if (legacy === undefined) return secret;
  if (secret !== undefined && secret !== legacy) {
    throw new UsageError(
      'the oauth-secret and oauth-client-secret inputs are both given and differ: give only oauth-client-secret ' +
        '(oauth-secret is its deprecated name)',
    );
  }
  core.notice(
    "the oauth-secret input is deprecated (it is tailscale/gitops-acl-action's name): rename it to oauth-client-secret",
  );
  return legacy;
}

function readCredential(inputs: Inputs): CredentialSetting {
  const apiKey = inputs.text('api-key');
  const clientSecret = readClientSecret(inputs);
  const clientId = inputs.text('oauth-client-id');
  const audience = inputs.text('audience');
  const parts = {
    apiKey,
    clientId,
    clientSecret,
    idToken: audience === undefined ? undefined : idTokenSource(audience),
  };
  // Nothing at all is a state of its own: normal for a pull request from a fork, an error elsewhere.
  if (!apiKey && !clientSecret && !clientId && !audience) {
    try {
      chooseCredential(parts, CREDENTIAL_INPUTS);
    } catch (error) {
      if (error instanceof UsageError) return { given: false, missing: error.message };
      throw error;
    }
  }
  return { given: true, credential: chooseCredential(parts, CREDENTIAL_INPUTS) };
}

function repositoryOf(value: string | undefined): RepoRef | undefined {
  const [owner, repo, extra] = value?.split('/') ?? [];
  return owner && repo && extra === undefined ? { owner, repo } : undefined;
}

function readGitHub(inputs: Inputs, env: Env): GitHubSettings {
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = repositoryOf(env.GITHUB_REPOSITORY);
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? '1');
  const runUrl =
    repository && env.GITHUB_RUN_ID
      ? `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${env.GITHUB_RUN_ID}${attempt > 1 ? `/attempts/${attempt}` : ''}`
      : undefined;
  return {
    token: inputs.text('github-token'),
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl,
    repository,
    sha: env.GITHUB_SHA || undefined,
    runUrl,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerTemp: env.RUNNER_TEMP || os.tmpdir(),
  };
}

function readEventInfo(env: Env): EventInfo {
  const file = env.GITHUB_EVENT_PATH;
  let payload: unknown = {};
  if (file) {
    try {
      payload = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UsageError(`cannot read the event payload at GITHUB_EVENT_PATH (${file}): ${reason}`);
    }
  }
  return readEvent(env.GITHUB_EVENT_NAME ?? '', env.GITHUB_REF, payload);
}

/**
 * How messages and annotations name a file: its path from the repository root, with `/`, since
 * annotations need that to show in a pull request's diff; a file outside the checkout keeps `given`.
 */
export function shownPath(workspace: string, absolute: string, given: string): string {
  const relative = path.relative(workspace, absolute);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return inside ? relative.split(path.sep).join('/') : given;
}

/** The config input, which must lead (symbolic links followed) to a file of the checkout. */
function configPaths(value: string, workspace: string): ActionSettings['config'] {
  const absolute = path.resolve(workspace, value);
  const boundary = workspaceBoundary(workspace);
  const { real, inside } = resolveWithin(absolute, boundary);
  if (!inside) {
    throw new UsageError(
      `the config input ${value} leads to ${real}, outside ${boundary.name}: the action reads only files of the ` +
        `repository, so give a path inside the checkout`,
    );
  }
  return { path: absolute, shownAs: shownPath(workspace, absolute, value) };
}

function readOAuthApp(inputs: Inputs): ActionSettings['oauthApp'] {
  return {
    name: inputs.text('app-name'),
    description: inputs.text('app-description'),
    redirectUris: inputs.list('redirect-uris'),
    scopes: inputs.list('scopes'),
    allowedNodeAttributes: inputs.list('allowed-node-attributes'),
    secretName: inputs.text('secret-name'),
    secretEnvironment: inputs.text('secret-environment'),
    secretsToken: inputs.text('secrets-token'),
    update: inputs.boolean('update-app', false),
  };
}

function readBaseUrl(inputs: Inputs): string {
  const value = inputs.text('base-url') ?? 'https://api.tailscale.com';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`the base-url input must be a URL such as https://api.tailscale.com, not "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`the base-url input must be an http(s) URL, not "${value}"`);
  return value;
}

/** Reads the step: its inputs and the runner's variables, from the process's environment. */
export function readSettings(): ActionSettings {
  const env: Env = process.env;
  const inputs = inputReader();
  // Secrets first, so nothing read later (and no error about it) can show one unmasked.
  for (const name of SECRET_INPUTS) registerSecret(inputs.text(name));
  const credential = readCredential(inputs);
  const github = readGitHub(inputs, env);
  const event = readEventInfo(env);
  const oauthApp = readOAuthApp(inputs);
  return {
    ...chooseMode(inputs.text('mode'), event.name),
    config: configPaths(inputs.text('config') ?? 'tailnet-access.yaml', github.workspace),
    policyFile: inputs.text('policy-file'),
    tailnet: inputs.text('tailnet'),
    baseUrl: readBaseUrl(inputs),
    credential,
    maxChanges: inputs.positiveInteger('max-changes'),
    force: inputs.boolean('force', false),
    now: inputs.moment('now'),
    failOnDrift: inputs.boolean('fail-on-drift', true),
    comment: inputs.boolean('comment', true),
    driftIssue: inputs.boolean('drift-issue', true),
    github,
    event,
    oauthApp,
  };
}
