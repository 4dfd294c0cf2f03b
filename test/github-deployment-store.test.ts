// The action's record of the last applied policy, kept as GitHub deployments, against the loopback
// GitHub stub: what apply records, what plan and drift read back (the text from the policy file at the
// recorded commit), and what happens without the permissions: a warning that names the permission and
// no record, never a guess.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DeploymentEtagStore,
  POLICY_TASK,
  policyEnvironment,
  type DeploymentStoreOptions,
} from '../src/github/deployment-store.js';
import { GitHubApiError } from '../src/github/errors.js';
import { DEFAULT_RETRY } from '../src/retry-policy.js';
import { appliedPolicy, StateFileError } from '../src/policy-file/etag-store.js';
import { clientFor, STUB_OWNER, STUB_REPO, startGitHubStub, type GitHubStub } from './helpers/github-stub.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const POLICY = '{\n\t"groups": {"group:eng": ["alice@example.com"]},\n}\n';
const ETAG = '"0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"';

let github: GitHubStub;
let warnings: string[];

beforeEach(async () => {
  github = await startGitHubStub();
  github.commit(SHA, { 'infra/policy.hujson': POLICY });
  warnings = [];
});
afterEach(async () => {
  await github.close();
});

function store(overrides: Partial<DeploymentStoreOptions> = {}): DeploymentEtagStore {
  return new DeploymentEtagStore({
    github: () => Promise.resolve(clientFor(github).client),
    configPath: 'tailnet-access.yaml',
    tailnet: 'example.com',
    policyFile: 'infra/policy.hujson',
    sha: SHA,
    runUrl: 'https://github.example/example/infra/actions/runs/1',
    warn: (message) => warnings.push(message),
    ...overrides,
  });
}

describe('the environment a tailnet and config file are recorded in', () => {
  it('is named after the tailnet, with the config file when it is not the usual one', () => {
    expect(policyEnvironment('example.com', 'tailnet-access.yaml')).toBe('tailnet-access: example.com');
    expect(policyEnvironment('example.com', 'staging/tailnet-access.yaml')).toBe(
      'tailnet-access: example.com (staging/tailnet-access.yaml)',
    );
    expect(policyEnvironment('-', 'tailnet-access.yaml')).toBe('tailnet-access (tailnet-access.yaml)');
  });

  it("keeps within GitHub's 255 characters, and two long names that share a start stay two", () => {
    const long = (end: string): string => policyEnvironment('example.com', `${'deep/'.repeat(60)}${end}.yaml`);
    expect(long('a')).toHaveLength(255);
    expect(long('b')).toHaveLength(255);
    expect(long('a')).not.toBe(long('b'));
  });
});

describe('DeploymentEtagStore', () => {
  it(
    'records an apply as a successful deployment of the commit, and reads it back with the text from ' + 'git',
    async () => {
      const applied = appliedPolicy(ETAG, POLICY);
      await store().set('example.com', applied);
      const [deployment] = github.deployments();
      expect(github.deployments()).toHaveLength(1);
      expect(deployment).toMatchObject({
        sha: SHA,
        environment: 'tailnet-access: example.com',
        task: POLICY_TASK,
        auto_merge: false,
        required_contexts: [],
        payload: { etag: ETAG, sha256: applied.sha256, policyFile: 'infra/policy.hujson' },
      });
      expect(deployment?.statuses).toEqual([
        expect.objectContaining({ state: 'success', log_url: 'https://github.example/example/infra/actions/runs/1' }),
      ]);

      // A later run (plan, drift or apply) starts without the record in memory.
      expect(await store({ sha: undefined }).get('example.com')).toEqual(applied);
      expect(github.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: `/repos/${STUB_OWNER}/${STUB_REPO}/contents/infra%2Fpolicy.hujson`,
        query: { ref: SHA },
      });
      expect(warnings).toEqual([]);
    },
  );

  it('reads the newest deployment of its own environment and task only', async () => {
    const other = 'b'.repeat(40);
    github.commit(other, { 'infra/policy.hujson': `${POLICY}// newer\n` });
    await store().set('example.com', appliedPolicy('"old"', POLICY));
    await store({ sha: other }).set('example.com', appliedPolicy('"new"', `${POLICY}// newer\n`));
    await store({ configPath: 'staging.yaml' }).set('example.com', appliedPolicy('"staging"', POLICY));
    expect((await store().get('example.com'))?.etag).toBe('"new"');
    expect((await store({ configPath: 'staging.yaml' }).get('example.com'))?.etag).toBe('"staging"');
    expect(await store().get('other.example')).toBeUndefined();
  });

  it('has no record before the first apply, and says nothing about it (the plan does)', async () => {
    expect(await store().get('example.com')).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('knows only the ETag when the file at the recorded commit is not the applied text', async () => {
    await store().set('example.com', appliedPolicy(ETAG, `${POLICY}// rendered differently\n`));
    expect(await store().get('example.com')).toEqual({ etag: ETAG, sha256: expect.any(String) });
    expect(warnings).toEqual([]);
  });

  it('knows only the ETag, with a warning naming contents: read, when the file cannot be read', async () => {
    await store().set('example.com', appliedPolicy(ETAG, POLICY));
    github.noAccess.add('contents');
    const record = await store().get('example.com');
    expect(record).toEqual({ etag: ETAG, sha256: expect.any(String) });
    expect(warnings).toEqual([expect.stringContaining('"contents: read"')]);
    expect(warnings[0]).toContain('what they changed cannot be shown');
  });

  it('without deployments: read, has no record and warns which permission to add', async () => {
    await store().set('example.com', appliedPolicy(ETAG, POLICY));
    github.noAccess.add('deployments');
    expect(await store().get('example.com')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('add `permissions: { deployments: read }` to the job');
    expect(warnings[0]).toContain('there is no record');
  });

  it('fails a read GitHub cannot answer, so apply never writes over an edit it could not check for', async () => {
    github.failNext(DEFAULT_RETRY.maxAttempts, 503);
    const error = await store()
      .get('example.com')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(503);
  });

  it('reads once per run, and remembers what it records', async () => {
    const once = store();
    expect(await once.get('example.com')).toBeUndefined();
    expect(await once.get('example.com')).toBeUndefined();
    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
    const applied = appliedPolicy(ETAG, POLICY);
    await once.set('example.com', applied);
    expect(await once.get('example.com')).toBe(applied);
    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('without deployments: write, refuses to record with a StateFileError naming the permission', async () => {
    github.denied.add('deployments');
    const error = await store()
      .set('example.com', appliedPolicy(ETAG, POLICY))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toContain('add `permissions: { deployments: write }` to the job');
    expect(github.deployments()).toEqual([]);
  });

  it('records only for a commit: a run without GITHUB_SHA cannot', async () => {
    const error = await store({ sha: undefined })
      .set('example.com', appliedPolicy(ETAG, POLICY))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toBe(
      'the GitHub environment "tailnet-access: example.com" is written by apply only, for the commit it applied, ' +
        'and GITHUB_SHA is not set',
    );
    expect(github.requests).toEqual([]);
  });

  it('keeps the record when only the success status fails, with a warning', async () => {
    github.failNextTo(/\/statuses$/);
    const applied = appliedPolicy(ETAG, POLICY);
    await store().set('example.com', applied);
    expect(github.deployments()).toEqual([expect.objectContaining({ statuses: [] })]);
    expect(warnings).toEqual([expect.stringContaining('its status could not be set')]);
    expect(await store().get('example.com')).toEqual(applied);
  });
});
