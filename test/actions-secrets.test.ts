// Storing an Actions secret through Octokit against a loopback GitHub stand-in that holds the private
// keys: the value arrives sealed and opens to what was sent; the workflow's own token is refused with
// what to do; a failing PUT is retried as the one retry policy says.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  actionsSecretTargetProblems,
  ActionsSecrets,
  type ActionsSecretTarget,
} from '../src/github/actions-secrets.js';
import { ActionsSecretError } from '../src/github/errors.js';
import { DEFAULT_RETRY } from '../src/retry-policy.js';
import {
  ENVIRONMENT,
  READ_ONLY_TOKEN,
  REPOSITORY,
  startGitHubStandIn,
  WORKFLOW_TOKEN,
  WRITER_TOKEN,
  type GitHubStandIn,
} from './helpers/oauth-kit.js';

let github: GitHubStandIn;
beforeEach(async () => {
  github = await startGitHubStandIn();
});
afterEach(async () => {
  await github.close();
});

const VALUE = 'tskey-app-a1CNTRL-actionsSecretsTestValue';
const storeActionsSecret = (to: ActionsSecretTarget, value: string): Promise<'created' | 'updated'> =>
  new ActionsSecrets(to, { backoffMs: 1 }).store(value);
const target = (change: Partial<ActionsSecretTarget> = {}): ActionsSecretTarget => ({
  apiUrl: github.apiUrl,
  repository: REPOSITORY,
  name: 'TS_OAUTH_APP_SECRET',
  token: WRITER_TOKEN,
  ...change,
});

async function failureOf(promise: Promise<unknown>): Promise<ActionsSecretError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionsSecretError);
  const failure = error as ActionsSecretError;
  expect(failure.message).not.toContain(VALUE);
  expect(failure.message).not.toContain(WRITER_TOKEN);
  return failure;
}

describe('storeActionsSecret', () => {
  it('seals a repository secret that opens, with the private key, to the value sent', async () => {
    expect(await storeActionsSecret(target(), VALUE)).toBe('created');
    expect(github.open('TS_OAUTH_APP_SECRET')).toBe(VALUE);
    expect(github.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /repos/${REPOSITORY}/actions/secrets/public-key 200`,
      `PUT /repos/${REPOSITORY}/actions/secrets/TS_OAUTH_APP_SECRET 201`,
    ]);
    expect(JSON.stringify(github.requests)).not.toContain(VALUE);
    expect(await storeActionsSecret(target(), `${VALUE}2`)).toBe('updated');
    expect(github.open('TS_OAUTH_APP_SECRET')).toBe(`${VALUE}2`);
  });

  it("stores an environment's secret with the environment's own key", async () => {
    await storeActionsSecret(target({ environment: ENVIRONMENT }), VALUE);
    expect(github.open('TS_OAUTH_APP_SECRET', ENVIRONMENT)).toBe(VALUE);
    expect(github.open('TS_OAUTH_APP_SECRET')).toBeUndefined();
    expect(github.requests[1]?.path).toBe(
      `/repos/${REPOSITORY}/environments/${ENVIRONMENT}/secrets/TS_OAUTH_APP_SECRET`,
    );
  });

  it('says the default GITHUB_TOKEN cannot write secrets, and which token can', async () => {
    const failure = await failureOf(storeActionsSecret(target({ token: WORKFLOW_TOKEN }), VALUE));
    expect(failure.status).toBe(403);
    expect(failure.message).toContain('403: Resource not accessible by integration');
    expect(failure.message).toContain("The workflow's default GITHUB_TOKEN cannot read or write secrets");
    expect(failure.message).toContain('"Secrets" repository permission set to read and write');
    expect(failure.message).not.toContain(WORKFLOW_TOKEN);
    const readOnly = await failureOf(
      storeActionsSecret(target({ token: READ_ONLY_TOKEN, environment: ENVIRONMENT }), VALUE),
    );
    expect(readOnly.message).toMatch(/^write the Actions secret .*: GitHub refused access \(403: /);
    expect(readOnly.message).toContain('"Environments" repository permission');
  });

  it('explains a 404 for a missing environment, and a 401 for a bad token', async () => {
    const missing = await failureOf(storeActionsSecret(target({ environment: 'nope' }), VALUE));
    expect(missing.status).toBe(404);
    expect(missing.message).toContain('GitHub found no environment "nope" of example/infra (404: Not Found)');
    expect(missing.message).toContain('Settings → Environments');
    const bad = await failureOf(storeActionsSecret(target({ token: 'ghp_notAToken' }), VALUE));
    expect(bad.message).toContain('GitHub refused the token (401: Bad credentials)');
    expect(bad.message).not.toContain('ghp_notAToken');
  });

  it("retries a PUT that failed on the server, and gives up after the policy's attempts", async () => {
    github.failPuts(2, 502);
    expect(await storeActionsSecret(target(), VALUE)).toBe('created');
    expect(github.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([502, 502, 201]);
    github.requests.length = 0;
    github.failPuts(DEFAULT_RETRY.maxAttempts, 500);
    const failure = await failureOf(storeActionsSecret(target(), VALUE));
    expect(failure.status).toBe(500);
    expect(github.requests.filter((r) => r.method === 'PUT')).toHaveLength(DEFAULT_RETRY.maxAttempts);
  });

  it('does not retry a refusal', async () => {
    github.failPuts(1, 422);
    await failureOf(storeActionsSecret(target(), VALUE));
    expect(github.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });
});

describe('actionsSecretTargetProblems', () => {
  it("applies GitHub's naming rules before any call", () => {
    expect(actionsSecretTargetProblems(target())).toEqual([]);
    expect(actionsSecretTargetProblems(target({ name: 'has-dash' }))[0]).toMatch(
      /only letters, digits and underscores/,
    );
    expect(actionsSecretTargetProblems(target({ name: '1ST' }))[0]).toMatch(/must not start with a digit/);
    expect(actionsSecretTargetProblems(target({ name: 'github_token' }))[0]).toMatch(/must not start with GITHUB_/);
    expect(actionsSecretTargetProblems(target({ repository: 'just-a-name' }))[0]).toMatch(/owner\/repo/);
    expect(actionsSecretTargetProblems(target({ token: '' }))[0]).toMatch(/no token/);
    expect(github.requests).toEqual([]);
  });
});
