// The action's create-oauth-app mode, against the simulator and the GitHub stand-in: the client secret
// goes sealed into an Actions secret and nowhere else; outputs are the app ID and client ID only.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  OAuthAppDiffersError,
  runCreateOAuthAppMode,
  type CreateOAuthAppModeDeps,
  type CreateOAuthAppSettings,
} from '../src/action/create-oauth-app-mode.js';
import { OAuthAppInputError } from '../src/oauth/app-input.js';
import { SecretNotStoredError } from '../src/oauth/create-or-find.js';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { createTailscaleClient, type TailscaleClient } from '../src/tailscale/client.js';
import { OWNER_KEY } from './fixtures/simulator/client.js';
import {
  ENVIRONMENT,
  READ_ONLY_TOKEN,
  REPOSITORY,
  SecretScan,
  startGitHubStandIn,
  WORKFLOW_TOKEN,
  WRITER_TOKEN,
  type GitHubStandIn,
} from './helpers/oauth-kit.js';

const scan = new SecretScan();
for (const token of [OWNER_KEY, WORKFLOW_TOKEN, READ_ONLY_TOKEN, WRITER_TOKEN]) scan.secret(token);

let sim: Simulator;
let github: GitHubStandIn;
let client: TailscaleClient;
let outputs: Record<string, string>;
let log: string[];

beforeEach(async () => {
  sim = await startSimulator();
  github = await startGitHubStandIn();
  client = createTailscaleClient({ baseUrl: sim.url, credential: { kind: 'api-key', key: OWNER_KEY } });
  outputs = {};
  log = [];
});

afterEach(async () => {
  scan.saw('the action log', log.join('\n'));
  scan.saw('the action outputs', JSON.stringify(outputs));
  scan.saw('the simulator request log', JSON.stringify(sim.requests.entries));
  scan.saw('the GitHub request log', JSON.stringify(github.requests));
  await client.close();
  await github.close();
  await sim.close();
});

afterAll(() => {
  expect(scan.secretCount).toBeGreaterThan(5);
  scan.assertClean();
});

const SETTINGS: CreateOAuthAppSettings = {
  name: 'device-provisioner',
  description: 'Provisions developer laptops',
  redirectUris: ['http://127.0.0.1:8976/callback'],
  scopes: [],
  allowedNodeAttributes: ['custom:provisioned'],
  secretName: 'TS_OAUTH_APP_SECRET',
  secretEnvironment: ENVIRONMENT,
  secretsToken: WRITER_TOKEN,
};

function deps(): CreateOAuthAppModeDeps {
  return {
    client,
    github: { apiUrl: github.apiUrl, repository: { owner: 'example', repo: 'infra' } },
    baseUrl: sim.url,
    setOutput: (name, value) => {
      outputs[name] = value;
    },
    info: (line) => log.push(line),
    secrets: { backoffMs: 1 },
  };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e as Error,
  );
  scan.saw(`the ${error.name} message`, error.message);
  return error;
}

const simCalls = (): string[] =>
  sim.requests.entries.map((e) => `${e.method} ${e.path.replace('/api/v2/tailnet/-', '')}`);

describe('runCreateOAuthAppMode', () => {
  it('creates the app, seals its secret into the environment secret, and outputs only the IDs', async () => {
    const result = await runCreateOAuthAppMode(SETTINGS, deps());
    const [app] = sim.state.oauthApps.list();
    expect(result).toEqual({ outcome: 'created', appId: app?.id, clientId: app?.id, differences: [] });
    expect(outputs).toEqual({ 'app-id': app?.id, 'client-id': app?.id });
    const stored = github.open('TS_OAUTH_APP_SECRET', ENVIRONMENT) ?? '';
    scan.secret(stored);
    expect(sim.state.oauthApps.secretMatches(app?.id ?? '', stored)).toBe(true);
    expect(simCalls()).toEqual(['GET /oauth-apps', 'POST /oauth-apps', `GET /oauth-apps/${app?.id}`]);
    // The public key is read before the create, the secret written after it.
    expect(github.requests.map((r) => `${r.method} ${r.path.split('/').at(-1)}`)).toEqual([
      'GET public-key',
      'PUT TS_OAUTH_APP_SECRET',
    ]);
    expect(log.join('\n')).toContain(
      `its client secret is stored in the Actions secret TS_OAUTH_APP_SECRET of ${REPOSITORY}, environment ` +
        `"${ENVIRONMENT}"`,
    );
  });

  it('a re-run finds the app, creates nothing and touches no secret', async () => {
    await runCreateOAuthAppMode(SETTINGS, deps());
    scan.secret(github.open('TS_OAUTH_APP_SECRET', ENVIRONMENT));
    sim.requests.clear();
    github.requests.length = 0;
    const again = await runCreateOAuthAppMode(SETTINGS, deps());
    expect(again.outcome).toBe('unchanged');
    expect(simCalls()).toEqual(['GET /oauth-apps']);
    expect(github.requests).toEqual([]);
    expect(outputs['app-id']).toBe(again.appId);
    expect(log.at(-1)).toContain('already exists with these settings; nothing was changed and no secret was stored');
  });

  it('fails on an app that differs, and with update replaces it while the stored secret stays valid', async () => {
    await runCreateOAuthAppMode(SETTINGS, deps());
    const secret = github.open('TS_OAUTH_APP_SECRET', ENVIRONMENT) ?? '';
    scan.secret(secret);
    const changed = { ...SETTINGS, redirectUris: ['http://127.0.0.1:8976/callback', 'https://tool.example.com/cb'] };
    sim.requests.clear();
    github.requests.length = 0;
    outputs = {};
    const differs = await failureOf(runCreateOAuthAppMode(changed, deps()));
    expect(differs).toBeInstanceOf(OAuthAppDiffersError);
    expect(differs.message).toContain('redirectURIs: + https://tool.example.com/cb');
    expect(differs.message).toContain('Set the input update-app: true');
    expect(sim.requests.countWrites()).toBe(0);
    expect(outputs).toEqual({});

    const updated = await runCreateOAuthAppMode({ ...changed, update: true }, deps());
    expect(updated.outcome).toBe('updated');
    expect(sim.state.oauthApps.get(updated.appId)?.redirectURIs).toEqual(changed.redirectUris);
    expect(sim.state.oauthApps.secretMatches(updated.appId, secret)).toBe(true);
    expect(github.requests).toEqual([]);
  });

  it('refuses every bad input at once before any call to Tailscale or GitHub', async () => {
    const bad: CreateOAuthAppSettings = {
      ...SETTINGS,
      name: 'x',
      redirectUris: ['http://tool.example.com/cb'],
      allowedNodeAttributes: ['provisioned'],
      secretName: 'GITHUB_SECRET',
    };
    const failure = await failureOf(runCreateOAuthAppMode(bad, deps()));
    expect(failure).toBeInstanceOf(OAuthAppInputError);
    expect((failure as OAuthAppInputError).problems).toHaveLength(4);
    const missing = await failureOf(
      runCreateOAuthAppMode({ ...SETTINGS, name: undefined, secretsToken: undefined }, deps()),
    );
    expect(missing.message).toContain('the input app-name is required');
    expect(missing.message).toContain('the input secrets-token is required');
    expect(sim.requests.entries).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  it('stops before creating anything when the token cannot reach the secrets (the default GITHUB_TOKEN)', async () => {
    const failure = await failureOf(runCreateOAuthAppMode({ ...SETTINGS, secretsToken: WORKFLOW_TOKEN }, deps()));
    expect(failure.message).toContain("The workflow's default GITHUB_TOKEN cannot read or write secrets");
    expect(sim.requests.countWrites()).toBe(0);
    expect(sim.state.oauthApps.list()).toEqual([]);
  });

  it('fails loudly with the recovery steps when the secret cannot be written after the create', async () => {
    const failure = await failureOf(runCreateOAuthAppMode({ ...SETTINGS, secretsToken: READ_ONLY_TOKEN }, deps()));
    expect(failure).toBeInstanceOf(SecretNotStoredError);
    const [app] = sim.state.oauthApps.list();
    expect(failure.message).toContain(
      `OAuth app "device-provisioner" (ID ${app?.id}) was created, but its client secret could not be stored`,
    );
    expect(failure.message).toContain('GitHub refused access (403');
    expect(failure.message).toContain(
      `curl -fsS -X DELETE -H "Authorization: Bearer $TAILSCALE_API_KEY" ` +
        `"${sim.url}/api/v2/tailnet/-/oauth-apps/${app?.id}"`,
    );
    expect(outputs).toEqual({});
  });
});
